import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class NetworkExistsCommand extends TspodCommand {
  static override paths = [['network', 'exists']];
  static override usage = Command.Usage({ description: 'Exit 0 if the network exists, 1 if not', examples: [['Check', '$0 network exists app']] });
  name = Option.String();

  async execute(): Promise<number> {
    return this.engine.networks.exists(this.name) ? 0 : 1;
  }
}
