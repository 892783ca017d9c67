// `compose events`: the recorded container events of a project's containers, as Docker Compose
// prints them: a text line `2024-05-01 10:00:00.123456 container start <id> (image=..., name=...)`
// or, with --json, one object per line {time, type, service, id, action, attributes}.
import type { EventRow } from '../state/state';
import { LABEL } from './types';

/** The attributes Compose shows: the event's own (image, name, the container's other labels), without com.docker.compose.*. */
function attributesOf(e: EventRow): Record<string, string> {
  const out: Record<string, string> = {};
  const all: Record<string, string> = { ...e.attributes, image: e.image, name: e.name };
  for (const k of Object.keys(all).sort()) if (!k.startsWith('com.docker.compose.')) out[k] = all[k];
  return out;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local time as Go's "2006-01-02 15:04:05.000000". */
export function eventTime(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const d = new Date(ms);
  const micros = Number((ns / 1000n) % 1_000_000n);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(micros, 6)}`;
}

/** RFC 3339 with nanoseconds in UTC, as Go's time.Time marshals. */
function rfc3339Nano(ns: bigint): string {
  const iso = new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 19);
  const frac = String(ns % 1_000_000_000n).padStart(9, '0').replace(/0+$/, '');
  return `${iso}${frac ? `.${frac}` : ''}Z`;
}

/** One event as `compose events` prints it (without the newline). */
export function formatEvent(e: EventRow, json: boolean): string {
  const attributes = attributesOf(e);
  if (json) {
    return JSON.stringify({ time: rfc3339Nano(e.time), type: 'container', service: e.attributes[LABEL.service] ?? '', id: e.actorId, action: e.action, attributes });
  }
  const attrs = Object.entries(attributes).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${eventTime(e.time)} container ${e.action} ${e.actorId} (${attrs})`;
}

/** Whether an event is of the project's containers, of the services asked (all when none). */
export function eventMatches(e: EventRow, project: string, services: string[]): boolean {
  if (e.type !== 'container' || e.attributes[LABEL.project] !== project) return false;
  return services.length === 0 || services.includes(e.attributes[LABEL.service] ?? '');
}
