// ps's row, which its table and Go templates see ({{.Names}} {{.Status}}): the summary libpod
// reports, with the command quoted and cut, times as ages and ports in Podman's PORTS form.
import { ago, goHumanSize3 } from '../../src/human-units';
import { nilMap } from '../../src/go-template';
import type { PsSummary } from '../../libpod/entities';

type PortMapping = PsSummary['ports'][number];

function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`;
}

/** Podman's PORTS column: 0.0.0.0:8080->80/tcp, ranges as 0.0.0.0:8000-8002->80-82/tcp. */
export function formatPorts(ports: PortMapping[]): string {
  return ports
    .map((p) => {
      const ip = p.hostIp === '' ? '0.0.0.0' : p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp;
      const span = (start: number) => (p.range > 1 ? `${start}-${start + p.range - 1}` : `${start}`);
      return `${ip}:${span(p.hostPort)}->${span(p.containerPort)}/${p.protocol}`;
    })
    .join(', ');
}

/** Go's time.Time String() in UTC, as Podman's {{.CreatedAt}} prints: 2024-01-02 15:04:05.12 +0000 UTC. */
function goTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC`;
}

/**
 * The row `ps --format '{{.Names}} {{.Status}}'` and the table see: a class, so that Podman's
 * method {{.Label "k"}} sits on the prototype (not a field: {{json .}} and the JSON keys stay the
 * row's fields) and a thousand rows share one shape.
 */
export class PsRow {
  readonly ID: string;
  readonly Image: string;
  readonly ImageID: string;
  readonly Command: string;
  readonly CreatedAt: string;
  readonly Created: string;
  readonly RunningFor: string;
  readonly Status: string;
  readonly State: string;
  readonly Names: string;
  readonly Labels: Record<string, string>;
  readonly Ports: string;
  readonly Pid: number;
  readonly ExitCode: number;
  readonly Restarts: number;
  readonly AutoRemove: boolean;
  readonly Pod: string;
  readonly PodName: string;
  readonly Size: string;
  readonly Namespaces: NonNullable<PsSummary['namespaces']>;

  constructor(s: PsSummary, noTrunc: boolean, now: number) {
    const command = s.args.map(quoteArg).join(' ');
    const created = ago(s.createdAt, now);
    this.ID = noTrunc ? s.id : s.id.slice(0, 12);
    this.Image = s.image;
    this.ImageID = s.imageId;
    this.Command = noTrunc || command.length <= 20 ? command : `${command.slice(0, 17)}...`;
    this.CreatedAt = goTime(s.createdAt);
    this.Created = created;
    this.RunningFor = created.replace(/ ago$/, '');
    this.Status = s.status;
    this.State = s.state;
    this.Names = s.name;
    // No labels is Podman's nil map: {{json .Labels}} prints null, {{.Labels}} map[].
    this.Labels = Object.keys(s.labels).length ? s.labels : (nilMap() as Record<string, string>);
    this.Ports = formatPorts(s.ports);
    this.Pid = s.pid;
    this.ExitCode = s.exitCode;
    this.Restarts = s.restarts;
    this.AutoRemove = s.autoRemove;
    // Podman's: the pod's ID cut as the container's, '' outside a pod.
    this.Pod = s.pod ? (noTrunc ? s.pod.id : s.pod.id.slice(0, 12)) : '';
    this.PodName = s.pod?.name ?? '';
    // ps --size: written bytes, and the whole root's (Podman's "12B (virtual 4.26MB)": go-units without the space its images list adds).
    this.Size = s.size ? `${goHumanSize3(s.size.rw)} (virtual ${goHumanSize3(s.size.rootFs)})` : '';
    this.Namespaces = s.namespaces ?? { Cgroup: '', IPC: '', MNT: '', NET: '', PIDNS: '', User: '', UTS: '' };
  }

  /** Podman's {{.Label "k"}}: one label's value, "" when unset. */
  Label(name: string): string {
    return this.Labels[name] ?? '';
  }
}

export function psRow(s: PsSummary, noTrunc: boolean, now = Date.now()): PsRow {
  return new PsRow(s, noTrunc, now);
}

/** ps --sort's keys, as Podman takes them. */
export const PS_SORT_KEYS = ['command', 'created', 'id', 'image', 'names', 'pod', 'runningfor', 'size', 'status'];

/**
 * ps --sort: ascending by the key, as Podman sorts (created and runningfor: oldest first; pod
 * leaves the order as it is, since no container is in a pod; size needs --size to measure).

 */
export function sortPs<T extends { summary: PsSummary }>(reports: T[], key: string): T[] {
  const by: Record<string, (s: PsSummary) => string | number> = {
    command: (s) => s.args.join(' '),
    created: (s) => s.createdAt,
    id: (s) => s.id,
    image: (s) => s.image,
    names: (s) => s.name,
    runningfor: (s) => s.startedAt,
    status: (s) => s.state,
    size: (s) => s.size?.rootFs ?? 0,
  };
  const get = by[key];
  if (!get) return reports;
  return [...reports].sort((a, b) => {
    const x = get(a.summary);
    const y = get(b.summary);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
