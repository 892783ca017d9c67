import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { ago, humanSize } from '../../src/human-units';

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
    const layers = this.engine.images.imageHistory(this.name);
    const id = (r: { id: string }) => (r.id ? (this.noTrunc ? r.id : r.id.slice(0, 12)) : '<missing>');
    const by = (s: string) => (this.noTrunc || s.length <= 45 ? s : `${s.slice(0, 42)}...`);
    // Templates name Podman's fields (.ID .Created .CreatedBy .Size .Comment); JSON keeps the raw values.
    const rows = layers.map((r) => ({ ...r, ID: id(r), Created: r.created ? ago(Date.parse(r.created)) : '', CreatedBy: r.createdBy, Size: humanSize(r.size), Comment: r.comment }));
    return this.printList(rows, {
      format: this.format,
      quiet: this.quiet ? (r) => r.ID : undefined,
      json: () => layers,
      columns: [
        ['ID', (r) => r.ID],
        ['CREATED', (r) => r.Created],
        ['CREATED BY', (r) => by(r.CreatedBy)],
        ['SIZE', (r) => r.Size],
        ['COMMENT', (r) => r.Comment],
      ],
    });
  }
}
