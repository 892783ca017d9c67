// The per-user namespace holder (Podman's pause process): `unshare --user --mount` running
// `sleep infinity`, with its ID maps written from outside by newuidmap/newgidmap, because Node
// cannot create or join a user namespace itself. Its pid and start time are published atomically
// in <runroot>/pause.pid; a pid whose start time differs is a reused pid, and the holder is remade.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { PrerequisiteError, TspodError } from '../../src/errors';
import { log } from '../../src/log';
import { readIfExists } from '../../src/files';
import { withLock } from '../lock/file-lock';
import { findProgram } from '../host/programs';
import { readSubIdFile, rangesFor, SUBGID_FILE, SUBUID_FILE, usermodFix, type IdRange } from './subid';

export interface Holder {
  pid: number;
  startTime: string;
  /** True when this call created the namespace: what lived in the old one (mounts) is gone. */
  created: boolean;
}

export interface IdMapLine {
  inside: number;
  outside: number;
  count: number;
}

/** 0 → own ID, then the subordinate ranges one after another from 1, as Podman maps them. */
export function buildIdMap(ownId: number, ranges: IdRange[]): IdMapLine[] {
  const lines: IdMapLine[] = [{ inside: 0, outside: ownId, count: 1 }];
  let next = 1;
  for (const r of ranges) {
    lines.push({ inside: next, outside: r.start, count: r.count });
    next += r.count;
  }
  return lines;
}

/** Highest ID mapped by a /proc/<pid>/uid_map text: inside + count - 1 over all lines. */
export function maxMappedId(mapText: string): number {
  let max = -1;
  for (const line of mapText.trim().split('\n')) {
    const [inside, , count] = line.trim().split(/\s+/).map(Number);
    if (Number.isFinite(inside) && Number.isFinite(count)) max = Math.max(max, inside + count - 1);
  }
  return max;
}

function pidFile(runroot: string): string {
  return path.join(runroot, 'pause.pid');
}

/** Field 22 of /proc/<pid>/stat: start time in clock ticks since boot; null if the process is gone or a zombie. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest[0] === 'Z' || rest[0] === 'X') return null;
    return rest[19] ?? null;
  } catch {
    return null;
  }
}

function userNsOf(pid: number | 'self'): string | null {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/user`);
  } catch {
    return null;
  }
}

/**
 * `<runroot>/pause.pid.others`: present while processes of ours (monitors) live in another user
 * namespace than the holder's (one made before the holder was killed and made again). bin/tspod
 * then leaves exec and cp, which may have to enter such a container's own namespace, to node.
 */
export const othersFile = (runroot: string) => `${pidFile(runroot)}.others`;

/** Writes or removes the others mark: whether any of pids lives in another user namespace than the holder's. */
export function noteOtherNamespaces(runroot: string, holderPid: number, pids: number[]): void {
  const own = userNsOf(holderPid);
  const others = pids.filter((p) => {
    const ns = userNsOf(p);
    return ns !== null && ns !== own;
  });
  if (others.length > 0) writeAtomically(othersFile(runroot), `${others.join(' ')}\n`);
  else fs.rmSync(othersFile(runroot), { force: true });
}

/** The pid <runroot>/pause.pid names, unchecked ('' when there is none). */
export function publishedHolderPid(runroot: string): string {
  return readIfExists(pidFile(runroot)).trim().split(/\s+/)[0];
}

/** The published holder if it is still the same process and still holds its own user namespace. */
export function readHolder(runroot: string): Omit<Holder, 'created'> | null {
  let text: string;
  try {
    text = fs.readFileSync(pidFile(runroot), 'utf8');
  } catch {
    return null;
  }
  const [pidText, startTime] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || !startTime) return null;
  if (processStartTime(pid) !== startTime) return null;
  const ns = userNsOf(pid);
  if (!ns || ns === userNsOf('self')) return null;
  try {
    fs.readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return null;
  }
  return { pid, startTime };
}

function cmdlineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new TspodError(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return String(process.getuid?.());
  }
}

function writeMap(tool: 'newuidmap' | 'newgidmap', pid: number, map: IdMapLine[]): void {
  const program = findProgram(tool);
  if (!program) throw new PrerequisiteError(`${tool} not found: install it with "sudo apt-get install uidmap"`);
  const args = [String(pid), ...map.flatMap((l) => [String(l.inside), String(l.outside), String(l.count)])];
  const r = spawnSync(program, args, { encoding: 'utf8' });
  if (r.status !== 0) {
    const file = tool === 'newuidmap' ? SUBUID_FILE : SUBGID_FILE;
    throw new PrerequisiteError(`cannot set up namespace using "${program}": ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}: check ${file} and that ${program} is setuid root`);
  }
}

/** Without subordinate IDs only our own ID can be mapped, which needs no helper (setgroups denied). */
function writeSingleMap(pid: number): void {
  fs.writeFileSync(`/proc/${pid}/uid_map`, `0 ${process.getuid?.()} 1\n`);
  fs.writeFileSync(`/proc/${pid}/setgroups`, 'deny');
  fs.writeFileSync(`/proc/${pid}/gid_map`, `0 ${process.getgid?.()} 1\n`);
}

/**
 * The systemd service whose cgroup we run in ("container-web.service"), or null: a unit's stop
 * kills every process in its cgroup, so a holder made there would die with it and take every
 * other container's namespace along. Read from /proc/self/cgroup (v2 "0::/path", or v1's
 * name=systemd line); the user manager's own service is not a unit of ours.
 */
