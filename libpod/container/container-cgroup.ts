// A container's own cgroup (cgroups v2 with a delegated subtree: see host/cgroup-delegation.ts and
// ContainerRunner.cgroupOf) and what stats and pause read from it. Found from its PID 1's
// /proc/PID/cgroup, read from the host's cgroup namespace so the path is the full one; a container
// without a cgroup of its own (cgroups v1, or v2 without delegation) runs in tspod's, which is not
// named tspod-<id>, so it has none here. Roots are parameters so that tests can use trees of their own.
import fs from 'node:fs';
import path from 'node:path';

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The directory of the cgroup of container id whose PID 1 is pid, when it has one of its own. */
export function ownCgroupDir(id: string, pid: number | undefined, cgroupRoot = '/sys/fs/cgroup', proc = '/proc'): string | undefined {
  if (!pid) return undefined;
  const rel = /^0::(\/.*)$/m.exec(read(path.join(proc, String(pid), 'cgroup')) ?? '')?.[1];
  if (!rel || path.posix.basename(rel) !== `tspod-${id}`) return undefined;
  const dir = path.join(cgroupRoot, rel);
  return fs.existsSync(path.join(dir, 'cgroup.freeze')) ? dir : undefined;
}

/** The figures stats takes from a cgroup v2: those whose files exist (their controller is enabled). */
export interface CgroupFigures {
  cpuNanos?: number;
  memUsage?: number;
  /** memory.max, when it is not "max". */
  memLimit?: number;
  pids?: number;
  blockInput?: number;
  blockOutput?: number;
}

const num = (text: string | undefined) => (text !== undefined && /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined);

/** Reads cpu.stat (usage_usec), memory.current, memory.max, pids.current and io.stat (rbytes, wbytes). */
export function cgroupFigures(dir: string): CgroupFigures {
  const f: CgroupFigures = {};
  const usec = /^usage_usec (\d+)$/m.exec(read(path.join(dir, 'cpu.stat')) ?? '')?.[1];
  if (usec !== undefined) f.cpuNanos = Number(usec) * 1000;
  f.memUsage = num(read(path.join(dir, 'memory.current')));
  f.memLimit = num(read(path.join(dir, 'memory.max')));
  f.pids = num(read(path.join(dir, 'pids.current')));
  const io = read(path.join(dir, 'io.stat'));
  if (io !== undefined) {
    f.blockInput = 0;
    f.blockOutput = 0;
    for (const line of io.split('\n')) {
      f.blockInput += Number(/\brbytes=(\d+)/.exec(line)?.[1] ?? 0);
      f.blockOutput += Number(/\bwbytes=(\d+)/.exec(line)?.[1] ?? 0);
    }
  }
  for (const k of Object.keys(f) as Array<keyof CgroupFigures>) if (f[k] === undefined) delete f[k];
  return f;
}

/** Whether the cgroup is frozen (cgroup.freeze holds 1). */
export function frozen(dir: string): boolean {
  return read(path.join(dir, 'cgroup.freeze'))?.trim() === '1';
}

/** The processes in the cgroup (cgroup.procs). */
export function cgroupProcs(dir: string): number[] {
  return (read(path.join(dir, 'cgroup.procs')) ?? '').split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
}
