// A compose project's files as one document: find the files and the env files, then for each file
// parse (anchors, << merges, lines), interpolate, validate against the Compose schema, apply its
// include: and extends:, and merge the files in order with the Compose merge rules.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import { log } from '../../src/log';
import { readEnvFiles } from './env-file';
import { applyExtends, type FileModel, type ModelLoader } from './extends';
import { applyInclude, type IncludeEntry } from './include';
import { interpolateTree } from './interpolate';
import { mergeValues } from './merge';
import { findComposeFiles, readComposeFile, STDIN } from './project-files';
import { absolutizeDocument } from './relative-paths';
import { validateComposeFile } from './schema';
import type { ProjectOptions, RawProject } from './types';
import { cloneWithOrigins, parseComposeYaml, whereIn } from './yaml-source';

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** Compose's normalisation of a derived project name: lowercase, only [a-z0-9_-], no leading "_" or "-". */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

function dotenvIn(dir: string): string[] {
  const p = path.join(dir, '.env');
  try {
    return fs.statSync(p).isFile() ? [p] : [];
  } catch {
    return [];
  }
}

interface LoadContext {
  /** The interpolation environment of the project being loaded (an included project has its own). */
  env: Record<string, string>;
  processEnv: Record<string, string>;
  /** The directory relative paths in the final document are relative to. */
  projectDir: string;
  /** The directory stdin's file stands in. */
  workingDir: string;
  stdin?: () => string;
  warned: Set<string>;
  /** Files being loaded through include: (a file including itself is a cycle). */
  including: string[];
  /** Files loaded for extends: file:, by path. */
  extendModels: Map<string, FileModel>;
}

/** Parses, interpolates and validates one file, drops `version:` (with Compose's warning). */
function readFile(file: string, ctx: LoadContext): FileModel {
  const parsed = parseComposeYaml(readComposeFile(file, ctx.stdin), file);
  interpolateTree(parsed.value, { file, env: ctx.env, warned: ctx.warned });
  validateComposeFile(parsed.value, file);
  if ('version' in parsed.value) {
    log.warn(`${file}: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`);
    delete parsed.value.version;
  }
  const dir = file === STDIN ? ctx.workingDir : path.dirname(file);
  return { file, dir, dict: parsed.value, resets: parsed.resets, overrides: parsed.overrides, resolved: new Map() };
}

/** One file of the project (or of an included project) with its include: and extends: applied. */
function loadFile(file: string, ctx: LoadContext): FileModel {
  if (ctx.including.includes(file)) {
    throw new InvalidArgumentError(`${file}: include cycle: ${[...ctx.including, file].join(' -> ')}: a file cannot include itself`);
  }
  const model = readFile(file, ctx);
  if (model.dict.include !== undefined) {
    applyInclude(model.dict, ctx.projectDir, file, ctx.env, ctx.processEnv, (entry, env) => loadSubProject(entry, env, { ...ctx, including: [...ctx.including, file] }));
  }
  applyExtends(model, extendsLoader(ctx));
  return model;
}

function extendsLoader(ctx: LoadContext): ModelLoader {
  const load: ModelLoader = (file, from) => {
    const cached = ctx.extendModels.get(file);
    if (cached) return cached;
    if (!fs.existsSync(file)) {
      throw new InvalidArgumentError(`${from.file}${from.line ? `:${from.line}` : ''}: extends: file ${file} does not exist: check the path (it is relative to the file naming it)`);
    }
    const model = readFile(file, ctx);
    // Its relative paths are relative to its own directory, not the project's.
    if (model.dir !== ctx.projectDir) absolutizeDocument(model.dict, model.dir);
    ctx.extendModels.set(file, model);
    return model;
  };
  return load;
}

/** The files merged in order (each with its include: and extends: applied). */
function mergeFiles(files: string[], ctx: LoadContext): Record<string, unknown> {
  let dict: Record<string, unknown> = {};
  for (const file of files) {
    const model = loadFile(file, ctx);
    dict = mergeValues(dict, model.dict, { resets: model.resets, overrides: model.overrides }) as Record<string, unknown>;
  }
  return dict;
}

