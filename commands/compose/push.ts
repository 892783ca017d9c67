import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';

export default class ComposePushCommand extends ComposeCommand {
  static override paths = [['compose', 'push']];
  static override usage = Command.Usage({
    description: 'Push service images',
    details: 'Each service that is built and named (build: and image:), to the registry its image: names.',
    examples: [['Push them', '$0 compose push'], ['One service', '$0 compose push web']],
  });
  ignorePushFailures = Option.Boolean('--ignore-push-failures', false, { description: 'push what it can and ignore images that fail' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'push without printing progress information' });
  services = Option.Rest({ name: 'service' });

  async execute(): Promise<number> {
    return this.engine.compose.push(this.project, this.services, { ignoreFailures: this.ignorePushFailures, quiet: this.quiet }, process.stderr);
  }
}
