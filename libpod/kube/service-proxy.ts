// The engine's half of a Service's proxy (kubeproxy/): its endpoints file under
// <runroot>/kube/services/, written atomically, and the proxy process started detached when none
// lives for the Service (its pid file holds the pid and the /proc start time, so a reused pid is
// never taken for it). The proxy runs where tspod runs: in the user namespace, which shares the
// host's network, so its ports are the host's. Plays of one Service are serialized by its lock.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type { Paths } from '../../src/paths';
import { InvalidArgumentError, InvalidStateError, RuntimeError } from '../../src/errors';
import { readIfExists } from '../../src/files';
import { withLock } from '../lock/file-lock';
import { processStartTime } from '../rootless/pause-process';
import { unprivilegedPortStart } from '../network/rootless-net';
import { endpointsFile, pidFile, portKey, type ProxyFile, type ReadyMessage } from '../../kubeproxy/protocol';
import { isDnsLabel } from './names';
import type { ServiceEndpoints } from './types';

/** A Service's proxy as listServiceProxies finds it. */
export interface ServiceProxyInfo {
  service: string;
  /** The live proxy's pid; undefined when its file is there but it is not running. */
  pid?: number;
  endpoints: ServiceEndpoints;
}

export interface ProxyOptions {
  /** The proxy's bundle (default: dist/kubeproxy.js beside this bundle). */
  script?: string;
}

/** How long stop waits for the proxy to go after SIGTERM before it is killed. */
const STOP_WAIT_MS = 2000;

export const servicesDir = (paths: Paths) => path.join(paths.runroot, 'kube', 'services');

const isPort = (n: unknown) => Number.isInteger(n) && (n as number) > 0 && (n as number) < 65536;

function checkEndpoints(e: ServiceEndpoints): void {
  if (!isDnsLabel(e.service)) throw new InvalidArgumentError(`invalid service name "${e.service}": a Service's name must be an RFC 1123 label (lower case letters, digits and "-", at most 63)`);
  const seen = new Set<string>();
  for (const p of e.ports) {
    if (!isPort(p.hostPort)) throw new InvalidArgumentError(`service "${e.service}": invalid host port ${p.hostPort}: give a port from 1 to 65535`);
    if (p.protocol !== 'tcp' && p.protocol !== 'udp') throw new InvalidArgumentError(`service "${e.service}": protocol ${String(p.protocol)} cannot be published: only TCP and UDP can`);
    const bad = p.endpoints.find((n) => !isPort(n));
    if (bad !== undefined) throw new InvalidArgumentError(`service "${e.service}": invalid endpoint port ${bad}`);
    if (seen.has(portKey(p))) throw new InvalidArgumentError(`service "${e.service}" publishes ${portKey(p)} twice: give each port once`);
    seen.add(portKey(p));
  }
}

/** The same listeners (address, port, protocol), whatever the endpoints. */
const listenSet = (e: ProxyFile) => e.ports.map(portKey).sort().join(',');

