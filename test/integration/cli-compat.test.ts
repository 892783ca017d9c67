// Podman's options of the container verbs (issue 18, docs/cli-compat.md) as the unprivileged user
// with real containers: --latest, --filter and --cidfile choosing the containers, wait's
// conditions, logs of several containers, exec -d/--privileged, rm --depend, ps's --sort, --pod,
// --ns and --watch, and the options tspod refuses, with their message and exit code.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Store, mirrorDockerHub, registry, runConcurrently, tspodBin } from './harness';
import { REFUSALS, refusalMessage } from '../../commands/refusals';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('compat');
let env: Record<string, string> = {};
const tspod = (args: string[], input?: string) => store.tspod(args, { env, input });

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
});

// Each test starts from an empty list, so that one that failed leaves nothing in the next one's ps.
beforeEach(() => {
  tspod(['rm', '-af', '-t', '0']);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

/** A detached busybox running cmd; its full ID. */
function started(name: string, cmd = ['sleep', '600'], extra: string[] = []): string {
  const r = tspod(['run', '-d', '--name', name, ...extra, 'busybox', ...cmd]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout.trim();
}

const state = (name: string) => tspod(['inspect', '--format', '{{.State.Status}}', name]).stdout.trim();

describe('choosing containers', () => {
  it('stop, kill, restart and rm act on the container created last with --latest', () => {
    started('older');
    const id = started('newest');
    expect(tspod(['stop', '-l', '-t', '0'])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect([state('older'), state('newest')]).toEqual(['running', 'exited']);
    expect(tspod(['restart', '--latest', '-t', '0'])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(state('newest')).toBe('running');
    expect(tspod(['kill', '-l'])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(tspod(['wait', '-l']).stdout).toBe('137\n');
    expect(tspod(['rm', '-l'])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(tspod(['container', 'exists', 'newest']).code).toBe(1);
    expect(tspod(['rm', '-f', '-t', '0', 'older']).code).toBe(0);
  });

  it('refuses --latest with names, and --all with --latest, as usage errors', () => {
    started('named');
    expect(tspod(['stop', '-l', 'named'])).toMatchObject({ code: 125, stderr: 'Error: --latest takes no container names or --cidfile: give either the names or --latest\n' });
    expect(tspod(['rm', '-a', '-l'])).toMatchObject({ code: 125, stderr: 'Error: --all and --latest cannot be used together: choose one\n' });
    expect(tspod(['stop'])).toMatchObject({ code: 125, stderr: 'Error: you must provide at least one container name or ID, or --all, --latest or --filter\n' });
    expect(tspod(['rm', '-f', '-t', '0', 'named']).code).toBe(0);
  });

  it('stop, restart and rm take the containers that match --filter; rm -f stays --force', () => {
    const a = started('fa', ['sleep', '600'], ['--label', 'group=one']);
    const b = started('fb', ['sleep', '600'], ['--label', 'group=one']);
    const c = started('fc', ['sleep', '600'], ['--label', 'group=two']);
    const stopped = tspod(['stop', '-t', '0', '--filter', 'label=group=one']);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout.split('\n').filter(Boolean).sort()).toEqual([a, b].sort());
    expect([state('fa'), state('fb'), state('fc')]).toEqual(['exited', 'exited', 'running']);
    expect(tspod(['restart', '-t', '0', '-f', 'name=^fc$'])).toMatchObject({ code: 0, stdout: `${c}\n` });
    const removed = tspod(['rm', '--filter', 'status=exited']);
    expect(removed.stdout.split('\n').filter(Boolean).sort()).toEqual([a, b].sort());
    expect(tspod(['rm', '-f', '-t', '0', 'fc'])).toMatchObject({ code: 0, stdout: 'fc\n' });
  });

  it('kill and restart read the container from --cidfile', () => {
    const file = path.join(store.dir, 'kill.cid');
    // The container's PID 1 gets only the signals it has a handler for.
    expect(tspod(['run', '-d', '--cidfile', file, '--name', 'cid', 'busybox', 'sh', '-c', 'trap "exit 7" USR1; while :; do sleep 1; done']).code).toBe(0);
    const id = fs.readFileSync(file, 'utf8').trim();
    expect(tspod(['restart', '-t', '0', '--cidfile', file])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(tspod(['kill', '-s', 'USR1', '--cidfile', file])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(tspod(['wait', 'cid']).stdout).toBe('7\n');
    expect(tspod(['rm', 'cid']).code).toBe(0);
  });

  it('start takes --latest and -f, and refuses --sig-proxy without --attach', () => {
    const id = tspod(['create', '--name', 'later', 'busybox', 'true']).stdout.trim();
    expect(tspod(['start', '--sig-proxy', 'later'])).toMatchObject({ code: 125, stderr: 'Error: --sig-proxy works only with --attach: add -a or leave --sig-proxy out\n' });
    expect(tspod(['start', '-l'])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(tspod(['wait', 'later']).stdout).toBe('0\n');
    expect(tspod(['start', '-f', 'name=later'])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(tspod(['start', '-a', '--no-sig-proxy', 'later'])).toMatchObject({ code: 0 });
    expect(tspod(['rm', 'later']).code).toBe(0);
  });

  it('rm --depend removes the containers that share its network first', () => {
    const base = started('base');
    const user = started('netuser', ['sleep', '600'], ['--network', 'container:base']);
    const r = tspod(['rm', '-f', '-t', '0', '--depend', 'base']);
    expect(r.code).toBe(0);
    // The name given is printed for the one asked; the dependent is removed by its ID.
    expect(base).not.toBe('');
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['base', user].sort());
    expect(tspod(['ps', '-aq']).stdout).toBe('');
  });
});

describe('wait', () => {
  it('waits for the conditions asked and prints -1 for those other than an exit', async () => {
    tspod(['create', '--name', 'w1', 'busybox', 'sh', '-c', 'sleep 1; exit 3']);
    const [running] = await Promise.all([
      runConcurrently([[tspodBin, '--root', store.root, '--runroot', store.runroot, 'wait', '--condition', 'running', '-i', '20ms', 'w1']], { env }),
      (async () => {
        await new Promise((r) => setTimeout(r, 300));
        tspod(['start', 'w1']);
      })(),
    ]);
    expect(running[0]).toMatchObject({ code: 0, stdout: '-1\n' });
    expect(tspod(['wait', '--condition', 'stopped', '--interval', '100', 'w1'])).toMatchObject({ code: 0, stdout: '3\n' });
    expect(tspod(['wait', '--condition', 'healthy', 'w1'])).toMatchObject({ code: 125, stderr: 'Error: cannot wait for condition "healthy": tspod has no healthchecks yet: wait for "running" or "stopped"\n' });
    expect(tspod(['wait', '--condition', 'bogus', 'w1'])).toMatchObject({ code: 125, stderr: 'Error: invalid condition "bogus": use one of configured, created, exited, healthy, initialized, paused, removing, running, stopped, stopping, unhealthy\n' });
    expect(tspod(['wait', '-i', 'soon', 'w1'])).toMatchObject({ code: 125, stderr: 'Error: invalid --interval "soon": give a duration such as 250ms, 2s or 1m30s\n' });
    tspod(['rm', 'w1']);
  });

  it('--ignore prints -1 for a missing container; --exit-first-match returns with the first', () => {
    started('long');
    tspod(['run', '--name', 'short', 'busybox', 'sh', '-c', 'exit 4']);
    expect(tspod(['wait', '--ignore', 'nosuch', 'short'])).toMatchObject({ code: 0, stdout: '-1\n4\n' });
    expect(tspod(['wait', 'nosuch']).code).not.toBe(0);
    expect(tspod(['wait', '--exit-first-match', 'long', 'short'])).toMatchObject({ code: 0, stdout: '4\n' });
    tspod(['rm', '-f', '-t', '0', 'long', 'short']);
  });
});

describe('logs', () => {
  it('shows several containers, each line with the short ID, or the name with -n, in color with --color', () => {
    tspod(['run', '--name', 'la', 'busybox', 'echo', 'from a']);
    const a = tspod(['inspect', '--format', '{{.Id}}', 'la']).stdout.trim();
    tspod(['run', '--name', 'lb', 'busybox', 'echo', 'from b']);
    const b = tspod(['inspect', '--format', '{{.Id}}', 'lb']).stdout.trim();
    expect(tspod(['logs', 'la', 'lb'])).toMatchObject({ code: 0, stdout: `${a.slice(0, 12)} from a\n${b.slice(0, 12)} from b\n` });
    expect(tspod(['logs', '-n', 'la', 'lb']).stdout).toBe('la from a\nlb from b\n');
    expect(tspod(['logs', '--color', '--names', 'la', 'lb']).stdout).toBe('\x1b[37mla from a\x1b[0m\n\x1b[31mlb from b\x1b[0m\n');
    expect(tspod(['logs', '--names', 'la']).stdout).toBe('from a\n');
    expect(tspod(['logs', '--latest']).stdout).toBe('from b\n');
    expect(tspod(['logs', '--tail', '1', 'lb']).stdout).toBe('from b\n');
    tspod(['rm', 'la', 'lb']);
  });
});

describe('exec', () => {
  it('-d starts the process and returns; --latest and --cidfile name the container; --privileged gives every capability', async () => {
    const file = path.join(store.dir, 'exec.cid');
    expect(tspod(['run', '-d', '--cidfile', file, '--name', 'ex', 'busybox', 'sleep', '600']).code).toBe(0);
    expect(tspod(['exec', '-d', 'ex', 'sh', '-c', 'sleep 1; touch /tmp/done'])).toMatchObject({ code: 0, stdout: '' });
    expect(tspod(['exec', 'ex', 'test', '-e', '/tmp/done']).code).toBe(1);
    await new Promise((r) => setTimeout(r, 2000));
    expect(tspod(['exec', '-l', 'test', '-e', '/tmp/done']).code).toBe(0);
    const caps = (args: string[]) => BigInt(`0x${/^CapEff:\s+([0-9a-f]+)$/m.exec(tspod([...args, 'cat', '/proc/self/status']).stdout)![1]}`);
    const SYS_ADMIN = 1n << 21n;
    expect(caps(['exec', '--cidfile', file]) & SYS_ADMIN).toBe(0n);
    expect(caps(['exec', '--privileged', 'ex']) & SYS_ADMIN).toBe(SYS_ADMIN);
    expect(tspod(['exec', '-d', '-t', 'ex', 'true'])).toMatchObject({ code: 125, stderr: 'Error: exec -d cannot allocate a terminal (-t): the process would have no one to talk to; drop -t\n' });
    expect(tspod(['exec', '--no-session', 'ex', 'echo', 'hi']).stdout).toBe('hi\n');
    tspod(['rm', '-f', '-t', '0', 'ex']);
  });
});

describe('ps', () => {
  it('sorts, adds the pod columns, shows namespaces and takes --sync and --external', () => {
    const z = started('zeta');
    const a = started('alpha');
    expect(tspod(['ps', '--sort', 'names', '--format', '{{.Names}}']).stdout).toBe('alpha\nzeta\n');
    expect(tspod(['ps', '--sort', 'created', '--format', '{{.Names}}']).stdout).toBe('zeta\nalpha\n');
    expect(tspod(['ps', '--format', '{{.Names}}']).stdout).toBe('alpha\nzeta\n');
    expect(tspod(['ps', '--sort', 'bogus'])).toMatchObject({ code: 125, stderr: 'Error: invalid --sort "bogus": use one of command, created, id, image, names, pod, runningfor, size, status\n' });
    const pod = tspod(['ps', '--pod', '--sync', '--external', '--sort', 'names']);
    expect(pod.stdout.split('\n')[0]).toMatch(/^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES +POD ID +PODNAME$/);
    expect(pod.stdout.split('\n')[1]).toMatch(new RegExp(`^${a.slice(0, 12)} .* alpha$`));
    const ns = tspod(['ps', '--ns', '--sort', 'names', '--no-trunc']).stdout.split('\n');
    expect(ns[0]).toMatch(/^CONTAINER ID +NAMES +PID +CGROUPNS +IPC +MNT +NET +PIDNS +USERNS +UTS$/);
    const pid = tspod(['inspect', '--format', '{{.State.Pid}}', 'alpha']).stdout.trim();
    const inode = (f: string) => /\[(\d+)\]/.exec(fs.readlinkSync(`/proc/${pid}/ns/${f}`))![1];
    expect(ns[1].split(/ +/)).toEqual([a, 'alpha', pid, inode('cgroup'), inode('ipc'), inode('mnt'), inode('net'), inode('pid'), inode('user'), inode('uts')]);
    expect(tspod(['ps', '-q', '--ns'])).toMatchObject({ code: 125, stderr: 'Error: --quiet and --ns cannot be used together: the IDs alone have no namespaces\n' });
    expect(tspod(['ps', '--last', '1', '-l'])).toMatchObject({ code: 125, stderr: 'Error: --last and --latest cannot be used together: choose one\n' });
    tspod(['rm', '-f', '-t', '0', z, a]);
  });

  it('--watch prints the list again every interval until interrupted', async () => {
    started('watched');
    const argv = ['timeout', '--preserve-status', '-s', 'INT', '3.5', tspodBin, '--root', store.root, '--runroot', store.runroot, 'ps', '-w', '1', '--format', '{{.Names}}'];
    const [r] = await runConcurrently([argv], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^(\x1b\[2J\x1b\[Hwatched\n){2,}$/);
    tspod(['rm', '-f', '-t', '0', 'watched']);
  });
});

describe('refused options', () => {
  for (const [verb, list] of Object.entries(REFUSALS)) {
    for (const r of list) {
      it(`${verb} ${r.names[0]} says why, with exit code ${r.exitCode}`, () => {
        const res = tspod([...verb.split(' '), r.names[0], ...(r.value ? ['x'] : []), 'nosuch', 'true']);
        expect(res).toMatchObject({ code: r.exitCode, stdout: '', stderr: `Error: ${refusalMessage(r)}\n` });
      });
    }
  }
});
