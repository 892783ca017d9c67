// The Compose Specification's short syntaxes parsed into their long forms, as compose-go reads them:
// ports ("[ip:][host[-range]:]container[-range][/proto]", one entry per container port), volumes
// ("source:target:options"), shell words for command/entrypoint, extra_hosts and byte sizes.
import path from 'node:path';
import { ramInBytes } from '../container/resource-flags';
import type { ServicePort, ServiceVolume } from './types';

/** A short port spec's entries (thrown errors are plain messages; the caller adds file, line and key). */
export function parsePortSpec(spec: string): ServicePort[] {
  let rest = spec;
  let proto = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    proto = rest.slice(slash + 1).toLowerCase();
    rest = rest.slice(0, slash);
  }
  if (!['tcp', 'udp', 'sctp'].includes(proto)) throw new Error(`invalid proto: ${proto}: use tcp or udp`);
  const parts = rest.split(':');
  const n = parts.length;
  const container = parts[n - 1];
  let host = '';
  let ip = '';
  if (n === 2) host = parts[0];
  else if (n >= 3) {
    host = parts[n - 2];
    ip = parts.slice(0, n - 2).join(':');
  }
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (ip && !isIp(ip)) throw new Error(`invalid ip address: ${ip}`);
  if (!container) throw new Error(`no port specified: ${spec}<empty>`);
  const [start, end] = portRange(container, 'containerPort');
  let hostStart = 0;
  let hostEnd = 0;
  if (host) [hostStart, hostEnd] = portRange(host, 'hostPort');
  if (host && end - start !== hostEnd - hostStart && end !== start) {
    throw new Error(`invalid ranges specified for container and host ports: ${container} and ${host}`);
  }
  const ports: Array<{ key: string; port: ServicePort }> = [];
  for (let i = 0; i <= end - start; i++) {
    const target = start + i;
    let published: string | undefined;
    if (host) {
      published = String(hostStart + i);
      if (start === end && hostStart !== hostEnd) published = `${hostStart}-${hostEnd}`;
    }
    const port: ServicePort = { mode: 'ingress', target, protocol: proto as ServicePort['protocol'] };
    if (ip) port.host_ip = ip;
    if (published !== undefined) port.published = published;
    ports.push({ key: `${target}/${proto}`, port });
  }
  // compose-go sorts a spec's ports by their "port/proto" keys as strings.
  ports.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return ports.map((p) => p.port);
}

function portRange(s: string, what: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (!m) throw new Error(`invalid ${what}: ${s}`);
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (a > 65535 || b > 65535) throw new Error(`invalid ${what}: ${s}: ports go up to 65535`);
  if (b < a) throw new Error(`invalid range specified for ${what}: ${s}`);
  return [a, b];
}

function isIp(s: string): boolean {
  if (/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s)) return s.split('.').every((o) => Number(o) <= 255);
  return /^[0-9a-fA-F:.]+$/.test(s) && s.includes(':');
}

/** A short volume spec: "target", "source:target", "source:target:ro,z,...". Sources starting with ".", "/" or "~" are binds. */
export function parseVolumeSpec(spec: string): ServiceVolume {
  if (spec.length === 0) throw new Error('invalid empty volume spec');
  if (spec.length <= 2) return { type: 'volume', target: spec };
  const parts = spec.split(':');
  if (parts.some((p) => p === '')) throw new Error(`invalid spec: ${spec}: empty section between colons`);
  if (parts.length > 3) throw new Error(`invalid spec: ${spec}: too many colons`);
  const vol: ServiceVolume = { type: 'volume', target: '' };
  if (parts.length === 1) vol.target = parts[0];
  else {
    vol.source = parts[0];
    vol.target = parts[1];
  }
  for (const option of parts.length === 3 ? parts[2].split(',') : []) {
    switch (option) {
      case 'ro':
        vol.read_only = true;
        break;
      case 'rw':
        vol.read_only = false;
        break;
      case 'nocopy':
        vol.volume = { nocopy: true };
        break;
      case 'z':
      case 'Z':
        vol.bind = { ...vol.bind, selinux: option };
        break;
      case 'rprivate':
      case 'private':
      case 'rshared':
      case 'shared':
      case 'rslave':
      case 'slave':
        vol.bind = { ...vol.bind, propagation: option };
        break;
      default:
        // compose-go ignores options it does not know.
        break;
    }
  }
  if (vol.source !== undefined && /^[./~]/.test(vol.source)) {
    vol.type = 'bind';
    // Short binds create a missing host path, as docker-compose v1 did.
    vol.bind = { ...vol.bind, create_host_path: true };
  } else {
    vol.volume ??= {};
  }
  if (vol.read_only === false) delete vol.read_only;
  return vol;
}

