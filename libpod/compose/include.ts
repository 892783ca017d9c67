// Top-level `include:` — other compose projects loaded each as its own (its project directory, its
// env file for interpolation, its relative paths resolved against its directory), whose services,
// networks, volumes, secrets and configs are then added to the including file; defining one of them
// in both is an error, as in Compose.
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { InvalidArgumentError } from '../../src/errors';
import { readEnvFiles } from './env-file';
import { absolutizeDocument } from './relative-paths';
import { isPlainObject, originOf, setOrigin, whereIn } from './yaml-source';

export interface IncludeEntry {
  /** Absolute paths, merged in order. */
  paths: string[];
  projectDirectory: string;
  /** Absolute env files (the included project's .env when none given and it exists); a missing one given is an error. */
  envFiles: string[];
  /** The including file and the line of the entry, for errors. */
  file: string;
  line?: number;
}

/** Loads the merged dict of an included project: its files, its directory, its interpolation environment. */
export type SubProjectLoader = (entry: IncludeEntry, env: Record<string, string>) => Record<string, unknown>;

const SECTIONS = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;
const SINGULAR: Record<string, string> = { services: 'service', networks: 'network', volumes: 'volume', secrets: 'secret', configs: 'config' };

function strings(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

/**
 * The include entries of `doc` (short and long forms). As compose-go: paths and project_directory are
 * relative to `dir` (the including project's directory), env_file to the included project's directory.
 */
export function includeEntries(doc: Record<string, unknown>, dir: string, file: string): IncludeEntry[] {
  const list = doc.include;
  if (!Array.isArray(list)) return [];
  return list.map((item, i) => {
    const line = whereIn(doc, ['include', i])?.line;
    const long: Record<string, unknown> = isPlainObject(item) ? item : { path: item };
    const paths = strings(long.path).map((p) => path.resolve(dir, p));
    if (paths.length === 0) throw new InvalidArgumentError(`${file}${line ? `:${line}` : ''}: include[${i}]: a path is required`);
    const projectDirectory = long.project_directory !== undefined ? path.resolve(dir, String(long.project_directory)) : path.dirname(paths[0]);
    let envFiles = strings(long.env_file).map((p) => path.resolve(projectDirectory, p));
    if (envFiles.length === 0) {
      const dotenv = path.join(projectDirectory, '.env');
      envFiles = fs.existsSync(dotenv) ? [dotenv] : [];
    }
    return { paths, projectDirectory, envFiles, file, line };
  });
}

/**
 * Loads each included project and adds its resources to `doc` (in place; `include` is removed).
 * `env` is the including project's interpolation environment (its .env and the shell): it wins over the included env files.
 */
export function applyInclude(
  doc: Record<string, unknown>,
  dir: string,
  file: string,
  env: Record<string, string>,
  processEnv: Record<string, string>,
  load: SubProjectLoader,
): void {
  const entries = includeEntries(doc, dir, file);
  delete doc.include;
  for (const entry of entries) {
    const at = `${entry.file}${entry.line ? `:${entry.line}` : ''}`;
    const own = readEnvFiles(entry.envFiles, { ...env, ...processEnv }, `check env_file of the include at ${at} (it is relative to the included project's directory)`);
    // compose-go: the including project's environment (its .env, the shell) wins; the included
    // env files only fill in what it does not set.
    const sub = load(entry, { ...own, ...env, ...processEnv });
    absolutizeDocument(sub, entry.projectDirectory);
    for (const section of SECTIONS) {
      const theirs = sub[section];
      if (!isPlainObject(theirs)) continue;
      const ours: Record<string, unknown> = isPlainObject(doc[section]) ? doc[section] : (doc[section] = {});
      for (const [key, value] of Object.entries(theirs)) {
        if (key in ours) {
          if (isDeepStrictEqual(ours[key], value)) continue;
          const ref = whereIn(doc, [section, key]);
          throw new InvalidArgumentError(
            `${ref?.file ?? file}${ref?.line ? `:${ref.line}` : ''}: ${section}.${key}: the included ${entry.paths[0]} defines ${SINGULAR[section]} "${key}" too: rename one of them (an included project's resources cannot be redefined)`,
          );
        }
        ours[key] = value;
        setOrigin(ours, key, originOf(theirs, key));
      }
    }
  }
}
