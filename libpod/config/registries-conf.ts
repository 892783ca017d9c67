// Podman's registries.conf (v2 format, and the old v1 [registries.search] tables): search list for
// short names, aliases, and per-prefix registries with mirrors. The first file found wins, as in
// containers/image: tspod's own, then the user's Podman file, then the system's; drop-ins apply on top.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../src/errors';
import { parseToml } from './toml';

export interface Mirror {
  location: string;
  insecure: boolean;
}

export interface RegistryEntry {
  prefix: string;
  location: string;
  insecure: boolean;
  blocked: boolean;
  mirrors: Mirror[];
}

export interface RegistriesConf {
  files: string[];
  unqualifiedSearchRegistries: string[];
  shortNameMode: 'enforcing' | 'permissive' | 'disabled';
  aliases: Record<string, string>;
  registries: RegistryEntry[];
}

type Env = Record<string, string | undefined>;

export function registriesConfCandidates(configDir: string, env: Env = process.env): string[] {
  if (env.CONTAINERS_REGISTRIES_CONF) return [env.CONTAINERS_REGISTRIES_CONF];
  const home = env.HOME ?? '';
  const configHome = env.XDG_CONFIG_HOME || path.join(home, '.config');
  return [path.join(configDir, 'registries.conf'), path.join(configHome, 'containers', 'registries.conf'), '/etc/containers/registries.conf'];
}

function empty(): RegistriesConf {
  return { files: [], unqualifiedSearchRegistries: [], shortNameMode: 'enforcing', aliases: {}, registries: [] };
}

function strings(file: string, key: string, v: unknown): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new ConfigError(`${file}: ${key} must be a list of strings`);
  return v as string[];
}

function bool(file: string, key: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new ConfigError(`${file}: ${key} must be true or false`);
  return v;
}

function registryEntry(file: string, raw: Record<string, unknown>, i: number): RegistryEntry {
  const location = typeof raw.location === 'string' ? raw.location : '';
  const prefix = typeof raw.prefix === 'string' && raw.prefix !== '' ? raw.prefix : location;
  if (!prefix) throw new ConfigError(`${file}: [[registry]] number ${i + 1} needs a prefix or a location`);
  const mirrors = Array.isArray(raw.mirror) ? raw.mirror : [];
  return {
    prefix,
    location: location || prefix,
    insecure: bool(file, `registry "${prefix}" insecure`, raw.insecure),
    blocked: bool(file, `registry "${prefix}" blocked`, raw.blocked),
    mirrors: mirrors.map((m: Record<string, unknown>) => {
      if (typeof m.location !== 'string' || !m.location) throw new ConfigError(`${file}: a mirror of "${prefix}" has no location`);
      return { location: m.location, insecure: bool(file, `mirror "${m.location}" insecure`, m.insecure) };
    }),
  };
}

/** Merges one parsed file into conf; a later file's keys replace earlier ones, registries by prefix. */
export function applyRegistriesConf(conf: RegistriesConf, doc: Record<string, unknown>, file: string): RegistriesConf {
  const v1 = doc.registries as Record<string, { registries?: unknown }> | undefined;
  if (v1 && typeof v1 === 'object' && !Array.isArray(v1)) {
    if (doc['unqualified-search-registries'] !== undefined || doc.registry !== undefined) {
      throw new ConfigError(`${file} mixes the v1 [registries.*] tables with v2 keys: use only the v2 format`);
    }
    if (v1.search?.registries) conf.unqualifiedSearchRegistries = strings(file, 'registries.search.registries', v1.search.registries);
    for (const host of v1.insecure?.registries ? strings(file, 'registries.insecure.registries', v1.insecure.registries) : []) {
      conf.registries.push({ prefix: host, location: host, insecure: true, blocked: false, mirrors: [] });
    }
    for (const host of v1.block?.registries ? strings(file, 'registries.block.registries', v1.block.registries) : []) {
      conf.registries.push({ prefix: host, location: host, insecure: false, blocked: true, mirrors: [] });
    }
  }
  if (doc['unqualified-search-registries'] !== undefined) {
    conf.unqualifiedSearchRegistries = strings(file, 'unqualified-search-registries', doc['unqualified-search-registries']);
  }
  const mode = doc['short-name-mode'];
  if (mode !== undefined) {
    if (mode !== 'enforcing' && mode !== 'permissive' && mode !== 'disabled') {
      throw new ConfigError(`${file}: short-name-mode must be "enforcing", "permissive" or "disabled"`);
    }
    conf.shortNameMode = mode;
  }
  if (doc.aliases !== undefined) {
    for (const [k, v] of Object.entries(doc.aliases as Record<string, unknown>)) {
      if (typeof v !== 'string') throw new ConfigError(`${file}: alias "${k}" must be a string`);
      conf.aliases[k] = v;
    }
  }
  if (doc.registry !== undefined) {
    if (!Array.isArray(doc.registry)) throw new ConfigError(`${file}: registry must be written as [[registry]] tables`);
    doc.registry.forEach((raw: Record<string, unknown>, i: number) => {
      const entry = registryEntry(file, raw, i);
      conf.registries = conf.registries.filter((r) => r.prefix !== entry.prefix).concat(entry);
    });
  }
  conf.files.push(file);
  return conf;
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

export function loadRegistriesConf(configDir: string, env: Env = process.env): RegistriesConf {
  const conf = empty();
  for (const file of registriesConfCandidates(configDir, env)) {
    const text = readIfExists(file);
    if (text === undefined) continue;
    applyRegistriesConf(conf, parseToml(text, file), file);
    const dropins = `${file}.d`;
    let names: string[] = [];
    try {
      names = fs.readdirSync(dropins).filter((n) => n.endsWith('.conf')).sort();
    } catch {
      names = [];
    }
    for (const name of names) {
      const dfile = path.join(dropins, name);
      applyRegistriesConf(conf, parseToml(readIfExists(dfile) ?? '', dfile), dfile);
    }
    break;
  }
  return conf;
}
