import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ManifestInspectCommand extends TspodCommand {
  static override paths = [['manifest', 'inspect']];
  static override usage = Command.Usage({
    description: 'Display the contents of a manifest list or image index',
    details: 'A local list is shown as it would be pushed; any other name is read from its registry.',
    examples: [['A local list', '$0 manifest inspect localhost/app'], ['A registry image', '$0 manifest inspect docker.io/library/busybox']],
  });
  authfile = Option.String('--authfile', { description: 'path of the authentication file' });
  tlsVerify = Option.Boolean('--tls-verify', { description: 'require HTTPS and verify certificates (default true)' });
  name = Option.String();

  async execute(): Promise<number> {
    this.write(`${await this.engine.images.manifestInspect(this.name, { authFile: this.authfile, tlsVerify: this.tlsVerify })}\n`);
    return 0;
  }
}
