import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class VolumeInspectCommand extends TspodCommand {
  static override paths = [['volume', 'inspect']];
  static override usage = Command.Usage({ description: 'Show volumes in detail (JSON)', examples: [['Where it is', "$0 volume inspect --format '{{.Mountpoint}}' data"]] });
  format = Option.String('-f,--format', { description: 'Go template, e.g. {{.Mountpoint}}' });
  all = Option.Boolean('-a,--all', false, { description: 'every volume' });
  names = Option.Rest();

  async execute(): Promise<number> {
    const names = this.all ? this.engine.volumes.list().map((v) => v.name) : this.names;
    const results = this.engine.volumes.inspect(names);
    const found = results.filter((r) => r.data).map((r) => r.data);
    this.printInspected(found, this.format);
    for (const r of results) if (r.error) this.context.stderr.write(`Error: ${r.error.message}\n`);
    return results.some((r) => r.error) ? 125 : 0;
  }
}
