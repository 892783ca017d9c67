import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeIo } from './lifecycle-flags';

export default class ComposeUnpauseCommand extends ComposeCommand {
  static override paths = [['compose', 'unpause']];
  static override usage = Command.Usage({
    description: 'Unpause services',
    examples: [['Unpause the web service', '$0 compose unpause web']],
  });
  services = Option.Rest();

  async execute(): Promise<number> {
    await this.engine.compose.pause(this.project, this.services, false, composeIo(this.context));
    return 0;
  }
}
