import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeIo, parseScale } from './lifecycle-flags';

export default class ComposeCreateCommand extends ComposeCommand {
  static override paths = [['compose', 'create']];
  static override usage = Command.Usage({
    description: 'Creates containers for a service',
    details: "As `compose up --no-start`: networks, volumes, images and the services' containers are made, none is started.",
    examples: [['Create the project without starting it', '$0 compose create']],
  });
  build = Option.Boolean('--build', false, { description: 'build images before starting containers' });
  noBuild = Option.Boolean('--no-build', false, { description: "don't build an image, even if it's missing" });
  pull = Option.String('--pull', { description: 'pull images before running: always, missing, never, build' });
  quietPull = Option.Boolean('--quiet-pull', false, { description: 'pull without printing progress (tspod prints none)' });
  forceRecreate = Option.Boolean('--force-recreate', false, { description: "recreate containers even if their configuration hasn't changed" });
  noRecreate = Option.Boolean('--no-recreate', false, { description: "if containers already exist, don't recreate them" });
  removeOrphans = Option.Boolean('--remove-orphans', false, { description: 'remove containers for services not defined in the compose file' });
  scale = Option.Array('--scale', [], { description: 'scale SERVICE to NUM instances (SERVICE=NUM)' });
  services = Option.Rest();

  async execute(): Promise<number> {
    await this.engine.compose.create(
      this.project,
      {
        services: this.services,
        detach: true,
        build: this.build,
        noBuild: this.noBuild,
        pull: this.pull,
        forceRecreate: this.forceRecreate,
        noRecreate: this.noRecreate,
        noDeps: false,
        removeOrphans: this.removeOrphans,
        scale: parseScale(this.scale),
        noStart: true,
        wait: false,
        abortOnContainerExit: false,
        noLogPrefix: false,
        noColor: false,
        timestamps: false,
      },
      composeIo(this.context),
    );
    return 0;
  }
}
