import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { refusedOption } from '../refused-option';
import { InvalidArgumentError } from '../../src/errors';

export default class ImageTreeCommand extends TspodCommand {
  static override paths = [['image', 'tree']];
  static override usage = Command.Usage({
    description: 'Print layer hierarchy of an image in a tree format',
    details: "Each layer with its size, lowest first; a layer that is another named image's top layer says so.",
    examples: [['The layers of an image', '$0 image tree debian']],
  });
  whatrequires = refusedOption('image tree', '--whatrequires');
  names = Option.Rest();

  async execute(): Promise<number> {
    // Podman's argument check (one image), made after the options so that a refused one says why first.
    if (this.names.length !== 1) throw new InvalidArgumentError(`accepts 1 arg(s), received ${this.names.length}`);
    this.write(`${this.engine.images.imageTree(this.names[0])}\n\n`);
    return 0;
  }
}
