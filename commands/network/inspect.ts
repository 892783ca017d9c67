import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class NetworkInspectCommand extends TspodCommand {
  static override paths = [['network', 'inspect']];
  static override usage = Command.Usage({ description: 'Show networks in detail (JSON)', examples: [['One', '$0 network inspect app']] });
  format = Option.String('-f,--format', { description: 'Go template, e.g. {{.subnets}}' });
  names = Option.Rest({ required: 1 });

  async execute(): Promise<number> {
    const results = this.engine.networks.inspect(this.names);
    const found = results.filter((r) => r.data).map((r) => r.data);
    this.printInspected(found, this.format);
    for (const r of results) if (r.error) this.context.stderr.write(`Error: ${r.error.message}\n`);
    return results.some((r) => r.error) ? 125 : 0;
  }
}
