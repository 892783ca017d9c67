// Healthchecks run by each container's monitor, with no systemd (issue 20), as the unprivileged
// user: the status in ps and inspect, the health_status events, the image's HEALTHCHECK and
// --no-healthcheck, --health-on-failure, wait --condition healthy, `healthcheck run`, and a check
// that outlives its timeout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { Store, registry } from './harness';
import { pushBusyboxWithConfig } from './registry-tools';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('healthcheck');
const busybox = `${registry}/library/busybox`;
const tspod = (args: string[]) => store.tspod(args);
const status = (name: string) => tspod(['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Status}}']).stdout.trim();
const health = (name: string) => JSON.parse(tspod(['inspect', '--format', '{{json .State.Health}}', name]).stdout) as { Status: string; FailingStreak: number; Log: Array<{ ExitCode: number; Output: string }> | null };

/** Polls until check() holds (each try ~50 ms apart), failing with what was last seen. */
async function until<T>(what: string, get: () => T, check: (v: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  let v = get();
  while (!check(v)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
    v = get();
  }
  return v;
}

beforeAll(() => {
  expect(tspod(['pull', '-q', busybox]).code).toBe(0);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

describe('healthchecks run by the monitor', () => {
  it('turns unhealthy after the retries, healthy once the check passes, with the log in inspect and the events', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    expect(tspod(['run', '-d', '-q', '--name', 'hc', '--health-cmd', 'echo checking; test -e /ok', '--health-interval', '1s', '--health-retries', '2', busybox, 'sleep', '1000']).code).toBe(0);
    expect(status('hc')).toMatch(/^Up .* \((starting|unhealthy)\)$/);
    const started = Date.now();
    await until('ps status', () => status('hc'), (s) => s.endsWith('(unhealthy)'), 8000);
    // Two failures a second apart; a loaded machine gets slack, the bound stays meaningful.
    expect(Date.now() - started).toBeLessThan(6000);
    const bad = health('hc');
    expect(bad.Status).toBe('unhealthy');
    expect(bad.FailingStreak).toBeGreaterThanOrEqual(2);
    expect(bad.Log!.at(-1)).toMatchObject({ ExitCode: 1, Output: 'checking\n' });
    expect(tspod(['ps', '--filter', 'health=unhealthy', '--format', '{{.Names}}']).stdout).toBe('hc\n');
    expect(tspod(['exec', 'hc', 'touch', '/ok']).code).toBe(0);
    const fixed = Date.now();
    await until('ps status', () => status('hc'), (s) => s.endsWith('(healthy)'), 6000);
    expect(Date.now() - fixed).toBeLessThan(4000);
    expect(health('hc')).toMatchObject({ Status: 'healthy', FailingStreak: 0 });
    const events = tspod(['events', '--since', since, '--stream=false', '--filter', 'event=health_status', '--filter', 'container=hc', '--format', '{{.HealthStatus}}']);
    expect(events.code).toBe(0);
    expect(events.stdout).toBe('unhealthy\nhealthy\n');
    const cfg = JSON.parse(tspod(['inspect', '--format', '{{json .Config.Healthcheck}}', 'hc']).stdout);
    expect(cfg).toEqual({ Test: ['CMD-SHELL', 'echo checking; test -e /ok'], Interval: 1e9, Timeout: 30e9, Retries: 2 });
    expect(tspod(['healthcheck', 'run', 'hc'])).toMatchObject({ code: 0, stdout: '' });
    // As Podman's: the exit is the container's status after the check, so one failure in a
    // healthy container (retries 2) still exits 0; with the monitor's checks too it soon turns.
    expect(tspod(['exec', 'hc', 'rm', '/ok']).code).toBe(0);
    const runs = await until('healthcheck run', () => tspod(['healthcheck', 'run', 'hc']), (r) => r.code === 1, 6000);
    expect(runs.stdout).toBe('unhealthy\n');
    expect(tspod(['rm', '-f', '-t', '0', 'hc']).code).toBe(0);
  });

  it("uses the image's HEALTHCHECK without any flag, and --no-healthcheck removes it", async () => {
    const image = `${registry}/hc${process.pid}/healthy`;
    await pushBusyboxWithConfig(registry, `hc${process.pid}/healthy`, (c) => {
      (c.config as Record<string, unknown>).Healthcheck = { Test: ['CMD', 'true'], Interval: 1e9, Timeout: 5e9, Retries: 3 };
    });
    expect(tspod(['run', '-d', '-q', '--name', 'fromimage', image, 'sleep', '1000']).code).toBe(0);
    expect(JSON.parse(tspod(['inspect', '--format', '{{json .Config.Healthcheck}}', 'fromimage']).stdout)).toEqual({ Test: ['CMD', 'true'], Interval: 1e9, Timeout: 5e9, Retries: 3 });
    const w = tspod(['wait', '--condition', 'healthy', 'fromimage']);
    expect(w).toMatchObject({ code: 0, stdout: '-1\n' });
    expect(status('fromimage')).toMatch(/\(healthy\)$/);
    expect(tspod(['run', '-d', '-q', '--name', 'nocheck', '--no-healthcheck', image, 'sleep', '1000']).code).toBe(0);
    expect(tspod(['inspect', '--format', '{{json .Config.Healthcheck}}', 'nocheck']).stdout).toBe('null\n');
    expect(status('nocheck')).toMatch(/^Up [^(]*$/);
    const none = tspod(['healthcheck', 'run', 'nocheck']);
    expect(none.code).toBe(125);
    expect(none.stderr).toMatch(/^Error: container [0-9a-f]{64} has no defined healthcheck\n$/);
    expect(tspod(['rm', '-f', '-t', '0', 'fromimage', 'nocheck']).code).toBe(0);
  });

  it('--health-on-failure restart restarts an unhealthy container; kill and stop still end it', async () => {
    expect(tspod(['run', '-d', '-q', '--name', 'flaky', '--health-cmd', 'false', '--health-interval', '1s', '--health-retries', '1', '--health-on-failure', 'restart', busybox, 'sleep', '1000']).code).toBe(0);
    const count = () => Number(tspod(['inspect', '--format', '{{.RestartCount}}', 'flaky']).stdout.trim());
    await until('RestartCount', count, (n) => n >= 2, 30000);
    expect(tspod(['kill', 'flaky']).code).toBe(0);
    await until('state', () => tspod(['inspect', '--format', '{{.State.Status}}', 'flaky']).stdout.trim(), (s) => s === 'exited', 10000);
    expect(tspod(['run', '-d', '-q', '--name', 'stopper', '--health-cmd', 'false', '--health-interval', '1s', '--health-retries', '1', '--health-on-failure', 'stop', '--stop-timeout', '1', busybox, 'sleep', '1000']).code).toBe(0);
    // sleep as PID 1 ignores SIGTERM: the stop ends in SIGKILL after --stop-timeout (10 s unless set).
    await until('state', () => tspod(['inspect', '--format', '{{.State.Status}}', 'stopper']).stdout.trim(), (s) => s === 'exited', 20000);
    expect(tspod(['inspect', '--format', '{{.RestartCount}}', 'stopper']).stdout).toBe('0\n');
    // stop ends the restarting too: the count stays where it was.
    expect(tspod(['run', '-d', '-q', '--name', 'flaky2', '--health-cmd', 'false', '--health-interval', '1s', '--health-retries', '1', '--health-on-failure', 'restart', busybox, 'sleep', '1000']).code).toBe(0);
    await until('RestartCount', () => Number(tspod(['inspect', '--format', '{{.RestartCount}}', 'flaky2']).stdout.trim()), (n) => n >= 1, 15000);
    expect(tspod(['stop', '-t', '1', 'flaky2']).code).toBe(0);
    const stoppedAt = tspod(['inspect', '--format', '{{.RestartCount}} {{.State.Status}}', 'flaky2']).stdout;
    expect(stoppedAt).toMatch(/^\d+ exited\n$/);
    await new Promise((r) => setTimeout(r, 2500));
    expect(tspod(['inspect', '--format', '{{.RestartCount}} {{.State.Status}}', 'flaky2']).stdout).toBe(stoppedAt);
    expect(tspod(['rm', '-f', '-t', '0', 'flaky', 'stopper', 'flaky2']).code).toBe(0);
  });

  it('kills a check that outlives its timeout, counts it as failed, and leaves no process of it behind', async () => {
    expect(tspod(['run', '-d', '-q', '--name', 'slow', '--health-cmd', 'sleep 30; true', '--health-interval', '1s', '--health-timeout', '1s', '--health-retries', '1', busybox, 'sleep', '1000']).code).toBe(0);
    await until('ps status', () => status('slow'), (s) => s.endsWith('(unhealthy)'), 10000);
    expect(health('slow').Log!.at(-1)).toMatchObject({ ExitCode: 1, Output: 'Health check exceeded timeout (1s)' });
    // No `sleep 30` of a killed check is left in the container (its own sleep 1000 is PID 1): a check
    // starts every second and is killed after one, so after three more rounds at most the running
    // one's shell and sleep are there (left alive, they would be four).
    await new Promise((r) => setTimeout(r, 3500));
    const ps = tspod(['exec', 'slow', 'ps', '-o', 'args']).stdout;
    expect(ps.split('\n').filter((l) => l === 'sleep 30').length).toBeLessThanOrEqual(1);
    expect(tspod(['rm', '-f', '-t', '0', 'slow']).code).toBe(0);
  });

  it('runs no checks while the container is stopped, and starts afresh when it starts again', async () => {
    expect(tspod(['run', '-d', '-q', '--name', 'pausing', '--health-cmd', 'true', '--health-interval', '1s', busybox, 'sleep', '1000']).code).toBe(0);
    await until('ps status', () => status('pausing'), (s) => s.endsWith('(healthy)'), 8000);
    expect(tspod(['stop', '-t', '0', 'pausing']).code).toBe(0);
    const file = tspod(['inspect', '--format', '{{.StaticDir}}', 'pausing']).stdout.trim() + '/health.json';
    const before = fs.readFileSync(file, 'utf8');
    await new Promise((r) => setTimeout(r, 2500));
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(health('pausing').Status).toBe('healthy'); // the last status stays to be read
    expect(tspod(['start', 'pausing']).code).toBe(0);
    expect(status('pausing')).toMatch(/\((starting|healthy)\)$/);
    await until('ps status', () => status('pausing'), (s) => s.endsWith('(healthy)'), 8000);
    expect(tspod(['rm', '-f', '-t', '0', 'pausing']).code).toBe(0);
  });

  it('refuses bad values with the flag named, creating nothing', () => {
    const before = tspod(['ps', '-aq']).stdout;
    expect(tspod(['run', '--rm', '--health-interval', '10ms', '--health-cmd', 'true', busybox, 'true'])).toMatchObject({ code: 125, stderr: 'Error: invalid --health-interval "10ms": it must be at least 1 second\n' });
    expect(tspod(['create', '--health-on-failure', 'panic', busybox])).toMatchObject({ code: 125, stderr: 'Error: invalid on-failure action "panic" for --health-on-failure: use none, kill, restart or stop\n' });
    expect(tspod(['create', '--health-startup-cmd', 'true', busybox]).stderr).toMatch(/a startup healthcheck needs a regular one/);
    expect(tspod(['ps', '-aq']).stdout).toBe(before);
  });
});
