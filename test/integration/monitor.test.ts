// The per-container monitor (conmon/), as the unprivileged user with the real runc: it outlives
// the process that started it, reports the container's pid or the runtime's error, becomes the
// parent of the container's PID 1, logs stdout/stderr in k8s-file format, and writes the exit code.
// The container commands that will drive it come with the containers issue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Store, appDir, mountedImage, registry } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

async function waitFor(file: string, ms = 20_000): Promise<string> {
  const deadline = Date.now() + ms;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return fs.readFileSync(file, 'utf8');
}

describe('monitor', () => {
  const store = new Store('monitor');
  const image = `${registry}/library/busybox`;
  let root = '';
  let config = '';
  let n = 0;
  beforeAll(() => {
    ({ root, config } = mountedImage(store, image));
    expect(root).toMatch(/merged$/);
  });
  afterAll(() => {
    store.tspod(['image', 'unmount', '--all']);
    store.cleanup();
  });
  const start = (cmd: string[]) => {
    const bundle = path.join(store.dir, `b${n++}`);
    const r = store.tspod(['unshare', 'node', path.join(appDir, 'dist', 'test', 'monitor-run.js'), appDir, root, bundle, config, '--', ...cmd]);
    expect(r.code, r.stderr).toBe(0);
    return { bundle, report: JSON.parse(r.stdout) as { data: number; message?: string; monitor: number; id: string } };
  };

  it('logs stdout and stderr as k8s-file lines and writes the exit code', async () => {
    const { bundle, report } = start(['sh', '-c', 'echo hello; echo oops >&2; printf "no newline"; exit 3']);
    expect(report.data).toBeGreaterThan(0);
    expect(await waitFor(path.join(bundle, 'exit'))).toBe('3');
    const lines = fs.readFileSync(path.join(bundle, 'ctr.log'), 'utf8').split('\n').filter(Boolean);
    expect(lines.map((l) => l.replace(/^\S+ /, ''))).toEqual(['stdout F hello', 'stderr F oops', 'stdout P no newline']);
    for (const l of lines) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /);
  });

  it('outlives the command that started it and is the parent of the container', async () => {
    const { bundle, report } = start(['sleep', '60']);
    const containerPid = Number(fs.readFileSync(path.join(bundle, 'container.pid'), 'utf8'));
    expect(containerPid).toBe(report.data);
    // The starter has exited; the monitor runs in a session of its own and reaps the container.
    const stat = fs.readFileSync(`/proc/${containerPid}/stat`, 'utf8');
    expect(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])).toBe(report.monitor);
    const mstat = fs.readFileSync(`/proc/${report.monitor}/stat`, 'utf8').slice(fs.readFileSync(`/proc/${report.monitor}/stat`, 'utf8').lastIndexOf(')') + 2).split(' ');
    expect(Number(mstat[3])).toBe(report.monitor); // session id = its own pid (setsid)
    expect(Number(fs.readFileSync(path.join(bundle, 'conmon.pid'), 'utf8'))).toBe(report.monitor);
    const rollup = fs.readFileSync(`/proc/${report.monitor}/smaps_rollup`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(rollup)![1]);
    const privateMiB = (kb('Private_Clean') + kb('Private_Dirty')) / 1024;
    console.log(`monitor private memory: ${privateMiB.toFixed(2)} MiB`);
    expect(privateMiB).toBeLessThan(64);
    process.kill(containerPid, 'SIGKILL');
    expect(await waitFor(path.join(bundle, 'exit'))).toBe('137');
    // Cleanup ran: the runtime forgot the container and the monitor is gone.
    await new Promise((r) => setTimeout(r, 300));
    // Gone, or a zombie waiting for its new parent (this machine's PID 1 reaps lazily).
    const gone = !fs.existsSync(`/proc/${report.monitor}`) || /\) Z /.test(fs.readFileSync(`/proc/${report.monitor}/stat`, 'utf8'));
    expect(gone).toBe(true);
    expect(store.tspod(['unshare', 'runc', '--root', path.join(bundle, 'state'), 'list', '-q']).stdout).toBe('');
  });

  it("reports the runtime's own error when the container cannot start", () => {
    const { bundle, report } = start(['nosuchcmd']);
    expect(report.data).toBe(-1);
    expect(report.message).toMatch(/exec: "nosuchcmd": executable file not found in \$PATH/);
    expect(fs.existsSync(path.join(bundle, 'exit'))).toBe(false);
    store.tspod(['unshare', 'umount', path.join(bundle, 'rootfs')]);
  });
});
