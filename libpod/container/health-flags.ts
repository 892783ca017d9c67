// run's and create's healthcheck flags, over the image's HEALTHCHECK: the check the container's
// monitor runs (conmon/health.ts). As Podman: --health-cmd replaces the image's command (a JSON
// array is CMD, anything else CMD-SHELL, "none" disables), the other flags override the image's
// values or the defaults, --health-interval disable keeps the check for `healthcheck run` only,
// --no-healthcheck removes it; the startup flags need a regular check.
import { InvalidArgumentError } from '../../src/errors';
import { parseGoDuration } from '../../src/time-spec';
import { HEALTH_DEFAULTS, type HealthAction, type HealthCheck } from '../../conmon/health';
import type { ContainerConfig } from '../image/image-changes';

export interface HealthOptions {
  cmd?: string;
  interval?: string;
  timeout?: string;
  startPeriod?: string;
  startInterval?: string;
  retries?: string;
  onFailure?: string;
  logDestination?: string;
  maxLogCount?: string;
  maxLogSize?: string;
  startupCmd?: string;
  startupInterval?: string;
  startupRetries?: string;
  startupSuccess?: string;
  startupTimeout?: string;
  none?: boolean;
}

/** The flags checked on their own (before any pull): errors say which flag is wrong. */
export function checkHealthFlags(o: HealthOptions = {}): void {
  if (o.none && o.cmd !== undefined && o.cmd !== 'none') throw new InvalidArgumentError('--no-healthcheck and --health-cmd cannot be set together: drop one of them');
  if (o.cmd !== undefined) parseTest(o.cmd, '--health-cmd');
  if (o.startupCmd !== undefined) parseTest(o.startupCmd, '--health-startup-cmd');
  durations(o);
  if (o.onFailure !== undefined) onFailure(o.onFailure);
  for (const [flag, v] of [['--health-retries', o.retries], ['--health-max-log-count', o.maxLogCount], ['--health-max-log-size', o.maxLogSize], ['--health-startup-retries', o.startupRetries], ['--health-startup-success', o.startupSuccess]] as const) {
    if (v !== undefined) count(v, flag);
  }
  if (o.retries !== undefined && count(o.retries, '--health-retries') < 1) throw new InvalidArgumentError('healthcheck-retries must be greater than 0');
  if (o.logDestination !== undefined && !['local', 'events_logger'].includes(o.logDestination) && !o.logDestination.startsWith('/')) {
    throw new InvalidArgumentError(`invalid --health-log-destination "${o.logDestination}": use local, events_logger or an absolute directory path`);
  }
}

/** The check the container gets: the image's, changed by the flags; undefined for none. */
export function healthCheck(o: HealthOptions = {}, image: ContainerConfig['Healthcheck'] | undefined): HealthCheck | undefined {
  if (o.none) return undefined;
  const test = o.cmd !== undefined ? parseTest(o.cmd, '--health-cmd') : image?.Test?.length ? image.Test : undefined;
  if (!test || test[0] === 'NONE') {
    if (o.startupCmd !== undefined) throw new InvalidArgumentError('a startup healthcheck needs a regular one: add --health-cmd (or use an image with a HEALTHCHECK)');
    return undefined;
  }
  const d = durations(o);
  const ms = (ns: number | undefined) => (ns ? Math.round(ns / 1e6) : undefined);
  // The image's values count only with its own command (Podman: the flags' defaults apply to --health-cmd).
  const img = o.cmd === undefined ? image : undefined;
  const check: HealthCheck = {
    test,
    intervalMs: d.interval ?? ms(img?.Interval) ?? HEALTH_DEFAULTS.intervalMs,
    timeoutMs: d.timeout ?? ms(img?.Timeout) ?? HEALTH_DEFAULTS.timeoutMs,
    startPeriodMs: d.startPeriod ?? ms(img?.StartPeriod) ?? HEALTH_DEFAULTS.startPeriodMs,
    retries: o.retries !== undefined ? count(o.retries, '--health-retries') : img?.Retries || HEALTH_DEFAULTS.retries,
    onFailure: o.onFailure !== undefined ? onFailure(o.onFailure) : 'none',
    maxLogCount: o.maxLogCount !== undefined ? count(o.maxLogCount, '--health-max-log-count') : HEALTH_DEFAULTS.maxLogCount,
    maxLogSize: o.maxLogSize !== undefined ? count(o.maxLogSize, '--health-max-log-size') : HEALTH_DEFAULTS.maxLogSize,
    logDestination: o.logDestination ?? 'local',
  };
  const startInterval = d.startInterval ?? ms(img?.StartInterval);
  if (startInterval) check.startIntervalMs = startInterval;
  if (o.startupCmd !== undefined) {
    check.startup = {
      test: parseTest(o.startupCmd, '--health-startup-cmd'),
      intervalMs: d.startupInterval ?? HEALTH_DEFAULTS.intervalMs,
      timeoutMs: d.startupTimeout ?? HEALTH_DEFAULTS.timeoutMs,
      retries: o.startupRetries !== undefined ? count(o.startupRetries, '--health-startup-retries') : 0,
      successes: o.startupSuccess !== undefined ? count(o.startupSuccess, '--health-startup-success') : 0,
    };
  }
  return check;
}

