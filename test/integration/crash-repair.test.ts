// Crashes and their repair, as the unprivileged user: `run -d` and `rm` killed with -9 (the whole
// process group: tspod, its nsenter re-exec and their children) at random points while they work,
// after which one `ps` must show only states the processes bear out, and `rm -f`/`container prune`
// must leave no process, mount or directory behind; and running containers that stay fully
// manageable (exec, cp, top, stats, stop, rm) after their namespace holder was killed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Store, asUser, mirrorDockerHub, registry, tspodBin, userEnv } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small seeded generator, so that a failing run can be repeated (the seed is printed). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const store = new Store('crash');
let env: Record<string, string> = {};
const tspod = (args: string[], input?: string) => store.tspod(args, { env, input });
const uid = userEnv().uid;

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
});

afterAll(() => {
  tspod(['rm', '-af']);
  store.cleanup();
});

/** Starts tspod in a process group of its own and kills the whole group after delayMs; resolves once it is gone. */
async function killDuring(args: string[], delayMs: number): Promise<void> {
  const argv = asUser([tspodBin, '--root', store.root, '--runroot', store.runroot, ...args], env);
  const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: 'ignore' });
  const exited = new Promise((r) => child.on('exit', r));
  await Promise.race([sleep(delayMs), exited]);
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    /* it had finished */
  }
  await exited;
}

/** Milliseconds a command takes when nothing kills it. */
function timed(args: string[]): number {
  const t0 = Date.now();
  const r = tspod(args);
  expect(r.code, r.stderr).toBe(0);
  return Date.now() - t0;
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The test user's processes whose command line mentions text. */
function processesMentioning(text: string): Array<{ pid: number; cmdline: string }> {
  const out: Array<{ pid: number; cmdline: string }> = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (fs.statSync(`/proc/${name}`).uid !== uid) continue;
    } catch {
      continue;
    }
    const cmdline = read(`/proc/${name}/cmdline`).replace(/\0/g, ' ');
    if (cmdline.includes(text)) out.push({ pid: Number(name), cmdline });
  }
  return out;
}

/** The container's PID 1 as the runtime recorded it, if that process is still the container's (runc's init or our sleep). */
function containerProcess(id: string): number | undefined {
  const pid = Number(read(path.join(store.root, 'containers', id, 'userdata', 'container.pid')).trim());
  const stat = read(`/proc/${pid}/stat`);
  // A zombie has ended (this machine's PID 1 is slow to reap what it inherits).
  if (!pid || !stat || /^\S+ \(.*\) Z /.test(stat)) return undefined;
  const comm = read(`/proc/${pid}/comm`).trim(); // runc's init is "runc:[2:INIT]" until started
  return comm.startsWith('runc:[') || read(`/proc/${pid}/cmdline`) === 'sleep\u00001000\u0000' ? pid : undefined;
}

function holderPid(): number | undefined {
  const pid = Number(read(path.join(store.runroot, 'pause.pid')).split(' ')[0]);
  return pid && fs.existsSync(`/proc/${pid}`) ? pid : undefined;
}

/** What `ps -a` says: full ID → state. */
function psStates(): Map<string, string> {
  const ps = tspod(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.State}}']);
  expect(ps.code, ps.stderr).toBe(0);
  return new Map(ps.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]));
}

/**
 * Every way in which what ps says and what runs disagree, as readable lines. settling: a monitor
 * that has written the exit file may still be running the cleanup (and its network helper ends
 * with it), as conmon does for Podman.
 */
function untruths(states: Map<string, string>, settling = false): string[] {
  const wrong: string[] = [];
  for (const [id, state] of states) {
    const monitors = processesMentioning(`"id":"${id}"`).filter((p) => p.cmdline.includes('conmon.js'));
    const helpers = processesMentioning(path.join(store.runroot, 'netns', id)).filter((p) => /slirp4netns|pasta/.test(p.cmdline));
    const init = containerProcess(id);
    const short = id.slice(0, 12);
    if (state === 'running') {
      if (monitors.length !== 1) wrong.push(`${short} running with ${monitors.length} monitors`);
      if (!init || !read(`/proc/${init}/cmdline`).startsWith('sleep')) wrong.push(`${short} running but its command does not run (${init ? read(`/proc/${init}/comm`).trim() : 'no process'})`);
    } else {
      if (!['created', 'exited'].includes(state)) wrong.push(`${short} is ${state}`);
      if (settling && state === 'exited' && fs.existsSync(path.join(store.runroot, 'containers', id, 'exit'))) continue;
      if (monitors.length) wrong.push(`${short} ${state} with a monitor (${monitors.map((m) => m.pid).join(' ')})`);
      if (helpers.length) wrong.push(`${short} ${state} with a network helper (${helpers.map((m) => m.pid).join(' ')})`);
      if (init) wrong.push(`${short} ${state} with its process ${init} alive`);
    }
  }
  return wrong;
}

