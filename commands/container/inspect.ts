import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ContainerInspectCommand extends TspodCommand {
  static override paths = [['container', 'inspect'], ['inspect']];
  static override usage = Command.Usage({
    description: 'Display the configuration and state of containers (and, with `tspod inspect`, of images)',
    examples: [['Its state', "$0 inspect --format '{{.State.Status}} {{.State.ExitCode}}' web"]],
  });
  format = Option.String('-f,--format', { description: 'json (default) or a Go template' });
  names = Option.Rest({ required: 1 });

  async execute(): Promise<number> {
    const imagesToo = this.path[0] === 'inspect';
    const results = this.engine.containers.inspect(this.names, imagesToo);
    const found = results.filter((r) => r.data).map((r) => r.data!);
    this.printInspected(found, this.format);
    return this.printReports(results.filter((r) => r.error), () => null);
  }
}
