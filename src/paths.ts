// Where tspod keeps its data, runtime files and configuration, following the XDG base
// directory rules as Podman does. Global --root/--runroot override the first two.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { InvalidStateError } from './errors';

export interface Paths {
  /** Persistent data: images, layers, containers' writable layers, the state database. */
  root: string;
  /** Runtime files that vanish at logout: pid files, sockets, locks. Mode 0700. */
  runroot: string;
  /**
   * The user's runtime directory ($XDG_RUNTIME_DIR or its stand-in): the default runroot's parent,
   * and where auth.json and the OCI runtime's state live.
   */
  runtimeDir: string;
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

/**
 * Set by the tspod outside the user namespace for the one it runs inside, where the uid is 0: the
 * runtime directory is decided once, as the user, and never computed again as "root".
 */
export const RUNTIME_DIR_ENV = '_TSPOD_RUNTIME_DIR';

/** True when dir is a directory of uid's (the /run/user/UID test). */
function isUsersDir(dir: string, uid: number): boolean {
  try {
    const st = fs.statSync(dir);
    return st.isDirectory() && st.uid === uid;
  } catch {
    return false;
  }
}

/**
 * The user's runtime directory, as Podman finds it: $XDG_RUNTIME_DIR; else /run/user/UID when it
 * is the user's; else /tmp/tspod-run-UID (made private, and refused if someone else made it).
 */
export function userRuntimeDir(env: Env, uid: number, usersDir: (dir: string, uid: number) => boolean = isUsersDir): string {
  const given = env[RUNTIME_DIR_ENV];
  if (given && path.isAbsolute(given)) return given;
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg && path.isAbsolute(xdg)) return xdg;
  const login = `/run/user/${uid}`;
  if (usersDir(login, uid)) return login;
  return `/tmp/tspod-run-${uid}`;
}

export function resolvePaths(overrides: PathOverrides = {}, env: Env = process.env, uid = process.getuid?.() ?? 0, usersDir = isUsersDir): Paths {
  const home = homeDir(env);
  const dataHome = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  const root = path.resolve(overrides.root ?? path.join(dataHome, 'tspod'));
  const runtimeDir = userRuntimeDir(env, uid, usersDir);
  const runroot = path.resolve(overrides.runroot ?? path.join(runtimeDir, 'tspod'));
  return { root, runroot, runtimeDir, configDir: path.join(configHome, 'tspod'), database: path.join(root, 'state.db') };
}

/**
 * Creates a directory (and missing parents) with mode 0700, or checks an existing one: it, and the
 * link if it is one, must be ours (a directory another user made could be read or swapped under
 * us: our sockets, locks and pid files go there). One we own is tightened to 0700, unless it is
 * only checked (the user's runtime directory: then group or others may not write to it).
 */
export function ensurePrivateDir(dir: string, how: 'tighten' | 'check' = 'tighten'): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InvalidStateError(`cannot create ${dir}: ${e.code === 'EACCES' ? 'permission denied' : e.message}: set XDG_RUNTIME_DIR (or --runroot, --root) to a directory of yours`);
  }
  const uid = process.getuid?.() ?? 0;
  const link = fs.lstatSync(dir);
  const st = link.isSymbolicLink() ? fs.statSync(dir) : link;
  const fix = 'remove it (as its owner or root), or set XDG_RUNTIME_DIR to a directory of yours with mode 0700';
  if (!st.isDirectory()) throw new InvalidStateError(`${dir} is not a directory: remove it, or choose another path`);
  const owner = link.uid !== uid ? link.uid : st.uid;
  if (owner !== uid) throw new InvalidStateError(`${dir} belongs to uid ${owner}, not to you (uid ${uid}): another user could read or replace tspod's sockets and locks there; ${fix}`);
  if (how === 'check' && (st.mode & 0o022) !== 0) throw new InvalidStateError(`${dir} is writable by other users (mode ${(st.mode & 0o777).toString(8)}): tspod keeps its sockets and locks below it; make it private (chmod 700 ${dir}), or ${fix.slice(fix.indexOf('set '))}`);
  // Search (x) for others is kept: a container with a user namespace of its own that leaves the
  // user's ID out reaches its root filesystem below the store as "others" (Podman's is 0711).
  if (how === 'tighten' && (st.mode & 0o076) !== 0) fs.chmodSync(dir, 0o700 | (st.mode & 0o001));
}

/** The user's runtime directory, then the runroot: each checked, or made, as a private directory. */
export function ensureRuntimeDirs(paths: Pick<Paths, 'runtimeDir' | 'runroot'>): void {
  ensurePrivateDir(paths.runtimeDir, 'check');
  ensurePrivateDir(paths.runroot);
}
