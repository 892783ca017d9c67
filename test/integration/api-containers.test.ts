// The API's container endpoints against the real service (issue 24): raw HTTP requests as
// Docker's clients make them, and a few of Docker's own CLI commands. Images come from the local
// registry through a docker.io mirror, pulled by tspod first (Docker's create does not pull).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { Store, mirrorDockerHub, registry } from './harness';
import { ApiService } from './api-harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('apictr');
const api = new ApiService(store);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const create = (name: string, body: Record<string, unknown>) => api.request('POST', `/v1.41/containers/create?name=${name}`, { Image: 'busybox', ...body });
/** The first n lines of a streamed answer; then the client goes away. */
const firstLines = (urlPath: string, n: number) =>
  new Promise<string[]>((resolve, reject) => {
    const req = http.get({ socketPath: api.socket, path: urlPath }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString('utf8');
        const lines = text.split('\n').filter(Boolean);
        if (lines.length >= n && text.endsWith('\n')) {
          req.destroy();
          resolve(lines.slice(0, n));
        }
      });
      res.on('end', () => reject(new Error(`the stream ended after: ${text}`)));
    });
    req.on('error', reject);
  });
const inspect = async (name: string) => (await api.request('GET', `/v1.41/containers/${name}/json`)).json;

beforeAll(async () => {
  const env = mirrorDockerHub(store, ['busybox']);
  await api.start(0, [], env);
}, 120_000);

afterAll(async () => {
  await api.stop();
  store.tspod(['rm', '-af', '-t', '0']); // what a failed test left running
  store.cleanup();
});

describe('create', () => {
  it('answers 404 in Docker\'s words for an image that is not stored, and pulls nothing', async () => {
    const res = await create('nope', { Image: 'nosuchimage' });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ message: 'No such image: nosuchimage:latest' });
    expect((await api.request('GET', '/v1.41/containers/nope/json')).status).toBe(404);
  });

  it('gives Config, HostConfig and NetworkingConfig to the engine as the CLI flags, and inspect shows them', async () => {
    const res = await create('full', {
      Cmd: ['sleep', '300'], Env: ['A=1'], Labels: { tier: 'web' }, WorkingDir: '/tmp', User: '0:0', Hostname: 'box', StopSignal: 'SIGINT', StopTimeout: 3, ExposedPorts: { '80/tcp': {} }, Volumes: { '/data': {} },
      Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: 5_000_000_000, Retries: 2 },
      HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '18480' }] }, RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 }, Tmpfs: { '/scratch': 'size=1m' }, CapAdd: ['NET_ADMIN'], ExtraHosts: ['db:10.1.2.3'], Init: true, ShmSize: 33554432, Memory: 67108864, PidsLimit: 100, Ulimits: [{ Name: 'nofile', Soft: 1000, Hard: 2000 }], Dns: ['9.9.9.9'] },
    });
    expect(res.status).toBe(201);
    expect(res.json.Id).toMatch(/^[0-9a-f]{64}$/);
    expect(Array.isArray(res.json.Warnings)).toBe(true);
    const d = await inspect('full');
    expect(d).toMatchObject({ Id: res.json.Id, Name: '/full', State: { Status: 'created', Running: false, Paused: false } });
    expect(d.Image).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(d.Config).toMatchObject({ Cmd: ['sleep', '300'], Labels: { tier: 'web' }, WorkingDir: '/tmp', User: '0:0', Hostname: 'box', StopSignal: 'SIGINT', StopTimeout: 3 });
    expect(d.Config.Env).toContain('A=1');
    expect(d.Config.ExposedPorts).toHaveProperty('80/tcp');
    expect(d.HostConfig).toMatchObject({ PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '18480' }] }, RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 }, ExtraHosts: ['db:10.1.2.3'], Init: true, ShmSize: 33554432, Memory: 67108864, PidsLimit: 100, Dns: ['9.9.9.9'] });
    expect(d.HostConfig.CapAdd).toContain('CAP_NET_ADMIN');
    expect(d.HostConfig.Tmpfs['/scratch']).toMatch(/size=1m/);
    expect(d.Mounts.map((m: { Destination: string }) => m.Destination)).toContain('/data');
  });

  it('refuses what the CLI refuses, with its message', async () => {
    const bad = await create('bad', { HostConfig: { RestartPolicy: { Name: 'sometimes' } } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/restart policy/);
    const dup = await create('full', {});
    expect(dup.status).toBe(409);
    expect(dup.json.message).toMatch(/already in use/);
    expect((await api.request('POST', '/v1.41/containers/create', { Cmd: ['true'] })).status).toBe(400);
  });
});

