// push, save and load as the unprivileged user, and their interoperation with Podman 4.3 (used
// here only as the other party: tspod never calls it) and skopeo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Store, registry, run, userEnv } from './harness';
import { RegistryProxy, configDigest } from './registry-tools';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

describe('push', () => {
  const store = new Store('push');
  let proxy: RegistryProxy;
  let via = '';
  beforeAll(async () => {
    proxy = new RegistryProxy(registry);
    via = await proxy.start();
  });
  afterAll(async () => {
    await proxy.stop();
    store.cleanup();
  });

  it('uploads an imported image whose digest and ID skopeo then reads', async () => {
    const tarDir = path.join(store.dir, 'rootfs');
    fs.mkdirSync(path.join(tarDir, 'etc'), { recursive: true });
    fs.writeFileSync(path.join(tarDir, 'etc', 'motd'), 'pushed by tspod\n');
    const tarFile = path.join(store.dir, 'rootfs.tar');
    run(['tar', '-C', tarDir, '-cf', tarFile, '.'], { user: '' });
    fs.chmodSync(tarFile, 0o644);
    const id = (await store.tspodAsync(['import', '--change', 'CMD ["cat", "/etc/motd"]', tarFile, 'motd'])).stdout.trim();
    const digestFile = path.join(store.dir, 'digest');
    const push = await store.tspodAsync(['push', '--digestfile', digestFile, 'motd', `${via}/tspod/motd:1`]);
    expect(push.stderr).toMatch(/Copying blob [a-f0-9]{12} done\nCopying config [a-f0-9]{12} done\nWriting manifest to image destination\n$/);
    expect(push.code).toBe(0);
    const digest = fs.readFileSync(digestFile, 'utf8');
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(await configDigest(registry, 'tspod/motd', '1')).toBe(`sha256:${id}`);
    const inspect = run(['skopeo', 'inspect', '--tls-verify=false', `docker://${registry}/tspod/motd:1`]);
    expect(JSON.parse(inspect.stdout).Digest).toBe(digest);
    const repoDigests = JSON.parse((await store.tspodAsync(['image', 'inspect', 'motd'])).stdout)[0].RepoDigests;
    expect(repoDigests).toContain(`${via}/tspod/motd@${digest}`);
  });

  it('sends no layer the registry has, and mounts one it holds in another repository', async () => {
    expect((await store.tspodAsync(['pull', '-q', `${via}/library/busybox`])).code).toBe(0);
    proxy.blobRequests.length = 0;
    const uploads: string[] = [];
    const repo = `tspod/busybox-copy-${Date.now()}`;
    const again = await store.tspodAsync(['push', `${via}/library/busybox`, `${via}/${repo}:1`]);
    uploads.push(...proxy.blobRequests.map((b) => b.path));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/Copying blob [a-f0-9]{12} skipped: mounted from library\/busybox/);
    const twice = await store.tspodAsync(['push', `${via}/library/busybox`, `${via}/${repo}:2`]);
    expect(twice.stderr).toMatch(/Copying blob [a-f0-9]{12} skipped: already exists/);
    expect(uploads).toEqual([]);
  });

  it('explains an image without a name to push to and an unknown image', async () => {
    expect((await store.tspodAsync(['push', 'nosuch'])).stderr).toBe('Error: nosuch: image not known\n');
  });
});

