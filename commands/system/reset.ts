import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class SystemResetCommand extends TspodCommand {
  static override paths = [['system', 'reset']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Reset tspod storage',
    details: `
      Removes all containers (running ones are killed at once), volumes, images and networks, ends tspod's user namespace, and deletes the root and runroot directories with the state database in them. The next command starts on a fresh store. Your configuration files (containers.conf, registries.conf) are kept. Asks first unless -f.
    `,
    examples: [['Without asking', '$0 system reset -f']],
  });
  force = Option.Boolean('-f,--force', false, { description: 'Do not prompt for confirmation' });

  async execute(): Promise<number> {
    if (!this.force) {
      const { root, runroot } = this.engine.paths;
      this.write(`WARNING! This will remove:\n        - all containers\n        - all images\n        - all networks\n        - all volumes\n        - the graphRoot directory: ${JSON.stringify(root)}\n        - the runRoot directory: ${JSON.stringify(runroot)}\nAre you sure you want to continue? [y/N] `);
      if (!/^y/i.test(await this.readLine())) return 0;
    }
    const failures = await this.engine.systemReset();
    for (const f of failures) this.context.stderr.write(`Error: ${f}\n`);
    return failures.length ? 125 : 0;
  }
}
