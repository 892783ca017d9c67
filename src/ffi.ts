// The one owner of koffi: the few libc calls Node lacks (mknod for whiteouts and FIFOs, lsetxattr
// and lgetxattr for overlay's opaque directories). Loaded on first use; errors carry errno names.
import os from 'node:os';
import type * as Koffi from 'koffi';

interface Libc {
  mknod: (path: string, mode: number, dev: number) => number;
  lsetxattr: (path: string, name: string, value: Buffer, size: number, flags: number) => number;
  lgetxattr: (path: string, name: string, value: Buffer, size: number) => number;
  errno: () => number;
}

let libc: Libc | undefined;

function load(): Libc {
  if (libc) return libc;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const koffi = require('koffi') as typeof Koffi;
  const lib = koffi.load('libc.so.6');
  libc = {
    mknod: lib.func('int mknod(const char *path, uint32_t mode, uint64_t dev)'),
    lsetxattr: lib.func('int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)'),
    lgetxattr: lib.func('long lgetxattr(const char *path, const char *name, _Out_ void *value, size_t size)'),
    errno: () => koffi.errno(),
  };
  return libc;
}

export class SyscallError extends Error {
  constructor(
    readonly syscall: string,
    readonly errnoCode: string,
    readonly path: string,
  ) {
    super(`${syscall} ${path}: ${errnoCode}`);
  }
}

function fail(syscall: string, path: string): never {
  const errno = load().errno();
  const name = Object.entries(os.constants.errno).find(([, v]) => v === errno)?.[0] ?? `errno ${errno}`;
  throw new SyscallError(syscall, name, path);
}

export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;

/** Creates a device node or FIFO; dev is makedev(major, minor) (0 for a whiteout). */
export function mknod(path: string, mode: number, dev = 0): void {
  if (load().mknod(path, mode, dev) !== 0) fail('mknod', path);
}

export function lsetxattr(path: string, name: string, value: string): void {
  const buf = Buffer.from(value);
  if (load().lsetxattr(path, name, buf, buf.length, 0) !== 0) fail('lsetxattr', path);
}

/** The attribute's value, or null when it is not set. */
export function lgetxattr(path: string, name: string): string | null {
  const buf = Buffer.alloc(4096);
  const n = load().lgetxattr(path, name, buf, buf.length);
  if (n < 0) {
    if (load().errno() === os.constants.errno.ENODATA) return null;
    fail('lgetxattr', path);
  }
  return buf.subarray(0, n).toString();
}
