// Packs a container's overlay upper directory into an OCI layer tar (for commit): entries in sorted
// order, owners, modes and mtimes as stored, hard links as links, and overlay's own markers turned
// into OCI whiteouts: a char device 0/0 (native overlay) becomes .wh.NAME, a directory marked
// opaque (user.overlay.opaque=y) gets .wh..wh..opq; fuse-overlayfs already writes .wh. files.
// Headers are ustar (node-tar's Header), with a PAX record for names that do not fit.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { lgetxattr } from '../../src/ffi';
import { BLOCK, headerBlocks, padding } from './tar';

const CHUNK = 1 << 20;

export interface PackOptions {
  /** Paths ("/etc/hosts") left out when they are empty files: mount points the runtime made. */
  skipEmpty?: Set<string>;
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

function isOpaque(dir: string): boolean {
  try {
    return lgetxattr(dir, 'user.overlay.opaque') === 'y';
  } catch {
    return false;
  }
}

async function* entries(root: string, opts: PackOptions): AsyncGenerator<Buffer> {
  const links = new Map<string, string>();
  const walk = async function* (rel: string): AsyncGenerator<Buffer> {
    const names = fs.readdirSync(path.join(root, rel)).sort();
    for (const name of names) {
      const childRel = rel ? `${rel}/${name}` : name;
      const abs = path.join(root, childRel);
      const st = fs.lstatSync(abs);
      const base = { uid: st.uid, gid: st.gid, mtime: st.mtime, mode: st.mode & 0o7777, size: 0 };
      if (st.isCharacterDevice() && st.rdev === 0) {
        yield* headerBlocks({ ...base, path: rel ? `${rel}/.wh.${name}` : `.wh.${name}`, type: 'File', mode: 0o644 });
      } else if (st.isDirectory()) {
        yield* headerBlocks({ ...base, path: `${childRel}/`, type: 'Directory' });
        if (isOpaque(abs) && !names.includes('.wh..wh..opq')) yield* headerBlocks({ ...base, path: `${childRel}/.wh..wh..opq`, type: 'File', mode: 0o644 });
        yield* walk(childRel);
      } else if (st.isSymbolicLink()) {
        yield* headerBlocks({ ...base, path: childRel, type: 'SymbolicLink', linkpath: fs.readlinkSync(abs) });
      } else if (st.isFile()) {
        if (st.size === 0 && opts.skipEmpty?.has(`/${childRel}`)) continue;
        const key = `${st.dev}:${st.ino}`;
        const first = st.nlink > 1 ? links.get(key) : undefined;
        if (first) {
          yield* headerBlocks({ ...base, path: childRel, type: 'Link', linkpath: first });
          continue;
        }
        if (st.nlink > 1) links.set(key, childRel);
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
      // Sockets are not part of a layer.
    }
  };
  yield* walk('');
  yield Buffer.alloc(BLOCK * 2);
}

/** The layer tar of a directory, as a stream. */
export function packLayer(dir: string, opts: PackOptions = {}): Readable {
  return Readable.from(entries(dir, opts), { objectMode: false });
}
