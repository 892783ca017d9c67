// `top`: the container's processes as `ps` shows them inside it — every process whose PID
// namespace is the one of the container's PID 1, with its PID as seen there (NSpid), its user
// named from the container's /etc/passwd, and Podman's default columns. Reads /proc only.
import fs from 'node:fs';
import { InvalidArgumentError } from '../../src/errors';

export const TOP_DESCRIPTORS = ['user', 'pid', 'ppid', 'pcpu', 'etime', 'tty', 'time', 'args', 'comm', 'uid', 'nice'] as const;
const HEADERS: Record<string, string> = { user: 'USER', pid: 'PID', ppid: 'PPID', pcpu: '%CPU', etime: 'ELAPSED', tty: 'TTY', time: 'TIME', args: 'COMMAND', comm: 'COMMAND', uid: 'UID', nice: 'NI' };
const DEFAULT = ['user', 'pid', 'ppid', 'pcpu', 'etime', 'tty', 'time', 'args'];

interface Proc {
  pid: number;
  nsPid: number;
  nsPpid: number;
  uid: number;
  comm: string;
  args: string;
  tty: string;
  cpuSeconds: number;
  elapsedSeconds: number;
  nice: number;
}

/** Go's duration text as Podman's top prints it: 1m2.5s, 3.1s, 2h0m0s. */
function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const sec = `${Number(s.toFixed(6))}s`;
  if (h) return `${h}h${m}m${sec}`;
  if (m) return `${m}m${sec}`;
  return sec;
}

function ttyName(ttyNr: number): string {
  if (ttyNr === 0) return '?';
  const major = (ttyNr >> 8) & 0xfff;
  const minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
  return major === 136 ? `pts/${minor}` : `${major}:${minor}`;
}

/**
 * A host uid as the container sees it, through a uid_map read from outside the container's user
 * namespace (lines "inside outside count"); unmapped IDs stay as they are.
 */
export function insideId(uidMap: string, hostId: number): number {
  for (const line of uidMap.trim().split('\n')) {
    const [inside, outside, count] = line.trim().split(/\s+/).map(Number);
    if (hostId >= outside && hostId < outside + count) return inside + (hostId - outside);
  }
  return hostId;
}

function readProc(pid: string, nsLink: string, clk: number, uptime: number, uidMap: string): Proc | null {
  try {
    if (fs.readlinkSync(`/proc/${pid}/ns/pid`) !== nsLink) return null;
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (k: string) => new RegExp(`^${k}:\\s+(.*)$`, 'm').exec(status)?.[1] ?? '';
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const nsPids = field('NSpid').split(/\s+/).map(Number);
    const ppid = Number(rest[1]);
    let nsPpid = 0;
    try {
      const pstatus = fs.readFileSync(`/proc/${ppid}/status`, 'utf8');
      if (fs.readlinkSync(`/proc/${ppid}/ns/pid`) === nsLink) nsPpid = Number(/^NSpid:\s+(.*)$/m.exec(pstatus)![1].split(/\s+/).pop());
    } catch {
      /* the parent is outside the container (the monitor): 0, as inside */
    }
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return {
      pid: Number(pid),
      nsPid: nsPids[nsPids.length - 1],
      nsPpid,
      uid: insideId(uidMap, Number(field('Uid').split(/\s+/)[1])),
      comm: field('Name'),
      args: args || `[${field('Name')}]`,
      tty: ttyName(Number(rest[4])),
      cpuSeconds: (Number(rest[11]) + Number(rest[12])) / clk,
      elapsedSeconds: Math.max(0, uptime - Number(rest[19]) / clk),
      nice: Number(rest[16]),
    };
  } catch {
    return null; // gone meanwhile, or not ours to read
  }
}

/**
 * Rows (header first) for the processes in the PID namespace of pid. Read from outside the user
 * namespace (its owner may read every /proc file of it, whichever namespace holder made it), with
 * user IDs mapped back through the container's uid_map.
 */
export function topRows(pid: number, descriptors: string[], passwd: string): string[][] {
  const wanted = descriptors.length ? descriptors.flatMap((d) => d.split(',')).filter(Boolean) : DEFAULT;
  for (const d of wanted) if (!(TOP_DESCRIPTORS as readonly string[]).includes(d)) throw new InvalidArgumentError(`unknown top descriptor "${d}": use ${TOP_DESCRIPTORS.join(', ')}`);
  const nsLink = fs.readlinkSync(`/proc/${pid}/ns/pid`);
  const uidMap = fs.readFileSync(`/proc/${pid}/uid_map`, 'utf8');
  const clk = 100; // USER_HZ on Linux
  const uptime = Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const users = new Map(passwd.split('\n').filter(Boolean).map((l) => l.split(':')).map((f) => [Number(f[2]), f[0]] as [number, string]));
  const procs = fs
    .readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map((n) => readProc(n, nsLink, clk, uptime, uidMap))
    .filter((p): p is Proc => p !== null)
    .sort((a, b) => a.nsPid - b.nsPid);
  const cell = (p: Proc, d: string): string => {
    switch (d) {
      case 'user':
        return users.get(p.uid) ?? String(p.uid);
      case 'pid':
        return String(p.nsPid);
      case 'ppid':
        return String(p.nsPpid);
      case 'pcpu':
        return (p.elapsedSeconds > 0 ? (100 * p.cpuSeconds) / p.elapsedSeconds : 0).toFixed(3);
      case 'etime':
        return duration(Math.round(p.elapsedSeconds * 1000) / 1000);
      case 'tty':
        return p.tty;
      case 'time':
        return duration(Math.round(p.cpuSeconds));
      case 'args':
        return p.args;
      case 'comm':
        return p.comm;
      case 'uid':
        return String(p.uid);
      default:
        return String(p.nice);
    }
  };
  return [wanted.map((d) => HEADERS[d]), ...procs.map((p) => wanted.map((d) => cell(p, d)))];
}