describe('the lifecycle', () => {
  it('start (304 when running), list, top, stats, stop (304 when stopped), delete', async () => {
    expect((await api.request('POST', '/v1.41/containers/full/start')).status).toBe(204);
    expect((await api.request('POST', '/v1.41/containers/full/start')).status).toBe(304);
    const list = await api.request('GET', `/v1.41/containers/json?filters=${encodeURIComponent(JSON.stringify({ label: ['tier=web'] }))}`);
    expect(list.status).toBe(200);
    expect(list.json).toHaveLength(1);
    expect(list.json[0]).toMatchObject({ Names: ['/full'], State: 'running', Labels: { tier: 'web' }, Ports: [{ IP: '127.0.0.1', PrivatePort: 80, PublicPort: 18480, Type: 'tcp' }] });
    const top = await api.request('GET', '/v1.41/containers/full/top?ps_args=pid,comm');
    expect(top.json.Titles).toEqual(['PID', 'COMMAND']);
    expect(top.json.Processes.map((p: string[]) => p[1])).toContain('sleep');
    const stats = await api.request('GET', '/v1.41/containers/full/stats?stream=false&one-shot=true');
    expect(stats.status).toBe(200);
    expect(stats.json).toMatchObject({ name: '/full', id: (await inspect('full')).Id });
    expect(stats.json.memory_stats.usage).toBeGreaterThan(0);
    expect(stats.json.pids_stats.current).toBeGreaterThan(0);
    const running = await api.request('DELETE', '/v1.41/containers/full');
    expect(running.status).toBe(409);
    expect((await api.request('POST', '/v1.41/containers/full/stop?t=1')).status).toBe(204);
    expect((await api.request('POST', '/v1.41/containers/full/stop?t=1')).status).toBe(304);
    expect((await inspect('full')).State).toMatchObject({ Status: 'exited', Running: false });
    expect((await api.request('GET', '/v1.41/containers/json')).json.map((c: { Names: string[] }) => c.Names[0])).not.toContain('/full');
    expect((await api.request('GET', '/v1.41/containers/json?all=1')).json.map((c: { Names: string[] }) => c.Names[0])).toContain('/full');
    expect((await api.request('DELETE', '/v1.41/containers/full?v=1')).status).toBe(204);
    expect(await api.request('GET', '/v1.41/containers/full/json')).toMatchObject({ status: 404, json: { message: 'No such container: full' } });
  }, 60_000);

  it('wait next-exit asked before the start gives the exit code; kill with a signal; not-running at once for a stopped one', async () => {
    expect((await create('exiter', { Cmd: ['sh', '-c', 'sleep 0.5; exit 3'] })).status).toBe(201);
    const waiting = api.request('POST', '/v1.41/containers/exiter/wait?condition=next-exit');
    await sleep(300);
    expect((await api.request('POST', '/v1.41/containers/exiter/start')).status).toBe(204);
    expect(await waiting).toMatchObject({ status: 200, json: { StatusCode: 3, Error: null } });
    expect((await api.request('POST', '/v1.41/containers/exiter/wait')).json).toEqual({ StatusCode: 3, Error: null });
    expect((await api.request('POST', '/v1.41/containers/exiter/kill')).status).toBe(409);

    expect((await create('victim', { Cmd: ['sleep', '300'] })).status).toBe(201);
    expect((await api.request('POST', '/v1.41/containers/victim/start')).status).toBe(204);
    expect((await api.request('POST', '/v1.41/containers/victim/kill?signal=SIGKILL')).status).toBe(204);
    expect((await api.request('POST', '/v1.41/containers/victim/wait')).json).toEqual({ StatusCode: 137, Error: null });
    expect((await api.request('POST', '/v1.41/containers/victim/wait?condition=sometime')).status).toBe(400);
  }, 60_000);

  it('wait removed follows an AutoRemove container until it is gone', async () => {
    expect((await create('gone', { Cmd: ['sh', '-c', 'sleep 0.5; exit 5'], HostConfig: { AutoRemove: true } })).status).toBe(201);
    const waiting = api.request('POST', '/v1.41/containers/gone/wait?condition=removed');
    await sleep(300);
    expect((await api.request('POST', '/v1.41/containers/gone/start')).status).toBe(204);
    expect((await waiting).json).toEqual({ StatusCode: 5, Error: null });
    expect((await api.request('GET', '/v1.41/containers/gone/json')).status).toBe(404);
  }, 60_000);

  it('restart, rename, update, changes, resize, pause as the engine allows', async () => {
    expect((await create('worker', { Cmd: ['sh', '-c', 'echo hi > /hello; sleep 300'], Tty: true })).status).toBe(201);
    expect((await api.request('POST', '/v1.41/containers/worker/start')).status).toBe(204);
    expect((await api.request('POST', '/v1.41/containers/worker/resize?h=41&w=101')).status).toBe(200);
    expect(store.tspod(['exec', 'worker', 'stty', '-F', '/dev/console', 'size'])).toMatchObject({ code: 0, stdout: '41 101\n' });
    expect((await api.request('POST', '/v1.41/containers/worker/resize?h=x&w=100')).status).toBe(400);
    const firstStart = (await inspect('worker')).State.StartedAt;
    expect((await api.request('POST', '/v1.41/containers/worker/restart?t=0')).status).toBe(204);
    const after = await inspect('worker');
    expect(after.State.Running).toBe(true);
    expect(after.State.StartedAt).not.toBe(firstStart);
    // The new monitor's attach socket survives the old one's cleanup: resize reaches the new console.
    await sleep(1500);
    expect((await api.request('POST', '/v1.41/containers/worker/resize?h=30&w=90')).status).toBe(200);
    expect(store.tspod(['exec', 'worker', 'stty', '-F', '/dev/console', 'size'])).toMatchObject({ code: 0, stdout: '30 90\n' });
    const [one, two] = (await firstLines('/v1.41/containers/worker/stats', 2)).map((l) => JSON.parse(l));
    expect(two.precpu_stats.cpu_usage.total_usage).toBe(one.cpu_stats.cpu_usage.total_usage);
    expect(Date.parse(two.read) - Date.parse(one.read)).toBeGreaterThanOrEqual(900);
    expect(two.memory_stats.usage).toBeGreaterThan(0);
    expect((await api.request('POST', '/v1.41/containers/worker/rename?name=worker2')).status).toBe(204);
    expect((await inspect('worker2')).Name).toBe('/worker2');
    expect((await api.request('POST', '/v1.41/containers/worker2/rename?name=bad%20name')).status).toBe(400);
    expect((await api.request('POST', '/v1.41/containers/worker2/update', { RestartPolicy: { Name: 'always' }, Memory: 134217728 })).status).toBe(200);
    expect((await inspect('worker2')).HostConfig).toMatchObject({ RestartPolicy: { Name: 'always' }, Memory: 134217728 });
    for (let i = 0; i < 50 && !(await api.request('GET', '/v1.41/containers/worker2/changes')).text.includes('/hello'); i++) await sleep(100);
    expect((await api.request('GET', '/v1.41/containers/worker2/changes')).json).toContainEqual({ Path: '/hello', Kind: 1 });
    // Pause needs a freezer cgroup of the container's own: where the host gives none the engine
    // refuses with its reason (409), else the container shows paused until unpaused.
    const paused = await api.request('POST', '/v1.41/containers/worker2/pause');
    if (paused.status === 204) {
      expect((await inspect('worker2')).State).toMatchObject({ Status: 'paused', Paused: true });
      expect((await api.request('POST', '/v1.41/containers/worker2/unpause')).status).toBe(204);
      expect((await inspect('worker2')).State).toMatchObject({ Status: 'running', Paused: false });
    } else {
      expect(paused.status).toBe(409);
      expect(paused.json.message).toMatch(/freezer/);
    }
    expect((await api.request('DELETE', '/v1.41/containers/worker2?force=true')).status).toBe(204);
  }, 60_000);

  it('joins a user-defined network with its aliases (NetworkMode and NetworkingConfig)', async () => {
    expect(store.tspod(['network', 'create', 'apictrnet']).code).toBe(0);
    const res = await create('netted', { Cmd: ['sleep', '300'], HostConfig: { NetworkMode: 'apictrnet' }, NetworkingConfig: { EndpointsConfig: { apictrnet: { Aliases: ['web'] } } } });
    expect(res.status).toBe(201);
    expect((await api.request('POST', '/v1.41/containers/netted/start')).status).toBe(204);
    const d = await inspect('netted');
    expect(d.HostConfig.NetworkMode).toBe('apictrnet');
    expect(d.NetworkSettings.Networks.apictrnet.Aliases).toContain('web');
    expect(d.NetworkSettings.Networks.apictrnet.IPAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const [entry] = (await api.request('GET', `/v1.41/containers/json?filters=${encodeURIComponent(JSON.stringify({ name: ['netted'] }))}`)).json;
    expect(entry.HostConfig.NetworkMode).toBe('apictrnet');
    expect(entry.NetworkSettings.Networks.apictrnet.IPAddress).toBe(d.NetworkSettings.Networks.apictrnet.IPAddress);
    expect((await create('nonet', { HostConfig: { NetworkMode: 'nosuchnet' } })).status).toBe(404);
    expect((await api.request('DELETE', '/v1.41/containers/netted?force=1')).status).toBe(204);
  }, 60_000);

  it('prune removes the stopped containers and says which', async () => {
    const victim = await create('stopped1', { Cmd: ['true'], Labels: { prune: 'me' } });
    expect(victim.status).toBe(201);
    const keep = await create('kept', { Cmd: ['true'] });
    const res = await api.request('POST', `/v1.41/containers/prune?filters=${encodeURIComponent(JSON.stringify({ label: ['prune=me'] }))}`);
    expect(res.status).toBe(200);
    expect(res.json.ContainersDeleted).toEqual([victim.json.Id]);
    expect(typeof res.json.SpaceReclaimed).toBe('number');
    expect((await api.request('GET', '/v1.41/containers/stopped1/json')).status).toBe(404);
    expect((await inspect('kept')).Id).toBe(keep.json.Id);
    const all = await api.request('POST', '/v1.41/containers/prune');
    expect(all.json.ContainersDeleted).toEqual(expect.arrayContaining([keep.json.Id]));
  }, 60_000);
});

describe("Docker's CLI", () => {
  it('create, start, ps, inspect, stop, wait, rm', () => {
    const created = api.docker(['create', '--name', 'ctl', '-e', 'GREETING=hi', '-l', 'made.by=docker', '-p', '127.0.0.1:18481:80', '--restart', 'unless-stopped', 'busybox', 'sleep', '300']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(api.docker(['start', 'ctl'])).toMatchObject({ code: 0, stdout: 'ctl\n' });
    const ps = api.docker(['ps', '--format', '{{.Names}} {{.Image}} {{.Status}} {{.Ports}}']);
    expect(ps.stdout).toMatch(/^ctl busybox:latest Up .* 127\.0\.0\.1:18481->80\/tcp$/m);
    const fmt = api.docker(['inspect', '-f', '{{.Name}} {{.State.Status}} {{index .Config.Labels "made.by"}} {{.HostConfig.RestartPolicy.Name}}', 'ctl']);
    expect(fmt).toMatchObject({ code: 0, stdout: '/ctl running docker unless-stopped\n' });
    expect(api.docker(['inspect', '-f', '{{json .Config.Env}}', 'ctl']).stdout).toContain('GREETING=hi');
    expect(api.docker(['stop', '-t', '1', 'ctl'])).toMatchObject({ code: 0, stdout: 'ctl\n' });
    expect(api.docker(['wait', 'ctl'])).toMatchObject({ code: 0, stdout: '137\n' });
    expect(api.docker(['rm', 'ctl'])).toMatchObject({ code: 0, stdout: 'ctl\n' });
    const gone = api.docker(['inspect', 'ctl']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/No such (object|container): ctl/);
  }, 60_000);
});
