import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ContainerPruneCommand extends TspodCommand {
  static override paths = [['container', 'prune']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Remove all containers that are not running',
    details: 'Asks first unless --force; prints the IDs it removed.',
    examples: [['Without asking', '$0 container prune -f'], ['Older than a day', '$0 container prune -f --filter until=24h']],
  });
  force = Option.Boolean('-f,--force', false, { description: 'do not ask for confirmation' });
  filter = Option.Array('--filter', [], { description: 'until=<time or duration>, label=<key>[=<value>]' });

  async execute(): Promise<number> {
    if (!this.force) {
      this.write('WARNING! This will remove all non running containers.\nAre you sure you want to continue? [y/N] ');
      if (!/^y(es)?$/i.test((await this.readLine()).trim())) return 0;
    }
    const reports = await this.engine.containers.prune(this.filter);
    return this.printReports(reports, (r) => r.id);
  }
}
