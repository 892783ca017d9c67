import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';
import { refusedOption } from '../refused-option';
import { latestFlag } from './select-flags';

export default class ContainerExecCommand extends TspodCommand {
  static override paths = [['exec'], ['container', 'exec']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Run a process in a running container',
    details: "tspod exits with the process's exit code (126 when it cannot be run, 127 when it is not found). With --latest or --cidfile the first word is the command.",
    examples: [['A shell', '$0 exec -it web sh'], ['One command as another user', '$0 exec -u www-data web id'], ['In the background', '$0 exec -d web touch /tmp/flag']],
  });
  interactive = Option.Boolean('-i,--interactive', false, { description: 'keep stdin open' });
  tty = Option.Boolean('-t,--tty', false, { description: 'allocate a pseudo-terminal' });
  detach = Option.Boolean('-d,--detach', false, { description: 'start the process in the background and return at once' });
  env = Option.Array('-e,--env', [], { description: 'set an environment variable' });
  envFile = Option.Array('--env-file', [], { description: 'read environment variables from a file' });
  user = Option.String('-u,--user', { description: 'user[:group] to run as' });
  workdir = Option.String('-w,--workdir', { description: 'working directory inside the container' });
  privileged = Option.Boolean('--privileged', false, { description: 'give the process every capability' });
  latest = latestFlag();
  cidfile = Option.String('--cidfile', { description: 'read the container ID from this file' });
  noSession = Option.Boolean('--no-session', false, { description: 'keep no record of the exec session (tspod never keeps one)' });
  detachKeys = refusedOption('exec', '--detach-keys');
  preserveFds = refusedOption('exec', '--preserve-fds');
  preserveFd = refusedOption('exec', '--preserve-fd');
  name = Option.String();
  command = Option.Proxy();

  /** The container, and the command's words: with --latest or --cidfile the first positional is the command. */
  private target(): { container: string | { latest: true } | { cidFile: string }; command: string[] } {
    if (this.latest && this.cidfile !== undefined) throw new InvalidArgumentError('--latest and --cidfile cannot be used together: choose one');
    if (this.latest) return { container: { latest: true }, command: [this.name, ...this.command] };
    if (this.cidfile !== undefined) return { container: { cidFile: this.cidfile }, command: [this.name, ...this.command] };
    return { container: this.name, command: this.command };
  }

  override namespaceContainer(): string {
    const { container } = this.target();
    return typeof container === 'string' ? container : this.engine.containers.execTarget(container).id;
  }

  async execute(): Promise<number> {
    const { container, command } = this.target();
    const opts = { interactive: this.interactive, tty: this.tty, env: this.env, envFiles: this.envFile, user: this.user, workdir: this.workdir, privileged: this.privileged, detach: this.detach };
    return this.engine.containers.exec(container, command, opts);
  }
}
