import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeTarget, parseIndex } from './compose-target';

export default class ComposeExecCommand extends ComposeCommand {
  static override paths = [['compose', 'exec']];
  static override usage = Command.Usage({
    description: 'Execute a command in a running container',
    details: "In the service's first running container (--index picks another). A terminal is allocated when stdin is one, unless -T. tspod exits with the command's exit code.",
    examples: [['A shell', '$0 compose exec db sh'], ['One command, no terminal', '$0 compose exec -T web cat /etc/hostname'], ['As another user', '$0 compose exec -u nobody web id']],
  });
  detach = Option.Boolean('-d,--detach', false, { description: 'run the command in the background' });
  noTty = Option.Boolean('-T,--no-TTY', false, { description: 'do not allocate a pseudo-terminal (default: one when stdin is a terminal)' });
  user = Option.String('-u,--user', { description: 'run the command as this user' });
  workdir = Option.String('-w,--workdir', { description: 'working directory for the command' });
  env = Option.Array('-e,--env', [], { description: 'set an environment variable (K=V)' });
  index = Option.String('--index', { description: 'the container number, when the service has several' });
  privileged = Option.Boolean('--privileged', false, { description: 'give the command extended privileges' });
  interactive = Option.Boolean('-i,--interactive', true, { description: 'keep stdin open (default true)' });
  service = Option.String();
  command = Option.Proxy();

  override namespaceContainer(): string | undefined {
    try {
      return this.engine.compose.serviceContainer(composeTarget(this), this.service, { index: parseIndex(this.index) }).summary.id;
    } catch {
      return undefined; // the error is reported by execute, inside
    }
  }

  async execute(): Promise<number> {
    const tty = !this.noTty && !this.detach && process.stdin.isTTY === true;
    const opts = { interactive: this.interactive && !this.detach, tty, env: this.env, envFiles: [], user: this.user, workdir: this.workdir, privileged: this.privileged, detach: this.detach, index: parseIndex(this.index) };
    return this.engine.compose.exec(composeTarget(this), this.service, this.command, opts);
  }
}
