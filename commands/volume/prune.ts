import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class VolumePruneCommand extends TspodCommand {
  static override paths = [['volume', 'prune']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({ description: 'Remove every volume no container uses, with its data', examples: [['Without asking', '$0 volume prune -f']] });
  force = Option.Boolean('-f,--force', false, { description: 'do not ask' });
  filter = Option.Array('--filter', [], { description: 'only volumes with label=KEY[=VALUE], without label!=KEY[=VALUE], or created before until=TIME' });

  async execute(): Promise<number> {
    if (!this.force) {
      const unused = this.engine.volumes.pruneCandidates(this.filter).map((v) => v.name);
      if (unused.length === 0) return 0;
      this.write(`WARNING! This will remove these volumes and their data:\n${unused.map((n) => `  ${n}\n`).join('')}Are you sure you want to continue? [y/N] `);
      if (!/^y(es)?$/i.test((await this.readLine()).trim())) return 0;
    }
    this.write((await this.engine.volumes.prune(this.filter)).map((n) => `${n}\n`).join(''));
    return 0;
  }
}
