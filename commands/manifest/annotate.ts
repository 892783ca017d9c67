import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { refusedOption } from '../refused-option';

export default class ManifestAnnotateCommand extends TspodCommand {
  static override paths = [['manifest', 'annotate']];
  static override usage = Command.Usage({
    description: 'Add or update information about an entry in a manifest list or image index',
    details: 'The entry is named by its digest (see `manifest inspect`) or by the local image it was added from; with --index the annotations go to the index itself.',
    examples: [['Mark an entry arm64/v8', '$0 manifest annotate --arch arm64 --variant v8 localhost/app sha256:...']],
  });
  annotation = Option.Array('--annotation', [], { description: 'an annotation: KEY=VALUE' });
  arch = Option.String('--arch', { description: 'the architecture of the entry' });
  features = Option.Array('--features', [], { description: 'a platform feature of the entry' });
  index = Option.Boolean('--index', false, { description: 'annotate the index itself' });
  os = Option.String('--os', { description: 'the OS of the entry' });
  osFeatures = Option.Array('--os-features', [], { description: 'an OS feature of the entry' });
  osVersion = Option.String('--os-version', { description: 'the OS version of the entry' });
  variant = Option.String('--variant', { description: 'the architecture variant of the entry' });
  subject = refusedOption('manifest annotate', '--subject');
  name = Option.String();
  instance = Option.String({ required: false });

  async execute(): Promise<number> {
    const id = await this.engine.images.manifestAnnotate(this.name, this.instance, {
      annotations: this.annotation, arch: this.arch, features: this.features, index: this.index, os: this.os, osFeatures: this.osFeatures, osVersion: this.osVersion, variant: this.variant,
    });
    this.write(`${id}\n`);
    return 0;
  }
}
