// User-defined networks as the state database keeps them, and the address arithmetic they need:
// subnets chosen from 10.89.N.0/24 (as Podman's netavark does), the gateway at .1, container
// addresses from .2 up. Pure.
import { InvalidArgumentError } from '../../src/errors';

export interface NetworkConfig {
  driver: 'bridge';
  subnet: string;
  gateway: string;
  internal: boolean;
  labels: Record<string, string>;
  /** The bridge's name inside the rootless network namespace (tspod1, tspod2, ... or --interface-name). */
  bridge: string;
  /** --ip-range: containers' addresses come from here only (first and last address). */
  range?: { start: string; end: string };
  /** --route: static routes given to the containers on the network. */
  routes?: Array<{ destination: string; gateway: string; metric?: number }>;
  /** --disable-dns: its containers are not told each other's names. */
  dnsDisabled?: boolean;
  /** --dns: name servers for its containers' resolv.conf (unless the container has its own --dns). */
  dns?: string[];
  /** --opt mtu=: the MTU of the bridge and the containers' interfaces on it. */
  mtu?: number;
}

export interface NetworkCreateOptions {
  subnet?: string;
  gateway?: string;
  internal: boolean;
  labels: Record<string, string>;
  interfaceName?: string;
  ipRange?: string;
  routes?: string[];
  disableDns?: boolean;
  dns?: string[];
  options?: string[];
}

const IFNAME = /^[a-zA-Z0-9_.-]{1,15}$/;

/** --ip-range: a CIDR inside the subnet, or START-END; the first and last address containers may get. */
export function parseIpRange(range: string, subnet: string): { start: string; end: string } {
  let start: number;
  let end: number;
  if (range.includes('/')) {
    const r = parseSubnet(range);
    [start, end] = [r.base + 1, r.base + r.size - 2];
  } else {
    const m = /^([\d.]+)-([\d.]+)$/.exec(range);
    if (!m) throw new InvalidArgumentError(`invalid --ip-range "${range}": give a subnet (10.89.1.128/25) or START-END (10.89.1.10-10.89.1.20)`);
    [start, end] = [ipToNumber(m[1]), ipToNumber(m[2])];
  }
  if (start > end || !inSubnet(numberToIp(start), subnet) || !inSubnet(numberToIp(end), subnet)) throw new InvalidArgumentError(`--ip-range ${range} is not inside subnet ${subnet}: give addresses of that subnet`);
  return { start: numberToIp(start), end: numberToIp(end) };
}

/** --route DESTINATION/BITS,GATEWAY[,METRIC]. */
export function parseRoute(route: string): { destination: string; gateway: string; metric?: number } {
  const [destination, gateway, metric, ...rest] = route.split(',');
  if (!destination || !gateway || rest.length || (metric !== undefined && !/^\d+$/.test(metric))) throw new InvalidArgumentError(`invalid --route "${route}": use DESTINATION/BITS,GATEWAY[,METRIC], e.g. 192.168.9.0/24,10.89.1.5`);
  const m = /^([\d.]+)\/(\d+)$/.exec(destination);
  if (!m || Number(m[2]) > 32) throw new InvalidArgumentError(`invalid --route destination "${destination}": give an IPv4 network such as 192.168.9.0/24`);
  ipToNumber(m[1]);
  ipToNumber(gateway);
  return { destination, gateway, ...(metric === undefined ? {} : { metric: Number(metric) }) };
}

/** --opt KEY=VALUE of the bridge driver: mtu= is taken; others are refused with what tspod does instead. */
export function parseBridgeOptions(options: string[]): { mtu?: number } {
  const out: { mtu?: number } = {};
  for (const o of options) {
    const eq = o.indexOf('=');
    const key = eq < 0 ? o : o.slice(0, eq);
    const value = eq < 0 ? '' : o.slice(eq + 1);
    if (key === 'mtu') {
      if (!/^\d+$/.test(value) || Number(value) < 68 || Number(value) > 65520) throw new InvalidArgumentError(`invalid --opt mtu=${value}: give a number from 68 to 65520`);
      out.mtu = Number(value);
    } else if (key === 'isolate' && ['true', 'strict'].includes(value)) {
      // tspod's networks are always isolated from each other (iptables FORWARD drops between bridges).
    } else {
      throw new InvalidArgumentError(`unsupported --opt "${o}": tspod's bridge driver takes mtu=N and isolate=true (its networks are always isolated from each other)`);
    }
  }
  return out;
}

