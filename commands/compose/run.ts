import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeIo } from './lifecycle-flags';

export default class ComposeRunCommand extends ComposeCommand {
  static override paths = [['compose', 'run']];
  static override usage = Command.Usage({
    description: 'Run a one-off command on a service',
    details: "Creates a one-off container of the service (named <project>-<service>-run-<id>) after starting its dependencies (unless --no-deps) and runs the command in it; the service's ports are published only with --service-ports. Here -p is --publish, as in Docker Compose: give the project name with --project-name.",
    examples: [['A shell in the web service', '$0 compose run --rm web sh'], ['A command without a terminal', '$0 compose run --rm -T db ls /data']],
  });
  // Docker Compose's run takes -p for --publish: the project name is --project-name here.
  override projectName = Option.String('--project-name', { description: 'project name' });
  detach = Option.Boolean('-d,--detach', false, { description: 'run container in background and print container ID' });
  rm = Option.Boolean('--rm', false, { description: 'automatically remove the container when it exits' });
  env = Option.Array('-e,--env', [], { description: 'set environment variables' });
  volumes = Option.Array('-v,--volume', [], { description: 'bind mount a volume' });
  publish = Option.Array('-p,--publish', [], { description: "publish a container's port(s) to the host" });
  servicePorts = Option.Boolean('-P,--service-ports', false, { description: "run command with all service's ports enabled and mapped to the host" });
  noDeps = Option.Boolean('--no-deps', false, { description: "don't start linked services" });
  entrypoint = Option.String('--entrypoint', { description: 'override the entrypoint of the image' });
  name = Option.String('--name', { description: 'assign a name to the container' });
  user = Option.String('-u,--user', { description: 'run as specified username or uid' });
  workdir = Option.String('-w,--workdir', { description: 'working directory inside the container' });
  noTty = Option.Boolean('-T,--no-TTY', false, { description: 'disable pseudo-TTY allocation (default: auto-detected)' });
  interactive = Option.Boolean('-i,--interactive', true, { description: 'keep STDIN open even if not attached' });
  labels = Option.Array('-l,--label', [], { description: 'add or override a label' });
  build = Option.Boolean('--build', false, { description: 'build image before starting container' });
  pull = Option.String('--pull', { description: 'pull image before running: always, missing, never' });
  removeOrphans = Option.Boolean('--remove-orphans', false, { description: 'remove containers for services not defined in the compose file' });
  quietPull = Option.Boolean('--quiet-pull', false, { description: 'pull without printing progress (tspod prints none)' });
  service = Option.String();
  command = Option.Proxy();

  async execute(): Promise<number> {
    const r = await this.engine.compose.run(
      this.project,
      {
        service: this.service,
        command: this.command,
        rm: this.rm,
        detach: this.detach,
        env: this.env,
        volumes: this.volumes,
        publish: this.publish,
        servicePorts: this.servicePorts,
        noDeps: this.noDeps,
        entrypoint: this.entrypoint,
        name: this.name,
        user: this.user,
        workdir: this.workdir,
        noTty: this.noTty,
        interactive: this.interactive,
        labels: this.labels,
        build: this.build,
        pull: this.pull,
        removeOrphans: this.removeOrphans,
      },
      composeIo(this.context),
    );
    if (r.name) this.context.stdout.write(`${r.name}\n`);
    return r.exitCode;
  }
}
