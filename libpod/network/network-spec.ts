// What the network flags of run/create mean, decided once at create time: the mode (--network),
// published ports (-p, -P), and the name-resolution flags (--dns*, --add-host). Pure: parsing,
// validation with messages that say what to write instead, and Podman's display of ports.
import { InvalidArgumentError } from '../../src/errors';

export type NetworkKind = 'none' | 'host' | 'slirp4netns' | 'pasta' | 'container' | 'bridge';

export interface NetworkMode {
  kind: NetworkKind;
  /** slirp4netns:/pasta: options; for container:, the other container's name or ID. */
  options: string[];
  container?: string;
}

export interface PortMapping {
  /** '' for every address of the host. */
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
  /** How many consecutive ports from hostPort/containerPort (1 for a single port). */
  range: number;
}

export const SLIRP_OPTIONS = ['allow_host_loopback', 'cidr', 'enable_ipv6', 'mtu', 'outbound_addr', 'port_handler'];

/** --network VALUE; `private`/`bridge`/'' mean the rootless default mode, resolved by the caller. */
export function parseNetworkMode(value: string, defaultKind: 'slirp4netns' | 'pasta' | 'none'): NetworkMode {
  const v = value.trim();
  if (v === '' || v === 'private' || v === 'bridge' || v === 'default') return { kind: defaultKind, options: [] };
  if (v === 'none' || v === 'host') return { kind: v, options: [] };
  if (v.startsWith('container:')) {
    const name = v.slice('container:'.length);
    if (!name) throw new InvalidArgumentError('--network container: needs the name or ID of a container, e.g. --network container:db');
    return { kind: 'container', options: [], container: name };
  }
  const [kind, opts = ''] = splitOnce(v, ':');
  if (kind === 'slirp4netns' || kind === 'pasta') {
    const options = opts ? (kind === 'slirp4netns' ? opts.split(',') : opts.split(',').flatMap((o) => o.split(/\s+/))).filter(Boolean) : [];
    if (kind === 'slirp4netns') validateSlirpOptions(options);
    return { kind, options };
  }
  if (kind === 'ns' || kind.startsWith('ns:')) throw new InvalidArgumentError(`--network ${v}: joining a namespace by path is not supported; use container:NAME to share another container's network`);
  throw new InvalidArgumentError(`unknown network "${v}": use none, host, slirp4netns[:options], pasta[:options] or container:NAME (user-defined networks are not there yet)`);
}

function splitOnce(s: string, sep: string): [string, string?] {
  const i = s.indexOf(sep);
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + 1)];
}

function validateSlirpOptions(options: string[]): void {
  for (const o of options) {
    const [key, val = ''] = splitOnce(o, '=');
    if (!SLIRP_OPTIONS.includes(key)) throw new InvalidArgumentError(`unknown slirp4netns option "${key}": use ${SLIRP_OPTIONS.join(', ')}`);
    if (key === 'port_handler' && val !== 'slirp4netns') throw new InvalidArgumentError(`slirp4netns port_handler "${val}" is not supported: tspod forwards ports through slirp4netns itself (port_handler=slirp4netns)`);
    if ((key === 'allow_host_loopback' || key === 'enable_ipv6') && val !== 'true' && val !== 'false') throw new InvalidArgumentError(`slirp4netns option ${key} takes true or false, not "${val}"`);
    if (key === 'mtu' && !/^\d+$/.test(val)) throw new InvalidArgumentError(`slirp4netns option mtu takes a number, not "${val}"`);
    if (key === 'cidr' && !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(val)) throw new InvalidArgumentError(`slirp4netns option cidr takes an IPv4 network such as 10.0.2.0/24, not "${val}"`);
  }
}

function portNumber(s: string, what: string, spec: string): number {
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 65535) throw new InvalidArgumentError(`invalid ${what} "${s}" in -p ${spec}: ports are 1 to 65535`);
  return Number(s);
}

function portRange(s: string, what: string, spec: string): { start: number; count: number } {
  const [a, b] = splitOnce(s, '-');
  const start = portNumber(a, what, spec);
  if (b === undefined) return { start, count: 1 };
  const end = portNumber(b, what, spec);
  if (end < start) throw new InvalidArgumentError(`invalid ${what} range "${s}" in -p ${spec}: the end is below the start`);
  return { start, count: end - start + 1 };
}

