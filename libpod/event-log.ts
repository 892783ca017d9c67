// Events without a daemon: each command records what it did (create, init, start, attach, died,
// cleanup, remove, exec, pull, volume and network changes, ...) in the state database, and
// `events` reads them back, following new ones. Times are nanoseconds since the epoch; the
// statuses, types and filters are Podman's (libpod/events).
import { InvalidArgumentError, NoSpaceError } from '../src/errors';
import { log } from '../src/log';
import type { EventRow, State } from './state/state';

export type EventType = 'container' | 'image' | 'volume' | 'network' | 'pod' | 'system' | 'secret';

export interface EventActor {
  id: string;
  name: string;
  image?: string;
  attributes?: Record<string, string>;
  exitCode?: number;
  network?: string;
  error?: string;
  healthStatus?: string;
}

export function nowNs(ms = Date.now()): bigint {
  return BigInt(Math.round(ms)) * 1_000_000n + BigInt(process.hrtime.bigint() % 1_000_000n);
}

/** Records what was done. On a full disk the event is lost with a warning: the work itself was done. */
export function recordEvent(state: State, type: EventType, action: string, actor: EventActor, atMs?: number): void {
  try {
    insertEvent(state, type, action, actor, atMs);
  } catch (err) {
    if (!(err instanceof NoSpaceError)) throw err;
    log.warn(`the ${type} ${action} event of ${actor.name || actor.id} was not recorded: ${err.message}`);
  }
}

/** The event of a failure (pull-error): recorded if it can be, silently if not; the failure's own error is what the user reads. */
export function recordFailureEvent(state: State, type: EventType, action: string, actor: EventActor): void {
  try {
    insertEvent(state, type, action, actor);
  } catch {
    // A full disk or a damaged database: the error being reported already says what matters.
  }
}

function insertEvent(state: State, type: EventType, action: string, actor: EventActor, atMs?: number): void {
  const { id, name, image, attributes, ...details } = actor;
  // A file's mtimeMs has a fraction: keep it to the microsecond.
  state.insertEvent({ time: atMs === undefined ? nowNs() : BigInt(Math.round(atMs * 1000)) * 1000n, type, action, actorId: id, name, image: image ?? '', attributes: attributes ?? {}, ...details });
}

const FILTER_KEYS = ['container', 'event', 'status', 'image', 'label', 'pod', 'volume', 'type'];

/**
 * --filter as Podman's: container=, event= (also status=; die matches died), image= (image
 * events), label=key or key=value, pod=, volume= (a name prefix), type=; keys in any case. The
 * same key ORs, different keys AND.
 */
export function eventFilter(filters: string[]): (e: EventRow) => boolean {
  const byKey = new Map<string, string[]>();
  for (const f of filters) {
    const eq = f.indexOf('=');
    const key = eq > 0 ? f.slice(0, eq).toLowerCase() : '';
    if (!FILTER_KEYS.includes(key)) throw new InvalidArgumentError(`failed to parse event filters: invalid filter "${f}": use ${FILTER_KEYS.slice(0, -1).join('=, ')}= or type=`);
    const k = key === 'status' ? 'event' : key;
    byKey.set(k, [...(byKey.get(k) ?? []), f.slice(eq + 1)]);
  }
  return (e) => [...byKey.entries()].every(([k, vs]) => vs.some((v) => matches(e, k, v)));
}

function matches(e: EventRow, key: string, v: string): boolean {
  const named = (type: string) => e.type === type && (e.name === v || e.actorId.startsWith(v));
  switch (key) {
    case 'type':
      return e.type === v;
    case 'event':
      return e.action === (v === 'die' ? 'died' : v);
    case 'label': {
      const eq = v.indexOf('=');
      const k = eq < 0 ? v : v.slice(0, eq);
      return Object.hasOwn(e.attributes, k) && (eq < 0 || e.attributes[k] === v.slice(eq + 1));
    }
    case 'volume':
      return e.type === 'volume' && e.name.startsWith(v);
    default: // container, image, pod
      return named(key);
  }
}
