import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { progressFor } from '../../src/progress';

export default class PushCommand extends TspodCommand {
  static override paths = [['push'], ['image', 'push']];
  static override usage = Command.Usage({
    description: 'Push an image to a registry',
    details: 'Layers the registry already has are not sent again, and layers it holds in another repository are linked there (cross-repository mount). The blobs sent are the ones pulled or imported, so the image keeps its ID and digests.',
    examples: [['Push under a new name', '$0 push debian 127.0.0.1:5000/team/debian:12']],
  });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'suppress progress output' });
  creds = Option.String('--creds', { description: 'USERNAME:PASSWORD for the registry' });
  authfile = Option.String('--authfile', { description: 'path of the authentication file' });
  tlsVerify = Option.Boolean('--tls-verify', { description: 'require HTTPS and verify certificates (default true)' });
  certDir = Option.String('--cert-dir', { description: "directory of the registry's certificates (*.crt, *.cert, *.key)" });
  retry = Option.String('--retry', { description: 'how often a failed request is tried again (default 4)' });
  retryDelay = Option.String('--retry-delay', { description: 'pause between tries (e.g. 2s; default doubling from 200ms)' });
  digestfile = Option.String('--digestfile', { description: 'write the digest of the pushed manifest to this file' });
  source = Option.String();
  destination = Option.String({ required: false });

  async execute(): Promise<number> {
    const progress = progressFor(process.stderr, this.quiet);
    await this.engine.images.pushImage(this.source, this.destination, { creds: this.creds, authFile: this.authfile, tlsVerify: this.tlsVerify, certDir: this.certDir, retry: this.retry, retryDelay: this.retryDelay, digestFile: this.digestfile, progress });
    return 0;
  }
}
