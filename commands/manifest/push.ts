import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { refusedOption } from '../refused-option';
import { progressFor } from '../../src/progress';

const refused = (name: string) => refusedOption('manifest push', name);

export default class ManifestPushCommand extends TspodCommand {
  static override paths = [['manifest', 'push']];
  static override usage = Command.Usage({
    description: 'Push a manifest list or image index to a registry',
    details: "The list's images go first, each by its digest into the destination's repository (unless --all=false), then the list under the destination's tag.",
    examples: [['To a registry', '$0 manifest push localhost/app registry.example.com/team/app:1']],
  });
  all = Option.Boolean('--all', true, { description: "push the list's images too (default true)" });
  authfile = Option.String('--authfile', { description: 'path of the authentication file' });
  creds = Option.String('--creds', { description: 'USERNAME:PASSWORD for the registry' });
  digestfile = Option.String('--digestfile', { description: "write the list's digest to this file" });
  format = Option.String('-f,--format', { description: 'the list type to push: oci or v2s2 (default the list\'s own)' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'suppress progress output' });
  rm = Option.Boolean('--rm,-p,--purge', false, { description: 'remove the local list once pushed' });
  removeSignatures = Option.Boolean('--remove-signatures', false, { description: 'copy no signatures (tspod never copies them)' });
  tlsVerify = Option.Boolean('--tls-verify', { description: 'require HTTPS and verify certificates (default true)' });
  addCompression = refused('--add-compression');
  certDir = Option.String('--cert-dir', { description: "directory of the registry's certificates (*.crt, *.cert, *.key)" });
  compressionFormat = refused('--compression-format');
  compressionLevel = refused('--compression-level');
  forceCompression = refused('--force-compression');
  signBy = refused('--sign-by');
  signBySigstore = refused('--sign-by-sigstore');
  signBySigstoreKey = refused('--sign-by-sigstore-private-key');
  signBySq = refused('--sign-by-sq-fingerprint');
  signPassphrase = refused('--sign-passphrase-file');
  name = Option.String();
  destination = Option.String({ required: false });

  async execute(): Promise<number> {
    await this.engine.images.manifestPush(this.name, this.destination, {
      all: this.all, authFile: this.authfile, creds: this.creds, digestFile: this.digestfile, format: this.format, rm: this.rm, tlsVerify: this.tlsVerify, certDir: this.certDir,
      progress: progressFor(process.stderr, this.quiet),
    });
    return 0;
  }
}
