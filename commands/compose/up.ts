import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeIo, parseScale, parseTimeout } from './lifecycle-flags';

export default class ComposeUpCommand extends ComposeCommand {
  static override paths = [['compose', 'up']];
  static override usage = Command.Usage({
    description: 'Create and start containers',
    details: "Makes the project's networks and volumes, builds or pulls images, creates or recreates (when their configuration changed) the services' containers and starts them in dependency order. Without -d it prints their output, each line prefixed with the container's name, until they exit; ctrl-c stops them.",
    examples: [['Start the project in the background', '$0 compose up -d'], ['Run three web containers', '$0 compose up -d --scale web=3']],
  });
  detach = Option.Boolean('-d,--detach', false, { description: 'run the containers in the background' });
  build = Option.Boolean('--build', false, { description: 'build images before starting containers' });
  noBuild = Option.Boolean('--no-build', false, { description: "don't build an image, even if it's missing" });
  pull = Option.String('--pull', { description: 'pull images before running: always, missing, never, build' });
  quietPull = Option.Boolean('--quiet-pull', false, { description: 'pull without printing progress (tspod prints none)' });
  forceRecreate = Option.Boolean('--force-recreate', false, { description: "recreate containers even if their configuration hasn't changed" });
  noRecreate = Option.Boolean('--no-recreate', false, { description: "if containers already exist, don't recreate them" });
  noDeps = Option.Boolean('--no-deps', false, { description: "don't start linked services" });
  removeOrphans = Option.Boolean('--remove-orphans', false, { description: 'remove containers for services not defined in the compose file' });
  scale = Option.Array('--scale', [], { description: 'scale SERVICE to NUM instances (SERVICE=NUM; overrides scale and deploy.replicas)' });
  noStart = Option.Boolean('--no-start', false, { description: "don't start the services after creating them" });
  wait = Option.Boolean('--wait', false, { description: 'wait for services to be running|healthy (implies -d)' });
  waitTimeout = Option.String('--wait-timeout', { description: 'maximum seconds to wait for the project to be running|healthy' });
  abortOnContainerExit = Option.Boolean('--abort-on-container-exit', false, { description: 'stop all containers if any container was stopped' });
  exitCodeFrom = Option.String('--exit-code-from', { description: 'return the exit code of the selected service container (implies --abort-on-container-exit)' });
  timeout = Option.String('-t,--timeout', { description: 'seconds to wait for containers to stop before killing them' });
  noLogPrefix = Option.Boolean('--no-log-prefix', false, { description: "don't print a prefix in logs" });
  noColor = Option.Boolean('--no-color', false, { description: 'produce monochrome output' });
  timestamps = Option.Boolean('--timestamps', false, { description: 'show timestamps' });
  services = Option.Rest();

  async execute(): Promise<number> {
    const waitTimeout = this.waitTimeout === undefined ? undefined : Number(this.waitTimeout);
    return this.engine.compose.up(
      this.project,
      {
        services: this.services,
        detach: this.detach || this.wait,
        build: this.build,
        noBuild: this.noBuild,
        pull: this.pull,
        forceRecreate: this.forceRecreate,
        noRecreate: this.noRecreate,
        noDeps: this.noDeps,
        removeOrphans: this.removeOrphans,
        scale: parseScale(this.scale),
        noStart: this.noStart,
        wait: this.wait,
        waitTimeout,
        abortOnContainerExit: this.abortOnContainerExit,
        exitCodeFrom: this.exitCodeFrom,
        timeout: parseTimeout(this.timeout),
        noLogPrefix: this.noLogPrefix,
        noColor: this.noColor,
        timestamps: this.timestamps,
      },
      composeIo(this.context),
    );
  }
}
