// Pulling from the real registry on 127.0.0.1 as the unprivileged user: short names through a
// registries.conf mirror, mirror fall-through, platform selection from an index, a connection cut
// mid-layer (resumed with Range), a corrupt blob, a pull killed half-way and resumed, and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Store, asUser, registry, runConcurrently, tspodBin } from './harness';
import { RegistryProxy, configDigest, pushMultiArch, pushSameContentTwice } from './registry-tools';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

function registriesConf(store: Store, body: string): Record<string, string> {
  const file = path.join(store.dir, 'registries.conf');
  fs.writeFileSync(file, body);
  fs.chmodSync(file, 0o644);
  return { CONTAINERS_REGISTRIES_CONF: file };
}

const mirrorConf = (...mirrors: string[]) =>
  `unqualified-search-registries = ["docker.io"]\n[[registry]]\nprefix = "docker.io"\nlocation = "docker.io"\n${mirrors.map((m) => `[[registry.mirror]]\nlocation = "${m}"\ninsecure = true\n`).join('')}`;

// One proxy in front of the registry for the tests that need to cut, corrupt, delay or redirect.
let proxy: RegistryProxy;
let via = '';
beforeAll(async () => {
  proxy = new RegistryProxy(registry);
  via = await proxy.start();
});
afterAll(() => proxy.stop());

