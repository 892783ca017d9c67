import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class LoadCommand extends TspodCommand {
  static override paths = [['load'], ['image', 'load']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Load images from an archive (docker-archive or oci-archive)',
    examples: [['From a file', '$0 load -i debian.tar'], ['From Podman', 'podman save debian | $0 load']],
  });
  input = Option.String('-i,--input', { description: 'read from this file instead of standard input' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'suppress output' });

  async execute(): Promise<number> {
    const images = await this.engine.images.loadImages(this.input);
    for (const img of images) this.write(`Loaded image: ${img.names.length ? img.names.join(', ') : img.id.slice(7)}\n`);
    return 0;
  }
}
