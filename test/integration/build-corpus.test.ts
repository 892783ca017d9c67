// The acceptance corpus of `tspod build` (test/fixtures/build/NN-name): each case is built by tspod
// and by `podman build` (4.3.1, as the same user, its own store) in this run; both images are saved
// and compared: the Config fields, the history's created_by and empty_layer, and every file of the
// flattened layers (type, owner, mode, link target, content hash, xattrs, hard links). What differs
// must be listed with its reason in docs/build.md; each case also has exact expectations of its own,
// checked on both images, so two equally wrong results do not pass. Cases Podman 4.3.1 cannot build
// (heredocs) are checked against those expectations alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Store, registry, run, runConcurrently, testUser, userEnv, type RunResult } from './harness';
import { readDockerArchive, type SavedImage } from './image-files';
import { compareImages, historyOf, knownDifferences } from './build-corpus-compare';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');
if (!fs.existsSync('/usr/bin/podman')) throw new Error('podman is not installed: scripts/setup-host.sh --test-users installs it for these comparisons');

const FIXTURES = path.resolve(__dirname, '../fixtures/build');
const DOC = path.resolve(__dirname, '../../docs/build.md');
const cases = fs.readdirSync(FIXTURES).filter((d) => /^\d\d-/.test(d)).sort();

interface CaseSpec {
  /** Options after `build`: only -t, -f, --target, --build-arg (what both tools share). */
  args?: string[];
  /** False when Podman 4.3.1 cannot build the case: tspod's image is checked against EXPECT alone. */
  podman?: boolean;
  /** --secret values; src= is relative to the case directory. */
  secrets?: string[];
  /** Builds made first, by both tools: a context under the case directory and its options. */
  before?: { context: string; args: string[] }[];
  /** Modes git cannot keep (a directory's), set on the copied context before the builds: path -> octal. */
  modes?: Record<string, string>;
}

/** Files 0644 or 0755 (git keeps only the execute bit), directories 0755, whatever the checkout's umask. */
function normaliseModes(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      fs.chmodSync(p, 0o755);
      normaliseModes(p);
    } else if (e.isFile()) fs.chmodSync(p, fs.statSync(p).mode & 0o100 ? 0o755 : 0o644);
  }
}

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
const arch = ARCH[process.arch] ?? process.arch;
const SECRET = 'corpus-secret-5b1f9c-do-not-store';

interface Expectation {
  /** Exact contents of files. */
  files?: Record<string, string>;
  /** Paths that must not be in the image. */
  absent?: string[];
  /** Exact values of Config fields. */
  config?: Record<string, unknown>;
  /** Anything else, on the saved image. */
  check?: (img: SavedImage) => void;
}

// Soft: every expectation and difference of a case is reported, not only the first.
const soft = expect.soft;
const text = (img: SavedImage, p: string) => img.contents.get(p)?.toString('utf8');
const cfg = (img: SavedImage) => (img.config.config ?? img.config.Config) as Record<string, any>;

