// COPY/ADD's destination rules: dest relative to WORKDIR, a directory when it ends in '/', when
// several sources are copied or when it already is one; resolved inside the step's root through
// the image's own symlinks; missing parents made (owned by --chown's owner, else 0:0, as Podman).
import fs from 'node:fs';
import path from 'node:path';
import { NO_IGNORE, type IgnoreMatcher } from './ignore';
import { cleanInRoot, hostPath, resolveInRoot } from './root-path';
import { copyChildren, copyNode, type Owner, type TreeOptions } from './copy-tree';
import { readHead, sniffArchive, unpackArchive } from './build-archive';
import type { SourceMatch } from './context-files';
import { TspodError } from '../../src/errors';

export interface CopyOptions {
  /** The step's WORKDIR (absolute, inside root): a relative dest is relative to it. */
  workdir: string;
  chown?: Owner;
  chmod?: number;
  ignore?: IgnoreMatcher;
  /** ADD: a local tar (plain, gzip, bzip2, xz) is unpacked into dest instead of copied. */
  extractArchives: boolean;
  /** --parents: each source keeps its path (as given) under dest. */
  parents?: boolean;
  /** COPY --from: the sources' owners are kept (else 0:0). */
  keepOwners?: boolean;
  /**
   * root's overlay upper directory (native overlay): a directory that this copy makes (it was not
   * in the image) is filled there directly rather than through the overlay, whose per-file cost is
   * most of a large COPY. The caller unmounts root before reading it again.
   */
  upper?: string;
}

class CopyError extends TspodError {
  override readonly code = 'EBUILDCOPY';
}

/**
 * Makes rel (cleaned, relative to root) a directory, creating what is missing below the deepest
 * existing one with mode 0755 and owner; symlinks on the way are followed inside root. Returns
 * the directory's resolved relative path.
 */
export function mkdirInRoot(root: string, rel: string, owner: Owner): string {
  if (rel === '') return '';
  const r = resolveInRoot(root, rel, true);
  if (r.exists) {
    if (!fs.statSync(hostPath(root, r.rel)).isDirectory()) throw new CopyError(`cannot copy into "/${rel}": it exists in the image and is not a directory`);
    return r.rel;
  }
  const parent = mkdirInRoot(root, path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel), owner);
  const here = parent === '' ? path.posix.basename(rel) : `${parent}/${path.posix.basename(rel)}`;
  const link = resolveInRoot(root, here, true);
  // A dangling symlink (to a directory not made yet): make its target inside root.
  if (link.rel !== here) return mkdirInRoot(root, link.rel, owner);
  fs.mkdirSync(hostPath(root, here), { mode: 0o755 });
  fs.chmodSync(hostPath(root, here), 0o755);
  fs.lchownSync(hostPath(root, here), owner.uid, owner.gid);
  return here;
}

function isDir(root: string, rel: string): boolean {
  const r = resolveInRoot(root, rel, true);
  return r.exists && fs.statSync(hostPath(root, r.rel)).isDirectory();
}

/** The archive kind of an ADD source, when it is to be unpacked. */
function archiveOf(m: SourceMatch, opts: CopyOptions): ReturnType<typeof sniffArchive> {
  if (!opts.extractArchives || m.remote || !m.stat.isFile()) return undefined;
  return sniffArchive(readHead(hostPath(m.root, m.rel)));
}

/** Copies the matches into root at dest (see the file's opening comment for the rules). */
export async function copyIntoRoot(root: string, matches: SourceMatch[], dest: string, opts: CopyOptions): Promise<void> {
  const keyword = opts.extractArchives ? 'ADD' : 'COPY';
  const abs = dest.startsWith('/') ? dest : path.posix.join(opts.workdir || '/', dest);
  const destRel = cleanInRoot(abs);
  const parentOwner = opts.chown ?? { uid: 0, gid: 0 };
  const tree: TreeOptions = { ignore: opts.ignore ?? NO_IGNORE, chown: opts.chown, chmod: opts.chmod, keepOwners: opts.keepOwners ?? false };
  const links = new Map<string, string>();
  // As Podman: "dir/", "dir/.", ".", the root and the WORKDIR itself name directories.
  const slash = /\/\.?$/.test(dest) || dest === '.' || destRel === '' || destRel === cleanInRoot(opts.workdir || '/');
  const existingDir = isDir(root, destRel);
  const asDir = slash || matches.length > 1 || existingDir || opts.parents === true;
  if (matches.length > 1 && !slash && !existingDir && resolveInRoot(root, destRel, true).exists) {
    throw new CopyError(`When using ${keyword} with more than one source file, the destination must be a directory and end with a /`);
  }
  for (const m of matches) {
    const src = { root: m.root, rel: m.rel, stat: m.stat };
    const kind = archiveOf(m, opts);
    if (opts.parents && m.given !== '') {
      copyNode(src, hostFor(root, path.posix.join(destRel || '.', m.given), parentOwner), tree, links);
    } else if (m.stat.isDirectory() || kind) {
      const made = opts.upper !== undefined && !resolveInRoot(root, destRel, true).exists;
      const rel = mkdirInRoot(root, destRel, parentOwner);
      // Made just now through the overlay: the upper directory holds it alone, with nothing below.
      const dir = made && opts.upper !== undefined ? hostPath(opts.upper, rel) : hostPath(root, rel);
      if (kind) await unpackArchive(fs.createReadStream(hostPath(m.root, m.rel)), kind, dir, opts.chown);
      else copyChildren(src, dir, tree, links);
    } else if (asDir) {
      const dir = hostPath(root, mkdirInRoot(root, destRel, parentOwner));
      copyNode(src, path.join(dir, path.posix.basename(m.given || m.rel)), tree, links);
    } else {
      // Symlinks on the way to dest, and at dest itself, are followed inside root.
      copyNode(src, hostFor(root, resolveInRoot(root, destRel, true).rel, parentOwner), tree, links);
    }
  }
}

/** The host path for a resolved file path inside root, its parents made. */
function hostFor(root: string, rel: string, owner: Owner): string {
  const parent = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
  return path.join(hostPath(root, mkdirInRoot(root, parent, owner)), path.posix.basename(rel));
}
