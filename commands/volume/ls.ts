import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { formatTable } from '../../src/human-units';
import { compileTemplate } from '../../src/go-template';

export default class VolumeLsCommand extends TspodCommand {
  static override paths = [['volume', 'ls'], ['volume', 'list']];
  static override usage = Command.Usage({ description: 'List volumes', examples: [['All', '$0 volume ls'], ['Unused ones', '$0 volume ls --filter dangling=true']] });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'names only' });
  format = Option.String('--format', { description: 'json, or a Go template such as {{.Name}} {{.Mountpoint}}' });
  filter = Option.Array('-f,--filter', [], { description: 'name=, label=, driver=, dangling=true|false' });
  noHeading = Option.Boolean('-n,--noheading', false, { description: 'no column headings' });

  async execute(): Promise<number> {
    const vols = this.engine.volumes.list(this.filter);
    if (this.quiet) {
      this.write(vols.map((v) => `${v.name}\n`).join(''));
      return 0;
    }
    const rows = vols.map((v) => ({ Name: v.name, Driver: v.config.driver, Mountpoint: this.engine.volumes.mountpoint(v.name), Labels: v.config.labels, CreatedAt: new Date(v.createdAt).toISOString(), Anonymous: v.config.anonymous }));
    if (this.format === 'json') this.write(`${JSON.stringify(rows, null, 4)}\n`);
    else if (this.format) {
      const render = compileTemplate(this.format.replace(/^table\s*/, ''));
      this.write(rows.map((r) => `${render(r)}\n`).join(''));
    } else {
      const table = formatTable(['DRIVER', 'VOLUME NAME'], rows.map((r) => [r.Driver, r.Name]));
      this.write(this.noHeading ? table.split('\n').slice(1).join('\n') : table);
    }
    return 0;
  }
}
