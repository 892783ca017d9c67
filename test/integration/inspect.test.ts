// inspect as the user meets it, in Podman 5's shapes: a container's document with the image's
// environment and working directory, its networks keyed by name with their addresses, its mounts
// and host config; image, volume and network documents; the top-level verb finding each kind,
// --type, --size and --latest; and Podman 5's output and exit code for names that name nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Store, mirrorDockerHub, registry, userEnv } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('inspect');
let env: Record<string, string> = {};
const tspod = (args: string[]) => store.tspod(args, { env });
const user = userEnv();
let host: string;

/** Podman 5's InspectContainerData keys, in its order, as printed for a started container without a healthcheck or --size. */
const CONTAINER_KEYS = [
  'Id', 'Created', 'Path', 'Args', 'State', 'Image', 'ImageDigest', 'ImageName', 'Rootfs', 'Pod', 'ResolvConfPath', 'HostnamePath', 'HostsPath',
  'StaticDir', 'OCIConfigPath', 'OCIRuntime', 'ConmonPidFile', 'PidFile', 'Name', 'RestartCount', 'Driver', 'MountLabel', 'ProcessLabel',
  'AppArmorProfile', 'EffectiveCaps', 'BoundingCaps', 'ExecIDs', 'GraphDriver', 'Mounts', 'Dependencies', 'NetworkSettings', 'Namespace',
  'IsInfra', 'IsService', 'KubeExitCodePropagation', 'lockNumber', 'Config', 'HostConfig', 'UseImageHosts', 'UseImageHostname',
];
const HOST_CONFIG_KEYS = [
  'Binds', 'CgroupManager', 'CgroupMode', 'ContainerIDFile', 'LogConfig', 'NetworkMode', 'PortBindings', 'RestartPolicy', 'AutoRemove',
  'AutoRemoveImage', 'Annotations', 'VolumeDriver', 'VolumesFrom', 'CapAdd', 'CapDrop', 'Dns', 'DnsOptions', 'DnsSearch', 'ExtraHosts',
  'HostsFile', 'GroupAdd', 'IpcMode', 'Cgroup', 'Cgroups', 'Links', 'OomScoreAdj', 'PidMode', 'Privileged', 'PublishAllPorts',
  'ReadonlyRootfs', 'SecurityOpt', 'Tmpfs', 'UTSMode', 'UsernsMode', 'ShmSize', 'Runtime', 'ConsoleSize', 'Isolation', 'CpuShares',
  'Memory', 'NanoCpus', 'CgroupParent', 'BlkioWeight', 'BlkioWeightDevice', 'BlkioDeviceReadBps', 'BlkioDeviceWriteBps',
  'BlkioDeviceReadIOps', 'BlkioDeviceWriteIOps', 'CpuPeriod', 'CpuQuota', 'CpuRealtimePeriod', 'CpuRealtimeRuntime', 'CpusetCpus',
  'CpusetMems', 'Devices', 'DiskQuota', 'KernelMemory', 'MemoryReservation', 'MemorySwap', 'MemorySwappiness', 'OomKillDisable',
  'PidsLimit', 'Ulimits', 'CpuCount', 'CpuPercent', 'IOMaximumIOps', 'IOMaximumBandwidth', 'CgroupConf',
];
const IMAGE_KEYS = [
  'Id', 'Digest', 'RepoTags', 'RepoDigests', 'Parent', 'Comment', 'Created', 'Config', 'Version', 'Author', 'Architecture', 'Os', 'Size',
  'VirtualSize', 'GraphDriver', 'RootFS', 'Labels', 'Annotations', 'ManifestType', 'User', 'History', 'NamesHistory',
];

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

