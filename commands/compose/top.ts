import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeTarget } from './compose-target';
import { formatTable } from '../../src/human-units';

export default class ComposeTopCommand extends ComposeCommand {
  static override paths = [['compose', 'top']];
  static override needsUserNamespace = false;
  static override usage = Command.Usage({
    description: 'Display the running processes',
    details: 'For each running container of the services (all when none are named): its name, then its processes.',
    examples: [['Every service', '$0 compose top'], ['One', '$0 compose top web']],
  });
  services = Option.Rest({ name: 'service' });

  async execute(): Promise<number> {
    const tops = this.engine.compose.top(composeTarget(this), this.services);
    this.write(tops.map((t) => `${t.name}\n${formatTable(t.rows[0] ?? [], t.rows.slice(1))}`).join('\n'));
    return 0;
  }
}
