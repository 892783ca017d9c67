import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class VolumeExistsCommand extends TspodCommand {
  static override paths = [['volume', 'exists']];
  static override usage = Command.Usage({ description: 'Exit 0 if the volume exists, 1 if not', examples: [['Check', '$0 volume exists data']] });
  name = Option.String();

  async execute(): Promise<number> {
    return this.engine.volumes.exists(this.name) ? 0 : 1;
  }
}
