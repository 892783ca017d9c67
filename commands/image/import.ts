import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ImportCommand extends TspodCommand {
  static override paths = [['import'], ['image', 'import']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Import a tarball to create a filesystem image',
    details: 'The tarball (plain or gzip) becomes the single layer of a new image. Files keep their owners, mapped into your subordinate IDs. A name without a registry is stored under localhost/.',
    examples: [
      ['Import a root filesystem', '$0 import rootfs.tar mybase:1.0'],
      ['From standard input, with a default command', "cat rootfs.tar | $0 import --change 'CMD [\"/bin/sh\"]' - mybase"],
    ],
  });
  changes = Option.Array('-c,--change', [], { description: 'apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR)' });
  message = Option.String('-m,--message', { description: 'commit message for the imported image' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'suppress output other than the image ID' });
  source = Option.String({ name: 'tarball|-' });
  reference = Option.String({ name: 'reference', required: false });

  async execute(): Promise<number> {
    const image = await this.engine.images.importImage(this.source, { reference: this.reference, message: this.message, changes: this.changes });
    this.write(`${image.id.slice(7)}\n`);
    return 0;
  }
}