const inspect1 = (args: string[]) => {
  const r = tspod(['inspect', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout)[0];
};

describe('container inspect', () => {
  it("shows Podman 5's keys with the container's values: networks by name with the address, mounts, host config", () => {
    expect(tspod(['network', 'create', 'app']).code).toBe(0);
    const run = tspod(['run', '-d', '--name', 'web', '--network', 'app', '--network-alias', 'www', '-v', 'data:/data', '-v', `${host}:/host:ro`, '--tmpfs', '/scratch:size=1m', '-p', '127.0.0.1:18611:80', '-e', 'FOO=bar', '--cap-add', 'NET_ADMIN', '--cap-drop', 'KILL', '--restart', 'on-failure:2', 'busybox', 'sleep', '1000']);
    expect(run.code, run.stderr).toBe(0);
    const doc = inspect1(['web']);
    expect(Object.keys(doc)).toEqual(CONTAINER_KEYS);
    expect(Object.keys(doc.HostConfig)).toEqual(HOST_CONFIG_KEYS);
    expect(doc.Id).toBe(run.stdout.trim());
    expect([doc.Path, doc.Args]).toEqual(['sleep', ['1000']]);
    expect(doc.State).toMatchObject({ Status: 'running', Running: true, ExitCode: 0, CheckpointedAt: '0001-01-01T00:00:00Z' });
    expect(doc.State.Health).toBeUndefined(); // no healthcheck: Podman 5 leaves it out
    expect(fs.readFileSync(`/proc/${doc.State.ConmonPid}/cmdline`, 'utf8')).toContain('conmon.js');

    // The environment the process really has: the image's (its PATH) merged with -e.
    expect(doc.Config.Env).toEqual(expect.arrayContaining(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'FOO=bar']));
    expect(tspod(['exec', 'web', 'sh', '-c', 'echo $FOO $PATH']).stdout).toBe('bar /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n');
    expect(doc.Config).toMatchObject({ WorkingDir: '/', StopSignal: 'SIGTERM', StopTimeout: 10, Cmd: ['sleep', '1000'], Entrypoint: null, Umask: '0022', Timeout: 0 });
    expect(doc.Config.CreateCommand.slice(-3)).toEqual(['busybox', 'sleep', '1000']);

    // Networks keyed by network name, with the address the container has there.
    const networkId = JSON.parse(tspod(['network', 'inspect', 'app']).stdout)[0].id;
    const app = doc.NetworkSettings.Networks.app;
    expect(app).toMatchObject({ NetworkID: networkId, Aliases: ['www'], IPPrefixLen: 24, DriverOpts: null, IPAMConfig: null, Links: null });
    expect(app.IPAddress).toMatch(/^10\.89\.\d+\.\d+$/);
    expect(app.Gateway).toBe(app.IPAddress.replace(/\.\d+$/, '.1'));
    expect(app.MacAddress).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(tspod(['exec', 'web', 'ip', '-4', '-o', 'addr', 'show', 'eth0']).stdout).toContain(`inet ${app.IPAddress}/24`);
    expect(doc.NetworkSettings.IPAddress).toBe(''); // Podman fills it only on its own default network
    expect(tspod(['inspect', '--format', '{{json .NetworkSettings.Networks}}', 'web']).stdout).toBe(`${JSON.stringify(doc.NetworkSettings.Networks)}\n`);
    expect(doc.NetworkSettings.Ports).toEqual({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '18611' }] });

    // Mounts as Podman lists them: named volumes, then binds; tmpfs only in HostConfig.Tmpfs.
    expect(doc.Mounts).toEqual([
      { Type: 'volume', Name: 'data', Source: path.join(store.root, 'volumes', 'data', '_data'), Destination: '/data', Driver: 'local', Mode: '', Options: ['rbind'], RW: true, Propagation: 'rprivate' },
      { Type: 'bind', Source: host, Destination: '/host', Driver: '', Mode: '', Options: ['rbind'], RW: false, Propagation: 'rprivate' },
    ]);
    expect(doc.HostConfig).toMatchObject({
      Binds: ['data:/data:rw,rprivate,rbind', `${host}:/host:ro,rprivate,rbind`],
      Tmpfs: { '/scratch': 'rw,nosuid,nodev,size=1m' },
      NetworkMode: 'bridge',
      PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '18611' }] },
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 },
      CapAdd: ['CAP_NET_ADMIN'],
      CapDrop: ['CAP_KILL'],
      Memory: 0,
    });
    expect(doc.EffectiveCaps).toContain('CAP_NET_ADMIN');
    expect(doc.BoundingCaps).not.toContain('CAP_KILL');
    expect(doc.GraphDriver.Data.UpperDir).toBe(path.join(store.root, 'containers', doc.Id, 'upper'));
    expect(fs.existsSync(doc.GraphDriver.Data.LowerDir)).toBe(true);
    expect(fs.readFileSync(doc.HostsPath, 'utf8')).toMatch(/\bweb\b/);
    expect(JSON.parse(fs.readFileSync(doc.OCIConfigPath, 'utf8')).process.args).toEqual(['sleep', '1000']);
  });

  it("takes the image's environment and working directory, and shows the image's exposed ports", () => {
    expect(tspod(['run', '-d', '--name', 'base', 'busybox', 'sleep', '1000']).code).toBe(0);
    const commit = tspod(['commit', '-q', '-c', 'ENV IMG=from-image PATH=/opt/bin:/usr/bin:/bin', '-c', 'WORKDIR /srv', '-c', 'EXPOSE 8080', 'base', 'localhost/envimg']);
    expect(commit.code, commit.stderr).toBe(0);
    expect(tspod(['create', '--name', 'fromenv', '-e', 'FOO=bar', 'localhost/envimg']).code).toBe(0);
    // The committed image's Parent is the image it was made from, as Podman finds it.
    const [made, base] = ['localhost/envimg', 'busybox'].map((n) => JSON.parse(tspod(['image', 'inspect', n]).stdout)[0]);
    expect([made.Parent, base.Parent, made.Annotations]).toEqual([base.Id, '', null]);
    const doc = inspect1(['fromenv']);
    expect(doc.Config.Env).toEqual(expect.arrayContaining(['PATH=/opt/bin:/usr/bin:/bin', 'IMG=from-image', 'FOO=bar']));
    expect(doc.Config.WorkingDir).toBe('/srv');
    expect(doc.Config.ExposedPorts).toEqual({ '8080/tcp': {} });
    expect(doc.NetworkSettings.Ports).toEqual({ '8080/tcp': null });
    // Never started: no files written yet, and a placeholder for its network as Podman shows.
    expect([doc.State.Status, doc.ResolvConfPath, doc.HostsPath, doc.OCIConfigPath]).toEqual(['created', '', '', undefined]);
    expect(doc.NetworkSettings.Networks).toEqual({ slirp4netns: expect.objectContaining({ NetworkID: 'slirp4netns', IPAddress: '' }) });
  });

  it('-s measures the writable layer after a file is written; -l is the latest created container', () => {
    expect(tspod(['run', '--name', 'writer', 'busybox', 'sh', '-c', 'dd if=/dev/zero of=/blob bs=1024 count=300 2>/dev/null']).code).toBe(0);
    const sized = tspod(['container', 'inspect', '-s', '--format', '{{.SizeRw}} {{.SizeRootFs}}', 'writer']);
    expect(sized.code, sized.stderr).toBe(0);
    const [rw, rootFs] = sized.stdout.trim().split(' ').map(Number);
    const imageSize = JSON.parse(tspod(['image', 'inspect', 'busybox']).stdout)[0].Size;
    expect(rw).toBeGreaterThanOrEqual(300 * 1024);
    expect(rw).toBeLessThan(320 * 1024);
    expect(rootFs).toBe(rw + imageSize);
    expect(inspect1(['writer']).SizeRw).toBeUndefined(); // only with --size
    expect(tspod(['inspect', '-l', '--format', '{{.Name}}']).stdout).toBe('writer\n');
    expect(tspod(['container', 'inspect', '--latest', '--format', '{{.Name}}']).stdout).toBe('writer\n');
    expect(tspod(['inspect', '-l', 'writer'])).toMatchObject({ code: 125, stderr: 'Error: --latest and arguments cannot be used together\n' });
  });
});

