// What a container shows at a path, for cp: its root filesystem with its mounts laid over it. A
// running container is seen through /proc/PID/root, its own mount namespace, so every mount is
// there as the kernel shows it; a stopped one is its mounted rootfs plus a table of mounts
// (volumes, bind mounts, tmpfs, the generated /etc files) that maps container paths to host paths.
// Paths are resolved component by component as if the root were "/": a symlink, absolute or with
// "..", never leads out of the container, and mounts are found on the path as resolved.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import { statIfExists } from '../../src/files';
import type { MountSpec } from '../volume/volume-spec';

export interface ViewMount {
  /** Where the container sees it, normalized ("/etc/hosts", "/data"), symlinks of the image resolved. */
  destination: string;
  kind: 'volume' | 'bind' | 'tmpfs' | 'generated';
  /** The host file or directory shown there; none for a stopped container's tmpfs (empty until it starts). */
  source?: string;
  readOnly: boolean;
  /** For errors: the volume's name, the host path, "tmpfs". */
  label: string;
}

export interface ContainerView {
  name: string;
  /** The root as a host path: /proc/PID/root, or the mounted rootfs. */
  root: string;
  /** Only for a stopped container; a running one's mounts are seen through root. Later ones win. */
  mounts: ViewMount[];
  running: boolean;
}

export class ContainerPathError extends InvalidArgumentError {}

const split = (s: string) => s.split('/').filter((x) => x !== '' && x !== '.');

/** The mount that shows a container path, the deepest (and on a tie the last) one covering it. */
export function mountOf(view: ContainerView, containerPath: string): ViewMount | undefined {
  let best: ViewMount | undefined;
  for (const m of view.mounts) {
    if (containerPath !== m.destination && !containerPath.startsWith(m.destination === '/' ? '/' : `${m.destination}/`)) continue;
    if (!best || m.destination.length >= best.destination.length) best = m;
  }
  return best;
}

/**
 * The host path of a container path; undefined inside a stopped container's tmpfs (it has nothing
 * yet). Its mount point itself is the directory of the rootfs under it, listed as empty (namesIn).
 */
export function hostPath(view: ContainerView, containerPath: string): string | undefined {
  const m = mountOf(view, containerPath);
  if (!m) return path.join(view.root, containerPath);
  if (m.source === undefined) return containerPath === m.destination ? path.join(view.root, containerPath) : undefined;
  return path.join(m.source, containerPath.slice(m.destination.length));
}

/**
 * A container path with every symlink resolved inside the container (".." stops at its root), as
 * an absolute container path. The last component is followed only if followLast. Components that
 * do not exist are kept as given.
 */
export function resolveInView(view: ContainerView, p: string, followLast: boolean): string {
  let rest = split(p);
  const done: string[] = [];
  let hops = 0;
  while (rest.length > 0) {
    const name = rest.shift()!;
    if (name === '..') {
      done.pop();
      continue;
    }
    const here = `/${[...done, name].join('/')}`;
    const st = statIfExists(hostPath(view, here));
    if (st?.isSymbolicLink() && (rest.length > 0 || followLast)) {
      if (++hops > 40) throw new ContainerPathError(`too many levels of symbolic links in ${p}`);
      const target = fs.readlinkSync(hostPath(view, here)!);
      if (target.startsWith('/')) done.length = 0;
      rest = [...split(target), ...rest];
      continue;
    }
    done.push(name);
  }
  return `/${done.join('/')}`;
}

/** A path inside root (a host directory) with its symlinks resolved as if root were "/", as a host path. */
export function resolveInRoot(root: string, p: string, followLast: boolean): string {
  return path.join(root, resolveInView({ name: '', root, mounts: [], running: false }, p, followLast));
}

/**
 * Why nothing may be written at a container path, or undefined. A stopped container's tmpfs is
 * replaced by an empty one when it starts and its generated /etc files are written again: what
 * was copied there would be lost without a word. A read-only mount stays read-only for cp.
 */
export function writeRefusal(view: ContainerView, containerPath: string): string | undefined {
  const m = mountOf(view, containerPath);
  if (!m) return undefined;
  const where = `"${containerPath}" in container ${view.name}`;
  if (m.kind === 'tmpfs') return `${where} is on the tmpfs mounted at ${m.destination}, which starts empty each time ${view.name} starts: start the container and copy again, or mount a volume there instead`;
  if (m.kind === 'generated') return `${where} is written by tspod each time ${view.name} starts: start the container and copy again, or set it with --hostname, --add-host or --dns`;
  if (m.readOnly) return `${where} is on a read-only mount (${m.label} at ${m.destination}): mount it read-write to copy into it`;
  return undefined;
}

/** The names in a container directory: what its host directory holds, plus the mount points below it that show something. */
export function namesIn(view: ContainerView, containerDir: string): string[] {
  const names = new Set<string>();
  const m = mountOf(view, containerDir);
  if (!m || m.source !== undefined) for (const n of fs.readdirSync(hostPath(view, containerDir)!)) names.add(n);
  const prefix = containerDir === '/' ? '/' : `${containerDir}/`;
  for (const below of view.mounts) {
    if (!below.destination.startsWith(prefix)) continue;
    const name = below.destination.slice(prefix.length).split('/')[0];
    if (statIfExists(hostPath(view, prefix + name))) names.add(name); // not a file never generated
  }
  return [...names].sort();
}

/** The generated files a container's runtime spec mounts, where tspod keeps them. */
export interface GeneratedFiles {
  hosts: string;
  resolvConf: string;
  hostname: string;
}

/**
 * A stopped container's view: its mounted rootfs, the generated /etc files of its last start (a
 * container that never started has none yet: the image's files show, but nothing may be written
 * there), and its volumes, bind mounts and tmpfs in the order the runtime mounts them.
 */
export function stoppedView(name: string, rootfs: string, mounts: MountSpec[], generated: GeneratedFiles, volumeDir: (volume: string) => string): ContainerView {
  const view: ContainerView = { name, root: rootfs, mounts: [], running: false };
  const ours: Array<[string, string]> = [['/etc/hosts', generated.hosts], ['/etc/resolv.conf', generated.resolvConf], ['/etc/hostname', generated.hostname]];
  for (const [destination, file] of ours) {
    if (mounts.some((m) => path.posix.normalize(m.destination) === destination)) continue; // the user's mount replaces ours
    view.mounts.push({ destination, kind: 'generated', source: fs.existsSync(file) ? file : undefined, readOnly: false, label: destination });
  }
  const byDepth = [...mounts].sort((a, b) => a.destination.split('/').length - b.destination.split('/').length);
  for (const m of byDepth) {
    // The runtime follows the image's symlinks to place a mount; so does the view.
    const destination = resolveInView(view, m.destination, true);
    if (m.type === 'tmpfs') view.mounts.push({ destination, kind: 'tmpfs', readOnly: m.readOnly, label: 'tmpfs' });
    else if (m.type === 'volume') view.mounts.push({ destination, kind: 'volume', source: volumeDir(m.source), readOnly: m.readOnly, label: `volume ${m.source}` });
    else view.mounts.push({ destination, kind: 'bind', source: m.source, readOnly: m.readOnly, label: m.source });
  }
  return view;
}
