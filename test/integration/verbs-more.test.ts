// The verbs issue 19 (part 3) adds, as the unprivileged user: init (the runtime makes the
// container, start runs it), update (limits, restart policy and env changed after create), image
// diff, save of several images, and manifest lists pushed to and pulled from the real registry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Store, mirrorDockerHub, registry, userEnv } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('verbs-more');
let env: Record<string, string> = {};
const tspod = (args: string[], input?: string) => store.tspod(args, { env, input });
const user = userEnv();
let host: string;
const cgroupsV1 = !fs.existsSync('/sys/fs/cgroup/cgroup.controllers');
const V1_WARNING = 'Resource limits are not supported and ignored on cgroups V1 rootless systems';

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
  host = path.join(store.dir, 'host');
  fs.mkdirSync(host);
  fs.chownSync(host, user.uid, user.gid);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

const status = (name: string) => tspod(['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Status}}']).stdout.trim();
const inspect = (name: string, format: string) => tspod(['inspect', '--format', format, name]).stdout.trim();

describe('init', () => {
  it('makes the container without running its command: Initialized until start runs it', async () => {
    expect(tspod(['create', '--name', 'ini', 'busybox', 'sh', '-c', 'echo ran; sleep 1000']).code).toBe(0);
    expect(status('ini')).toBe('Created');
    expect(tspod(['init', 'ini'])).toMatchObject({ code: 0, stdout: 'ini\n', stderr: '' });
    expect(status('ini')).toBe('Initialized');
    expect(inspect('ini', '{{.State.Status}} {{.State.Running}}')).toBe('initialized false');
    expect(Number(inspect('ini', '{{.State.Pid}}'))).toBeGreaterThan(0);
    expect(Number(inspect('ini', '{{.State.ConmonPid}}'))).toBeGreaterThan(0);
    expect(tspod(['logs', 'ini']).stdout).toBe(''); // the command has not run
    const again = tspod(['init', 'ini']);
    expect(again.code).toBe(125);
    expect(again.stderr).toMatch(/^Error: container [0-9a-f]{64} has already been created in runtime: container state improper\n$/);
    expect(tspod(['container', 'start', 'ini'])).toMatchObject({ code: 0, stdout: 'ini\n' });
    expect(status('ini')).toMatch(/^Up /);
    expect(inspect('ini', '{{.State.Status}}')).toBe('running');
    for (let i = 0; i < 50 && tspod(['logs', 'ini']).stdout === ''; i++) await new Promise((r) => setTimeout(r, 100));
    expect(tspod(['logs', 'ini']).stdout).toBe('ran\n');
    expect(tspod(['rm', '-f', '-t', '0', 'ini']).code).toBe(0);
  });

  it('stop ends an initialized container, rm removes one without -f, and start -a attaches to one', () => {
    expect(tspod(['create', '--name', 'ini2', 'busybox', 'sleep', '1000']).code).toBe(0);
    expect(tspod(['init', 'ini2']).code).toBe(0);
    expect(tspod(['stop', 'ini2'])).toMatchObject({ code: 0, stdout: 'ini2\n' });
    expect(status('ini2')).toMatch(/^Exited \(137\) /);
    expect(tspod(['init', 'ini2']).code).toBe(0); // exited: init again
    expect(tspod(['rm', 'ini2'])).toMatchObject({ code: 0, stdout: 'ini2\n' });
    expect(tspod(['container', 'exists', 'ini2']).code).toBe(1);
    expect(tspod(['create', '--name', 'ini3', 'busybox', 'echo', 'attached']).code).toBe(0);
    expect(tspod(['container', 'init', 'ini3']).code).toBe(0);
    expect(tspod(['start', '-a', 'ini3'])).toMatchObject({ code: 0, stdout: 'attached\n' });
    expect(status('ini3')).toMatch(/^Exited \(0\) /);
  });

  it('repairs an initialized container whose start was killed after the runtime started it: it is running', () => {
    const id = tspod(['create', '--name', 'ini5', 'busybox', 'sleep', '1000']).stdout.trim();
    expect(tspod(['init', 'ini5']).code).toBe(0);
    const pid = inspect('ini5', '{{.State.Pid}}');
    // What a `start` killed between the runtime's start and its record leaves: the command runs.
    const started = tspod(['unshare', 'sh', '-c', `runc --root "$XDG_RUNTIME_DIR/tsrt" start ${id}`]);
    expect(started.code, started.stderr).toBe(0);
    expect(status('ini5')).toMatch(/^Up /);
    expect(inspect('ini5', '{{.State.Status}} {{.State.Pid}}')).toBe(`running ${pid}`);
    expect(tspod(['stop', '-t', '0', 'ini5']).code).toBe(0);
    expect(status('ini5')).toMatch(/^Exited \(137\) /);
    expect(tspod(['rm', 'ini5']).code).toBe(0);
  });

  it('--all initializes the created and exited containers and leaves the others; bad input gets Podman\'s errors', () => {
    const id = tspod(['create', '--name', 'ini4', 'busybox', 'sleep', '1000']).stdout.trim();
    expect(tspod(['init', '--all'])).toMatchObject({ code: 0, stdout: expect.stringContaining(`${id}\n`) });
    expect(status('ini4')).toBe('Initialized');
    expect(tspod(['init', '--all']).stdout).not.toContain(id);
    expect(tspod(['init', 'nosuch'])).toMatchObject({ code: 125, stderr: 'Error: no container with name or ID "nosuch" found: no such container\n' });
    expect(tspod(['init'])).toMatchObject({ code: 125, stderr: 'Error: you must provide at least one container name or ID, or --all\n' });
    expect(tspod(['rm', '-f', '-t', '0', 'ini4']).code).toBe(0);
  });
});

