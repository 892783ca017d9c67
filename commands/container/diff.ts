import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { formatChanges } from '../format/diff-output';

export default class ContainerDiffCommand extends TspodCommand {
  static override paths = [['diff'], ['container', 'diff']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: "Show what a container changed in its image's files",
    details: 'A added, C changed, D deleted.',
    examples: [['Changes', '$0 diff web'], ['As JSON', '$0 diff --format json web']],
  });
  format = Option.String('--format', { description: 'json' });
  name = Option.String();

  async execute(): Promise<number> {
    this.write(formatChanges(this.engine.containers.diff(this.name), this.format));
    return 0;
  }
}
