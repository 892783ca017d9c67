// `tspod build`'s command line as the unprivileged user (issue 21): the errors and refusals it
// gives before anything is built, the files its flags name, and builder prune's prompt and report.
// What the build itself does with a Containerfile is test/integration/build-corpus.test.ts's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Store, mirrorDockerHub, registry, removeTree, userTempDir } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('buildcli');
let env: Record<string, string> = {};
let ctx = '';
const tspod = (args: string[], opts: { input?: string; cwd?: string } = {}) => store.tspod(args, { env, ...opts });

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
  ctx = userTempDir('buildctx');
  fs.writeFileSync(path.join(ctx, 'Containerfile'), 'FROM busybox\nARG GREETING=hi\nRUN echo "$GREETING" > /greeting\nLABEL built.by=tspod\n');
  fs.chmodSync(path.join(ctx, 'Containerfile'), 0o644);
});

afterAll(() => {
  store.cleanup();
  removeTree(ctx);
});

describe('build refuses what it cannot do, before building', () => {
  it('asks for a context or a Containerfile when given neither', () => {
    expect(tspod(['build'], { cwd: ctx })).toMatchObject({ code: 125, stdout: '', stderr: 'Error: no context directory and no Containerfile specified: give the context directory ("tspod build DIR") or a Containerfile with -f\n' });
  });

  it('takes one context, as Podman says', () => {
    expect(tspod(['build', '--pull', 'always', ctx])).toMatchObject({ code: 125, stderr: 'Error: accepts at most 1 arg(s), received 2: give one context (a --pull policy is written --pull=POLICY)\n' });
  });

  it("refuses another platform than this host's", () => {
    const res = tspod(['build', '--platform', 'linux/s390x', ctx]);
    expect(res.code).toBe(125);
    expect(res.stderr).toMatch(/^Error: --platform linux\/s390x is not supported on this linux\/\w+ host: tspod builds for this host's platform only, with no emulation to run another architecture's RUN steps: build on a machine of that platform and join the images with tspod manifest create\n$/);
  });

  it('names a --secret file that does not exist, and a bad --output', () => {
    expect(tspod(['build', '--secret', 'id=tok,src=/nonexistent/token', ctx])).toMatchObject({ code: 125, stderr: 'Error: --secret tok: the file /nonexistent/token does not exist: give the file that holds the secret with src=PATH, or a variable of ours with env=NAME\n' });
    expect(tspod(['build', '-o', 'type=registry,dest=x', ctx])).toMatchObject({ code: 125, stderr: 'Error: invalid --output "type=registry,dest=x": type "registry" is not one tspod writes: use type=local or type=tar\n' });
  });

  it('refuses Podman options it does not have with the reason, under every name of the command', () => {
    for (const verb of [['build'], ['image', 'build'], ['buildx', 'build'], ['builder', 'build']]) {
      expect(tspod([...verb, '--ssh', 'default', ctx])).toMatchObject({
        code: 125,
        stdout: '',
        stderr: 'Error: --ssh is not supported: tspod does not forward SSH agents or keys into RUN steps: fetch what needs SSH before the build and put it in the context, or pass a key file as a --secret\n',
      });
    }
  });
});

/** The last line of a build's output: the image ID. */
const lastLine = (out: string) => out.trimEnd().split('\n').pop()!;

