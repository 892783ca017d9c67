import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { executeInspect } from '../format/inspect-printer';

export default class NetworkInspectCommand extends TspodCommand {
  static override paths = [['network', 'inspect']];
  static override usage = Command.Usage({
    description: 'Show networks in detail, with the running containers on them (JSON)',
    examples: [['Its subnets', "$0 network inspect --format '{{.Name}} {{json .Subnets}}' app"]],
  });
  format = Option.String('-f,--format', { description: 'json (default) or a Go template, e.g. {{.Name}}' });
  names = Option.Rest({ required: 1 });

  async execute(): Promise<number> {
    return executeInspect(this, this.names, { type: 'network', size: false, latest: false, format: this.format });
  }
}