/**
 * -p [[ip:][hostPort]:]containerPort[/tcp|udp]; ranges as 8000-8010:80-90. hostPort 0 means a
 * free port is chosen at create time (as for an omitted host port).
 */
export function parsePublish(spec: string): PortMapping[] {
  let rest = spec.trim();
  let protocol: 'tcp' | 'udp' = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const proto = rest.slice(slash + 1);
    if (proto !== 'tcp' && proto !== 'udp') throw new InvalidArgumentError(`invalid protocol "${proto}" in -p ${spec}: use tcp or udp (sctp is not supported)`);
    protocol = proto;
    rest = rest.slice(0, slash);
  }
  let hostIp = '';
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(.*)$/.exec(rest);
  if (v6) {
    hostIp = v6[1];
    rest = v6[2];
  }
  const parts = rest.split(':');
  if (parts.length > 3 || (v6 && parts.length > 2)) throw new InvalidArgumentError(`invalid -p ${spec}: use [[IP:][HOST_PORT]:]CONTAINER_PORT[/PROTOCOL], e.g. -p 127.0.0.1:8080:80`);
  if (parts.length === 3) {
    hostIp = parts.shift()!;
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(hostIp)) throw new InvalidArgumentError(`invalid host address "${hostIp}" in -p ${spec}: give an IPv4 address, or [IPv6] in brackets`);
  }
  const containerPart = parts.pop()!;
  const hostPart = parts.pop() ?? '';
  const ctr = portRange(containerPart, 'container port', spec);
  if (hostPart === '') {
    return Array.from({ length: ctr.count }, (_, i) => ({ hostIp, hostPort: 0, containerPort: ctr.start + i, protocol, range: 1 }));
  }
  const host = portRange(hostPart, 'host port', spec);
  if (host.count !== ctr.count) throw new InvalidArgumentError(`invalid -p ${spec}: the host range has ${host.count} ports and the container range ${ctr.count}; give ranges of the same length`);
  return [{ hostIp, hostPort: host.start, containerPort: ctr.start, protocol, range: ctr.count }];
}

/** Each port of a mapping on its own (ranges expanded). */
export function eachPort(ports: PortMapping[]): PortMapping[] {
  return ports.flatMap((p) => Array.from({ length: p.range }, (_, i) => ({ ...p, hostPort: p.hostPort + i, containerPort: p.containerPort + i, range: 1 })));
}

/** Docker's `port` lines and inspect's Ports map: "80/tcp" → [{HostIp, HostPort}]. */
export function portBindings(ports: PortMapping[]): Record<string, Array<{ HostIp: string; HostPort: string }>> {
  const out: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const p of eachPort(ports)) (out[`${p.containerPort}/${p.protocol}`] ??= []).push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
  return out;
}

/** The image's EXPOSE list ("80/tcp") as mappings to be given free host ports (-P). */
export function exposedPorts(exposed: Record<string, unknown> | undefined, already: PortMapping[]): PortMapping[] {
  const taken = new Set(eachPort(already).map((p) => `${p.containerPort}/${p.protocol}`));
  const out: PortMapping[] = [];
  for (const key of Object.keys(exposed ?? {})) {
    const [port, proto = 'tcp'] = key.split('/');
    if (!/^\d+$/.test(port) || (proto !== 'tcp' && proto !== 'udp')) continue;
    if (!taken.has(`${port}/${proto}`)) out.push({ hostIp: '', hostPort: 0, containerPort: Number(port), protocol: proto, range: 1 });
  }
  return out;
}

/** --add-host HOST:IP (IP may be host-gateway, the host as the container reaches it). */
export function parseAddHost(value: string): { host: string; ip: string } {
  const i = value.indexOf(':');
  const host = i < 0 ? '' : value.slice(0, i);
  const ip = i < 0 ? '' : value.slice(i + 1).replace(/^\[(.*)\]$/, '$1');
  if (!host || !ip || !(/^\d+\.\d+\.\d+\.\d+$/.test(ip) || ip.includes(':') || ip === 'host-gateway')) {
    throw new InvalidArgumentError(`invalid --add-host "${value}": use HOST:IP, e.g. --add-host db.local:10.0.0.5 or --add-host myhost:host-gateway`);
  }
  return { host, ip };
}

export function validateDns(servers: string[]): void {
  for (const s of servers) {
    if (s === 'none') continue;
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(s) && !/^[0-9a-fA-F:]+$/.test(s)) throw new InvalidArgumentError(`invalid --dns "${s}": give the IP address of a name server`);
  }
}