describe('tspod pull', () => {
  const store = new Store('pull');
  afterAll(() => store.cleanup());

  it('resolves a short name through the search list and pulls it through a mirror', async () => {
    // The first mirror is closed: the pull falls through to the next one.
    const env = registriesConf(store, mirrorConf('127.0.0.1:1', registry));
    const r = store.tspod(['pull', 'debian'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Trying to pull docker\.io\/library\/debian:latest\.\.\.\n/);
    expect(r.stderr).toMatch(/^Copying blob [a-f0-9]{12} done$/m);
    const id = (await configDigest(registry, 'library/debian', 'latest')).slice(7);
    expect(r.stdout).toBe(`${id}\n`);
    const images = store.tspod(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}'], { env });
    expect(images.stdout).toMatch(new RegExp(`^docker\\.io/library/debian:latest ${id.slice(0, 12)} 1\\d\\d MB\\n$`));
    const inspect = JSON.parse(store.tspod(['image', 'inspect', 'debian'], { env }).stdout)[0];
    expect(inspect.RepoTags).toEqual(['docker.io/library/debian:latest']);
    expect(inspect.RepoDigests[0]).toMatch(/^docker\.io\/library\/debian@sha256:[a-f0-9]{64}$/);
    expect(inspect.Config.Cmd).toEqual(['bash']);
    // The layer is really there, with Debian's own owners (gid 42 on /etc/shadow).
    const m = store.tspod(['image', 'mount', 'debian'], { env }).stdout.trim();
    expect(store.tspod(['unshare', 'stat', '-c', '%u:%g', `${m}/etc/shadow`]).stdout).toBe('0:42\n');
    expect(store.tspod(['image', 'unmount', 'debian']).code).toBe(0);
    // A second pull downloads nothing.
    const again = store.tspod(['pull', 'debian'], { env });
    expect(again.stderr).toMatch(/Copying blob [a-f0-9]{12} skipped: already exists/);
  });

  it('pulls by full name from a loopback registry over plain HTTP, and -q prints only the ID', async () => {
    const r = store.tspod(['pull', '-q', `${registry}/library/busybox`]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${(await configDigest(registry, 'library/busybox', 'latest')).slice(7)}\n`);
    expect(store.tspod(['image', 'exists', `${registry}/library/busybox:latest`]).code).toBe(0);
  });

  it('selects the host platform from an index, and --platform another', async () => {
    const ids = await pushMultiArch(registry, 'test/multi');
    const host = store.tspod(['pull', '-q', `${registry}/test/multi`]);
    expect(host.stdout).toBe(`${ids.amd64.slice(7)}\n`);
    const arm = store.tspod(['pull', '-q', '--platform', 'linux/arm64', `${registry}/test/multi`]);
    expect(arm.stderr).toMatch(/image .* is for architecture arm64, not amd64|^$/);
    expect(arm.stdout).toBe(`${ids.arm64.slice(7)}\n`);
    const none = store.tspod(['pull', '--platform', 'linux/s390x', `${registry}/test/multi`]);
    expect(none.code).toBe(125);
    expect(none.stderr).toMatch(/has no image for linux\/s390x: it offers linux\/amd64, linux\/arm64\/v8; choose one with --platform\n$/);
  });

  it('lets two pulls of the same image run at once: one downloads, the other waits and reuses', async () => {
    const both = new Store('pull-twice');
    try {
      const cmd = [tspodBin, '--root', both.root, '--runroot', both.runroot, 'pull', '-q', `${registry}/library/debian`];
      const [a, b] = await runConcurrently([cmd, cmd]);
      expect(a.stderr + b.stderr).toBe('');
      expect([a.code, b.code]).toEqual([0, 0]);
      expect(a.stdout).toBe(b.stdout);
      expect(fs.readdirSync(path.join(both.root, 'overlay')).filter((n) => n !== 'empty')).toHaveLength(1);
      expect(fs.readdirSync(path.join(both.root, 'tmp', 'partial'))).toEqual([]);
      expect(fs.readdirSync(path.join(both.root, 'tmp')).filter((n) => n.startsWith('stage-'))).toEqual([]);
    } finally {
      both.cleanup();
    }
  });

  it('names the image when it is not found, and refuses invalid names', () => {
    const r = store.tspod(['pull', `${registry}/library/nosuch:1`]);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(new RegExp(`Error: reading manifest of ${registry.replace(/\./g, '\\.')}/library/nosuch:1: ${registry.replace(/\./g, '\\.')} answered 404 .*: not found\\n$`));
    const bad = store.tspod(['pull', 'Bad:Name']);
    expect(bad).toMatchObject({ code: 125 });
    expect(bad.stderr).toMatch(/^Error: invalid reference format "Bad:Name"/m);
    const env = registriesConf(store, 'unqualified-search-registries = []\n');
    expect(store.tspod(['pull', 'debian'], { env }).stderr).toMatch(/short-name "debian" did not resolve to an alias and no unqualified-search registries are defined/);
    const ambiguous = registriesConf(store, 'unqualified-search-registries = ["quay.io", "docker.io"]\n');
    expect(store.tspod(['pull', 'debian'], { env: ambiguous }).stderr).toMatch(/short-name "debian" is ambiguous: it could be any of quay\.io\/debian:latest, docker\.io\/library\/debian:latest; give the full name you mean/);
  });
});

describe('interrupted and corrupt downloads', () => {
  it('resumes a layer with a Range request after the connection is cut', async () => {
    const store = new Store('pull-cut');
    try {
      proxy.mode = 'cut-once';
      proxy.cutAfter = 3 * 1024 * 1024;
      proxy.blobRequests.length = 0;
      const r = await store.tspodAsync(['pull', `${via}/library/debian`]);
      expect(r.stderr).toMatch(/Copying blob [a-f0-9]{12} done/);
      expect(r.code, r.stderr).toBe(0);
      const layerRequests = proxy.blobRequests.filter((b) => b.bytesSent > 1_000_000 || b.range);
      expect(layerRequests[0]).toMatchObject({ range: undefined, bytesSent: 3 * 1024 * 1024 });
      // The second request starts where the client's bytes ended (what was in flight at the cut is lost).
      const resumedAt = Number(/^bytes=(\d+)-$/.exec(layerRequests[1].range ?? '')?.[1]);
      expect(resumedAt).toBeGreaterThan(3 * 1024 * 1024 - 256 * 1024);
      expect(resumedAt).toBeLessThanOrEqual(3 * 1024 * 1024);
      expect(layerRequests).toHaveLength(2);
      const total = layerRequests.reduce((n, b) => n + b.bytesSent, 0) - (3 * 1024 * 1024 - resumedAt);
      const size = JSON.parse((await store.tspodAsync(['image', 'inspect', `${via}/library/debian`])).stdout)[0];
      expect(size.RootFS.Layers).toHaveLength(1);
      // Nothing was downloaded twice: the bytes sent add up to the compressed layer once.
      const manifest = (await (await fetch(`http://${registry}/v2/library/debian/manifests/latest`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })).json()) as { layers: Array<{ size: number }> };
      expect(total).toBe(manifest.layers[0].size);
    } finally {
      proxy.mode = 'pass';
      store.cleanup();
    }
  });

  it('rejects a blob whose content does not match its digest and keeps nothing of it', async () => {
    const store = new Store('pull-corrupt');
    try {
      proxy.mode = 'corrupt';
      const r = await store.tspodAsync(['pull', `${via}/library/busybox`]);
      expect(r.code).toBe(125);
      expect(r.stderr).toMatch(/Error: layer sha256:[a-f0-9]{64} of .* does not match its digest: expected sha256:[a-f0-9]{64}, got sha256:[a-f0-9]{64}( \(\d+ bytes\))?: nothing of it was kept\n$/);
      expect((await store.tspodAsync(['images', '-q'])).stdout).toBe('');
      const tmp = path.join(store.root, 'tmp');
      expect(fs.readdirSync(tmp).filter((n) => n.startsWith('stage-'))).toEqual([]);
      expect(fs.readdirSync(path.join(tmp, 'partial'))).toEqual([]);
      expect(fs.existsSync(path.join(store.root, 'overlay')) ? fs.readdirSync(path.join(store.root, 'overlay')).filter((n) => n !== 'empty') : []).toEqual([]);
    } finally {
      proxy.mode = 'pass';
      store.cleanup();
    }
  });

  it('keeps the bytes of a pull killed with -9 and resumes from them', async () => {
    const store = new Store('pull-kill');
    try {
      proxy.mode = 'slow';
      proxy.blobRequests.length = 0;
      const argv = asUser([tspodBin, '--root', store.root, '--runroot', store.runroot, 'pull', '-q', `${via}/library/debian`]);
      const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: 'ignore' });
      const partialDir = path.join(store.root, 'tmp', 'partial');
      const partialSize = () => (fs.existsSync(partialDir) ? fs.readdirSync(partialDir).reduce((n, f) => n + fs.statSync(path.join(partialDir, f)).size, 0) : 0);
      const deadline = Date.now() + 30_000;
      while (partialSize() < 1_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      process.kill(-child.pid!, 'SIGKILL');
      await new Promise((r) => child.on('exit', r));
      const kept = partialSize();
      expect(kept).toBeGreaterThan(1_000_000);
      proxy.mode = 'pass';
      proxy.blobRequests.length = 0;
      const r = await store.tspodAsync(['pull', `${via}/library/debian`]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/resuming at/);
      const layerGet = proxy.blobRequests.find((b) => b.range);
      expect(layerGet?.range).toMatch(/^bytes=(\d+)-$/);
      expect(Number(/^bytes=(\d+)-$/.exec(layerGet!.range!)![1])).toBeGreaterThanOrEqual(kept - 64 * 1024);
      expect(fs.readdirSync(partialDir)).toEqual([]);
    } finally {
      proxy.mode = 'pass';
      store.cleanup();
    }
  });
});

