// The durable facts a container's state is derived from when the command that was changing it died
// (kill -9): who made its directories, whether its monitor lives (pid file + the monitor's own
// command line, which names the container), and what its PID 1 is doing (the runtime's pid file;
// runc's init waits, named "runc:[2:INIT]", until the runtime's start). Read-only, cheap, from /proc.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type { Paths } from '../../src/paths';
import { readIfExists } from '../../src/files';
import { processStartTime } from '../rootless/pause-process';
import { containerPaths, type ContainerPaths } from './container';

export interface LiveProcess {
  pid: number;
  start: string;
}

/**
 * `<runDir>/creator`: the `run` or `start` at work on the container, from before it makes anything
 * (for a run, before the row exists) until the start is saved or undone.
 */
export const creatorFile = (p: ContainerPaths) => `${p.runDir}/creator`;

/** Records this process as the one making the container (run writes it before anything else). */
export function claimCreation(p: ContainerPaths): void {
  fs.writeFileSync(creatorFile(p), `${process.pid} ${processStartTime(process.pid)}`);
}

/** The start is over (saved running, or failed and cleaned up): the file no longer marks one in flight. */
export function releaseCreation(p: ContainerPaths): void {
  fs.rmSync(creatorFile(p), { force: true });
}

function liveFromText(text: string): LiveProcess | undefined {
  const [pidText, start] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!pid || !start || processStartTime(pid) !== start) return undefined;
  return { pid, start };
}

/** The process that is making or starting the container, while it lives. */
export function liveCreator(p: ContainerPaths): LiveProcess | undefined {
  return liveFromText(readIfExists(creatorFile(p)));
}

/** A start in flight, or one whose process died: the creator file exists (its text), else undefined. */
export function creationRecord(p: ContainerPaths): string | undefined {
  return readIfExists(creatorFile(p)) || undefined;
}

/** The live monitors of every container of the runroot (a pid file each): their pids. */
export function liveMonitorPids(paths: Paths): number[] {
  let ids: string[];
  try {
    ids = fs.readdirSync(path.join(paths.runroot, 'containers'));
  } catch {
    return [];
  }
  return ids.flatMap((id) => liveMonitor(containerPaths(paths, id), id)?.pid ?? []);
}

/** The container's monitor, if its pid file names a live monitor of this very container. */
export function liveMonitor(p: ContainerPaths, id: string): (LiveProcess & { runtimeRoot?: string }) | undefined {
  const pid = Number(readIfExists(p.monitorPidFile).trim());
  if (!pid) return undefined;
  const start = processStartTime(pid);
  const argv = readIfExists(`/proc/${pid}/cmdline`).split('\0');
  const args = argv.find((a) => a.startsWith('{'));
  if (!start || !argv.some((a) => a.endsWith('conmon.js')) || !args?.includes(`"id":"${id}"`)) return undefined;
  try {
    return { pid, start, runtimeRoot: (JSON.parse(args) as { runtimeRoot?: string }).runtimeRoot };
  } catch {
    return { pid, start };
  }
}

/**
 * The container's PID 1 from the runtime's pid file: started (running its command) or still
 * runc's init waiting for the start; undefined when there is none or it is gone.
 */
export function livePid1(p: ContainerPaths): (LiveProcess & { started: boolean; since: number }) | undefined {
  const file = path.join(p.bundle, 'container.pid');
  const pid = Number(readIfExists(file).trim());
  const start = pid ? processStartTime(pid) : null;
  if (!pid || !start) return undefined;
  const comm = readIfExists(`/proc/${pid}/comm`).trim(); // runc's init names itself; its cmdline stays "runc init"
  let since = Date.now();
  try {
    since = fs.statSync(file).mtimeMs;
  } catch {
    /* removed meanwhile */
  }
  return { pid, start, started: comm !== '' && !comm.startsWith('runc:['), since };
}

/** Kills a process group (the monitor's: the runtime's create, runc's init, slirp4netns) and its leader. */
export function killGroup(leader: number): void {
  for (const target of [-leader, leader]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/**
 * Starts `tspod container cleanup <id>` detached, as the monitor does after an exit: what a repair
 * left mounted (the rootfs, the runtime's record) is released in the namespace without making the
 * repairing command wait. Under the container's lock, so a start or rm meanwhile goes first.
 */
export function requestCleanup(paths: Paths, id: string): void {
  try {
    spawn(process.execPath, [process.argv[1], '--root', paths.root, '--runroot', paths.runroot, 'container', 'cleanup', id], { detached: true, stdio: 'ignore' }).unref();
  } catch {
    /* the next rm or start cleans up */
  }
}
