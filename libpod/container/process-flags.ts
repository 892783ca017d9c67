// create's and run's process options (--ulimit, --shm-size, --sysctl, --tz, --annotation,
// --expose, --umask, --oom-score-adj) parsed and checked as Podman checks them, and the runtime
// spec's pieces made from them.
import fs from 'node:fs';
import { InvalidArgumentError } from '../../src/errors';
import { sizeFlag } from './resource-flags';

export interface Rlimit {
  type: string;
  soft: number;
  hard: number;
}

/** ulimit names and their RLIMIT_ types. */
const ULIMITS: Record<string, string> = {
  as: 'RLIMIT_AS', core: 'RLIMIT_CORE', cpu: 'RLIMIT_CPU', data: 'RLIMIT_DATA', fsize: 'RLIMIT_FSIZE', locks: 'RLIMIT_LOCKS', memlock: 'RLIMIT_MEMLOCK',
  msgqueue: 'RLIMIT_MSGQUEUE', nice: 'RLIMIT_NICE', nofile: 'RLIMIT_NOFILE', nproc: 'RLIMIT_NPROC', rss: 'RLIMIT_RSS', rtprio: 'RLIMIT_RTPRIO',
  rttime: 'RLIMIT_RTTIME', sigpending: 'RLIMIT_SIGPENDING', stack: 'RLIMIT_STACK',
};

/** "unlimited" in the spec (the runtime spec's RLIM_INFINITY is written for it: see ociJson). */
export const UNLIMITED = -1;

/** /proc/self/limits' row names for the ulimit names (for --ulimit host). */
const PROC_LIMITS: Record<string, string> = {
  'Max cpu time': 'cpu', 'Max file size': 'fsize', 'Max data size': 'data', 'Max stack size': 'stack', 'Max core file size': 'core', 'Max resident set': 'rss',
  'Max processes': 'nproc', 'Max open files': 'nofile', 'Max locked memory': 'memlock', 'Max address space': 'as', 'Max file locks': 'locks',
  'Max pending signals': 'sigpending', 'Max msgqueue size': 'msgqueue', 'Max nice priority': 'nice', 'Max realtime priority': 'rtprio', 'Max realtime timeout': 'rttime',
};

/** --ulimit host: every limit of this process, from the text of /proc/self/limits. */
export function hostRlimits(limitsText: string): Rlimit[] {
  const out: Rlimit[] = [];
  for (const line of limitsText.split('\n').slice(1)) {
    const name = Object.keys(PROC_LIMITS).find((k) => line.startsWith(k));
    if (!name) continue;
    const [soft, hard] = line.slice(name.length).trim().split(/\s+/);
    const n = (v: string) => (v === 'unlimited' ? UNLIMITED : Number(v));
    out.push({ type: ULIMITS[PROC_LIMITS[name]], soft: n(soft), hard: n(hard) });
  }
  return out;
}

/** --ulimit name=soft[:hard] (-1: unlimited) or host; later entries of one name replace earlier ones. */
export function parseUlimits(entries: string[], limitsText: () => string): Rlimit[] {
  const byType = new Map<string, Rlimit>();
  for (const e of entries) {
    if (e === 'host') {
      for (const l of hostRlimits(limitsText())) byType.set(l.type, l);
      continue;
    }
    const bad = (why: string) => new InvalidArgumentError(`ulimit option "${e}" requires name=SOFT:HARD, failed to be parsed: ${why}`);
    const eq = e.indexOf('=');
    if (eq < 0) throw bad(`invalid ulimit argument: ${e}`);
    const name = e.slice(0, eq);
    if (!ULIMITS[name]) throw bad(`invalid ulimit type: ${name}`);
    const parts = e.slice(eq + 1).split(':');
    if (parts.length > 2 || !parts.every((p) => /^-?\d+$/.test(p))) throw bad(`invalid ulimit argument: ${e.slice(eq + 1)}`);
    const [soft, hard = soft] = parts.map(Number);
    if (hard !== -1 && (soft === -1 || soft > hard)) throw bad(`ulimit soft limit must be less than or equal to hard limit: ${soft === -1 ? `soft: -1 (unlimited), hard: ${hard}` : `${soft} > ${hard}`}`);
    const v = (x: number) => (x === -1 ? UNLIMITED : x);
    byType.set(ULIMITS[name], { type: ULIMITS[name], soft: v(soft), hard: v(hard) });
  }
  return [...byType.values()];
}