describe('image, volume and network inspect', () => {
  it("give Podman 5's keys, and the top-level inspect finds each kind, or the one --type names", () => {
    const image = JSON.parse(tspod(['image', 'inspect', 'busybox']).stdout)[0];
    expect(Object.keys(image)).toEqual(IMAGE_KEYS);
    expect(tspod(['inspect', '--format', '{{.ID}}', 'busybox']).stdout).toBe(`${image.Id}\n`); // Podman's Go name works too

    expect(tspod(['volume', 'create', '--label', 'k=v', 'vol1']).code).toBe(0);
    const vol = inspect1(['vol1']);
    expect(Object.keys(vol)).toEqual(['Name', 'Driver', 'Mountpoint', 'CreatedAt', 'Labels', 'Scope', 'Options', 'MountCount', 'NeedsCopyUp', 'LockNumber']);
    expect(vol).toMatchObject({ Name: 'vol1', Driver: 'local', Mountpoint: path.join(store.root, 'volumes', 'vol1', '_data'), Labels: { k: 'v' }, Scope: 'local', MountCount: 0 });
    expect(tspod(['volume', 'inspect', 'vol1']).stdout).toBe(tspod(['inspect', 'vol1']).stdout);

    expect(tspod(['network', 'create', 'back']).code).toBe(0);
    const net = inspect1(['back']);
    expect(Object.keys(net)).toEqual(['name', 'id', 'driver', 'network_interface', 'created', 'subnets', 'ipv6_enabled', 'internal', 'dns_enabled', 'ipam_options', 'containers']);
    expect(net).toMatchObject({ name: 'back', driver: 'bridge', containers: {} });
    expect(tspod(['network', 'inspect', '--format', '{{.Name}} {{.ID}}', 'back']).stdout).toBe(`back ${net.id}\n`);

    // A volume and a container of one name: the container, unless --type says otherwise.
    expect(tspod(['create', '--name', 'twin', 'busybox']).code).toBe(0);
    expect(tspod(['volume', 'create', 'twin']).code).toBe(0);
    expect(tspod(['inspect', '--format', '{{.Name}}', 'twin']).stdout).toBe('twin\n');
    expect(inspect1(['twin']).State.Status).toBe('created');
    expect(inspect1(['--type', 'volume', 'twin']).Mountpoint).toBe(path.join(store.root, 'volumes', 'twin', '_data'));
    expect(tspod(['inspect', '--type', 'network', 'twin'])).toMatchObject({ code: 125, stdout: '[]\n', stderr: 'Error: network twin: unable to find network with name or ID twin: network not found\n' });
    expect(tspod(['inspect', '--type', 'pod', 'twin'])).toMatchObject({ code: 125, stdout: '[]\n', stderr: 'Error: no such pod twin\n' });
    expect(tspod(['inspect', '--type', 'image', '-s', 'busybox'])).toMatchObject({ code: 125, stderr: 'Error: size is not supported for type "image"\n' });
  });
});