function writeEndpoints(file: string, e: ServiceEndpoints): void {
  const f: ProxyFile = e; // the contract's shape is the proxy's
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, `${JSON.stringify(f)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function readEndpoints(file: string): ServiceEndpoints | undefined {
  try {
    return JSON.parse(readIfExists(file)) as ServiceEndpoints;
  } catch {
    return undefined;
  }
}

/** The live proxy of the Service, if its pid file names one: same start time, running kubeproxy.js on this file. */
function liveProxy(dir: string, service: string): { pid: number; start: string } | undefined {
  const [pidText, start] = readIfExists(pidFile(dir, service)).trim().split(' ');
  const pid = Number(pidText);
  if (!pid || !start || processStartTime(pid) !== start) return undefined;
  const argv = readIfExists(`/proc/${pid}/cmdline`).split('\0');
  return argv.some((a) => a.endsWith('kubeproxy.js')) && argv.includes(endpointsFile(dir, service)) ? { pid, start } : undefined;
}

async function endProcess(p: { pid: number; start: string }): Promise<void> {
  try {
    process.kill(p.pid, 'SIGTERM');
  } catch {
    return;
  }
  for (const deadline = Date.now() + STOP_WAIT_MS; Date.now() < deadline; await new Promise((r) => setTimeout(r, 10))) {
    if (processStartTime(p.pid) !== p.start) return;
  }
  if (processStartTime(p.pid) === p.start) process.kill(p.pid, 'SIGKILL');
}

function listenError(service: string, m: Extract<ReadyMessage, { ready: false }>): Error {
  const [addr, proto] = m.port.split('/');
  const where = `cannot publish ${m.port} for service "${service}"`;
  const fix = 'choose another port for the Service (spec.ports[].port, or nodePort)';
  if (m.code === 'EADDRINUSE') return new InvalidArgumentError(`${where}: listen ${proto} ${addr}: bind: address already in use (by another program or container): ${fix}`);
  if (m.code === 'EADDRNOTAVAIL') return new InvalidArgumentError(`${where}: ${addr.slice(0, addr.lastIndexOf(':'))} is not an address of this host`);
  if (m.code === 'EACCES') return new InvalidArgumentError(`${where}: listen ${proto} ${addr}: bind: permission denied: ${fix}`);
  return new RuntimeError(`the proxy of service "${service}" cannot listen${m.port ? ` on ${m.port}` : ''}: ${m.message}`);
}

/** Starts the proxy on the file and resolves with its pid once it listens on every port. */
async function spawnProxy(service: string, file: string, script: string): Promise<number> {
  // Detached, in a session of its own: it outlives this command, as a container's monitor does.
  // A young generation of 1 MiB keeps it small under load (private dirty measured after 1,000
  // connections: 14.7 MiB with it, 17.3 without; 7.1 idle either way); V8 flags cost node its
  // built-in code cache (some ms of CPU at start), paid once per played Service.
  const child = spawn(process.execPath, ['--max-semi-space-size=1', script, file], { detached: true, cwd: '/', stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let line = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on('error', (err) => reject(new RuntimeError(`cannot start the proxy of service "${service}": ${err.message}`)));
      child.on('exit', (code) => reject(new RuntimeError(`the proxy of service "${service}" exited with ${code}: ${stderr.trim() || 'no message'}`)));
      child.stdio[3]!.on('data', (d: Buffer) => {
        line += d.toString();
        if (!line.includes('\n')) return;
        let m: ReadyMessage;
        try {
          m = JSON.parse(line) as ReadyMessage;
        } catch {
          return reject(new RuntimeError(`the proxy of service "${service}" said what tspod does not understand: ${line.trim()}`));
        }
        if (m.ready) resolve(child.pid!);
        else reject(listenError(service, m));
      });
    });
  } finally {
    child.removeAllListeners('exit');
    for (const s of [child.stderr, child.stdio[3]]) (s as unknown as { destroy(): void }).destroy();
    child.unref();
  }
}

/**
 * The Service's endpoints written and its proxy listening: started when none lives (restarted when
 * the ports it listens on changed); a proxy already listening on these ports only re-reads the
 * file. A port that cannot be had is an error (nothing is left listening, the file is removed).
 */
export async function startServiceProxy(paths: Paths, endpoints: ServiceEndpoints, opts: ProxyOptions = {}): Promise<number> {
  checkEndpoints(endpoints);
  const dir = servicesDir(paths);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { service } = endpoints;
  return withLock(
    path.join(dir, service),
    async () => {
      const file = endpointsFile(dir, service);
      const live = liveProxy(dir, service);
      const current = readEndpoints(file);
      if (live && current && listenSet(current) === listenSet(endpoints)) {
        writeEndpoints(file, endpoints);
        return live.pid;
      }
      if (live) await endProcess(live);
      const start = unprivilegedPortStart();
      const low = endpoints.ports.find((p) => p.hostPort < start);
      if (low) {
        throw new InvalidArgumentError(
          `cannot publish ${portKey(low)} for service "${service}": rootless containers cannot expose privileged ports below ${start} (net.ipv4.ip_unprivileged_port_start=${start}); give the Service a higher port (or nodePort), or let users bind lower ones with "sudo sysctl net.ipv4.ip_unprivileged_port_start=${low.hostPort}"`,
        );
      }
      writeEndpoints(file, endpoints);
      try {
        const pid = await spawnProxy(service, file, opts.script ?? path.join(__dirname, 'kubeproxy.js'));
        fs.writeFileSync(pidFile(dir, service), `${pid} ${processStartTime(pid) ?? ''}\n`);
        return pid;
      } catch (err) {
        fs.rmSync(file, { force: true });
        throw err;
      }
    },
    'service proxy lock',
  );
}

/**
 * The replicas the running proxy forwards to from its next connection on (an atomic rewrite of
 * its file). The ports it listens on cannot change here: startServiceProxy restarts it for that.
 */
export function updateServiceEndpoints(paths: Paths, endpoints: ServiceEndpoints): void {
  checkEndpoints(endpoints);
  const dir = servicesDir(paths);
  const file = endpointsFile(dir, endpoints.service);
  const current = readEndpoints(file);
  if (!current || !liveProxy(dir, endpoints.service)) throw new InvalidStateError(`no proxy runs for service "${endpoints.service}": play the Service again (tspod kube play --replace)`);
  if (listenSet(current) !== listenSet(endpoints)) throw new InvalidStateError(`service "${endpoints.service}" listens on ${listenSet(current)}, not ${listenSet(endpoints)}: its ports change only when it is played again`);
  writeEndpoints(file, endpoints);
}

/** The proxy ended (its listeners closed, its ports free) and its files removed; false when there was none. */
export async function stopServiceProxy(paths: Paths, service: string): Promise<boolean> {
  const dir = servicesDir(paths);
  if (!isDnsLabel(service) || !fs.existsSync(dir)) return false;
  return withLock(
    path.join(dir, service),
    async () => {
      const file = endpointsFile(dir, service);
      const had = fs.existsSync(file);
      const live = liveProxy(dir, service);
      fs.rmSync(file, { force: true });
      if (live) await endProcess(live);
      fs.rmSync(pidFile(dir, service), { force: true });
      return had || live !== undefined;
    },
    'service proxy lock',
  );
}

/** Every Service with an endpoints file, and its proxy's pid when it runs; by name. */
export function listServiceProxies(paths: Paths): ServiceProxyInfo[] {
  const dir = servicesDir(paths);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    .sort()
    .flatMap((n) => {
      const service = n.slice(0, -'.json'.length);
      const endpoints = readEndpoints(path.join(dir, n));
      return endpoints ? [{ service, pid: liveProxy(dir, service)?.pid, endpoints }] : [];
    });
}