// What each case must produce, whichever tool built it (facts of the Dockerfile reference).
const EXPECT: Record<string, Expectation> = {
  '01-scratch-copy': {
    files: { '/hello.txt': 'hello\n', '/tree/a': 'a\n', '/tree/sub/b': 'b\n' },
    absent: ['/tree/tree', '/bin'],
    config: { Cmd: ['/hello.txt'] },
    check: (img) => soft(img.files.get('/tree/run.sh')).toMatchObject({ type: 'file', mode: '0755', uid: 0, gid: 0 }),
  },
  '02-multistage-copy-from': {
    files: { '/result.txt': 'built\n', '/out-dir/result.txt': 'built\n' },
    config: { Entrypoint: ['/bin/busybox'] },
    check: (img) => {
      soft(img.files.get('/result.txt')).toMatchObject({ uid: 33, gid: 33, mode: '0640' });
      soft(img.files.get('/bin/busybox')).toMatchObject({ type: 'file', mode: '0755' });
      soft(img.contents.get('/etc/passwd')?.toString()).toMatch(/^root:x:0:0:/);
    },
  },
  '03-target': { files: { '/base.txt': 'base\n', '/wanted.txt': 'wanted\n' }, absent: ['/after.txt'], config: { Cmd: ['cat', '/wanted.txt'] }, check: (img) => soft(cfg(img).Env).toContain('STAGE=wanted') },
  '04-arg-before-from': { files: { '/base.txt': 'base=busybox\n', '/tag.txt': 'tag=latest\n' } },
  '05-arg-scoping': {
    files: { '/before.txt': 'before=[]\n', '/after.txt': 'after=[from-global]\n', '/local.txt': 'local=default over=from-cli unset=[]\n' },
    check: (img) => soft(cfg(img).Env.slice(1)).toEqual(['FROM_ARG=default', 'OVER=from-cli']),
  },
  '06-predefined-args': { files: { '/platform.txt': `linux ${arch} linux/${arch} linux/${arch} ${arch}\n` }, check: (img) => soft(cfg(img).Env).toContain(`SEEN_ARCH=${arch}`) },
  '07-env-forms': {
    files: { '/env.txt': '1|two words|single $A|value with  spaces|1|fallback|set||11|two words|$A\n' },
    // Order aside: where a re-set PATH goes is compared between the tools, not expected here.
    check: (img) => soft([...cfg(img).Env].sort()).toEqual(['A=1', 'B=two words', 'C=single $A', 'LEGACY=value with  spaces', 'D=1', 'E=fallback', 'F=set', 'G=', 'H=11', 'I=two words', 'J=$A', 'PATH=/opt/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'].sort()),
  },
  '08-label': { check: (img) => soft(cfg(img).Labels).toMatchObject({ simple: 'value', 'quoted key': 'quoted value', 'multi.line': 'yes', empty: '', spaces: 'a  b', version: '1.2.3' }) },
  '09-expose': { config: { ExposedPorts: { '80/tcp': {}, '443/tcp': {}, '53/udp': {}, '8080/tcp': {} } } },
  '10-volume': { files: { '/data/kept.txt': 'keep\n' }, config: { Volumes: { '/data': {}, '/logs': {}, '/plain': {}, '/other': {} } } },
  '11-workdir': { files: { '/pwd1.txt': '/app\n', '/pwd2.txt': '/app/sub\n', '/pwd3.txt': '/srv/x\n' }, config: { WorkingDir: '/abs/path' } },
  '12-user-by-name': {
    files: { '/id.txt': 'uid=33(www-data) gid=33(www-data) groups=33(www-data)\n', '/id2.txt': 'uid=65534(nobody) gid=33(www-data) groups=33(www-data)\n' },
    config: { User: 'www-data' },
    check: (img) => {
      soft(img.files.get('/tmp/owned-by-www-data')).toMatchObject({ uid: 33, gid: 33 });
      soft(img.files.get('/var/www/app')).toMatchObject({ type: 'dir', uid: 33, gid: 0 });
    },
  },
  '13-cmd-entrypoint-shell': { config: { Entrypoint: ['/bin/sh', '-c', 'echo "entry $HOME"'], Cmd: ['/bin/sh', '-c', 'echo "cmd form"'] } },
  '14-cmd-entrypoint-exec': { files: { '/exec.txt': 'exec form\n' }, config: { Entrypoint: ['/bin/echo', 'entry'], Cmd: ['a', 'b c'] } },
  '15-shell': { files: { '/shell.txt': 'shell=/bin/sh\n', '/ash.txt': 'ash\n' }, config: { Shell: ['/bin/busybox', 'ash', '-c'] } },
  '16-stopsignal': { config: { StopSignal: 'SIGUSR1' } },
  // Durations in nanoseconds; what the option did not set stays out (the runtime's default applies).
  '17-healthcheck': { config: { Healthcheck: { Test: ['CMD', '/bin/true', '--probe'], Interval: 60_000_000_000, Timeout: 3_000_000_000 } } },
  '18-onbuild': {
    files: { '/base.txt': 'base\n', '/triggered.txt': 'triggered\n', '/from-child/child.txt': 'child\n', '/both.txt': 'triggered\nchild\n' },
    check: (img) => soft(cfg(img).OnBuild ?? []).toEqual([]),
  },
  '19-add-tar': {
    files: { '/opt/pkg/etc/app.conf': 'key=value\n', '/plain/etc/conf.d/x.conf': 'd\n', '/kept/pkg.tar.gz/pkg/etc/conf.d/x.conf': 'd\n' },
    absent: ['/opt/pkg.tar.gz', '/plain/plain.tar'],
    check: (img) => {
      soft(img.files.get('/opt/pkg/etc/app.conf')).toMatchObject({ uid: 1000, gid: 1000, mode: '0640' });
      soft(img.files.get('/opt/pkg/bin/conf-link')).toMatchObject({ type: 'symlink', linkTarget: '../etc/app.conf' });
      soft(img.files.get('/opt/pkg/bin/tool')?.hardLinks).toEqual(['/opt/pkg/bin/tool-hard']);
      soft(img.files.get('/opt/pkg/etc/conf.d')).toMatchObject({ type: 'dir', mode: '0750' });
    },
  },
  '20-add-chown-chmod': {
    files: { '/added/owned.txt': 'add me\n', '/added/tree/t.txt': 't\n' },
    check: (img) => {
      soft(img.files.get('/added/owned.txt')).toMatchObject({ uid: 33, gid: 33, mode: '0644' });
      soft(img.files.get('/added/private.txt')).toMatchObject({ uid: 0, gid: 0, mode: '0600' });
      soft(img.files.get('/added/tree/t.txt')).toMatchObject({ uid: 33, gid: 65534, mode: '0755' });
    },
  },
  '21-copy-flags': {
    files: { '/globbed/one.txt': 'one\n', '/globbed/two.txt': 'two\n', '/contents/x': 'x\n', '/contents/nested/n1': 'n\n', '/dir-no-slash/x': 'x\n', '/renamed': 'one\n', '/multi/two.txt': 'two\n', '/into-dir/one.txt': 'one\n', '/nested-glob/n2': 'm\n' },
    absent: ['/globbed/three.md', '/contents/dir', '/dir-no-slash/dir'],
    check: (img) => {
      soft(img.files.get('/owned/one.txt')).toMatchObject({ uid: 33, gid: 33 });
      soft(img.files.get('/owned/uid-only.txt')).toMatchObject({ uid: 33, gid: 33 });
      soft(img.files.get('/modes/exec.txt')).toMatchObject({ uid: 0, mode: '0755' });
      soft(img.files.get('/modes/private.txt')).toMatchObject({ uid: 65534, gid: 65534, mode: '0400' });
      soft(img.files.get('/contents/nested')).toMatchObject({ type: 'dir', mode: '0700' });
    },
  },
  '22-dockerignore': {
    files: { '/ctx/keep.log': 'k\n', '/ctx/sub/keep-too.log': 'kt\n', '/ctx/sub/top.txt': 's\n', '/ctx/secret-dir/allowed.txt': 'allowed\n', '/ctx/sub/scratch.tmp': 't2\n' },
    absent: ['/ctx/a.log', '/ctx/top.txt', '/ctx/sub/x.log', '/ctx/sub/deeper/d.log', '/ctx/secret-dir/hidden.txt', '/ctx/scratch.tmp'],
  },
  '23-heredoc': {
    files: {
      '/first.txt': 'first heredoc\nsecond\n',
      '/tabs.txt': 'tabs stripped\n',
      '/quoted.txt': 'not expanded: $WHO\nbut the shell sees heredoc\n',
      '/copied.txt': 'copied for heredoc\n',
      '/copied-quoted.txt': 'literal $WHO\n',
      '/via-stdin.txt': 'from stdin\n',
    },
  },
  '24-cache-mount': { files: { '/log.txt': 'run 1\nrun 2\n', '/named.txt': 'named 1\nnamed 2\n' }, absent: ['/cache/log', '/var/cache/named/log'] },
  '25-bind-mount': {
    files: { '/copied.txt': 'data\n', '/inner.txt': 'inner\n', '/ctx-list.txt': 'Containerfile\ndata.txt\ndir\n', '/from-stage.txt': 'from stage\n', '/group-from-image.txt': 'root:x:0:\nwww-data:x:33:\nnogroup:x:65534:\n' },
    absent: ['/mnt/data.txt', '/ctx/data.txt', '/b/x.txt', '/img-etc/group'],
  },
  '26-secret-mount': {
    files: { '/secret-sha.txt': 'd7916281b9bba4951469a22764f32c02be78a6bbd44b3c40ae77443950b80dc3\n', '/secret-len.txt': `${SECRET.length}\n`, '/secret-mode.txt': '400\n', '/absent.txt': 'absent-ok\n' },
    absent: ['/run/secrets/token', '/private/tok', '/secret.bin'],
    check: (img) => {
      for (const blob of img.raw) soft(blob.includes(SECRET)).toBe(false);
      soft(JSON.stringify(img.config)).not.toContain(SECRET);
    },
  },
  '27-tmpfs-mount': { files: { '/tmpfs-list.txt': 'f\n', '/tmpfs-mounted.txt': '1\n' }, absent: ['/scratch/f'] },
  '28-whiteout-opaque-links': {
    files: { '/kept': 'kept\n', '/d/new': 'new\n', '/h1': 'linked\n', '/h2': 'linked\n' },
    absent: ['/gone', '/d/a', '/d/sub', '/d/sub/b', '/etc/group'],
    check: (img) => {
      soft(img.files.get('/h1')).toMatchObject({ type: 'file', mode: '4755', hardLinks: ['/h2'] });
      soft(img.files.get('/sym')).toMatchObject({ type: 'symlink', linkTarget: '/h1' });
      soft(img.files.get('/dangling')).toMatchObject({ type: 'symlink', linkTarget: '../nowhere' });
      soft(img.files.get('/dmode')).toMatchObject({ type: 'dir', mode: '0750' });
      soft(img.files.get('/fifo')).toMatchObject({ type: 'fifo' });
      soft(img.files.get('/etc/passwd')).toMatchObject({ type: 'file' });
    },
  },
  '29-capability-xattr': {
    files: { '/caps/plain.txt': 'plain\n' },
    // cap_net_raw+ep as setcap(8) writes it: VFS_CAP_REVISION_2, effective, permitted bit 13.
    check: (img) => soft(img.files.get('/caps/pinger')?.xattrs?.['security.capability']).toBe('0100000200200000000000000000000000000000'),
  },
  '30-escape-directive': { files: { '/escaped.txt': 'one\ntwo\n' } },
  '31-continuation-comments': { files: { '/cont.txt': 'first\nsecond\nthird\n' }, check: (img) => soft(cfg(img).Env.slice(1)).toEqual(['A=1', 'B=2']), config: { Labels: expect.objectContaining({ k1: 'v1', k2: 'v2' }) } },
  '32-debian-bash-user': {
    files: { '/bash.txt': 'bash 5\n', '/home/builder/work/id.txt': 'uid=1234(builder) gid=1234(builder) groups=1234(builder)\n', '/home/builder/work/home.txt': '/home/builder\n', '/home/builder/work/group.txt': 'users\n' },
    config: { User: 'builder:users', WorkingDir: '/home/builder/work', Shell: ['/bin/bash', '-o', 'pipefail', '-c'] },
    check: (img) => soft(img.files.get('/home/builder/work/id.txt')).toMatchObject({ uid: 1234, gid: 1234 }),
  },
  '33-healthcheck-none': { config: { Healthcheck: { Test: ['NONE'] } } },
};

