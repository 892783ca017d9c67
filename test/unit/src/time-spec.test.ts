import { describe, expect, it } from 'vitest';
import { parseGoDuration } from '../../../src/time-spec';

describe('Go durations (wait --interval)', () => {
  it('reads units, sequences and fractions; a bare number is in the bare unit', () => {
    expect(parseGoDuration('250ms', '--interval')).toBe(250);
    expect(parseGoDuration('1.5s', '--interval')).toBe(1500);
    expect(parseGoDuration('2h45m', '--interval')).toBe(9_900_000);
    expect(parseGoDuration('500us', '--interval')).toBe(0.5);
    expect(parseGoDuration('300', '--interval')).toBe(300);
    expect(parseGoDuration('-1s', '--interval')).toBe(-1000);
  });

  it('refuses what is not a duration', () => {
    for (const bad of ['', 'ms', '5 s', '1d', 'soon']) expect(() => parseGoDuration(bad, '--interval'), bad).toThrow(`invalid --interval "${bad}": give a duration such as 250ms, 2s or 1m30s`);
  });
});
