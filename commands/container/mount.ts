import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';

export default class ContainerMountCommand extends TspodCommand {
  static override paths = [['mount'], ['container', 'mount']];
  static override usage = Command.Usage({
    description: "Mount a working container's root filesystem",
    details: `
      Mounts each container's root filesystem (its image's files with its changes; changes made there are the container's) and prints where. The mount lives in tspod's user namespace, so run it inside \`tspod unshare\`, as Podman asks. Each mount is counted; \`tspod unmount\` undoes one. With no names, lists the mounted containers.
    `,
    examples: [
      ['Look inside a container', "$0 unshare sh -c 'ls $(tspod mount myctr)'"],
      ['List the mounted containers', '$0 unshare tspod mount'],
    ],
  });
  all = Option.Boolean('-a,--all', false, { description: 'Mount all containers' });
  format = Option.String('--format', { description: 'Print the mounted containers in specified format (json)' });
  latest = Option.Boolean('-l,--latest', false, { description: 'Act on the latest container tspod is aware of' });
  noTrunc = Option.Boolean('--no-trunc,--notruncate', false, { description: 'Do not truncate output' });
  names = Option.Rest();

  async execute(): Promise<number> {
    this.engine.containers.requireUnshare(`tspod ${this.path.join(' ')}`);
    if (this.names.length > 0 && this.latest) throw new InvalidArgumentError('--latest and containers cannot be used together');
    if (this.names.length > 0 && this.all) throw new InvalidArgumentError('--all and containers cannot be used together');
    if (this.names.length > 0 || this.all || this.latest) {
      const reports = await this.engine.containers.mount(this.names, { all: this.all, latest: this.latest });
      return this.printReports(reports, (r) => r.path!);
    }
    const mounted = this.engine.containers.mounted();
    if (this.format !== undefined && this.format.trim().toLowerCase() !== 'json' && this.format.trim() !== '{{json .}}') throw new InvalidArgumentError(`unknown --format argument: "${this.format}"`);
    if (this.format !== undefined) {
      this.write(`${JSON.stringify(mounted.map((m) => ({ id: m.id, Names: [m.name], mountpoint: m.path })), null, 1)}\n`);
      return 0;
    }
    for (const m of mounted) this.write(`${this.noTrunc ? m.id : m.id.slice(0, 12)}  ${m.path}\n`);
    return 0;
  }
}
