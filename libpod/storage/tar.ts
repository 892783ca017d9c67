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
}

export function newParser(): Tar.Parser {
  return new (tarLib().Parser)({ strict: true });
}

/** A PAX extended header carrying records (path, linkpath) the ustar block cannot hold. */
function paxBlock(records: Record<string, string>, forPath: string): Buffer {
  let body = '';
  for (const [key, value] of Object.entries(records)) {
    const rest = ` ${key}=${value}\n`;
    let len = Buffer.byteLength(rest) + 1;
    while (String(len).length + Buffer.byteLength(rest) !== len) len++;
    body += `${len}${rest}`;
  }
  const bodyLen = Buffer.byteLength(body);
  const buf = Buffer.alloc(BLOCK + Math.ceil(bodyLen / BLOCK) * BLOCK);
  new (tarLib().Header)({ path: `PaxHeader/${path.basename(forPath)}`.slice(0, 99), mode: 0o644, size: bodyLen, mtime: new Date(0), type: 'ExtendedHeader', uid: 0, gid: 0 }).encode(buf);
  buf.write(body, BLOCK, 'utf8');
  return buf;
}

/** The header blocks of one member: ustar, preceded by a PAX header when a name does not fit. */
export function headerBlocks(h: HeaderFields): Buffer[] {
  const header = new (tarLib().Header)({ ...h, linkpath: h.linkpath ?? '', uname: '', gname: '' });
  const block = Buffer.alloc(BLOCK);
  if (!header.encode(block)) return [block];
  const records: Record<string, string> = { path: h.path };
  if (h.linkpath) records.linkpath = h.linkpath;
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
