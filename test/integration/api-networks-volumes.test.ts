// The API's network and volume endpoints in Docker's shapes, as raw HTTP and as Docker's CLI drives
// them against the service run as the test user: create, list (filters), inspect, connect,
// disconnect, remove (in use refused), prune; volumes create (idempotent), list, inspect, remove
// (409 in use, force for a missing one), prune.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store, registry } from './harness';
import { ApiService } from './api-harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('api-netvol');
const api = new ApiService(store);
const busybox = `${registry}/library/busybox`;
const q = (filters: Record<string, string[]>) => `filters=${encodeURIComponent(JSON.stringify(filters))}`;

beforeAll(async () => {
  await api.start();
  const p = store.tspod(['pull', '-q', busybox]);
  if (p.code !== 0) throw new Error(p.stderr);
}, 120_000);
afterAll(async () => {
  store.tspod(['rm', '-af', '-t', '0']);
  await api.stop();
  store.cleanup();
});

describe('networks', () => {
  it("creates a network from Docker's body and inspects it in Docker's shape", async () => {
    const r = await api.request('POST', '/v1.41/networks/create', { Name: 'apinet', Driver: 'bridge', IPAM: { Config: [{ Subnet: '10.77.0.0/24', Gateway: '10.77.0.1' }] }, Labels: { team: 'api' } });
    expect(r.status, r.text).toBe(201);
    expect(r.json.Id).toMatch(/^[a-f0-9]{64}$/);
    const i = await api.request('GET', '/v1.41/networks/apinet');
    expect(i.status).toBe(200);
    expect(i.json).toMatchObject({ Name: 'apinet', Id: r.json.Id, Driver: 'bridge', Scope: 'local', Internal: false, EnableIPv6: false, Labels: { team: 'api' }, IPAM: { Driver: 'default', Config: [{ Subnet: '10.77.0.0/24', Gateway: '10.77.0.1' }] }, Containers: {} });
    // By ID prefix too; Docker's "bridge" is the default network.
    expect((await api.request('GET', `/v1.41/networks/${r.json.Id.slice(0, 12)}`)).json.Name).toBe('apinet');
    expect((await api.request('GET', '/v1.41/networks/bridge')).json.Name).toBe('podman');
    expect((await api.request('GET', '/v1.41/networks/nosuch')).status).toBe(404);
    const dup = await api.request('POST', '/v1.41/networks/create', { Name: 'apinet' });
    expect(dup.status).toBe(409);
    const v6 = await api.request('POST', '/v1.41/networks/create', { Name: 'v6', EnableIPv6: true });
    expect(v6.status).toBe(400);
    expect((await api.request('POST', '/v1.41/networks/create', '{not json')).status).toBe(400);
  });

  it('lists with filters', async () => {
    const all = await api.request('GET', '/v1.41/networks');
    expect(all.json.map((n: { Name: string }) => n.Name)).toEqual(expect.arrayContaining(['apinet', 'podman']));
    const byLabel = await api.request('GET', `/v1.41/networks?${q({ label: ['team=api'] })}`);
    expect(byLabel.json.map((n: { Name: string }) => n.Name)).toEqual(['apinet']);
    const custom = await api.request('GET', `/v1.41/networks?${q({ type: ['custom'] })}`);
    expect(custom.json.map((n: { Name: string }) => n.Name)).not.toContain('podman');
    expect((await api.request('GET', `/v1.41/networks?${q({ colour: ['x'] })}`)).status).toBe(400);
  });

  it('shows a running member with its address, connects and disconnects a stopped container, refuses removing a network in use', async () => {
    const run = store.tspod(['run', '-d', '--name', 'member', '--network', 'apinet', busybox, 'sleep', '300']);
    expect(run.code, run.stderr).toBe(0);
    const i = (await api.request('GET', '/v1.41/networks/apinet')).json;
    const [member] = Object.values(i.Containers) as Array<{ Name: string; IPv4Address: string }>;
    expect(member.Name).toBe('member');
    expect(member.IPv4Address).toMatch(/^10\.77\.0\.\d+\/24$/);
    const rm = await api.request('DELETE', '/v1.41/networks/apinet');
    expect(rm.status, rm.text).toBe(403);
    expect(store.tspod(['create', '--name', 'joiner', '--network', 'none', busybox, 'true']).code).toBe(0);
    const c = await api.request('POST', '/v1.41/networks/apinet/connect', { Container: 'joiner', EndpointConfig: { Aliases: ['j'] } });
    expect(c.status, c.text).toBe(200);
    expect(store.tspod(['inspect', '--format', '{{json .NetworkSettings.Networks}}', 'joiner']).stdout).toMatch(/"apinet"/);
    expect((await api.request('POST', '/v1.41/networks/apinet/connect', { Container: 'joiner' })).status).toBe(409);
    const d = await api.request('POST', '/v1.41/networks/apinet/disconnect', { Container: 'joiner' });
    expect(d.status, d.text).toBe(200);
    expect((await api.request('POST', '/v1.41/networks/apinet/connect', { Container: 'nosuch' })).status).toBe(404);
    expect((await api.request('POST', '/v1.41/networks/apinet/connect', {})).status).toBe(400);
    expect(store.tspod(['rm', '-f', '-t', '0', 'member', 'joiner']).code).toBe(0);
    expect((await api.request('DELETE', '/v1.41/networks/apinet')).status).toBe(204);
    expect((await api.request('DELETE', '/v1.41/networks/apinet')).status).toBe(404);
  });

  it("works with Docker's CLI: network create, ls, inspect, rm, prune", () => {
    const c = api.docker(['network', 'create', '--label', 'cli=1', 'clinet']);
    expect(c.code, c.stderr).toBe(0);
    const ls = api.docker(['network', 'ls', '--format', '{{.Name}} {{.Driver}}', '--filter', 'label=cli=1']);
    expect(ls.stdout).toBe('clinet bridge\n');
    const i = api.docker(['network', 'inspect', '--format', '{{.Name}} {{index .Labels "cli"}} {{(index .IPAM.Config 0).Subnet}}', 'clinet']);
    expect(i.stdout).toMatch(/^clinet 1 \d+\.\d+\.\d+\.\d+\/\d+\n$/);
    expect(api.docker(['network', 'rm', 'clinet']).stdout).toBe('clinet\n');
    const missing = api.docker(['network', 'rm', 'clinet']);
    expect(missing.code).toBe(1);
    expect(api.docker(['network', 'create', 'unused1']).code).toBe(0);
    const prune = api.docker(['network', 'prune', '-f']);
    expect(prune.stdout).toMatch(/^unused1$/m);
    expect(api.docker(['network', 'inspect', 'unused1']).code).toBe(1);
  });
});

