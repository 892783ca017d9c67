// Walks a COPY source tree depth-first in sorted order, skipping what the ignore rules drop, to
// hash what a copy would write or to write it: synchronous per-file calls (copyFileSync, lchown,
// chmod, utimes) beat an async round trip per file on a 10,000-file context.
import type { Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { llistxattr, lgetxattrBytes, lsetxattrBytes, mknod, S_IFIFO } from '../../src/ffi';
import { log } from '../../src/log';
import type { IgnoreMatcher } from './ignore';
import { hostPath } from './root-path';

export interface Owner {
  uid: number;
  gid: number;
}

export interface TreeOptions {
  ignore: IgnoreMatcher;
  chown?: Owner;
  chmod?: number;
  /** COPY --from (a stage's or image's files): their own owners and setuid/setgid bits are written; else 0:0 and the bits dropped. */
  keepOwners: boolean;
}

/** The source: a path relative to its root, and its lstat. */
interface Node {
  root: string;
  rel: string;
  stat: fs.Stats;
}

/** Only the attributes a COPY carries: file capabilities and the user namespace. */
const carried = (name: string) => name === 'security.capability' || name.startsWith('user.');

function xattrsOf(p: string): Array<[string, Buffer]> {
  let names: string[];
  try {
    names = llistxattr(p).filter(carried).sort();
  } catch {
    return [];
  }
  const out: Array<[string, Buffer]> = [];
  for (const n of names) {
    const v = lgetxattrBytes(p, n);
    if (v) out.push([n, v]);
  }
  return out;
}

function ownerOf(st: fs.Stats, o: TreeOptions): Owner {
  return o.chown ?? (o.keepOwners ? { uid: st.uid, gid: st.gid } : { uid: 0, gid: 0 });
}

/** --chmod, else the source's mode; from the context without setuid and setgid, as Podman copies (a stage's files keep them). */
function permsOf(st: fs.Stats, o: TreeOptions): number {
  return o.chmod ?? st.mode & (o.keepOwners ? 0o7777 : 0o1777);
}

/** Whether an ignored directory holds something an exception re-includes (then it is copied, holding only that). */
function holdsIncluded(node: Node, ignore: IgnoreMatcher): boolean {
  if (!ignore.mayContainIncluded(node.rel)) return false;
  const dir = hostPath(node.root, node.rel);
  for (const name of fs.readdirSync(dir)) {
    const rel = `${node.rel}/${name}`;
    if (!ignore.ignored(rel)) return true;
    const st = fs.lstatSync(path.join(dir, name));
    if (st.isDirectory() && holdsIncluded({ root: node.root, rel, stat: st }, ignore)) return true;
  }
  return false;
}

/** The children of a directory node the ignore rules keep, sorted by name. */
function children(node: Node, ignore: IgnoreMatcher): Node[] {
  const dir = hostPath(node.root, node.rel);
  const out: Node[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const rel = node.rel === '' ? name : `${node.rel}/${name}`;
    const st = fs.lstatSync(path.join(dir, name));
    const child = { root: node.root, rel, stat: st };
    if (ignore.ignored(rel) && !(st.isDirectory() && holdsIncluded(child, ignore))) continue;
    out.push(child);
  }
  return out;
}

const hashBuf = Buffer.allocUnsafe(1024 * 1024);

function hashFile(h: Hash, p: string, size: number): void {
  const fd = fs.openSync(p, 'r');
  try {
    let total = 0;
    for (;;) {
      const n = fs.readSync(fd, hashBuf, 0, hashBuf.length, null);
      if (n === 0) break;
      total += n;
      h.update(hashBuf.subarray(0, n));
    }
    if (total !== size) h.update(`\0size-changed:${total}`);
  } finally {
    fs.closeSync(fd);
  }
}

function typeOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'dir';
  if (st.isFile()) return 'file';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFIFO()) return 'fifo';
  return 'other';
}

/** Adds one match's tree to h: each entry's path (relative to the match), type, mode, owner, xattrs and content. */
export function hashTree(h: Hash, top: { root: string; rel: string; stat: fs.Stats }, o: TreeOptions, links: Map<string, string>): void {
  const visit = (node: Node, sub: string) => {
    const st = node.stat;
    const p = hostPath(node.root, node.rel);
    const key = `${st.dev}:${st.ino}`;
    const first = st.isFile() && st.nlink > 1 ? links.get(key) : undefined;
    if (first !== undefined) {
      h.update(`link\0${sub}\0${first}\n`);
      return;
    }
    if (st.isFile() && st.nlink > 1) links.set(key, sub);
    const own = ownerOf(st, o);
    const mode = st.isSymbolicLink() ? 0o777 : permsOf(st, o);
    h.update(`${typeOf(st)}\0${sub}\0${mode.toString(8)}\0${own.uid}:${own.gid}\0`);
    for (const [n, v] of st.isSymbolicLink() ? [] : xattrsOf(p)) h.update(`x\0${n}\0${v.toString('base64')}\0`);
    if (st.isFile()) {
      h.update(`${st.size}\0`);
      hashFile(h, p, st.size);
    } else if (st.isSymbolicLink()) h.update(fs.readlinkSync(p));
    else if (st.isDirectory()) for (const c of children(node, o.ignore)) visit(c, sub === '' ? path.posix.basename(c.rel) : `${sub}/${path.posix.basename(c.rel)}`);
    h.update('\n');
  };
  visit({ root: top.root, rel: top.rel, stat: top.stat }, '');
}

