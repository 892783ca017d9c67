import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

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
    const changes = this.engine.containers.diff(this.name);
    if (this.format === 'json') {
      const group = (k: string) => changes.filter((c) => c.kind === k).map((c) => c.path);
      this.write(`${JSON.stringify({ changed: group('C'), added: group('A'), deleted: group('D') }, null, 4)}\n`);
    } else {
      this.write(changes.map((c) => `${c.kind} ${c.path}\n`).join(''));
    }
    return 0;
  }
}