describe('volumes', () => {
  it("creates (again: the same one), lists and inspects in Docker's shape", async () => {
    const r = await api.request('POST', '/v1.41/volumes/create', { Name: 'apivol', Labels: { a: 'b' } });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toMatchObject({ Name: 'apivol', Driver: 'local', Scope: 'local', Labels: { a: 'b' } });
    expect(r.json.Mountpoint).toMatch(/\/volumes\/apivol\/_data$/);
    const again = await api.request('POST', '/v1.41/volumes/create', { Name: 'apivol' });
    expect(again.status).toBe(201);
    expect(again.json.CreatedAt).toBe(r.json.CreatedAt);
    const anon = await api.request('POST', '/v1.41/volumes/create', {});
    expect(anon.json.Name).toMatch(/^[a-f0-9]{64}$/);
    const list = await api.request('GET', '/v1.41/volumes');
    expect(list.json.Warnings).toEqual([]);
    expect(list.json.Volumes.map((v: { Name: string }) => v.Name)).toEqual(expect.arrayContaining(['apivol', anon.json.Name]));
    const byLabel = await api.request('GET', `/v1.41/volumes?${q({ label: ['a=b'] })}`);
    expect(byLabel.json.Volumes.map((v: { Name: string }) => v.Name)).toEqual(['apivol']);
    expect((await api.request('GET', '/v1.41/volumes/apivol')).json).toEqual(r.json);
    expect((await api.request('GET', '/v1.41/volumes/nosuch')).status).toBe(404);
    expect((await api.request('POST', '/v1.41/volumes/create', { Driver: 'nfs' })).status).toBe(400);
    expect((await api.request('DELETE', `/v1.41/volumes/${anon.json.Name}`)).status).toBe(204);
  });

  it('refuses removing a volume in use with 409 even with force; force makes a missing one no error', async () => {
    expect(store.tspod(['create', '--name', 'voluser', '-v', 'apivol:/data', busybox, 'true']).code).toBe(0);
    expect((await api.request('DELETE', '/v1.41/volumes/apivol')).status).toBe(409);
    expect((await api.request('DELETE', '/v1.41/volumes/apivol?force=1')).status).toBe(409);
    expect(store.tspod(['container', 'exists', 'voluser']).code).toBe(0);
    expect((await api.request('GET', `/v1.41/volumes?${q({ dangling: ['true'] })}`)).json.Volumes.map((v: { Name: string }) => v.Name)).not.toContain('apivol');
    expect(store.tspod(['rm', 'voluser']).code).toBe(0);
    expect((await api.request('DELETE', '/v1.41/volumes/apivol')).status).toBe(204);
    expect((await api.request('DELETE', '/v1.41/volumes/apivol')).status).toBe(404);
    expect((await api.request('DELETE', '/v1.41/volumes/apivol?force=1')).status).toBe(204);
  });

  it('prunes unused volumes, reporting the bytes their files held', async () => {
    expect((await api.request('POST', '/v1.41/volumes/create', { Name: 'full' })).status).toBe(201);
    const w = store.tspod(['run', '--rm', '-v', 'full:/d', busybox, 'sh', '-c', 'head -c 100000 /dev/zero > /d/f']);
    expect(w.code, w.stderr).toBe(0);
    expect((await api.request('POST', '/v1.41/volumes/create', { Name: 'kept' })).status).toBe(201);
    expect(store.tspod(['create', '--name', 'keeper', '-v', 'kept:/k', busybox, 'true']).code).toBe(0);
    const r = await api.request('POST', '/v1.41/volumes/prune');
    expect(r.status).toBe(200);
    expect(r.json.VolumesDeleted).toEqual(['full']);
    expect(r.json.SpaceReclaimed).toBeGreaterThanOrEqual(100000);
    expect((await api.request('GET', '/v1.41/volumes/kept')).status).toBe(200);
  });

  it("works with Docker's CLI: volume create, ls, inspect, rm", () => {
    expect(api.docker(['volume', 'create', '--label', 'x=y', 'clivol']).stdout).toBe('clivol\n');
    expect(api.docker(['volume', 'ls', '-q', '--filter', 'label=x=y']).stdout).toBe('clivol\n');
    expect(api.docker(['volume', 'inspect', '--format', '{{.Name}} {{.Driver}} {{.Labels.x}}', 'clivol']).stdout).toBe('clivol local y\n');
    expect(api.docker(['volume', 'rm', 'clivol']).stdout).toBe('clivol\n');
    const gone = api.docker(['volume', 'inspect', 'clivol']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/no such volume/);
  });
});
