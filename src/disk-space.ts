// A full filesystem, said as such: how much is free where, and the error that names the full
// filesystem, what was being written, and what the user can free.
import fs from 'node:fs';
import { NoSpaceError } from './errors';
import { humanSize } from './human-units';

/** Below this much free space a store counts as full: SQLite's WAL index alone needs 32 KiB. */
export const LOW_SPACE_BYTES = 1024 * 1024;

/** Free and total bytes of the filesystem holding path (for an unprivileged user), or undefined. */
export function diskSpace(path: string): { free: number; total: number } | undefined {
  try {
    const s = fs.statfsSync(path);
    return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
  } catch {
    return undefined;
  }
}

export function isLowOnSpace(path: string): boolean {
  const s = diskSpace(path);
  return s !== undefined && s.free < LOW_SPACE_BYTES;
}

/** Is this (a Node or SQLite error) the disk being full? */
export function isNoSpace(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof NoSpaceError) return true;
    const code = (e as { code?: string }).code ?? '';
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return true;
  }
  return false;
}

/**
 * The error for a full filesystem. dirs: the store's directories; the fullest of them (or the
 * failed call's own path) is named. doing: what was being written.
 */
export function noSpaceError(dirs: string[], doing: string, cause?: unknown): NoSpaceError {
  const own = (cause as NodeJS.ErrnoException | undefined)?.path;
  const candidates = (own ? [own, ...dirs] : dirs).map((d) => ({ d, s: diskSpace(d) })).filter((c) => c.s);
  const full = candidates.find((c) => c.d === own) ?? candidates.sort((a, b) => a.s!.free - b.s!.free)[0];
  const where = full ? `the filesystem of ${full.d} is full (${humanSize(full.s!.free)} free of ${humanSize(full.s!.total)})` : 'the filesystem is full';
  return new NoSpaceError(
    `no space left on device (ENOSPC) ${doing}: ${where}: free space there: remove containers (tspod rm), unused images (tspod image prune -a) or other files on that filesystem, then try again`,
    { cause },
  );
}
