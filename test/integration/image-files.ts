// Reads a saved image (docker-archive) the way a runtime would see it: its config, and its layers
// applied in order, whiteouts and opaque directories included, as a map of path -> what is there.
// Written for the build corpus, which compares what two builders made of the same Containerfile.
import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';

export interface TarEntry {
  /** Without a leading "./" or "/", without a trailing "/". */
  name: string;
  /** The tar type flag: "0" file, "1" hard link, "2" symlink, "3" char, "4" block, "5" dir, "6" fifo. */
  type: string;
  mode: number;
  uid: number;
  gid: number;
  linkname: string;
  devmajor: number;
  devminor: number;
  /** pax records of this entry (SCHILY.xattr.* among them). */
  pax: Record<string, string>;
  data: Buffer;
}

function cString(b: Buffer): string {
  const end = b.indexOf(0);
  return b.subarray(0, end < 0 ? b.length : end).toString('utf8');
}

function tarNumber(b: Buffer): number {
  if (b[0] & 0x80) {
    // base-256: big-endian, the first byte's high bit a marker
    let n = b[0] & 0x7f;
    for (let i = 1; i < b.length; i++) n = n * 256 + b[i];
    return n;
  }
  const s = cString(b).trim();
  return s ? parseInt(s, 8) : 0;
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space < 0) break;
    const len = Number(data.subarray(i, space).toString('ascii'));
    if (!Number.isInteger(len) || len <= 0) throw new Error(`bad pax record at byte ${i}`);
    const rec = data.subarray(space + 1, i + len - 1); // without the trailing "\n"
    const eq = rec.indexOf(0x3d);
    // Values may be binary (xattrs): keep them as latin1 so that no byte is lost.
    out[rec.subarray(0, eq).toString('utf8')] = rec.subarray(eq + 1).toString('latin1');
    i += len;
  }
  return out;
}

function cleanName(name: string): string {
  let n = name.replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (n === '.') n = '';
  return n;
}

/** The entries of a tar (gzip-compressed or not), pax and GNU long names applied. */
export function readTar(buf: Buffer): TarEntry[] {
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = zlib.gunzipSync(buf);
  const entries: TarEntry[] = [];
  let global: Record<string, string> = {};
  let pending: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  let off = 0;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((x) => x === 0)) break;
    const size = tarNumber(h.subarray(124, 136));
    const type = String.fromCharCode(h[156] || 0x30);
    const data = buf.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') { pending = { ...pending, ...parsePax(data) }; continue; }
    if (type === 'g') { global = { ...global, ...parsePax(data) }; continue; }
    if (type === 'L') { longName = cString(data); continue; }
    if (type === 'K') { longLink = cString(data); continue; }
    const pax = { ...global, ...pending };
    const prefix = cString(h.subarray(257, 263)).startsWith('ustar') ? cString(h.subarray(345, 500)) : '';
    let name = longName ?? (prefix ? `${prefix}/${cString(h.subarray(0, 100))}` : cString(h.subarray(0, 100)));
    if (pax.path !== undefined) name = Buffer.from(pax.path, 'latin1').toString('utf8');
    let linkname = longLink ?? cString(h.subarray(157, 257));
    if (pax.linkpath !== undefined) linkname = Buffer.from(pax.linkpath, 'latin1').toString('utf8');
    entries.push({
      name: cleanName(name),
      type: type === '7' || type === '\0' ? '0' : type,
      mode: tarNumber(h.subarray(100, 108)) & 0o7777,
      uid: pax.uid !== undefined ? Number(pax.uid) : tarNumber(h.subarray(108, 116)),
      gid: pax.gid !== undefined ? Number(pax.gid) : tarNumber(h.subarray(116, 124)),
      linkname,
      devmajor: tarNumber(h.subarray(329, 337)),
      devminor: tarNumber(h.subarray(337, 345)),
      pax,
      data,
    });
    pending = {};
    longName = undefined;
    longLink = undefined;
  }
  return entries;
}

/** One path of a flattened image: what a container would find there (times left out). */
export interface FileInfo {
  type: 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo';
  uid: number;
  gid: number;
  /** Permission bits with setuid/setgid/sticky, octal ("0755"). */
  mode: string;
  linkTarget?: string;
  sha256?: string;
  device?: string;
  /** Extended attributes (SCHILY.xattr.*), values in hex. */
  xattrs?: Record<string, string>;
  /** Other paths that are hard links to the same file (sorted), when there are any. */
  hardLinks?: string[];
}

const TYPES: Record<string, FileInfo['type']> = { '0': 'file', '2': 'symlink', '3': 'char', '4': 'block', '5': 'dir', '6': 'fifo' };

function xattrsOf(pax: Record<string, string>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(pax)) {
    if (k.startsWith('SCHILY.xattr.')) out[k.slice('SCHILY.xattr.'.length)] = Buffer.from(v, 'latin1').toString('hex');
  }
  return Object.keys(out).length ? out : undefined;
}

