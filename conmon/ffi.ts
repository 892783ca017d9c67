// The monitor's libc calls (koffi): becoming the child subreaper, so that the container's PID 1
// is re-parented to the monitor when the runtime exits, and waiting for it without blocking the
// event loop (koffi's async call runs waitpid on a worker thread).
import type * as Koffi from 'koffi';

const PR_SET_CHILD_SUBREAPER = 36;

interface Libc {
  prctl: (option: number, arg2: number, arg3: number, arg4: number, arg5: number) => number;
  waitpid: ((pid: number, status: Int32Array, options: number) => number) & {
    async: (pid: number, status: Int32Array, options: number, cb: (err: unknown, res: number) => void) => void;
  };
}

let libc: Libc | undefined;

function load(): Libc {
  if (!libc) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const koffi = require('koffi') as typeof Koffi;
    const lib = koffi.load('libc.so.6');
    libc = {
      prctl: lib.func('int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)'),
      waitpid: lib.func('int waitpid(int pid, _Out_ int *status, int options)'),
    } as Libc;
  }
  return libc;
}

export function becomeSubreaper(): void {
  if (load().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) !== 0) throw new Error('prctl(PR_SET_CHILD_SUBREAPER) failed');
}

/** Resolves with the raw wait status of pid (which must be our child or re-parented to us). */
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