function loadSubProject(entry: IncludeEntry, env: Record<string, string>, parent: LoadContext): Record<string, unknown> {
  for (const p of entry.paths) {
    if (!fs.existsSync(p)) {
      throw new InvalidArgumentError(
        `${entry.file}${entry.line ? `:${entry.line}` : ''}: include: ${p} does not exist: check the path (it is relative to the project directory, ${parent.projectDir})`,
      );
    }
  }
  return mergeFiles(entry.paths, { ...parent, env, projectDir: entry.projectDirectory, extendModels: new Map() });
}

function invalidName(name: string, from: string): InvalidArgumentError {
  return new InvalidArgumentError(
    `invalid project name ${JSON.stringify(name)}${from}: must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`,
  );
}

/**
 * The project's name, as Compose decides it: -p, else COMPOSE_PROJECT_NAME, else the top-level
 * `name:`, else the project directory's name (normalised). All but the last are taken as written,
 * so one that is not already normal is an error.
 */
function projectName(opts: ProjectOptions, env: Record<string, string>, dict: Record<string, unknown>, projectDir: string): string {
  if (opts.projectName) {
    if (!PROJECT_NAME.test(opts.projectName)) throw invalidName(opts.projectName, '');
    return opts.projectName;
  }
  if (env.COMPOSE_PROJECT_NAME) {
    if (!PROJECT_NAME.test(env.COMPOSE_PROJECT_NAME)) throw invalidName(env.COMPOSE_PROJECT_NAME, ' (COMPOSE_PROJECT_NAME)');
    return env.COMPOSE_PROJECT_NAME;
  }
  if (typeof dict.name === 'string' && dict.name !== '') {
    if (!PROJECT_NAME.test(dict.name)) throw invalidName(dict.name, ' (the top-level name:)');
    return dict.name;
  }
  const name = normalizeProjectName(path.basename(projectDir));
  if (name === '') {
    throw new InvalidArgumentError(
      `the project directory's name ${JSON.stringify(path.basename(projectDir))} gives no project name (lowercase letters, digits, "-" and "_", starting with a letter or digit): give one with -p or a top-level name:`,
    );
  }
  return name;
}

/**
 * Finds, reads, interpolates, validates, includes, extends and merges the project's files.
 * Relative paths in `dict` are left relative to `workingDir` (the project directory), except those
 * that came from another directory, which are already absolute: services of an `extends: file:` in
 * another directory and everything an `include:` brought in (build contexts, env_file entries,
 * bind-mount sources of volumes, extends files, top-level secrets/configs `file:`).
 */
export function loadRaw(opts: ProjectOptions): RawProject {
  const workingDir = path.resolve(opts.workingDir);
  const processEnv = stringEnv(opts.env);
  const firstFile = opts.files.find((f) => f !== STDIN);
  const givenDir = opts.projectDirectory ? path.resolve(workingDir, opts.projectDirectory) : undefined;
  // As Compose: .env is read before the files are looked for (it may set COMPOSE_FILE), from
  // --project-directory, else the first -f file's directory, else the working directory.
  const envDir = givenDir ?? (firstFile ? path.dirname(path.resolve(workingDir, firstFile)) : workingDir);
  const envFiles = opts.envFiles.length > 0 ? opts.envFiles.map((f) => path.resolve(workingDir, f)) : dotenvIn(envDir);
  const env = { ...readEnvFiles(envFiles, processEnv), ...processEnv };
  const found = findComposeFiles(opts.files, workingDir, env.COMPOSE_FILE, env.COMPOSE_PATH_SEPARATOR, givenDir ?? workingDir);
  // The first file's directory that is not stdin's, as compose-go's GetWorkingDir.
  const firstReal = found.files.find((f) => f !== STDIN);
  const projectDir = givenDir ?? (firstReal ? path.dirname(firstReal) : workingDir);
  const ctx: LoadContext = {
    env,
    processEnv,
    projectDir,
    workingDir,
    stdin: opts.stdin,
    warned: new Set(),
    including: [],
    extendModels: new Map(),
  };
  // Merges and extends share unchanged subtrees between services: the caller gets a tree of its own.
  const dict = cloneWithOrigins(mergeFiles(found.files, ctx));
  const name = projectName(opts, env, dict, projectDir);
  const raw: RawProject = {
    name,
    workingDir: projectDir,
    files: found.files,
    environment: env,
    dict,
    where: (p) => whereIn(dict, p, { file: found.files[0] }),
  };
  if (opts.profiles.length === 0 && env.COMPOSE_PROFILES) {
    raw.profiles = env.COMPOSE_PROFILES.split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
  }
  return raw;
}
