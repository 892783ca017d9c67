import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';
import { isJsonFormat } from '../../src/go-template';
import { renderList } from '../format/list-printer';
import { PodPsRow, POD_PS_HEADINGS } from './ps-row';
import type { ListPodsReport } from '../../libpod/entities';

type Column = [string, (r: PodPsRow) => string];

export default class PodPsCommand extends TspodCommand {
  static override paths = [['pod', 'ps'], ['pod', 'ls'], ['pod', 'list']];
  static override usage = Command.Usage({
    description: 'List pods',
    details: "A pod's status comes from its containers' (the infra container's too): Running when all run, Degraded when some do, Exited when all have exited, Created before any started.",
    examples: [
      ['Every pod', '$0 pod ps'],
      ['With their containers', '$0 pod ps --ctr-names --ctr-status'],
      ['Running ones, names only', "$0 pod ps --filter status=running --format '{{.Name}}'"],
    ],
  });
  ctrNames = Option.Boolean('--ctr-names', false, { description: "add the containers' names" });
  ctrIds = Option.Boolean('--ctr-ids', false, { description: "add the containers' IDs" });
  ctrStatus = Option.Boolean('--ctr-status', false, { description: "add the containers' states" });
  filter = Option.Array('-f,--filter', [], { description: 'id=, name=, label=, label!=, status=, ctr-names=, ctr-ids=, ctr-status=, ctr-number=, network=, until=' });
  format = Option.String('--format', { description: 'json, or a Go template such as {{.Name}} {{.Status}}' });
  noHeading = Option.Boolean('-n,--noheading', false, { description: 'do not print the column headings' });
  namespace = Option.Boolean('--ns,--namespace', false, { description: "add the pod's cgroup and namespace columns" });
  noTrunc = Option.Boolean('--no-trunc', false, { description: 'do not truncate the IDs' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'print only the pod IDs (whole)' });
  sort = Option.String('--sort', 'created', { description: 'sort by created (newest first), id, name, number or status' });
  latest = Option.Boolean('-l,--latest', false, { description: 'show the latest pod created' });

  /** Podman's default table: the ctr-* columns replace # OF CONTAINERS. */
  private columns(): Column[] {
    const cols: Column[] = [
      ['POD ID', (r) => r.Id],
      ['NAME', (r) => r.Name],
      ['STATUS', (r) => r.Status],
      ['CREATED', (r) => r.Created],
      ['INFRA ID', (r) => r.InfraID],
    ];
    if (this.ctrIds) cols.push(['IDS', (r) => r.ContainerIds]);
    if (this.ctrNames) cols.push(['NAMES', (r) => r.ContainerNames]);
    if (this.ctrStatus) cols.push(['STATUS', (r) => r.ContainerStatuses]);
    if (this.namespace) cols.push(['CGROUP', (r) => r.Cgroup], ['NAMESPACES', (r) => r.Namespace]);
    if (!this.ctrIds && !this.ctrNames && !this.ctrStatus) cols.push(['# OF CONTAINERS', (r) => String(r.NumberOfContainers)]);
    return cols;
  }

  async execute(): Promise<number> {
    if (this.quiet && this.format !== undefined) throw new InvalidArgumentError('quiet and format cannot be used together');
    const entries: ListPodsReport[] = this.engine.pods.ps({ filters: this.filter, latest: this.latest, sort: this.sort });
    // Podman's encoder indents pod ps's JSON by two spaces.
    if (this.format !== undefined && isJsonFormat(this.format)) {
      this.write(`${JSON.stringify(entries, null, 2)}\n`);
      return 0;
    }
    if (this.quiet) {
      // Podman prints the whole IDs here, --no-trunc or not.
      this.write(entries.map((e) => `${e.Id}\n`).join(''));
      return 0;
    }
    const now = Date.now();
    this.write(renderList(entries.map((e) => new PodPsRow(e, this.noTrunc, now)), { format: this.format, noHeading: this.noHeading, columns: this.columns(), headings: POD_PS_HEADINGS }, 'ps'));
    return 0;
  }
}
