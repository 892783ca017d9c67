// Resolves a path inside a root directory as if that root were '/': each component is lstat'ed,
// a symlink's target (absolute targets from the root, relative ones from the link's directory)
// replaces it, and '..' stops at the root, so nothing outside the root is ever named.
import fs from 'node:fs';
import path from 'node:path';
import { TspodError } from '../../src/errors';

const MAX_LINKS = 255;

/** Splits a path into its components, dropping '', '.' (and keeping '..' for the walk). */
function parts(p: string): string[] {
  return p.split('/').filter((c) => c !== '' && c !== '.');
}

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
 * Resolves rel inside root. followLast: also resolve a symlink in the last component. A component
 * that is missing (or not a directory where one is needed) ends the walk with exists = false.
 */
export function resolveInRoot(root: string, rel: string, followLast = true): Resolved {
  const todo = parts(rel).reverse();
  const done: string[] = [];
  let links = 0;
  while (todo.length > 0) {
    const c = todo.pop() as string;
    if (c === '..') {
      done.pop();
      continue;
    }
    const cur = [...done, c].join('/');
    let st: fs.Stats;
    try {
      st = fs.lstatSync(path.join(root, cur));
    } catch {
      return { rel: [...done, c, ...todo.reverse()].filter((x) => x !== '..').join('/'), exists: false };
    }
    if (st.isSymbolicLink() && (todo.length > 0 || followLast)) {
      if (++links > MAX_LINKS) throw new TspodError(`too many levels of symbolic links resolving "/${rel}" in ${root}`);
      const target = fs.readlinkSync(path.join(root, cur));
      if (target.startsWith('/')) done.length = 0;
      for (const t of parts(target).reverse()) todo.push(t);
      continue;
    }
    if (todo.length > 0 && !st.isDirectory()) return { rel: [...done, c, ...todo.reverse()].join('/'), exists: false };
    done.push(c);
  }
  return { rel: done.join('/'), exists: true };
}

/** The host path of a resolved relative path. */
export function hostPath(root: string, rel: string): string {
  return rel === '' ? root : path.join(root, rel);
}
