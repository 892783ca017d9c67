import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { executeInspect } from '../format/inspect-printer';

export default class ImageInspectCommand extends TspodCommand {
  static override paths = [['image', 'inspect']];
  static override usage = Command.Usage({
    description: 'Display the configuration, layers and size of one or more images',
    examples: [['Layers of an image', "$0 image inspect --format '{{json .RootFS.Layers}}' mybase"]],
  });
  format = Option.String('-f,--format', { description: 'json (default) or a Go template' });
  names = Option.Rest({ required: 1 });

  async execute(): Promise<number> {
    return executeInspect(this, this.names, { type: 'image', size: false, latest: false, format: this.format });
  }
}
