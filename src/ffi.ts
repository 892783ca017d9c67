// The one owner of koffi: the few libc calls Node lacks (mknod for whiteouts and FIFOs, lsetxattr,
// lgetxattr and llistxattr for overlay's opaque directories and the xattrs a build's COPY carries, datagram Unix sockets for systemd's notify socket,
// malloc_trim for the API service's idle collection). Loaded on first use; errors carry errno names.
import os from 'node:os';
import type * as Koffi from 'koffi';

interface Libc {
  mknod: (path: string, mode: number, dev: number) => number;
  lsetxattr: (path: string, name: string, value: Buffer, size: number, flags: number) => number;
  lgetxattr: (path: string, name: string, value: Buffer, size: number) => number;
  llistxattr: (path: string, list: Buffer, size: number) => number;
  socket: (domain: number, type: number, protocol: number) => number;
  sendto: (fd: number, buf: Buffer, len: number, flags: number, addr: Buffer, addrlen: number) => number;
  close: (fd: number) => number;
  malloc_trim: (pad: number) => number;
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
    llistxattr: lib.func('long llistxattr(const char *path, _Out_ void *list, size_t size)'),
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    sendto: lib.func('long sendto(int fd, const void *buf, size_t len, int flags, const void *addr, uint32_t addrlen)'),
    close: lib.func('int close(int fd)'),
    malloc_trim: lib.func('int malloc_trim(size_t pad)'),
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

let listBuf: Buffer | undefined;

/** The names of a file's extended attributes (not following a symlink); [] where none are set or the filesystem has none. */
export function llistxattr(path: string): string[] {
  listBuf ??= Buffer.alloc(65536);
  const n = load().llistxattr(path, listBuf, listBuf.length);
  if (n < 0) {
    const errno = load().errno();
    if (errno === os.constants.errno.ENOTSUP || errno === os.constants.errno.ENODATA) return [];
    fail('llistxattr', path);
  }
  if (n === 0) return [];
  return listBuf.subarray(0, n - 1).toString().split('\0');
}

/** The attribute's raw bytes (security.capability is binary), or null when it is not set. */
export function lgetxattrBytes(path: string, name: string): Buffer | null {
  const buf = Buffer.alloc(65536);
  const n = load().lgetxattr(path, name, buf, buf.length);
  if (n < 0) {
    if (load().errno() === os.constants.errno.ENODATA) return null;
    fail('lgetxattr', path);
  }
  return Buffer.from(buf.subarray(0, n));
}

export function lsetxattrBytes(path: string, name: string, value: Buffer): void {
  if (load().lsetxattr(path, name, value, value.length, 0) !== 0) fail('lsetxattr', path);
}

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const MSG_NOSIGNAL = 0x4000;

/**
 * Sends one datagram to a Unix datagram socket (Node's dgram module has only UDP): a path, or an
 * abstract name written with a leading '@' as systemd's NOTIFY_SOCKET does.
 */
export function sendDatagram(socketPath: string, message: string): void {
  const name = Buffer.from(socketPath.startsWith('@') ? `\0${socketPath.slice(1)}` : `${socketPath}\0`);
  if (name.length > 108) throw new SyscallError('sendto', 'ENAMETOOLONG', socketPath);
  const addr = Buffer.alloc(2 + name.length);
  addr.writeUInt16LE(AF_UNIX, 0);
  name.copy(addr, 2);
  const c = load();
  const fd = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail('socket', socketPath);
  try {
    const body = Buffer.from(message);
    if (c.sendto(fd, body, body.length, MSG_NOSIGNAL, addr, addr.length) < 0) fail('sendto', socketPath);
  } finally {
    c.close(fd);
  }
}

/** Gives the free memory glibc's heaps hold back to the system (after a collection freed it). */
export function mallocTrim(): void {
  load().malloc_trim(0);
}