/** --shm-size: bytes of /dev/shm (at least one byte). */
export function parseShmSize(value: string): number {
  const n = sizeFlag(value, 'shm-size');
  if (n <= 0) throw new InvalidArgumentError(`unable to translate --shm-size: ${value}: give a positive size such as 128m`);
  return n;
}


const NAMESPACED_SYSCTLS = ['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced'];

/** --sysctl KEY=VALUE: only the namespaced ones Podman allows; net.* not with the host's network. */
export function parseSysctls(entries: string[], hostNetwork: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const eq = e.indexOf('=');
    if (eq < 0) throw new InvalidArgumentError(`${e} is invalid, sysctl values must be in the form of KEY=VALUE`);
    const key = e.slice(0, eq);
    const value = e.slice(eq + 1);
    if (key.trim() !== key || value.trim() !== value) throw new InvalidArgumentError(`'${e}' is invalid, extra spaces found`);
    if (!NAMESPACED_SYSCTLS.includes(key) && !key.startsWith('net.') && !key.startsWith('fs.mqueue.')) {
      throw new InvalidArgumentError(`sysctl '${key}' is not allowed: only net.*, fs.mqueue.* and the IPC kernel.msg*, kernel.sem and kernel.shm* settings belong to a container's namespaces`);
    }
    if (hostNetwork && key.startsWith('net.')) throw new InvalidArgumentError(`sysctl ${e} can't be set since Network Namespace set to host: drop --network host to set it`);
    out[key] = value;
  }
  return out;
}

/** --annotation KEY=VALUE. */
export function parseAnnotations(entries: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const eq = e.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`annotations must be formatted KEY=VALUE: "${e}"`);
    out[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return out;
}

/** --expose PORT[/PROTO] or a range START-END[/PROTO]: "port/proto" keys. */
export function parseExpose(entries: string[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/.exec(e);
    const start = Number(m?.[1]);
    const end = m?.[2] ? Number(m[2]) : start;
    if (!m || start < 1 || end > 65535 || end < start) throw new InvalidArgumentError(`invalid port format for --expose: ${e}: give PORT[/tcp|udp|sctp] or START-END[/PROTO] with ports 1 to 65535`);
    for (let p = start; p <= end; p++) out.push(`${p}/${m[3] ?? 'tcp'}`);
  }
  return out;
}

/** --umask: octal, up to four digits. */
export function checkUmask(value: string): string {
  if (!/^[0-7]{1,4}$/.test(value)) throw new InvalidArgumentError(`invalid umask string ${value}: give an octal mask such as 0022`);
  return value;
}

/** The host's zoneinfo file of --tz (local: the host's /etc/localtime). */
export function zoneFile(tz: string): string {
  if (tz === 'local') return fs.realpathSync('/etc/localtime');
  return `/usr/share/zoneinfo/${tz}`;
}

/** --tz: local or a zone name the host's zoneinfo has. */
export function checkTimezone(tz: string): string {
  const file = tz === 'local' ? '/etc/localtime' : zoneFile(tz);
  if (tz.startsWith('/') || tz.split('/').includes('..') || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new InvalidArgumentError(`finding timezone: unknown time zone ${tz}: give local or a name such as Asia/Shanghai (see /usr/share/zoneinfo)`);
  }
  return tz;
}

/** --oom-score-adj: -1000 to 1000. */
export function parseOomScoreAdj(value: string): number {
  if (!/^-?\d+$/.test(value) || Math.abs(Number(value)) > 1000) throw new InvalidArgumentError(`invalid argument "${value}" for "--oom-score-adj" flag: give a whole number from -1000 to 1000`);
  return Number(value);
}

/** Rootless, a process cannot go below its own score: the container gets at least ours (as rootless Podman clamps it). */
export function clampOomScoreAdj(asked: number, ownText: string): number {
  const own = Number(ownText.trim());
  return Number.isFinite(own) && ownText.trim() !== '' ? Math.max(asked, own) : asked;
}
