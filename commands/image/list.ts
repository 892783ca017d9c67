import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { ago, humanSize } from '../../src/human-units';
import { InvalidArgumentError } from '../../src/errors';
import type { ListSpec } from '../format/list-printer';
import type { ImageSummary } from '../../libpod/entities';

interface Row {
  Repository: string;
  Tag: string;
  ID: string;
  Created: string;
  CreatedAt: string;
  Size: string;
  Digest: string;
  /** images --history: the names the image had, most recent first. */
  History: string;
  /** For --sort: the image's creation time and size as numbers. */
  created: number;
  size: number;
}

const SORT_KEYS = ['created', 'id', 'repository', 'size', 'tag'];

/** images --sort, as Podman orders: created newest first, the others ascending (repository, then tag). */
function sortRows(list: Row[], key: string): Row[] {
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  const by: Record<string, (a: Row, b: Row) => number> = {
    created: (a, b) => cmp(b.created, a.created),
    id: (a, b) => cmp(a.ID, b.ID),
    repository: (a, b) => cmp(a.Repository, b.Repository) || cmp(a.Tag, b.Tag),
    size: (a, b) => cmp(a.size, b.size),
    tag: (a, b) => cmp(a.Tag, b.Tag),
  };
  return [...list].sort(by[key]);
}

function rows(images: ImageSummary[], noTrunc: boolean): Row[] {
  return images.flatMap((img) => {
    const id = noTrunc ? `sha256:${img.Id}` : img.Id.slice(0, 12);
    const base = { ID: id, Created: ago(img.Created * 1000), CreatedAt: img.CreatedAt, Size: humanSize(img.Size), Digest: img.Digest, History: (img.History ?? []).join(', '), created: img.Created, size: img.Size };
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
  all = Option.Boolean('-a,--all', false, { description: 'show all images, the build cache\'s step images too' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'display only image IDs' });
  noTrunc = Option.Boolean('--no-trunc', false, { description: 'do not truncate output' });
  noHeading = Option.Boolean('-n,--noheading', false, { description: 'do not print column headings' });
  format = Option.String('--format', { description: 'json, or a Go template such as {{.Repository}}:{{.Tag}}' });
  digests = Option.Boolean('--digests', false, { description: 'show digests' });
  history = Option.Boolean('--history', false, { description: 'show the names each image had, most recent first' });
  filter = Option.Array('-f,--filter', [], { description: 'reference=, dangling=, label=, before=, since=, id=' });
  sort = Option.String('--sort', 'created', { description: `order by ${SORT_KEYS.join(', ')} (default created, newest first)` });
  name = Option.String({ required: false });

  async execute(): Promise<number> {
    if (!SORT_KEYS.includes(this.sort)) throw new InvalidArgumentError(`invalid --sort "${this.sort}": use one of ${SORT_KEYS.join(', ')}`);
    const images = this.engine.images.listImages({ name: this.name, filters: this.filter, all: this.all });
    const columns: ListSpec<Row>['columns'] = [
      ['REPOSITORY', (r) => r.Repository],
      ['TAG', (r) => r.Tag],
      ...(this.digests ? [['DIGEST', (r: Row) => r.Digest] as [string, (r: Row) => string]] : []),
      ['IMAGE ID', (r) => r.ID],
      ['CREATED', (r) => r.Created],
      ['SIZE', (r) => r.Size],
      ...(this.history ? [['HISTORY', (r: Row) => r.History || '<none>'] as [string, (r: Row) => string]] : []),
    ];
    const list = sortRows(rows(images, this.noTrunc), this.sort);
    // -q: an image with several names is one ID.
    const shown = this.quiet ? list.filter((r, i) => list.findIndex((o) => o.ID === r.ID) === i) : list;
    return this.printList(shown, { format: this.format, noHeading: this.noHeading, quiet: this.quiet ? (r) => r.ID : undefined, json: () => images, columns });
  }
}
