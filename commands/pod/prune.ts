import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class PodPruneCommand extends TspodCommand {
  static override paths = [['pod', 'prune']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Remove all stopped pods and their containers',
    details: 'A pod is stopped when none of its containers runs. Asks first unless --force; prints the IDs it removed.',
    examples: [['Without asking', '$0 pod prune -f']],
  });
  force = Option.Boolean('-f,--force', false, { description: 'do not ask for confirmation' });

  async execute(): Promise<number> {
    if (!this.force) {
      this.write('WARNING! This will remove all stopped/exited pods..\nAre you sure you want to continue? [y/N] ');
      if (!/^y(es)?$/i.test((await this.readLine()).trim())) return 0;
    }
    return this.printReports(await this.engine.pods.prune(), (r) => r.id ?? r.name);
  }
}
