// --link NAME[:ALIAS] and --link-local-ip of run/create (issue 19), checked at create time.
// --link as Docker did it: the linked container's name and alias resolve in this container only
// (entries in its /etc/hosts, one way), which needs a network both are on: tspod's user-defined
// networks (podman included). (--ip6 is refused in commands/refusals.ts: no IPv6 subnets.)
// --link-local-ip: Podman documents it as "not implemented"; tspod adds the address to
// the container's interface on its first network (Docker's meaning).
import { InvalidArgumentError, InvalidStateError } from '../../src/errors';
import type { Container } from '../container/container';

export interface LinkFlags {
  link: string[];
  linkLocalIp: string[];
}

/**
 * What the spec keeps: each link (the container's ID, its name then, the alias, and for Docker's
 * link variables its exposed ports, "80/tcp", and its environment, as they were at create time).
 */
export interface LinkSpec {
  links?: Array<{ id: string; name: string; alias: string; ports?: string[]; env?: string[] }>;
  linkLocalIps?: string[];
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The flags checked: links resolved to containers (resolve throws for a name that is none), addresses validated. */
export function checkLinkFlags(flags: LinkFlags | undefined, userNets: boolean, resolve: (name: string) => Container, imagePorts: (c: Container) => string[] = () => []): LinkSpec {
  if (!flags) return {};
  const out: LinkSpec = {};
  if (flags.link.length) {
    if (!userNets) throw new InvalidArgumentError('--link needs a network both containers are on: use --network NAME (a network of the linked container, e.g. podman)');
    out.links = flags.link.map((l) => {
      const [name, alias = name, ...rest] = l.split(':');
      if (!name || !alias || rest.length) throw new InvalidArgumentError(`invalid --link "${l}": use NAME[:ALIAS], e.g. --link db:database`);
      const c = resolve(name);
      const ports = [...imagePorts(c), ...(c.spec.expose ?? []), ...(c.spec.ports ?? []).map((p) => `${p.containerPort}/${p.protocol}`)].map((p) => (p.includes('/') ? p : `${p}/tcp`));
      return { id: c.id, name: c.name, alias, ports: [...new Set(ports)], env: c.spec.env ?? [] };
    });
  }
  for (const ip of flags.linkLocalIp) {
    const m = IPV4.exec(ip);
    if (!m || Number(m[1]) !== 169 || Number(m[2]) !== 254 || Number(m[3]) > 255 || Number(m[4]) > 255) throw new InvalidArgumentError(`invalid --link-local-ip "${ip}": give an IPv4 link-local address (169.254.0.0/16), e.g. 169.254.10.5`);
    if (!userNets) throw new InvalidArgumentError('--link-local-ip needs a user-defined network: use --network NAME');
    (out.linkLocalIps ??= []).push(ip);
  }
  return out;
}

/** The hosts lines of c's links: each linked container's address on a network they share, as alias and name. */
export function linkPeers(c: Container, ips: Record<string, { ip: string }> | undefined, all: Container[]): Array<{ ip: string; names: string[] }> {
  const out: Array<{ ip: string; names: string[] }> = [];
  for (const l of c.spec.links ?? []) {
    const o = all.find((x) => x.id === l.id);
    const theirs = o?.status.network?.ips ?? {};
    const shared = Object.keys(ips ?? {}).find((n) => theirs[n]);
    if (o && shared) out.push({ ip: theirs[shared].ip, names: [...new Set([l.alias, o.name])] });
  }
  return out;
}

/** At start: every linked container must be running on a network c is on (Docker: "cannot link to a non running container"). */
export function checkLinksUp(c: Container, networks: string[], all: Container[]): void {
  for (const l of c.spec.links ?? []) {
    const o = all.find((x) => x.id === l.id);
    if (!o) throw new InvalidStateError(`${c.name} links to container ${l.name}, which no longer exists: create it again, or recreate ${c.name} without --link ${l.name}`);
    if (o.state !== 'running') throw new InvalidStateError(`cannot link to a non running container: ${o.name} is ${o.state}; start it first (tspod start ${o.name})`);
    if (!networks.some((n) => o.status.network?.ips?.[n])) throw new InvalidStateError(`${c.name} links to ${o.name}, which is on none of its networks (${networks.join(', ')}): connect it to one (tspod network connect ${networks[0]} ${o.name})`);
  }
}

/**
 * Docker's link variables for each link whose container has an address on a network c is on:
 * ALIAS_NAME=/c/alias, ALIAS_PORT (the lowest port's URL), ALIAS_PORT_80_TCP (URL), _ADDR, _PORT,
 * _PROTO per exposed port, and ALIAS_ENV_X for the linked container's own variables. They come
 * before c's own -e variables, which win.
 */
export function linkEnv(c: Container, ips: Record<string, { ip: string }> | undefined, all: Container[]): string[] {
  const out: string[] = [];
  for (const l of c.spec.links ?? []) {
    const o = all.find((x) => x.id === l.id);
    const theirs = o?.status.network?.ips ?? {};
    const shared = Object.keys(ips ?? {}).find((n) => theirs[n]);
    if (!shared) continue;
    const ip = theirs[shared].ip;
    const prefix = l.alias.toUpperCase().replace(/[^A-Z0-9]/g, '_');
    out.push(`${prefix}_NAME=/${c.name}/${l.alias}`);
    const ports = (l.ports ?? []).map((p) => p.split('/')).sort((a, b) => Number(a[0]) - Number(b[0]) || a[1].localeCompare(b[1]));
    if (ports.length) out.push(`${prefix}_PORT=${ports[0][1]}://${ip}:${ports[0][0]}`);
    for (const [port, proto] of ports) {
      const key = `${prefix}_PORT_${port}_${proto.toUpperCase()}`;
      out.push(`${key}=${proto}://${ip}:${port}`, `${key}_ADDR=${ip}`, `${key}_PORT=${port}`, `${key}_PROTO=${proto}`);
    }
    for (const e of l.env ?? []) {
      const eq = e.indexOf('=');
      if (eq > 0 && !['HOME', 'PATH', 'HOSTNAME'].includes(e.slice(0, eq))) out.push(`${prefix}_ENV_${e}`);
    }
  }
  return out;
}
