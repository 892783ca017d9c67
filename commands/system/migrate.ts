import { Command } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class SystemMigrateCommand extends TspodCommand {
  static override paths = [['system', 'migrate']];
  static override usage = Command.Usage({
    description: 'Restart the user namespace so that new subuid/subgid ranges apply',
    details: 'Stops the running containers and ends the process that holds the user namespace; the next command creates a new one with the ranges now in /etc/subuid and /etc/subgid and mounts again what was mounted.',
    examples: [['After usermod --add-subuids', '$0 system migrate']],
  });

  async execute(): Promise<number> {
    for (const name of await this.engine.systemMigrate()) this.context.stderr.write(`stopped ${name}\n`);
    return 0;
  }
}
