import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { ago, formatTable, humanSize } from '../../src/human-units';
import { formatOutput } from '../../src/go-template';

export default class ImageHistoryCommand extends TspodCommand {
  static override paths = [['history'], ['image', 'history']];
  static override usage = Command.Usage({
    description: 'Show the history of an image',
    examples: [['How an image was built', '$0 history debian']],
  });
  noTrunc = Option.Boolean('--no-trunc', false, { description: 'do not truncate output' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'display only the image ID' });
  format = Option.String('--format', { description: 'json, or a Go template' });
  name = Option.String();

  async execute(): Promise<number> {
    const rows = this.engine.images.imageHistory(this.name);
    if (this.format) {
      // Templates name Podman's fields (.ID .Created .CreatedBy .Size .Comment); JSON keeps the raw values.
      const fields = (r: (typeof rows)[number]) => ({ ...r, ID: r.id || '<missing>', Created: r.created ? ago(Date.parse(r.created)) : '', CreatedBy: r.createdBy, Size: humanSize(r.size), Comment: r.comment });
      this.write(this.format === 'json' ? formatOutput(rows, 'json') : rows.map((r) => formatOutput(fields(r), this.format!)).join(''));
      return 0;
    }
    const id = (r: { id: string }) => (r.id ? (this.noTrunc ? r.id : r.id.slice(0, 12)) : '<missing>');
    if (this.quiet) {
      this.write(rows.map((r) => `${id(r)}\n`).join(''));
      return 0;
    }
    const by = (s: string) => (this.noTrunc || s.length <= 45 ? s : `${s.slice(0, 42)}...`);
    this.write(formatTable(['ID', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'], rows.map((r) => [id(r), r.created ? ago(Date.parse(r.created)) : '', by(r.createdBy), humanSize(r.size), r.comment])));
    return 0;
  }
}
