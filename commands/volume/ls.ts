import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class VolumeLsCommand extends TspodCommand {
  static override paths = [['volume', 'ls'], ['volume', 'list']];
  static override usage = Command.Usage({ description: 'List volumes', examples: [['All', '$0 volume ls'], ['Unused ones', '$0 volume ls --filter dangling=true']] });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'names only' });
  format = Option.String('--format', { description: 'json, or a Go template such as {{.Name}} {{.Mountpoint}}' });
  filter = Option.Array('-f,--filter', [], { description: 'name=, label=, driver=, dangling=true|false' });
  noHeading = Option.Boolean('-n,--noheading', false, { description: 'no column headings' });

  async execute(): Promise<number> {
    const vols = this.engine.volumes.list(this.filter);
    const rows = vols.map((v) => ({ Name: v.name, Driver: v.config.driver, Mountpoint: this.engine.volumes.mountpoint(v.name), Labels: v.config.labels, CreatedAt: new Date(v.createdAt).toISOString(), Anonymous: v.config.anonymous }));
    return this.printList(rows, {
      format: this.format,
      noHeading: this.noHeading,
      quiet: this.quiet ? (r) => r.Name : undefined,
      columns: [
        ['DRIVER', (r) => r.Driver],
        ['VOLUME NAME', (r) => r.Name],
      ],
    });
  }
}