describe('update', () => {
  it('changes the limits, restart policy and environment that inspect shows, checked as create checks them', () => {
    const id = tspod(['create', '--name', 'upd', 'busybox', 'sh', '-c', 'echo "A=$A B=$B"']).stdout.trim();
    const out = tspod(['update', '--memory', '64m', '--cpus', '1.5', '--pids-limit', '50', '--restart', 'on-failure:3', '-e', 'A=1', 'upd']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe(`${id}\n`);
    if (cgroupsV1) expect(out.stderr).toContain(V1_WARNING);
    expect(inspect('upd', '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}')).toBe('67108864 134217728 1500000000 50');
    expect(inspect('upd', '{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}')).toBe('on-failure 3');
    // A second update keeps what it does not change.
    expect(tspod(['container', 'update', '--memory-swap', '256m', '--env', 'B=2', 'upd']).code).toBe(0);
    expect(inspect('upd', '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.PidsLimit}}')).toBe('67108864 268435456 50');
    expect(tspod(['start', '-a', 'upd']).stdout).toBe('A=1 B=2\n'); // the environment applies from the next start
    expect(tspod(['update', '--unsetenv', 'A', 'upd']).code).toBe(0);
    expect(tspod(['start', '-a', 'upd']).stdout).toBe('A= B=2\n');
  });

  it("refuses bad input with Podman's errors and changes nothing", () => {
    tspod(['create', '--name', 'upd2', '--memory', '128m', 'busybox', 'true']);
    const cases: Array<[string[], string]> = [
      [['update', '--memory', 'bogus', 'upd2'], "Error: invalid value for memory: invalid size: 'bogus': give a number with an optional unit b, k, m or g (e.g. 64m)\n"],
      [['update', '--memory', '1g', '--memory-swap', '512m', 'upd2'], 'Error: minimum memoryswap limit should be larger than memory limit: make --memory-swap at least --memory\n'],
      [['update', '--restart', 'sometimes', 'upd2'], 'Error: invalid restart policy "sometimes": use no, always, unless-stopped or on-failure[:max-retries]\n'],
      [['update', '--memory', '1g', 'upd2', 'upd2'], 'Error: accepts 1 arg(s), received 2\n'],
      [['update', '--memory', '1g', 'nosuch'], 'Error: no container with name or ID "nosuch" found: no such container\n'],
      [['update', '--health-cmd', 'true', 'upd2'], 'Error: --health-cmd is not supported: tspod keeps the healthcheck a container was created with: re-create the container with the new --health-* options\n'],
    ];
    for (const [args, stderr] of cases) expect(tspod(args), args.join(' ')).toMatchObject({ code: 125, stdout: '', stderr });
    expect(tspod(['update', 'upd2'])).toMatchObject({ code: 125, stderr: expect.stringMatching(/^Error: must provide at least one of resources and restartPolicy to update a container: /) });
    expect(inspect('upd2', '{{.HostConfig.Memory}} {{.HostConfig.RestartPolicy.Name}}')).toBe('134217728 no');
  });
});

describe('image diff', () => {
  it('shows what an image added, changed and deleted against its parent, or from a second image', () => {
    expect(tspod(['run', '--name', 'differ', 'busybox', 'sh', '-c', 'mkdir /data && echo x > /data/f && rm /bin/ls']).code).toBe(0);
    expect(tspod(['commit', '-q', 'differ', 'localhost/differ']).code).toBe(0);
    const expected = 'C /bin\nD /bin/ls\nA /data\nA /data/f\nC /etc\n';
    expect(tspod(['container', 'diff', 'differ']).stdout).toBe(expected);
    expect(tspod(['image', 'diff', 'localhost/differ'])).toMatchObject({ code: 0, stdout: expected, stderr: '' });
    expect(tspod(['image', 'diff', 'localhost/differ', 'busybox']).stdout).toBe(expected);
    expect(tspod(['image', 'diff', 'busybox', 'localhost/differ']).stdout).toBe('C /bin\nA /bin/ls\nD /data\nC /etc\n');
    expect(JSON.parse(tspod(['image', 'diff', '--format', 'json', 'localhost/differ']).stdout)).toEqual({ changed: ['/bin', '/etc'], added: ['/data', '/data/f'], deleted: ['/bin/ls'] });
    expect(tspod(['image', 'diff', '--format', 'json', 'busybox', 'busybox']).stdout).toBe('{}\n');
    expect(tspod(['image', 'diff', '--format', 'yaml', 'busybox'])).toMatchObject({ code: 125, stdout: '', stderr: "Error: only supported value for '--format' is 'json'\n" });
    expect(tspod(['image', 'diff', 'nosuch'])).toMatchObject({ code: 125, stderr: 'Error: nosuch: image not known\n' });
  });
});

describe('diff', () => {
  it('compares two containers, or a container and an image, from the second to the first; diff takes images too', () => {
    expect(tspod(['run', '--name', 'dadd', 'busybox', 'sh', '-c', 'echo x > /new']).code).toBe(0);
    expect(tspod(['run', '--name', 'ddel', 'busybox', 'rm', '/bin/ls']).code).toBe(0);
    expect(tspod(['diff', 'dadd', 'ddel'])).toMatchObject({ code: 0, stdout: 'C /bin\nA /bin/ls\nC /etc\nA /new\n', stderr: '' });
    expect(tspod(['container', 'diff', 'ddel', 'dadd']).stdout).toBe('C /bin\nD /bin/ls\nC /etc\nD /new\n');
    expect(tspod(['diff', 'dadd', 'busybox']).stdout).toBe(tspod(['diff', 'dadd']).stdout);
    expect(tspod(['diff', '--latest']).stdout).toBe('C /bin\nD /bin/ls\nC /etc\n');
    expect(tspod(['diff', 'busybox']).stdout).toMatch(/^A \/bin\n(A \/bin\/\S+\n)+/); // a one-layer image: all of it is added
    expect(tspod(['container', 'diff', 'busybox'])).toMatchObject({ code: 125, stderr: 'Error: no container with name or ID "busybox" found: no such container\n' });
    expect(tspod(['diff', 'dadd', 'ddel', 'x'])).toMatchObject({ code: 125, stderr: 'Error: accepts between 1 and 2 arg(s), received 3\n' });
    expect(tspod(['diff'])).toMatchObject({ code: 125, stderr: 'Error: requires a name, id, or the "--latest" flag\n' });
  });
});

describe('image tree', () => {
  it("prints an image's layers as Podman does, naming the images whose top layer each is", () => {
    expect(tspod(['run', '--name', 'treed', 'busybox', 'touch', '/leaf']).code).toBe(0);
    expect(tspod(['commit', '-q', 'treed', 'localhost/treed']).code).toBe(0);
    const id = tspod(['image', 'inspect', '--format', '{{.Id}}', 'localhost/treed']).stdout.trim();
    const out = tspod(['image', 'tree', 'localhost/treed']);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([`Image ID: ${id.slice(0, 12)}`, 'Tags:     [localhost/treed:latest]', expect.stringMatching(/^Size: {5}[\d.]+[kMG]?B$/), 'Image Layers']);
    expect(lines[4]).toMatch(/^├── ID: [0-9a-f]{12} Size: +[\d.]+[kMG]?B Top Layer of: \[.*docker\.io\/library\/busybox:latest.*\]$/);
    expect(lines[5]).toMatch(/^└── ID: [0-9a-f]{12} Size: +[\d.]+[kMG]?B Top Layer of: \[localhost\/treed:latest\]$/);
    expect(lines.slice(6)).toEqual(['', '']);
    expect(tspod(['image', 'tree', 'nosuch'])).toMatchObject({ code: 125, stderr: 'Error: nosuch: image not known\n' });
    expect(tspod(['image', 'tree', '--whatrequires', 'localhost/treed'])).toMatchObject({ code: 125, stderr: expect.stringMatching(/^Error: --whatrequires is not supported: /) });
  });
});

describe('images --history', () => {
  it('shows the names an image had, its current ones first, after tags and untags', () => {
    expect(tspod(['run', '--name', 'named', 'busybox', 'touch', '/named']).code).toBe(0);
    expect(tspod(['commit', '-q', 'named', 'localhost/histimg:1']).code).toBe(0);
    expect(tspod(['tag', 'localhost/histimg:1', 'localhost/histimg:2']).code).toBe(0);
    expect(tspod(['untag', 'localhost/histimg:1', 'localhost/histimg:1']).code).toBe(0);
    const out = tspod(['images', '--history', 'localhost/histimg']);
    expect(out.code, out.stderr).toBe(0);
    const [head, row, ...rest] = out.stdout.split('\n');
    expect(head).toMatch(/^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE +HISTORY$/);
    expect(row).toMatch(/^localhost\/histimg +2 +[0-9a-f]{12} .* localhost\/histimg:2, localhost\/histimg:1$/);
    expect(rest).toEqual(['']);
    expect(JSON.parse(tspod(['images', '--format', 'json', 'localhost/histimg']).stdout)[0].History).toEqual(['localhost/histimg:2', 'localhost/histimg:1']);
  });
});

describe('save', () => {
  it('saves several images into one archive (with -m or without) that load brings back', () => {
    expect(tspod(['tag', 'busybox', 'localhost/saved:one']).code).toBe(0);
    expect(tspod(['run', '--name', 'saver', 'busybox', 'touch', '/marker']).code).toBe(0);
    expect(tspod(['commit', '-q', 'saver', 'localhost/saved:two']).code).toBe(0);
    for (const flags of [['-m'], []]) {
      const file = `${host}/two${flags.join('')}.tar`;
      expect(tspod(['save', ...flags, '-o', file, 'localhost/saved:one', 'localhost/saved:two'])).toMatchObject({ code: 0, stdout: '' });
      expect(tspod(['rmi', 'localhost/saved:one', 'localhost/saved:two']).code).toBe(0);
      const load = tspod(['load', '-i', file]);
      expect(load.code, load.stderr).toBe(0);
      const names = tspod(['images', '--format', '{{.Repository}}:{{.Tag}}']).stdout.split('\n');
      expect(names).toEqual(expect.arrayContaining(['localhost/saved:one', 'localhost/saved:two']));
      expect(tspod(['run', '--rm', 'localhost/saved:two', 'ls', '/marker']).stdout).toBe('/marker\n');
    }
    expect(tspod(['save', '--compress', '-o', `${host}/c.tar`, 'busybox'])).toMatchObject({ code: 125, stderr: expect.stringMatching(/^Error: --compress is not supported: /) });
  });
});

describe('manifest', () => {
  it('makes a list of two local images, pushes it with its images, and the registry serves it back', () => {
    expect(tspod(['tag', 'busybox', 'localhost/multi:amd64']).code).toBe(0);
    expect(tspod(['run', '--name', 'multi', 'busybox', 'touch', '/second']).code).toBe(0);
    expect(tspod(['commit', '-q', 'multi', 'localhost/multi:arm64']).code).toBe(0);
    const created = tspod(['manifest', 'create', 'localhost/multi:list', 'localhost/multi:amd64', 'localhost/multi:arm64']);
    expect(created.code, created.stderr).toBe(0);
    const id = created.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(tspod(['manifest', 'exists', 'localhost/multi:list']).code).toBe(0);
    expect(tspod(['manifest', 'exists', 'localhost/multi:none']).code).toBe(1);
    const local = JSON.parse(tspod(['manifest', 'inspect', 'localhost/multi:list']).stdout) as { mediaType: string; manifests: Array<{ digest: string; platform: Record<string, string>; annotations?: Record<string, string> }> };
    expect(local.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(local.manifests.map((m) => m.platform)).toEqual([{ architecture: 'amd64', os: 'linux' }, { architecture: 'amd64', os: 'linux' }]);
    const second = local.manifests[1].digest;
    expect(tspod(['manifest', 'annotate', '--arch', 'arm64', '--variant', 'v8', '--annotation', 'role=second', 'localhost/multi:list', second])).toMatchObject({ code: 0, stdout: `${id}\n` });
    const dest = `${registry}/verbs-more/multi:1`;
    const push = tspod(['manifest', 'push', '--tls-verify=false', '--digestfile', `${host}/digest`, 'localhost/multi:list', dest]);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stdout).toBe('');
    expect(fs.readFileSync(`${host}/digest`, 'utf8')).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The registry's copy: both images, as annotated.
    const remote = JSON.parse(tspod(['manifest', 'inspect', '--tls-verify=false', dest]).stdout) as typeof local;
    expect(remote.manifests.map((m) => [m.digest, m.platform])).toEqual([
      [local.manifests[0].digest, { architecture: 'amd64', os: 'linux' }],
      [second, { architecture: 'arm64', os: 'linux', variant: 'v8' }],
    ]);
    expect(remote.manifests[1].annotations).toEqual({ role: 'second' });
    // Pulled back into a fresh store: this host's platform is the first image.
    const other = new Store('verbs-more-pull');
    try {
      const pulled = other.tspod(['pull', '-q', '--tls-verify=false', dest]);
      expect(pulled.code, pulled.stderr).toBe(0);
      expect(pulled.stdout.trim()).toBe(tspod(['image', 'inspect', '--format', '{{.Id}}', 'localhost/multi:amd64']).stdout.trim());
    } finally {
      other.cleanup();
    }
    expect(tspod(['manifest', 'remove', 'localhost/multi:list', second])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(JSON.parse(tspod(['manifest', 'inspect', 'localhost/multi:list']).stdout).manifests).toHaveLength(1);
    expect(tspod(['manifest', 'rm', 'localhost/multi:list'])).toMatchObject({ code: 0, stdout: `Untagged: localhost/multi:list\nDeleted: ${id}\n` });
    expect(tspod(['image', 'exists', 'localhost/multi:arm64']).code).toBe(0); // the images stay
  });

  it("refuses bad input with Podman's errors", () => {
    expect(tspod(['manifest', 'create', 'localhost/multi:amd64'])).toMatchObject({ code: 125, stderr: expect.stringMatching(/^Error: image name "localhost\/multi:amd64" is already associated with an image: /) });
    expect(tspod(['manifest', 'create', 'localhost/dup']).code).toBe(0);
    expect(tspod(['manifest', 'create', 'localhost/dup'])).toMatchObject({ code: 125, stderr: expect.stringMatching(/^Error: creating manifest list localhost\/dup:latest: a manifest list of that name exists /) });
    expect(tspod(['manifest', 'create', '--amend', 'localhost/dup']).code).toBe(0);
    expect(tspod(['manifest', 'create', '--annotation', 'novalue', 'localhost/dup2'])).toMatchObject({ code: 125, stderr: 'Error: expected --annotation "novalue" to be in key=value format\n' });
    expect(tspod(['manifest', 'add', 'localhost/nolist', 'busybox'])).toMatchObject({ code: 125, stderr: 'Error: localhost/nolist: image not known\n' });
    expect(tspod(['manifest', 'add', 'localhost/dup', 'containers-storage:nosuch'])).toMatchObject({ code: 125, stderr: 'Error: nosuch: image not known\n' });
    expect(tspod(['manifest', 'remove', 'localhost/dup', 'sha256:0123456789ab'])).toMatchObject({ code: 125, stderr: expect.stringMatching(/^Error: no instance sha256:0123456789ab in manifest list localhost\/dup:latest: /) });
    expect(tspod(['manifest', 'push', '--sign-by', 'x', 'localhost/dup', `${registry}/verbs-more/dup`])).toMatchObject({ code: 125, stderr: expect.stringMatching(/^Error: --sign-by is not supported: /) });
    expect(tspod(['manifest', 'rm', 'localhost/dup', 'localhost/nolist'])).toMatchObject({ code: 125, stderr: 'Error: localhost/nolist: image not known\n' });
    expect(tspod(['manifest', 'rm', '-i', 'localhost/nolist'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });
});

describe("ps, wait and exists against Podman's behaviour", () => {
  it('shows a PID only while the runtime has the container, waits for initialized, and takes container exists --external', async () => {
    expect(tspod(['run', '--name', 'gone', 'busybox', 'true']).code).toBe(0);
    const row = (name: string) => tspod(['ps', '-a', '--ns', '--filter', `name=^${name}$`, '--format', '{{.Names}} {{.Pid}}']).stdout;
    expect(row('gone')).toBe('gone 0\n'); // exited: Podman resets the PID
    expect(JSON.parse(tspod(['ps', '-a', '--filter', 'name=^gone$', '--format', 'json']).stdout)[0].Pid).toBe(0);
    expect(tspod(['create', '--name', 'waiter', 'busybox', 'sleep', '1000']).code).toBe(0);
    const wait = store.tspodAsync(['wait', '--condition', 'initialized', '--interval', '100ms', 'waiter'], { env });
    await new Promise((r) => setTimeout(r, 1000));
    expect(tspod(['init', 'waiter']).code).toBe(0);
    expect(await wait).toMatchObject({ code: 0, stdout: '-1\n' });
    const pid = Number(inspect('waiter', '{{.State.Pid}}'));
    expect(pid).toBeGreaterThan(0);
    expect(row('waiter')).toBe(`waiter ${pid}\n`);
    expect(tspod(['container', 'exists', '--external', 'waiter']).code).toBe(0);
    expect(tspod(['container', 'exists', '--external', 'nosuch']).code).toBe(1);
    expect(tspod(['rm', '-f', '-t', '0', 'waiter', 'gone']).code).toBe(0);
  });
});
