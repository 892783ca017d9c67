import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';

export default class SaveCommand extends TspodCommand {
  static override paths = [['save'], ['image', 'save']];
  static override usage = Command.Usage({
    description: 'Save images to an archive (docker-archive or oci-archive)',
    details: 'Without -o the archive goes to standard output, which must not be a terminal. docker-archive is what `docker load` and `podman load` read by default.',
    examples: [['To a file', '$0 save -o debian.tar debian'], ['Into Podman', '$0 save debian | podman load']],
  });
  output = Option.String('-o,--output', { description: 'write to this file instead of standard output' });
  format = Option.String('--format', 'docker-archive', { description: 'docker-archive (default), oci-archive, or oci-dir or docker-dir (a directory, with -o)' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'suppress output' });
  names = Option.Rest({ required: 1 });

  async execute(): Promise<number> {
    if (!this.output && process.stdout.isTTY) throw new InvalidArgumentError('refusing to write an archive to a terminal: use -o FILE or redirect standard output');
    await this.engine.images.saveImages(this.names, { format: this.format, out: process.stdout, outputFile: this.output });
    return 0;
  }
}
