// `search`: Docker Hub's search API for docker.io, the /v2/_catalog listing elsewhere (the
// distribution API has no search). Registries that cannot be asked are reported, not hidden.
import { RegistryError } from '../../src/errors';
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
  }));
}

export async function searchImages(term: string, conf: RegistriesConf, opts: { limit: number; tlsVerify?: boolean; authFile?: string }): Promise<SearchResult[]> {
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
        results.push(...(await searchHub(needle, opts.limit)));
        continue;
      }
      const ep = endpointsFor({ domain: registry, path: 'x' }, conf, opts.tlsVerify).filter((e) => !e.mirror)[0];
      const client = new RegistryClient({ host: ep.host, insecure: ep.insecure }, lookupCredentials(ep.host, opts.authFile), registry);
      const names = await client.catalog(1000);
      for (const n of names.filter((x) => x.includes(needle)).slice(0, opts.limit)) {
        results.push({ Index: registry, Name: `${registry}/${n}`, Description: '', Stars: 0, Official: '', Automated: '' });
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
