import { describe, expect, it } from 'vitest';
import { cpuUtilization, swap, uptime } from '../../../../libpod/host/host-facts';

describe("info's host facts from /proc", () => {
  it('gives the CPU time since boot as percentages of user (with nice), system and idle', () => {
    expect(cpuUtilization('cpu  600 100 200 1000 100 0 0 0 0 0\ncpu0 1 2 3 4\n')).toEqual({ userPercent: 35, systemPercent: 10, idlePercent: 50 });
    expect(cpuUtilization('')).toEqual({ userPercent: 0, systemPercent: 0, idlePercent: 0 });
  });

  it('reads swap in bytes from /proc/meminfo', () => {
    expect(swap('MemTotal: 100 kB\nSwapTotal:       2048 kB\nSwapFree:        1024 kB\n')).toEqual({ swapFree: 1024 * 1024, swapTotal: 2048 * 1024 });
  });

  it("writes the uptime as Podman does", () => {
    expect(uptime('18749.00 30000.00\n')).toBe('5h 12m 29.00s (Approximately 0.22 days)');
    expect(uptime('')).toBe('');
  });
});
