// `image diff`: what changed between two root filesystems made of layers (an image and its parent,
// the image without its top layer; or two images), in container diff's terms: A added, D deleted,
// C changed (type, mode, owner, size, modification time or link target differ; a directory whose
// content changed has a new modification time, so it shows as C as in Podman). Each tree is the
// layers' directories laid over each other as overlay would: whiteouts (char 0/0 for native
// overlay, .wh.NAME for fuse-overlayfs) hide what is below, opaque directories (user.overlay.opaque,
// .wh..wh..opq) hide the lower content of that directory. Reads only.
import fs from 'node:fs';
import path from 'node:path';
import { lgetxattr } from '../../src/ffi';
import type { Change } from '../container/container-diff';

interface Entry {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  link?: string;
}

function isOpaque(dir: string, names: string[]): boolean {
  if (names.includes('.wh..wh..opq')) return true;
  try {
    return lgetxattr(dir, 'user.overlay.opaque') === 'y';
  } catch {
    return false;
  }
}

/** Removes p and everything under it. */
function hide(tree: Map<string, Entry>, p: string, keepSelf = false): void {
  if (!keepSelf) tree.delete(p);
  const prefix = p === '/' ? '/' : `${p}/`;
  for (const k of tree.keys()) if (k.startsWith(prefix) && k !== p) tree.delete(k);
}

/** The files of the layers (directories, lowest first) as one tree: "/path" → what lstat says. */
export function layerTree(layers: string[]): Map<string, Entry> {
  const tree = new Map<string, Entry>();
  for (const layer of layers) {
    const walk = (rel: string) => {
      const abs = path.join(layer, rel);
      const names = fs.readdirSync(abs);
      if (rel !== '' && isOpaque(abs, names)) hide(tree, `/${rel}`, true);
      for (const name of names) {
        if (name === '.wh..wh..opq') continue;
        const childRel = path.join(rel, name);
        if (name.startsWith('.wh.')) {
          hide(tree, `/${path.join(rel, name.slice(4))}`);
          continue;
        }
        const st = fs.lstatSync(path.join(layer, childRel));
        const shown = `/${childRel}`;
        if (st.isCharacterDevice() && st.rdev === 0) {
          hide(tree, shown);
          continue;
        }
        if (!st.isDirectory()) hide(tree, shown, true); // a file in place of a directory hides its content
        tree.set(shown, { mode: st.mode, uid: st.uid, gid: st.gid, size: st.isDirectory() ? 0 : st.size, mtimeMs: Math.floor(st.mtimeMs), link: st.isSymbolicLink() ? fs.readlinkSync(path.join(layer, childRel)) : undefined });
        if (st.isDirectory()) walk(childRel);
      }
    };
    walk('');
  }
  return tree;
}

const same = (a: Entry, b: Entry) => a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && a.size === b.size && a.mtimeMs === b.mtimeMs && a.link === b.link;

/** What changed from tree a to tree b, by path. */
export function compareTrees(a: Map<string, Entry>, b: Map<string, Entry>): Change[] {
  const changes: Change[] = [];
  for (const [p, e] of b) {
    const old = a.get(p);
    if (!old) changes.push({ kind: 'A', path: p });
    else if (!same(old, e)) changes.push({ kind: 'C', path: p });
  }
  for (const p of a.keys()) {
    if (b.has(p)) continue;
    // Only the top of a deleted subtree, as a whiteout shows it.
    const parent = path.posix.dirname(p);
    if (parent !== '/' && a.has(parent) && !b.has(parent)) continue;
    changes.push({ kind: 'D', path: p });
  }
  // The directories holding a change are changed too (Podman lists them so that their owners
  // and modes are kept), whatever their own times say.
  const listed = new Set(changes.map((c) => c.path));
  for (const c of [...changes]) {
    for (let dir = path.posix.dirname(c.path); dir !== '/' && !listed.has(dir); dir = path.posix.dirname(dir)) {
      listed.add(dir);
      changes.push({ kind: 'C', path: dir });
    }
  }
  return changes.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

/** An image against its parent (its layers without the top one), or from image `from` to image `to`. */
export function diffLayers(from: string[], to: string[]): Change[] {
  return compareTrees(layerTree(from), layerTree(to));
}
