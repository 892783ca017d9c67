import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeIo, parseTimeout } from './lifecycle-flags';

export default class ComposeRestartCommand extends ComposeCommand {
  static override paths = [['compose', 'restart']];
  static override usage = Command.Usage({
    description: 'Restart service containers',
    details: "Stops and starts the services' containers again, in dependency order; a changed compose file is not applied (use up for that).",
    examples: [['Restart the web service', '$0 compose restart web']],
  });
  timeout = Option.String('-t,--timeout', { description: 'seconds to wait for containers to stop before killing them' });
  services = Option.Rest();

  async execute(): Promise<number> {
    await this.engine.compose.restart(this.project, this.services, parseTimeout(this.timeout), composeIo(this.context));
    return 0;
  }
}
