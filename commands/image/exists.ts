import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ImageExistsCommand extends TspodCommand {
  static override paths = [['image', 'exists']];
  static override usage = Command.Usage({
    description: 'Check if an image exists in local storage (exit 0 if it does, 1 if not)',
    examples: [['In a script', '$0 image exists debian || $0 pull debian']],
  });
  name = Option.String();

  async execute(): Promise<number> {
    return this.engine.images.imageExists(this.name) ? 0 : 1;
  }
}
