// A container's own network namespace and the user-mode stack that connects it (slirp4netns or
// pasta), inside the user namespace. The namespace is a file under <runroot>/netns bound by
// `unshare --net=FILE` in tspod's mount namespace, so that runc joins it by path and it outlives
// restarts of the container. The helper is started by the container's monitor (so that
// slirp4netns's --exit-fd is held by the monitor and ends with it) and pasta exits once the
// namespace file is deleted; cleanup also ends it by pid. Published ports: slirp4netns's API
// socket (add_hostfwd), pasta's own -t/-u.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import dgram from 'node:dgram';
import { spawnSync } from 'node:child_process';
import { InvalidArgumentError, InvalidStateError, RuntimeError } from '../../src/errors';
import { findProgram } from '../host/programs';
import { eachPort, type NetworkMode, type PortMapping } from './network-spec';
import type { HelperSpec } from '../../conmon/protocol';

/** What the monitor runs: slirp4netns signals readiness on fd 3 and exits when fd 4 closes; pasta daemonizes (exit 0 = ready). */
export type HelperCommand = HelperSpec;

/** Addresses a mode gives the container: its own, its gateway, its DNS forwarder, the host as it sees it. */
export interface ModeAddresses {
  ip?: string;
  gateway?: string;
  dnsForwarder?: string;
  hostAddress?: string;
  prefixLength?: number;
}

export const PASTA_DNS = '169.254.1.1';

/** Makes a network namespace bound at file (an empty file the bind mount covers). */
export function createNetns(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, '', { mode: 0o600 });
  const r = spawnSync('unshare', [`--net=${file}`, 'true'], { encoding: 'utf8' });
  if (r.status !== 0) {
    fs.rmSync(file, { force: true });
    throw new RuntimeError(`cannot create the container's network namespace: ${(r.stderr || r.error?.message || '').trim()}`);
  }
}

/** The empty file a namespace the runtime makes is bound at later (by the monitor): one left by a crash is unbound first. */
export function placeholderNetns(file: string): void {
  removeNetns(file);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, '', { mode: 0o600 });
}

/** A namespace file made anew (one left by a crash is unbound first). */
export function freshNetns(file: string): void {
  removeNetns(file);
  createNetns(file);
}

/** The path of slirp4netns or pasta, or an error that says which package installs it. */
export function requireHelper(kind: 'slirp4netns' | 'pasta', why = `--network ${kind}`): string {
  const binary = findProgram(kind);
  if (!binary) throw new InvalidStateError(`${why} needs ${kind}: install it (sudo apt-get install ${kind === 'pasta' ? 'passt' : 'slirp4netns'}), or use --network none`);
  return binary;
}

/** Whether pid is still a slirp4netns/pasta serving that namespace file (a pid may have been reused since). */
export function isHelperOf(pid: number | undefined, netns: string): boolean {
  if (!pid) return false;
  try {
    return /^(slirp4netns|pasta|passt)/.test(fs.readFileSync(`/proc/${pid}/comm`, 'utf8')) && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(netns);
  } catch {
    return false;
  }
}

/** Unbinds and deletes a namespace file (lazily: a helper may still hold it); pasta exits on the delete. */
export function removeNetns(file: string): void {
  if (!fs.existsSync(file)) return;
  spawnSync('umount', ['-l', file], { stdio: 'ignore' });
  fs.rmSync(file, { force: true });
}

function option(mode: NetworkMode, key: string): string | undefined {
  const o = mode.options.find((x) => x === key || x.startsWith(`${key}=`));
  return o === undefined ? undefined : (o.split('=')[1] ?? 'true');
}

function ipv4(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function ipv4Number(s: string): number {
  return s.split('.').reduce((n, p) => n * 256 + Number(p), 0);
}

/** slirp4netns's addresses within its network (10.0.2.0/24 unless cidr= says otherwise). */
export function slirpAddresses(mode: NetworkMode, hostAddress: string | undefined): ModeAddresses {
  const [base, bits] = (option(mode, 'cidr') ?? '10.0.2.0/24').split('/');
  const b = ipv4Number(base);
  const gateway = ipv4(b + 2);
  return { ip: ipv4(b + 100), gateway, dnsForwarder: ipv4(b + 3), prefixLength: Number(bits), hostAddress: option(mode, 'allow_host_loopback') === 'true' ? gateway : hostAddress };
}

/** pasta copies the host's address and gateway; the gateway reaches the host itself. */
export function pastaAddresses(hostIp: string | undefined, gateway: string | undefined): ModeAddresses {
  return { ip: hostIp, gateway, dnsForwarder: PASTA_DNS, hostAddress: gateway };
}

export function slirpCommand(binary: string, mode: NetworkMode, netns: string, apiSocket: string): HelperCommand {
  const argv = [binary, '--configure', `--mtu=${option(mode, 'mtu') ?? '65520'}`, '--enable-sandbox', '--enable-seccomp', '--api-socket', apiSocket, '--ready-fd=3', '--exit-fd=4'];
  if (option(mode, 'allow_host_loopback') !== 'true') argv.push('--disable-host-loopback');
  if (option(mode, 'enable_ipv6') === 'true') argv.push('--enable-ipv6');
  const cidr = option(mode, 'cidr');
  if (cidr) argv.push(`--cidr=${cidr}`);
  const outbound = option(mode, 'outbound_addr');
  if (outbound) argv.push(`--outbound-addr=${outbound}`);
  argv.push('--netns-type=path', netns, 'tap0');
  return { argv, ready: 'fd' };
}

/** pasta's -t/-u spec for the mappings of one protocol: addr/host-range:container-range, comma-separated. */
function pastaPorts(ports: PortMapping[], protocol: 'tcp' | 'udp'): string[] {
  const specs = ports
    .filter((p) => p.protocol === protocol)
    .map((p) => {
      const span = (s: number) => (p.range > 1 ? `${s}-${s + p.range - 1}` : `${s}`);
      return `${p.hostIp ? `${p.hostIp}/` : ''}${span(p.hostPort)}:${span(p.containerPort)}`;
    });
  return specs.length ? specs.flatMap((s) => [protocol === 'tcp' ? '-t' : '-u', s]) : [protocol === 'tcp' ? '-t' : '-u', 'none'];
}

export function pastaCommand(binary: string, mode: NetworkMode, netns: string, ports: PortMapping[], pidFile: string, dnsForward: boolean): HelperCommand {
  const argv = [binary, '--config-net', '--quiet', ...pastaPorts(ports, 'tcp'), ...pastaPorts(ports, 'udp'), '-T', 'none', '-U', 'none', '--pid', pidFile];
  if (dnsForward) argv.push('--dns-forward', PASTA_DNS);
  argv.push(...mode.options, '--netns', netns);
  return { argv, ready: 'exit' };
}

/** One request on slirp4netns's API socket; its answer's return, or its error as a RuntimeError. */
function slirpRequest(socket: string, request: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const conn = net.connect(socket);
    let text = '';
    conn.on('connect', () => conn.end(JSON.stringify(request)));
    conn.on('data', (d) => (text += d.toString()));
    conn.on('error', (err) => reject(new RuntimeError(`slirp4netns API: ${err.message}`)));
    conn.on('close', () => {
      try {
        const answer = JSON.parse(text) as { return?: unknown; error?: { desc?: string } };
        if (answer.error) reject(new RuntimeError(`slirp4netns: ${answer.error.desc ?? JSON.stringify(answer.error)}`));
        // add_hostfwd answers {"return": {...}}, list_hostfwd its {"entries": [...]} bare.
        else resolve(answer.return ?? answer);
      } catch {
        reject(new RuntimeError(`slirp4netns API: unexpected answer ${JSON.stringify(text)}`));
      }
    });
  });
}