/** Removes whatever is at dst unless it is a directory and a directory is coming (then merged). */
function clear(dst: string, keepDir: boolean): boolean {
  const st = fs.lstatSync(dst, { throwIfNoEntry: false }); // a throw per missing file costs more than the copy
  if (!st) return false;
  if (st.isDirectory()) {
    if (keepDir) return true;
    fs.rmSync(dst, { recursive: true, force: true });
  } else fs.unlinkSync(dst);
  return false;
}

/** Carried xattrs (after chown, which drops capabilities). */
function copyXattrs(src: string, dst: string): void {
  for (const [n, v] of xattrsOf(src)) {
    try {
      lsetxattrBytes(dst, n, v);
    } catch (err) {
      log.debug(`not copying xattr ${n} to ${dst}: ${(err as Error).message}`);
    }
  }
}

/** Owner, mode (not for links), xattrs, then times (last: the others do not change mtime, but writing does). */
function setMeta(src: string, dst: string, st: fs.Stats, o: TreeOptions): void {
  const own = ownerOf(st, o);
  fs.lchownSync(dst, own.uid, own.gid);
  if (st.isSymbolicLink()) {
    fs.lutimesSync(dst, st.atime, st.mtime);
    return;
  }
  fs.chmodSync(dst, permsOf(st, o));
  copyXattrs(src, dst);
  fs.utimesSync(dst, st.atime, st.mtime);
}

const copyBuf = Buffer.allocUnsafe(1024 * 1024);
/** Above this a file is copied by the kernel (copy_file_range); below, one read and one write on fds beat it. */
const SMALL_FILE = 1024 * 1024;

/** Writes a regular file with its metadata through one descriptor; the destination must not exist. */
function copyFile(src: string, dst: string, st: fs.Stats, o: TreeOptions): void {
  if (st.size > SMALL_FILE) {
    fs.copyFileSync(src, dst, fs.constants.COPYFILE_EXCL);
    setMeta(src, dst, st, o);
    return;
  }
  const from = fs.openSync(src, 'r');
  let to: number | undefined;
  try {
    to = fs.openSync(dst, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
    for (;;) {
      const n = fs.readSync(from, copyBuf, 0, copyBuf.length, null);
      if (n === 0) break;
      fs.writeSync(to, copyBuf, 0, n);
    }
    const own = ownerOf(st, o);
    fs.fchownSync(to, own.uid, own.gid);
    fs.fchmodSync(to, permsOf(st, o));
    copyXattrs(src, dst);
    fs.futimesSync(to, st.atime, st.mtime);
  } finally {
    fs.closeSync(from);
    if (to !== undefined) fs.closeSync(to);
  }
}

/**
 * Copies a source node to dst (a host path whose parent exists and lies inside the target root):
 * a directory merges into an existing one, hard links already written become links to the first
 * copy (links: source dev:ino -> written path), symlinks are copied as links.
 */
export function copyNode(node: Node, dst: string, o: TreeOptions, links: Map<string, string>): void {
  const st = node.stat;
  const src = hostPath(node.root, node.rel);
  if (st.isDirectory()) {
    if (!clear(dst, true)) fs.mkdirSync(dst, { mode: 0o700 });
    copyChildren(node, dst, o, links);
    setMeta(src, dst, st, o);
    return;
  }
  clear(dst, false);
  if (st.isFile()) {
    const key = `${st.dev}:${st.ino}`;
    const first = st.nlink > 1 ? links.get(key) : undefined;
    if (first !== undefined) {
      fs.linkSync(first, dst);
      return;
    }
    copyFile(src, dst, st, o);
    if (st.nlink > 1) links.set(key, dst);
    return;
  }
  if (st.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), dst);
  else if (st.isFIFO()) mknod(dst, S_IFIFO | (st.mode & 0o777));
  else {
    log.debug(`not copying ${src}: sockets and device nodes are not copied`);
    return;
  }
  setMeta(src, dst, st, o);
}

/** Copies a directory node's contents (not the directory itself) into the existing directory dst. */
export function copyChildren(node: Node, dst: string, o: TreeOptions, links: Map<string, string>): void {
  for (const c of children(node, o.ignore)) copyNode(c, path.join(dst, path.posix.basename(c.rel)), o, links);
}
