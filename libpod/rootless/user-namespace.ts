// Entering the per-user namespace: tspod re-executes itself (or runs a command) through util-linux
// nsenter into the holder's user and mount namespaces, because a multi-threaded Node process cannot
// call setns() on them. The child learns it is inside from _TSPOD_USERNS_PID, and that the
// namespace is new (so lost mounts must be remade) from _TSPOD_USERNS_NEW.
import fs from 'node:fs';
import os from 'node:os';
import { spawn } from 'node:child_process';
import { PrerequisiteError, TspodError } from '../../src/errors';
import { RUNTIME_DIR_ENV, type Paths } from '../../src/paths';
import { findProgram } from '../host/programs';
import { ensureHolder, maxMappedId, publishedHolderPid, type Holder } from './pause-process';

export const INSIDE_ENV = '_TSPOD_USERNS_PID';
export const NEW_ENV = '_TSPOD_USERNS_NEW';
/** Set by bin/tspod when the shell entered the namespace itself (node never ran outside). */
export const LAUNCHED_ENV = '_TSPOD_LAUNCHED';

/**
 * Inside, started by bin/tspod: the holder it entered must be the one this runroot publishes (the
 * launcher reads the flags and paths as src/global-options.ts and src/paths.ts do; this catches
 * the day they differ). The mark is not passed on to what this command starts.
 */
export function checkLaunchedHolder(runroot: string): void {
  if (process.env[LAUNCHED_ENV] === undefined) return;
  delete process.env[LAUNCHED_ENV];
  const published = publishedHolderPid(runroot);
  if (published !== process.env[INSIDE_ENV]) {
    throw new TspodError(`internal error: bin/tspod entered the namespace of process ${process.env[INSIDE_ENV]}, but ${runroot}/pause.pid names ${published || 'none'}: run the command again with TSPOD_NO_LAUNCHER=1 set, and report it`);
  }
}

export function namespaceIsNew(): boolean {
  return process.env[NEW_ENV] === '1';
}

/** The highest uid and gid mapped into the current namespace. */
export function mappedIdLimits(): { maxUid: number; maxGid: number } {
  return { maxUid: maxMappedId(fs.readFileSync('/proc/self/uid_map', 'utf8')), maxGid: maxMappedId(fs.readFileSync('/proc/self/gid_map', 'utf8')) };
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/**
 * Runs argv inside the namespace with the terminal and stdio of this process, and resolves with its
 * exit code (128+N when killed by signal N). Signals sent to tspod are passed on.
 */
export async function runInUserNamespace(paths: Pick<Paths, 'runroot' | 'runtimeDir'>, argv: string[], env: NodeJS.ProcessEnv = process.env, known?: Holder): Promise<number> {
  const nsenter = findProgram('nsenter');
  if (!nsenter) throw new PrerequisiteError('util-linux nsenter not found: install it with "sudo apt-get install util-linux"');
  const holder = known ?? (await ensureHolder(paths.runroot));
  // Entering the mount namespace moves us to its "/": --wd keeps relative paths (-v ./data:/d,
  // --env-file ./env, cp ./file) meaning what they meant where the user typed them.
  // Sockets systemd passed to this process (LISTEN_FDS, for `system service`) go along as fds 3...;
  // LISTEN_PID would not name the process inside, so the count goes in a variable of ours.
  const listenFds = env.LISTEN_FDS && Number(env.LISTEN_PID) === process.pid ? Math.min(Number(env.LISTEN_FDS) || 0, 16) : 0;
  const passed = listenFds ? { _TSPOD_LISTEN_FDS: String(listenFds), LISTEN_FDS: undefined, LISTEN_PID: undefined, LISTEN_FDNAMES: undefined } : {};
  const child = spawn(nsenter, ['--preserve-credentials', '-U', '-m', '-t', String(holder.pid), `--wd=${process.cwd()}`, '--', ...argv], {
    stdio: ['inherit', 'inherit', 'inherit', ...Array.from({ length: listenFds }, (_, i) => 3 + i)],
    // Inside, the uid is 0: the runtime directory decided here (as the user) goes along.
    env: { ...env, ...passed, [INSIDE_ENV]: String(holder.pid), [NEW_ENV]: holder.created ? '1' : '0', [RUNTIME_DIR_ENV]: paths.runtimeDir },
  });
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  for (const s of SIGNALS) process.on(s, forward);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      for (const s of SIGNALS) process.off(s, forward);
      resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0));
    });
  });
}
