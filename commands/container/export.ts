import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';

export default class ContainerExportCommand extends TspodCommand {
  static override paths = [['export'], ['container', 'export']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: "Export container's filesystem contents as a tar archive",
    details: `
      The tar holds the container's root filesystem: its image's files with the container's changes, owners as the container sees them. Volumes, bind mounts and the kernel's /proc and /sys are not in it. Without -o the tar goes to standard output, which must not be a terminal. \`tspod import\` makes an image of it.
    `,
    examples: [
      ['To a file', '$0 export -o myctr.tar myctr'],
      ['Into a new image', '$0 export myctr | $0 import - mybase'],
    ],
  });
  output = Option.String('-o,--output', { description: 'Write to a specified file (default: stdout, which must be redirected)' });
  name = Option.String();

  override namespaceContainer(): string | undefined {
    return this.name;
  }

  async execute(): Promise<number> {
    if (!this.output && process.stdout.isTTY) throw new InvalidArgumentError('refusing to export to terminal. Use -o flag or redirect');
    if (this.output === '') throw new InvalidArgumentError('invalid --output "": give a file name');
    await this.engine.containers.exportRootfs(this.name, { out: process.stdout, outputFile: this.output });
    return 0;
  }
}
