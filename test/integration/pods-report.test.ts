// The pod verbs that report, as the unprivileged user against real pods (an infra container and
// busybox containers in it): pod ps's table, JSON, templates and filters; pod inspect's Podman 5
// document (also through inspect --type pod and the plain inspect); pod logs of two containers with
// their prefixes; pod top; pod stats --no-stream; pod clone (the copy runs, with an infra of its own).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store, mirrorDockerHub, registry } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('pods-report');
let env: Record<string, string> = {};
const tspod = (args: string[]) => store.tspod(args, { env });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let podId = '';
let infraId = '';

async function until(what: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (what()) return;
  throw new Error('timed out');
}

beforeAll(async () => {
  env = mirrorDockerHub(store, ['busybox']);
  const made = tspod(['pod', 'create', '-p', '18080:80', '--label', 'tier=front', 'web']);
  expect(made).toMatchObject({ code: 0, stderr: '' });
  podId = made.stdout.trim();
  expect(tspod(['run', '-d', '--pod', 'web', '--name', 'web-app', 'busybox', 'sh', '-c', 'echo hello from app; sleep 1000']).code).toBe(0);
  expect(tspod(['run', '-d', '--pod', 'web', '--name', 'web-side', 'busybox', 'sh', '-c', 'echo side one; echo side two >&2; sleep 1000']).code).toBe(0);
  infraId = tspod(['pod', 'inspect', '--format', '{{.InfraContainerID}}', 'web']).stdout.trim();
  expect(infraId).toMatch(/^[0-9a-f]{64}$/);
  expect(tspod(['pod', 'create', '--label', 'tier=back', 'idle']).code).toBe(0);
  await until(() => tspod(['logs', 'web-side']).stdout.includes('side one') && tspod(['logs', 'web-app']).stdout.includes('hello'));
}, 120_000);

