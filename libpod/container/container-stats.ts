// `stats` from /proc, since a rootless container has no cgroup of its own to read here (cgroups v1
// hosts keep their controllers for root). The container's processes are those in the PID
// namespace of its PID 1; read from outside the user namespace, whose owner may read their /proc
// entries. What each figure is:
// - CPU: user+system time of the live processes, plus what PID 1 collected from children it reaped.
// - memory: the sum of the processes' proportional set size (Pss, shared pages divided among their
//   users), so that shared libraries are not counted twice; the limit is the host's memory.
// - block I/O: bytes the processes caused to be read from and written to storage (/proc/PID/io).
// - network: bytes through the container's interfaces other than lo (its network namespace's
//   /proc/PID/net/dev).
// - PIDs: the tasks (threads) of its processes.
import fs from 'node:fs';
import os from 'node:os';
import { humanSize } from '../../src/human-units';
import type { Container } from './container';
import { cgroupFigures, cgroupProcs } from './container-cgroup';

export interface StatsSample {
  /** When the sample was taken (ms). */
  at: number;
  cpuNanos: number;
  memUsage: number;
  memLimit: number;
  netInput: number;
  netOutput: number;
  blockInput: number;
  blockOutput: number;
  pids: number;
}

const TICKS = 100; // USER_HZ on Linux

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function nsOf(pid: number | string): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

/** /proc/PID/stat fields after the command (which may hold spaces and parentheses). */
function statFields(pid: number | string): string[] | undefined {
  const text = read(`/proc/${pid}/stat`);
  if (!text) return undefined;
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

function field(text: string | undefined, key: string): number {
  const m = text ? new RegExp(`^${key}:?\\s+(\\d+)`, 'm').exec(text) : null;
  return m ? Number(m[1]) : 0;
}

/** The processes in the PID namespace of pid (pid itself first). */
export function containerProcesses(pid: number): number[] {
  const ns = nsOf(pid);
  if (!ns) return [];
  const out = [pid];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === pid) continue;
    if (nsOf(name) === ns) out.push(Number(name));
  }
  return out;
}

/**
 * A sample of the container whose PID 1 is pid. With a cgroup of its own (cgroupDir), CPU, memory
 * (memory.current, the limit memory.max), PIDs and block I/O are the cgroup's counters, as Podman
 * reads them; the network is its namespace's either way.
 */
export function sample(pid: number, cgroupDir?: string): StatsSample | undefined {
  const s = procSample(pid, cgroupDir ? cgroupProcs(cgroupDir) : undefined);
  if (!s || !cgroupDir) return s;
  const f = cgroupFigures(cgroupDir);
  return { ...s, ...f, memLimit: f.memLimit ?? s.memLimit };
}

function procSample(pid: number, inCgroup?: number[]): StatsSample | undefined {
  const procs = inCgroup?.length ? inCgroup : containerProcesses(pid);
  if (procs.length === 0) return undefined;
  let ticks = 0;
  let mem = 0;
  let pids = 0;
  let blockIn = 0;
  let blockOut = 0;
  for (const p of procs) {
    const f = statFields(p);
    if (!f) continue;
    // After the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14) ... num_threads(17)
    ticks += Number(f[11]) + Number(f[12]);
    if (p === pid) ticks += Number(f[13]) + Number(f[14]);
    pids += Number(f[17]) || 1;
    const rollup = read(`/proc/${p}/smaps_rollup`);
    mem += rollup ? field(rollup, 'Pss') * 1024 : Number((read(`/proc/${p}/statm`) ?? '0 0').split(' ')[1]) * 4096;
    const io = read(`/proc/${p}/io`);
    blockIn += field(io, 'read_bytes');
    blockOut += field(io, 'write_bytes');
  }
  let netIn = 0;
  let netOut = 0;
  for (const line of (read(`/proc/${pid}/net/dev`) ?? '').split('\n').slice(2)) {
    const m = /^\s*([^:]+):\s*(.*)$/.exec(line);
    if (!m || m[1] === 'lo') continue;
    const cols = m[2].trim().split(/\s+/).map(Number);
    netIn += cols[0];
    netOut += cols[8];
  }
  return { at: Date.now(), cpuNanos: (ticks * 1e9) / TICKS, memUsage: mem, memLimit: os.totalmem(), netInput: netIn, netOutput: netOut, blockInput: blockIn, blockOutput: blockOut, pids };
}

/** CPU use in percent of one CPU between two points (the first may be the container's start). */
export function cpuPercent(now: StatsSample, before: { at: number; cpuNanos: number }): number {
  const wall = (now.at - before.at) * 1e6;
  return wall > 0 ? (100 * (now.cpuNanos - before.cpuNanos)) / wall : 0;
}

/** Go's time.Duration formatting, as Podman prints CPU TIME (1.5s, 24.123ms, 1m2.5s). */
export function goDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  if (nanos < 1e3) return `${Math.round(nanos)}ns`;
  if (nanos < 1e6) return `${trim(nanos / 1e3)}µs`;
  if (nanos < 1e9) return `${trim(nanos / 1e6)}ms`;
  let s = nanos / 1e9;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${trim(s)}s`;
}

function trim(v: number): string {
  return String(Number(v.toFixed(3)));
}

/** A `stats` row: Podman's template fields, formatted. */
export interface StatsRow {
  ID: string;
  Name: string;
  CPUPerc: string;
  MemUsage: string;
  MemUsageBytes: string;
  MemPerc: string;
  NetIO: string;
  BlockIO: string;
  PIDs: string;
  CPUTime: string;
  AVGCPU: string;
  UpTime: string;
}

const pct = (v: number) => `${v.toFixed(2)}%`;
/** "1.54MB / 25.3GB", as Podman's columns write a pair of sizes. */
const pair = (a: number, b: number, space = '') => `${humanSize(a).replace(' ', space)} / ${humanSize(b).replace(' ', space)}`;

/**
 * The row of a container: "--" figures when it has no sample (not running). CPU % is over the
 * time since the previous sample, or since the start for the first.
 */
export function statsRow(c: Container, s: StatsSample | undefined, previous: StatsSample | undefined): StatsRow {
  const started = { at: c.status.startedAt ?? Date.now(), cpuNanos: 0 };
  const row: StatsRow = { ID: c.id.slice(0, 12), Name: c.name, CPUPerc: '--', MemUsage: '-- / --', MemUsageBytes: '--', MemPerc: '--', NetIO: '-- / --', BlockIO: '-- / --', PIDs: '--', CPUTime: '--', AVGCPU: '--', UpTime: '--' };
  if (!s) return row;
  return {
    ...row,
    CPUPerc: pct(cpuPercent(s, previous ?? started)),
    AVGCPU: pct(cpuPercent(s, started)),
    MemUsage: pair(s.memUsage, s.memLimit),
    MemUsageBytes: pair(s.memUsage, s.memLimit, ' '),
    MemPerc: pct((100 * s.memUsage) / s.memLimit),
    NetIO: pair(s.netInput, s.netOutput),
    BlockIO: pair(s.blockInput, s.blockOutput),
    PIDs: String(s.pids),
    CPUTime: goDuration(s.cpuNanos),
    UpTime: goDuration((s.at - started.at) * 1e6),
  };
}
