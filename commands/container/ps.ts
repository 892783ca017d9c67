import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';
import { psRow, PS_SORT_KEYS, sortPs } from '../format/ps-row';
import { renderList } from '../format/list-printer';
import type { PsReport } from '../../libpod/entities';

type Row = ReturnType<typeof psRow>;

const NAMESPACE_COLUMNS: Array<[string, (r: Row) => string]> = [
  ['CONTAINER ID', (r) => r.ID],
  ['NAMES', (r) => r.Names],
  ['PID', (r) => String(r.Pid)],
  ['CGROUPNS', (r) => r.Namespaces.Cgroup],
  ['IPC', (r) => r.Namespaces.IPC],
  ['MNT', (r) => r.Namespaces.MNT],
  ['NET', (r) => r.Namespaces.NET],
  ['PIDNS', (r) => r.Namespaces.PIDNS],
  ['USERNS', (r) => r.Namespaces.User],
  ['UTS', (r) => r.Namespaces.UTS],
];

export default class ContainerPsCommand extends TspodCommand {
  static override paths = [['ps'], ['container', 'ps'], ['container', 'list'], ['container', 'ls']];
  static override usage = Command.Usage({
    description: 'List containers',
    examples: [
      ['Every container', '$0 ps -a'],
      ['Names and states', "$0 ps -a --format '{{.Names}} {{.Status}}'"],
      ['Exited ones', '$0 ps -a --filter status=exited'],
      ['Refresh every 2 seconds', '$0 ps -w 2'],
    ],
  });
  all = Option.Boolean('-a,--all', false, { description: 'show all containers (default: running only)' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'print only the container IDs' });
  latest = Option.Boolean('-l,--latest', false, { description: 'show the latest container created' });
  last = Option.String('-n,--last', { description: 'show the n last created containers' });
  noTrunc = Option.Boolean('--no-trunc', false, { description: 'do not truncate the output' });
  filter = Option.Array('-f,--filter', [], { description: 'status=, name=, label=, ancestor=, id=, exited=, pod=' });
  format = Option.String('--format', { description: 'json, or a Go template such as {{.Names}} {{.Status}}' });
  noHeading = Option.Boolean('--noheading', false, { description: 'do not print the column headings' });
  sort = Option.String('--sort', { description: `sort by ${PS_SORT_KEYS.join(', ')}` });
  pod = Option.Boolean('-p,--pod', false, { description: 'add the POD ID and PODNAME columns' });
  namespace = Option.Boolean('--ns,--namespace', false, { description: "show the namespaces of each running container's process" });
  watch = Option.String('-w,--watch', { description: 'print the list again every this many seconds, until interrupted' });
  size = Option.Boolean('-s,--size', false, { description: 'add the SIZE column: what each container wrote, and its whole root' });
  sync = Option.Boolean('--sync', false, { description: 'check the state with the OCI runtime first (tspod always does)' });
  external = Option.Boolean('--external', false, { description: 'also show the containers of builds running now (tspod build makes one per step)' });

  private check(): void {
    if (this.last !== undefined && !/^\d+$/.test(this.last)) throw new InvalidArgumentError(`invalid --last "${this.last}": give a number`);
    if (this.last !== undefined && this.latest) throw new InvalidArgumentError('--last and --latest cannot be used together: choose one');
    if (this.quiet && (this.namespace || this.size)) throw new InvalidArgumentError(`--quiet and ${this.size ? '--size' : '--ns'} cannot be used together: the IDs alone have no ${this.size ? 'sizes' : 'namespaces'}`);
    if (this.size && this.namespace) throw new InvalidArgumentError('--size and --ns cannot be used together: choose one');
    if (this.sort !== undefined && !PS_SORT_KEYS.includes(this.sort)) throw new InvalidArgumentError(`invalid --sort "${this.sort}": use one of ${PS_SORT_KEYS.join(', ')}`);
    if (this.watch !== undefined && !/^\d+$/.test(this.watch)) throw new InvalidArgumentError(`invalid --watch "${this.watch}": give a number of seconds`);
    if (this.watch !== undefined && Number(this.watch) > 0 && this.latest) throw new InvalidArgumentError('--watch and --latest cannot be used together: watch the list, or show the latest once');
  }

  private render(reports: PsReport[]): string {
    const sorted = this.sort ? sortPs(reports, this.sort) : reports;
    const columns: Array<[string, (r: Row) => string]> = this.namespace
      ? NAMESPACE_COLUMNS
      : [
          ['CONTAINER ID', (r) => r.ID],
          ['IMAGE', (r) => r.Image],
          ['COMMAND', (r) => r.Command],
          ['CREATED', (r) => r.Created],
          ['STATUS', (r) => r.Status],
          ['PORTS', (r) => r.Ports],
          ['NAMES', (r) => r.Names],
          ...(this.pod ? ([['POD ID', (r: Row) => r.Pod], ['PODNAME', (r: Row) => r.PodName]] as Array<[string, (r: Row) => string]>) : []),
          ...(this.size ? ([['SIZE', (r: Row) => r.Size]] as Array<[string, (r: Row) => string]>) : []),
        ];
    return renderList(
      sorted.map((r) => psRow(r.summary, this.noTrunc)),
      { format: this.format, noHeading: this.noHeading, quiet: this.quiet ? (r) => r.ID : undefined, json: () => sorted.map((r) => r.entry), columns },
      'ps',
    );
  }

  async execute(): Promise<number> {
    this.check();
    if (this.size) {
      // The files containers wrote belong to their users: measured inside the user namespace.
      const inner = await this.engine.enterUserNamespace(this.selfArgv());
      if (inner !== null) return inner;
    }
    const opts = { all: this.all, filters: this.filter, last: this.latest ? 1 : this.last === undefined ? undefined : Number(this.last), namespaces: this.namespace, size: this.size, external: this.external };
    const seconds = this.watch === undefined ? 0 : Number(this.watch);
    if (seconds > 0) {
      // Podman clears the screen and prints the list again, until interrupted.
      await this.engine.containers.watchPs(opts, seconds * 1000, (reports) => this.write(`\x1b[2J\x1b[H${this.render(reports)}`));
      return 0;
    }
    this.write(this.render(this.engine.containers.ps(opts)));
    return 0;
  }
}
