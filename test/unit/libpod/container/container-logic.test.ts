import { describe, expect, it } from 'vitest';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { LogParser, readLogs } from '../../../../libpod/container/log-reader';
import { parseTimeSpec } from '../../../../src/time-spec';
import { parseDetachKeys } from '../../../../src/detach-keys';
import { normalizeSignal } from '../../../../libpod/oci/runtime';
import { parseEnv } from '../../../../libpod/container/create-spec';
import { psFilter, psSummary } from '../../../../libpod/container/container-report';
import { psRow } from '../../../../commands/format/ps-row';
import { randomName, statusText, validName, type Container } from '../../../../libpod/container/container';
import { runtimeMessage } from '../../../../libpod/oci/runtime';
import { StartError } from '../../../../libpod/container/container-runner';

function container(over: Partial<Container> = {}): Container {
  return {
    id: 'a'.repeat(64),
    name: 'web',
    state: 'running',
    createdAt: 1_000_000,
    spec: { image: 'busybox', imageId: 'sha256:' + 'b'.repeat(64), imageName: 'docker.io/library/busybox:latest', command: [], env: [], hostname: 'h', labels: { app: 'web', tier: '' }, terminal: false, stdin: false, readOnly: false, init: false, autoRemove: false, stopSignal: 'SIGTERM', stopTimeout: 10, capAdd: [], capDrop: [], noNewPrivileges: false, network: 'none', runtime: '/usr/sbin/runc', restartPolicy: { name: 'no', maxRetries: 0 }, args: ['sh', '-c', "echo it's a long command line"], createCommand: [] },
    status: { startedAt: 1_000_000 },
    ...over,
  };
}

describe('k8s-file log reading', () => {
  it('joins partial pieces into their line, per stream, and keeps the first piece\'s time', () => {
    const p = new LogParser();
    const out = p.push([
      '2024-01-02T15:04:05.000000001Z stdout P hel',
      '2024-01-02T15:04:05.000000002Z stderr F oops',
      '2024-01-02T15:04:05.000000003Z stdout F lo',
      'garbage',
      '2024-01-02T15:04:06.000000000Z stdout F ',
      '2024-01-02T15:04:07.000000000Z stdout F from a terminal\r',
    ]);
    expect(out).toEqual([
      { time: '2024-01-02T15:04:05.000000002Z', stream: 'stderr', text: 'oops' },
      { time: '2024-01-02T15:04:05.000000001Z', stream: 'stdout', text: 'hello' },
      { time: '2024-01-02T15:04:06.000000000Z', stream: 'stdout', text: '' },
      { time: '2024-01-02T15:04:07.000000000Z', stream: 'stdout', text: 'from a terminal\r' },
    ]);
    expect(p.push(['2024-01-02T15:04:08.000000000Z stdout P tail'])).toEqual([]);
    expect(p.flush()).toEqual([{ time: '2024-01-02T15:04:08.000000000Z', stream: 'stdout', text: 'tail', partial: true }]);
  });

  it('applies --tail, --since and --timestamps, and splits stdout from stderr', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'logs-')), 'ctr.log');
    fs.writeFileSync(file, ['2024-01-02T15:04:05.000000000Z stdout F one', '2024-01-02T15:05:05.000000000Z stderr F two', '2024-01-02T15:06:05.000000000Z stdout F three', '2024-01-02T15:07:05.000000000Z stdout P no newline', ''].join('\n'));
    const collect = async (opts: Parameters<typeof readLogs>[1] extends infer O ? Omit<O & object, 'out' | 'err' | 'isRunning' | 'follow'> : never) => {
      let out = '';
      let err = '';
      await readLogs(file, { ...opts, follow: false, isRunning: () => false, out: { write: (s: string) => (out += s) } as unknown as NodeJS.WritableStream, err: { write: (s: string) => (err += s) } as unknown as NodeJS.WritableStream });
      return { out, err };
    };
    expect(await collect({ timestamps: false })).toEqual({ out: 'one\nthree\nno newline', err: 'two\n' });
    expect((await collect({ timestamps: false, tail: 1 })).out).toBe('three\nno newline');
    expect((await collect({ timestamps: false, tail: 0 })).out).toBe('no newline');
    expect(await collect({ timestamps: true, since: Date.parse('2024-01-02T15:05:00Z'), until: Date.parse('2024-01-02T15:06:30Z') })).toEqual({ out: '2024-01-02T15:06:05.000000000Z three\n', err: '2024-01-02T15:05:05.000000000Z two\n' });
  });

  it('reads times as RFC 3339, Unix seconds or durations back from now, and refuses the rest', () => {
    const now = Date.parse('2024-01-02T15:00:00Z');
    expect(parseTimeSpec('2024-01-02T14:00:00Z', now)).toBe(Date.parse('2024-01-02T14:00:00Z'));
    expect(parseTimeSpec('1700000000', now)).toBe(1_700_000_000_000);
    // date --iso-8601=ns, as Podman's own tests pass it to events --since.
    expect(parseTimeSpec('2024-01-02T14:00:00,123456789+00:00', now)).toBe(Date.parse('2024-01-02T14:00:00.123Z'));
    expect(parseTimeSpec('10m', now)).toBe(now - 600_000);
    expect(parseTimeSpec('1h30m5s', now)).toBe(now - 5_405_000);
    expect(() => parseTimeSpec('yesterday', now)).toThrow(/invalid time "yesterday": use an RFC 3339 time/);
  });
});

