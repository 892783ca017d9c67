import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class UntagCommand extends TspodCommand {
  static override paths = [['untag'], ['image', 'untag']];
  static override usage = Command.Usage({
    description: 'Remove a name from a local image (all names when none is given)',
    examples: [['Drop one name', '$0 untag myimg localhost/myimg:old']],
  });
  source = Option.String();
  targets = Option.Rest();

  async execute(): Promise<number> {
    this.engine.images.untagImage(this.source, this.targets);
    return 0;
  }
}
