// Overlay mounts inside the user namespace: the kernel's overlay (with userxattr, as unprivileged
// overlay requires) or fuse-overlayfs. Lower directories are passed relative to the layers
// directory (the mount helper runs there) to keep the option string short.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { TspodError } from '../../src/errors';
import { findProgram } from '../host/programs';

export type OverlayDriver = 'native' | 'fuse';

export interface OverlaySpec {
  /** Lower directories, topmost first. */
  lowers: string[];
  upper?: string;
  work?: string;
  target: string;
  /** No syncs to disk (native overlay's volatile, fuse-overlayfs's fsync=0): for --rm containers, whose writes die with them, as Podman does. */
  volatile?: boolean;
  /**
   * fuse-overlayfs's uidmapping=/gidmapping= ("C:H:N:C:H:N..."): files stored with container IDs are
   * shown with the IDs of tspod's namespace, for a container with a user namespace of its own.
   * The kernel cannot do it for a rootless user (tried on 6.18 with open_tree + mount_setattr
   * MOUNT_ATTR_IDMAP from tspod's namespace: EPERM on the layer directories, whose file system the
   * host's namespace owns; EINVAL on an overlay mount, which cannot be idmapped; a chowned copy of
   * the image per map costs its size again), so these mounts are always fuse-overlayfs.
   */
  idMapping?: { uid: string; gid: string };
}

export class MountError extends TspodError {
  override readonly code = 'EMOUNT';
}

function relativeTo(base: string, p: string): string {
  const rel = path.relative(base, p);
  return rel.startsWith('..') ? p : rel;
}

function run(program: string, args: string[], cwd: string, what: string): void {
  const r = spawnSync(program, args, { cwd, encoding: 'utf8' });
  if (r.error) throw new MountError(`${what}: ${r.error.message}`);
  if (r.status !== 0) throw new MountError(`${what}: ${(r.stderr || r.stdout).trim() || `exit ${r.status}`}`);
}

/** Mounts spec.target; must run inside the user+mount namespace (as its root). */
export function mountOverlay(driver: OverlayDriver, spec: OverlaySpec, base: string, mountProgram = ''): void {
  fs.mkdirSync(spec.target, { recursive: true, mode: 0o700 });
  const lowers = spec.lowers.map((l) => relativeTo(base, l)).join(':');
  const opts = [`lowerdir=${lowers}`];
  if (spec.upper) opts.push(`upperdir=${spec.upper}`, `workdir=${spec.work}`);
  if (driver === 'native' && !spec.idMapping) {
    opts.push('userxattr');
    if (spec.volatile) opts.push('volatile');
    // A volatile mount leaves work/incompat/volatile behind, and overlay refuses the next mount
    // while it is there; the upper directory is ours and disposable when it was volatile.
    if (spec.work) fs.rmSync(path.join(spec.work, 'work', 'incompat', 'volatile'), { recursive: true, force: true });
    run(findProgram('mount') ?? '/bin/mount', ['-t', 'overlay', 'overlay', '-o', opts.join(','), spec.target], base, `cannot mount overlay at ${spec.target}`);
    return;
  }
  const program = findProgram(mountProgram || 'fuse-overlayfs');
  if (!program) throw new MountError('fuse-overlayfs not found: install it with "sudo apt-get install fuse-overlayfs"');
  if (!fs.existsSync('/dev/fuse')) throw new MountError('/dev/fuse does not exist: fuse-overlayfs needs it (sudo modprobe fuse)');
  try {
    fs.accessSync('/dev/fuse', fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    throw new MountError('/dev/fuse is not readable and writable by you, so fuse-overlayfs cannot mount: fix it with "sudo chmod 0666 /dev/fuse"');
  }
  if (spec.volatile) opts.push('fsync=0');
  if (spec.idMapping) opts.push(`uidmapping=${spec.idMapping.uid}`, `gidmapping=${spec.idMapping.gid}`);
  run(program, ['-o', opts.join(','), spec.target], base, `cannot mount fuse-overlayfs at ${spec.target}`);
}

/** Binds source at target (made if missing); inside the user+mount namespace, as its root. */
export function bindMount(source: string, target: string): void {
  fs.mkdirSync(target, { recursive: true, mode: 0o700 });
  run(findProgram('mount') ?? '/bin/mount', ['--rbind', source, target], '/', `cannot bind ${source} at ${target}`);
}

/** Unescapes the octal escapes (\040 for a space) of /proc/self/mountinfo. */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** The path as /proc/self/mountinfo writes it: space, tab, newline and backslash in octal. */
function escape(s: string): string {
  return s.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

export function isMountPoint(target: string): boolean {
  const want = path.resolve(target);
  const info = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  // Usually asked of a path not mounted yet: one search of the text says so without splitting
  // every line (with 500 containers running there are hundreds; 9 ms a call, 4 of them the read).
  if (!info.includes(` ${escape(want)} `)) return false;
  return info.split('\n').some((line) => unescape(line.split(' ')[4] ?? '') === want);
}

export function unmount(target: string): void {
  if (!isMountPoint(target)) return;
  const r = spawnSync(findProgram('umount') ?? '/bin/umount', [target], { encoding: 'utf8' });
  if (r.status !== 0 && isMountPoint(target)) {
    // fuse mounts made by a process that has since gone can need the lazy form.
    const lazy = spawnSync(findProgram('umount') ?? '/bin/umount', ['-l', target], { encoding: 'utf8' });
    if (lazy.status !== 0) throw new MountError(`cannot unmount ${target}: ${(r.stderr || lazy.stderr).trim()}`);
  }
}

/** Tries a native overlay mount in scratch (inside the namespace); true if the kernel allows it. */
export function nativeOverlayWorks(scratch: string): boolean {
  fs.mkdirSync(scratch, { recursive: true, mode: 0o700 });
  const dir = fs.mkdtempSync(path.join(scratch, 'probe-'));
  try {
    for (const d of ['l1', 'l2', 'm']) fs.mkdirSync(path.join(dir, d));
    mountOverlay('native', { lowers: [path.join(dir, 'l1'), path.join(dir, 'l2')], target: path.join(dir, 'm') }, dir);
    unmount(path.join(dir, 'm'));
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * fuse-overlayfs processes serving target from a namespace that has since died keep that namespace
 * alive; end them before the mount is made again in the new one.
 */
export function endOrphanedFuseMounts(target: string): number {
  const ownNs = fs.readlinkSync('/proc/self/ns/mnt');
  let ended = 0;
  for (const pid of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!argv[0].endsWith('fuse-overlayfs') || argv[argv.length - 2] !== target) continue;
      if (fs.readlinkSync(`/proc/${pid}/ns/mnt`) === ownNs) continue;
      process.kill(Number(pid), 'SIGTERM');
      ended++;
    } catch {
      /* gone, or not ours to read */
    }
  }
  return ended;
}
