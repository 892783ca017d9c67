import { describe, expect, it } from 'vitest';
import { parseSubIds, rangesFor, suggestRange, usermodFix } from '../../../../libpod/rootless/subid';

describe('subid files', () => {
  const text = 'alice:100000:65536\n# comment\n1001:165536:65536\nbad line\nbob:x:1\ncarol:231072:0\nalice:300000:1000\n';

  it('parses valid lines and skips malformed ones', () => {
    expect(parseSubIds(text)).toEqual([
      { owner: 'alice', start: 100000, count: 65536 },
      { owner: '1001', start: 165536, count: 65536 },
      { owner: 'alice', start: 300000, count: 1000 },
    ]);
  });

  it('matches a user by name or by uid', () => {
    const entries = parseSubIds(text);
    expect(rangesFor(entries, 'alice', 1000)).toEqual([{ start: 100000, count: 65536 }, { start: 300000, count: 1000 }]);
    expect(rangesFor(entries, 'dave', 1001)).toEqual([{ start: 165536, count: 65536 }]);
    expect(rangesFor(entries, 'erin', 1002)).toEqual([]);
  });

  it('suggests a free range above every existing one', () => {
    expect(suggestRange([])).toEqual({ start: 100000, count: 65536 });
    expect(suggestRange(parseSubIds(text))).toEqual({ start: 301000, count: 65536 });
    expect(usermodFix('erin', parseSubIds(text), [])).toBe('sudo usermod --add-subuids 301000-366535 --add-subgids 301000-366535 erin');
  });
});
