import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeIo } from './lifecycle-flags';

export default class ComposeKillCommand extends ComposeCommand {
  static override paths = [['compose', 'kill']];
  static override usage = Command.Usage({
    description: 'Force stop service containers',
    examples: [['Send SIGTERM to the web service', '$0 compose kill -s SIGTERM web']],
  });
  signal = Option.String('-s,--signal', 'SIGKILL', { description: 'SIGNAL to send to the container' });
  removeOrphans = Option.Boolean('--remove-orphans', false, { description: 'accepted for Compose compatibility; has no effect on kill' });
  services = Option.Rest();

  async execute(): Promise<number> {
    await this.engine.compose.kill(this.project, this.services, this.signal, composeIo(this.context));
    return 0;
  }
}