afterAll(() => {
  tspod(['pod', 'rm', '-af', '-t', '0']);
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

describe('pod ps', () => {
  it("prints Podman's columns: the status from every container's, the infra's too", () => {
    const r = tspod(['pod', 'ps']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^POD ID +NAME +STATUS +CREATED +INFRA ID +# OF CONTAINERS$/);
    // Newest first, as Podman sorts by default.
    expect(lines[1]).toMatch(/^[0-9a-f]{12} +idle +Created +(Less than a second|\d+ seconds?) ago +[0-9a-f]{12} +1$/);
    expect(lines[2]).toMatch(new RegExp(`^${podId.slice(0, 12)} +web +Running +(Less than a second|\\d+ seconds?|About a minute) ago +${infraId.slice(0, 12)} +3$`));
    expect(lines).toHaveLength(3);
  });

  it('--ctr-names, --ctr-ids, --ctr-status replace the count; -q prints whole IDs; --no-trunc', () => {
    const r = tspod(['pod', 'ps', '--ctr-names', '--ctr-status', '--filter', 'name=^web$']);
    expect(r.stdout).toMatch(/^POD ID +NAME +STATUS +CREATED +INFRA ID +NAMES +STATUS\n/);
    expect(r.stdout).toContain(` ${podId.slice(0, 12)}-infra,web-app,web-side  running,running,running\n`.trimStart());
    expect(tspod(['pod', 'ps', '-q', '--filter', 'name=web']).stdout).toBe(`${podId}\n`);
    expect(tspod(['pod', 'ps', '--no-trunc', '--noheading', '--filter', 'label=tier=front', '--format', '{{.ID}} {{.InfraID}}']).stdout).toBe(`${podId} ${infraId}\n`);
  });

  it('--format json is Podman 5\'s ListPodsReport', () => {
    const r = tspod(['pod', 'ps', '--format', 'json', '--filter', 'name=^web$']);
    expect(r.code).toBe(0);
    const [e] = JSON.parse(r.stdout);
    expect(Object.keys(e)).toEqual(['Cgroup', 'Containers', 'Created', 'Id', 'InfraId', 'Name', 'Namespace', 'Networks', 'Status', 'Labels']);
    expect(e).toMatchObject({ Id: podId, InfraId: infraId, Name: 'web', Status: 'Running', Labels: { tier: 'front' }, Networks: [] });
    expect(e.Containers.map((c: { Names: string; Status: string; RestartCount: number }) => `${c.Names} ${c.Status} ${c.RestartCount}`)).toEqual([`${podId.slice(0, 12)}-infra running 0`, 'web-app running 0', 'web-side running 0']);
    expect(r.stdout.split('\n')[1]).toBe('  {'); // two-space indent, as Podman's
  });

  it("takes Go templates with Podman's field names and headings", () => {
    const r = tspod(['pod', 'ps', '--sort', 'name', '--format', 'table {{.Name}} {{.NumberOfContainers}} {{.Label "tier"}} {{.ContainerStatuses}}']);
    expect(r.stdout).toBe('NAME        # OF CONTAINERS  LABEL       STATUS\nidle        1                back        created\nweb         3                front       running,running,running\n');
  });

  it('filters as Podman lists them, and refuses unknown keys and values', () => {
    const names = (...f: string[]) => tspod(['pod', 'ps', ...f.flatMap((x) => ['--filter', x]), '--format', '{{.Name}}', '--sort', 'name']).stdout.trim().split('\n').filter(Boolean);
    expect(names('status=running')).toEqual(['web']);
    expect(names('status=created', 'status=running')).toEqual(['idle', 'web']);
    expect(names('label=tier=back')).toEqual(['idle']);
    expect(names('ctr-names=^web-side$')).toEqual(['web']);
    expect(names('ctr-number=1')).toEqual(['idle']);
    expect(names('ctr-status=created')).toEqual(['idle']);
    expect(names('ctr-ids=' + infraId.slice(0, 10))).toEqual(['web']);
    expect(names('id=' + podId.slice(0, 8))).toEqual(['web']);
    expect(names('until=1h')).toEqual([]);
    expect(names('network=nosuch')).toEqual([]);
    const bad = tspod(['pod', 'ps', '--filter', 'colour=red']);
    expect(bad).toMatchObject({ code: 125, stdout: '' });
    expect(bad.stderr).toBe('Error: colour is an invalid filter: use id, name, label, label!, status, ctr-names, ctr-ids, ctr-status, ctr-number, network, until\n');
    expect(tspod(['pod', 'ps', '--filter', 'status=sleeping']).stderr).toBe('Error: sleeping is not a valid pod status: use stopped, running, paused, exited, dead, created, degraded\n');
    expect(tspod(['pod', 'ps', '-q', '--format', 'json'])).toMatchObject({ code: 125, stderr: 'Error: quiet and format cannot be used together\n' });
    expect(tspod(['pod', 'ls', '--sort', 'size'])).toMatchObject({ code: 125, stderr: 'Error: invalid option for --sort, options are: created, id, name, number, status\n' });
    expect(tspod(['pod', 'list', '--latest', '--format', '{{.Name}}']).stdout).toBe('idle\n');
  });
});

describe('pod ps and pod inspect of a pod on a user-defined network', () => {
  it("list the infra container's networks, which network= filters by", () => {
    expect(tspod(['network', 'create', 'podnet']).code).toBe(0);
    expect(tspod(['pod', 'create', '--network', 'podnet', 'onnet']).code).toBe(0);
    expect(tspod(['pod', 'ps', '--filter', 'network=podnet', '--format', '{{.Name}} {{.Networks}}']).stdout).toBe('onnet podnet\n');
    expect(JSON.parse(tspod(['pod', 'ps', '--filter', 'name=onnet', '--format', 'json']).stdout)[0].Networks).toEqual(['podnet']);
    expect(tspod(['pod', 'inspect', '--format', '{{.InfraConfig.Networks}} {{.InfraConfig.HostNetwork}}', 'onnet']).stdout).toBe('[podnet] false\n');
    expect(tspod(['pod', 'rm', 'onnet']).code).toBe(0);
    expect(tspod(['network', 'rm', 'podnet']).code).toBe(0);
  });

  it("pod inspect lists the pod's volumes as Podman's mounts", () => {
    expect(tspod(['pod', 'create', '-v', 'podvol:/data:ro', 'withvol']).code).toBe(0);
    const d = JSON.parse(tspod(['pod', 'inspect', 'withvol']).stdout)[0];
    expect(d.mounts).toEqual([{ Type: 'volume', Name: 'podvol', Source: `${store.root}/volumes/podvol/_data`, Destination: '/data', Driver: 'local', Mode: '', Options: ['rbind'], RW: false, Propagation: 'rprivate' }]);
    expect(tspod(['pod', 'inspect', '--format', '{{range .Mounts}}{{.Name}}{{end}}', 'withvol']).stdout).toBe('podvol\n');
    expect(tspod(['pod', 'rm', 'withvol']).code).toBe(0);
  });
});

describe('pod inspect', () => {
  it("is an array of Podman 5's documents", () => {
    const r = tspod(['pod', 'inspect', 'web']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const docs = JSON.parse(r.stdout);
    expect(docs).toHaveLength(1);
    const [d] = docs;
    expect(Object.keys(d)).toEqual(['Id', 'Name', 'Created', 'CreateCommand', 'ExitPolicy', 'State', 'Hostname', 'Labels', 'CreateCgroup', 'CreateInfra', 'InfraContainerID', 'InfraConfig', 'SharedNamespaces', 'NumContainers', 'Containers', 'LockNumber']);
    expect(d).toMatchObject({ Id: podId, Name: 'web', ExitPolicy: 'continue', State: 'Running', Labels: { tier: 'front' }, CreateInfra: true, InfraContainerID: infraId, SharedNamespaces: ['ipc', 'net', 'uts'], NumContainers: 3 });
    expect(d.CreateCommand.slice(-6)).toEqual(['pod', 'create', '-p', '18080:80', '--label', 'tier=front', 'web'].slice(-6));
    expect(Object.keys(d.InfraConfig)).toEqual(['PortBindings', 'HostNetwork', 'StaticIP', 'StaticMAC', 'NoManageResolvConf', 'DNSServer', 'DNSSearch', 'DNSOption', 'NoManageHostname', 'NoManageHosts', 'HostAdd', 'HostsFile', 'Networks', 'NetworkOptions', 'pid_ns', 'userns', 'uts_ns']);
    expect(d.InfraConfig.PortBindings).toEqual({ '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '18080' }] });
    const ids = d.Containers.map((c: { Id: string }) => c.Id);
    expect(ids).toEqual([...ids].sort());
    expect(d.Containers.map((c: { Name: string; State: string }) => `${c.Name} ${c.State}`).sort()).toEqual([`${podId.slice(0, 12)}-infra running`, 'web-app running', 'web-side running']);
  });

  it('takes Go templates (Go field names), --latest, and says which names it does not know', () => {
    expect(tspod(['pod', 'inspect', '--format', '{{.ID}} {{.State}} {{.NumContainers}} {{.InfraConfig.PidNS}}', 'web']).stdout).toBe(`${podId} Running 3 private\n`);
    expect(tspod(['pod', 'inspect', '-l', '--format', '{{.Name}}']).stdout).toBe('idle\n');
    const r = tspod(['pod', 'inspect', 'web', 'nosuch']);
    expect(r.code).toBe(125);
    expect(JSON.parse(r.stdout).map((d: { Name: string }) => d.Name)).toEqual(['web']);
    expect(r.stderr).toBe('Error: no such pod nosuch\n');
  });

  it('inspect --type pod and the plain inspect find pods', () => {
    expect(tspod(['inspect', '--type', 'pod', '--format', '{{.Name}} {{.Hostname}}', 'idle']).stdout).toBe('idle \n');
    expect(tspod(['inspect', '--format', '{{.Name}} {{.CreateInfra}}', 'web']).stdout).toBe('web true\n');
    expect(tspod(['inspect', '--type', 'pod', 'web-app'])).toMatchObject({ code: 125, stderr: 'Error: no such pod web-app\n' });
  });
});

describe('pod logs, top, stats', () => {
  it("shows both containers' lines after their short IDs (names with --names), stderr on stderr; -c one without prefix", () => {
    const ids = Object.fromEntries(['web-app', 'web-side'].map((n) => [n, tspod(['inspect', '--format', '{{.ID}}', n]).stdout.trim().slice(0, 12)]));
    const r = tspod(['pod', 'logs', 'web']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${ids['web-app']} hello from app\n${ids['web-side']} side one\n`);
    expect(r.stderr).toBe(`${ids['web-side']} side two\n`);
    // --tail counts each log's lines, stdout's and stderr's together.
    expect(tspod(['pod', 'logs', '--names', '--tail', '1', 'web'])).toMatchObject({ code: 0, stdout: 'web-app hello from app\n', stderr: 'web-side side two\n' });
    expect(tspod(['pod', 'logs', '-c', 'web-side', 'web'])).toMatchObject({ code: 0, stdout: 'side one\n', stderr: 'side two\n' });
    const wrong = tspod(['pod', 'logs', '-c', 'nosuch', 'web']);
    expect(wrong.code).toBe(125);
    expect(wrong.stderr).toMatch(/^Error: container nosuch is not in pod web: no such container/);
  });

  it("top lists every running container's processes once, as seen inside them", () => {
    const r = tspod(['pod', 'top', 'web', 'user', 'pid', 'args']);
    expect(r.code).toBe(0);
    const [head, ...rows] = r.stdout.trimEnd().split('\n');
    expect(head).toMatch(/^USER +PID +COMMAND$/);
    expect(rows.map((l) => l.replace(/ +/g, ' ')).sort()).toEqual(['0 1 /catatonit -P', 'root 1 sleep 1000', 'root 1 sleep 1000']);
    expect(tspod(['pod', 'top', 'idle'])).toMatchObject({ code: 125, stderr: 'Error: pod idle has no running containers: start it with "tspod pod start idle"\n' });
  });

  it('stats --no-stream reports each running container of the pod once', () => {
    const r = tspod(['pod', 'stats', '--no-stream', 'web']);
    expect(r.code).toBe(0);
    const [head, ...rows] = r.stdout.trimEnd().split('\n');
    expect(head).toMatch(/^POD +CID +NAME +CPU % +MEM USAGE\/ LIMIT +MEM % +NET IO +BLOCK IO +PIDS$/);
    expect(rows.map((l) => l.split(/ {2,}/)[2]).sort()).toEqual([`${podId.slice(0, 12)}-infra`, 'web-app', 'web-side']);
    for (const row of rows) expect(row).toMatch(new RegExp(`^${podId.slice(0, 12)} +[0-9a-f]{12} +\\S+ +\\d+\\.\\d\\d% +[\\d.]+[kMG]?B / [\\d.]+[kMGT]B +\\d+\\.\\d\\d% +.+ +\\d+$`));
    const json = JSON.parse(tspod(['pod', 'stats', '--no-stream', '--format', 'json', 'web']).stdout);
    expect(Object.keys(json[0])).toEqual(['CPU', 'MemUsage', 'MemUsageBytes', 'Mem', 'NetIO', 'BlockIO', 'PIDS', 'Pod', 'CID', 'Name']);
    expect(tspod(['pod', 'stats', '--no-stream', 'idle']).stdout).toMatch(/^POD +CID .*\n-- +-- +-- +-- +-- +-- +-- +-- +--\n$/);
    expect(tspod(['pod', 'stats', '--no-stream', '-a', 'web'])).toMatchObject({ code: 125, stderr: 'Error: --all, --latest and arguments cannot be used together\n' });
  });
});

describe('pod clone', () => {
  it('refuses to copy a running pod whose host port the copy would need, and leaves nothing made', () => {
    const before = tspod(['ps', '-a', '--format', '{{.Names}}']).stdout;
    const r = tspod(['pod', 'clone', 'web']);
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Error: cannot make the copy of pod web, nothing was made: host port 18080\/tcp is already published by container [0-9a-f]{12}-infra: .* \(pod web runs: stop it first, or clone it with --destroy\)\n$/);
    expect(tspod(['pod', 'exists', 'web-clone']).code).toBe(1);
    expect(tspod(['ps', '-a', '--format', '{{.Names}}']).stdout).toBe(before);
    expect(tspod(['pod', 'ps', '--filter', 'name=^web$', '--format', '{{.Status}}']).stdout).toBe('Running\n');
  });

  it('makes a copy with its own infra container and copies of the containers, which runs with --start', async () => {
    const r = tspod(['pod', 'clone', '--start', '--hostname', 'copyhost', 'idle']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const copy = r.stdout.trim();
    expect(copy).toMatch(/^[0-9a-f]{64}$/);
    const d = JSON.parse(tspod(['pod', 'inspect', 'idle-clone']).stdout)[0];
    expect(d).toMatchObject({ Id: copy, Name: 'idle-clone', State: 'Running', Hostname: 'copyhost', Labels: { tier: 'back' }, NumContainers: 1 });
    const orig = JSON.parse(tspod(['pod', 'inspect', 'idle']).stdout)[0];
    expect(d.InfraContainerID).not.toBe(orig.InfraContainerID);
    expect(tspod(['pod', 'rm', '-f', '-t', '0', 'idle-clone']).code).toBe(0);
  });

  it('copies the containers (as their create commands made them) into the copy; --destroy removes the original', async () => {
    expect(tspod(['pod', 'create', '--label', 'k=v', 'src']).code).toBe(0);
    expect(tspod(['create', '--pod', 'src', '--name', 'src-app', '-e', 'WHO=copy', 'busybox', 'sh', '-c', 'echo I am $WHO; sleep 1000']).code).toBe(0);
    const r = tspod(['pod', 'clone', '--destroy', '--start', 'src', 'dst']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(tspod(['pod', 'exists', 'src']).code).toBe(1);
    const ps = JSON.parse(tspod(['pod', 'ps', '--format', 'json', '--filter', 'name=^dst$']).stdout)[0];
    expect(ps).toMatchObject({ Name: 'dst', Status: 'Running', Labels: { k: 'v' } });
    expect(ps.Containers.map((c: { Names: string }) => c.Names)).toEqual([expect.stringMatching(/^[0-9a-f]{12}-infra$/), 'src-app-clone']);
    await until(() => tspod(['logs', 'src-app-clone']).stdout === 'I am copy\n');
    expect(tspod(['pod', 'clone', 'nosuch'])).toMatchObject({ code: 125, stderr: 'Error: no pod with name or ID nosuch found: no such pod\n' });
  });

  it('--destroy of a running pod made by run --pod new:NAME: the copy takes its published port, the original goes', async () => {
    expect(tspod(['run', '-d', '--pod', 'new:np', '-p', '18090:80', '--stop-signal', 'KILL', '--name', 'np-app', 'busybox', 'sleep', '1000']).code).toBe(0);
    const r = tspod(['pod', 'clone', '--destroy', '--start', 'np']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(tspod(['pod', 'exists', 'np']).code).toBe(1);
    expect(tspod(['container', 'exists', 'np-app']).code).toBe(1);
    const d = JSON.parse(tspod(['pod', 'inspect', 'np-clone']).stdout)[0];
    expect(d).toMatchObject({ Id: r.stdout.trim(), State: 'Running', InfraConfig: { PortBindings: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '18090' }] } } });
    expect(d.Containers.map((c: { Name: string }) => c.Name).sort()).toEqual([expect.stringMatching(/-infra$/), 'np-app-clone'].sort());
  });
});
