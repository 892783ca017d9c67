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

/** What the spec keeps: each link (the container's ID, its name then, and the alias). */
export interface LinkSpec {
  links?: Array<{ id: string; name: string; alias: string }>;
  linkLocalIps?: string[];
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The flags checked: links resolved to containers (resolve throws for a name that is none), addresses validated. */
export function checkLinkFlags(flags: LinkFlags | undefined, userNets: boolean, resolve: (name: string) => Container): LinkSpec {
  if (!flags) return {};
  const out: LinkSpec = {};
  if (flags.link.length) {
    if (!userNets) throw new InvalidArgumentError('--link needs a network both containers are on: use --network NAME (a network of the linked container, e.g. podman)');
    out.links = flags.link.map((l) => {
      const [name, alias = name, ...rest] = l.split(':');
      if (!name || !alias || rest.length) throw new InvalidArgumentError(`invalid --link "${l}": use NAME[:ALIAS], e.g. --link db:database`);
      const c = resolve(name);
      return { id: c.id, name: c.name, alias };
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