export interface Network {
  name: string;
  id: string;
  createdAt: number;
  config: NetworkConfig;
}

/** A container's membership of a user-defined network (the spec keeps these). */
export interface Attachment {
  name: string;
  aliases: string[];
  /** --ip: a fixed address; otherwise one is chosen at start. */
  ip?: string;
  mac?: string;
}

export const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
export const RESERVED_NETWORK_NAMES = ['none', 'host', 'bridge', 'private', 'default', 'slirp4netns', 'pasta', 'podman'];

/**
 * Podman's default network, there without being created: its name, its fixed ID, 10.88.0.0/16 on
 * bridge podman0, and no DNS (as in Podman). `--network podman` and `--network bridge` join it.
 */
export const DEFAULT_NETWORK = 'podman';
export function defaultNetwork(): Network {
  const config: NetworkConfig = { driver: 'bridge', subnet: '10.88.0.0/16', gateway: '10.88.0.1', internal: false, labels: {}, bridge: 'podman0', dnsDisabled: true };
  return { name: DEFAULT_NETWORK, id: '2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9', createdAt: Date.now(), config };
}

/** The networks of the state database with the default one first (Podman lists it like the others). */
export function withDefaultNetwork(stored: Network[]): Network[] {
  return [defaultNetwork(), ...stored.filter((n) => n.name !== DEFAULT_NETWORK)];
}

export function ipToNumber(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d+$/.test(p) || Number(p) > 255)) throw new InvalidArgumentError(`invalid IPv4 address "${ip}"`);
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function numberToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseSubnet(subnet: string): { base: number; bits: number; size: number } {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(subnet);
  if (!m || Number(m[2]) < 8 || Number(m[2]) > 30) throw new InvalidArgumentError(`invalid subnet "${subnet}": give an IPv4 network with a prefix from /8 to /30, e.g. 10.89.5.0/24`);
  const bits = Number(m[2]);
  const size = 2 ** (32 - bits);
  const base = ipToNumber(m[1]);
  if (base % size !== 0) throw new InvalidArgumentError(`invalid subnet "${subnet}": ${m[1]} is not the start of a /${bits} network (it would be ${numberToIp(base - (base % size))}/${bits})`);
  return { base, bits, size };
}

export function inSubnet(ip: string, subnet: string): boolean {
  const s = parseSubnet(subnet);
  const n = ipToNumber(ip);
  return n > s.base && n < s.base + s.size - 1;
}

function overlaps(a: string, b: string): boolean {
  const x = parseSubnet(a);
  const y = parseSubnet(b);
  return x.base < y.base + y.size && y.base < x.base + x.size;
}

/**
 * The config of a new network: the subnet given (checked against the others and slirp4netns's
 * 10.0.2.0/24) or the first free 10.89.N.0/24; the gateway given (inside it) or its first address.
 */
