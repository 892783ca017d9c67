import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class RmiCommand extends TspodCommand {
  static override paths = [['rmi'], ['image', 'rm']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Remove one or more images from local storage',
    details: 'A name that is one of several names of an image only removes that name. Layers shared with other images stay until their last image is removed. A mounted image is refused unless --force.',
    examples: [['Remove by name', '$0 rmi localhost/mybase:1.0'], ['Remove every image', '$0 rmi -a -f']],
  });
  force = Option.Boolean('-f,--force', false, { description: 'remove the image even if it is mounted or has several names' });
  all = Option.Boolean('-a,--all', false, { description: 'remove all images' });
  ignore = Option.Boolean('-i,--ignore', false, { description: 'no error for images that do not exist' });
  noPrune = Option.Boolean('--no-prune', false, { description: 'keep untagged parent images (tspod images have no parent images to prune)' });
  names = Option.Rest();

  async execute(): Promise<number> {
    const reports = await this.engine.images.removeImages(this.names, { force: this.force, all: this.all, ignore: this.ignore });
    return this.printRemovals(reports, this.force, (r) => [...r.untagged.map((n) => `Untagged: ${n}`), ...(r.deleted ? [`Deleted: ${r.id!.slice(7)}`] : [])].join('\n') || null);
  }
}
