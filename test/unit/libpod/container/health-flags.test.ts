import { describe, expect, it } from 'vitest';
import { checkHealthFlags, healthCheck, healthConfigOf } from '../../../../libpod/container/health-flags';

describe('healthcheck flags', () => {
  it('takes a string as CMD-SHELL and a JSON array as CMD, with Docker\'s defaults', () => {
    expect(healthCheck({ cmd: 'test -e /ok' }, undefined)).toEqual({ test: ['CMD-SHELL', 'test -e /ok'], intervalMs: 30_000, timeoutMs: 30_000, startPeriodMs: 0, retries: 3, onFailure: 'none', maxLogCount: 5, maxLogSize: 4096, logDestination: 'local' });
    expect(healthCheck({ cmd: '["curl", "-f", "http://localhost/"]' }, undefined)?.test).toEqual(['CMD', 'curl', '-f', 'http://localhost/']);
  });

  it("uses the image's check and values, which the flags override; none and --no-healthcheck remove it", () => {
    const image = { Test: ['CMD-SHELL', 'pidof httpd'], Interval: 5e9, Timeout: 2e9, Retries: 7 };
    const c = healthCheck({ interval: '1s' }, image)!;
    expect([c.test, c.intervalMs, c.timeoutMs, c.retries]).toEqual([image.Test, 1000, 2000, 7]);
    expect(healthCheck({ cmd: 'none' }, image)).toBeUndefined();
    expect(healthCheck({ none: true }, image)).toBeUndefined();
    expect(healthCheck({}, { Test: ['NONE'] })).toBeUndefined();
    expect(healthCheck({ interval: 'disable' }, image)!.intervalMs).toBe(0);
    expect(healthConfigOf(c)).toEqual({ Test: image.Test, Interval: 1e9, Timeout: 2e9, Retries: 7 });
  });

  it('refuses bad values naming the flag', () => {
    expect(() => checkHealthFlags({ interval: 'often' })).toThrow('invalid --health-interval "often": give a duration such as 250ms, 2s or 1m30s');
    expect(() => checkHealthFlags({ interval: '10ms' })).toThrow('invalid --health-interval "10ms": it must be at least 1 second');
    expect(() => checkHealthFlags({ retries: '0' })).toThrow('healthcheck-retries must be greater than 0');
    expect(() => checkHealthFlags({ onFailure: 'panic' })).toThrow('invalid on-failure action "panic" for --health-on-failure: use none, kill, restart or stop');
    expect(() => checkHealthFlags({ cmd: '[1,2]' })).toThrow('give a JSON array of strings');
    expect(() => healthCheck({ startupCmd: 'true' }, undefined)).toThrow('a startup healthcheck needs a regular one');
  });
});