describe('save and load', () => {
  const a = new Store('save');
  const b = new Store('load');
  afterAll(() => {
    a.cleanup();
    b.cleanup();
  });

  it.each(['docker-archive', 'oci-archive'])('round-trips the Debian image through %s', async (format) => {
    const name = `${registry}/library/debian`;
    if ((await a.tspodAsync(['image', 'exists', name])).code !== 0) expect((await a.tspodAsync(['pull', '-q', name])).code).toBe(0);
    const file = path.join(a.dir, `debian-${format}.tar`);
    const save = await a.tspodAsync(['save', '--format', format, '-o', file, name]);
    expect(save).toMatchObject({ code: 0, stderr: '' });
    const members = run(['tar', '-tf', file]).stdout.split('\n');
    if (format === 'docker-archive') expect(members).toContain('manifest.json');
    else expect(members).toEqual(expect.arrayContaining(['index.json', 'oci-layout']));
    const load = await b.tspodAsync(['load', '-i', file]);
    expect(load).toMatchObject({ code: 0, stdout: `Loaded image: ${name}:latest\n` });
    const idA = (await a.tspodAsync(['image', 'inspect', '--format', '{{.Id}}', name])).stdout;
    expect(idA).toMatch(/^[a-f0-9]{64}\n$/);
    expect((await b.tspodAsync(['image', 'inspect', '--format', '{{.Id}}', name])).stdout).toBe(idA);
    const m = (await b.tspodAsync(['image', 'mount', name])).stdout.trim();
    expect((await b.tspodAsync(['unshare', 'stat', '-c', '%u:%g', `${m}/etc/shadow`])).stdout).toBe('0:42\n');
    expect((await b.tspodAsync(['image', 'unmount', name])).code).toBe(0);
    expect((await b.tspodAsync(['rmi', name])).code).toBe(0);
  });

  it('refuses what is not an archive and stores nothing', async () => {
    const junk = path.join(b.dir, 'junk.tar');
    fs.writeFileSync(junk, 'not a tar at all\n'.repeat(100));
    fs.chmodSync(junk, 0o644);
    const r = await b.tspodAsync(['load', '-i', junk]);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/^Error: (cannot read the archive|the archive has neither manifest\.json)/);
    expect((await b.tspodAsync(['images', '-q'])).stdout).toBe('');
  });
});

describe('interoperation with Podman and skopeo', () => {
  const store = new Store('interop');
  const podman = (args: string[], input?: string) => run(['podman', ...args], { input, timeoutMs: 300_000 });
  beforeAll(() => {
    if (!fs.existsSync('/usr/bin/podman')) throw new Error('podman is not installed: scripts/setup-host.sh --test-users installs it for these interop tests');
    podman(['rmi', '-a', '-f']);
  });
  afterAll(() => {
    podman(['rmi', '-a', '-f']);
    store.cleanup();
  });

  it('tspod save | podman load, and the image runs in Podman', () => {
    const name = `${registry}/library/debian`;
    expect(store.tspod(['pull', '-q', name]).code).toBe(0);
    const r = run(['sh', '-c', `${path.resolve(process.env.TSPOD_TEST_APP ?? '.', 'bin/tspod')} --root ${store.root} --runroot ${store.runroot} save ${name} | podman load`], { timeoutMs: 300_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Loaded image: ${name}:latest`);
    const id = store.tspod(['image', 'inspect', '--format', '{{.Id}}', name]).stdout.trim();
    expect(podman(['image', 'inspect', '--format', '{{.Id}}', name]).stdout.trim()).toBe(id);
    const ran = podman(['--runtime', 'runc', 'run', '--rm', `${name}:latest`, 'sh', '-c', 'stat -c %g /etc/shadow']);
    expect(ran.stdout).toBe('42\n');
  });

  it('podman save | tspod load', () => {
    const name = `${registry}/library/debian`;
    store.tspod(['rmi', '-f', name]);
    expect(podman(['image', 'exists', name]).code).toBe(0); // loaded by the test before
    const r = run(['sh', '-c', `podman save ${name} | ${path.resolve(process.env.TSPOD_TEST_APP ?? '.', 'bin/tspod')} --root ${store.root} --runroot ${store.runroot} load`], { timeoutMs: 300_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`Loaded image: ${name}:latest\n`);
    expect(store.tspod(['image', 'inspect', '--format', '{{.Id}}', name]).stdout.trim()).toBe(podman(['image', 'inspect', '--format', '{{.Id}}', name]).stdout.trim());
  });

  it('tspod push, then podman pull and skopeo inspect', () => {
    const name = `${registry}/library/debian`;
    const target = `${registry}/interop/debian:1`;
    const push = store.tspod(['push', name, target]);
    expect(push.code, push.stderr).toBe(0);
    podman(['rmi', '-a', '-f']);
    const pull = podman(['pull', '-q', '--tls-verify=false', target]);
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.stdout.trim()).toBe(store.tspod(['image', 'inspect', '--format', '{{.Id}}', name]).stdout.trim());
    expect(JSON.parse(run(['skopeo', 'inspect', '--tls-verify=false', `docker://${target}`]).stdout).Layers).toHaveLength(1);
    expect(userEnv().user).toBeTruthy();
  });
});
