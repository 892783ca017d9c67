import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeIo, parseTimeout } from './lifecycle-flags';

export default class ComposeStopCommand extends ComposeCommand {
  static override paths = [['compose', 'stop']];
  static override usage = Command.Usage({
    description: 'Stop services',
    details: "Stops the services' running containers in reverse dependency order, without removing them.",
    examples: [['Stop everything at once', '$0 compose stop -t 0']],
  });
  timeout = Option.String('-t,--timeout', { description: 'seconds to wait for containers to stop before killing them' });
  services = Option.Rest();

  async execute(): Promise<number> {
    await this.engine.compose.stop(this.project, this.services, parseTimeout(this.timeout), composeIo(this.context));
    return 0;
  }
}
