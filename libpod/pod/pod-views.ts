// The pod verbs that report (pod ps, inspect, logs, top, stats): each reads the pods' records and
// their containers (synced with their files, as ps syncs them) and hands them to the pure shapes
// of pod-report.ts and pod-inspect.ts, or to the container readers (the k8s-file log reader, top's
// and stats' /proc readers), so that a pod shows exactly what its containers would.
import fs from 'node:fs';
import { InvalidArgumentError, InvalidStateError, InspectNotFoundError, NoSuchPodError } from '../../src/errors';
import { readIfExists } from '../../src/files';
import { goHumanSize } from '../../src/human-units';
import type { Runtime } from '../runtime';
import type { Container } from '../container/container';
import { isSameProcess } from '../container/container-store';
import { isPaused } from '../container/container-pause';
import { LOG_COLORS, readLogs, type LogOptions } from '../container/log-reader';
import { logFileOf, noLogsReason } from '../container/log-flags';
import { topRows } from '../container/container-top';
import { sample, statsRow, type StatsSample } from '../container/container-stats';
import { ownCgroupDir } from '../container/container-cgroup';
import { everyUntilInterrupted } from '../container/container-watch';
import type { Pod } from './pod';
import { listPodsReport, podFilter, sortPods, type ListPodsReport, type PodMember } from './pod-report';
import { inspectPod } from './pod-inspect';

/** The pods a name, the latest, or every pod names. */
export function latestPod(rt: Runtime): Pod {
  const pods = rt.pods().list();
  if (pods.length === 0) throw new InvalidArgumentError('no pods to act on with --latest: create one first (tspod pod create)');
  return pods.reduce((a, b) => (b.createdAt >= a.createdAt ? b : a));
}

/** A container's state as the pod verbs show it: paused when its cgroup is frozen. */
function memberState(c: Container): PodMember['state'] {
  return c.state === 'running' && isPaused(c) ? 'paused' : c.state;
}

/** The pod's containers (infra first, then by creation), synced, with their states. */
export function podMembers(rt: Runtime, pod: Pod, all: Container[] = rt.containers().list()): PodMember[] {
  return rt.pods().containersOf(pod, all).map((c) => ({ container: c, state: memberState(c) }));
}

/** `pod ps`: every pod (or the latest) that passes the filters, as Podman's ListPodsReport. */
export function listPods(rt: Runtime, opts: { filters: string[]; latest: boolean; sort: string }): ListPodsReport[] {
  const networkNames = () => new Set(rt.containers().networks().map((n) => n.name));
  let names: Set<string> | undefined;
  const keep = podFilter(opts.filters, (n) => ((names ??= networkNames()).has(n) ? n : undefined));
  sortPods([], opts.sort); // an unknown key is refused before anything is read
  const all = rt.containers().list();
  const pods = opts.latest ? [latestPod(rt)] : rt.pods().list();
  return sortPods(pods.map((p) => listPodsReport(p, podMembers(rt, p, all))).filter(keep), opts.sort);
}

/** `pod inspect` (and `inspect --type pod`): a document or a "no such pod" per name. */
export function inspectPods(rt: Runtime, names: string[], latest: boolean): Array<{ name: string; data?: Record<string, unknown>; error?: Error }> {
  const all = rt.containers().list();
  if (latest) {
    const p = latestPod(rt);
    return [{ name: p.name, data: inspectPod(p, podMembers(rt, p, all), rt.paths.root) }];
  }
  return names.map((name) => {
    try {
      const p = rt.pods().resolve(name);
      return { name, data: inspectPod(p, podMembers(rt, p, all), rt.paths.root) };
    } catch (err) {
      if (err instanceof NoSuchPodError) return { name, error: new InspectNotFoundError(`no such pod ${name}`) };
      return { name, error: err as Error };
    }
  });
}

export interface PodLogOptions extends LogOptions {
  follow: boolean;
  /** -c: only this container of the pod (name or ID). */
  container?: string;
  names: boolean;
  colors: boolean;
}

/**
 * `pod logs`: the logs of the pod's containers as `logs` shows several (each line after the short
 * ID, or the name with --names; the infra container counts, as Podman counts it, though it logs
 * nothing), or of one with -c. Followed side by side. From outside the namespace.
 */