describe('registry protocol details', () => {
  it('waits as long as Retry-After says when the registry answers 503, then goes on', async () => {
    const store = new Store('pull-busy');
    try {
      proxy.mode = 'busy-once';
      const started = Date.now();
      const r = await store.tspodAsync(['pull', '-q', `${via}/library/busybox`]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      const manifests = proxy.seen.filter((x) => x.path.includes('/manifests/'));
      expect(manifests.length).toBeGreaterThanOrEqual(2);
    } finally {
      proxy.mode = 'pass';
      store.cleanup();
    }
  });

  it('does not download a layer whose content is stored already at another position', async () => {
    const store = new Store('pull-same');
    try {
      const blobs = await pushSameContentTwice(registry, 'test/twice');
      expect((await store.tspodAsync(['pull', '-q', `${via}/library/busybox`])).code).toBe(0);
      proxy.blobRequests.length = 0;
      const r = await store.tspodAsync(['pull', `${via}/test/twice`]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr.match(/skipped: already exists/g)).toHaveLength(2);
      expect(proxy.blobRequests.map((b) => b.path).filter((p) => p.includes(blobs.second) || p.includes(blobs.first))).toEqual([]);
      // The copy is a layer of its own: the image mounts with both, and save still works.
      const m = (await store.tspodAsync(['image', 'mount', `${via}/test/twice`])).stdout.trim();
      expect((await store.tspodAsync(['unshare', 'test', '-x', `${m}/bin/busybox`])).code).toBe(0);
      expect((await store.tspodAsync(['image', 'unmount', `${via}/test/twice`])).code).toBe(0);
      const out = path.join(store.dir, 'twice.tar');
      expect((await store.tspodAsync(['save', '-o', out, `${via}/test/twice`])).code).toBe(0);
    } finally {
      store.cleanup();
    }
  });

  it('follows a redirect to blob storage without sending it the registry credentials', async () => {
    const store = new Store('pull-redirect');
    try {
      proxy.mode = 'basic-redirect';
      proxy.seen.length = 0;
      proxy.storageRequests = [];
      const r = await store.tspodAsync(['pull', '-q', '--creds', 'alice:secret', `${via}/library/busybox`]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(proxy.storageRequests.length).toBeGreaterThanOrEqual(2);
      expect(proxy.storageRequests.every((x) => !x.auth)).toBe(true);
      expect(proxy.seen.filter((x) => x.path.includes('/blobs/')).every((x) => x.auth)).toBe(true);
      const denied = await store.tspodAsync(['pull', '--creds', 'alice:wrong', `${via}/library/debian`]);
      expect(denied.code).toBe(125);
      expect(denied.stderr).toMatch(/answered 401 \(UNAUTHORIZED: authentication required\): authentication required: log in with "tspod login/);
    } finally {
      proxy.mode = 'pass';
      store.cleanup();
    }
  });
});
