import { describe, expect, it } from 'vitest';
import { eventFilter } from '../../../libpod/event-log';
import type { EventRow } from '../../../libpod/state/state';

const row = (e: Partial<EventRow>): EventRow => ({ time: 0n, type: 'container', action: 'start', actorId: 'abc123'.padEnd(64, '0'), name: 'web', image: 'docker.io/library/busybox:latest', attributes: {}, ...e });

describe("events' filters (Podman's keys)", () => {
  it('matches containers by name or ID prefix, images only among image events', () => {
    expect(eventFilter(['container=web'])(row({}))).toBe(true);
    expect(eventFilter(['container=abc1'])(row({}))).toBe(true);
    expect(eventFilter(['container=web'])(row({ type: 'image' }))).toBe(false);
    // Podman's image= names image events, not the containers of that image.
    expect(eventFilter(['image=docker.io/library/busybox:latest'])(row({}))).toBe(false);
    expect(eventFilter(['image=docker.io/library/busybox:latest'])(row({ type: 'image', name: 'docker.io/library/busybox:latest' }))).toBe(true);
  });

  it('takes status= as event=, die for died, labels by key or key=value, volumes by name prefix, keys in any case', () => {
    expect(eventFilter(['status=die'])(row({ action: 'died' }))).toBe(true);
    expect(eventFilter(['EVENT=start'])(row({}))).toBe(true);
    expect(eventFilter(['label=tier'])(row({ attributes: { tier: 'web' } }))).toBe(true);
    expect(eventFilter(['label=tier=db'])(row({ attributes: { tier: 'web' } }))).toBe(false);
    expect(eventFilter(['volume=dat'])(row({ type: 'volume', name: 'data' }))).toBe(true);
  });

  it('ORs one key, ANDs different keys', () => {
    const f = eventFilter(['event=start', 'event=died', 'container=web']);
    expect(f(row({ action: 'died' }))).toBe(true);
    expect(f(row({ action: 'died', name: 'db', actorId: 'f'.repeat(64) }))).toBe(false);
  });

  it('refuses a key Podman does not have', () => {
    expect(() => eventFilter(['colour=red'])).toThrow(/failed to parse event filters: invalid filter "colour=red"/);
  });
});