describe('names that name nothing', () => {
  it('print what was found, then the errors, and exit 125, as Podman 5 does', () => {
    const cases: Array<[string[], string]> = [
      [['inspect', 'nosuch'], 'Error: no such object: "nosuch"\n'],
      [['container', 'inspect', 'nosuch'], 'Error: no such container "nosuch"\n'],
      [['image', 'inspect', 'nosuch'], 'Error: nosuch: image not known\n'],
      [['volume', 'inspect', 'nosuch'], 'Error: no such volume nosuch\n'],
      [['network', 'inspect', 'nosuch'], 'Error: network nosuch: unable to find network with name or ID nosuch: network not found\n'],
    ];
    for (const [args, stderr] of cases) expect(tspod(args), args.join(' ')).toEqual({ code: 125, stdout: '[]\n', stderr });
    expect(tspod(['create', '--name', 'present', 'busybox']).code).toBe(0);
    // Found ones on stdout; on stderr each later failure bare, the first as "Error:".
    const mixed = tspod(['inspect', '--format', '{{.Name}}', 'gone1', 'present', 'gone2']);
    expect(mixed).toEqual({ code: 125, stdout: 'present\n', stderr: 'no such object: "gone2"\nError: no such object: "gone1"\n' });
    const json = tspod(['inspect', 'present', 'gone1']);
    expect(json.code).toBe(125);
    expect(JSON.parse(json.stdout).map((d: { Name: string }) => d.Name)).toEqual(['present']);
    expect(tspod(['inspect'])).toMatchObject({ code: 125, stderr: 'Error: no names or ids specified: give the name or ID of what to inspect, or --latest\n' });
  });
});
