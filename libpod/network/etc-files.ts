// The container's /etc/resolv.conf and /etc/hosts, and the host's addresses they need. Pure but
// for hostRoute/hostAddress, which read /proc/net/route and the host's interfaces.
import os from 'node:os';
import type { NetworkKind } from './network-spec';
import { readIfExists } from '../../src/files';

export interface DnsFlags {
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
}

const isLoopback = (ip: string) => ip.startsWith('127.') || ip === '::1';

/**
 * resolv.conf from the host's: --dns replaces the name servers (none: no name server), loopback
 * servers the container cannot reach become the mode's forwarder, --dns-search replaces the
 * search domains ("." for none), else the networks' (dns.podman) come before the host's;
 * --dns-option adds options.
 */
export function resolvConf(host: string, flags: DnsFlags, forwarder: string | undefined, networkSearch: string[] = []): string {
  const lines = host.split('\n').map((l) => l.trim());
  const values = (key: string) => lines.filter((l) => l.startsWith(`${key} `) || l.startsWith(`${key}\t`)).flatMap((l) => l.split(/\s+/).slice(1));
  let servers = flags.dns.length ? flags.dns.filter((s) => s !== 'none') : values('nameserver');
  if (!flags.dns.length && forwarder) {
    const reachable = servers.filter((s) => !isLoopback(s));
    servers = reachable.length ? reachable : [forwarder];
  }
  const search = flags.dnsSearch.length ? flags.dnsSearch.filter((s) => s !== '.') : [...networkSearch, ...values('search'), ...values('domain')].filter((v, i, a) => a.indexOf(v) === i);
  const options = [...values('options'), ...flags.dnsOptions].filter((v, i, a) => a.indexOf(v) === i);
  const out = [...(search.length ? [`search ${search.join(' ')}`] : []), ...servers.map((s) => `nameserver ${s}`), ...(options.length ? [`options ${options.join(' ')}`] : [])];
  return `${out.join('\n')}\n`;
}

export interface HostsInput {
  kind: NetworkKind;
  name: string;
  hostname: string;
  /** The container's own address in its network (none: 127.0.1.1). */
  ip?: string;
  /** What host.containers.internal points at (undefined: no route to the host). */
  hostAddress?: string;
  addHosts: Array<{ host: string; ip: string }>;
  /** The host's /etc/hosts, used with --network host. */
  hostHosts: string;
  /** --hosts-file: the base the entries are added to (instead of the loopback lines, or the host's file). */
  base?: string;
  /** Other containers on the same user-defined networks: address and names (name, aliases, short ID). */
  peers?: Array<{ ip: string; names: string[] }>;
}

/** /etc/hosts: loopback names, --add-host entries, the container's names, host.containers.internal. */
export function hostsFile(h: HostsInput): string {
  const own = [...new Set([h.hostname, h.name])].join(' ');
  const lines: string[] = [];
  if (h.base !== undefined) lines.push(h.base.trimEnd());
  if (h.kind === 'host' && h.base === undefined) lines.push(h.hostHosts.trimEnd());
  // --hosts-file: the base's own localhost lines stand.
  else if (!/^\s*[^#\s]+\s+(.*\s)?localhost(\s|$)/m.test(h.base ?? '')) lines.push('127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4', '::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6');
  for (const a of h.addHosts) {
    const ip = a.ip === 'host-gateway' ? h.hostAddress : a.ip;
    if (ip) lines.push(`${ip}\t${a.host}`);
  }
  lines.push(`${h.ip ?? '127.0.1.1'}\t${own}`);
  for (const p of h.peers ?? []) lines.push(`${p.ip}\t${p.names.join(' ')}`);
  if (h.hostAddress && h.kind !== 'host') lines.push(`${h.hostAddress}\thost.containers.internal host.docker.internal`);
  return `${lines.filter(Boolean).join('\n')}\n`;
}

/** The host's default route: its interface and gateway (from /proc/net/route). */
export function hostRoute(table = readIfExists('/proc/net/route')): { iface: string; gateway: string } | undefined {
  for (const line of table.split('\n').slice(1)) {
    const [iface, dest, gw] = line.trim().split(/\s+/);
    if (dest === '00000000' && gw) {
      const n = parseInt(gw, 16);
      return { iface, gateway: [n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255].join('.') };
    }
  }
  return undefined;
}

/** The host's IPv4 address on its default route's interface (else its first non-loopback one). */
export function hostAddress(): string | undefined {
  const ifaces = os.networkInterfaces();
  const route = hostRoute();
  const v4 = (name: string) => ifaces[name]?.find((a) => a.family === 'IPv4' && !a.internal)?.address;
  if (route && v4(route.iface)) return v4(route.iface);
  for (const name of Object.keys(ifaces)) if (v4(name)) return v4(name);
  return undefined;
}

