import { Command, Option } from 'clipanion';
import { TspodCommand } from './tspod-command';

export default class LogoutCommand extends TspodCommand {
  static override paths = [['logout']];
  static override usage = Command.Usage({
    description: 'Log out of a container registry',
    examples: [['Forget one registry', '$0 logout registry.example.com'], ['Forget all', '$0 logout --all']],
  });
  all = Option.Boolean('-a,--all', false, { description: 'remove the credentials of every registry' });
  authfile = Option.String('--authfile', { description: 'path of the authentication file' });
  registry = Option.String({ required: false });

  async execute(): Promise<number> {
    const removed = this.engine.images.logout(this.registry, { authFile: this.authfile, all: this.all });
    this.write(this.all ? 'Removed login credentials for all registries\n' : `Removed login credentials for ${removed[0]}\n`);
    return 0;
  }
}