describe('build hands its flags to the engine', () => {
  it('reads build arguments from a file and the command line, and writes the ID to --iidfile', () => {
    const args = path.join(ctx, 'args.conf');
    fs.writeFileSync(args, '# the greeting\nGREETING=from-file\n');
    fs.chmodSync(args, 0o644);
    const iid = path.join(ctx, 'iid');
    const res = tspod(['build', '-t', 'cli:args', '--build-arg-file', 'args.conf', '--iidfile', 'iid', '.'], { cwd: ctx });
    expect(res.code).toBe(0);
    expect(lastLine(res.stdout)).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.readFileSync(iid, 'utf8')).toBe(`sha256:${lastLine(res.stdout)}`);
    expect(tspod(['run', '--rm', 'cli:args', 'cat', '/greeting'])).toMatchObject({ code: 0, stdout: 'from-file\n' });
    const over = tspod(['build', '-q', '-t', 'cli:over', '--build-arg-file', args, '--build-arg', 'GREETING=from-flag', ctx]);
    expect(over.code).toBe(0);
    expect(tspod(['run', '--rm', 'cli:over', 'cat', '/greeting']).stdout).toBe('from-flag\n');
  });

  it('takes the Containerfile from stdin with -f -, and a secret from our environment', () => {
    const file = 'FROM busybox\nRUN --mount=type=secret,id=API_TOKEN cat /run/secrets/API_TOKEN > /token\n';
    const res = store.tspod(['build', '-q', '-t', 'cli:stdin', '--secret', 'id=API_TOKEN', '-f', '-', ctx], { env: { ...env, API_TOKEN: 'tok-123' }, input: file });
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(res.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(tspod(['run', '--rm', 'cli:stdin', 'cat', '/token']).stdout).toBe('tok-123');
  });

  it('adds the image to the --manifest list, making the list the first time', () => {
    const first = tspod(['build', '-q', '--manifest', 'localhost/cli-list', '--build-arg', 'GREETING=one', ctx]);
    expect(first.code).toBe(0);
    const second = tspod(['build', '-q', '--manifest', 'localhost/cli-list', '--build-arg', 'GREETING=two', ctx]);
    expect(second.code).toBe(0);
    const list = JSON.parse(tspod(['manifest', 'inspect', 'localhost/cli-list']).stdout) as { manifests: Array<{ platform: { os: string } }> };
    expect(list.manifests.map((m) => m.platform.os)).toEqual(['linux', 'linux']);
  });
});

describe('builder prune', () => {
  it("keeps the steps named images were built from, removes the others, and with --all every step, with Docker's report", () => {
    const steps = () => tspod(['images', '-a', '-q', '--no-trunc']).stdout.split('\n').filter(Boolean).length - tspod(['images', '-q', '--no-trunc']).stdout.split('\n').filter(Boolean).length;
    const kept = steps();
    expect(kept).toBeGreaterThan(0);
    // A build that fails leaves steps no named image comes from.
    const dir = path.join(store.dir, 'abandoned');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'Containerfile'), `FROM busybox\nRUN echo abandoned > /a\nRUN exit 1\n`);
    fs.chmodSync(dir, 0o755);
    expect(tspod(['build', '-q', dir]).code).toBe(1);
    expect(steps()).toBe(kept + 1);
    const res = tspod(['builder', 'prune', '-f']);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(res.stdout).toMatch(/^Deleted build cache objects:\n[0-9a-f]{64}\n\nTotal reclaimed space: \d+(\.\d+)?[kMG]?B\n$/);
    expect(steps()).toBe(kept);
    const all = tspod(['builder', 'prune', '-a', '-f']);
    expect(all).toMatchObject({ code: 0, stderr: '' });
    expect(all.stdout).toMatch(/^Deleted build cache objects:\n([0-9a-f]{64}\n)+\nTotal reclaimed space: \d+(\.\d+)?[kMG]?B\n$/);
    expect(all.stdout.split('\n').filter((l) => /^[0-9a-f]{64}$/.test(l))).toHaveLength(kept);
    expect(steps()).toBe(0);
    expect(tspod(['builder', 'prune', '-f']).stdout).toBe('Total reclaimed space: 0B\n');
  });

  it('asks first, as Docker does, and does nothing on no', () => {
    expect(tspod(['builder', 'prune'], { input: 'n\n' })).toMatchObject({ code: 0, stdout: 'WARNING! This will remove all dangling build cache. Are you sure you want to continue? [y/N] ', stderr: '' });
    expect(tspod(['builder', 'prune', '--all'], { input: '\n' })).toMatchObject({ code: 0, stdout: 'WARNING! This will remove all build cache. Are you sure you want to continue? [y/N] ', stderr: '' });
  });
});
