// ps's row, which its table and Go templates see ({{.Names}} {{.Status}}): the summary libpod
// reports, with the command quoted and cut, times as ages and ports in Podman's PORTS form.
import { ago } from '../../src/human-units';
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
  const row = {
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
  };
  // Podman's method {{.Label "k"}}: one label's value, "" when unset. Not enumerable, so that
  // {{json .}} and the JSON keys stay the row's fields.
  return Object.defineProperty(row, 'Label', { value: (name: string) => s.labels[name] ?? '' }) as typeof row & { Label(name: string): string };
}