export function serviceUnitOf(cgroupText: string): string | null {
  const line = cgroupText.split('\n').find((l) => l.startsWith('0::') || l.includes(':name=systemd:'));
  const unit = line?.split('/').reverse().find((part) => part.endsWith('.service'));
  return unit && !/^user@\d+\.service$/.test(unit) ? unit : null;
}

/**
 * How to start the holder: inside a service unit, in a transient scope of its own through the
 * user manager (systemd-run --user --scope runs the command in this very process, so its pid is
 * the holder's) where that manager runs; else directly.
 */
export function holderCommand(unshareArgv: string[], facts: { unit: string | null; systemdRun: string | null; userManager: boolean }): string[] {
  if (!facts.unit || !facts.systemdRun || !facts.userManager) return unshareArgv;
  return [facts.systemdRun, '--user', '--scope', '--quiet', '--collect', '--description=tspod user namespace holder', '--', ...unshareArgv];
}

async function createHolder(runroot: string): Promise<Holder> {
  const unshare = findProgram('unshare');
  if (!unshare) throw new PrerequisiteError('util-linux unshare not found: install it with "sudo apt-get install util-linux"');
  const user = userName();
  const uid = process.getuid?.() ?? 0;
  const uidEntries = readSubIdFile(SUBUID_FILE);
  const gidEntries = readSubIdFile(SUBGID_FILE);
  const uidRanges = rangesFor(uidEntries, user, uid);
  const gidRanges = rangesFor(gidEntries, user, uid);
  const single = uidRanges.length === 0 || gidRanges.length === 0;
  if (single) {
    log.warn(
      `no subuid/subgid ranges found for user "${user}" in ${SUBUID_FILE} and ${SUBGID_FILE}: using a single-ID mapping, so images with files owned by other users will fail; add a range with "${usermodFix(user, uidEntries, gidEntries)}" and run "tspod system migrate"`,
    );
  }
  const ownNs = userNsOf('self');
  const unit = serviceUnitOf(readIfExists('/proc/self/cgroup'));
  const xdg = process.env.XDG_RUNTIME_DIR;
  const argv = holderCommand([unshare, '--user', '--mount', '--propagation', 'private', '--', 'sleep', 'infinity'], { unit, systemdRun: unit ? findProgram('systemd-run') : null, userManager: !!xdg && fs.existsSync(path.join(xdg, 'systemd', 'private')) });
  if (unit && argv[0] === unshare) log.warn(`the user namespace holder starts inside ${unit} (no systemd user manager to give it a scope of its own): stopping that unit ends it, and with it the namespace of every other container; start one tspod command outside the unit first`);
  const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let exited: number | null = null;
  child.stderr!.on('data', (d) => (stderr += d));
  child.on('exit', (code) => (exited = code ?? 1));
  const pid = child.pid;
  if (!pid) throw new TspodError(`cannot start ${unshare}: ${stderr.trim()}`);
  try {
    await waitFor(() => exited !== null || (userNsOf(pid) !== null && userNsOf(pid) !== ownNs), 5000, 'the user namespace');
    if (exited !== null) throw new TspodError(`cannot create a user namespace with ${unshare}: ${stderr.trim() || `exit ${exited}`}: run "tspod system check"`);
    if (single) {
      writeSingleMap(pid);
    } else {
      writeMap('newuidmap', pid, buildIdMap(uid, uidRanges));
      writeMap('newgidmap', pid, buildIdMap(process.getgid?.() ?? 0, gidRanges));
    }
    // unshare makes the mounts private, then execs sleep: after that the namespace is ready.
    await waitFor(() => exited !== null || cmdlineOf(pid).startsWith('sleep'), 5000, 'the namespace holder to start');
    if (exited !== null) throw new TspodError(`the namespace holder exited: ${stderr.trim() || `exit ${exited}`}`);
  } catch (err) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    throw err;
  }
  child.stderr!.destroy();
  child.unref();
  const startTime = processStartTime(pid);
  if (!startTime) throw new TspodError('the namespace holder exited right after it started');
  writeAtomically(pidFile(runroot), `${pid} ${startTime}\n`);
  log.debug(`created user namespace holder ${pid}`);
  return { pid, startTime, created: true };
}

/** Returns the live holder, creating it under a lock so concurrent first callers share one. */
export async function ensureHolder(runroot: string): Promise<Holder> {
  const found = readHolder(runroot);
  if (found) return { ...found, created: false };
  return withLock(
    pidFile(runroot),
    async () => {
      const again = readHolder(runroot);
      if (again) return { ...again, created: false };
      return createHolder(runroot);
    },
    'namespace lock',
  );
}

/** Ends the holder (`system migrate`): the next command makes a new namespace with the current maps. */
export function stopHolder(runroot: string): number | null {
  const found = readHolder(runroot);
  fs.rmSync(pidFile(runroot), { force: true });
  if (!found) return null;
  try {
    process.kill(found.pid, 'SIGKILL');
  } catch {
    return null;
  }
  return found.pid;
}

/**
 * Ends the holder of the namespace this process is in (`system reset`, which runs inside): the one
 * its pid file names, if that process is still the one that wrote it and shares our user namespace.
 */
export function stopOwnHolder(runroot: string): number | null {
  let text = '';
  try {
    text = fs.readFileSync(pidFile(runroot), 'utf8');
  } catch {
    return null;
  }
  fs.rmSync(pidFile(runroot), { force: true });
  const [pidText, startTime] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || processStartTime(pid) !== startTime || userNsOf(pid) !== userNsOf('self')) return null;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return null;
  }
  return pid;
}
