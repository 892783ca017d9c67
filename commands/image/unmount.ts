import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ImageUnmountCommand extends TspodCommand {
  static override paths = [['image', 'unmount'], ['image', 'umount']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Unmount images mounted with image mount',
    examples: [['Undo one mount', '$0 image unmount mybase'], ['Unmount everything', '$0 image unmount --all']],
  });
  all = Option.Boolean('-a,--all', false, { description: 'unmount all mounted images' });
  force = Option.Boolean('-f,--force', false, { description: 'unmount even if mounted several times' });
  names = Option.Rest();

  async execute(): Promise<number> {
    return this.printReports(await this.engine.images.unmountImages(this.names, { all: this.all, force: this.force }), (r) => r.id.slice(7));
  }
}
