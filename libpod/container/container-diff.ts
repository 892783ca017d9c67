// `diff`: what a container changed against its image, from its overlay upper directory: a
// whiteout (char 0/0 for native overlay, a .wh. file for fuse-overlayfs) is D, a path the
// image's layers also have is C, anything else A; parents of changes appear as C, as in Podman.
import fs from 'node:fs';
import path from 'node:path';
import { directorySize } from '../../src/directory-size';

export interface Change {
  kind: 'A' | 'C' | 'D';
  path: string;
}

/** Mount points the runtime creates for tspod's own files: not the container's changes. */
export const OWN_MOUNT_POINTS = new Set(['/etc/hosts', '/etc/hostname', '/etc/resolv.conf', '/run/tspod-init', '/run/.containerenv']);

/**
 * ps --size, inspect -s, system df: the bytes of the files a container wrote (its upper
 * directory, counted as du counts), tspod's own mount points left out.
 */
export function upperSize(upper: string): number {
  return directorySize(upper, (rel) => OWN_MOUNT_POINTS.has(rel));
}

/**
 * Directories of the upper directory that diff leaves out (made by the runtime only to hold our
 * mount points, such as /run for /run/.containerenv): commit leaves them out of the layer too, so
 * that image diff shows what container diff showed.
 */
export function runtimeMadeDirs(upper: string, lowers: string[]): Set<string> {
  const shown = diffUpper(upper, lowers);
  const top = fs.readdirSync(upper).filter((n) => !n.startsWith('.wh.') && fs.lstatSync(path.join(upper, n)).isDirectory()).map((n) => `/${n}`);
  return new Set(top.filter((d) => !shown.some((ch) => ch.path === d || ch.path.startsWith(`${d}/`))));
}

export function diffUpper(upper: string, lowers: string[]): Change[] {
  const changes: Change[] = [];
  const inLowers = (rel: string) => lowers.some((l) => {
    try {
      fs.lstatSync(path.join(l, rel));
      return true;
    } catch {
      return false;
    }
  });
  /** How many changes walking rel added (a directory made only to hold our mount points adds none). */
  const walk = (rel: string): number => {
    const before = changes.length;
    for (const name of fs.readdirSync(path.join(upper, rel))) {
      const childRel = path.join(rel, name);
      const abs = path.join(upper, childRel);
      const st = fs.lstatSync(abs);
      if (name === '.wh..wh..opq') continue;
      if (name.startsWith('.wh.')) {
        changes.push({ kind: 'D', path: `/${path.join(rel, name.slice(4))}` });
        continue;
      }
      if (st.isCharacterDevice() && st.rdev === 0) {
        changes.push({ kind: 'D', path: `/${childRel}` });
        continue;
      }
      const shown = `/${childRel}`;
      if (OWN_MOUNT_POINTS.has(shown) && st.size === 0) continue;
      const at = changes.length;
      const kind = inLowers(childRel) ? 'C' : 'A';
      changes.push({ kind, path: shown });
      // /run made by the runtime for /run/.containerenv alone is not the container's change.
      if (st.isDirectory() && walk(childRel) === 0 && kind === 'A' && fs.readdirSync(abs).length > 0) changes.splice(at, 1);
    }
    return changes.length - before;
  };
  walk('');
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
