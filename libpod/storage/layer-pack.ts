// Packs a container's overlay upper directory into an OCI layer tar (for commit): entries in sorted
// order, owners, modes and mtimes as stored, hard links as links, and overlay's own markers turned
// into OCI whiteouts: a char device 0/0 (native overlay) becomes .wh.NAME, a directory marked
// opaque (user.overlay.opaque=y) gets .wh..wh..opq; fuse-overlayfs already writes .wh. files.
// Headers are ustar (node-tar's Header), with a PAX record for names that do not fit.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { lgetxattr, lgetxattrBytes, llistxattr } from '../../src/ffi';
import { BLOCK, headerBlocks, padding } from './tar';

const CHUNK = 1 << 20;

export interface PackOptions {
  /** Paths ("/etc/hosts") left out when they are empty files: mount points the runtime made. */
  skipEmpty?: Set<string>;
  /** Directories ("/run") left out with all they hold: made by the runtime only to hold such mount points. */
  skipDirs?: Set<string>;
  /** Every entry's mtime (build --timestamp: reproducible layers). */
  mtime?: Date;
}

const SMALL = 64 * 1024;

/** Exactly size bytes of a small file, read at once (zero-filled if it shrank meanwhile). */
function smallContent(file: string, size: number): Buffer {
  const buf = Buffer.alloc(size);
  if (size === 0) return buf;
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    let done = 0;
    while (done < size) {
      const n = fs.readSync(fd, buf, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return buf;
}

/** Exactly size bytes of the file (zero-filled if it shrank meanwhile), in chunks. */
async function* fileContent(file: string, size: number): AsyncGenerator<Buffer> {
  const fh = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    let done = 0;
    while (done < size) {
      const want = Math.min(CHUNK, size - done);
      const buf = Buffer.alloc(want);
      const { bytesRead } = await fh.read(buf, 0, want, done);
      if (bytesRead === 0) {
        yield Buffer.alloc(size - done);
        return;
      }
      done += bytesRead;
      yield bytesRead === want ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/** The attributes a layer carries: file capabilities and user.* (overlay's own markers left out). */
function carriedXattrs(p: string): Record<string, Buffer> | undefined {
  let names: string[];
  try {
    names = llistxattr(p);
  } catch {
    return undefined;
  }
  const out: Record<string, Buffer> = {};
  for (const n of names) {
    if (n !== 'security.capability' && !(n.startsWith('user.') && !n.startsWith('user.overlay.'))) continue;
    const v = lgetxattrBytes(p, n);
    if (v) out[n] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

function isOpaque(dir: string): boolean {
  try {
    return lgetxattr(dir, 'user.overlay.opaque') === 'y';
  } catch {
    return false;
  }
}

/**
 * A tree to pack: top-level names, where each relative path is on the host (a container's view
 * puts volumes and bind mounts into its tree), and what a directory holds.
 */
export interface PackTree {
  names: string[];
  place(rel: string): string;
  list(rel: string): string[];
  /** Paths walked past without packing them (a container's /proc when "/" is copied). */
  skip?(rel: string): boolean;
  /** Overlay's whiteout markers become OCI whiteouts (a layer); otherwise devices are devices. */
  whiteouts: boolean;
  /** Paths ("/etc/hosts") left out when they are empty files: mount points the runtime made. */
  skipEmpty?: Set<string>;
  skipDirs?: Set<string>;
  mtime?: Date;
  /** Carry file capabilities and user.* attributes (layers). */
  xattrs?: boolean;
}

async function* entries(tree: PackTree): AsyncGenerator<Buffer> {
  const links = new Map<string, string>();
  const one = async function* (childRel: string): AsyncGenerator<Buffer> {
    const name = path.posix.basename(childRel);
    const rel = path.posix.dirname(childRel) === '.' ? '' : path.posix.dirname(childRel);
    const abs = tree.place(childRel);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(abs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // removed since its directory was read (a live tree)
      throw err;
    }
    const xattrs = tree.xattrs && (st.isFile() || st.isDirectory()) ? carriedXattrs(abs) : undefined;
    const base = { uid: st.uid, gid: st.gid, mtime: tree.mtime ?? st.mtime, mode: st.mode & 0o7777, size: 0, ...(xattrs ? { xattrs } : {}) };
    if (tree.whiteouts && st.isCharacterDevice() && st.rdev === 0) {
      yield* headerBlocks({ ...base, path: rel ? `${rel}/.wh.${name}` : `.wh.${name}`, type: 'File', mode: 0o644 });
    } else if (st.isDirectory()) {
      if (tree.skipDirs?.has(`/${childRel}`)) return;
      yield* headerBlocks({ ...base, path: `${childRel}/`, type: 'Directory' });
      const names = tree.list(childRel);
      if (tree.whiteouts && isOpaque(abs) && !names.includes('.wh..wh..opq')) yield* headerBlocks({ ...base, xattrs: undefined, path: `${childRel}/.wh..wh..opq`, type: 'File', mode: 0o644 });
      yield* walk(childRel, names);
    } else if (st.isSymbolicLink()) {
      yield* headerBlocks({ ...base, path: childRel, type: 'SymbolicLink', linkpath: fs.readlinkSync(abs) });
    } else if (st.isFile()) {
      if (st.size === 0 && tree.skipEmpty?.has(`/${childRel}`)) return;
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? links.get(key) : undefined;
      if (first) {
        yield* headerBlocks({ ...base, path: childRel, type: 'Link', linkpath: first });
        return;
      }
      if (st.nlink > 1) links.set(key, childRel);
      if (st.size <= SMALL) {
        // A small file in one chunk: header, bytes and padding (a chunk per block costs more than the read).
        yield Buffer.concat([...headerBlocks({ ...base, path: childRel, type: 'File', size: st.size }), smallContent(abs, st.size), padding(st.size)]);
        return;
      }
      yield* headerBlocks({ ...base, path: childRel, type: 'File', size: st.size });
      yield* fileContent(abs, st.size);
      yield padding(st.size);
    } else if (st.isFIFO()) {
      yield* headerBlocks({ ...base, path: childRel, type: 'FIFO' });
    } else if (st.isCharacterDevice() || st.isBlockDevice()) {
      const devmaj = Math.floor(st.rdev / 256) & 0xfff;
      const devmin = (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00);
      yield* headerBlocks({ ...base, path: childRel, type: st.isCharacterDevice() ? 'CharacterDevice' : 'BlockDevice', devmaj, devmin });
    }
    // Sockets are not part of a layer, nor of a copy.
  };
  const walk = async function* (rel: string, names: string[]): AsyncGenerator<Buffer> {
    for (const name of names) {
      const childRel = rel ? `${rel}/${name}` : name;
      if (!tree.skip?.(childRel)) yield* one(childRel);
    }
  };
  yield* walk('', tree.names);
  yield Buffer.alloc(BLOCK * 2);
}

/** A tree as a tar stream: entries in the order given, owners, modes and mtimes as stored, hard links as links. */
export function packTree(tree: PackTree): Readable {
  return Readable.from(entries(tree), { objectMode: false });
}

/** The layer tar of a directory, as a stream. */
export function packLayer(dir: string, opts: PackOptions = {}): Readable {
  const list = (rel: string) => fs.readdirSync(path.join(dir, rel)).sort();
  return packTree({ names: list(''), place: (rel) => path.join(dir, rel), list, whiteouts: true, skipEmpty: opts.skipEmpty, skipDirs: opts.skipDirs, mtime: opts.mtime, xattrs: true });
}
