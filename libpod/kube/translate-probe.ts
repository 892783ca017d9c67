// A container's probes as its healthcheck flags (health-flags.ts): exec runs its command; httpGet
// is a wget (busybox's, or curl where there is no wget) of the URL, a status of 400 or more
// failing as the kubelet counts it; tcpSocket connects with nc. The liveness probe is the check
// (or the readiness probe, when there is no liveness one: what a rolling update waits for), the
// startup probe its startup check. Pure.
import { InvalidArgumentError } from '../../src/errors';
import type { HealthOptions } from '../container/health-flags';
import { isMap } from './translate-env';

type Ports = Array<{ name?: string; containerPort: number }>;

/** A word quoted for sh. */
function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function probePort(port: unknown, ports: Ports, where: string, path: string): number {
  if (typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536) return port;
  if (typeof port === 'string' && /^\d+$/.test(port) && Number(port) > 0 && Number(port) < 65536) return Number(port);
  if (typeof port === 'string' && port !== '') {
    const named = ports.find((p) => p.name === port);
    if (named) return named.containerPort;
    throw new InvalidArgumentError(`${where}: ${path}: no container port is named "${port}": name one in ports, or give the number`);
  }
  throw new InvalidArgumentError(`${where}: ${path}: give the port as a number from 1 to 65535 or the name of a container port`);
}

function seconds(v: unknown, dflt: number, min: number, where: string, path: string): number {
  if (v === undefined || v === null) return dflt;
  if (!Number.isInteger(v) || (v as number) < min) throw new InvalidArgumentError(`${where}: ${path} must be a whole number of at least ${min}`);
  return v as number;
}

/** The check's command as --health-cmd takes it (a JSON array: run as it is, no shell). */
export function probeCommand(probe: Record<string, unknown>, ports: Ports, where: string, path: string): string {
  const timeout = seconds(probe.timeoutSeconds, 1, 1, where, `${path}.timeoutSeconds`);
  if (isMap(probe.exec)) {
    const cmd = probe.exec.command;
    if (!Array.isArray(cmd) || cmd.length === 0 || !cmd.every((w) => typeof w === 'string')) throw new InvalidArgumentError(`${where}: ${path}.exec.command must be a non-empty list of strings`);
    return JSON.stringify(['CMD', ...cmd]);
  }
  if (isMap(probe.httpGet)) {
    const g = probe.httpGet;
    const scheme = g.scheme === undefined ? 'HTTP' : g.scheme;
    if (scheme !== 'HTTP' && scheme !== 'HTTPS') throw new InvalidArgumentError(`${where}: ${path}.httpGet.scheme must be HTTP or HTTPS`);
    const port = probePort(g.port, ports, where, `${path}.httpGet.port`);
    const host = typeof g.host === 'string' && g.host ? g.host : 'localhost';
    const p = typeof g.path === 'string' && g.path ? (g.path.startsWith('/') ? g.path : `/${g.path}`) : '/';
    const url = `${scheme.toLowerCase()}://${host.includes(':') ? `[${host}]` : host}:${port}${p}`;
    const headers = Array.isArray(g.httpHeaders) ? g.httpHeaders.map((h, i) => {
      if (!isMap(h) || typeof h.name !== 'string' || typeof h.value !== 'string') throw new InvalidArgumentError(`${where}: ${path}.httpGet.httpHeaders[${i}] needs a name and a value`);
      return `${h.name}: ${h.value}`;
    }) : [];
    const wget = ['wget', '-q', '-T', String(timeout), '-O', '/dev/null', ...(scheme === 'HTTPS' ? ['--no-check-certificate'] : []), ...headers.flatMap((h) => ['--header', q(h)]), q(url)].join(' ');
    const curl = ['curl', '-fsS', '-m', String(timeout), '-o', '/dev/null', ...(scheme === 'HTTPS' ? ['-k'] : []), ...headers.flatMap((h) => ['-H', q(h)]), q(url)].join(' ');
    return JSON.stringify(['CMD-SHELL', `if command -v wget >/dev/null 2>&1; then ${wget}; else ${curl}; fi || exit 1`]);
  }
  if (isMap(probe.tcpSocket)) {
    const t = probe.tcpSocket;
    const port = probePort(t.port, ports, where, `${path}.tcpSocket.port`);
    const host = typeof t.host === 'string' && t.host ? t.host : 'localhost';
    // busybox's nc has no -z: it connects, runs true and exits; other ncs take -z.
    return JSON.stringify(['CMD-SHELL', `nc -z -w ${timeout} ${q(host)} ${port} 2>/dev/null || nc -w ${timeout} ${q(host)} ${port} -e true || exit 1`]);
  }
  if (probe.grpc !== undefined) throw new InvalidArgumentError(`${where}: ${path}.grpc: gRPC probes are not supported by tspod: use exec, httpGet or tcpSocket`);
  throw new InvalidArgumentError(`${where}: ${path} needs exec, httpGet or tcpSocket`);
}

/** The flags of a probe's timing: periodSeconds, timeoutSeconds, failureThreshold, initialDelaySeconds. */
function timing(probe: Record<string, unknown>, where: string, path: string): Pick<HealthOptions, 'interval' | 'timeout' | 'retries' | 'startPeriod'> {
  return {
    interval: `${seconds(probe.periodSeconds, 10, 1, where, `${path}.periodSeconds`)}s`,
    timeout: `${seconds(probe.timeoutSeconds, 1, 1, where, `${path}.timeoutSeconds`)}s`,
    retries: String(seconds(probe.failureThreshold, 3, 1, where, `${path}.failureThreshold`)),
    startPeriod: `${seconds(probe.initialDelaySeconds, 0, 0, where, `${path}.initialDelaySeconds`)}s`,
  };
}

/** One probe as a regular check's flags. */
export function probeHealth(probe: unknown, ports: Ports, where: string, path: string): HealthOptions {
  if (!isMap(probe)) throw new InvalidArgumentError(`${where}: ${path} must be a mapping`);
  const successes = seconds(probe.successThreshold, 1, 1, where, `${path}.successThreshold`);
  if (successes !== 1 && !path.endsWith('readinessProbe')) throw new InvalidArgumentError(`${where}: ${path}.successThreshold must be 1`);
  return { cmd: probeCommand(probe, ports, where, path), ...timing(probe, where, path) };
}

/**
 * A container's healthcheck flags from its probes, or undefined. restart: the container's restart
 * policy (a failing liveness probe restarts it with always/on-failure, and kills it with no, as
 * the kubelet does).
 */
export function containerHealth(c: Record<string, unknown>, ports: Ports, restart: string, where: string, path: string): HealthOptions | undefined {
  const liveness = c.livenessProbe != null ? probeHealth(c.livenessProbe, ports, where, `${path}.livenessProbe`) : undefined;
  const readiness = c.readinessProbe != null ? probeHealth(c.readinessProbe, ports, where, `${path}.readinessProbe`) : undefined;
  const startup = c.startupProbe != null ? probeHealth(c.startupProbe, ports, where, `${path}.startupProbe`) : undefined;
  if (!liveness && !readiness && !startup) return undefined;
  const health: HealthOptions = liveness ? { ...liveness, onFailure: restart === 'no' ? 'kill' : 'restart' } : readiness ? { ...readiness } : { cmd: 'exit 0', interval: startup!.interval, timeout: startup!.timeout };
  if (startup) {
    health.startupCmd = startup.cmd;
    health.startupInterval = startup.interval;
    health.startupTimeout = startup.timeout;
    health.startupRetries = startup.retries;
  }
  return health;
}
