// The one owner of node-tar (required on first use): its streaming Parser for layer extraction,
// ustar/PAX header blocks for the tar streams tspod writes itself (layers, image archives), and
// its pack/unpack for `cp`, whose unpack refuses paths through symlinks and outside its directory.
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type * as Tar from 'tar';

const tarLib = () => require('tar') as typeof Tar; // eslint-disable-line @typescript-eslint/no-require-imports

export const BLOCK = 512;

export type TarEntry = Tar.ReadEntry;

export interface HeaderFields {
  path: string;
  type: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'BlockDevice' | 'FIFO';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: Date;
  linkpath?: string;
  devmaj?: number;
  devmin?: number;
  /** Extended attributes (security.capability, user.*), as SCHILY.xattr PAX records. */
  xattrs?: Record<string, Buffer>;
}

export function newParser(): Tar.Parser {
  return new (tarLib().Parser)({ strict: true });
}

/** A PAX extended header carrying records (path, linkpath, xattrs) the ustar block cannot hold; values as raw bytes. */
function paxBlock(records: Record<string, string | Buffer>, forPath: string): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(records)) {
    const rest = Buffer.concat([Buffer.from(` ${key}=`), Buffer.isBuffer(value) ? value : Buffer.from(value), Buffer.from('\n')]);
    let len = rest.length + 1;
    while (String(len).length + rest.length !== len) len++;
    parts.push(Buffer.from(String(len)), rest);
  }
  const body = Buffer.concat(parts);
  const buf = Buffer.alloc(BLOCK + Math.ceil(body.length / BLOCK) * BLOCK);
  new (tarLib().Header)({ path: `PaxHeader/${path.basename(forPath)}`.slice(0, 99), mode: 0o644, size: body.length, mtime: new Date(0), type: 'ExtendedHeader', uid: 0, gid: 0 }).encode(buf);
  body.copy(buf, BLOCK);
  return buf;
}

/** The header blocks of one member: ustar, preceded by a PAX header when a name does not fit or xattrs are carried. */
export function headerBlocks(h: HeaderFields): Buffer[] {
  const header = new (tarLib().Header)({ ...h, linkpath: h.linkpath ?? '', uname: '', gname: '' });
  const block = Buffer.alloc(BLOCK);
  const long = header.encode(block);
  const xattrs = Object.entries(h.xattrs ?? {});
  if (!long && !xattrs.length) return [block];
  const records: Record<string, string | Buffer> = long ? { path: h.path, ...(h.linkpath ? { linkpath: h.linkpath } : {}) } : {};
  for (const [name, value] of xattrs) records[`SCHILY.xattr.${name}`] = value;
  return [paxBlock(records, h.path), block];
}

/** Zero bytes that pad a member's data of size bytes to a whole block. */
export const padding = (size: number): Buffer => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/** A tar of names under cwd: symlinks kept as links, hard links as links, owners and mtimes kept. */
export function packPaths(cwd: string, names: string[]): Readable {
  return tarLib().c({ cwd, portable: false, follow: false }, names) as unknown as Readable;
}

export interface UnpackOptions {
  cwd: string;
  /** Owners from the archive (preserveOwner) or all files given to uid/gid. */
  owner?: { uid: number; gid: number };
  strict?: boolean;
  onReadEntry?: (entry: TarEntry) => void;
}

/** Unpacks into cwd with the modes as archived (no umask); emits 'warn' for each entry refused. */
export function unpackInto(opts: UnpackOptions): Writable {
  return tarLib().x({
    cwd: opts.cwd,
    umask: 0,
    strict: opts.strict,
    preserveOwner: opts.owner === undefined,
    ...(opts.owner ?? {}),
    onReadEntry: opts.onReadEntry,
  }) as unknown as Writable;
}