/** Publishes each port through slirp4netns (the client's address is not kept: it appears as the gateway). */
export async function slirpForward(socket: string, ports: PortMapping[]): Promise<void> {
  for (const p of eachPort(ports)) {
    await slirpRequest(socket, { execute: 'add_hostfwd', arguments: { proto: p.protocol, host_addr: p.hostIp || '0.0.0.0', host_port: p.hostPort, guest_port: p.containerPort } });
  }
}

/** Removes slirp4netns's forwards of these host ports (for a shared slirp4netns that outlives the container). */
export async function slirpUnforward(socket: string, ports: PortMapping[]): Promise<void> {
  const listed = (await slirpRequest(socket, { execute: 'list_hostfwd' })) as { entries?: Array<{ id: number; proto: string; host_port: number }> };
  const wanted = new Set(eachPort(ports).map((p) => `${p.protocol}/${p.hostPort}`));
  for (const e of listed.entries ?? []) {
    if (wanted.has(`${e.proto}/${e.host_port}`)) await slirpRequest(socket, { execute: 'remove_hostfwd', arguments: { id: e.id } });
  }
}

/** The lowest port a user may bind on this host (net.ipv4.ip_unprivileged_port_start). */
export function unprivilegedPortStart(): number {
  try {
    return Number(fs.readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').trim());
  } catch {
    return 1024;
  }
}

function tryBind(p: PortMapping): Promise<number> {
  const host = p.hostIp || '0.0.0.0';
  return new Promise((resolve, reject) => {
    if (p.protocol === 'udp') {
      const sock = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
      sock.once('error', reject);
      sock.bind(p.hostPort, host, () => {
        const port = sock.address().port;
        sock.close(() => resolve(port));
      });
      return;
    }
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host, port: p.hostPort, exclusive: true }, () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function bindError(p: PortMapping, err: NodeJS.ErrnoException): Error {
  const where = `${p.hostIp || '0.0.0.0'}:${p.hostPort}/${p.protocol}`;
  if (err.code === 'EADDRINUSE') return new InvalidArgumentError(`cannot publish ${where}: the port is already in use (by another program or container): choose another host port, e.g. -p ${p.hostPort + 1}:${p.containerPort}`);
  if (err.code === 'EADDRNOTAVAIL') return new InvalidArgumentError(`cannot publish ${where}: ${p.hostIp} is not an address of this host`);
  if (err.code === 'EACCES') return new InvalidArgumentError(`cannot publish ${where}: permission denied`);
  return new InvalidArgumentError(`cannot publish ${where}: ${err.message}`);
}

/**
 * Gives mappings without a host port a free one, and checks that every host port can be bound
 * now (so that a taken port fails before anything is made). Ports below the unprivileged start
 * get Podman's explanation.
 */
export async function claimHostPorts(ports: PortMapping[]): Promise<PortMapping[]> {
  const start = unprivilegedPortStart();
  const out: PortMapping[] = [];
  for (const p of ports) {
    if (p.hostPort !== 0 && p.hostPort < start) {
      throw new InvalidArgumentError(`cannot publish host port ${p.hostPort}: rootless containers cannot expose privileged ports below ${start} (net.ipv4.ip_unprivileged_port_start=${start}); use a higher host port (-p ${p.hostPort + 8000}:${p.containerPort}), or let users bind lower ones with "sudo sysctl net.ipv4.ip_unprivileged_port_start=${p.hostPort}"`);
    }
    let hostPort = p.hostPort;
    for (const one of eachPort([p])) {
      try {
        const bound = await tryBind(one);
        if (hostPort === 0) hostPort = bound;
      } catch (err) {
        throw bindError(one, err as NodeJS.ErrnoException);
      }
    }
    out.push({ ...p, hostPort });
  }
  return out;
}
