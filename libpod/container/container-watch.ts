// What runs until interrupted: `stats` samples of running containers and `events` as they are
// recorded. SIGINT or SIGTERM end the loop, so that the command exits normally.
import { InvalidStateError } from '../../src/errors';
import type { Runtime } from '../runtime';
import type { EventRow } from '../state/state';
import { eventFilter } from '../event-log';
import { isSameProcess } from './container-store';
import { sample, statsRow, type StatsRow, type StatsSample } from './container-stats';
import { ownCgroupDir } from './container-cgroup';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs step every intervalMs until SIGINT or SIGTERM (which then only end this loop, so that the
 * command exits normally) or until step returns false: `events --stream`, `stats`.
 */
export async function everyUntilInterrupted(intervalMs: number, step: () => boolean | void): Promise<void> {
  let stopped = false;
  const stop = () => (stopped = true);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for (;;) {
      const until = Date.now() + intervalMs;
      while (!stopped && Date.now() < until) await sleep(Math.min(100, until - Date.now()));
      if (stopped || step() === false) return;
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/**
 * `stats`: a row per running container (all of them when none is named) from /proc, every
 * interval until stopped when streaming. CPU % is since the start at first, then per interval.
 * From outside the namespace: its owner may read the /proc files of every container's processes,
 * also of containers left in the namespace of a holder that was killed and made again.
 */
export async function watchStats(rt: Runtime, names: string[], opts: { all: boolean; stream: boolean; intervalMs: number }, emit: (rows: StatsRow[]) => void): Promise<void> {
const store = rt.containers();
  const pick = () => {
    if (names.length === 0) return store.list().filter((c) => c.state === 'running' || (opts.all && c.state !== 'removing'));
    return names.map((n) => {
      const c = store.resolve(n);
      if (c.state !== 'running') throw new InvalidStateError(`cannot get stats of ${c.name}: it is ${c.state}, and stats reads a running container's processes`);
      return c;
    });
  };
  const previous = new Map<string, StatsSample>();
  const report = () => {
    emit(
      pick().map((c) => {
        const s = c.state === 'running' && isSameProcess(c.status.pid, c.status.pidStart) ? sample(c.status.pid!, ownCgroupDir(c.id, c.status.pid)) : undefined;
        const row = statsRow(c, s, previous.get(c.id));
        if (s) previous.set(c.id, s);
        return row;
      }),
    );
  };
  report();
  if (opts.stream) await everyUntilInterrupted(opts.intervalMs, report);
}

/**
 * `events`: with --since or --until, the recorded events from the start (Podman's FromStart);
 * without them only events recorded from now on. With stream, new ones every 200 ms (syncing
 * running containers meanwhile, so that exits are noticed) until interrupted, or until the
 * --until time passes. From outside the namespace.
 */
export async function watchEvents(rt: Runtime, opts: { since?: number; until?: number; filters: string[]; stream: boolean; signal?: AbortSignal }, emit: (e: EventRow) => void): Promise<void> {
  const keep = eventFilter(opts.filters);
  // Podman's bounds are strict: after since, before until.
  const inTime = (e: { time: bigint }) => {
    const ms = Number(e.time) / 1e6;
    return (opts.since === undefined || ms > opts.since) && (opts.until === undefined || ms < opts.until);
  };
  const db = rt.db();
  let last = opts.since === undefined && opts.until === undefined ? db.lastEventId() : 0;
  const drain = () => {
    for (const e of db.listEvents(last)) {
      last = e.id!;
      if (inTime(e) && keep(e)) emit(e);
    }
  };
  drain();
  if (!opts.stream) return;
  db.releaseLock();
  await everyUntilInterrupted(200, () => {
    rt.containers().list(); // notices exits, which records their died events
    drain();
    db.releaseLock(); // on a full disk, others may use the database between looks
    return !opts.signal?.aborted && (opts.until === undefined || Date.now() < opts.until);
  });
}