function checkExpectations(name: string, tool: string, img: SavedImage): void {
  const e = EXPECT[name];
  for (const [p, want] of Object.entries(e.files ?? {})) soft(text(img, p), `${tool}'s ${name}: ${p}`).toBe(want);
  for (const p of e.absent ?? []) soft(img.files.has(p), `${tool}'s ${name}: ${p} should be absent`).toBe(false);
  for (const [k, want] of Object.entries(e.config ?? {})) soft(cfg(img)[k], `${tool}'s ${name}: Config.${k} is ${JSON.stringify(cfg(img)[k])}`).toEqual(want);
  e.check?.(img);
}

describe('build corpus: tspod build against podman build', () => {
  const store = new Store('build-corpus');
  const podmanRoot = path.join(store.dir, 'podman');
  // Podman refuses a runroot longer than 50 characters: a short one of this run's own.
  const podmanRunroot = fs.mkdtempSync('/tmp/corpus-');
  const podmanXdg = path.join(podmanRunroot, 'xdg');
  const ctxRoot = path.join(store.dir, 'cases');
  const saves = path.join(store.dir, 'saves');
  let env: Record<string, string> = {};
  const known = knownDifferences(DOC);

  // Asynchronous: a build blocks for seconds, and a worker blocked that long loses vitest's RPC.
  const tspod = (args: string[]): Promise<RunResult> => store.tspodAsync(args, { env });
  const podman = async (args: string[]): Promise<RunResult> => {
    const cmd = ['podman', '--root', `${podmanRoot}/root`, '--runroot', podmanRunroot, '--storage-driver', 'overlay', '--cgroup-manager', 'cgroupfs', '--events-backend', 'file', '--runtime', 'runc', ...args];
    // TMPDIR: where buildah keeps RUN --mount=type=cache directories; XDG_RUNTIME_DIR: where rootless
    // Podman keeps its pause process's pid; both this run's own, apart from other Podman users.
    return (await runConcurrently([cmd], { env: { ...env, TMPDIR: path.join(podmanRoot, 'tmp'), XDG_RUNTIME_DIR: podmanXdg } }))[0];
  };

  beforeAll(async () => {
    // docker.io's location is the test registry itself: short names resolve as on a real host, and
    // no pull ever leaves this machine (a mirror would fall back to docker.io on a miss).
    const conf = path.join(store.dir, 'registries.conf');
    fs.writeFileSync(conf, `unqualified-search-registries = ["docker.io"]\n[[registry]]\nprefix = "docker.io"\nlocation = "${registry}"\ninsecure = true\n`);
    fs.chmodSync(conf, 0o644);
    env = { CONTAINERS_REGISTRIES_CONF: conf };
    for (const d of [podmanRoot, path.join(podmanRoot, 'tmp'), ctxRoot, saves]) fs.mkdirSync(d, { recursive: true });
    fs.mkdirSync(podmanXdg, { mode: 0o700 });
    // The contexts as a user has them: the test user's files, modes as in git.
    fs.cpSync(FIXTURES, ctxRoot, { recursive: true });
    normaliseModes(ctxRoot);
    for (const name of cases) {
      const specFile = path.join(ctxRoot, name, 'case.json');
      const modes: Record<string, string> = fs.existsSync(specFile) ? (JSON.parse(fs.readFileSync(specFile, 'utf8')).modes ?? {}) : {};
      for (const [p, m] of Object.entries(modes)) fs.chmodSync(path.join(ctxRoot, name, p), parseInt(m, 8));
    }
    const u = userEnv(testUser);
    if (testUser) run(['chown', '-R', `${u.uid}:${u.gid}`, store.dir, podmanRunroot], { user: '' });
    for (const image of ['busybox', 'debian']) {
      const t = await tspod(['pull', '-q', image]);
      if (t.code !== 0) throw new Error(`tspod pull ${image}: ${t.stderr}`);
      const p = await podman(['pull', '-q', image]);
      if (p.code !== 0) throw new Error(`podman pull ${image}: ${p.stderr}`);
    }
  });
  afterAll(async () => {
    await podman(['rmi', '-a', '-f']);
    await podman(['system', 'migrate']); // ends this run's pause process
    store.cleanup();
    fs.rmSync(podmanRunroot, { recursive: true, force: true });
  });

  it('has a case for every expectation and an expectation for every case', () => {
    expect(cases.length).toBeGreaterThanOrEqual(26);
    expect(Object.keys(EXPECT).sort()).toEqual(cases);
    for (const k of known) expect(cases, `docs/build.md lists ${k.case}, which is no case`).toContain(k.case);
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = path.join(ctxRoot, name);
      const specFile = path.join(dir, 'case.json');
      const spec: CaseSpec = fs.existsSync(specFile) ? JSON.parse(fs.readFileSync(specFile, 'utf8')) : {};
      const secrets = (spec.secrets ?? []).flatMap((s) => ['--secret', s.replace(/src=([^,]+)/, (_m, f: string) => `src=${path.join(dir, f)}`)]);
      const tag = `corpus-${name}`;
      const tools = spec.podman === false ? (['tspod'] as const) : (['tspod', 'podman'] as const);
      const images: Partial<Record<'tspod' | 'podman', SavedImage>> = {};
      for (const tool of tools) {
        const cli = tool === 'tspod' ? tspod : podman;
        for (const b of spec.before ?? []) {
          const r = await cli(['build', '--format', 'docker', ...b.args, path.join(dir, b.context)]);
          expect(r.code, `${tool} build of ${name}/${b.context} first: ${r.stderr}`).toBe(0);
        }
        const r = await cli(['build', '--format', 'docker', '-t', tag, ...(spec.args ?? []), ...secrets, dir]);
        expect(r.code, `${tool} build ${name}: ${r.stdout.slice(-2000)}${r.stderr}`).toBe(0);
        const archive = path.join(saves, `${tool}-${name}.tar`);
        const s = await cli(['save', '--format', 'docker-archive', '-o', archive, tag]);
        expect(s.code, `${tool} save ${name}: ${s.stderr}`).toBe(0);
        images[tool] = readDockerArchive(archive);
        fs.rmSync(archive);
        checkExpectations(name, tool, images[tool]!);
      }
      if (!images.podman) return;
      expect(historyOf(images.tspod!).length, `${name}: tspod's image has no history`).toBeGreaterThan(0);
      const diffs = compareImages(images.tspod!, images.podman);
      const listed = known.filter((k) => k.case === name).map((k) => k.key).sort();
      const found = diffs.map((d) => d.key);
      // One line per unlisted difference (both values) and per stale row, so that a failure says it all.
      const unlisted = diffs.filter((d) => !listed.includes(d.key)).map((d) => `unlisted ${d.key}: tspod ${JSON.stringify(d.tspod)} podman ${JSON.stringify(d.podman)}`);
      const stale = listed.filter((k) => !found.includes(k)).map((k) => `stale row of docs/build.md: ${k}`);
      soft([...unlisted, ...stale].join('\n'), `${name}: differences not in docs/build.md, and rows of it that no longer differ`).toBe('');
    });
  }
});
