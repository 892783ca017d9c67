import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';
import { psRow } from '../format/ps-row';

export default class ContainerPsCommand extends TspodCommand {
  static override paths = [['ps'], ['container', 'ps'], ['container', 'list'], ['container', 'ls']];
  static override usage = Command.Usage({
    description: 'List containers',
    examples: [
      ['Every container', '$0 ps -a'],
      ['Names and states', "$0 ps -a --format '{{.Names}} {{.Status}}'"],
      ['Exited ones', '$0 ps -a --filter status=exited'],
    ],
  });
  all = Option.Boolean('-a,--all', false, { description: 'show all containers (default: running only)' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'print only the container IDs' });
  latest = Option.Boolean('-l,--latest', false, { description: 'show the latest container created' });
  last = Option.String('-n,--last', { description: 'show the n last created containers' });
  noTrunc = Option.Boolean('--no-trunc', false, { description: 'do not truncate the output' });
  filter = Option.Array('-f,--filter', [], { description: 'status=, name=, label=, ancestor=, id=, exited=' });
  format = Option.String('--format', { description: 'json, or a Go template such as {{.Names}} {{.Status}}' });
  noHeading = Option.Boolean('--noheading', false, { description: 'do not print the column headings' });

  async execute(): Promise<number> {
    if (this.last !== undefined && !/^\d+$/.test(this.last)) throw new InvalidArgumentError(`invalid --last "${this.last}": give a number`);
    const reports = this.engine.containers.ps({ all: this.all, filters: this.filter, last: this.latest ? 1 : this.last === undefined ? undefined : Number(this.last) });
    return this.printList(
      reports.map((r) => psRow(r.summary, this.noTrunc)),
      {
        format: this.format,
        noHeading: this.noHeading,
        quiet: this.quiet ? (r) => r.ID : undefined,
        json: () => reports.map((r) => r.entry),
        columns: [
          ['CONTAINER ID', (r) => r.ID],
          ['IMAGE', (r) => r.Image],
          ['COMMAND', (r) => r.Command],
          ['CREATED', (r) => r.Created],
          ['STATUS', (r) => r.Status],
          ['PORTS', (r) => r.Ports],
          ['NAMES', (r) => r.Names],
        ],
      },
    );
  }
}
