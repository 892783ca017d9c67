import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class PodExistsCommand extends TspodCommand {
  static override paths = [['pod', 'exists']];
  static override usage = Command.Usage({ description: 'Exit 0 if the pod exists, 1 if not', examples: [['Check', '$0 pod exists web']] });
  name = Option.String();

  async execute(): Promise<number> {
    return this.engine.pods.exists(this.name) ? 0 : 1;
  }
}
