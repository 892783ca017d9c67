// The one owner of proper-lockfile: cross-process mutual exclusion on a path, with stale-lock
// recovery. Beside the lock directory an owner file names the holder (pid and /proc start time), so
// that a holder killed with -9 is known dead at once: the lock is taken over then (under a takeover
// directory, one taker at a time), and lockState tells repairs whether anyone is at work.
import fs from 'node:fs';
import path from 'node:path';
import type * as Lockfile from 'proper-lockfile';
import { TspodError } from '../../src/errors';
import { processStartTime } from '../rootless/pause-process';

/** proper-lockfile's: a lock whose mtime has not been refreshed for this long is stale. */
const STALE_MS = 10_000;

const lockDir = (file: string) => `${file}.lock`;
const ownerFile = (file: string) => `${file}.owner`;

function readOwner(file: string): string | undefined {
  try {
    return fs.readFileSync(ownerFile(file), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function ownerAlive(owner: string): boolean {
  const [pid, start] = owner.split(' ');
  return processStartTime(Number(pid)) === start;
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * free: nobody holds it; held: a live process does (or one that has not named itself yet: for
 * a moment after it took the lock); abandoned: its holder died without releasing it. Read twice when the owner is
 * dead, because a new holder names itself just after it took the lock.
 */
export function lockState(file: string): 'free' | 'held' | 'abandoned' {
  let mtime: number;
  try {
    mtime = fs.statSync(lockDir(file)).mtimeMs;
  } catch {
    return 'free';
  }
  const owner = readOwner(file);
  // Nameless: its holder is about to name itself, could not (a full disk), or was killed just
  // before it did; proper-lockfile keeps a live holder's lock fresh, so only staleness tells.
  if (!owner) return Date.now() - mtime > STALE_MS ? 'abandoned' : 'held';
  if (ownerAlive(owner)) return 'held';
  pause(50);
  const again = readOwner(file);
  if (!fs.existsSync(lockDir(file))) return 'free';
  return again === owner ? 'abandoned' : again && ownerAlive(again) ? 'held' : 'abandoned';
}

/** True while another live process holds the lock (a lock this process holds does not count). */
export function heldByAnother(file: string): boolean {
  return lockState(file) === 'held' && readOwner(file) !== `${process.pid} ${processStartTime(process.pid)}`;
}

/** Removes a lock whose holder died, one taker at a time (a taker killed meanwhile expires like a lock). */
function takeOver(file: string): void {
  const guard = `${file}.takeover`;
  try {
    fs.mkdirSync(guard);
  } catch {
    try {
      if (Date.now() - fs.statSync(guard).mtimeMs > STALE_MS) fs.rmSync(guard, { recursive: true, force: true });
    } catch {
      /* gone meanwhile */
    }
    return; // another process is taking it over: wait for the lock as usual
  }
  try {
    if (lockState(file) === 'abandoned') {
      fs.rmSync(ownerFile(file), { force: true });
      fs.rmSync(lockDir(file), { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(guard, { recursive: true, force: true });
  }
}

/** Names this process as the holder; on a full disk the lock stays nameless (and is judged by staleness). */
function nameOwner(file: string): string | undefined {
  const owner = `${process.pid} ${processStartTime(process.pid)}`;
  const tmp = `${ownerFile(file)}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, owner, { mode: 0o600 });
    fs.renameSync(tmp, ownerFile(file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOSPC' && code !== 'EDQUOT') throw err;
    fs.rmSync(tmp, { force: true });
    return undefined;
  }
  return owner;
}

/** Removes every file of a lock nobody holds (a removed container's); false when it is held. */
export function removeLock(file: string): boolean {
  const state = lockState(file);
  if (state === 'held') return false;
  if (state === 'abandoned') takeOver(file);
  if (fs.existsSync(lockDir(file))) return false;
  fs.rmSync(ownerFile(file), { force: true });
  // A holder killed while it named itself leaves its temporary file.
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.owner.`;
  for (const f of fs.readdirSync(dir)) if (f.startsWith(prefix) && f.endsWith('.tmp')) fs.rmSync(path.join(dir, f), { force: true });
  return true;
}

/** The longest a waiter sleeps between two attempts when no release wakes it (a holder that died, no inotify). */
const POLL_MS = 100;

/**
 * Resolves when the lock directory of file is removed (inotify on its parent directory wakes the
 * waiter at once) or after ms at most. Checked after the watch is set up, so no release is missed.
 */
function released(file: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let watcher: fs.FSWatcher | undefined;
    let over = false;
    const done = () => {
      if (over) return;
      over = true;
      clearTimeout(timer);
      watcher?.close();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const name = path.basename(lockDir(file));
    try {
      watcher = fs.watch(path.dirname(file), { persistent: false }, (_event, f) => {
        if (f === null || f === name) done();
      });
      watcher.on('error', done);
    } catch {
      /* no inotify here: the timeout polls */
    }
    if (!fs.existsSync(lockDir(file))) done();
  });
}

/**
 * Takes the lock, waiting up to maxWaitMs: each failed attempt waits for the holder's release
 * (woken by it, not by a timer), and a holder found dead meanwhile has its lock taken over.
 */
async function acquire(file: string, maxWaitMs: number): Promise<() => Promise<void>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lockfile = require('proper-lockfile') as typeof Lockfile;
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    if (lockState(file) === 'abandoned') takeOver(file);
    try {
      return await lockfile.lock(file, { realpath: false, stale: STALE_MS, retries: 0 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED' || Date.now() >= deadline) throw err;
    }
    await released(file, Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
  }
}

/**
 * Runs fn while holding the lock named by file (the lock is the directory `${file}.lock`), waiting
 * up to maxWaitMs for another holder (woken by its release; every 100 ms at most).
 */
export async function withLock<T>(file: string, fn: () => Promise<T> | T, what = 'lock', maxWaitMs = 60_000): Promise<T> {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let release: () => Promise<void>;
  try {
    release = await acquire(file, maxWaitMs);
  } catch (err) {
    throw new TspodError(`cannot take the ${what} ${file}.lock: ${(err as Error).message}`, { cause: err });
  }
  let owner: string | undefined;
  try {
    owner = nameOwner(file);
    return await fn();
  } finally {
    if (owner && readOwner(file) === owner) fs.rmSync(ownerFile(file), { force: true });
    await release().catch(() => undefined);
  }
}

/** Whether another process holds the lock named by file now (a lock left by a killed holder goes stale). */
export function isLocked(file: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lockfile = require('proper-lockfile') as typeof Lockfile;
  try {
    return lockfile.checkSync(file, { realpath: false, stale: 10_000 });
  } catch {
    return false;
  }
}
