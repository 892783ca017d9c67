// Containers end to end as the unprivileged user, with the real runc, overlay, monitor and the
// local registry standing in for Docker Hub (a registries.conf mirror, so `debian` is the real
// short-name path): interactive shells in a real terminal (tmux), stdin, exit codes, detached
// containers that outlive their terminal, logs, exec, stop, a killed monitor, concurrency, and the
// errors a user meets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Store, Terminal, asUser, mirrorDockerHub, registry, runConcurrently, tspodBin, userEnv } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined | false, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

const store = new Store('containers');
let env: Record<string, string> = {};
const tspod = (args: string[], input?: string) => store.tspod(args, { env, input });

beforeAll(() => {
  env = mirrorDockerHub(store, ['debian', 'busybox']);
});

afterAll(() => {
  tspod(['rm', '-af']);
  store.cleanup();
});

const tspodLine = (args: string) => `env ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} ${tspodBin} --root ${store.root} --runroot ${store.runroot} ${args}`;

describe('interactive containers', () => {
  it('gives a shell in a real terminal: tty, job control, resize, exit code, and nothing left behind', async () => {
    const term = new Terminal('it');
    const exitFile = path.join(store.dir, 'it-exit');
    try {
      term.start(`${tspodLine('run --rm -it --name shell debian bash')}; echo "tspod-exit=$?" > ${exitFile}`);
      await term.waitFor(/root@[0-9a-f]{12}:\/# $/m);
      term.type('tty');
      await term.waitFor(/^\/dev\/pts\/\d+$/m);
      term.type('sleep 100 &');
      await term.waitFor(/^\[1\] \d+$/m);
      term.type('fg');
      await term.waitFor(/^sleep 100$/m);
      term.keys('C-c');
      term.type('echo "after-ctrl-c=$?"');
      await term.waitFor(/^after-ctrl-c=130$/m);
      term.type('stty size');
      await term.waitFor(/^30 100$/m);
      term.resize(80, 24);
      await sleep(300);
      term.type('stty size');
      await term.waitFor(/^24 80$/m);
      term.type('exit 3');
      const code = await until('tspod to exit', () => fs.existsSync(exitFile) && fs.readFileSync(exitFile, 'utf8'));
      expect(code.trim()).toBe('tspod-exit=3');
    } finally {
      term.kill();
    }
    expect(tspod(['ps', '-a', '--format', '{{.Names}}']).stdout).not.toMatch(/^shell$/m);
    expect(tspod(['container', 'exists', 'shell']).code).toBe(1);
    // Its writable layer and bundle are gone, and nothing is mounted for it.
    expect(fs.readdirSync(path.join(store.root, 'containers'))).toEqual([]);
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(path.join(store.root, 'containers'));
  });

  it('passes stdin through and EOF on, and returns the exit codes of the command', () => {
    const hi = tspod(['run', '--rm', '-i', 'debian', 'cat'], 'hi\n');
    expect(hi.stderr).toBe('');
    expect(hi.stdout).toBe('hi\n');
    expect(hi.code).toBe(0);
    expect(tspod(['run', '--rm', 'debian', 'sh', '-c', 'exit 7']).code).toBe(7);
    const missing = tspod(['run', '--rm', 'debian', 'nosuchcmd']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toMatch(/^Error: runc: .*nosuchcmd.*(not found|no such file)/m);
    const notExec = tspod(['run', '--rm', 'debian', '/etc/passwd']);
    expect(notExec.code).toBe(126);
    expect(tspod(['ps', '-a', '-q']).stdout).toBe('');
  });

  it('runs with the flags a user gives: env, workdir, user, entrypoint, hostname, labels, read-only, init', () => {
    const envFile = path.join(store.dir, 'env.list');
    fs.writeFileSync(envFile, '# comment\nFROM_FILE=a b "c"\n');
    fs.chmodSync(envFile, 0o644);
    const r = tspod(['run', '--rm', '-e', 'ONE=1', '--env-file', envFile, '-w', '/tmp', '-u', 'nobody', '--hostname', 'box', 'debian', 'sh', '-c', 'echo "$ONE|$FROM_FILE|$(pwd)|$(id -un)|$(hostname)"']);
    expect(r.stdout).toBe('1|a b "c"|/tmp|nobody|box\n');
    expect(tspod(['run', '--rm', '--entrypoint', 'echo', 'busybox', 'via', 'entrypoint']).stdout).toBe('via entrypoint\n');
    const ro = tspod(['run', '--rm', '--read-only', 'busybox', 'touch', '/x']);
    expect(ro.code).toBe(1);
    expect(ro.stderr).toMatch(/Read-only file system/);
    expect(tspod(['run', '--rm', '--init', 'busybox', 'sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "']).stdout).toMatch(/^\/run\/tspod-init -- sh -c/);
    const caps = tspod(['run', '--rm', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', 'busybox', 'grep', '-E', '^(CapEff|NoNewPrivs)', '/proc/self/status']);
    expect(caps.stdout).toBe('CapEff:\t0000000000000000\nNoNewPrivs:\t1\n');
  });

  it('reads values joined to short flags as Podman does: -eK=V -uroot -w/tmp, -dp, stop -t0, rm -ft0', () => {
    const r = tspod(['run', '--rm', '-eONE=1', '-unobody', '-w/tmp', 'busybox', 'sh', '-c', 'echo "$ONE|$(id -un)|$(pwd)"']);
    expect(r).toEqual({ code: 0, stdout: '1|nobody|/tmp\n', stderr: '' });
    const d = tspod(['run', '-dp18431:80', '--name', 'joined', 'busybox', 'sleep', '1000']);
    expect(d.code, d.stderr).toBe(0);
    expect(tspod(['port', 'joined']).stdout).toBe('80/tcp -> 0.0.0.0:18431\n');
    expect(tspod(['stop', '-t0', 'joined'])).toEqual({ code: 0, stdout: 'joined\n', stderr: '' });
    expect(tspod(['rm', '-ft0', 'joined'])).toEqual({ code: 0, stdout: 'joined\n', stderr: '' });
  });

  it('exits as Podman does when removing: 1 for a name not found, 2 for a running container, 0 and silence with --force', () => {
    expect(tspod(['rm', 'nosuch'])).toEqual({ code: 1, stdout: '', stderr: 'Error: no container with name or ID "nosuch" found: no such container\n' });
    expect(tspod(['rm', '-f', 'nosuch'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(tspod(['run', '-d', '--name', 'busy', 'busybox', 'sleep', '1000']).code).toBe(0);
    const running = tspod(['rm', 'busy']);
    expect(running.code).toBe(2);
    expect(running.stderr).toMatch(/as it is running - running or paused containers cannot be removed without force: container state improper\n$/);
    expect(tspod(['rm', 'busy', 'nosuch']).code).toBe(1);
    expect(tspod(['rm', '-f', '-t', '0', 'busy', 'nosuch'])).toEqual({ code: 0, stdout: 'busy\n', stderr: '' });
    for (const verb of [['rmi'], ['volume', 'rm'], ['network', 'rm']]) {
      expect(tspod([...verb, 'nosuch']).code).toBe(1);
      expect(tspod([...verb, '-f', 'nosuch'])).toEqual({ code: 0, stdout: '', stderr: '' });
    }
  });
});

describe('detached containers', () => {
  it('returns the ID at once, outlives its terminal, logs, execs, and stops a process that ignores SIGTERM', async () => {
    const term = new Terminal('detach');
    const idFile = path.join(store.dir, 'web.id');
    try {
      term.start(`${tspodLine("run -d --name web -l app=web busybox sh -c 'trap \"\" TERM; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done'")} > ${idFile}; exec sleep 60`);
      await until('the ID', () => fs.existsSync(idFile) && /^[0-9a-f]{64}\n$/.test(fs.readFileSync(idFile, 'utf8')));
    } finally {
      term.kill(); // the terminal that started it is gone
    }
    const id = fs.readFileSync(idFile, 'utf8').trim();
    await sleep(500);
    const ps = tspod(['ps', '--format', '{{.ID}} {{.Names}} {{.Status}}']);
    expect(ps.stdout).toMatch(new RegExp(`^${id.slice(0, 12)} web Up `, 'm'));
    expect(tspod(['ps', '--filter', 'label=app=web', '-q']).stdout).toBe(`${id.slice(0, 12)}\n`);
    const inspect = JSON.parse(tspod(['inspect', 'web']).stdout)[0];
    expect(inspect.Id).toBe(id);
    expect(inspect.State.Running).toBe(true);
    expect(inspect.State.Pid).toBeGreaterThan(0);
    expect(fs.readFileSync(`/proc/${inspect.State.Pid}/cmdline`, 'utf8')).toMatch(/^sh\0-c/);

    // logs -f follows new output as it comes.
    const follow = runConcurrently([[tspodBin, '--root', store.root, '--runroot', store.runroot, 'logs', '-f', 'web']], { env });
    const logs = tspod(['logs', '--tail', '2', 'web']);
    expect(logs.stdout).toMatch(/^tick \d+\ntick \d+\n$/);
    expect(tspod(['logs', '-t', '--tail', '1', 'web']).stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z tick \d+\n$/);

    const ex = tspod(['exec', '-e', 'X=y', 'web', 'sh', '-c', 'echo $X; exit 4']);
    expect(ex.stdout).toBe('y\n');
    expect(ex.code).toBe(4);
    expect(tspod(['exec', 'web', 'nosuchcmd']).code).toBe(127);
    expect(tspod(['exec', '-u', 'nobody', '-w', '/tmp', 'web', 'sh', '-c', 'echo $(id -un) $(pwd)']).stdout).toBe('nobody /tmp\n');
    expect(tspod(['exec', '-i', 'web', 'cat'], 'through exec\n').stdout).toBe('through exec\n');

    const started = Date.now();
    const stop = tspod(['stop', '-t', '2', 'web']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toBe('web\n');
    expect(stop.stderr).toMatch(/StopSignal SIGTERM failed to stop container web in 2 seconds, resorting to SIGKILL/);
    expect(Date.now() - started).toBeGreaterThan(1900);
    const [followed] = await follow;
    expect(followed.code).toBe(0);
    const ticks = followed.stdout.trim().split('\n');
    expect(ticks.length).toBeGreaterThan(5);
    expect(ticks.at(-1)).toMatch(/^tick \d+$/);
    expect(tspod(['ps', '-a', '--format', '{{.Names}} {{.Status}}']).stdout).toMatch(/^web Exited \(137\) /m);
    expect(tspod(['wait', 'web']).stdout).toBe('137\n');
    expect(tspod(['ps', '-q']).stdout).toBe('');
  });

  it('exec -it gives a shell in a running container', async () => {
    expect(tspod(['run', '-d', '--name', 'ex', 'busybox', 'sleep', '1000']).code).toBe(0);
    const term = new Terminal('exec');
    try {
      term.start(tspodLine('exec -it ex sh'));
      await term.waitFor(/# $/m);
      term.type('echo "pid1=$(cat /proc/1/comm) tty=$(tty)"');
      await term.waitFor(/^pid1=sleep tty=\/dev\/pts\/\d+$/m);
      term.type('exit');
    } finally {
      term.kill();
    }
    expect(tspod(['rm', '-f', 'ex']).stdout).toBe('ex\n');
  });

  it('removes a --rm container even when the tspod run attached to it is killed', async () => {
    const running = runConcurrently([[tspodBin, '--root', store.root, '--runroot', store.runroot, 'run', '--rm', '--name', 'doomed', 'busybox', 'sleep', '2']], { env });
    await until('the container to run', () => /^doomed running$/m.test(tspod(['ps', '--format', '{{.Names}} {{.State}}']).stdout));
    // Both tspod processes (outside and inside the namespace) die; the monitor is left alone.
    spawnSync('pkill', ['-KILL', '-f', 'run --rm --name doomed']);
    await running;
    await until('the monitor to remove it', () => tspod(['container', 'exists', 'doomed']).code === 1, 15_000);
  });

  it('notices a monitor killed with -9 at the next command, and rm cleans up', async () => {
    const id = tspod(['run', '-d', '--name', 'orphan', 'busybox', 'sleep', '1000']).stdout.trim();
    const data = JSON.parse(tspod(['inspect', id]).stdout)[0];
    const monitor = data.State.ConmonPid as number;
    const pid = data.State.Pid as number;
    expect(monitor).toBeGreaterThan(0);
    process.kill(monitor, 'SIGKILL');
    await until('the monitor to die', () => !fs.existsSync(`/proc/${monitor}`) || /\) Z /.test(fs.readFileSync(`/proc/${monitor}/stat`, 'utf8')));
    const ps = tspod(['ps', '-a', '--format', '{{.Names}} {{.State}}']);
    expect(ps.stdout).toMatch(/^orphan exited$/m);
    const after = JSON.parse(tspod(['inspect', id]).stdout)[0];
    expect(after.State.Error).toMatch(/monitor .* died/);
    await until('the container to be killed', () => !fs.existsSync(`/proc/${pid}`) || /\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')));
    const rm = tspod(['rm', 'orphan']);
    expect(rm.code, rm.stderr).toBe(0);
    expect(fs.existsSync(path.join(store.root, 'containers', id))).toBe(false);
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(id);
  });

  it('runs 16 containers started at once, all listed, then stops them all', async () => {
    const results = await runConcurrently(Array.from({ length: 16 }, (_, i) => [tspodBin, '--root', store.root, '--runroot', store.runroot, 'run', '-d', '--name', `c${i}`, 'busybox', 'sleep', '1000']), { env });
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const names = tspod(['ps', '--format', '{{.Names}}']).stdout.trim().split('\n').sort();
    expect(names).toEqual(Array.from({ length: 16 }, (_, i) => `c${i}`).sort());
    expect(tspod(['ps', '-n', '3', '-q']).stdout.trim().split('\n')).toHaveLength(3);
    expect(tspod(['ps', '-l', '--format', '{{.Names}}']).stdout).toMatch(/^c\d+\n$/);
    const json = JSON.parse(tspod(['ps', '--format', 'json']).stdout) as Array<{ Names: string[]; State: string; Pid: number }>;
    expect(json).toHaveLength(16);
    for (const e of json) expect(e.State).toBe('running');
    const stop = tspod(['stop', '-a', '-t', '0']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(tspod(['ps', '-q']).stdout).toBe('');
    expect(tspod(['ps', '-a', '--filter', 'status=exited', '--filter', 'name=^c\\d+$', '-q']).stdout.trim().split('\n')).toHaveLength(16);
    const rm = tspod(['rm', '-a']);
    expect(rm.code, rm.stderr).toBe(0);
    expect(tspod(['ps', '-aq']).stdout).toBe('');
  });

  it('runs 32 unnamed containers at once and removes them 32 at once, with no error and nothing left', async () => {
    const base = [tspodBin, '--root', store.root, '--runroot', store.runroot];
    // Unnamed: each picks a free name, and two picking the same one at once must not fail.
    const runs = await runConcurrently(Array.from({ length: 32 }, () => [...base, 'run', '-d', 'busybox', 'sleep', '1000']), { env });
    for (const r of runs) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const ids = runs.map((r) => r.stdout.trim());
    expect(new Set(ids).size).toBe(32);
    const names = tspod(['ps', '--format', '{{.Names}}']).stdout.trim().split('\n');
    expect(new Set(names).size).toBe(32);
    const rms = await runConcurrently(ids.map((id) => [...base, 'rm', '-f', '-t', '0', id]), { env });
    for (const [i, r] of rms.entries()) expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: `${ids[i]}\n`, stderr: '' });
    expect(tspod(['ps', '-aq']).stdout).toBe('');
    for (const dir of [path.join(store.root, 'containers'), path.join(store.runroot, 'containers')]) {
      expect(fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => ids.includes(d)) : []).toEqual([]);
    }
    const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8');
    for (const id of ids) expect(mounts).not.toContain(id);
    // A monitor finishes its own cleanup after rm has returned (as conmon does): each must end soon.
    const monitors = () => spawnSync('pgrep', ['-u', String(userEnv().uid), '-f', `conmon.js.*(${ids.map((id) => id.slice(0, 12)).join('|')})`], { encoding: 'utf8' }).stdout;
    const deadline = Date.now() + 20_000;
    while (monitors() !== '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(monitors()).toBe('');
  });
});

describe('attach and ID files', () => {
  it('attaches to a running shell and leaves it running on ctrl-p ctrl-q', async () => {
    expect(tspod(['run', '-dit', '--name', 'att', 'busybox', 'sh']).code).toBe(0);
    const term = new Terminal('attach');
    const exitFile = path.join(store.dir, 'attach-exit');
    try {
      term.start(`${tspodLine('attach att')}; echo "attach-exit=$?" > ${exitFile}`);
      await sleep(1000);
      term.type('echo "attached to $(hostname)"');
      await term.waitFor(/^attached to [0-9a-f]{12}$/m);
      term.keys('C-p', 'C-q');
      const code = await until('attach to end', () => fs.existsSync(exitFile) && fs.readFileSync(exitFile, 'utf8'));
      expect(code.trim()).toBe('attach-exit=0');
    } finally {
      term.kill();
    }
    expect(tspod(['ps', '--format', '{{.Names}} {{.State}}']).stdout).toBe('att running\n');
    expect(tspod(['logs', 'att']).stdout).toMatch(/attached to [0-9a-f]{12}/);
    expect(tspod(['rm', '-f', 'att']).code).toBe(0);
  });

  it('writes --cidfile, refuses to overwrite it, and stop and rm read it', () => {
    const cid = path.join(store.dir, 'ctr.id');
    const r = tspod(['run', '-d', '--cidfile', cid, 'busybox', 'sleep', '1000']);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(cid, 'utf8')).toBe(r.stdout.trim());
    const again = tspod(['create', '--cidfile', cid, 'busybox', 'true']);
    expect(again.code).toBe(125);
    expect(again.stderr).toMatch(/container id file exists: .*ctr\.id/);
    expect(tspod(['stop', '-t', '0', '--cidfile', cid]).code).toBe(0);
    expect(tspod(['rm', '--cidfile', cid]).code).toBe(0);
    expect(tspod(['stop', '--ignore', '--cidfile', cid]).code).toBe(0);
    expect(tspod(['ps', '-aq']).stdout).toBe('');
  });
});

describe('rename, restart, top, diff, prune (the lifecycle, part 2)', () => {
  it('renames a running container, which keeps working under its new name; restart gives it a new PID 1', () => {
    expect(tspod(['run', '-d', '--name', 'before', '-u', 'nobody', 'busybox', 'sh', '-c', 'sleep 1000 & exec sleep 999']).code).toBe(0);
    expect(tspod(['rename', 'before', 'after']).code).toBe(0);
    expect(tspod(['ps', '--format', '{{.Names}} {{.State}}']).stdout).toBe('after running\n');
    expect(tspod(['exec', 'after', 'echo', 'still here']).stdout).toBe('still here\n');
    expect(tspod(['container', 'exists', 'before']).code).toBe(1);
    expect(tspod(['create', '--name', 'other', 'busybox', 'true']).code).toBe(0);
    const taken = tspod(['rename', 'after', 'other']);
    expect(taken.code).toBe(125);
    expect(taken.stderr).toMatch(/the container name "other" is already in use by [0-9a-f]{64}/);
    expect(tspod(['rename', 'after', 'bad name']).stderr).toMatch(/invalid container name "bad name"/);

    // top: as seen inside, with the container's user names.
    const top = tspod(['top', 'after']);
    expect(top.code, top.stderr).toBe(0);
    const lines = top.stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
    expect(lines[0]).toEqual(['USER', 'PID', 'PPID', '%CPU', 'ELAPSED', 'TTY', 'TIME', 'COMMAND']);
    expect(lines.slice(1).map((l) => [l[0], l[2], l[7]])).toEqual([
      ['nobody', '0', 'sleep 999'],
      ['nobody', '1', 'sleep 1000'],
    ]);
    expect(lines[1][1]).toBe('1');
    expect(tspod(['top', 'after', 'pid', 'comm']).stdout).toMatch(/^PID +COMMAND\n1 +sleep\n\d+ +sleep\n$/);
    expect(tspod(['top', 'other']).stderr).toMatch(/top can only be used on running containers/);

    const pidBefore = JSON.parse(tspod(['inspect', 'after']).stdout)[0].State.Pid;
    const restart = tspod(['restart', '-t', '0', 'after', 'other']);
    expect(restart.code, restart.stderr).toBe(0);
    const states = tspod(['ps', '-a', '--format', '{{.Names}} {{.State}}']).stdout;
    expect(states).toMatch(/^after running$/m);
    expect(JSON.parse(tspod(['inspect', 'after']).stdout)[0].State.Pid).not.toBe(pidBefore);
    expect(tspod(['rm', '-f', 'after', 'other']).code).toBe(0);
  });

  it('lists what a container added, changed and deleted', () => {
    expect(tspod(['run', '--name', 'changer', 'busybox', 'sh', '-c', 'echo x > /etc/newfile; rm /bin/ls; mkdir -p /data/sub']).code).toBe(0);
    expect(tspod(['diff', 'changer']).stdout).toBe('C /bin\nD /bin/ls\nA /data\nA /data/sub\nC /etc\nA /etc/newfile\n');
    expect(JSON.parse(tspod(['container', 'diff', '--format', 'json', 'changer']).stdout)).toEqual({ changed: ['/bin', '/etc'], added: ['/data', '/data/sub', '/etc/newfile'], deleted: ['/bin/ls'] });
    expect(tspod(['rm', 'changer']).code).toBe(0);
  });

  it('prunes the containers that are not running, after asking', () => {
    expect(tspod(['run', '-d', '--name', 'keeper', 'busybox', 'sleep', '1000']).code).toBe(0);
    const exited = tspod(['run', '--name', 'done1', 'busybox', 'true']);
    expect(exited.code).toBe(0);
    const created = tspod(['create', '--name', 'never', 'busybox', 'true']).stdout.trim();
    const no = tspod(['container', 'prune'], 'n\n');
    expect(no.stdout).toBe('WARNING! This will remove all non running containers.\nAre you sure you want to continue? [y/N] ');
    expect(tspod(['ps', '-a', '-q']).stdout.trim().split('\n')).toHaveLength(3);
    expect(tspod(['container', 'prune', '-f', '--filter', 'until=1h']).stdout).toBe('');
    const yes = tspod(['container', 'prune', '--filter', 'label=nosuch'], 'y\n');
    expect(yes.code).toBe(0);
    expect(tspod(['ps', '-a', '-q']).stdout.trim().split('\n')).toHaveLength(3);
    const pruned = tspod(['container', 'prune', '-f']);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain(`${created}\n`);
    expect(pruned.stdout.trim().split('\n')).toHaveLength(2);
    expect(tspod(['ps', '-a', '--format', '{{.Names}}']).stdout).toBe('keeper\n');
    expect(tspod(['container', 'prune', '-f', '--filter', 'colour=red']).stderr).toMatch(/invalid filter "colour"/);
    expect(tspod(['rm', '-f', 'keeper']).code).toBe(0);
  });
});

describe('restart policies, kept by the monitor', () => {
  const states = () => tspod(['ps', '-a', '--format', '{{.Names}} {{.State}} {{.ExitCode}} {{.Restarts}}']).stdout;

  it('on-failure:3 restarts a failing container three times, then leaves it Exited (1) with RestartCount 3', async () => {
    expect(tspod(['run', '-d', '--name', 'flaky', '--restart', 'on-failure:3', 'busybox', 'sh', '-c', 'echo attempt; exit 1']).code).toBe(0);
    await until('the restarts to end', () => /^flaky exited 1 3$/m.test(states()), 15_000);
    expect(tspod(['logs', 'flaky']).stdout).toBe('attempt\nattempt\nattempt\nattempt\n');
    const data = JSON.parse(tspod(['inspect', 'flaky']).stdout)[0];
    expect(data.RestartCount).toBe(3);
    expect(data.HostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect(tspod(['ps', '-a', '--filter', 'name=flaky', '--format', '{{.Status}}']).stdout).toMatch(/^Exited \(1\) /);
    expect(tspod(['rm', 'flaky']).code).toBe(0);
  });

  it('always restarts until the user stops it, then never again', async () => {
    expect(tspod(['run', '-d', '--name', 'phoenix', '--restart', 'always', 'busybox', 'sh', '-c', 'sleep 0.3; exit 2']).code).toBe(0);
    await until('two restarts', () => /^phoenix \w+ \d+ ([2-9]|\d\d)$/m.test(states()), 15_000);
    const stop = tspod(['stop', '-t', '1', 'phoenix']);
    expect(stop.code, stop.stderr).toBe(0);
    const after = /^phoenix (\w+) (\d+) (\d+)$/m.exec(states())!;
    expect(after[1]).toBe('exited');
    await sleep(1500);
    expect(/^phoenix (\w+) (\d+) (\d+)$/m.exec(states())!.slice(1)).toEqual(after.slice(1));

    // A running one stopped by the user is not brought back either.
    expect(tspod(['run', '-d', '--name', 'steady', '--restart', 'always', 'busybox', 'sleep', '1000']).code).toBe(0);
    expect(tspod(['stop', '-t', '0', 'steady']).code).toBe(0);
    await sleep(1000);
    expect(states()).toMatch(/^steady exited 137 0$/m);
    expect(tspod(['rm', 'phoenix', 'steady']).code).toBe(0);
  });

  it('after a "reboot", start --all --filter restart-policy brings back always and unless-stopped, not what the user stopped', async () => {
    for (const [name, policy] of [['a1', 'always'], ['u1', 'unless-stopped'], ['u2', 'unless-stopped'], ['n1', 'no']]) {
      expect(tspod(['run', '-d', '--name', name, '--restart', policy, 'busybox', 'sleep', '1000']).code).toBe(0);
    }
    expect(tspod(['stop', '-t', '0', 'u2']).code).toBe(0);
    // Every process dies, as at a reboot: monitors first (nothing is recorded), then the containers.
    for (const name of ['a1', 'u1', 'n1']) {
      const st = JSON.parse(tspod(['inspect', name]).stdout)[0].State;
      process.kill(st.ConmonPid, 'SIGKILL');
      process.kill(st.Pid, 'SIGKILL');
    }
    await sleep(300);
    expect(tspod(['ps', '-q']).stdout).toBe('');
    const start = tspod(['start', '--all', '--filter', 'restart-policy=always', '--filter', 'restart-policy=unless-stopped']);
    expect(start.code, start.stderr).toBe(0);
    expect(tspod(['ps', '--format', '{{.Names}}']).stdout.trim().split('\n').sort()).toEqual(['a1', 'u1']);
    expect(tspod(['start', '--all', '--filter', 'restart-policy=sometimes']).stderr).toMatch(/invalid restart policy "sometimes"/);
    expect(tspod(['rm', '-f', 'a1', 'u1', 'u2', 'n1']).code).toBe(0);
  });

  it('refuses a policy it does not know and --rm with a policy', () => {
    const bad = tspod(['create', '--restart', 'sometimes', 'busybox', 'true']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toMatch(/invalid restart policy "sometimes": use no, always, unless-stopped or on-failure\[:max-retries\]/);
    expect(tspod(['run', '--rm', '--restart', 'always', 'busybox', 'true']).stderr).toMatch(/the --rm option conflicts with --restart=always/);
    expect(tspod(['ps', '-aq']).stdout).toBe('');
  });
});

describe('events, recorded by the commands themselves', () => {
  it('lists the create/init/start/attach/died/cleanup/remove events of a run --rm done just before, in order', () => {
    expect(tspod(['run', '--rm', '--name', 'evented', 'busybox', 'true']).code).toBe(0);
    const past = tspod(['events', '--since', '1m', '--stream=false', '--filter', 'container=evented']);
    expect(past.code, past.stderr).toBe(0);
    const lines = past.stdout.trim().split('\n');
    // Go's time.Time String(): the fraction's trailing zeros dropped.
    const re = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,9})? \+0000 UTC container (\w+) [0-9a-f]{64} \(image=docker\.io\/library\/busybox:latest, name=evented\)$/;
    expect(lines.map((l) => re.exec(l)?.[2])).toEqual(['create', 'init', 'start', 'attach', 'died', 'cleanup', 'remove']);
    const json = tspod(['events', '--since', '1m', '--stream=false', '--filter', 'container=evented', '--filter', 'event=die', '--format', 'json']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({ Name: 'evented', Status: 'died', Type: 'container', Image: 'docker.io/library/busybox:latest' });
    expect(tspod(['events', '--since', '2099-01-01T00:00:00Z', '--stream=false']).stdout).toBe('');
    expect(tspod(['events', '--stream=false', '--filter', 'colour=red']).stderr).toMatch(/invalid filter "colour=red"/);
  });

  it('follows new events as they happen, including an exit nobody else noticed', async () => {
    const argv = asUser([tspodBin, '--root', store.root, '--runroot', store.runroot, 'events', '--filter', 'container=streamed', '--format', '{{.Status}} {{.Name}}'], env);
    const child = spawn(argv[0], argv.slice(1));
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      await sleep(800);
      expect(tspod(['run', '-d', '--name', 'streamed', 'busybox', 'sh', '-c', 'sleep 0.5; exit 3']).code).toBe(0);
      await until('the cleanup event', () => out.includes('cleanup streamed'), 15_000);
      expect(out).toBe('create streamed\ninit streamed\nstart streamed\ndied streamed\ncleanup streamed\n');
    } finally {
      spawnSync('pkill', ['-TERM', '-f', 'events --filter container=streamed']);
      child.kill();
    }
    expect(tspod(['rm', 'streamed']).code).toBe(0);
  });
});

describe('--format templates on ps', () => {
  it("prints 'table' with Podman's headings and aligned columns, and {{.Label \"k\"}}", () => {
    expect(tspod(['create', '--name', 'tmpl-a', '--label', 'app=shop', 'busybox', 'true']).code).toBe(0);
    expect(tspod(['create', '--name', 'tmpl-longer-name', 'busybox', 'true']).code).toBe(0);
    try {
      // As the user types it: a literal \t in single quotes.
      const table = tspod(['ps', '-a', '--filter', 'name=tmpl-', '--format', 'table {{.Names}}\\t{{.Status}}']);
      expect(table).toMatchObject({ code: 0, stderr: '' });
      const [heading, ...rows] = table.stdout.split('\n');
      // tabwriter: the NAMES column is the longest name + 2 wide (at least 12).
      expect(heading).toBe(`${'NAMES'.padEnd(18)}STATUS`);
      expect(rows.sort()).toEqual(['', `${'tmpl-a'.padEnd(18)}Created`, `${'tmpl-longer-name'.padEnd(18)}Created`]);
      // ID is headed as ps heads it, and --noheading drops the heading.
      expect(tspod(['ps', '-a', '--filter', 'name=tmpl-a', '--format', 'table {{.ID}} {{.Names}}']).stdout).toMatch(/^CONTAINER ID {2}NAMES\n[0-9a-f]{12} {2}tmpl-a\n$/);
      expect(tspod(['ps', '-a', '--filter', 'name=tmpl-a', '--noheading', '--format', 'table {{.Names}}']).stdout).toBe('tmpl-a\n');
      // No labels prints null, as Podman's json of a nil map.
      const labels = tspod(['ps', '-a', '--filter', 'name=tmpl-', '--format', '{{.Names}}={{.Label "app"}}|{{json .Labels}}']);
      expect(labels.stdout.split('\n').sort()).toEqual(['', 'tmpl-a=shop|{"app":"shop"}', 'tmpl-longer-name=|null']);
      const bad = tspod(['ps', '-a', '--format', '{{.Names}} {{nosuch .Status}}']);
      expect(bad).toEqual({ code: 125, stdout: '', stderr: 'Error: template: ps:1: function "nosuch" not defined\n' });
    } finally {
      expect(tspod(['rm', 'tmpl-a', 'tmpl-longer-name']).code).toBe(0);
    }
  });
});

describe('errors a user meets', () => {
  it('refuses a taken name, a running container to rm (exit 2), and bad input (125), with nothing changed', async () => {
    expect(tspod(['create', '--name', 'taken', 'busybox', 'true']).code).toBe(0);
    const dup = tspod(['create', '--name', 'taken', 'busybox', 'true']);
    expect(dup.code).toBe(125);
    expect(dup.stderr).toMatch(/^Error: the container name "taken" is already in use by [0-9a-f]{64}: remove that container/m);
    expect(tspod(['ps', '-a', '--format', '{{.Names}} {{.State}}']).stdout).toBe('taken created\n');
    // run starts the monitor before the container exists: a failed create leaves neither behind.
    const dupRun = tspod(['run', '--name', 'taken', 'busybox', 'true']);
    expect(dupRun.code).toBe(125);
    expect(dupRun.stderr).toMatch(/already in use/);
    expect(fs.readdirSync(path.join(store.root, 'containers'))).toHaveLength(1);
    await until('the waiting monitor to go', () => spawnSync('pgrep', ['-f', `conmon.js .*${store.root}`]).status === 1, 5000);
    // --replace removes the old one.
    expect(tspod(['create', '--replace', '--name', 'taken', 'busybox', 'echo', 'second']).code).toBe(0);
    expect(tspod(['start', '-a', 'taken']).stdout).toBe('second\n');

    expect(tspod(['run', '-d', '--name', 'busy', 'busybox', 'sleep', '1000']).code).toBe(0);
    const rm = tspod(['rm', 'busy']);
    expect(rm.code).toBe(2); // Podman's code for a running container
    expect(rm.stderr).toMatch(/cannot remove container [0-9a-f]{64} as it is running/);
    expect(tspod(['ps', '--format', '{{.Names}}']).stdout).toBe('busy\n');
    const kill = tspod(['kill', '-s', 'NOPE', 'busy']);
    expect(kill.code).toBe(125);
    expect(kill.stderr).toMatch(/invalid signal "NOPE"/);
    expect(tspod(['kill', '-s', 'USR1', 'busy']).code).toBe(0);
    // As Podman: with --force a name not found is no error.
    expect(tspod(['rm', '-f', 'busy', 'nosuch'])).toEqual({ code: 0, stdout: 'busy\n', stderr: '' });

    const never = tspod(['run', '--pull', 'never', 'localhost/absent', 'true']);
    expect(never.code).toBe(125);
    expect(never.stderr).toMatch(/localhost\/absent: image not known/);
    expect(tspod(['ps', '--filter', 'colour=red']).stderr).toMatch(/invalid filter "colour"/);
    expect(tspod(['exec', 'taken', 'true']).stderr).toMatch(/can only exec in running containers/);
    expect(tspod(['logs', 'nosuch']).code).toBe(125);
    expect(tspod(['rm', 'taken']).code).toBe(0);
  });
});

describe('images and the user namespace under containers', () => {
  it('pulls a missing image with its progress shown, then runs it', () => {
    const fresh = new Store('containers-pull');
    try {
      const r = fresh.tspod(['run', '--rm', 'busybox', 'echo', 'pulled'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('pulled\n');
      expect(r.stderr).toMatch(/Copying blob [0-9a-f]{12}/);
      expect(fresh.tspod(['images', '--format', '{{.Repository}}']).stdout).toBe('docker.io/library/busybox\n');
    } finally {
      fresh.cleanup();
    }
  });

  it('refuses to remove an image a container uses; --force removes the container with it', () => {
    expect(tspod(['tag', 'busybox', 'localhost/inuse']).code).toBe(0);
    expect(tspod(['create', '--name', 'user-of', 'localhost/inuse', 'true']).code).toBe(0);
    // The name is one of two: untagging it is harmless.
    expect(tspod(['rmi', 'localhost/inuse']).stdout).toBe('Untagged: localhost/inuse:latest\n');
    const refused = tspod(['rmi', 'busybox']);
    expect(refused.code).toBe(2); // Podman's code for an image in use
    expect(refused.stderr).toMatch(/image busybox is in use by container user-of: remove it first \(tspod rm\), or use --force/);
    expect(tspod(['container', 'exists', 'user-of']).code).toBe(0);
    expect(tspod(['image', 'prune', '-a', '-f']).code).toBe(0);
    expect(tspod(['image', 'exists', 'busybox']).code).toBe(0);
    const forced = tspod(['rmi', '-f', 'busybox']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(tspod(['container', 'exists', 'user-of']).code).toBe(1);
    expect(tspod(['pull', '-q', 'busybox']).code).toBe(0);
  });

  it('keeps telling the truth when the namespace holder is killed, and system migrate stops containers', async () => {
    const id = tspod(['run', '-d', '--name', 'survivor', '--stop-timeout', '1', 'busybox', 'sleep', '1000']).stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const holder = Number(fs.readFileSync(path.join(store.runroot, 'pause.pid'), 'utf8').split(' ')[0]);
    process.kill(holder, 'SIGKILL');
    await sleep(200);
    // The container's processes keep the old namespace alive: it is still running, and says so.
    expect(tspod(['ps', '--format', '{{.Names}} {{.State}}']).stdout).toBe('survivor running\n');
    expect(tspod(['run', '--rm', 'busybox', 'echo', 'new namespace']).stdout).toBe('new namespace\n');
    const migrate = tspod(['system', 'migrate']);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stderr).toMatch(/^stopped survivor$/m);
    expect(tspod(['ps', '-a', '--format', '{{.Names}} {{.Status}}']).stdout).toMatch(/^survivor Exited \(137\) /m);
    const rm = tspod(['rm', 'survivor']);
    expect(rm.code, rm.stderr).toBe(0);
    expect(fs.existsSync(path.join(store.root, 'containers', id))).toBe(false);
  });
});
