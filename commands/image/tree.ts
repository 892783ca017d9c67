import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { refusedOption } from '../refused-option';

export default class ImageTreeCommand extends TspodCommand {
  static override paths = [['image', 'tree']];
  static override usage = Command.Usage({
    description: 'Print layer hierarchy of an image in a tree format',
    details: "Each layer with its size, lowest first; a layer that is another named image's top layer says so.",
    examples: [['The layers of an image', '$0 image tree debian']],
  });
  whatrequires = refusedOption('image tree', '--whatrequires');
  name = Option.String();

  async execute(): Promise<number> {
    this.write(`${this.engine.images.imageTree(this.name)}\n\n`);
    return 0;
  }
}
