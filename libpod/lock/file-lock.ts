// The one owner of proper-lockfile: cross-process mutual exclusion on a path, with stale-lock
// recovery (a holder killed with -9 stops refreshing the lock's mtime and it expires).
import fs from 'node:fs';
import path from 'node:path';
import type * as Lockfile from 'proper-lockfile';
import { TspodError } from '../../src/errors';

/**
 * Runs fn while holding the lock named by file (the lock is the directory `${file}.lock`), waiting
 * up to maxWaitMs for another holder (polling every 100 ms at most).
 */
export async function withLock<T>(file: string, fn: () => Promise<T> | T, what = 'lock', maxWaitMs = 60_000): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lockfile = require('proper-lockfile') as typeof Lockfile;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, { realpath: false, stale: 10_000, retries: { retries: Math.ceil(maxWaitMs / 100), factor: 1.2, minTimeout: 5, maxTimeout: 100 } });
  } catch (err) {
    throw new TspodError(`cannot take the ${what} ${file}.lock: ${(err as Error).message}`, { cause: err });
  }
  try {
    return await fn();
  } finally {
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
