// From what the user typed to where to fetch it: short names through registries.conf aliases and
// the unqualified-search list (Podman's rules), then per reference the registry entry with the
// longest matching prefix, its mirrors first and its own location last.
import { InvalidArgumentError, RegistryError } from '../../src/errors';
import type { RegistriesConf, RegistryEntry } from '../config/registries-conf';
import { DEFAULT_DOMAIN, formatReference, normalizeReference, parseReference, type Reference } from './reference';

export interface Endpoint {
  /** API host[:port]. */
  host: string;
  /** Repository path on that host. */
  repo: string;
  insecure: boolean;
  mirror: boolean;
}

/** The fully qualified references a name may mean, in the order to try them. */
export function resolveCandidates(name: string, conf: RegistriesConf): Reference[] {
  const parsed = parseReference(name);
  if (parsed.domain) return [normalizeReference(name)];
  const alias = conf.aliases[parsed.path];
  if (alias) {
    const target = normalizeReference(alias);
    return [{ ...target, tag: parsed.tag ?? (parsed.digest ? undefined : target.tag), digest: parsed.digest }];
  }
  const search = conf.unqualifiedSearchRegistries;
  if (search.length === 0) {
    throw new InvalidArgumentError(
      `short-name "${name}" did not resolve to an alias and no unqualified-search registries are defined in registries.conf: use a fully qualified name such as docker.io/library/${name}`,
    );
  }
  const candidates = search.map((registry) => normalizeReference(`${registry}/${name}`));
  // docker.io/<one component> means docker.io/library/<component>.
  for (const c of candidates) if (c.domain === DEFAULT_DOMAIN && !c.path.includes('/')) c.path = `library/${c.path}`;
  if (candidates.length > 1 && conf.shortNameMode === 'enforcing') {
    throw new InvalidArgumentError(
      `short-name "${name}" is ambiguous: it could be any of ${candidates.map((c) => formatReference(c)).join(', ')}; give the full name you mean (or set short-name-mode = "permissive" in registries.conf to try them in order)`,
    );
  }
  return candidates;
}

function matchEntry(ref: Reference, conf: RegistriesConf): RegistryEntry | undefined {
  const full = `${ref.domain}/${ref.path}`;
  let best: RegistryEntry | undefined;
  for (const r of conf.registries) {
    const p = r.prefix.replace(/\/$/, '');
    const matches = full === p || full.startsWith(`${p}/`) || (p.startsWith('*.') && ref.domain.endsWith(p.slice(1)));
    if (matches && (!best || p.length > best.prefix.length)) best = r;
  }
  return best;
}

/** A location "host[:port][/path]" plus what follows the matched prefix gives host and repo. */
function endpointAt(location: string, rest: string, insecure: boolean, mirror: boolean): Endpoint {
  const slash = location.indexOf('/');
  const host0 = slash < 0 ? location : location.slice(0, slash);
  const prefixPath = slash < 0 ? '' : location.slice(slash + 1);
  const host = host0 === DEFAULT_DOMAIN ? 'registry-1.docker.io' : host0;
  const repo = [prefixPath, rest].filter(Boolean).join('/');
  return { host, repo, insecure, mirror };
}

/** Where to fetch ref from, mirrors first; throws for a blocked registry. */
export function endpointsFor(ref: Reference, conf: RegistriesConf, tlsVerify?: boolean): Endpoint[] {
  const entry = matchEntry(ref, conf);
  const full = `${ref.domain}/${ref.path}`;
  if (entry?.blocked) throw new RegistryError(`registry ${entry.prefix} is blocked in registries.conf: ${formatReference(ref)} cannot be used`);
  const insecureOverride = tlsVerify === false;
  if (!entry) {
    const rest = ref.path;
    return [endpointAt(ref.domain, rest, insecureOverride, false)];
  }
  const prefix = entry.prefix.startsWith('*.') ? ref.domain : entry.prefix.replace(/\/$/, '');
  const rest = full.slice(prefix.length).replace(/^\//, '');
  const location = entry.prefix.startsWith('*.') ? ref.domain : entry.location;
  // With a location equal to a bare host and prefix the same host, rest is the repo path.
  return [
    ...entry.mirrors.map((m) => endpointAt(m.location, rest, m.insecure || insecureOverride, true)),
    endpointAt(location, rest, entry.insecure || insecureOverride, false),
  ];
}