describe('command-line values', () => {
  it('parses detach keys as Docker does', () => {
    expect([...parseDetachKeys('ctrl-p,ctrl-q')]).toEqual([16, 17]);
    expect([...parseDetachKeys('ctrl-[,x')]).toEqual([27, 120]);
    expect(parseDetachKeys('').length).toBe(0);
    expect(() => parseDetachKeys('ctrl-pq')).toThrow(/invalid detach key "ctrl-pq"/);
  });

  it('normalizes signals by name or number', () => {
    expect(normalizeSignal('term')).toBe('SIGTERM');
    expect(normalizeSignal('SIGKILL')).toBe('SIGKILL');
    expect(normalizeSignal('9')).toBe('SIGKILL');
    expect(() => normalizeSignal('NOPE')).toThrow(/invalid signal "NOPE"/);
    expect(() => normalizeSignal('99')).toThrow(/invalid signal/);
  });

  it('reads -e and --env-file: files first, KEY alone from our environment, comments skipped', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'env-')), 'env');
    fs.writeFileSync(file, '# comment\n\nA=from file\r\nPASSED\nMISSING\n');
    expect(parseEnv(['B=2', 'A=override'], [file], { PASSED: 'yes' })).toEqual(['A=from file', 'PASSED=yes', 'B=2', 'A=override']);
    expect(() => parseEnv(['=x'], [])).toThrow(/the name is empty/);
    // Podman's words for a missing file (Go's "open PATH: no such file or directory"), and what to do.
    expect(() => parseEnv([], ['/nonexistent/env'])).toThrow('parsing env file "/nonexistent/env": open /nonexistent/env: no such file or directory: check the path given to --env-file');
    expect(() => parseEnv([], [os.tmpdir()])).toThrow(/^parsing env file ".*": open .*: is a directory: check the path given to --env-file$/);
  });

  it('names containers as Podman allows, and makes readable random names', () => {
    expect(validName('web-1.a_b')).toBe(true);
    expect(validName('-web')).toBe(false);
    expect(validName('we b')).toBe(false);
    expect(randomName(() => 0)).toMatch(/^[a-z]+_[a-z]+$/);
  });
});

describe('ps', () => {
  it('words the status as Podman does', () => {
    const now = 1_000_000 + 5_000;
    expect(statusText(container(), now)).toBe('Up 5 seconds');
    expect(statusText(container({ state: 'exited', status: { exitCode: 137, finishedAt: now - 120_000 } }), now)).toBe('Exited (137) 2 minutes ago');
    expect(statusText(container({ state: 'created', status: {} }), now)).toBe('Created');
  });

  it('filters by status, name, label, id and ancestor; same keys OR, different keys AND', () => {
    const web = container();
    const db = container({ id: 'c'.repeat(64), name: 'db', state: 'exited', spec: { ...container().spec, labels: { app: 'db' } }, status: { exitCode: 3 } });
    const ancestor = (c: Container, ref: string) => c.spec.imageName.includes(ref);
    const pick = (f: string[]) => [web, db].filter(psFilter(f, ancestor)).map((c) => c.name);
    expect(pick(['status=exited'])).toEqual(['db']);
    expect(pick(['status=exited', 'status=running'])).toEqual(['web', 'db']);
    expect(pick(['name=^w'])).toEqual(['web']);
    expect(pick(['label=tier'])).toEqual(['web']);
    expect(pick(['label=app=db'])).toEqual(['db']);
    expect(pick(['id=ccc', 'status=exited'])).toEqual(['db']);
    expect(pick(['exited=3'])).toEqual(['db']);
    expect(pick(['ancestor=busybox', 'status=running'])).toEqual(['web']);
    expect(() => pick(['colour=red'])).toThrow(/invalid filter "colour"/);
    expect(() => pick(['status=sleeping'])).toThrow(/invalid status "sleeping"/);
    expect(() => pick(['status'])).toThrow(/use key=value/);
  });

  it("takes Podman's other filter keys: label!, before, since, until, volume, network, restart-policy, command, should-start-on-boot, pod", () => {
    const web = container();
    const db = container({
      id: 'c'.repeat(64),
      name: 'db',
      createdAt: 2_000_000,
      state: 'exited',
      spec: { ...container().spec, labels: { app: 'db' }, network: 'bridge', networks: [{ name: 'back', aliases: [] }], restartPolicy: { name: 'always', maxRetries: 0 }, args: ['postgres'], mounts: [{ type: 'volume', source: 'pgdata', destination: '/var/lib/pg', readOnly: false, chown: false, noCopy: false }] },
      status: { exitCode: 0 },
    });
    const byName = (ref: string) => [web, db].find((c) => c.name === ref)!;
    const pick = (f: string[]) => [web, db].filter(psFilter(f, () => false, byName)).map((c) => c.name);
    expect(pick(['label!=tier'])).toEqual(['db']);
    expect(pick(['label!=app=web', 'label!=app=db'])).toEqual([]);
    expect(pick(['before=db'])).toEqual(['web']);
    expect(pick(['since=web'])).toEqual(['db']);
    expect(pick(['until=1500'])).toEqual(['web']);
    expect(pick(['volume=pgdata'])).toEqual(['db']);
    expect(pick(['volume=/var/lib/pg'])).toEqual(['db']);
    expect(pick(['network=back'])).toEqual(['db']);
    expect(pick(['network=none'])).toEqual(['web']);
    expect(pick(['restart-policy=always'])).toEqual(['db']);
    expect(pick(['command=sh'])).toEqual(['web']);
    expect(pick(['should-start-on-boot=true'])).toEqual(['db']);
    expect(pick(['pod=anything'])).toEqual([]);
    expect(pick(['health=healthy'])).toEqual([]);
    expect(pick(['health=none'])).toEqual(['web', 'db']);
    expect(() => pick(['health=fine'])).toThrow('invalid health "fine": use starting, healthy, unhealthy or none');
    expect(() => [web].filter(psFilter(['since=web'], () => false))).toThrow(/before= and since= filters are not taken here/);
  });

  it('quotes and truncates the command column unless --no-trunc', () => {
    expect(psRow(psSummary(container()), false).Command).toBe("sh -c 'echo it'\\'...");
    expect(psRow(psSummary(container()), true).Command).toBe("sh -c 'echo it'\\''s a long command line'");
    expect(psRow(psSummary(container()), false).ID).toBe('a'.repeat(12));
  });
});

