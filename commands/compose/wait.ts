import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeTarget } from './compose-target';

export default class ComposeWaitCommand extends ComposeCommand {
  static override paths = [['compose', 'wait']];
  static override needsUserNamespace = false;
  static override usage = Command.Usage({
    description: 'Block until the first service container stops',
    details: "tspod exits with that container's exit code.",
    examples: [['Wait for a one-shot job', '$0 compose wait job']],
  });
  services = Option.Rest({ required: 1, name: 'service' });

  async execute(): Promise<number> {
    return this.engine.compose.wait(composeTarget(this), this.services);
  }
}
