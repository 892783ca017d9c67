import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeIo } from './lifecycle-flags';

export default class ComposeStartCommand extends ComposeCommand {
  static override paths = [['compose', 'start']];
  static override usage = Command.Usage({
    description: 'Start services',
    details: "Starts the services' existing containers in dependency order, each after its dependencies meet their depends_on condition.",
    examples: [['Start the web service', '$0 compose start web']],
  });
  services = Option.Rest();

  async execute(): Promise<number> {
    await this.engine.compose.start(this.project, this.services, composeIo(this.context));
    return 0;
  }
}
