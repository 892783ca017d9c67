// How `events` prints one event: Podman's text line for its type, or its JSON fields (one
// object per line for --format json, the same fields for a template).
import type { EventReport } from '../../libpod/entities';

/** Go's time.Time String() in UTC: nanoseconds with trailing zeros dropped (none: no dot). */
export function goTimeString(ns: bigint): string {
  const secs = ns / 1_000_000_000n;
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${new Date(Number(secs) * 1000).toISOString().slice(0, 19).replace('T', ' ')}${frac ? `.${frac}` : ''} +0000 UTC`;
}

/** Podman's line (libpod/events ToHumanReadable): its shape depends on the event's type. */
export function formatEvent(e: EventReport, noTrunc = true): string {
  const head = `${goTimeString(e.time)} ${e.type} ${e.action}`;
  const id = noTrunc ? e.actorId : e.actorId.slice(0, 12);
  switch (e.type) {
    case 'container':
    case 'pod': {
      const attrs = Object.entries(e.attributes).map(([k, v]) => `, ${k}=${v}`);
      const health = e.healthStatus ? `, health_status=${e.healthStatus}` : '';
      return `${head} ${id} (image=${e.image}, name=${e.name}${health}${attrs.join('')})`;
    }
    case 'network':
      if (e.action === 'create' || e.action === 'remove') return `${head} ${e.actorId} (name=${e.network ?? ''}, type=${e.attributes.driver ?? ''})`;
      return `${head} ${id} (container=${id}, name=${e.network ?? ''})`;
    case 'image':
      return `${head} ${id} ${e.name}${e.error ? ` ${e.error}` : ''}`;
    case 'system':
      return e.name ? `${head} ${e.name}` : head;
    case 'secret': // the ID only: a secret's event never names more of it
      return `${head} ${id}`;
    default: // volume
      return `${head} ${e.name}`;
  }
}

/**
 * The fields of Podman's events JSON in its order; empty ones left out as Podman's omitempty
 * does (Attributes never). timeNano is a bigint: a Number would
 * lose its last digits.
 */
export function eventFields(e: EventReport): Array<[string, unknown]> {
  const fields: Array<[string, unknown]> = [
    ['ContainerExitCode', e.exitCode],
    ['ID', e.actorId || undefined],
    ['Image', e.image || undefined],
    ['Name', e.name || undefined],
    ['network', e.network || undefined],
    ['Status', e.action],
    ['time', Number(e.time / 1_000_000_000n)],
    ['timeNano', e.time],
    ['Type', e.type],
    ['Error', e.error || undefined],
    ['health_status', e.healthStatus || undefined],
    // A container's are its labels ({} for none); other types have none unless set (null).
    ['Attributes', e.type !== 'container' && Object.keys(e.attributes).length === 0 ? null : e.attributes],
  ];
  return fields.filter(([, v]) => v !== undefined);
}

/** `events --format json`: one line, Podman's keys and order, timeNano exact. */
export function eventJsonLine(e: EventReport): string {
  return `{${eventFields(e)
    .map(([k, v]) => `${JSON.stringify(k)}:${typeof v === 'bigint' ? v.toString() : JSON.stringify(v)}`)
    .join(',')}}`;
}

/**
 * What a --format template sees: every field of Podman's Event struct, empty ones too (a Go
 * template reads a struct's zero values; only the JSON leaves them out) under their Go names,
 * TimeNano as its exact digits.
 */
export function eventJson(e: EventReport): Record<string, unknown> {
  return {
    ContainerExitCode: e.exitCode ?? null,
    ID: e.actorId,
    Image: e.image,
    Name: e.name,
    Network: e.network ?? '',
    Status: e.action,
    Time: Number(e.time / 1_000_000_000n),
    TimeNano: e.time.toString(),
    Type: e.type,
    HealthStatus: e.healthStatus ?? '',
    Error: e.error ?? '',
    PodID: '',
    ContainerInspectData: '',
    Attributes: e.attributes,
  };
}
