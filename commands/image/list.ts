import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { compileTemplate } from '../../src/go-template';
import { ago, formatTable, humanSize } from '../../src/human-units';
import type { ImageSummary } from '../../libpod/image-engine';

interface Row {
  Repository: string;
  Tag: string;
  ID: string;
  Created: string;
  CreatedAt: string;
  Size: string;
  Digest: string;
}

function rows(images: ImageSummary[], noTrunc: boolean): Row[] {
  return images.flatMap((img) => {
    const id = noTrunc ? `sha256:${img.Id}` : img.Id.slice(0, 12);
    const base = { ID: id, Created: ago(img.Created * 1000), CreatedAt: img.CreatedAt, Size: humanSize(img.Size), Digest: img.Digest };
    if (img.Names.length === 0) return [{ Repository: '<none>', Tag: '<none>', ...base }];
    return img.Names.map((n) => {
      const at = n.lastIndexOf(':');
      const slash = n.lastIndexOf('/');
      return at > slash ? { Repository: n.slice(0, at), Tag: n.slice(at + 1), ...base } : { Repository: n, Tag: '<none>', ...base };
    });
  });
}

export default class ImagesCommand extends TspodCommand {
  static override paths = [['images'], ['image', 'list'], ['image', 'ls']];
  static override usage = Command.Usage({
    description: 'List images in local storage',
    examples: [
      ['All images', '$0 images'],
      ['Names only', "$0 images --format '{{.Repository}}:{{.Tag}}'"],
    ],
  });
  all = Option.Boolean('-a,--all', false, { description: 'show all images (tspod keeps no intermediate images, so the same list)' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'display only image IDs' });
  noTrunc = Option.Boolean('--no-trunc', false, { description: 'do not truncate output' });
  noHeading = Option.Boolean('-n,--noheading', false, { description: 'do not print column headings' });
  format = Option.String('--format', { description: 'json, or a Go template such as {{.Repository}}:{{.Tag}}' });
  digests = Option.Boolean('--digests', false, { description: 'show digests' });
  filter = Option.Array('-f,--filter', [], { description: 'reference=, dangling=, label=, before=, since=, id=' });
  name = Option.String({ required: false });

  async execute(): Promise<number> {
    const images = this.engine.images.listImages({ name: this.name, filters: this.filter });
    if (this.format === 'json') {
      this.write(`${JSON.stringify(images, null, 4)}\n`);
      return 0;
    }
    if (this.quiet) {
      this.write([...new Set(images.map((i) => (this.noTrunc ? `sha256:${i.Id}` : i.Id.slice(0, 12))))].map((id) => `${id}\n`).join(''));
      return 0;
    }
    const list = rows(images, this.noTrunc);
    if (this.format) {
      const render = compileTemplate(this.format);
      this.write(list.map((r) => `${render(r)}\n`).join(''));
      return 0;
    }
    const table = this.digests
      ? formatTable(['REPOSITORY', 'TAG', 'DIGEST', 'IMAGE ID', 'CREATED', 'SIZE'], list.map((r) => [r.Repository, r.Tag, r.Digest, r.ID, r.Created, r.Size]))
      : formatTable(['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'], list.map((r) => [r.Repository, r.Tag, r.ID, r.Created, r.Size]));
    this.write(this.noHeading ? table.split('\n').slice(1).join('\n') : table);
    return 0;
  }
}