/** Overlay mounts under this store in the holder's mount namespace. */
function storeMounts(): string[] {
  const holder = holderPid();
  if (!holder) return [];
  return read(`/proc/${holder}/mountinfo`).split('\n').filter((l) => l.includes(store.root) || l.includes(store.runroot));
}

function entries(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

describe('crash repair', () => {
  it('tells the truth and leaves nothing behind after run -d and rm are killed at random points', async () => {
    const seed = Number(process.env.TSPOD_CRASH_SEED ?? Date.now() % 100_000);
    const rand = random(seed);
    console.log(`crash loop seed ${seed} (TSPOD_CRASH_SEED=${seed} repeats it)`);
    const loopStart = Date.now();
    const runMs = timed(['run', '-d', '--name', 'warm', 'busybox', 'sleep', '1000']);
    const rmMs = timed(['rm', '-f', 'warm']);
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      const delay = Math.round((0.1 + 0.9 * rand()) * runMs);
      delays.push(delay);
      await killDuring(['run', '-d', '--name', `run-${i}`, 'busybox', 'sleep', '1000'], delay);
    }
    for (let i = 0; i < 20; i++) {
      const r = tspod(['run', '-d', '--name', `rm-${i}`, 'busybox', 'sleep', '1000']);
      expect(r.code, r.stderr).toBe(0);
      const delay = Math.round((0.05 + 0.95 * rand()) * rmMs);
      delays.push(delay);
      await killDuring(['rm', '-f', `rm-${i}`], delay);
    }
    console.log(`crash loop: run -d ${runMs} ms, rm -f ${rmMs} ms when not killed; 40 kills in ${Date.now() - loopStart} ms; delays ${delays.join(' ')}`);

    const states = psStates();
    console.log(`after one ps: ${[...states.values()].sort().join(' ')}`);
    expect(untruths(states, true)).toEqual([]);
    // The monitors of containers that have just exited finish their cleanup and end.
    const settled = Date.now() + 15_000;
    while (untruths(states).length && Date.now() < settled) await sleep(250);
    expect(untruths(states)).toEqual([]);
    // What the repair left mounted (rootfs, network namespace) is released by the cleanup it starts.
    const heldMounts = () => storeMounts().filter((l) => [...states].some(([id, s]) => s !== 'running' && l.includes(id)));
    const released = Date.now() + 15_000;
    while (heldMounts().length && Date.now() < released) await sleep(250);
    expect(heldMounts()).toEqual([]);
    // Every container ps calls running can be stopped, and then is stopped.
    const running = [...states].filter(([, s]) => s === 'running').map(([id]) => id);
    if (running.length) {
      const stop = tspod(['stop', '-t', '0', ...running]);
      expect(stop.code, stop.stderr).toBe(0);
      // Stopped: each monitor still runs the cleanup after recording the exit, then ends.
      expect(untruths(psStates(), true)).toEqual([]);
      const until = Date.now() + 15_000;
      while (untruths(psStates()).length && Date.now() < until) await sleep(250);
      expect(untruths(psStates())).toEqual([]);
      expect([...psStates()].filter(([id, s]) => running.includes(id) && s !== 'exited')).toEqual([]);
    }

    // rm -f and container prune remove everything: no row, process, mount or directory remains.
    const pidFiles = entries(path.join(store.root, 'containers')).map((id) => path.join(store.root, 'containers', id, 'userdata', 'container.pid'));
    const pids1 = pidFiles.map((f) => Number(read(f).trim())).filter((pid) => pid > 0);
    const prune = tspod(['container', 'prune', '-f']);
    expect(prune.code, prune.stderr).toBe(0);
    const rm = tspod(['rm', '-af']);
    expect(rm.code, rm.stderr).toBe(0);
    expect(tspod(['ps', '-a', '-q']).stdout).toBe('');
    const deadline = Date.now() + 10_000;
    while (processesMentioning(store.dir).length && Date.now() < deadline) await sleep(100);
    expect(processesMentioning(store.dir).map((p) => p.cmdline)).toEqual([]);
    expect(storeMounts()).toEqual([]);
    // No container process is left either: runc's init (whose command line names no path) or the command.
    const containerLike = (pid: number) => {
      const stat = read(`/proc/${pid}/stat`);
      if (stat === '' || /^\S+ \(.*\) Z /.test(stat)) return false;
      return read(`/proc/${pid}/comm`).startsWith('runc:[') || read(`/proc/${pid}/cmdline`) === 'sleep\u00001000\u0000';
    };
    expect(pids1.length).toBeGreaterThan(0);
    expect(pids1.filter(containerLike)).toEqual([]);
    expect(entries(path.join(store.root, 'containers'))).toEqual([]);
    expect(entries(path.join(store.runroot, 'containers'))).toEqual([]);
    expect(entries(path.join(store.runroot, 'netns'))).toEqual([]);
    const locks = path.join(store.runroot, 'locks');
    expect(entries(locks).map((f) => `${f} (${Math.round(Date.now() - fs.statSync(path.join(locks, f)).mtimeMs)} ms old)`)).toEqual([]);
    expect(entries(path.join(store.runroot, 'sock'))).toEqual([]);
  }, 240_000);

  it('shows Removing while a removal works, and makes a removal killed midway removable', async () => {
    const run = tspod(['run', '-d', '--name', 'big', 'busybox', 'sh', '-c', 'mkdir /d && cd /d && i=0 && while [ $i -lt 30000 ]; do : > f$i; i=$((i+1)); done && sleep 1000']);
    expect(run.code, run.stderr).toBe(0);
    const filled = Date.now() + 60_000;
    while (tspod(['exec', 'big', 'ls', '/d/f29999']).code !== 0 && Date.now() < filled) await sleep(500);
    expect(tspod(['stop', '-t', '0', 'big']).code).toBe(0);
    const state = () => tspod(['ps', '-a', '--filter', 'name=big', '--format', '{{.State}}']).stdout.trim();
    const argv = asUser([tspodBin, '--root', store.root, '--runroot', store.runroot, 'rm', 'big'], env);
    const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    let seen = '';
    const deadline = Date.now() + 20_000;
    while (seen !== 'removing' && Date.now() < deadline) seen = state();
    expect(seen).toBe('removing'); // the remover is at work: that is the truth
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    expect(state()).toBe('exited');
    expect(tspod(['inspect', '--format', '{{.State.Error}}', 'big']).stdout).toBe('its removal was interrupted: remove it again (tspod rm big)\n');
    const rm = tspod(['rm', 'big']);
    expect(rm.code, rm.stderr).toBe(0);
    expect(tspod(['container', 'exists', 'big']).code).toBe(1);
    expect(fs.existsSync(path.join(store.root, 'containers', run.stdout.trim()))).toBe(false);
  }, 120_000);

  it('makes a container a killed stop left Stopping running again, and stoppable', async () => {
    // PID 1 of a PID namespace ignores SIGTERM it has no handler for: the stop waits its timeout.
    const run = tspod(['run', '-d', '--name', 'stubborn', 'busybox', 'sleep', '1000']);
    expect(run.code, run.stderr).toBe(0);
    const argv = asUser([tspodBin, '--root', store.root, '--runroot', store.runroot, 'stop', '-t', '30', 'stubborn'], env);
    const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    const state = () => tspod(['ps', '-a', '--filter', 'name=stubborn', '--format', '{{.State}}']).stdout.trim();
    let seen = '';
    const deadline = Date.now() + 20_000;
    while (seen !== 'stopping' && Date.now() < deadline) seen = state();
    expect(seen).toBe('stopping');
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    expect(state()).toBe('running');
    expect(tspod(['exec', 'stubborn', 'echo', 'alive']).stdout).toBe('alive\n');
    const stop = tspod(['stop', '-t', '0', 'stubborn']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(state()).toBe('exited');
    expect(tspod(['rm', 'stubborn']).code).toBe(0);
  }, 120_000);

  it('collects what a run killed before it wrote its row left, and never what a run at work has made', async () => {
    // A registry that accepts connections and never answers: the run makes its directories, then
    // waits in the pull, before it writes the container's row.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const runDirs = path.join(store.runroot, 'containers');
    const before = new Set(entries(runDirs));
    const argv = asUser([tspodBin, '--root', store.root, '--runroot', store.runroot, 'run', '-d', '--name', 'early', `127.0.0.1:${port}/busybox`, 'sleep', '1000'], env);
    const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    try {
      let id: string | undefined;
      const deadline = Date.now() + 20_000;
      while (!id && Date.now() < deadline) {
        id = entries(runDirs).find((d) => !before.has(d));
        if (!id) await sleep(20);
      }
      expect(id).toMatch(/^[0-9a-f]{64}$/);
      await sleep(5_500); // older than the few seconds a run's directories are always spared
      // While the run is at work, its directories are its own: prune leaves them.
      expect(tspod(['container', 'prune', '-f']).code).toBe(0);
      expect(fs.existsSync(path.join(runDirs, id!))).toBe(true);
      expect(tspod(['system', 'check']).stdout).toContain('ok       container files: every container file belongs to a container\n');
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
      await sleep(500); // its monitor, waiting for "go", ends when the run's pipe closes
      expect(tspod(['container', 'exists', 'early']).code).toBe(1);
      expect(fs.existsSync(path.join(store.root, 'containers', id!))).toBe(true);
      const check = tspod(['system', 'check']);
      expect(check.stdout).toContain(`warning  container files: files of 1 container without a row (left by a command that was killed): ${id!.slice(0, 12)}\n         fix: remove them with "tspod container prune"\n`);
      const prune = tspod(['container', 'prune', '-f']);
      expect(prune.code, prune.stderr).toBe(0);
      expect(fs.existsSync(path.join(store.root, 'containers', id!))).toBe(false);
      expect(fs.existsSync(path.join(runDirs, id!))).toBe(false);
      expect(tspod(['system', 'check']).stdout).toContain('ok       container files: every container file belongs to a container\n');
    } finally {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* ended */
      }
      silent.close();
    }
  }, 60_000);

  it('keeps a running container fully manageable after its namespace holder is killed', async () => {
    const run = tspod(['run', '-d', '--name', 'orphaned', 'busybox', 'sleep', '1000']);
    expect(run.code, run.stderr).toBe(0);
    process.kill(holderPid()!, 'SIGKILL');
    await sleep(200);

    const exec = tspod(['exec', 'orphaned', 'sh', '-c', 'echo in $(hostname)']);
    expect(exec.stderr).toBe('');
    expect(exec.stdout).toBe(`in ${run.stdout.trim().slice(0, 12)}\n`);
    expect(exec.code).toBe(0);

    const file = path.join(store.dir, 'note.txt');
    fs.writeFileSync(file, 'kept\n');
    fs.chmodSync(file, 0o644);
    const into = tspod(['cp', file, 'orphaned:/note.txt']);
    expect(into.stderr).toBe('');
    expect(into.code).toBe(0);
    expect(tspod(['exec', 'orphaned', 'cat', '/note.txt']).stdout).toBe('kept\n');
    const out = path.join(store.dir, 'out');
    fs.mkdirSync(out);
    fs.chownSync(out, userEnv().uid, userEnv().gid);
    const from = tspod(['cp', 'orphaned:/note.txt', `${out}/back.txt`]);
    expect(from.stderr).toBe('');
    expect(from.code).toBe(0);
    expect(fs.readFileSync(`${out}/back.txt`, 'utf8')).toBe('kept\n');

    const top = tspod(['top', 'orphaned', 'user', 'pid', 'args']);
    expect(top.stderr).toBe('');
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^USER\s+PID\s+COMMAND\nroot\s+1\s+sleep 1000\n/);

    const stats = tspod(['stats', '--no-stream', '--format', '{{.Name}} {{.PIDs}} {{.MemUsage}}', 'orphaned']);
    expect(stats.stderr).toBe('');
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/^orphaned 1 \d+(\.\d+)?[kMG]?B \/ /);
    expect(stats.stdout).not.toMatch(/--/);

    // A container started in the new namespace and the orphaned one side by side.
    const fresh = tspod(['run', '-d', '--name', 'fresh', 'busybox', 'sleep', '1000']);
    expect(fresh.code, fresh.stderr).toBe(0);
    const all = tspod(['stats', '--no-stream', '--format', '{{.Name}} {{.PIDs}}']);
    expect(all.stdout.split('\n').filter(Boolean).sort()).toEqual(['fresh 1', 'orphaned 1']);
    expect(tspod(['exec', 'fresh', 'echo', 'ok']).stdout).toBe('ok\n');

    const stop = tspod(['stop', '-t', '0', 'orphaned']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(tspod(['ps', '-a', '--format', '{{.Names}} {{.State}}', '--filter', 'name=orphaned']).stdout).toBe('orphaned exited\n');
    const rm = tspod(['rm', '-f', 'orphaned', 'fresh']);
    expect(rm.code, rm.stderr).toBe(0);
    expect(tspod(['ps', '-a', '-q']).stdout).toBe('');
  }, 120_000);
});
