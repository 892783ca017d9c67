// tspod's containers.conf: a TOML file with the defaults Podman keeps in containers.conf and
// storage.conf (runtime, rootless network command, overlay implementation). System file first,
// then the user's; a later file overrides the keys it sets. TSPOD_CONF names one file instead.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../src/errors';
import { parseToml } from './toml';

export type OverlayMode = 'auto' | 'native' | 'fuse';
export type NetworkCommand = 'auto' | 'pasta' | 'slirp4netns';

export interface Config {
  engine: {
    runtime: string;
    runtimePaths: Record<string, string[]>;
    imageParallelCopies: number;
    /** Bytes the recorded events may take before the oldest go (Podman's default "1m"); 0: no bound. */
    eventsLogfileMaxSize: number;
    /** "file": events are recorded in the state database; "none": not recorded (events_logger, --events-backend). */
    eventsLogger: 'file' | 'none';
    /** Global flags for every run of the OCI runtime (--runtime-flag, given without the leading "--"). */
    runtimeFlags: string[];
  };
  /**
   * keyring: the runtime gives each container a session keyring of its own (Podman's default);
   * false passes --no-new-keyring to its create, so that containers do not count against the
   * user's kernel key quota (kernel.keys.maxkeys, 200 by default: about 190 running containers).
   */
  /** netns: the --network of a container created without one (Podman's [containers] netns; '' or private: the rootless default). */
  containers: { keyring: boolean; /** The --userns of containers created without one (containers.conf's userns; "" = host). */ userns: string; netns: string };
  network: { defaultRootlessNetworkCmd: NetworkCommand };
  storage: { driver: 'overlay'; overlay: OverlayMode; mountProgram: string };
  /** Files that were read, in order; empty when none exists. */
  files: string[];
}

export const SYSTEM_CONFIG_FILE = '/etc/tspod/containers.conf';

export function defaultConfig(): Config {
  return {
    engine: { runtime: '', runtimePaths: {}, imageParallelCopies: 3, eventsLogfileMaxSize: 1_000_000, eventsLogger: 'file', runtimeFlags: [] },
    containers: { keyring: true, userns: '', netns: '' },
    network: { defaultRootlessNetworkCmd: 'auto' },
    storage: { driver: 'overlay', overlay: 'auto', mountProgram: '' },
    files: [],
  };
}

export function configFiles(configDir: string, env: Record<string, string | undefined> = process.env): string[] {
  if (env.TSPOD_CONF) return [env.TSPOD_CONF];
  return [SYSTEM_CONFIG_FILE, path.join(configDir, 'containers.conf')];
}

function oneOf<T extends string>(file: string, key: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new ConfigError(`${file}: ${key} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, not ${JSON.stringify(value)}`);
  }
  return value as T;
}

function bool(file: string, key: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ConfigError(`${file}: ${key} must be true or false, not ${JSON.stringify(value)}`);
  return value;
}

function str(file: string, key: string, value: unknown): string {
  if (typeof value !== 'string') throw new ConfigError(`${file}: ${key} must be a string, not ${JSON.stringify(value)}`);
  return value;
}

/** A size as containers.conf writes it: bytes, or a number with b, k, m or g (powers of 1000; ki, mi, gi of 1024). */
export function sizeSetting(file: string, key: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(?:([kmg])(i)?)?b?\s*$/i.exec(value) : null;
  if (!m) throw new ConfigError(`${file}: ${key} must be a size such as 1000000, "500k" or "1m", not ${JSON.stringify(value)}`);
  const power = m[2] ? 'kmg'.indexOf(m[2].toLowerCase()) + 1 : 0;
  return Math.round(Number(m[1]) * (m[3] ? 1024 : 1000) ** power);
}

