// ps's row, which its table and Go templates see ({{.Names}} {{.Status}}): the summary libpod
// reports, with the command quoted and cut, times as ages and ports in Podman's PORTS form.
import { ago, humanSize } from '../../src/human-units';
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

/** The row `ps --format '{{.Names}} {{.Status}}'` and the table see. */
export function psRow(s: PsSummary, noTrunc: boolean, now = Date.now()) {
  const command = s.args.map(quoteArg).join(' ');
  return {
    ID: noTrunc ? s.id : s.id.slice(0, 12),
    Image: s.image,
    ImageID: s.imageId,
    Command: noTrunc || command.length <= 20 ? command : `${command.slice(0, 17)}...`,
    CreatedAt: new Date(s.createdAt).toISOString(),
    Created: ago(s.createdAt, now),
    RunningFor: ago(s.createdAt, now).replace(/ ago$/, ''),
    Status: s.status,
    State: s.state,
    Names: s.name,
    Labels: s.labels,
    Ports: formatPorts(s.ports),
    Pid: s.pid,
    ExitCode: s.exitCode,
    Restarts: s.restarts,
    AutoRemove: s.autoRemove,
    // tspod has no pods yet: every container is outside one, as Podman shows it.
    Pod: '',
    PodName: '',
    // ps --size: written bytes, and the whole root's (Podman's "12 B (virtual 4.26 MB)").
    Size: s.size ? `${humanSize(s.size.rw)} (virtual ${humanSize(s.size.rootFs)})` : '',
    Namespaces: s.namespaces ?? { Cgroup: '', IPC: '', MNT: '', NET: '', PIDNS: '', User: '', UTS: '' },
  };
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
