import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeIo } from './lifecycle-flags';

export default class ComposePauseCommand extends ComposeCommand {
  static override paths = [['compose', 'pause']];
  static override usage = Command.Usage({
    description: 'Pause services',
    examples: [['Pause the web service', '$0 compose pause web']],
  });
  services = Option.Rest();

  async execute(): Promise<number> {
    await this.engine.compose.pause(this.project, this.services, true, composeIo(this.context));
    return 0;
  }
}
