// `search`: Docker Hub's search API for docker.io, the /v2/_catalog listing elsewhere (the
// distribution API has no search). Registries that cannot be asked are reported, not hidden.
import { InvalidArgumentError, RegistryError } from '../../src/errors';
import { parseReference } from './reference';
import { log } from '../../src/log';
import type { RegistriesConf } from '../config/registries-conf';
import { lookupCredentials } from './auth-file';
import { hubSearch, RegistryClient } from './registry-client';
import { endpointsFor } from './registry-resolver';

export interface SearchResult {
  Index: string;
  Name: string;
  Description: string;
  Stars: number;
  Official: string;
  Automated: string;
  /** With --list-tags: one result per tag. */
  Tag: string;
}

export interface SearchOptions {
  limit: number;
  tlsVerify?: boolean;
  authFile?: string;
  /** Podman's stars=N, is-official=BOOL, is-automated=BOOL. */
  filters?: string[];
  listTags?: boolean;
}

/** Podman's search filters as a test of a result; a bad one is refused with the keys there are. */
export function searchFilter(filters: string[]): (r: SearchResult) => boolean {
  const tests: Array<(r: SearchResult) => boolean> = [];
  for (const f of filters) {
    const eq = f.indexOf('=');
    const key = eq > 0 ? f.slice(0, eq) : f;
    const value = eq > 0 ? f.slice(eq + 1) : '';
    if (key === 'stars') {
      if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`invalid filter "${f}": stars takes a whole number, e.g. stars=10`);
      tests.push((r) => r.Stars >= Number(value));
    } else if (key === 'is-official' || key === 'is-automated') {
      if (value !== 'true' && value !== 'false') throw new InvalidArgumentError(`invalid filter "${f}": ${key} takes true or false`);
      const field = key === 'is-official' ? 'Official' : 'Automated';
      tests.push((r) => (r[field] === '[OK]') === (value === 'true'));
    } else {
      throw new InvalidArgumentError(`invalid filter "${f}": search takes stars=, is-official= and is-automated=`);
    }
  }
  return (r) => tests.every((t) => t(r));
}

/** `search --list-tags REGISTRY/NAME`: the repository's tags, one result each (the term must name the registry). */
async function listTags(term: string, conf: RegistriesConf, opts: SearchOptions): Promise<SearchResult[]> {
  if (opts.filters?.length) throw new InvalidArgumentError('filters are not applicable to list tags result');
  const ref = parseReference(term);
  if (!ref.domain) throw new InvalidArgumentError(`--list-tags needs a fully specified image name, with its registry: e.g. tspod search --list-tags docker.io/${term}`);
  if (ref.tag || ref.digest) throw new InvalidArgumentError(`--list-tags lists a repository's tags: give ${ref.domain}/${ref.path} without a tag or digest`);
  const ep = endpointsFor(ref, conf, opts.tlsVerify).filter((e) => !e.mirror)[0];
  const client = new RegistryClient({ host: ep.host, insecure: ep.insecure }, lookupCredentials(ep.host, opts.authFile), ref.domain);
  const tags = await client.tags(ref.path).catch((err: Error) => {
    throw new RegistryError(`getting repository tags: ${err.message}`);
  });
  const name = `${ref.domain}/${ref.path}`;
  return tags.slice(0, opts.limit).map((Tag) => ({ Index: ref.domain, Name: name, Description: '', Stars: 0, Official: '', Automated: '', Tag }));
}

async function searchHub(term: string, limit: number): Promise<SearchResult[]> {
  const results = await hubSearch(term, limit);
  return results.map((r) => ({
    Index: 'docker.io',
    Name: `docker.io/${r.name.includes('/') ? r.name : `library/${r.name}`}`,
    Description: r.description ?? '',
    Stars: r.star_count ?? 0,
    Official: r.is_official ? '[OK]' : '',
    Automated: r.is_automated ? '[OK]' : '',
    Tag: '',
  }));
}

export async function searchImages(term: string, conf: RegistriesConf, opts: SearchOptions): Promise<SearchResult[]> {
  if (opts.listTags) return listTags(term, conf, opts);
  const keep = searchFilter(opts.filters ?? []);
  // "host/term" searches that registry; a bare term searches every unqualified-search registry.
  const slash = term.indexOf('/');
  const explicit = slash > 0 && /[.:]|^localhost$/.test(term.slice(0, slash)) ? term.slice(0, slash) : null;
  const registries = explicit ? [explicit] : conf.unqualifiedSearchRegistries;
  const needle = explicit ? term.slice(slash + 1) : term;
  if (registries.length === 0) throw new RegistryError(`no registries to search: name one (tspod search registry.example.com/${term}) or set unqualified-search-registries in registries.conf`);
  const results: SearchResult[] = [];
  const errors: string[] = [];
  for (const registry of registries) {
    try {
      if (registry === 'docker.io') {
        results.push(...(await searchHub(needle, opts.limit)).filter(keep));
        continue;
      }
      const ep = endpointsFor({ domain: registry, path: 'x' }, conf, opts.tlsVerify).filter((e) => !e.mirror)[0];
      const client = new RegistryClient({ host: ep.host, insecure: ep.insecure }, lookupCredentials(ep.host, opts.authFile), registry);
      const names = await client.catalog(1000);
      for (const n of names.filter((x) => x.includes(needle)).slice(0, opts.limit)) {
        const r = { Index: registry, Name: `${registry}/${n}`, Description: '', Stars: 0, Official: '', Automated: '', Tag: '' };
        if (keep(r)) results.push(r);
      }
    } catch (err) {
      const msg = `cannot search ${registry}: ${(err as Error).message}`;
      log.warn(msg);
      errors.push(msg);
    }
  }
  if (results.length === 0 && errors.length === registries.length) throw new RegistryError(errors.join('; '));
  return results;
}
