import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { ago } from '../../src/human-units';

export default class SecretLsCommand extends TspodCommand {
  static override paths = [['secret', 'ls'], ['secret', 'list']];
  static override usage = Command.Usage({ description: 'List secrets', examples: [['All', '$0 secret ls'], ['Names only', "$0 secret ls --format '{{.Name}}'"]] });
  format = Option.String('--format', { description: 'json, or a Go template such as {{.ID}} {{.Name}}' });
  filter = Option.Array('-f,--filter', [], { description: 'name=, id=, label=KEY[=VALUE]' });
  noHeading = Option.Boolean('-n,--noheading', false, { description: 'no column headings' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'IDs only' });

  async execute(): Promise<number> {
    const rows = this.engine.secrets.list(this.filter).map((s) => ({ ID: s.id, Name: s.name, Driver: s.driver, CreatedAt: ago(s.createdAt), UpdatedAt: ago(s.updatedAt) }));
    return this.printList(rows, {
      format: this.format,
      noHeading: this.noHeading,
      quiet: this.quiet && this.format === undefined ? (r) => r.ID : undefined,
      columns: [
        ['ID', (r) => r.ID],
        ['NAME', (r) => r.Name],
        ['DRIVER', (r) => r.Driver],
        ['CREATED', (r) => r.CreatedAt],
        ['UPDATED', (r) => r.UpdatedAt],
      ],
    });
  }
}
