// The API's image endpoints and POST /build, as raw HTTP and as Docker's CLI drives them, against
// the service run as the test user and the local registry: pull with Docker's progress stream,
// list, inspect, history, tag, remove, save/load, build (legacy builder), commit, push, prune,
// search, and their failures (404 for an unknown image, 409 for one in use, the stream's error).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Store, registry, until, userEnv } from './harness';
import { ApiService } from './api-harness';
import { configDigest, startRegistry } from './registry-tools';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('api-images');
const api = new ApiService(store);
const busybox = `${registry}/library/busybox`;
const lines = (text: string) => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

/** A build context directory the test user can read, as a tar buffer too. */
function context(name: string, files: Record<string, string>): { dir: string; tar: Buffer } {
  const dir = path.join(store.dir, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), body);
  const u = userEnv(store.user);
  for (const f of ['', ...Object.keys(files)]) fs.chownSync(path.join(dir, f), u.uid, u.gid);
  const tar = spawnSync('tar', ['-C', dir, '-cf', '-', '.'], { maxBuffer: 1 << 24 }).stdout;
  return { dir, tar };
}

beforeAll(async () => {
  await api.start();
}, 60_000);
afterAll(async () => {
  await api.stop();
  store.cleanup();
});

describe('pull', () => {
  it("streams Docker's progress messages and lists the pulled image under its config digest", async () => {
    const r = await api.request('POST', `/v1.41/images/create?fromImage=${encodeURIComponent(busybox)}&tag=latest`);
    expect(r.status, r.text).toBe(200);
    const msgs = lines(r.text);
    expect(msgs[0]).toEqual({ status: `Pulling from ${busybox}`, id: 'latest' });
    expect(msgs.some((m) => m.status === 'Pull complete' && /^[a-f0-9]{12}$/.test(m.id))).toBe(true);
    expect(msgs.at(-1)).toEqual({ status: `Status: Downloaded newer image for ${busybox}:latest` });
    expect(msgs.some((m) => m.error)).toBe(false);
    const id = await configDigest(registry, 'library/busybox', 'latest');
    const list = await api.request('GET', '/v1.41/images/json');
    expect(list.status).toBe(200);
    const row = list.json.find((i: { Id: string }) => i.Id === id);
    expect(row).toMatchObject({ RepoTags: [`${busybox}:latest`], Containers: -1 });
    expect(row.RepoDigests[0]).toMatch(new RegExp(`^${busybox}@sha256:[a-f0-9]{64}$`));
    // Again: nothing to download, and Docker's words for it.
    const again = lines((await api.request('POST', `/v1.41/images/create?fromImage=${encodeURIComponent(busybox)}&tag=latest`)).text);
    expect(again.some((m) => m.status === 'Already exists')).toBe(true);
    expect(again.at(-1)).toEqual({ status: `Status: Image is up to date for ${busybox}:latest` });
  });

  it('answers 404 for an image the registry does not have, 400 for a malformed X-Registry-Auth', async () => {
    const r = await api.request('POST', `/v1.41/images/create?fromImage=${registry}/library/nosuch&tag=latest`);
    expect(r.status).toBe(404);
    expect(r.json.message).toMatch(/manifest unknown/);
    const bad = await api.request('POST', `/v1.41/images/create?fromImage=${encodeURIComponent(busybox)}&tag=latest`, undefined, { 'X-Registry-Auth': 'not-base64-json' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/invalid X-Registry-Auth header/);
    const none = await api.request('POST', '/v1.41/images/create?tag=latest');
    expect(none.status).toBe(400);
  });

  it("pulls with Docker's CLI, which prints the progress and the reference", () => {
    const r = api.docker(['pull', `${registry}/library/debian:bookworm`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^bookworm: Pulling from /);
    expect(r.stdout).toMatch(/Status: Downloaded newer image for .*debian:bookworm\n.*debian:bookworm\n$/);
  });
});

describe('inspect, history, tag, remove', () => {
  it("inspects in Docker's shape by a name with slashes, and 404s an unknown one", async () => {
    const r = await api.request('GET', `/v1.41/images/${busybox}:latest/json`);
    expect(r.status, r.text).toBe(200);
    expect(r.json.Id).toBe(await configDigest(registry, 'library/busybox', 'latest'));
    expect(r.json).toMatchObject({ RepoTags: [`${busybox}:latest`], Os: 'linux', RootFS: { Type: 'layers' }, Config: { Cmd: ['sh'], Entrypoint: null } });
    const missing = await api.request('GET', '/v1.41/images/no/such:image/json');
    expect(missing.status).toBe(404);
    const docker = api.docker(['image', 'inspect', '--format', '{{.Id}} {{index .RepoTags 0}} {{.Config.Cmd}}', busybox]);
    expect(docker.stdout).toBe(`${r.json.Id} ${busybox}:latest [sh]\n`);
  });

  it('gives the history newest first, the top row with the ID and tags', async () => {
    const r = await api.request('GET', `/v1.41/images/${busybox}/history`);
    expect(r.status).toBe(200);
    expect(r.json[0].Id).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(r.json[0].Tags).toEqual([`${busybox}:latest`]);
    expect(r.json[0]).toHaveProperty('CreatedBy');
  });

  it('tags (201) and removes a tag, then the image (Untagged, Deleted), as the CLI shows', async () => {
    const t = await api.request('POST', `/v1.41/images/${busybox}/tag?repo=mine/box&tag=v1`);
    expect(t.status, t.text).toBe(201);
    expect(api.docker(['tag', busybox, 'other:v2']).code).toBe(0);
    const ls = api.docker(['images', '--format', '{{.Repository}}:{{.Tag}}']);
    expect(ls.stdout).toMatch(/mine\/box:v1/);
    expect(ls.stdout).toMatch(/other:v2/);
    // A name of several: only it goes.
    const rmi = await api.request('DELETE', '/v1.41/images/localhost/mine/box:v1');
    expect(rmi.status, rmi.text).toBe(200);
    expect(rmi.json).toEqual([{ Untagged: 'localhost/mine/box:v1' }]);
    const cli = api.docker(['rmi', 'other:v2']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^Untagged: .*other:v2\n$/);
    expect((await api.request('DELETE', '/v1.41/images/never-there:1')).status).toBe(404);
  });

  it('refuses to remove an image a container uses with 409, and force removes both', async () => {
    const debian = `${registry}/library/debian:bookworm`;
    const c = store.tspod(['create', '--name', 'user1', debian, 'true']);
    expect(c.code, c.stderr).toBe(0);
    const r = await api.request('DELETE', `/v1.41/images/${debian}`);
    expect(r.status, r.text).toBe(409);
    expect(r.json.message).toMatch(/in use by container/);
    expect(store.tspod(['container', 'exists', 'user1']).code).toBe(0);
    const f = await api.request('DELETE', `/v1.41/images/${debian}?force=1`);
    expect(f.status, f.text).toBe(200);
    expect(f.json).toContainEqual({ Untagged: debian });
    expect(f.json.at(-1).Deleted).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(store.tspod(['container', 'exists', 'user1']).code).toBe(1);
  });
});

describe('build', () => {
  it('builds with the legacy builder through the CLI: steps, RUN output, tags, labels', () => {
    const ctx = context('ctx1', { Dockerfile: `FROM ${busybox}\nARG WHO=nobody\nRUN echo "hello $WHO" > /greeting && cat /greeting\nLABEL stage=api\nCMD ["cat", "/greeting"]\n` });
    const r = api.docker(['build', '-t', 'built:1', '-t', 'built:alias', '--build-arg', 'WHO=docker', ctx.dir], { env: { DOCKER_BUILDKIT: '0' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Step 1\/5 : FROM /);
    expect(r.stdout).toMatch(/^hello docker$/m);
    expect(r.stdout).toMatch(/Successfully built [a-f0-9]{12}\nSuccessfully tagged built:1\nSuccessfully tagged built:alias\n$/);
    const i = api.docker(['image', 'inspect', '--format', '{{.Config.Labels.stage}} {{.Config.Cmd}}', 'built:1']);
    expect(i.stdout).toBe('api [cat /greeting]\n');
  });

  it('answers a raw tar body with the JSON stream: aux ID, and q gives only the ID', async () => {
    const ctx = context('ctx2', { 'Containerfile.api': `FROM ${busybox}\nRUN echo quiet\n` });
    const r = await api.request('POST', '/v1.41/build?dockerfile=Containerfile.api&t=quiet:1&q=1', ctx.tar, { 'Content-Type': 'application/x-tar' });
    expect(r.status, r.text).toBe(200);
    const msgs = lines(r.text);
    const aux = msgs.find((m) => m.aux);
    expect(aux.aux.ID).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(msgs.filter((m) => m.stream)).toEqual([{ stream: `${aux.aux.ID}\n` }]);
    expect((await api.request('GET', '/v1.41/images/quiet:1/json')).json.Id).toBe(aux.aux.ID);
  });

  it("reports a failing step as Docker's error in the stream, and a bad query as 400", async () => {
    const ctx = context('ctx3', { Dockerfile: `FROM ${busybox}\nRUN echo before && exit 3\n` });
    const r = await api.request('POST', '/v1.41/build?t=fails:1', ctx.tar);
    expect(r.status).toBe(200);
    const msgs = lines(r.text);
    expect(msgs.some((m) => m.stream === 'before\n')).toBe(true);
    const err = msgs.at(-1);
    expect(err.error).toMatch(/exit status 3/);
    expect(err.errorDetail.message).toBe(err.error);
    expect(msgs.some((m) => m.aux)).toBe(false);
    const cli = api.docker(['build', ctx.dir], { env: { DOCKER_BUILDKIT: '0' } });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/exit status 3/);
    const bad = await api.request('POST', '/v1.41/build?buildargs=notjson', ctx.tar);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/invalid buildargs/);
  });
});

describe('save, load, commit, push, prune, search', () => {
  it('saves images with the CLI and loads them back with their names and IDs', () => {
    const file = path.join(store.dir, 'saved.tar');
    const id = api.docker(['image', 'inspect', '--format', '{{.Id}}', 'built:1']).stdout.trim();
    const save = api.docker(['save', '-o', file, 'built:1', busybox]);
    expect(save.code, save.stderr).toBe(0);
    const names = spawnSync('tar', ['-tf', file], { encoding: 'utf8' }).stdout;
    expect(names).toMatch(/^manifest\.json$/m);
    expect(api.docker(['rmi', 'built:1', 'built:alias']).code).toBe(0);
    expect(api.docker(['image', 'inspect', 'built:1']).code).toBe(1);
    const load = api.docker(['load', '-i', file]);
    expect(load.code, load.stderr).toBe(0);
    expect(load.stdout).toMatch(/^Loaded image: localhost\/built:1$/m);
    expect(load.stdout).toMatch(new RegExp(`^Loaded image: ${busybox}:latest$`, 'm'));
    expect(api.docker(['image', 'inspect', '--format', '{{.Id}}', 'built:1']).stdout.trim()).toBe(id);
  });

  it('gets an archive of several images with GET /images/get', async () => {
    const r = await api.request('GET', `/v1.41/images/get?names=${encodeURIComponent(busybox)}&names=quiet:1`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-tar');
    expect(r.body.length).toBeGreaterThan(1_000_000);
    expect((await api.request('GET', '/v1.41/images/get?names=no-such:1')).status).toBe(404);
  });

  it('commits a container with a comment, author and a change (201 Id)', async () => {
    expect(store.tspod(['run', '--name', 'tocommit', busybox, 'sh', '-c', 'echo committed > /c']).code).toBe(0);
    const r = await api.request('POST', `/v1.41/commit?container=tocommit&repo=committed&tag=v1&comment=via+api&author=tester&changes=${encodeURIComponent('CMD ["cat","/c"]')}`, {});
    expect(r.status, r.text).toBe(201);
    expect(r.json.Id).toMatch(/^sha256:[a-f0-9]{64}$/);
    const i = (await api.request('GET', '/v1.41/images/committed:v1/json')).json;
    expect(i).toMatchObject({ Id: r.json.Id, Comment: 'via api', Author: 'tester', Config: { Cmd: ['cat', '/c'] } });
    expect(store.tspod(['run', '--rm', 'committed:v1']).stdout).toBe('committed\n');
    expect((await api.request('POST', '/v1.41/commit?container=nosuch', {})).status).toBe(404);
  });

  it('pushes with the CLI to the registry, which then serves the same image', async () => {
    const target = `${registry}/api-images/pushed:v1`;
    expect(api.docker(['tag', 'committed:v1', target]).code).toBe(0);
    const r = api.docker(['push', target]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^The push refers to repository \[.*api-images\/pushed\]$/m);
    expect(r.stdout).toMatch(/: Pushed$/m);
    expect(r.stdout).toMatch(/^v1: digest: sha256:[a-f0-9]{64}/m);
    const id = api.docker(['image', 'inspect', '--format', '{{.Id}}', target]).stdout.trim();
    expect(await configDigest(registry, 'api-images/pushed', 'v1')).toBe(id);
  });

  it('prunes dangling images only, reporting what it deleted', async () => {
    const ctx = context('ctx4', { Dockerfile: `FROM ${busybox}\nLABEL n=1\n` });
    expect((await api.request('POST', '/v1.41/build?t=prunable:1', ctx.tar)).status).toBe(200);
    const first = (await api.request('GET', '/v1.41/images/prunable:1/json')).json.Id;
    const again = context('ctx4', { Dockerfile: `FROM ${busybox}\nLABEL n=2\n` });
    expect((await api.request('POST', '/v1.41/build?t=prunable:1', again.tar)).status).toBe(200);
    const dangling = await api.request('GET', `/v1.41/images/json?filters=${encodeURIComponent(JSON.stringify({ dangling: ['true'] }))}`);
    expect(dangling.json.map((i: { Id: string }) => i.Id)).toContain(first);
    const r = await api.request('POST', '/v1.41/images/prune');
    expect(r.status).toBe(200);
    expect(r.json.ImagesDeleted).toContainEqual({ Deleted: first });
    expect((await api.request('GET', `/v1.41/images/${first.slice(7)}/json`)).status).toBe(404);
    expect((await api.request('GET', '/v1.41/images/prunable:1/json')).status).toBe(200);
    expect((await api.request('GET', `/v1.41/images/json?filters=${encodeURIComponent('{"colour":["red"]}')}`)).status).toBe(400);
  });

  it("searches the registry's catalog", async () => {
    const r = await api.request('GET', `/v1.41/images/search?term=${encodeURIComponent(`${registry}/library/busy`)}`);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toContainEqual({ name: busybox, description: '', star_count: 0, is_official: false, is_automated: false });
    expect((await api.request('GET', '/v1.41/images/search')).status).toBe(400);
  });
});

describe('X-Registry-Auth', () => {
  const auth = (username: string, password: string) => ({ 'X-Registry-Auth': Buffer.from(JSON.stringify({ username, password, serveraddress: '' })).toString('base64url') });
  let addr = '';
  let stop = () => {};
  beforeAll(async () => {
    const dir = path.join(store.dir, 'authreg');
    fs.mkdirSync(dir, { recursive: true });
    const hash = spawnSync('htpasswd', ['-Bbn', 'alice', 'secret'], { encoding: 'utf8' });
    if (hash.status !== 0) throw new Error('htpasswd is missing: scripts/setup-host.sh installs apache2-utils');
    fs.writeFileSync(path.join(dir, 'htpasswd'), hash.stdout);
    const reg = await startRegistry(dir, `auth:\n  htpasswd:\n    realm: tspod-test\n    path: ${dir}/htpasswd`);
    addr = reg.addr;
    stop = reg.stop;
  });
  afterAll(() => stop());

  it('pushes and pulls with the credentials the header carries, and fails without or with wrong ones', async () => {
    const target = `${addr}/team/box`;
    expect((await api.request('POST', `/v1.41/images/${busybox}/tag?repo=${encodeURIComponent(target)}&tag=v1`)).status).toBe(201);
    // Without credentials the push fails with the registry's 401 in its words, and the service lives on.
    const denied = await api.request('POST', `/v1.41/images/${target}/push?tag=v1`);
    const deniedText = denied.status >= 400 ? denied.json.message : lines(denied.text).find((m) => m.error)?.error;
    expect(deniedText, denied.text).toMatch(/401|authentication required/);
    expect((await api.request('GET', '/_ping')).text).toBe('OK');
    const push = await api.request('POST', `/v1.41/images/${target}/push?tag=v1`, undefined, auth('alice', 'secret'));
    expect(push.status).toBe(200);
    const msgs = lines(push.text);
    expect(msgs.some((m) => m.error)).toBe(false);
    expect(msgs.at(-1).aux.Digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect((await api.request('DELETE', `/v1.41/images/${target}:v1`)).status).toBe(200);
    for (const headers of [{}, auth('alice', 'wrong')]) {
      const refused = await api.request('POST', `/v1.41/images/create?fromImage=${encodeURIComponent(target)}&tag=v1`, undefined, headers);
      expect(refused.status).toBe(500);
      expect(refused.json.message).toMatch(/answered 401/);
    }
    const pull = await api.request('POST', `/v1.41/images/create?fromImage=${encodeURIComponent(target)}&tag=v1`, undefined, auth('alice', 'secret'));
    expect(pull.status, pull.text).toBe(200);
    expect(lines(pull.text).at(-1).status).toMatch(/^Status: (Downloaded newer image|Image is up to date) for /);
    expect((await api.request('GET', `/v1.41/images/${target}:v1/json`)).status).toBe(200);
    // The image has that repository's digest now: listing busybox by name shows busybox's row only.
    expect(api.docker(['images', '--format', '{{.Repository}}:{{.Tag}}', busybox]).stdout).toBe(`${busybox}:latest\n`);
  });

  it('pushes every tag of a repository when none is given (docker push --all-tags)', async () => {
    const target = `${addr}/team/all`;
    for (const t of ['a', 'b']) expect((await api.request('POST', `/v1.41/images/${busybox}/tag?repo=${encodeURIComponent(target)}&tag=${t}`)).status).toBe(201);
    const r = await api.request('POST', `/v1.41/images/${target}/push`, undefined, auth('alice', 'secret'));
    expect(r.status).toBe(200);
    const aux = lines(r.text).filter((m) => m.aux).map((m) => m.aux.Tag);
    expect(aux.sort()).toEqual(['a', 'b']);
    expect((await api.request('POST', `/v1.41/images/${addr}/team/none/push`)).status).toBe(404);
  });
});

describe('import', () => {
  it('makes an image of a root filesystem tarball sent with fromSrc=-, and refuses a URL with 501', async () => {
    const ctx = context('rootfs', { hello: 'from import\n' });
    const r = await api.request('POST', `/v1.41/images/create?fromSrc=-&repo=imported&tag=v1&message=via+api&changes=${encodeURIComponent('CMD ["/hello"]')}`, ctx.tar, { 'Content-Type': 'application/x-tar' });
    expect(r.status, r.text).toBe(200);
    const id = lines(r.text)[0].status;
    expect(id).toMatch(/^[a-f0-9]{64}$/);
    const i = (await api.request('GET', '/v1.41/images/imported:v1/json')).json;
    expect(i).toMatchObject({ Id: `sha256:${id}`, Config: { Cmd: ['/hello'] } });
    expect((await api.request('POST', '/v1.41/images/create?fromSrc=http://example.com/x.tar')).status).toBe(501);
  });
});

describe('a slow client holds no one up', () => {
  // A test that fails midway still lets its stalled client go, or it would hold up the tests after it.
  let stalled: import('node:net').Socket | undefined;
  afterEach(() => stalled?.destroy());

  /** How long a request through the queue (a tag) and the container list take now, in ms. */
  async function othersAnswered(): Promise<number> {
    const t0 = Date.now();
    // Bounded: with the queue held, these would wait as long as the stalled client does.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 5 s: the stalled client holds them up')), 5000)));
    const [tagged, list] = await Promise.race([Promise.all([api.request('POST', `/v1.41/images/${encodeURIComponent(busybox)}/tag?repo=spool-probe&tag=1`), api.request('GET', '/v1.41/containers/json')]), late]).finally(() => clearTimeout(timer));
    expect(tagged.status, tagged.text).toBe(201);
    expect(list.status).toBe(200);
    return Date.now() - t0;
  }

  it('a client that does not read its save: others are answered, and its spool file goes with it', async () => {
    expect(store.tspod(['pull', '-q', busybox]).code).toBe(0);
    const sock = (stalled = api.rawRequest('GET', `/v1.41/images/get?names=${encodeURIComponent(busybox)}`));
    const first = await new Promise<Buffer>((resolve) => sock.once('data', (d: Buffer) => (sock.pause(), resolve(d))));
    expect(first.toString()).toMatch(/^HTTP\/1\.1 200 /);
    expect(await othersAnswered()).toBeLessThan(2000);
    expect(api.spoolFiles()).toHaveLength(1); // still being sent
    sock.destroy();
    await until('the spool file to go', () => api.spoolFiles().length, (n) => n === 0, 5000);
  });

  it('a load abandoned mid-body: others are answered meanwhile, nothing is loaded, no file is left', async () => {
    expect(store.tspod(['tag', busybox, 'halfload:1']).code).toBe(0);
    const archive = (await api.request('GET', '/v1.41/images/halfload:1/get')).body;
    expect(archive.length).toBeGreaterThan(1_000_000);
    expect(store.tspod(['rmi', 'halfload:1']).code).toBe(0); // the name only: busybox stays
    const ids = () => [...new Set(store.tspod(['images', '-a', '-q', '--no-trunc']).stdout.split('\n').filter(Boolean))].sort();
    const before = ids();
    const sock = (stalled = api.rawRequest('POST', '/v1.41/images/load?quiet=1', { 'Content-Type': 'application/x-tar', 'Content-Length': String(archive.length) }, archive.subarray(0, archive.length >> 1)));
    await new Promise((r) => setTimeout(r, 500)); // the half body has come
    expect(await othersAnswered()).toBeLessThan(2000);
    expect(api.spoolFiles()).toHaveLength(1); // where it is received
    sock.destroy();
    await until('the spool file to go', () => api.spoolFiles().length, (n) => n === 0, 5000);
    expect(store.tspod(['image', 'exists', 'halfload:1']).code).toBe(1);
    expect(ids()).toEqual(before);
    // The whole archive still loads.
    const whole = await api.request('POST', '/v1.41/images/load?quiet=1', archive, { 'Content-Type': 'application/x-tar' });
    expect(whole.status, whole.text).toBe(200);
    expect(lines(whole.text)).toContainEqual({ stream: 'Loaded image: localhost/halfload:1\n' });
    expect(api.spoolFiles()).toEqual([]);
  });
});
