// Which container a service-level verb (exec, port, cp, top, wait) works on: a service's
// containers are found by their labels; --index names the container number, else the lowest.
// Compose's errors: `service "x" is not running` when it has no container to use.
import { InvalidArgumentError, InvalidStateError } from '../../src/errors';
import type { ComposePsRow } from './verbs-ps';

/** The container of a service to use: number `index` when given, else the lowest-numbered; running ones only unless stopped. */
export function pickContainer(rows: ComposePsRow[], service: string, opts: { index?: number; stopped?: boolean; oneoff?: boolean }): ComposePsRow {
  const ofService = rows.filter((r) => r.service === service && (opts.oneoff || !r.oneoff)).sort((a, b) => a.number - b.number);
  const usable = opts.stopped ? ofService : ofService.filter((r) => r.state === 'running' || r.state === 'paused');
  if (opts.index !== undefined) {
    const c = usable.find((r) => r.number === opts.index);
    if (!c) throw new InvalidStateError(`service "${service}" is not running container #${opts.index}`);
    return c;
  }
  if (usable.length === 0) throw new InvalidStateError(`service "${service}" is not running`);
  return usable[0];
}

/** Where a container's private port is published: "HOST_IP:HOST_PORT" (0.0.0.0 for every address). */
export function publishedAt(row: ComposePsRow, port: number, protocol: string): string {
  for (const p of row.summary.ports) {
    const range = p.range > 1 ? p.range : 1;
    if (p.protocol !== protocol || port < p.containerPort || port >= p.containerPort + range) continue;
    return `${p.hostIp || '0.0.0.0'}:${p.hostPort + (port - p.containerPort)}`;
  }
  throw new InvalidArgumentError(`no port ${port}/${protocol} for container ${row.summary.name}: it is not published (ports: or --service-ports)`);
}

/** A `compose cp` argument: "SERVICE:PATH" names a service's file, anything else (a path, "-") the host's. */
export function parseCopyArg(arg: string): { service?: string; path: string } {
  const m = /^([a-zA-Z0-9][a-zA-Z0-9_.-]*):(.*)$/.exec(arg);
  if (!m) return { path: arg };
  return { service: m[1], path: m[2] };
}
