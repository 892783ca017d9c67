// Healthchecks as the monitor keeps them (Docker's model, which Podman's inspect shows too): the
// check as stored with the container, the state after each result (starting, healthy, unhealthy,
// and the failing streak; failures inside the start period do not count), and the log of the last
// results. Pure: the monitor runs the checks on its timer and `tspod healthcheck run` runs one
// now; both record through here into one file beside the container. Imports nothing.
import fs from 'node:fs';

export type HealthAction = 'none' | 'kill' | 'restart' | 'stop';

export interface StartupCheck {
  test: string[];
  intervalMs: number;
  timeoutMs: number;
  /** Failures after which the container is restarted; 0: never. */
  retries: number;
  /** Successes needed before the regular check begins; 0: the first. */
  successes: number;
}

export interface HealthCheck {
  /** Docker's Test: ["CMD", arg...], ["CMD-SHELL", command]. */
  test: string[];
  /** 0: no timer (--health-interval disable): only `healthcheck run` checks. */
  intervalMs: number;
  timeoutMs: number;
  startPeriodMs: number;
  /** Between checks during the start period (Docker's --health-start-interval); default intervalMs. */
  startIntervalMs?: number;
  retries: number;
  onFailure: HealthAction;
  /** Results kept (0: all) and characters of output kept of each (0: all). */
  maxLogCount: number;
  maxLogSize: number;
  /** local (beside the container), events_logger, or a directory for <ID>-healthcheck.log. */
  logDestination: string;
  startup?: StartupCheck;
}

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

/** One result, as inspect's State.Health.Log shows it. */
export interface HealthResult {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

/** inspect's State.Health, plus where a startup check stands. */
export interface HealthState {
  Status: HealthStatus;
  FailingStreak: number;
  Log: HealthResult[];
  /** The startup check passed (or there is none): the regular check runs. */
  startupDone?: boolean;
  startupSuccesses?: number;
  startupFailures?: number;
}

export const HEALTH_DEFAULTS = { intervalMs: 30_000, timeoutMs: 30_000, startPeriodMs: 0, retries: 3, maxLogCount: 5, maxLogSize: 4096 };

export function freshHealth(check: HealthCheck): HealthState {
  return { Status: 'starting', FailingStreak: 0, Log: [], startupDone: !check.startup };
}

/** The process a check runs: CMD's arguments, or CMD-SHELL's command through /bin/sh -c. */
export function checkArgv(test: string[]): string[] {
  if (test[0] === 'CMD-SHELL') return ['/bin/sh', '-c', test.slice(1).join(' ')];
  if (test[0] === 'CMD') return test.slice(1);
  return test;
}

/** How long until the next check: the start interval while the start period lasts, else the interval. */
export function nextDelayMs(check: HealthCheck, state: HealthState, startedAtMs: number, now = Date.now()): number {
  if (!state.startupDone && check.startup) return check.startup.intervalMs;
  const inStart = now - startedAtMs < check.startPeriodMs && state.Status === 'starting';
  return inStart && check.startIntervalMs ? check.startIntervalMs : check.intervalMs;
}

/** What a recorded result means for the container. */
export interface Recorded {
  state: HealthState;
  /** The status changed (an event is due). */
  changed: boolean;
  /** The startup check failed its retries, or the container just turned unhealthy: what to do. */
  action: HealthAction;
}

/**
 * Records a regular check's result: success is healthy and ends the streak; a failure inside the
 * start period (while still starting) does not count; otherwise the streak grows and reaching
 * the retries turns the container unhealthy. The log keeps the last maxLogCount results.
 */
export function recordResult(check: HealthCheck, prev: HealthState, result: HealthResult, startedAtMs: number): Recorded {
  const state: HealthState = { ...prev, Log: keepLast([...prev.Log, cut(result, check.maxLogSize)], check.maxLogCount) };
  const ended = Date.parse(result.End) || Date.now();
  if (result.ExitCode === 0) {
    state.Status = 'healthy';
    state.FailingStreak = 0;
  } else if (!(prev.Status === 'starting' && ended - startedAtMs < check.startPeriodMs)) {
    state.FailingStreak = prev.FailingStreak + 1;
    if (state.FailingStreak >= check.retries) state.Status = 'unhealthy';
  }
  const changed = state.Status !== prev.Status;
  return { state, changed, action: changed && state.Status === 'unhealthy' ? check.onFailure : 'none' };
}

/** Records a startup check's result: enough successes start the regular check; too many failures restart the container. */
export function recordStartup(check: HealthCheck, prev: HealthState, result: HealthResult): Recorded {
  const s = check.startup!;
  const state: HealthState = { ...prev, Log: keepLast([...prev.Log, cut(result, check.maxLogSize)], check.maxLogCount) };
  if (result.ExitCode === 0) {
    state.startupSuccesses = (prev.startupSuccesses ?? 0) + 1;
    state.startupFailures = 0;
    if (state.startupSuccesses >= Math.max(1, s.successes)) state.startupDone = true;
    return { state, changed: false, action: 'none' };
  }
  state.startupFailures = (prev.startupFailures ?? 0) + 1;
  state.startupSuccesses = 0;
  const giveUp = s.retries > 0 && state.startupFailures >= s.retries;
  if (giveUp) state.startupFailures = 0;
  return { state, changed: false, action: giveUp ? 'restart' : 'none' };
}

function cut(r: HealthResult, max: number): HealthResult {
  return max > 0 && r.Output.length > max ? { ...r, Output: r.Output.slice(0, max) } : r;
}

function keepLast<T>(items: T[], n: number): T[] {
  return n > 0 && items.length > n ? items.slice(items.length - n) : items;
}

/** The state file: read (undefined when there is none yet) and replaced whole, never half-written. */
export function readHealth(file: string): HealthState | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as HealthState;
  } catch {
    return undefined;
  }
}

export function writeHealth(file: string, state: HealthState): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state));
  fs.renameSync(tmp, file);
}

/** Go's time format of a result's Start and End (RFC 3339 with nanoseconds, as Podman prints them). */
export function goTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}
