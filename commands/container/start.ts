import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { parseDetachKeys } from '../../src/detach-keys';
import { lazyStdin } from '../../src/lazy-stdin';
import { InvalidArgumentError } from '../../src/errors';
import { latestFlag } from './select-flags';

export default class ContainerStartCommand extends TspodCommand {
  static override paths = [['start'], ['container', 'start']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Start one or more containers',
    examples: [
      ['Start and attach', '$0 start -ai web'],
      ['Start several', '$0 start web db'],
      ['After a reboot (a login hook or systemd user unit)', '$0 start --all --filter restart-policy=always --filter restart-policy=unless-stopped'],
    ],
  });
  attach = Option.Boolean('-a,--attach', false, { description: "attach to the container's output (one container)" });
  interactive = Option.Boolean('-i,--interactive', false, { description: 'attach stdin too' });
  all = Option.Boolean('--all', false, { description: 'start every container that is not running' });
  filter = Option.Array('-f,--filter', [], { description: 'start the stopped containers that match: restart-policy=, name=, label=, status=, id=' });
  latest = latestFlag();
  sigProxy = Option.Boolean('--sig-proxy', { description: 'with --attach, pass the signals tspod receives to the container (default true)' });
  detachKeys = Option.String('--detach-keys', 'ctrl-p,ctrl-q', { description: 'key sequence that detaches ("" disables it)' });
  names = Option.Rest();

  async execute(): Promise<number> {
    if (!this.all && !this.latest && this.filter.length === 0 && this.names.length === 0) throw new InvalidArgumentError('you must provide at least one container name or ID, or --all');
    // Podman's words for --all with names or with --attach.
    if (this.all && this.names.length) throw new InvalidArgumentError('either start all containers or the container(s) provided in the arguments');
    if (this.all && this.attach) throw new InvalidArgumentError('you cannot start and attach all containers at once');
    const result = await this.engine.containers.start(
      this.names,
      { attach: this.attach, interactive: this.interactive, detachKeys: parseDetachKeys(this.detachKeys), all: this.all, filters: this.filter, latest: this.latest, sigProxy: this.sigProxy },
      { input: lazyStdin, stdout: process.stdout, stderr: process.stderr },
    );
    if (typeof result === 'number') return result;
    return this.printReports(result, (r) => r.name);
  }
}
