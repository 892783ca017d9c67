import { describe, expect, it } from 'vitest';
import { checkArgv, freshHealth, nextDelayMs, recordResult, recordStartup, type HealthCheck, type HealthResult } from '../../../conmon/health';

const check = (over: Partial<HealthCheck> = {}): HealthCheck => ({ test: ['CMD-SHELL', 'true'], intervalMs: 1000, timeoutMs: 1000, startPeriodMs: 0, retries: 2, onFailure: 'none', maxLogCount: 3, maxLogSize: 10, logDestination: 'local', ...over });
const at = (ms: number, code: number, output = ''): HealthResult => ({ Start: new Date(ms).toISOString(), End: new Date(ms + 5).toISOString(), ExitCode: code, Output: output });

describe('healthcheck state', () => {
  it('turns healthy on a success and unhealthy after retries failures in a row, with the action on the change only', () => {
    const c = check({ onFailure: 'restart' });
    let s = freshHealth(c);
    let r = recordResult(c, s, at(1000, 1), 0);
    expect([r.state.Status, r.state.FailingStreak, r.changed, r.action]).toEqual(['starting', 1, false, 'none']);
    r = recordResult(c, (s = r.state), at(2000, 1), 0);
    expect([r.state.Status, r.state.FailingStreak, r.changed, r.action]).toEqual(['unhealthy', 2, true, 'restart']);
    r = recordResult(c, (s = r.state), at(3000, 1), 0);
    expect([r.state.Status, r.state.FailingStreak, r.changed, r.action]).toEqual(['unhealthy', 3, false, 'none']);
    r = recordResult(c, (s = r.state), at(4000, 0), 0);
    expect([r.state.Status, r.state.FailingStreak, r.changed]).toEqual(['healthy', 0, true]);
    expect(s.Log).toHaveLength(3);
  });

  it('does not count failures inside the start period while starting', () => {
    const c = check({ startPeriodMs: 10_000, retries: 1 });
    const r = recordResult(c, freshHealth(c), at(5000, 1), 0);
    expect([r.state.Status, r.state.FailingStreak]).toEqual(['starting', 0]);
    const late = recordResult(c, r.state, at(12_000, 1), 0);
    expect([late.state.Status, late.state.FailingStreak]).toEqual(['unhealthy', 1]);
  });

  it('keeps the last maxLogCount results with their output cut to maxLogSize', () => {
    const c = check();
    let s = freshHealth(c);
    for (let i = 0; i < 5; i++) s = recordResult(c, s, at(i * 1000, 0, `result number ${i}`), 0).state;
    expect(s.Log.map((l) => l.Output)).toEqual(['result num', 'result num', 'result num']);
    expect(s.Log[2].Start).toBe(new Date(4000).toISOString());
  });

  it('a startup check gates the regular one and restarts after its retries', () => {
    const c = check({ startup: { test: ['CMD', 'true'], intervalMs: 200, timeoutMs: 1000, retries: 2, successes: 2 } });
    let s = freshHealth(c);
    expect(nextDelayMs(c, s, 0, 0)).toBe(200);
    let r = recordStartup(c, s, at(0, 1));
    expect(r.action).toBe('none');
    r = recordStartup(c, r.state, at(1, 1));
    expect(r.action).toBe('restart');
    s = recordStartup(c, r.state, at(2, 0)).state;
    expect(s.startupDone).toBeFalsy();
    s = recordStartup(c, s, at(3, 0)).state;
    expect(s.startupDone).toBe(true);
    expect(nextDelayMs(c, s, 0, 0)).toBe(1000);
  });

  it('runs CMD as given and CMD-SHELL through /bin/sh -c', () => {
    expect(checkArgv(['CMD', 'curl', '-f', 'x'])).toEqual(['curl', '-f', 'x']);
    expect(checkArgv(['CMD-SHELL', 'test -e /ok'])).toEqual(['/bin/sh', '-c', 'test -e /ok']);
  });
});
