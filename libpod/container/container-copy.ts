// `cp` between the host and a container's root filesystem, as tar streams (node-tar packs one side
// and unpacks into the other, so a `-` tar stream on stdin/stdout is the same path). Runs inside
// the user namespace, on the mounted rootfs. Paths in the container are resolved as if its root
// were "/", so an image's symlinks cannot lead the copy out to the host; node-tar refuses to
// extract through symlinks below the destination directory.
//
// Docker's rules for what lands where: a source directory copied to a missing destination becomes
// that destination; to an existing directory it goes inside it, or only its contents with a
// trailing "/."; a file onto a directory goes inside it, onto a file replaces it.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { InvalidArgumentError } from '../../src/errors';
import { packPaths, unpackInto } from '../storage/tar';

/** One end of a copy: a path on the host, or in the container whose rootfs is root. */
export interface CopyEnd {
  root?: string;
  path: string;
}

export interface CopyOptions {
  /** Owner of everything written into the container (archive mode); undefined keeps the source's. */
  owner?: { uid: number; gid: number };
  /** Follow a symlink named as the source (-L). */
  followLink?: boolean;
  stdin?: Readable;
  stdout?: Writable;
}

class CopyError extends InvalidArgumentError {}

/**
 * A path inside root with every symlink resolved as if root were "/" (".." stops at root). The
 * last component is followed only if followLast. Components that do not exist are kept as given.
 */
export function resolveInRoot(root: string, p: string, followLast: boolean): string {
  const split = (s: string) => s.split('/').filter((x) => x !== '' && x !== '.');
  let rest = split(p);
  const done: string[] = [];
  let hops = 0;
  while (rest.length > 0) {
    const name = rest.shift()!;
    if (name === '..') {
      done.pop();
      continue;
    }
    const here = path.join(root, ...done, name);
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(here);
    } catch {
      st = undefined;
    }
    if (st?.isSymbolicLink() && (rest.length > 0 || followLast)) {
      if (++hops > 40) throw new CopyError(`too many levels of symbolic links in ${p}`);
      const target = fs.readlinkSync(here);
      if (target.startsWith('/')) done.length = 0;
      rest = [...split(target), ...rest];
      continue;
    }
    done.push(name);
  }
  return path.join(root, ...done);
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

/** How a path is shown in errors: the container's view, or the host path as given. */
function shown(end: CopyEnd, container: string): string {
  return end.root ? `"${end.path}" in container ${container}` : `"${end.path}"`;
}

/** Where the source is, as a directory to pack from and the names to pack. */
interface Source {
  cwd: string;
  names: string[];
  isDir: boolean;
  /** The source's own name, the first component of every entry (not for contents-only). */
  base?: string;
}

function locateSource(src: CopyEnd, opts: CopyOptions, container: string): Source {
  const trailing = /\/\.?$/.test(src.path);
  const contentsOnly = /(^|\/)\.$/.test(src.path);
  const abs = src.root ? resolveInRoot(src.root, src.path, trailing || !!opts.followLink) : path.resolve(opts.followLink || trailing ? realpathOr(src.path) : src.path);
  const st = opts.followLink || trailing ? statOrUndefined(abs) : lstatOrUndefined(abs);
  if (!st) throw new CopyError(`${shown(src, container)} could not be found: no such file or directory`);
  if (trailing && !st.isDirectory()) throw new CopyError(`${shown(src, container)} is not a directory: remove the trailing "/" to copy a file`);
  if (st.isDirectory() && contentsOnly) return { cwd: abs, names: fs.readdirSync(abs), isDir: true };
  if (abs === (src.root ?? '/')) return { cwd: abs, names: fs.readdirSync(abs), isDir: true }; // "/" itself: its contents
  return { cwd: path.dirname(abs), names: [path.basename(abs)], isDir: st.isDirectory(), base: path.basename(abs) };
}

function realpathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/** Where to unpack: a directory, and the name the source's first component takes there. */
interface Target {
  dir: string;
  rename?: string;
}

function locateTarget(dest: CopyEnd, source: Pick<Source, 'isDir' | 'base'> | 'stream', container: string): Target {
  const abs = dest.root ? resolveInRoot(dest.root, dest.path, true) : path.resolve(dest.path);
  const st = statOrUndefined(abs);
  if (st?.isDirectory()) return { dir: abs };
  if (source === 'stream') {
    if (st) throw new CopyError(`${shown(dest, container)} is not a directory: a tar stream is unpacked into a directory`);
    throw new CopyError(`${shown(dest, container)} does not exist: a tar stream is unpacked into an existing directory`);
  }
  if (st && source.isDir) throw new CopyError(`cannot copy a directory onto the file ${shown(dest, container)}: name a directory`);
  if (!st && dest.path.endsWith('/')) throw new CopyError(`destination directory ${shown(dest, container)} does not exist: create it first`);
  const parent = path.dirname(abs);
  if (!statOrUndefined(parent)?.isDirectory()) throw new CopyError(`the parent directory of ${shown(dest, container)} does not exist: create it first`);
  // A source without its own name (contents of a directory) is unpacked into the new directory.
  if (!source.base) {
    fs.mkdirSync(abs, { mode: 0o755 });
    return { dir: abs };
  }
  return { dir: parent, rename: path.basename(abs) };
}

/** The pack side: a gnu-compatible tar of the source, symlinks kept as links, hard links as links. */
function pack(source: Source): Readable {
  return packPaths(source.cwd, source.names);
}

/** The unpack side, renaming the first component when the destination gives a new name. */
function unpack(target: Target, base: string | undefined, opts: CopyOptions): Writable {
  const rename = target.rename && base && target.rename !== base ? { from: base, to: target.rename } : undefined;
  const swap = (p: string) => (rename && (p === rename.from || p.startsWith(`${rename.from}/`)) ? rename.to + p.slice(rename.from.length) : p);
  return unpackInto({
    cwd: target.dir,
    owner: opts.owner,
    onReadEntry: (entry) => {
      entry.path = swap(entry.path.replace(/^\.\//, ''));
      if (entry.type === 'Link' && entry.linkpath) entry.linkpath = swap(entry.linkpath);
    },
  });
}

/** Copies src to dest; exactly one of them is in a container (has root), either may be '-'. */
export async function copy(src: CopyEnd, dest: CopyEnd, container: string, opts: CopyOptions): Promise<void> {
  const warnings: string[] = [];
  if (src.path === '-') {
    const target = locateTarget(dest, 'stream', container);
    const out = unpack(target, undefined, opts);
    out.on('warn', (_code: string, message: string) => warnings.push(message));
    await pipeline(opts.stdin ?? process.stdin, out);
  } else {
    const source = locateSource(src, opts, container);
    if (dest.path === '-') {
      await pipeline(pack(source), opts.stdout ?? process.stdout);
      return;
    }
    const target = locateTarget(dest, source, container);
    const out = unpack(target, source.base, opts);
    out.on('warn', (_code: string, message: string) => warnings.push(message));
    await pipeline(pack(source), out);
  }
  if (warnings.length) throw new CopyError(`copy incomplete: ${warnings.slice(0, 3).join('; ')}${warnings.length > 3 ? ` (and ${warnings.length - 3} more)` : ''}`);
}

/** Splits a cp argument into container and path ("name:/path"); a host path has no container. */
export function parseCopyArg(arg: string): { container?: string; path: string } {
  if (arg === '-' || arg.startsWith('/') || arg.startsWith('.')) return { path: arg };
  const colon = arg.indexOf(':');
  if (colon <= 0) return { path: arg };
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) || '/' };
}
