import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { progressFor } from '../../src/progress';

export default class PullCommand extends TspodCommand {
  static override paths = [['pull'], ['image', 'pull']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Pull an image from a registry',
    details: 'Short names are resolved through registries.conf (aliases, then unqualified-search-registries); mirrors are tried before the registry itself. Layers already stored are not downloaded again, and a download cut off half-way resumes where it stopped.',
    examples: [
      ['Pull Debian', '$0 pull debian'],
      ['Another architecture', '$0 pull --platform linux/arm64 docker.io/library/alpine'],
    ],
  });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'suppress progress output' });
  platform = Option.String('--platform', { description: 'os/arch[/variant] to pull from a multi-platform image' });
  arch = Option.String('--arch', { description: 'architecture to pull (default: this host)' });
  os = Option.String('--os', { description: 'operating system to pull (default: linux)' });
  variant = Option.String('--variant', { description: 'architecture variant, e.g. v8' });
  creds = Option.String('--creds', { description: 'USERNAME:PASSWORD for the registry' });
  authfile = Option.String('--authfile', { description: 'path of the authentication file' });
  certDir = Option.String('--cert-dir', { description: "directory of the registry's certificates (*.crt, *.cert, *.key)" });
  retry = Option.String('--retry', { description: 'how often a failed request or download is tried again (default 4)' });
  retryDelay = Option.String('--retry-delay', { description: 'pause between tries (e.g. 2s; default doubling from 200ms)' });
  tlsVerify = Option.Boolean('--tls-verify', { description: 'require HTTPS and verify certificates (default true; false allows plain HTTP)' });
  name = Option.String();

  async execute(): Promise<number> {
    const progress = progressFor(process.stderr, this.quiet);
    const image = await this.engine.images.pullImage(this.name, {
      platform: this.platform,
      os: this.os,
      arch: this.arch,
      variant: this.variant,
      creds: this.creds,
      authFile: this.authfile,
      tlsVerify: this.tlsVerify,
      certDir: this.certDir,
      retry: this.retry,
      retryDelay: this.retryDelay,
      progress,
    });
    this.write(`${image.id.slice(7)}\n`);
    return 0;
  }
}
