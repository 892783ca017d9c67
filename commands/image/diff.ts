import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { formatChanges } from '../format/diff-output';

export default class ImageDiffCommand extends TspodCommand {
  static override paths = [['image', 'diff']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: "Inspect changes on an image's filesystem",
    details: 'The image is compared with its parent (the image without its top layer), or with the second image when one is given: A added, C changed, D deleted.',
    examples: [
      ['What the top layer changed', '$0 image diff web:latest'],
      ['From one image to another, as JSON', '$0 image diff --format json web:2 web:1'],
    ],
  });
  format = Option.String('--format', { description: 'json' });
  image = Option.String();
  other = Option.String({ required: false });

  async execute(): Promise<number> {
    this.write(formatChanges(this.engine.images.diffImages(this.image, this.other), this.format));
    return 0;
  }
}
