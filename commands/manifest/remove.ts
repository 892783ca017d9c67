import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ManifestRemoveCommand extends TspodCommand {
  static override paths = [['manifest', 'remove']];
  static override usage = Command.Usage({
    description: 'Remove an entry from a manifest list or image index',
    details: 'The entry is named by its digest (see `manifest inspect`); the image itself stays.',
    examples: [['Remove an entry', '$0 manifest remove localhost/app sha256:...']],
  });
  name = Option.String();
  digest = Option.String();

  async execute(): Promise<number> {
    this.write(`${await this.engine.images.manifestRemove(this.name, this.digest)}\n`);
    return 0;
  }
}
