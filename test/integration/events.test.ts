// `events` as the unprivileged user against real containers: a follower started before a run sees
// only that run's events, in Podman's order and JSON shape; exec, attach, volume and network
// events are recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { Store, asUser, mirrorDockerHub, registry, tspodBin } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const store = new Store('events');
let env: Record<string, string> = {};
const tspod = (args: string[]) => store.tspod(args, { env });

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

/** `events` run in the background until stop(): what it printed. */
function follow(args: string[]): { out: () => string; stop: () => Promise<void> } {
  const argv = asUser([tspodBin, '--root', store.root, '--runroot', store.runroot, 'events', ...args], env);
  const child = spawn(argv[0], argv.slice(1));
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return {
    out: () => out,
    stop: async () => {
      // runuser's child is the tspod: end it by its store, which no other test's process names.
      spawnSync('pkill', ['-TERM', '-f', `${store.root} --runroot ${store.runroot} events`]);
      await new Promise((r) => (child.exitCode === null ? child.on('exit', r) : r(null)));
    },
  };
}

async function until(what: string, fn: () => boolean, ms = 20_000): Promise<void> {
  for (const deadline = Date.now() + ms; !fn(); await sleep(50)) if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

const jsonLines = (text: string) => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('events', () => {
  it('started before a run --rm prints only that run, in order, as Podman 5 JSON', async () => {
    // History the follower must not replay.
    expect(tspod(['run', '--rm', '--name', 'older', 'busybox', 'true']).code).toBe(0);
    expect(tspod(['volume', 'create', 'oldvol']).code).toBe(0);
    const f = follow(['--format', 'json']);
    try {
      await sleep(1500); // its start-up, so that the run comes after it
      const run = tspod(['run', '--rm', '--name', 'fresh', 'busybox', 'true']);
      expect(run.code, run.stderr).toBe(0);
      await until('the remove event', () => f.out().includes('"Status":"remove"'));
    } finally {
      await f.stop();
    }
    const events = jsonLines(f.out());
    expect(events.map((e) => `${e.Status} ${e.Name}`)).toEqual(['create', 'init', 'start', 'attach', 'died', 'cleanup', 'remove'].map((s) => `${s} fresh`));
    const id = events[0].ID as string;
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    // Podman 5's keys, in its order; the exit code on died (and remove).
    const died = f.out().trim().split('\n')[4];
    expect(died).toMatch(new RegExp(`^\\{"ContainerExitCode":0,"ID":"${id}","Image":"docker.io/library/busybox:latest","Name":"fresh","Status":"died","time":\\d{10},"timeNano":\\d{19},"Type":"container","Attributes":\\{\\}\\}$`));
    expect(events[0]).toEqual({ ID: id, Image: 'docker.io/library/busybox:latest', Name: 'fresh', Status: 'create', time: expect.any(Number), timeNano: expect.any(Number), Type: 'container', Attributes: {} });
    expect(events[6].ContainerExitCode).toBe(0);
    // With --since, the history is there.
    const past = jsonLines(tspod(['events', '--since', '5m', '--stream=false', '--format', 'json', '--filter', 'type=volume']).stdout);
    expect(past.map((e) => `${e.Status} ${e.Name}`)).toEqual(['create oldvol']);
  });

  it('records exec and exec_died with its exit code, attach, and labels as attributes', () => {
    expect(tspod(['run', '-d', '--name', 'ex', '--label', 'tier=web', 'busybox', 'sh', '-c', 'sleep 1; echo hi; sleep 100']).code).toBe(0);
    expect(tspod(['exec', 'ex', 'sh', '-c', 'exit 3']).code).toBe(3);
    const ev = jsonLines(tspod(['events', '--since', '1m', '--stream=false', '--format', 'json', '--filter', 'container=ex', '--filter', 'event=exec', '--filter', 'event=exec_died']).stdout);
    // Podman takes {{json .}} as json.
    const asJson = (format: string) => tspod(['events', '--since', '1m', '--stream=false', '--format', format, '--filter', 'container=ex']).stdout;
    expect(asJson('{{json .}}')).toBe(asJson('json'));
    expect(ev.map((e) => [e.Status, e.ContainerExitCode, e.Attributes])).toEqual([
      ['exec', undefined, { tier: 'web' }],
      ['exec_died', 3, { tier: 'web' }],
    ]);
    const line = tspod(['events', '--since', '1m', '--stream=false', '--filter', 'label=tier=web', '--filter', 'event=start']);
    expect(line.stdout).toMatch(/^\S+ \S+ \+0000 UTC container start [0-9a-f]{64} \(image=docker\.io\/library\/busybox:latest, name=ex, tier=web\)\n$/);
    expect(tspod(['stop', '-t', '0', 'ex']).code).toBe(0);
  });

  it('records attach to a running container', () => {
    expect(tspod(['run', '-d', '--name', 'at', 'busybox', 'sh', '-c', 'sleep 1; echo hi']).code).toBe(0);
    const a = tspod(['attach', 'at']);
    expect(a.code, a.stderr).toBe(0);
    expect(tspod(['events', '--since', '1m', '--stream=false', '--filter', 'container=at', '--format', '{{.Status}}']).stdout).toBe('create\ninit\nstart\nattach\ndied\ncleanup\n');
  });

  it("records image events with Podman's statuses and names, pull-error with its error", () => {
    const t0 = new Date().toISOString();
    const id = tspod(['image', 'inspect', '--format', '{{.Id}}', 'busybox']).stdout.trim().replace(/^sha256:/, '');
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const tar = path.join(store.dir, 'bb.tar');
    for (const args of [['tag', 'busybox', 'localhost/mine:1'], ['untag', 'busybox', 'localhost/mine:1'], ['save', '-o', tar, 'busybox']]) expect(tspod(args).code).toBe(0);
    expect(tspod(['pull', '--tls-verify=false', '127.0.0.1:1/bogus']).code).toBe(125);
    expect(tspod(['rmi', '-f', 'busybox']).code).toBe(0);
    expect(tspod(['load', '-i', tar]).code).toBe(0);
    const r = tspod(['events', '--since', t0, '--stream=false', '--filter', 'type=image', '--format', '{{.Status}}--{{.Name}}--{{.ID}}']);
    expect(r.stdout.trim().split('\n')).toEqual([
      `tag--localhost/mine:1--${id}`,
      `untag--localhost/mine:1--${id}`,
      `save--${tar}--${id}`,
      'pull-error--127.0.0.1:1/bogus--',
      `untag--docker.io/library/busybox:latest--${id}`,
      `remove--${id}--${id}`,
      `loadfromarchive--${tar}--${id}`,
    ]);
    const err = jsonLines(tspod(['events', '--since', t0, '--stream=false', '--filter', 'event=pull-error', '--format', 'json']).stdout);
    expect(err).toEqual([{ Name: '127.0.0.1:1/bogus', Status: 'pull-error', time: expect.any(Number), timeNano: expect.any(Number), Type: 'image', Error: expect.stringMatching(/127\.0\.0\.1:1/), Attributes: null }]);
    const line = tspod(['events', '--since', t0, '--stream=false', '--filter', 'event=pull-error']).stdout;
    expect(line).toMatch(/^\S+ \S+ \+0000 UTC image pull-error  127\.0\.0\.1:1\/bogus \S.*\n$/);
  });

  it("records volume and network changes in Podman's lines, prune and connect too", () => {
    expect(tspod(['volume', 'rm', 'oldvol']).code).toBe(0);
    const t0 = new Date().toISOString();
    expect(tspod(['create', '--name', 'joiner', 'busybox', 'true']).code).toBe(0);
    const cid = tspod(['inspect', '--format', '{{.Id}}', 'joiner']).stdout.trim();
    const steps = [['volume', 'create', 'v1'], ['volume', 'rm', 'v1'], ['volume', 'create', 'v2'], ['volume', 'prune', '-f'], ['network', 'create', 'n1'], ['network', 'connect', 'n1', 'joiner'], ['network', 'disconnect', 'n1', 'joiner'], ['network', 'rm', 'n1']];
    for (const args of steps) expect(tspod(args).code, args.join(' ')).toBe(0);
    const lines = tspod(['events', '--since', t0, '--stream=false', '--filter', 'type=volume', '--filter', 'type=network']).stdout.trim().split('\n');
    const shape = lines.map((l) => l.replace(/^\S+ \S+ \+0000 UTC /, '').replaceAll(cid, 'CID').replace(/[0-9a-f]{64}/, 'ID'));
    expect(shape).toEqual([
      'volume create v1',
      'volume remove v1',
      'volume create v2',
      'volume remove v2',
      'volume prune v2',
      'network create ID (name=n1, type=bridge)',
      'network connect CID (container=CID, name=n1)',
      'network disconnect CID (container=CID, name=n1)',
      'network remove ID (name=n1, type=bridge)',
    ]);
    expect(tspod(['rm', 'joiner']).code).toBe(0);
  });
});
