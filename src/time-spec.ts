// --since/--until values as Podman takes them (logs, events, filters): an RFC 3339 time, a Unix
// timestamp in seconds, or a Go duration counted back from now.
import { InvalidArgumentError } from './errors';

/** Milliseconds since the epoch: `2024-01-02T15:04:05Z`, `1700000000`, or `10m`, `1h30m`, `45s` ago. */
export function parseTimeSpec(spec: string, now = Date.now()): number {
  if (/^\d+(\.\d+)?$/.test(spec)) return Number(spec) * 1000;
  const dur = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(spec);
  if (dur && spec !== '') return now - ((Number(dur[1] ?? 0) * 60 + Number(dur[2] ?? 0)) * 60 + Number(dur[3] ?? 0)) * 1000;
  // `date --iso-8601=ns` writes the fraction after a comma, which Go's time.Parse (so Podman) accepts.
  const t = Date.parse(spec.replace(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d),(\d)/, '$1.$2'));
  if (!Number.isNaN(t)) return t;
  throw new InvalidArgumentError(`invalid time "${spec}": use an RFC 3339 time (2024-01-02T15:04:05Z), a Unix timestamp, or a duration such as 10m`);
}

const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A Go duration (`300ms`, `1.5s`, `2h45m`) in milliseconds; a bare number is taken in `bareUnit`
 * (Podman's `wait --interval 500` means 500 ms).
 */
export function parseGoDuration(text: string, flag: string, bareUnit = 'ms'): number {
  const s = /^[0-9.]+$/.test(text) ? `${text}${bareUnit}` : text;
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(s);
  if (!m) throw new InvalidArgumentError(`invalid ${flag} "${text}": give a duration such as 250ms, 2s or 1m30s`);
  let total = 0;
  for (const part of s.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * GO_UNITS[part[2]];
  return m[1] === '-' ? -total : total;
}
