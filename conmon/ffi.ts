// The monitor's libc calls (koffi): becoming the child subreaper, so that the container's PID 1
// is re-parented to the monitor when the runtime exits, and waiting for it without blocking the
// event loop (koffi's async call runs waitpid on a worker thread); receiving the pty master that
// `runc create --console-socket` passes with SCM_RIGHTS, which Node cannot do, and sizing it.
import fs from 'node:fs';
import os from 'node:os';
import type * as Koffi from 'koffi';

const PR_SET_CHILD_SUBREAPER = 36;
const AF_UNIX = 1;
const SOCK_STREAM = 1;
const SOCK_CLOEXEC = 0o2000000;
const MSG_CMSG_CLOEXEC = 0x40000000;
const SOL_SOCKET = 1;
const SCM_RIGHTS = 1;
const TIOCSWINSZ = 0x5414;
const SUN_PATH_MAX = 108;
const SHUT_RDWR = 2;

type Async<F extends (...args: never[]) => unknown> = F & {
  async: (...args: [...Parameters<F>, (err: unknown, res: ReturnType<F>) => void]) => void;
};

interface Libc {
  prctl: (option: number, arg2: number, arg3: number, arg4: number, arg5: number) => number;
  waitpid: Async<(pid: number, status: Int32Array, options: number) => number>;
  socket: (domain: number, type: number, protocol: number) => number;
  bind: (fd: number, addr: Buffer, len: number) => number;
  listen: (fd: number, backlog: number) => number;
  accept4: Async<(fd: number, addr: null, len: null, flags: number) => number>;
  recvmsg: Async<(fd: number, msg: Buffer, flags: number) => number>;
  shutdown: (fd: number, how: number) => number;
  close: (fd: number) => number;
  pipe2: (fds: Int32Array, flags: number) => number;
  ioctl: (fd: number, request: number, ...typedArgs: unknown[]) => number;
}

let koffi: typeof Koffi;
let libc: Libc | undefined;

/**
 * koffi's native module itself. Its package's index.js also loads its installer (https, zlib,
 * crypto) and a wrapper that only adds deprecated names: 1.9 MiB more private memory in every
 * monitor. Elsewhere than the prebuilt triplets (e.g. musl) the package resolves the module.
 */
function requireKoffi(): typeof Koffi {
  const native = `koffi/build/koffi/${process.platform}_${process.arch}/koffi.node`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(native) as typeof Koffi;
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('koffi') as typeof Koffi;
  }
}

function load(): Libc {
  if (!libc) {
    koffi = requireKoffi();
    const lib = koffi.load('libc.so.6');
    libc = {
      prctl: lib.func('int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)'),
      waitpid: lib.func('int waitpid(int pid, _Out_ int *status, int options)'),
      socket: lib.func('int socket(int domain, int type, int protocol)'),
      bind: lib.func('int bind(int fd, const void *addr, uint32_t len)'),
      listen: lib.func('int listen(int fd, int backlog)'),
      accept4: lib.func('int accept4(int fd, void *addr, void *len, int flags)'),
      recvmsg: lib.func('long recvmsg(int fd, void *msg, int flags)'),
      shutdown: lib.func('int shutdown(int fd, int how)'),
      close: lib.func('int close(int fd)'),
      pipe2: lib.func('int pipe2(_Out_ int *fds, int flags)'),
      ioctl: lib.func('int ioctl(int fd, unsigned long request, ...)'),
    } as Libc;
  }
  return libc;
}

/** An Error named after the errno of the last failed call, e.g. "bind(/run/x.sock): EADDRINUSE". */
function errnoError(what: string): Error {
  const errno = koffi.errno();
  const name = Object.entries(os.constants.errno).find(([, n]) => n === errno)?.[0] ?? `errno ${errno}`;
  return Object.assign(new Error(`${what}: ${name}`), { code: name, errno });
}

export function becomeSubreaper(): void {
  if (load().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) !== 0) throw new Error('prctl(PR_SET_CHILD_SUBREAPER) failed');
}

/** Resolves with the raw wait status of pid (which must be our child or re-parented to us). */
/**
 * Reaps children that have exited (orphans the subreaper inherited, such as a daemonized pasta)
 * until none is left or timeoutMs passes; true when no child remains.
 */
export async function reapChildren(timeoutMs: number): Promise<boolean> {
  const WNOHANG = 1;
  const status = new Int32Array(1);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = load().waitpid(-1, status, WNOHANG);
    if (r < 0) return true; // ECHILD: nothing left
    if (r === 0) {
      if (Date.now() >= until) return false;
      await new Promise((res) => setTimeout(res, 20));
    }
  }
}

export function waitForExit(pid: number): Promise<number> {
  const status = new Int32Array(1);
  return new Promise((resolve, reject) => {
    load().waitpid.async(pid, status, 0, (err, res) => {
      if (err) reject(err);
      else if (res !== pid) reject(new Error(`waitpid(${pid}) returned ${res}`));
      else resolve(status[0]);
    });
  });
}

/** Creates, binds and listens on an AF_UNIX stream socket at path (mode 0600, a stale file is
 *  replaced) and returns the listening fd, for `runc create --console-socket path`. */