describe('runtime errors', () => {
  it("quotes the runtime's own message and maps it to Podman's exit codes", () => {
    const stderr = 'time="2024-01-02T15:04:05Z" level=error msg="runc create failed: unable to start container process: exec: \\"nosuchcmd\\": executable file not found in $PATH"\n';
    expect(runtimeMessage(stderr)).toBe('runc create failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH');
    expect(runtimeMessage('plain failure\nlast line\n')).toBe('last line');
    expect(new StartError('exec: "x": executable file not found in $PATH').exitCode).toBe(127);
    expect(new StartError('exec: "/etc/passwd": permission denied').exitCode).toBe(126);
    expect(new StartError('cgroups in hybrid mode not supported').exitCode).toBe(125);
  });
});

describe('restart policies', () => {
  it('parses --restart as Docker does', async () => {
    const { parseRestartPolicy } = await import('../../../../libpod/container/container');
    expect(parseRestartPolicy(undefined)).toEqual({ name: 'no', maxRetries: 0 });
    expect(parseRestartPolicy('on-failure:5')).toEqual({ name: 'on-failure', maxRetries: 5 });
    expect(parseRestartPolicy('unless-stopped')).toEqual({ name: 'unless-stopped', maxRetries: 0 });
    expect(() => parseRestartPolicy('always:3')).toThrow(/invalid restart policy "always:3"/);
    expect(() => parseRestartPolicy('sometimes')).toThrow(/invalid restart policy/);
  });

  it('decides restarts and their delays in the monitor', async () => {
    const { shouldRestart, restartDelayMs } = await import('../../../../conmon/protocol');
    expect(shouldRestart({ name: 'on-failure', maxRetries: 3 }, 1, 2)).toBe(true);
    expect(shouldRestart({ name: 'on-failure', maxRetries: 3 }, 1, 3)).toBe(false);
    expect(shouldRestart({ name: 'on-failure', maxRetries: 0 }, 1, 50)).toBe(true);
    expect(shouldRestart({ name: 'on-failure', maxRetries: 3 }, 0, 0)).toBe(false);
    expect(shouldRestart({ name: 'always', maxRetries: 0 }, 0, 9)).toBe(true);
    expect(shouldRestart({ name: 'no', maxRetries: 0 }, 1, 0)).toBe(false);
    expect([1, 2, 3, 4].map(restartDelayMs)).toEqual([100, 200, 400, 800]);
    expect(restartDelayMs(30)).toBe(60_000);
  });

  it('start --all --filter restart-policy leaves unless-stopped containers the user stopped alone', async () => {
    const { startFilter } = await import('../../../../libpod/container-engine');
    const mk = (name: string, policy: 'always' | 'unless-stopped' | 'no', stopped = false) => container({ name, state: 'exited', spec: { ...container().spec, restartPolicy: { name: policy, maxRetries: 0 } }, status: { stoppedByUser: stopped } });
    const all = [mk('a', 'always', true), mk('u', 'unless-stopped'), mk('s', 'unless-stopped', true), mk('n', 'no')];
    const keep = startFilter(['restart-policy=always', 'restart-policy=unless-stopped']);
    expect(all.filter(keep).map((c) => c.name)).toEqual(['a', 'u']);
    expect(all.filter(startFilter([])).map((c) => c.name)).toEqual(['a', 'u', 's', 'n']);
  });
});