/** inspect's Config.Healthcheck: Docker's shape, durations in nanoseconds. */
export function healthConfigOf(check: HealthCheck): Record<string, unknown> {
  const ns = (ms: number) => ms * 1e6;
  return {
    Test: check.test,
    ...(check.startPeriodMs ? { StartPeriod: ns(check.startPeriodMs) } : {}),
    ...(check.startIntervalMs ? { StartInterval: ns(check.startIntervalMs) } : {}),
    Interval: ns(check.intervalMs),
    Timeout: ns(check.timeoutMs),
    Retries: check.retries,
  };
}

/** inspect's Config.StartupHealthCheck: the startup check in Podman's shape. */
export function startupConfigOf(s: NonNullable<HealthCheck['startup']>): Record<string, unknown> {
  return { Test: s.test, Interval: s.intervalMs * 1e6, Timeout: s.timeoutMs * 1e6, Retries: s.retries, Successes: s.successes };
}

function parseTest(value: string, flag: string): string[] {
  const v = value.trim();
  if (v === '') throw new InvalidArgumentError(`${flag} needs a command: give one, or "none" to disable the image's healthcheck`);
  if (v.toLowerCase() === 'none') return ['NONE'];
  if (v.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      throw new InvalidArgumentError(`invalid ${flag} "${value}": a JSON array must be valid JSON, e.g. '["CMD", "curl", "-f", "http://localhost/"]'`);
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((x) => typeof x === 'string')) throw new InvalidArgumentError(`invalid ${flag} "${value}": give a JSON array of strings`);
    const words = parsed as string[];
    return ['CMD', 'CMD-SHELL', 'NONE'].includes(words[0]) ? words : ['CMD', ...words];
  }
  return ['CMD-SHELL', v];
}

function durations(o: HealthOptions): Partial<Record<'interval' | 'timeout' | 'startPeriod' | 'startInterval' | 'startupInterval' | 'startupTimeout', number>> {
  const out: Record<string, number> = {};
  const each = [['interval', o.interval, '--health-interval'], ['timeout', o.timeout, '--health-timeout'], ['startPeriod', o.startPeriod, '--health-start-period'], ['startInterval', o.startInterval, '--health-start-interval'], ['startupInterval', o.startupInterval, '--health-startup-interval'], ['startupTimeout', o.startupTimeout, '--health-startup-timeout']] as const;
  for (const [key, v, flag] of each) {
    if (v === undefined) continue;
    if ((key === 'interval' || key === 'startupInterval') && v === 'disable') {
      out[key] = 0;
      continue;
    }
    const ms = parseGoDuration(v, flag, 's');
    if (key === 'timeout' || key === 'startupTimeout' ? ms < 1000 : key === 'interval' || key === 'startupInterval' ? ms < 1000 : ms < 0) {
      throw new InvalidArgumentError(`invalid ${flag} "${v}": ${key.endsWith('eriod') ? 'it cannot be negative' : 'it must be at least 1 second'}`);
    }
    out[key] = ms;
  }
  return out;
}

function onFailure(v: string): HealthAction {
  if (v === 'none' || v === 'kill' || v === 'restart' || v === 'stop') return v;
  throw new InvalidArgumentError(`invalid on-failure action "${v}" for --health-on-failure: use none, kill, restart or stop`);
}

function count(v: string, flag: string): number {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`invalid ${flag} "${v}": give a whole number`);
  return Number(v);
}