export function listenConsoleSocket(path: string): number {
  const c = load();
  const name = Buffer.from(path);
  if (name.length >= SUN_PATH_MAX) throw new Error(`console socket path is too long (${name.length} bytes): ${path}`);
  const addr = Buffer.alloc(2 + SUN_PATH_MAX); // struct sockaddr_un, sun_path NUL-terminated
  addr.writeUInt16LE(AF_UNIX, 0);
  name.copy(addr, 2);
  const fd = c.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw errnoError('socket(AF_UNIX)');
  try {
    fs.rmSync(path, { force: true });
    if (c.bind(fd, addr, addr.length) !== 0) throw errnoError(`bind(${path})`);
    // Before listen(), so nobody else can connect while the socket has the umask's mode.
    fs.chmodSync(path, 0o600);
    if (c.listen(fd, 1) !== 0) throw errnoError(`listen(${path})`);
  } catch (err) {
    c.close(fd);
    throw err;
  }
  return fd;
}

/** Accepts one connection on listenFd, receives the fd sent with SCM_RIGHTS (the pty master; the
 *  payload is its name, ignored), closes the connection and listenFd, and resolves with the fd.
 *  accept and recvmsg block, so they run on koffi's worker threads; a pending one also keeps the
 *  process from exiting (even process.exit() waits for the thread), so when the runtime fails
 *  before connecting, abort `signal`: shutdown() wakes the blocked call and the promise rejects. */
export function receiveConsoleFd(listenFd: number, signal?: AbortSignal): Promise<number> {
  const c = load();
  let conn = -1;
  const onAbort = () => {
    c.shutdown(listenFd, SHUT_RDWR);
    if (conn >= 0) c.shutdown(conn, SHUT_RDWR);
  };
  const aborted = () => signal?.aborted && new Error('receiving the console fd was aborted');
  return (async () => {
    try {
      signal?.addEventListener('abort', onAbort);
      if (signal?.aborted) onAbort();
      conn = await new Promise<number>((resolve, reject) =>
        c.accept4.async(listenFd, null, null, SOCK_CLOEXEC, (err, res) => (err ? reject(err) : resolve(res))),
      );
      if (conn < 0) throw aborted() || new Error('accept on the console socket failed');
      if (signal?.aborted) onAbort(); // aborted while accept was returning
      return await recvFd(conn, aborted);
    } finally {
      // Before closing: a later abort must not shut down an fd number that has been reused.
      signal?.removeEventListener('abort', onAbort);
      if (conn >= 0) c.close(conn);
      c.close(listenFd);
    }
  })();
}

/** One recvmsg on conn; resolves with the first fd passed with SCM_RIGHTS (closing any others). */
function recvFd(conn: number, aborted: () => Error | false | undefined): Promise<number> {
  const c = load();
  // struct msghdr (x86_64/aarch64 layout) pointing at one iovec for the payload and a control
  // buffer with room for a few fds. Buffers do not move; the callback references them all so
  // that none is collected while the worker thread writes into them.
  const payload = Buffer.alloc(4096);
  const iov = Buffer.alloc(16);
  iov.writeBigUInt64LE(koffi.address(payload), 0);
  iov.writeBigUInt64LE(BigInt(payload.length), 8);
  const control = Buffer.alloc(64);
  const msg = Buffer.alloc(56);
  msg.writeBigUInt64LE(koffi.address(iov), 16);
  msg.writeBigUInt64LE(1n, 24);
  msg.writeBigUInt64LE(koffi.address(control), 32);
  msg.writeBigUInt64LE(BigInt(control.length), 40);
  return new Promise((resolve, reject) =>
    c.recvmsg.async(conn, msg, MSG_CMSG_CLOEXEC, (err, n) => {
      void [payload, iov]; // kept alive until here, see above
      if (err) return reject(err);
      if (n < 0) return reject(aborted() || new Error('recvmsg on the console socket failed'));
      // Walk the cmsghdrs {size_t len; int level; int type; data} the kernel filled in.
      const fds: number[] = [];
      const used = Number(msg.readBigUInt64LE(40));
      for (let off = 0; off + 16 <= used; ) {
        const len = Number(control.readBigUInt64LE(off));
        if (len < 16) break;
        if (control.readInt32LE(off + 8) === SOL_SOCKET && control.readInt32LE(off + 12) === SCM_RIGHTS)
          for (let p = off + 16; p + 4 <= off + len; p += 4) fds.push(control.readInt32LE(p));
        off += (len + 7) & ~7;
      }
      for (const extra of fds.slice(1)) c.close(extra);
      if (fds.length) resolve(fds[0]);
      else reject(aborted() || new Error(`the console socket client sent ${n} bytes but no file descriptor`));
    }),
  );
}

/** ioctl(fd, TIOCSWINSZ) on the pty master: the container sees the new size (and gets SIGWINCH). */
export function setWindowSize(fd: number, rows: number, cols: number): void {
  const ws = Buffer.alloc(8); // struct winsize {unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel}
  ws.writeUInt16LE(rows, 0);
  ws.writeUInt16LE(cols, 2);
  if (load().ioctl(fd, TIOCSWINSZ, 'void *', ws) !== 0) throw errnoError('ioctl(TIOCSWINSZ)');
}

/**
 * A pipe as [read end, write end], close-on-exec. The container's stdin must be one we own: Node
 * destroys a child's stdin stream when the child (the runtime's create) exits, and the container
 * inherits that stream.
 */
export function makePipe(): [number, number] {
  const fds = new Int32Array(2);
  if (load().pipe2(fds, SOCK_CLOEXEC) !== 0) throw errnoError('pipe2');
  return [fds[0], fds[1]];
}

export function closeFd(fd: number): void {
  load().close(fd);
}
