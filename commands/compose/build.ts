import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';

export default class ComposeBuildCommand extends ComposeCommand {
  static override paths = [['compose', 'build']];
  static override usage = Command.Usage({
    description: 'Build or rebuild services',
    details: "Each service with build: (all when none are named): its context, dockerfile or dockerfile_inline, args, target, labels, secrets and tags. The image is named by the service's image:, else <project>-<service>. cache_from is ignored (tspod's own layer cache is used).",
    examples: [['Build everything', '$0 compose build'], ['Without the cache, one service', '$0 compose build --no-cache web'], ['With a build argument', '$0 compose build --build-arg VERSION=2 web']],
  });
  noCache = Option.Boolean('--no-cache', false, { description: 'do not use the cache when building the image' });
  pull = Option.Boolean('--pull', false, { description: 'always pull a newer version of the base images' });
  buildArg = Option.Array('--build-arg', [], { description: 'set a build-time variable (K=V, or K from the environment)' });
  quiet = Option.Boolean('-q,--quiet', false, { description: "don't print anything" });
  services = Option.Rest({ name: 'service' });

  async execute(): Promise<number> {
    const flags = { noCache: this.noCache, pull: this.pull, buildArgs: this.buildArg, quiet: this.quiet };
    const built = await this.engine.compose.build(this.project, this.services, flags, process.stderr, process.stderr);
    if (!this.quiet) for (const b of built) process.stderr.write(` ${b.service} Built (${b.image})\n`);
    return 0;
  }
}
