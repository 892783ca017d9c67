// Paths inside a root directory as if that root were '/': symlinks resolved inside it (absolute
// targets from the root, relative ones from the link's directory), '..' stopping at the root, so
// nothing outside the root is ever named.
import fs from 'node:fs';
import path from 'node:path';
import { resolveInView } from '../container/container-view';

/** A path cleaned as if root were '/' ('..' never leaves it), relative, '' for the root itself. */
export function cleanInRoot(p: string): string {
  return path.posix.normalize(`/${p}`).slice(1).replace(/\/+$/, '');
}

export interface Resolved {
  /** The resolved path relative to root ('' for the root), every symlink on the way replaced. */
  rel: string;
  /** Whether it exists; when it does not, rel is the path as far as it resolved plus the rest. */
  exists: boolean;
}

/**
 * Resolves rel inside root (container-view.ts's walk, which a container's cp uses too) and says
 * whether the result exists. followLast: also resolve a symlink in the last component.
 */
export function resolveInRoot(root: string, rel: string, followLast = true): Resolved {
  const resolved = cleanInRoot(resolveInView({ name: '', root, mounts: [], running: false }, `/${rel}`, followLast));
  let exists = true;
  try {
    fs.lstatSync(hostPath(root, resolved));
  } catch {
    exists = false;
  }
  return { rel: resolved, exists };
}

/** The host path of a resolved relative path. */
export function hostPath(root: string, rel: string): string {
  return rel === '' ? root : path.join(root, rel);
}