function table(file: string, key: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${file}: [${key}] must be a table`);
  return value as Record<string, unknown>;
}

/** Applies one parsed file onto the config; unknown tables and keys are left for Podman's own files. */
export function applyConfig(config: Config, doc: Record<string, unknown>, file: string): Config {
  const engine = table(file, 'engine', doc.engine);
  if (engine.runtime !== undefined) config.engine.runtime = str(file, 'engine.runtime', engine.runtime);
  const runtimes = table(file, 'engine.runtimes', engine.runtimes);
  for (const [name, paths] of Object.entries(runtimes)) {
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) {
      throw new ConfigError(`${file}: engine.runtimes.${name} must be a list of paths`);
    }
    config.engine.runtimePaths[name] = paths as string[];
  }
  if (engine.image_parallel_copies !== undefined) {
    const n = engine.image_parallel_copies;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 32) throw new ConfigError(`${file}: engine.image_parallel_copies must be a whole number from 1 to 32, not ${JSON.stringify(n)}`);
    config.engine.imageParallelCopies = n;
  }
  if (engine.events_logger !== undefined) {
    const logger = oneOf(file, 'engine.events_logger', engine.events_logger, ['file', 'none', 'journald'] as const);
    if (logger === 'journald') throw new ConfigError(`${file}: engine.events_logger = "journald": tspod records events in its own state database ("file") or not at all ("none")`);
    config.engine.eventsLogger = logger;
  }
  if (engine.events_logfile_max_size !== undefined) config.engine.eventsLogfileMaxSize = sizeSetting(file, 'engine.events_logfile_max_size', engine.events_logfile_max_size);
  const containers = table(file, 'containers', doc.containers);
  if (containers.keyring !== undefined) config.containers.keyring = bool(file, 'containers.keyring', containers.keyring);
  if (containers.userns !== undefined) config.containers.userns = str(file, 'containers.userns', containers.userns);
  if (containers.netns !== undefined) config.containers.netns = str(file, 'containers.netns', containers.netns);
  const network = table(file, 'network', doc.network);
  if (network.default_rootless_network_cmd !== undefined) {
    config.network.defaultRootlessNetworkCmd = oneOf(file, 'network.default_rootless_network_cmd', network.default_rootless_network_cmd, ['auto', 'pasta', 'slirp4netns'] as const);
  }
  const storage = table(file, 'storage', doc.storage);
  if (storage.driver !== undefined) config.storage.driver = oneOf(file, 'storage.driver', storage.driver, ['overlay'] as const);
  if (storage.overlay !== undefined) config.storage.overlay = oneOf(file, 'storage.overlay', storage.overlay, ['auto', 'native', 'fuse'] as const);
  if (storage.mount_program !== undefined) config.storage.mountProgram = str(file, 'storage.mount_program', storage.mount_program);
  config.files.push(file);
  return config;
}

/** What global flags change in the configuration (src/global-options.ts reads them). */
export interface ConfigOverrides {
  /** --module: more containers.conf files, by name (in the modules directories) or path, read last. */
  modules?: string[];
  runtime?: string;
  runtimeFlags?: string[];
  /** --storage-opt KEY=VALUE, storage.conf's spelling. */
  storageOpts?: string[];
  eventsBackend?: 'file' | 'none';
}

/** Where `--module NAME` is looked for: the user's modules directory, then the system's. */
export function moduleDirs(configDir: string): string[] {
  return [path.join(configDir, 'containers.conf.modules'), path.join(path.dirname(SYSTEM_CONFIG_FILE), 'containers.conf.modules')];
}

function resolveModule(name: string, configDir: string): string {
  if (path.isAbsolute(name)) {
    if (fs.existsSync(name)) return name;
    throw new ConfigError(`could not resolve module ${JSON.stringify(name)}: ${name} does not exist`);
  }
  const dirs = moduleDirs(configDir);
  for (const dir of dirs) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return file;
  }
  throw new ConfigError(`could not resolve module ${JSON.stringify(name)}: no such file in ${dirs.join(' or ')}: give an absolute path or put the file there`);
}

function applyStorageOpt(config: Config, opt: string): void {
  const eq = opt.indexOf('=');
  const key = eq > 0 ? opt.slice(0, eq).replace(/^overlay\./, '') : '';
  if (key === 'mount_program' && opt.slice(eq + 1) !== '') {
    config.storage.mountProgram = opt.slice(eq + 1);
    config.storage.overlay = 'fuse';
    return;
  }
  throw new ConfigError(`unsupported storage option ${JSON.stringify(opt)}: tspod understands overlay.mount_program=PATH (a fuse-overlayfs to mount with)`);
}

/** The configuration with the global flags' changes on top (modules are read as files, in order). */
export function applyOverrides(config: Config, o: ConfigOverrides, configDir: string): Config {
  for (const m of o.modules ?? []) {
    const file = resolveModule(m, configDir);
    applyConfig(config, parseToml(readConfigFile(file), file), file);
  }
  if (o.runtime) config.engine.runtime = o.runtime;
  if (o.runtimeFlags) config.engine.runtimeFlags = o.runtimeFlags.map((f) => (f.startsWith('-') ? f : `--${f}`));
  for (const opt of o.storageOpts ?? []) applyStorageOpt(config, opt);
  if (o.eventsBackend) config.engine.eventsLogger = o.eventsBackend;
  return config;
}

function readConfigFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
}

export function loadConfig(configDir: string, env: Record<string, string | undefined> = process.env, overrides: ConfigOverrides = {}): Config {
  const config = defaultConfig();
  const explicit = Boolean(env.TSPOD_CONF);
  for (const file of configFiles(configDir, env)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !explicit) continue;
      throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
    }
    applyConfig(config, parseToml(text, file), file);
  }
  return applyOverrides(config, overrides, configDir);
}