/** "~" and "~/x" expanded with `home`, relative paths made absolute against `base`, the result cleaned. */
export function absolutePath(p: string, base: string, home: string): string {
  let s = p;
  if (s === '~') s = home;
  else if (s.startsWith('~/')) s = path.join(home, s.slice(2));
  return path.resolve(base, s);
}

/** A container path cleaned as Go's path.Clean ("/data/" → "/data"). */
export function cleanTarget(target: string): string {
  return target === '' ? '' : path.posix.normalize(target).replace(/(.)\/$/, '$1');
}

/** Shell words as go-shellwords splits a command string: blanks separate, quotes group, backslash escapes. */
export function shellSplit(line: string): string[] {
  const args: string[] = [];
  let buf = '';
  let have = false;
  let quote: '"' | "'" | undefined;
  let escaped = false;
  for (const c of line) {
    if (escaped) {
      // In double quotes a backslash escapes only $ ` " \ and newline; elsewhere it keeps the backslash.
      if (quote === '"' && !'$`"\\\n'.includes(c)) buf += '\\';
      buf += c;
      escaped = false;
      have = true;
      continue;
    }
    if (c === '\\' && quote !== "'") {
      escaped = true;
      continue;
    }
    if (quote) {
      if (c === quote) quote = undefined;
      else buf += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      have = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (have) args.push(buf);
      buf = '';
      have = false;
      continue;
    }
    buf += c;
    have = true;
  }
  if (quote || escaped) throw new Error(`invalid command line string: ${line}: close the ${escaped ? 'escape' : `${quote} quote`}`);
  if (have) args.push(buf);
  return args;
}

/** extra_hosts as a map of host → addresses: list entries "host=ip" or "host:ip" (ips comma separated), or a map of string or list. */
export function parseExtraHosts(value: unknown): Record<string, string[]> {
  const hosts: Record<string, string[]> = {};
  if (Array.isArray(value)) {
    for (const e of value) {
      const s = String(e);
      const sep = s.includes('=') ? '=' : s.includes(':') ? ':' : undefined;
      if (!sep) throw new Error(`invalid additional host, missing ip: ${s}: write "host=ip"`);
      const at = s.indexOf(sep);
      const host = s.slice(0, at);
      (hosts[host] ??= []).push(...s.slice(at + 1).split(','));
    }
  } else if (value && typeof value === 'object') {
    for (const [host, v] of Object.entries(value as Record<string, unknown>)) {
      hosts[host] = Array.isArray(v) ? v.map(String) : [v == null ? '' : String(v)];
    }
  }
  for (const [host, ips] of Object.entries(hosts)) {
    if (host === '' || /[:=]/.test(host)) throw new Error(`bad host name '${host}'`);
    hosts[host] = ips.map((ip) => (ip.length > 2 && ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip));
  }
  return hosts;
}

/** A byte size: a number as is, a string with units b, k, kb, m, mb, g, gb (binary, as docker's units.RAMInBytes). */
export function parseBytes(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const n = typeof value === 'string' ? ramInBytes(value.trim()) : undefined;
  if (n === undefined) throw new Error(`invalid size: ${String(value)}: use a number of bytes or a size such as 64m or 1g`);
  return n;
}
