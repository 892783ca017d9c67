import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class SecretExistsCommand extends TspodCommand {
  static override paths = [['secret', 'exists']];
  static override usage = Command.Usage({ description: 'Exit 0 if the secret exists, 1 if not', examples: [['Check', '$0 secret exists db_pass']] });
  name = Option.String();

  async execute(): Promise<number> {
    return this.engine.secrets.exists(this.name) ? 0 : 1;
  }
}