function removeTree(files: Map<string, FileInfo>, inode: Map<string, number>, p: string): void {
  for (const k of [...files.keys()]) {
    if (k === p || k.startsWith(p === '/' ? '/' : `${p}/`)) {
      files.delete(k);
      inode.delete(k);
    }
  }
}

/** Applies layer tars in order as an overlay does: `.wh.NAME` removes NAME, `.wh..wh..opq` empties its directory. */
export function flattenLayers(layers: TarEntry[][], contents?: Map<string, Buffer>): Map<string, FileInfo> {
  const files = new Map<string, FileInfo>();
  const inode = new Map<string, number>();
  let nextInode = 1;
  for (const layer of layers) {
    // Whiteouts hide what lower layers had; entries of the same layer stay, whatever their order.
    for (const e of layer) {
      const slash = e.name.lastIndexOf('/');
      const dir = slash < 0 ? '' : e.name.slice(0, slash);
      const base = e.name.slice(slash + 1);
      if (base === '.wh..wh..opq') {
        const d = `/${dir}`;
        for (const k of [...files.keys()]) if (k.startsWith(d === '/' ? '/' : `${d}/`) && k !== d) { files.delete(k); inode.delete(k); }
      } else if (base.startsWith('.wh.')) {
        removeTree(files, inode, `/${dir ? `${dir}/` : ''}${base.slice(4)}`);
      }
    }
    for (const e of layer) {
      const base = e.name.slice(e.name.lastIndexOf('/') + 1);
      if (base.startsWith('.wh.')) continue;
      const p = `/${e.name}`;
      const old = files.get(p);
      if (old && old.type === 'dir' && e.type !== '5') removeTree(files, inode, p);
      const common = { uid: e.uid, gid: e.gid, mode: e.mode.toString(8).padStart(4, '0'), ...(xattrsOf(e.pax) ? { xattrs: xattrsOf(e.pax) } : {}) };
      if (e.type === '1') {
        const target = `/${cleanName(e.linkname)}`;
        const t = files.get(target);
        if (!t) throw new Error(`hard link ${p} to ${target}, which no layer so far has`);
        files.set(p, { ...t, ...common, type: 'file', sha256: t.sha256 });
        contents?.delete(p);
        if (contents?.has(target)) contents.set(p, contents.get(target)!);
        if (!inode.has(target)) inode.set(target, nextInode++);
        inode.set(p, inode.get(target)!);
        continue;
      }
      const type = TYPES[e.type];
      if (!type) throw new Error(`tar entry ${p} has type ${JSON.stringify(e.type)}, which an image layer should not have`);
      const info: FileInfo = { type, ...common };
      if (type === 'file') info.sha256 = crypto.createHash('sha256').update(e.data).digest('hex');
      contents?.delete(p);
      if (type === 'file' && contents && e.data.length <= 65536) contents.set(p, Buffer.from(e.data));
      if (type === 'symlink') info.linkTarget = e.linkname;
      if (type === 'char' || type === 'block') info.device = `${e.devmajor}:${e.devminor}`;
      files.set(p, info);
      inode.set(p, nextInode++);
    }
  }
  const byInode = new Map<number, string[]>();
  for (const [p, i] of inode) byInode.set(i, [...(byInode.get(i) ?? []), p]);
  for (const paths of byInode.values()) {
    if (paths.length < 2) continue;
    for (const p of paths) files.get(p)!.hardLinks = paths.filter((q) => q !== p).sort();
  }
  return files;
}

export interface SavedImage {
  config: Record<string, any>;
  files: Map<string, FileInfo>;
  /** The bytes of each regular file of up to 64 KiB, by path (hard links included). */
  contents: Map<string, Buffer>;
  /** Every byte of the archive (to search for what must not be there). */
  raw: Buffer[];
}

/** A docker-archive (as `save --format docker-archive` writes it): its one image's config and files. */
export function readDockerArchive(file: string): SavedImage {
  const outer = new Map(readTar(fs.readFileSync(file)).map((e) => [e.name, e.data] as const));
  const manifestData = outer.get('manifest.json');
  if (!manifestData) throw new Error(`${file} has no manifest.json: not a docker-archive`);
  const manifest = JSON.parse(manifestData.toString('utf8'));
  if (manifest.length !== 1) throw new Error(`${file} holds ${manifest.length} images, not one`);
  const part = (name: string) => {
    const b = outer.get(cleanName(name));
    if (!b) throw new Error(`${file} lacks ${name}, which its manifest names`);
    return b;
  };
  const configData = part(manifest[0].Config);
  const layerData = (manifest[0].Layers as string[]).map(part);
  const config = JSON.parse(configData.toString('utf8'));
  const contents = new Map<string, Buffer>();
  const files = flattenLayers(layerData.map(readTar), contents);
  for (const p of [...contents.keys()]) if (!files.has(p)) contents.delete(p);
  return { config, files, contents, raw: [configData, ...layerData.map((b) => (b[0] === 0x1f && b[1] === 0x8b ? zlib.gunzipSync(b) : b))] };
}
