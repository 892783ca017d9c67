// ps's row, which its table and Go templates see ({{.Names}} {{.Status}}): the summary libpod
// reports, with the command quoted and cut, times as ages and ports in Podman's PORTS form.
import { ago } from '../../src/human-units';
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

/** The row `ps --format '{{.Names}} {{.Status}}'` and the table see. */
export function psRow(s: PsSummary, noTrunc: boolean, now = Date.now()) {
  const command = s.args.map(quoteArg).join(' ');
  const row = {
    ID: noTrunc ? s.id : s.id.slice(0, 12),
    Image: s.image,
    ImageID: s.imageId,
    Command: noTrunc || command.length <= 20 ? command : `${command.slice(0, 17)}...`,
    CreatedAt: goTime(s.createdAt),
    Created: ago(s.createdAt, now),
    RunningFor: ago(s.createdAt, now).replace(/ ago$/, ''),
    Status: s.status,
    State: s.state,
    Names: s.name,
    // No labels is Podman's nil map: {{json .Labels}} prints null, {{.Labels}} map[].
    Labels: Object.keys(s.labels).length ? s.labels : nilMap(),
    Ports: formatPorts(s.ports),
    Pid: s.pid,
    ExitCode: s.exitCode,
    Restarts: s.restarts,
    AutoRemove: s.autoRemove,
  };
  // Podman's method {{.Label "k"}}: one label's value, "" when unset. Not enumerable, so that
  // {{json .}} and the JSON keys stay the row's fields.
  return Object.defineProperty(row, 'Label', { value: (name: string) => s.labels[name] ?? '' }) as typeof row & { Label(name: string): string };
}
