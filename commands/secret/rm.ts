import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class SecretRmCommand extends TspodCommand {
  static override paths = [['secret', 'rm'], ['secret', 'remove']];
  static override usage = Command.Usage({ description: 'Remove secrets', details: 'Containers created with a secret keep their own copy of it.', examples: [['One', '$0 secret rm db_pass'], ['All', '$0 secret rm -a']] });
  all = Option.Boolean('-a,--all', false, { description: 'every secret' });
  ignore = Option.Boolean('-i,--ignore', false, { description: 'no error for a secret that does not exist' });
  names = Option.Rest();

  async execute(): Promise<number> {
    return this.printReports(this.engine.secrets.remove(this.names, { all: this.all, ignore: this.ignore }), (r) => r.id!);
  }
}