export async function podLogs(rt: Runtime, pod: Pod, opts: PodLogOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<void> {
  let list = rt.pods().containersOf(pod, rt.containers().list());
  if (opts.container !== undefined) {
    const want = opts.container;
    list = list.filter((c) => c.id === want || c.name === want || (want.length >= 3 && c.id.startsWith(want)));
    if (list.length !== 1) throw new InvalidArgumentError(`container ${want} is not in pod ${pod.name}: no such container (tspod ps --pod --filter pod=${pod.name} lists its containers)`);
    const why = noLogsReason(list[0].spec.log);
    if (why) throw new InvalidStateError(why);
  }
  const store = rt.containers();
  const many = list.length > 1;
  const one = (c: Container, i: number) => {
    const file = logFileOf(c.spec.log, store.pathsOf(c).log);
    if (!file) return Promise.resolve(); // --log-driver none (the infra container): nothing to show
    return readLogs(file, {
      ...opts,
      prefix: many ? `${opts.names ? c.name : c.id.slice(0, 12)} ` : undefined,
      color: opts.colors ? LOG_COLORS[i % LOG_COLORS.length] : undefined,
      out,
      err,
      isRunning: () => store.reload(c.id)?.state === 'running',
    });
  };
  if (opts.follow) await Promise.all(list.map(one));
  else for (const [i, c] of list.entries()) await one(c, i);
}

const running = (c: Container) => c.state === 'running' && isSameProcess(c.status.pid, c.status.pidStart);

/**
 * `pod top`: ps-style rows (header first) of the processes of the pod's running containers, each
 * PID namespace once (containers that share the infra's with --share +pid show once), as Podman's
 * psgo joins them. From outside the namespace.
 */
export function podTop(rt: Runtime, pod: Pod, descriptors: string[]): string[][] {
  const up = rt.pods().containersOf(pod, rt.containers().list()).filter(running);
  if (up.length === 0) throw new InvalidStateError(`pod ${pod.name} has no running containers: start it with "tspod pod start ${pod.name}"`);
  const seen = new Set<string>();
  let out: string[][] = [];
  for (const c of up) {
    let ns: string;
    try {
      ns = fs.readlinkSync(`/proc/${c.status.pid}/ns/pid`);
    } catch {
      continue; // exited meanwhile
    }
    if (seen.has(ns)) continue;
    seen.add(ns);
    const [head, ...rows] = topRows(c.status.pid!, descriptors, readIfExists(`/proc/${c.status.pid}/root/etc/passwd`));
    out = out.length ? [...out, ...rows] : [head, ...rows];
  }
  return out;
}

/** `pod stats`: Podman's PodStatsReport fields. */
export interface PodStatsRow {
  CPU: string;
  MemUsage: string;
  MemUsageBytes: string;
  Mem: string;
  NetIO: string;
  BlockIO: string;
  PIDS: string;
  Pod: string;
  CID: string;
  Name: string;
}

/** go-units' BytesSize: binary units to four significant digits ("692.4KiB"). */
export function goBytesSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number(v.toPrecision(4))}${units[i]}`;
}

/** Podman's pod stats pairs: "-- / --" when both are 0, else the two sizes (decimal, or binary for MemUsageBytes). */
function pair(a: number, b: number, size: (n: number) => string): string {
  return a === 0 && b === 0 ? '-- / --' : `${size(a)} / ${size(b)}`;
}

/** The figures of a sample as Podman's pod stats writes them (go-units' HumanSize: four significant digits). */
export function podStatsFigures(s: StatsSample): Pick<PodStatsRow, 'MemUsage' | 'MemUsageBytes' | 'Mem' | 'NetIO' | 'BlockIO' | 'PIDS'> {
  return {
    MemUsage: pair(s.memUsage, s.memLimit, goHumanSize),
    MemUsageBytes: pair(s.memUsage, s.memLimit, goBytesSize),
    Mem: `${((100 * s.memUsage) / s.memLimit).toFixed(2)}%`,
    NetIO: pair(s.netInput, s.netOutput, goHumanSize),
    BlockIO: pair(s.blockInput, s.blockOutput, goHumanSize),
    PIDS: s.pids === 0 ? '--' : String(s.pids),
  };
}

/**
 * `pod stats`: a row per running container of the pods named (of every pod when none is, or with
 * --all; of the latest with --latest), read from /proc as `stats` reads them, every interval
 * until interrupted when streaming. From outside the namespace.
 */
export async function podStats(rt: Runtime, names: string[], opts: { all: boolean; latest: boolean; stream: boolean; intervalMs: number }, emit: (rows: PodStatsRow[]) => void): Promise<void> {
  if ([names.length > 0, opts.all, opts.latest].filter(Boolean).length > 1) throw new InvalidArgumentError('--all, --latest and arguments cannot be used together');
  const pick = (): Pod[] => (opts.latest ? [latestPod(rt)] : names.length ? names.map((n) => rt.pods().resolve(n)) : rt.pods().list());
  const pods = pick(); // names are checked once, before the first report
  const previous = new Map<string, StatsSample>();
  const report = () => {
    const all = rt.containers().list();
    const rows: PodStatsRow[] = [];
    for (const p of pods) {
      if (!rt.pods().reload(p.id)) continue; // removed meanwhile
      for (const c of rt.pods().containersOf(p, all).filter(running)) {
        const s = sample(c.status.pid!, ownCgroupDir(c.id, c.status.pid));
        if (!s) continue;
        const r = statsRow(c, s, previous.get(c.id));
        previous.set(c.id, s);
        rows.push({ CPU: r.CPUPerc, ...podStatsFigures(s), Pod: p.id.slice(0, 12), CID: c.id.slice(0, 12), Name: c.name });
      }
    }
    emit(rows);
  };
  report();
  if (opts.stream) await everyUntilInterrupted(opts.intervalMs, report);
}
