// Where tspod keeps its data, runtime files and configuration, following the XDG base
// directory rules as Podman does. Global --root/--runroot override the first two.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

export interface Paths {
  /** Persistent data: images, layers, containers' writable layers, the state database. */
  root: string;
  /** Runtime files that vanish at logout: pid files, sockets, locks. Mode 0700. */
  runroot: string;
  /** User configuration: containers.conf-style TOML and registries.conf. */
  configDir: string;
  /** The SQLite state database. */
  database: string;
}

export interface PathOverrides {
  root?: string;
  runroot?: string;
}

type Env = Record<string, string | undefined>;

function homeDir(env: Env): string {
  return env.HOME && env.HOME.length > 0 ? env.HOME : os.homedir();
}

/** Default runtime directory: $XDG_RUNTIME_DIR/tspod, else /tmp/tspod-$UID (as Podman falls back). */
export function defaultRunroot(env: Env, uid: number): string {
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'tspod');
  return `/tmp/tspod-${uid}`;
}

export function resolvePaths(overrides: PathOverrides = {}, env: Env = process.env, uid = process.getuid?.() ?? 0): Paths {
  const home = homeDir(env);
  const dataHome = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  const root = path.resolve(overrides.root ?? path.join(dataHome, 'tspod'));
  const runroot = path.resolve(overrides.runroot ?? defaultRunroot(env, uid));
  return { root, runroot, configDir: path.join(configHome, 'tspod'), database: path.join(root, 'state.db') };
}

/** Creates a directory (and missing parents) owned by us with mode 0700; an existing one is tightened. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.statSync(dir);
  if ((st.mode & 0o077) !== 0 && st.uid === process.getuid?.()) fs.chmodSync(dir, 0o700);
}
