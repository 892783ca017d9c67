// Events without a daemon: each command records what it did (create, start, died, stop, kill,
// remove, pull, ...) in the state database, and `events` reads them back, following new ones.
// Times are nanoseconds since the epoch; the output is Podman's.
import { InvalidArgumentError, NoSpaceError } from '../src/errors';
import { log } from '../src/log';
import type { EventRow, State } from './state/state';

export interface EventActor {
  id: string;
  name: string;
  image?: string;
  attributes?: Record<string, string>;
}

export function nowNs(ms = Date.now()): bigint {
  return BigInt(Math.round(ms)) * 1_000_000n + BigInt(process.hrtime.bigint() % 1_000_000n);
}

/** Records what was done. On a full disk the event is lost with a warning: the work itself was done. */
export function recordEvent(state: State, type: 'container' | 'image', action: string, actor: EventActor, atMs?: number): void {
  try {
    insertEvent(state, type, action, actor, atMs);
  } catch (err) {
    if (!(err instanceof NoSpaceError)) throw err;
    log.warn(`the ${type} ${action} event of ${actor.name || actor.id} was not recorded: ${err.message}`);
  }
}

function insertEvent(state: State, type: 'container' | 'image', action: string, actor: EventActor, atMs?: number): void {
  state.insertEvent({ time: atMs === undefined ? nowNs() : BigInt(Math.round(atMs)) * 1_000_000n, type, action, actorId: actor.id, name: actor.name, image: actor.image ?? '', attributes: actor.attributes ?? {} });
}

/** --filter type=, event= (die matches died), container=, image=; same key ORs, keys AND. */
export function eventFilter(filters: string[]): (e: EventRow) => boolean {
  const byKey = new Map<string, string[]>();
  for (const f of filters) {
    const eq = f.indexOf('=');
    const key = eq > 0 ? f.slice(0, eq) : '';
    if (!['type', 'event', 'container', 'image'].includes(key)) throw new InvalidArgumentError(`invalid filter "${f}": use type=, event=, container= or image=`);
    byKey.set(key, [...(byKey.get(key) ?? []), f.slice(eq + 1)]);
  }
  const test = (e: EventRow, key: string, v: string): boolean => {
    switch (key) {
      case 'type':
        return e.type === v;
      case 'event':
        return e.action === v || (v === 'die' && e.action === 'died');
      case 'container':
        return e.type === 'container' && (e.name === v || e.actorId.startsWith(v));
      default:
        return e.image === v || e.image.endsWith(`/${v}`) || e.image.endsWith(`/${v}:latest`) || (e.type === 'image' && (e.name === v || e.actorId.startsWith(v)));
    }
  };
  return (e) => [...byKey.entries()].every(([k, vs]) => vs.some((v) => test(e, k, v)));
}
