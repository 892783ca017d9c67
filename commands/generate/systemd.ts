import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { seconds } from '../container/create-flags';
import { runValueFlags } from './run-flags';
import { InvalidArgumentError } from '../../src/errors';

export default class GenerateSystemdCommand extends TspodCommand {
  static override paths = [['generate', 'systemd']];
  static override usage = Command.Usage({
    description: 'Generate a systemd unit file for a container, or the API service\'s socket-activated units',
    details:
      'Without --new the unit starts and stops the existing container and follows its monitor (Type=forking, PIDFile=). With --new each start runs a fresh container from the original run command line and removes it at stop (Type=notify: tspod reports READY=1 with the monitor as MAINPID). Install user units in ~/.config/systemd/user/. With --api and no container: tspod.socket and tspod.service, which start `tspod system service` at the first connection to $XDG_RUNTIME_DIR/tspod/tspod.sock (socket activation) and let it exit after --time idle seconds (default 5); enable with `systemctl --user enable --now tspod.socket`.',
    examples: [
      ['A unit file in the current directory', '$0 generate systemd --new --files --name web'],
      ['Print the unit', '$0 generate systemd web'],
      ['The API service\'s user units, written in the current directory', '$0 generate systemd --api --files'],
    ],
  });
  name = Option.Boolean('-n,--name', false, { description: 'use the container name instead of its ID in the unit and its commands' });
  files = Option.Boolean('-f,--files', false, { description: 'write <prefix>-<name>.service in the current directory and print its path' });
  new = Option.Boolean('--new', false, { description: 'create a fresh container at each start and remove it at stop' });
  restartPolicy = Option.String('--restart-policy', { description: 'the unit\'s Restart= (default: from the container\'s --restart, else on-failure)' });
  restartSec = Option.String('--restart-sec', { description: 'seconds systemd waits before restarting (RestartSec=)' });
  startTimeout = Option.String('--start-timeout', { description: 'seconds systemd waits for the start (TimeoutStartSec=)' });
  stopTimeout = Option.String('-t,--time,--stop-timeout', { description: 'seconds the stop waits before SIGKILL (default: the container\'s stop timeout); with --api the service\'s idle seconds before it exits (default 5, 0 = never)' });
  containerPrefix = Option.String('--container-prefix', 'container', { description: 'prefix of the unit name' });
  separator = Option.String('--separator', '-', { description: 'between the prefix and the name' });
  noHeader = Option.Boolean('--no-header', false, { description: 'leave out the header comment' });
  after = Option.Array('--after', [], { description: 'add to the unit\'s After=' });
  wants = Option.Array('--wants', [], { description: 'add to the unit\'s Wants=' });
  requires = Option.Array('--requires', [], { description: 'add to the unit\'s Requires=' });
  env = Option.Array('-e,--env', [], { description: 'set an environment variable in the unit (KEY=VALUE, or KEY to take ours)' });
  format = Option.String('--format', { description: 'json: a JSON object of unit name to unit text' });
  api = Option.Boolean('--api', false, { description: 'tspod.socket and tspod.service for the Docker-compatible API (socket activation), instead of a container\'s unit' });
  container = Option.String({ required: false });

  async execute(): Promise<number> {
    if (this.format !== undefined && this.format !== 'json') throw new InvalidArgumentError(`invalid --format "${this.format}": use json`);
    const num = (v: string | undefined, flag: string) => (v === undefined ? undefined : seconds(v, flag));
    if (this.api) return this.apiUnits(num(this.stopTimeout, '--time'));
    if (this.container === undefined) throw new InvalidArgumentError('generate systemd needs a container name or ID, or --api for the API service\'s units');
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

  private apiUnits(time: number | undefined): number {
    if (this.container !== undefined) throw new InvalidArgumentError(`--api generates the API service's units and takes no container ("${this.container}"): leave it out`);
    const containerOnly = { '--name': this.name, '--new': this.new, '--restart-policy': this.restartPolicy, '--restart-sec': this.restartSec, '--start-timeout': this.startTimeout, '--after': this.after.length, '--wants': this.wants.length, '--requires': this.requires.length, '--env': this.env.length };
    const given = Object.entries(containerOnly).filter(([, v]) => v !== undefined && v !== false && v !== 0).map(([k]) => k);
    if (given.length) throw new InvalidArgumentError(`${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} for a container's unit, not with --api: leave ${given.length === 1 ? 'it' : 'them'} out`);
    const units = this.engine.generateApiUnits({ time: time ?? 5, noHeader: this.noHeader }, this.files ? process.cwd() : undefined);
    if (this.format === 'json') this.write(`${JSON.stringify(Object.fromEntries(units.map((u) => [u.name, u.path ?? u.text])), null, 4)}\n`);
    else if (this.files) this.write(units.map((u) => `${u.path}\n`).join(''));
    else this.write(units.map((u) => (this.noHeader ? `# ${u.name}\n` : '') + u.text).join('\n'));
    return 0;
  }
}
