import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';

export default class ComposePullCommand extends ComposeCommand {
  static override paths = [['compose', 'pull']];
  static override usage = Command.Usage({
    description: 'Pull service images',
    details: 'Each service with an image: (all when none are named). Services that are only built are skipped; a pull that fails for a service that can also be built is a warning.',
    examples: [['Every image', '$0 compose pull'], ['Quietly, one service and what it depends on', '$0 compose pull -q --include-deps web']],
  });
  ignorePullFailures = Option.Boolean('--ignore-pull-failures', false, { description: 'pull what it can and ignore images that fail' });
  includeDeps = Option.Boolean('--include-deps', false, { description: 'also pull the services the named ones depend on' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'pull without printing progress information' });
  services = Option.Rest({ name: 'service' });

  async execute(): Promise<number> {
    return this.engine.compose.pull(this.project, this.services, { ignoreFailures: this.ignorePullFailures, includeDeps: this.includeDeps, quiet: this.quiet }, process.stderr);
  }
}
