import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { seconds } from '../container/create-flags';
import { runValueFlags } from './run-flags';
import { InvalidArgumentError } from '../../src/errors';

export default class GenerateSystemdCommand extends TspodCommand {
  static override paths = [['generate', 'systemd']];
  static override usage = Command.Usage({
    description: 'Generate a systemd unit file for a container',
    details:
      'Without --new the unit starts and stops the existing container and follows its monitor (Type=forking, PIDFile=). With --new each start runs a fresh container from the original run command line and removes it at stop (Type=notify: tspod reports READY=1 with the monitor as MAINPID). Install user units in ~/.config/systemd/user/.',
    examples: [
      ['A unit file in the current directory', '$0 generate systemd --new --files --name web'],
      ['Print the unit', '$0 generate systemd web'],
    ],
  });
  name = Option.Boolean('-n,--name', false, { description: 'use the container name instead of its ID in the unit and its commands' });
  files = Option.Boolean('-f,--files', false, { description: 'write <prefix>-<name>.service in the current directory and print its path' });
  new = Option.Boolean('--new', false, { description: 'create a fresh container at each start and remove it at stop' });
  restartPolicy = Option.String('--restart-policy', { description: 'the unit\'s Restart= (default: from the container\'s --restart, else on-failure)' });
  restartSec = Option.String('--restart-sec', { description: 'seconds systemd waits before restarting (RestartSec=)' });
  startTimeout = Option.String('--start-timeout', { description: 'seconds systemd waits for the start (TimeoutStartSec=)' });
  stopTimeout = Option.String('-t,--time,--stop-timeout', { description: 'seconds the stop waits before SIGKILL (default: the container\'s stop timeout)' });
  containerPrefix = Option.String('--container-prefix', 'container', { description: 'prefix of the unit name' });
  separator = Option.String('--separator', '-', { description: 'between the prefix and the name' });
  noHeader = Option.Boolean('--no-header', false, { description: 'leave out the header comment' });
  after = Option.Array('--after', [], { description: 'add to the unit\'s After=' });
  wants = Option.Array('--wants', [], { description: 'add to the unit\'s Wants=' });
  requires = Option.Array('--requires', [], { description: 'add to the unit\'s Requires=' });
  env = Option.Array('-e,--env', [], { description: 'set an environment variable in the unit (KEY=VALUE, or KEY to take ours)' });
  format = Option.String('--format', { description: 'json: a JSON object of unit name to unit text' });
  container = Option.String();

  async execute(): Promise<number> {
    if (this.format !== undefined && this.format !== 'json') throw new InvalidArgumentError(`invalid --format "${this.format}": use json`);
    const num = (v: string | undefined, flag: string) => (v === undefined ? undefined : seconds(v, flag));
    const unit = this.engine.generate.systemd(
      this.container,
      {
        useName: this.name,
        new: this.new,
        restartPolicy: this.restartPolicy,
        restartSec: num(this.restartSec, '--restart-sec'),
        startTimeout: num(this.startTimeout, '--start-timeout'),
        stopTimeout: num(this.stopTimeout, '--stop-timeout'),
        containerPrefix: this.containerPrefix,
        separator: this.separator,
        noHeader: this.noHeader,
        after: this.after,
        wants: this.wants,
        requires: this.requires,
        env: this.env,
      },
      runValueFlags(),
      this.files ? process.cwd() : undefined,
    );
    if (this.format === 'json') this.write(`${JSON.stringify({ [unit.name]: unit.path ?? unit.text }, null, 4)}\n`);
    else this.write(unit.path ? `${unit.path}\n` : unit.text);
    return 0;
  }
}
