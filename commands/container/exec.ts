import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ContainerExecCommand extends TspodCommand {
  static override paths = [['exec'], ['container', 'exec']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Run a process in a running container',
    details: "tspod exits with the process's exit code (126 when it cannot be run, 127 when it is not found).",
    examples: [['A shell', '$0 exec -it web sh'], ['One command as another user', '$0 exec -u www-data web id']],
  });
  interactive = Option.Boolean('-i,--interactive', false, { description: 'keep stdin open' });
  tty = Option.Boolean('-t,--tty', false, { description: 'allocate a pseudo-terminal' });
  env = Option.Array('-e,--env', [], { description: 'set an environment variable' });
  envFile = Option.Array('--env-file', [], { description: 'read environment variables from a file' });
  user = Option.String('-u,--user', { description: 'user[:group] to run as' });
  workdir = Option.String('-w,--workdir', { description: 'working directory inside the container' });
  name = Option.String();
  command = Option.Proxy();

  override namespaceContainer(): string {
    return this.name;
  }

  async execute(): Promise<number> {
    return this.engine.containers.exec(this.name, this.command, { interactive: this.interactive, tty: this.tty, env: this.env, envFiles: this.envFile, user: this.user, workdir: this.workdir });
  }
}
