import { describe, expect, it } from 'vitest';
import { pruneFilter } from '../../../libpod/prune-filter';

const now = Date.parse('2026-12-01T12:00:00Z');
const item = (labels: Record<string, string>, ageMinutes: number) => ({ labels, createdAt: now - ageMinutes * 60_000 });

describe('prune filters', () => {
  it('label= keeps those with the label (any of several), label!= those without (all of several)', () => {
    const keep = pruneFilter(['label=tier=back', 'label=tmp']);
    expect([keep(item({ tier: 'back' }, 1)), keep(item({ tmp: '' }, 1)), keep(item({ tier: 'front' }, 1))]).toEqual([true, true, false]);
    const not = pruneFilter(['label!=keep', 'label!=pin=1']);
    expect([not(item({}, 1)), not(item({ keep: 'x' }, 1)), not(item({ pin: '1' }, 1)), not(item({ pin: '2' }, 1))]).toEqual([true, false, false, true]);
  });

  it('until= keeps those created before the time, and keys AND', () => {
    expect(pruneFilter(['until=10m'], now)(item({}, 11))).toBe(true);
    expect(pruneFilter(['until=10m'], now)(item({}, 9))).toBe(false);
    expect(pruneFilter(['until=2026-12-01T11:00:00Z', 'label=a'], now)(item({ a: '' }, 120))).toBe(true);
    expect(pruneFilter(['until=2026-12-01T11:00:00Z', 'label=a'], now)(item({}, 120))).toBe(false);
  });

  it('refuses other keys and bad times', () => {
    expect(() => pruneFilter(['dangling=true'])).toThrow('invalid prune filter "dangling=true": use label=KEY[=VALUE], label!=KEY[=VALUE] or until=TIME');
    expect(() => pruneFilter(['until=soon'])).toThrow(/invalid time "soon"/);
  });
});
