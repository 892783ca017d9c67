import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class NetworkPruneCommand extends TspodCommand {
  static override paths = [['network', 'prune']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({ description: 'Remove every network no container is on', examples: [['Without asking', '$0 network prune -f']] });
  force = Option.Boolean('-f,--force', false, { description: 'do not ask' });
  filter = Option.Array('--filter', [], { description: 'only networks with label=KEY[=VALUE], without label!=KEY[=VALUE], or created before until=TIME' });

  async execute(): Promise<number> {
    if (!this.force) {
      this.write('WARNING! This will remove all networks not used by at least one container.\nAre you sure you want to continue? [y/N] ');
      if (!/^y(es)?$/i.test((await this.readLine()).trim())) return 0;
    }
    this.write((await this.engine.networks.prune(this.filter)).map((n) => `${n}\n`).join(''));
    return 0;
  }
}
