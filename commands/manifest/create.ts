import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ManifestCreateCommand extends TspodCommand {
  static override paths = [['manifest', 'create']];
  static override usage = Command.Usage({
    description: 'Create a manifest list or image index',
    details: 'The list is local until `manifest push` sends it. Images named without a transport are local images when the store has them, else registry references (docker://NAME and containers-storage:NAME say which).',
    examples: [['A list of two local images', '$0 manifest create localhost/app localhost/app:amd64 localhost/app:arm64']],
  });
  all = Option.Boolean('--all', false, { description: 'add every entry of the images that are lists' });
  amend = Option.Boolean('-a,--amend', false, { description: 'add to the list of that name if there is one' });
  annotation = Option.Array('--annotation', [], { description: 'an annotation of the index: KEY=VALUE' });
  tlsVerify = Option.Boolean('--tls-verify', { description: 'require HTTPS and verify certificates (default true)' });
  name = Option.String();
  images = Option.Rest();

  async execute(): Promise<number> {
    this.write(`${await this.engine.images.manifestCreate(this.name, this.images, { all: this.all, amend: this.amend, annotations: this.annotation, tlsVerify: this.tlsVerify })}\n`);
    return 0;
  }
}
