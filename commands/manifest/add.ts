import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { refusedOption } from '../refused-option';

const refused = (name: string) => refusedOption('manifest add', name);

export default class ManifestAddCommand extends TspodCommand {
  static override paths = [['manifest', 'add']];
  static override usage = Command.Usage({
    description: 'Add images to a manifest list or image index',
    details: 'A local image is added with the manifest `push` writes for it; a registry image with its manifest there (an index gives the entry for the platform asked, or all with --all). Names without a transport are local images when the store has them, else registry references.',
    examples: [
      ['A local image, as arm64', '$0 manifest add --arch arm64 localhost/app localhost/app:arm64'],
      ['Every platform of a registry image', '$0 manifest add --all localhost/app docker://registry.example.com/app:1'],
    ],
  });
  all = Option.Boolean('--all', false, { description: "add every entry of an image that is a list" });
  annotation = Option.Array('--annotation', [], { description: 'an annotation of the added image: KEY=VALUE' });
  arch = Option.String('--arch', { description: 'the architecture to record (and to choose from a list)' });
  os = Option.String('--os', { description: 'the OS to record (and to choose from a list)' });
  variant = Option.String('--variant', { description: 'the architecture variant to record (and to choose from a list)' });
  osVersion = Option.String('--os-version', { description: 'the OS version to record' });
  features = Option.Array('--features', [], { description: 'a platform feature to record' });
  authfile = Option.String('--authfile', { description: 'path of the authentication file' });
  creds = Option.String('--creds', { description: 'USERNAME:PASSWORD for the registry' });
  tlsVerify = Option.Boolean('--tls-verify', { description: 'require HTTPS and verify certificates (default true)' });
  certDir = Option.String('--cert-dir', { description: "directory of the registry's certificates (*.crt, *.cert, *.key)" });
  artifact = refused('--artifact');
  artifactConfig = refused('--artifact-config');
  artifactConfigType = refused('--artifact-config-type');
  artifactExcludeTitles = refused('--artifact-exclude-titles');
  artifactLayerType = refused('--artifact-layer-type');
  artifactSubject = refused('--artifact-subject');
  artifactType = refused('--artifact-type');
  name = Option.String();
  images = Option.Rest();

  async execute(): Promise<number> {
    const id = await this.engine.images.manifestAdd(this.name, this.images, {
      all: this.all, annotations: this.annotation, arch: this.arch, os: this.os, variant: this.variant, osVersion: this.osVersion, features: this.features,
      authFile: this.authfile, creds: this.creds, tlsVerify: this.tlsVerify, certDir: this.certDir,
    });
    this.write(`${id}\n`);
    return 0;
  }
}
