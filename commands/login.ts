import { Command, Option } from 'clipanion';
import { TspodCommand } from './tspod-command';
import { InvalidArgumentError } from '../src/errors';
import { askOnTerminal } from '../src/prompt';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export default class LoginCommand extends TspodCommand {
  static override paths = [['login']];
  static override usage = Command.Usage({
    description: 'Log in to a container registry',
    details: 'The credentials are checked against the registry, then stored in an auth.json that Podman reads too ($XDG_RUNTIME_DIR/containers/auth.json, mode 0600, or --authfile).',
    examples: [
      ['On a terminal (asks for the username and, not echoed, the password)', '$0 login registry.example.com'],
      ['From a script', 'echo "$TOKEN" | $0 login -u ci --password-stdin registry.example.com'],
    ],
  });
  username = Option.String('-u,--username', { description: 'username' });
  password = Option.String('-p,--password', { description: 'password (prefer --password-stdin)' });
  passwordStdin = Option.Boolean('--password-stdin', false, { description: 'read the password from standard input' });
  authfile = Option.String('--authfile', { description: 'path of the authentication file' });
  tlsVerify = Option.Boolean('--tls-verify', { description: 'require HTTPS (default true)' });
  certDir = Option.String('--cert-dir', { description: "directory of the registry's certificates (*.crt, *.cert, *.key)" });
  registry = Option.String();

  async execute(): Promise<number> {
    if (this.passwordStdin && this.password) throw new InvalidArgumentError('--password and --password-stdin are mutually exclusive');
    // On a terminal, as Podman's: what is not given is asked for, the password without echo.
    const terminal = process.stdin.isTTY && !this.passwordStdin ? { input: process.stdin, output: this.context.stdout } : null;
    const username = this.username ?? (terminal ? await askOnTerminal('Username: ', false, terminal) : undefined);
    if (!username) throw new InvalidArgumentError('a username is needed: tspod login -u USER --password-stdin REGISTRY (or run it on a terminal, which asks)');
    const password = this.passwordStdin ? await readStdin() : (this.password ?? (terminal ? await askOnTerminal('Password: ', true, terminal) : undefined));
    if (!password) throw new InvalidArgumentError('a password is needed: give it on standard input with --password-stdin (or run it on a terminal, which asks)');
    await this.engine.images.login(this.registry, { username, password }, { authFile: this.authfile, tlsVerify: this.tlsVerify, certDir: this.certDir });
    this.write('Login Succeeded!\n');
    return 0;
  }
}
