import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { compileTemplate } from '../../src/go-template';
import { formatTable } from '../../src/human-units';
import { InvalidArgumentError } from '../../src/errors';
import { psEntry, psRow } from '../../libpod/container/container-report';

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
    const list = this.engine.containers.list({ all: this.all, filters: this.filter, last: this.latest ? 1 : this.last === undefined ? undefined : Number(this.last) });
    if (this.format === 'json' || this.format === '{{json .}}') {
      this.write(`${JSON.stringify(list.map(psEntry), null, 4)}\n`);
      return 0;
    }
    const rows = list.map((c) => psRow(c, this.noTrunc));
    if (this.quiet) {
      this.write(rows.map((r) => `${r.ID}\n`).join(''));
      return 0;
    }
    if (this.format) {
      const render = compileTemplate(this.format.replace(/^table\s*/, ''));
      this.write(rows.map((r) => `${render(r)}\n`).join(''));
      return 0;
    }
    const table = formatTable(['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'], rows.map((r) => [r.ID, r.Image, r.Command, r.Created, r.Status, r.Ports, r.Names]));
    this.write(this.noHeading ? table.split('\n').slice(1).join('\n') : table);
    return 0;
  }
}
