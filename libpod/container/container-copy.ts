// `cp` between the host and a container, as tar streams: one side is packed (a walk of the tree,
// symlinks kept exactly as they are) and unpacked into the other by tspod's own extractor, so a
// `-` tar stream on stdin/stdout is the same path. Runs inside the user namespace. A container is
// seen as a ContainerView: its root with its mounts over it (volumes, bind mounts, tmpfs, the
// generated /etc files), and its paths are resolved as if its root were "/", so that its symlinks
// cannot lead the copy out to the host; the extractor never writes through a symlink.
//
// Docker's rules for what lands where: a source directory copied to a missing destination becomes
// that destination; to an existing directory it goes inside it, or only its contents with a
// trailing "/."; a file onto a directory goes inside it, onto a file replaces it.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { InvalidArgumentError, TspodError } from '../../src/errors';
import { statIfExists } from '../../src/files';
import { packTree, type PackTree } from '../storage/layer-pack';
import { extractInto, LayerError } from '../storage/layer-extract';
import { mappedIdLimits } from '../rootless/user-namespace';
import { hostPath, mountOf, namesIn, resolveInView, writeRefusal, type ContainerView } from './container-view';

export { resolveInRoot } from './container-view';

/** One end of a copy: a path on the host, or in a container (its view, or only a rootfs as root). */
export interface CopyEnd {
  view?: ContainerView;
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

/** Container paths a copy of "/" walks past, as Podman does: the kernel's, not the container's files. */
const KERNEL_DIRS = new Set(['/proc', '/sys', '/dev']);

function viewOf(end: CopyEnd, container: string): ContainerView | undefined {
  if (end.view) return end.view;
  return end.root ? { name: container, root: end.root, mounts: [], running: false } : undefined;
}

function realpathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** How a path is shown in errors: the container's view, or the host path as given. */
function shown(end: CopyEnd, container: string): string {
  return end.view || end.root ? `"${end.path}" in container ${container}` : `"${end.path}"`;
}

/** The source as a tree to pack, whether it is a directory, and its own name (not for contents-only). */
interface Source {
  tree: PackTree;
  isDir: boolean;
  base?: string;
}

function hostTree(cwd: string, names: string[]): PackTree {
  return { names, place: (rel) => path.join(cwd, rel), list: (rel) => fs.readdirSync(path.join(cwd, rel)).sort(), whiteouts: false };
}

function viewTree(view: ContainerView, cwd: string, names: string[], source: string): PackTree {
  const at = (rel: string) => path.posix.join(cwd, rel);
  return {
    names,
    place: (rel) => {
      const host = hostPath(view, at(rel));
      if (host === undefined) throw new CopyError(`"${at(rel)}" in container ${view.name} is on a tmpfs that is empty while the container is stopped`);
      return host;
    },
    list: (rel) => namesIn(view, at(rel)),
    skip: (rel) => KERNEL_DIRS.has(at(rel)) && at(rel) !== source,
    whiteouts: false,
  };
}

function locateSource(src: CopyEnd, opts: CopyOptions, container: string): Source {
  const trailing = /\/\.?$/.test(src.path);
  const contentsOnly = /(^|\/)\.$/.test(src.path);
  const follow = trailing || !!opts.followLink;
  const view = viewOf(src, container);
  if (view) {
    const cpath = resolveInView(view, src.path, follow);
    const st = statIfExists(hostPath(view, cpath));
    if (!st) {
      const m = mountOf(view, cpath);
      const why = m?.kind === 'tmpfs' ? `: it would be on the tmpfs mounted at ${m.destination}, which is empty while ${view.name} is not running` : '';
      throw new CopyError(`${shown(src, container)} could not be found: no such file or directory${why}`);
    }
    if (trailing && !st.isDirectory()) throw new CopyError(`${shown(src, container)} is not a directory: remove the trailing "/" to copy a file`);
    if (st.isDirectory() && (contentsOnly || cpath === '/')) return { tree: viewTree(view, cpath, namesIn(view, cpath), cpath), isDir: true }; // "/" itself: its contents
    const base = path.posix.basename(cpath);
    return { tree: viewTree(view, path.posix.dirname(cpath), [base], cpath), isDir: st.isDirectory(), base };
  }
  const abs = path.resolve(follow ? realpathOr(src.path) : src.path);
  const st = statIfExists(abs, follow);
  if (!st) throw new CopyError(`${shown(src, container)} could not be found: no such file or directory`);
  if (trailing && !st.isDirectory()) throw new CopyError(`${shown(src, container)} is not a directory: remove the trailing "/" to copy a file`);
  if (st.isDirectory() && (contentsOnly || abs === '/')) return { tree: hostTree(abs, fs.readdirSync(abs).sort()), isDir: true };
  return { tree: hostTree(path.dirname(abs), [path.basename(abs)]), isDir: st.isDirectory(), base: path.basename(abs) };
}

/** Where to unpack: a directory (host path), how paths below it are placed and refused, and the source's new name. */
interface Target {
  dir: string;
  place?: (rel: string) => string;
  refuse?: (rel: string) => string | undefined;
  rename?: string;
}

/** The destination as a directory and a name in it, before anything is checked: host or container. */
function destination(dest: CopyEnd, container: string): { dir: string; st?: fs.Stats; target: (dir: string) => Target; mkdir: (p: string) => void } {
  const view = viewOf(dest, container);
  if (!view) {
    const abs = path.resolve(dest.path);
    return { dir: abs, st: statIfExists(abs, true), target: (dir) => ({ dir }), mkdir: (p) => fs.mkdirSync(p, { mode: 0o755 }) };
  }
  const cpath = resolveInView(view, dest.path, true);
  const refusal = writeRefusal(view, cpath);
  if (refusal) throw new CopyError(refusal);
  const host = hostPath(view, cpath)!;
  return {
    dir: cpath,
    st: statIfExists(host),
    target: (dir) => ({
      dir: hostPath(view, dir)!,
      place: (rel) => hostPath(view, path.posix.join(dir, rel)) ?? path.join(view.root, dir, rel),
      refuse: (rel) => writeRefusal(view, path.posix.join(dir, rel)),
    }),
    mkdir: (p) => fs.mkdirSync(hostPath(view, p)!, { mode: 0o755 }),
  };
}

function locateTarget(dest: CopyEnd, source: Pick<Source, 'isDir' | 'base'> | 'stream', container: string): Target {
  const d = destination(dest, container);
  const { st } = d;
  if (st?.isDirectory()) return d.target(d.dir);
  if (source === 'stream') {
    if (st) throw new CopyError(`${shown(dest, container)} is not a directory: a tar stream is unpacked into a directory`);
    throw new CopyError(`${shown(dest, container)} does not exist: a tar stream is unpacked into an existing directory`);
  }
  if (st && source.isDir) throw new CopyError(`cannot copy a directory onto the file ${shown(dest, container)}: name a directory`);
  if (!st && dest.path.endsWith('/')) throw new CopyError(`destination directory ${shown(dest, container)} does not exist: create it first`);
  const parent = path.dirname(d.dir);
  const parentTarget = d.target(parent);
  if (!statIfExists(parentTarget.dir, true)?.isDirectory()) throw new CopyError(`the parent directory of ${shown(dest, container)} does not exist: create it first`);
  // A source without its own name (contents of a directory) is unpacked into the new directory.
  if (!source.base) {
    d.mkdir(d.dir);
    return d.target(d.dir);
  }
  return { ...parentTarget, rename: path.basename(d.dir) };
}

/** The unpack side, renaming the first component when the destination gives a new name. */
function unpack(input: Readable, target: Target, base: string | undefined, opts: CopyOptions): Promise<unknown> {
  const rename = target.rename && base && target.rename !== base ? { from: base, to: target.rename } : undefined;
  const swap = (p: string) => {
    const q = p.replace(/^\.\//, '');
    return rename && (q === rename.from || q.startsWith(`${rename.from}/`)) ? rename.to + q.slice(rename.from.length) : q;
  };
  return extractInto(input, { target: target.dir, owner: opts.owner, rename: swap, ...mappedIdLimits(), merge: { place: target.place, refuse: target.refuse } });
}

/** An error's message with a container's host paths (/proc/PID/root/...) shown as the container's own. */
function inContainerTerms(err: Error, ends: CopyEnd[], container: string): string {
  let message = err.message;
  for (const end of ends) {
    const root = end.view?.root ?? end.root;
    if (root) message = message.split(`'${root.replace(/\/$/, '')}/`).join(`'/`);
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EROFS') message += `: it is mounted read-only in container ${container}`;
  return message;
}

/** Copies src to dest; exactly one of them is in a container (has a view or root), either may be '-'. */
export async function copy(src: CopyEnd, dest: CopyEnd, container: string, opts: CopyOptions): Promise<void> {
  try {
    if (src.path === '-') {
      await unpack(opts.stdin ?? process.stdin, locateTarget(dest, 'stream', container), undefined, opts);
      return;
    }
    const source = locateSource(src, opts, container);
    if (dest.path === '-') {
      await pipeline(packTree(source.tree), opts.stdout ?? process.stdout);
      return;
    }
    const target = locateTarget(dest, source, container);
    await unpack(packTree(source.tree), target, source.base, opts);
  } catch (err) {
    // What the extractor refused, or a failed write, stops the copy; what was written before it stays.
    if (err instanceof LayerError || !(err instanceof TspodError)) throw new CopyError(`copy incomplete: ${inContainerTerms(err as Error, [src, dest], container)}`, { cause: err });
    throw err;
  }
}

/** Splits a cp argument into container and path ("name:/path"); a host path has no container. */
export function parseCopyArg(arg: string): { container?: string; path: string } {
  if (arg === '-' || arg.startsWith('/') || arg.startsWith('.')) return { path: arg };
  const colon = arg.indexOf(':');
  if (colon <= 0) return { path: arg };
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) || '/' };
}