export function newNetworkConfig(opts: NetworkCreateOptions, existing: Network[]): NetworkConfig {
  const taken = existing.map((n) => n.config.subnet);
  let subnet = opts.subnet;
  if (subnet) {
    parseSubnet(subnet);
    const clash = existing.find((n) => overlaps(n.config.subnet, subnet!));
    if (clash) throw new InvalidArgumentError(`subnet ${subnet} overlaps network ${clash.name} (${clash.config.subnet}): choose another --subnet`);
    if (overlaps(subnet, '10.0.2.0/24')) throw new InvalidArgumentError(`subnet ${subnet} overlaps 10.0.2.0/24, which slirp4netns uses for the connection to the outside: choose another --subnet`);
  } else {
    for (let n = 1; n < 256 && !subnet; n++) if (!taken.some((t) => overlaps(t, `10.89.${n}.0/24`))) subnet = `10.89.${n}.0/24`;
    if (!subnet) throw new InvalidArgumentError('every 10.89.N.0/24 subnet is taken: give one with --subnet');
  }
  const { base } = parseSubnet(subnet);
  const gateway = opts.gateway ?? numberToIp(base + 1);
  if (!inSubnet(gateway, subnet)) throw new InvalidArgumentError(`gateway ${gateway} is not inside subnet ${subnet}: give an address of that subnet`);
  const used = new Set(existing.map((n) => n.config.bridge));
  let bridge = opts.interfaceName;
  if (bridge !== undefined) {
    if (!IFNAME.test(bridge) || bridge === 'tap0' || bridge === 'lo') throw new InvalidArgumentError(`invalid --interface-name "${bridge}": give 1 to 15 letters, digits, '_', '.' or '-' (not lo or tap0)`);
    if (used.has(bridge)) throw new InvalidArgumentError(`--interface-name ${bridge} is the bridge of network ${existing.find((n) => n.config.bridge === bridge)!.name}: choose another name`);
  } else {
    let i = 1;
    while (used.has(`tspod${i}`)) i++;
    bridge = `tspod${i}`;
  }
  const config: NetworkConfig = { driver: 'bridge', subnet, gateway, internal: opts.internal, labels: opts.labels, bridge };
  if (opts.ipRange) config.range = parseIpRange(opts.ipRange, subnet);
  if (opts.routes?.length) config.routes = opts.routes.map(parseRoute);
  if (opts.disableDns) config.dnsDisabled = true;
  if (opts.dns?.length) {
    for (const d of opts.dns) ipToNumber(d);
    config.dns = opts.dns;
  }
  const { mtu } = parseBridgeOptions(opts.options ?? []);
  if (mtu !== undefined) config.mtu = mtu;
  return config;
}

/** The first address of the subnet that is neither the gateway nor taken. */
export function allocateIp(config: NetworkConfig, taken: Set<string>): string {
  const { base, size } = parseSubnet(config.subnet);
  const [first, last] = config.range ? [ipToNumber(config.range.start), ipToNumber(config.range.end)] : [base + 1, base + size - 2];
  for (let n = first; n <= last; n++) {
    const ip = numberToIp(n);
    if (ip !== config.gateway && !taken.has(ip)) return ip;
  }
  throw new InvalidArgumentError(`network ${config.subnet} has no free address left: remove containers from it or create a larger network`);
}

/** A MAC address derived from the IP (02:xx... locally administered), as container runtimes do. */
export function macFor(ip: string): string {
  return ['02', '42', ...ip.split('.').map((p) => Number(p).toString(16).padStart(2, '0'))].join(':');
}

/**
 * Podman 5's `network inspect` document (netavark's network with the containers on it): labels
 * and options left out when empty, as Podman's omitempty does; each running member with its
 * interface, address and MAC.
 */
export function inspectNetwork(n: Network, containers: Record<string, { name: string; ip?: string; mac?: string; ifname?: string }>) {
  const bits = parseSubnet(n.config.subnet).bits;
  const member = (c: { name: string; ip?: string; mac?: string; ifname?: string }) => ({
    name: c.name,
    ...(c.ip ? { interfaces: { [c.ifname ?? 'eth0']: { subnets: [{ ipnet: `${c.ip}/${bits}`, gateway: n.config.gateway }], mac_address: c.mac ?? '' } } } : {}),
  });
  return {
    name: n.name,
    id: n.id,
    driver: n.config.driver,
    network_interface: n.config.bridge,
    created: new Date(n.createdAt).toISOString(),
    subnets: [{ subnet: n.config.subnet, gateway: n.config.gateway, ...(n.config.range ? { lease_range: { start_ip: n.config.range.start, end_ip: n.config.range.end } } : {}) }],
    ...(n.config.routes ? { routes: n.config.routes } : {}),
    ...(n.config.dns ? { network_dns_servers: n.config.dns } : {}),
    ...(n.config.mtu ? { options: { mtu: String(n.config.mtu) } } : {}),
    ipv6_enabled: false,
    internal: n.config.internal,
    dns_enabled: !n.config.dnsDisabled,
    ...(Object.keys(n.config.labels).length ? { labels: n.config.labels } : {}),
    ipam_options: { driver: 'host-local' },
    containers: Object.fromEntries(Object.entries(containers).map(([id, c]) => [id, member(c)])),
  };
}
