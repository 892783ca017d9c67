import { describe, expect, it } from 'vitest';
import { parseImageFilters } from '../../../../libpod/image/image-filter';
import type { Image } from '../../../../libpod/image/image-store';

const image = (id: string, names: string[], createdAt: number, labels: Record<string, string> = {}): Image =>
  ({ id: `sha256:${id.repeat(64).slice(0, 64)}`, names, createdAt, size: 1, record: '{}', layers: [], config: { config: { Labels: labels } }, digest: `sha256:${'d'.repeat(63)}${id}`, repoDigests: [] }) as unknown as Image;

describe('images --filter', () => {
  const old = image('a', ['localhost/old:1'], Date.parse('2026-01-01T00:00:00Z'), { tier: 'base' });
  const mid = image('b', ['localhost/mid:1'], Date.parse('2026-06-01T00:00:00Z'));
  const fresh = image('c', [], Date.parse('2026-11-01T00:00:00Z'), { tier: 'app' });
  const all = [old, mid, fresh];
  const byName = (n: string) => all.find((i) => i.names.includes(n))!;
  const pick = (filters: string[], used = (i: Image) => i === mid) => all.filter(parseImageFilters(filters, byName, used)).map((i) => i.id.slice(7, 8));

  it('takes label!, after, until, digest and containers', () => {
    expect(pick(['label!=tier'])).toEqual(['b']);
    expect(pick(['label!=tier=base', 'label!=tier=app'])).toEqual(['b']);
    expect(pick(['after=localhost/old:1'])).toEqual(['b', 'c']);
    expect(pick(['until=2026-03-01T00:00:00Z'])).toEqual(['a']);
    expect(pick([`digest=sha256:${'d'.repeat(63)}c`])).toEqual(['c']);
    expect(pick(['containers=true'])).toEqual(['b']);
    expect(pick(['containers=false'])).toEqual(['a', 'c']);
  });

  it('has no intermediate, read-only or manifest-list images', () => {
    expect(pick(['intermediate=true'])).toEqual([]);
    expect(pick(['readonly=false'])).toEqual(['a', 'b', 'c']);
    expect(pick(['manifest=true'])).toEqual([]);
    expect(() => pick(['manifest=yes'])).toThrow('invalid filter "manifest=yes": use true or false');
    expect(() => pick(['colour=red'])).toThrow(/^invalid image filter "colour=red": use one of reference=, dangling=/);
  });
});
