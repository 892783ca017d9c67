import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class TagCommand extends TspodCommand {
  static override paths = [['tag'], ['image', 'tag']];
  static override usage = Command.Usage({
    description: 'Add an additional name to a local image',
    examples: [['Name an image for a registry', '$0 tag debian 127.0.0.1:5000/team/debian:12']],
  });
  source = Option.String();
  targets = Option.Rest({ required: 1 });

  async execute(): Promise<number> {
    this.engine.images.tagImage(this.source, this.targets);
    return 0;
  }
}
