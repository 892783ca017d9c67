// bin/tspod, the shell launcher, as the unprivileged test user: a command that works inside the
// user namespace starts node once, already inside, when the holder lives; every other case takes
// the long way (node outside, then nsenter) and behaves as before; --version is answered as node
// answers it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Store, appDir, registry, run, tspodBin, userTempDir } from './harness';

const image = `${registry}/library/busybox`;
const store = new Store('launcher');
const traces = userTempDir('launcher-traces');

beforeAll(() => {
  const r = store.tspod(['pull', '-q', image]);
  if (r.code !== 0) throw new Error(r.stderr);
});
afterAll(() => {
  store.cleanup();
  fs.rmSync(traces, { recursive: true, force: true });
});

/** The programs that args started, in order, through strace (as the user): each execve'd path. */
function programsStarted(args: string[], env: Record<string, string> = {}): { code: number; stderr: string; programs: string[] } {
  const out = path.join(traces, `trace-${Date.now()}`);
  const r = run(['strace', '-f', '-qq', '-e', 'trace=execve', '-e', 'signal=none', '-o', out, tspodBin, '--root', store.root, '--runroot', store.runroot, ...args], { env });
  const programs = fs
    .readFileSync(out, 'utf8')
    .split('\n')
    .filter((l) => /execve\("[^"]+", .*\) = 0$/.test(l))
    .map((l) => /execve\("([^"]+)"/.exec(l)![1]);
  return { code: r.code, stderr: r.stderr, programs };
}

const isNode = (p: string) => path.basename(p) === 'node';

describe('bin/tspod', () => {
  it('enters the live holder itself: node never starts outside the namespace', () => {
    expect(store.tspod(['create', '--name', 'c1', image, 'true']).code).toBe(0);
    const t = programsStarted(['rm', 'c1']);
    expect(t.code).toBe(0);
    expect(t.programs[0]).toBe(tspodBin);
    expect(path.basename(t.programs[1])).toBe('nsenter');
    expect(isNode(t.programs[2])).toBe(true);
    expect(t.programs.filter(isNode)).toHaveLength(1);
    expect(store.tspod(['container', 'exists', 'c1']).code).toBe(1);
  });

  it('runs a container the same way, and keeps its exit code', () => {
    const t = programsStarted(['run', '--rm', image, 'sh', '-c', 'exit 3']);
    expect(t.code).toBe(3);
    expect(t.programs.slice(0, 3).map((p) => path.basename(p))).toEqual(['tspod', 'nsenter', 'node']);
  });

  it('takes the long way when asked, when a flag after the verb names the runroot, and when the holder is gone', () => {
    expect(store.tspod(['create', '--name', 'c2', image, 'true']).code).toBe(0);
    const asked = programsStarted(['rm', 'c2'], { TSPOD_NO_LAUNCHER: '1' });
    expect(asked.code).toBe(0);
    expect(isNode(asked.programs[1])).toBe(true);
    expect(asked.programs.filter(isNode)).toHaveLength(2);

    expect(store.tspod(['create', '--name', 'c3', image, 'true']).code).toBe(0);
    const late = run([tspodBin, '--root', store.root, 'rm', '--runroot', store.runroot, 'c3']);
    expect(late).toEqual({ code: 0, stdout: 'c3\n', stderr: '' });

    expect(store.tspod(['create', '--name', 'c4', image, 'true']).code).toBe(0);
    const [pid] = fs.readFileSync(path.join(store.runroot, 'pause.pid'), 'utf8').split(' ');
    process.kill(Number(pid), 'SIGKILL');
    // (Not traced: a traced newuidmap runs without its setuid bit and cannot map a new namespace.)
    expect(store.tspod(['rm', 'c4'])).toEqual({ code: 0, stdout: 'c4\n', stderr: '' });
    expect(fs.readFileSync(path.join(store.runroot, 'pause.pid'), 'utf8').split(' ')[0]).not.toBe(pid);
  });

  it('sends exec through node outside while a container lives in the namespace of a killed holder, straight in again once it is gone', () => {
    expect(store.tspod(['run', '-d', '--name', 'old', image, 'sleep', '1000']).code).toBe(0);
    const straight = programsStarted(['exec', 'old', 'true']);
    expect(straight.code).toBe(0);
    expect(path.basename(straight.programs[1])).toBe('nsenter');

    const [pid] = fs.readFileSync(path.join(store.runroot, 'pause.pid'), 'utf8').split(' ');
    process.kill(Number(pid), 'SIGKILL');
    expect(store.tspod(['run', '-d', '--name', 'new', image, 'sleep', '1000']).code).toBe(0);
    const others = path.join(store.runroot, 'pause.pid.others');
    expect(fs.existsSync(others)).toBe(true);
    for (const name of ['old', 'new']) {
      const t = programsStarted(['exec', name, 'hostname']);
      expect({ code: t.code, stderr: t.stderr }).toEqual({ code: 0, stderr: '' });
      expect(isNode(t.programs[1])).toBe(true);
    }
    expect(store.tspod(['exec', 'old', 'hostname']).stdout).toBe(`${store.tspod(['inspect', '--format', '{{.Id}}', 'old']).stdout.slice(0, 12)}\n`);

    expect(store.tspod(['rm', '-f', '-t', '0', 'old']).code).toBe(0);
    expect(store.tspod(['exec', 'new', 'true']).code).toBe(0);
    expect(fs.existsSync(others)).toBe(false);
    const again = programsStarted(['exec', 'new', 'true']);
    expect(again.code).toBe(0);
    expect(path.basename(again.programs[1])).toBe('nsenter');
    expect(store.tspod(['rm', '-f', '-t', '0', 'new']).code).toBe(0);
  });

  it('answers --version as node does, with or without global flags', () => {
    const fromNode = run(['node', '--', path.join(appDir, 'bin', 'tspod.js'), '--version']);
    expect(fromNode.code).toBe(0);
    expect(fromNode.stdout).toMatch(/^tspod version \S+\n$/);
    expect(run([tspodBin, '--version'])).toEqual(fromNode);
    expect(store.tspod(['-v'])).toEqual(fromNode);
    const t = programsStarted(['--version']);
    expect(t.programs).toEqual([tspodBin]);
    expect(store.tspod(['--log-level', 'bogus', '--version']).code).toBe(125);
  });
});
