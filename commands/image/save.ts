import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';
import { refusedOption } from '../refused-option';

export default class SaveCommand extends TspodCommand {
  static override paths = [['save'], ['image', 'save']];
  static override usage = Command.Usage({
    description: 'Save images to an archive (docker-archive or oci-archive)',
    details: 'Without -o the archive goes to standard output, which must not be a terminal. docker-archive is what `docker load` and `podman load` read by default. Several images go into one docker-archive or oci-archive, each with its name, with or without -m.',
    examples: [['To a file', '$0 save -o debian.tar debian'], ['Two images in one archive', '$0 save -m -o both.tar debian busybox'], ['Into Podman', '$0 save debian | podman load']],
  });
  output = Option.String('-o,--output', { description: 'write to this file instead of standard output' });
  format = Option.String('--format', 'docker-archive', { description: 'docker-archive (default), oci-archive, or oci-dir or docker-dir (a directory, with -o)' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'suppress output' });
  // tspod saves every image named, -m or not: Podman without -m would write the first image only,
  // tagged with the other names, and loading that archive would move those names onto it.
  multiImageArchive = Option.Boolean('-m,--multi-image-archive', false, { description: 'the names are images, each saved (what tspod always does)' });
  uncompressed = Option.Boolean('--uncompressed', false, { description: 'keep uncompressed layers uncompressed in OCI formats (what tspod always does: layers are written as stored)' });
  compress = refusedOption('save', '--compress');
  names = Option.Rest();

  async execute(): Promise<number> {
    if (!this.output && process.stdout.isTTY) throw new InvalidArgumentError('refusing to write an archive to a terminal: use -o FILE or redirect standard output');
    await this.engine.images.saveImages(this.names, { format: this.format, out: process.stdout, outputFile: this.output });
    return 0;
  }
}
