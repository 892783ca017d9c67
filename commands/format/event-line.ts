// How `events` prints one event: Podman's text line, or its JSON fields for --format.
import type { EventReport } from '../../libpod/entities';

/** Podman's line: `2024-01-02 15:04:05.123456789 +0000 UTC container create ID (image=..., name=...)`. */
export function formatEvent(e: EventReport, noTrunc = true): string {
  const ms = Number(e.time / 1_000_000n);
  const nanos = (e.time % 1_000_000_000n).toString().padStart(9, '0');
  const when = `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}.${nanos} +0000 UTC`;
  const attrs = [...(e.image ? [`image=${e.image}`] : []), `name=${e.name}`, ...Object.entries(e.attributes).map(([k, v]) => `${k}=${v}`)];
  const id = noTrunc ? e.actorId : e.actorId.slice(0, 12);
  return `${when} ${e.type} ${e.action} ${id} (${attrs.join(', ')})`;
}

/** `events --format json`: Podman's fields. */
export function eventJson(e: EventReport) {
  return { ID: e.actorId, Image: e.image, Name: e.name, Status: e.action, Type: e.type, Attributes: e.attributes, time: Number(e.time / 1_000_000_000n), timeNano: Number(e.time) };
}
