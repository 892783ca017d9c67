import { describe, expect, it } from 'vitest';
import { inspectContainer, type ContainerInspectFacts } from '../../../../libpod/container/container-inspect';
import { containerPaths, type Container } from '../../../../libpod/container/container';
import type { Network } from '../../../../libpod/network/user-network';

const ID = 'a'.repeat(64);

function container(over: Partial<Container['spec']> = {}, state: Container['state'] = 'running', status: Container['status'] = {}): Container {
  return {
    id: ID,
    name: 'web',
    state,
    createdAt: Date.UTC(2026, 0, 2),
    spec: { image: 'busybox', imageId: `sha256:${'b'.repeat(64)}`, imageName: 'docker.io/library/busybox:latest', command: [], env: ['FOO=bar'], hostname: 'aaaaaaaaaaaa', labels: {}, terminal: false, stdin: false, readOnly: false, init: false, autoRemove: false, stopSignal: 'SIGTERM', stopTimeout: 10, capAdd: [], capDrop: [], noNewPrivileges: false, network: 'slirp4netns', runtime: '/usr/sbin/runc', restartPolicy: { name: 'no', maxRetries: 0 }, args: ['sh'], createCommand: ['tspod', 'run', 'busybox'], ...over },
    status: { startedAt: Date.UTC(2026, 0, 2), pid: 4242, monitorPid: 4241, ...status },
  };
}

const APP: Network = { name: 'app', id: 'c'.repeat(64), createdAt: 0, config: { driver: 'bridge', subnet: '10.89.1.0/24', gateway: '10.89.1.1', internal: false, labels: {}, bridge: 'tspod1' } };

function facts(c: Container, over: Partial<ContainerInspectFacts> = {}): ContainerInspectFacts {
  return {
    c,
    paths: containerPaths({ root: '/r', runroot: '/run/t' } as never, c.id),
    image: { config: { Env: ['PATH=/usr/bin:/bin', 'IMG=1'], Cmd: ['sh'], ExposedPorts: { '8080/tcp': {} } }, digest: `sha256:${'d'.repeat(64)}`, size: 1000 },
    lowers: ['/r/overlay/l2/diff', '/r/overlay/l1/diff'],
    networks: { app: APP },
    files: { resolvConf: true, hosts: true, hostname: true, ociConfig: true },
    rlimits: [{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 1024 }],
    ...over,
  };
}

const net = (doc: Record<string, unknown>) => doc.NetworkSettings as Record<string, unknown>;

describe('container inspect document', () => {
  it("merges the image's environment under the container's, defaults WorkingDir to / and Cmd to the image's", () => {
    const doc = inspectContainer(facts(container()));
    const config = doc.Config as Record<string, unknown>;
    expect(config.Env).toEqual(['PATH=/usr/bin:/bin', 'container=tspod', 'IMG=1', 'HOSTNAME=aaaaaaaaaaaa', 'FOO=bar']);
    expect(config).toMatchObject({ WorkingDir: '/', Cmd: ['sh'], Entrypoint: null, StopSignal: 'SIGTERM', ExposedPorts: { '8080/tcp': {} }, Labels: null, Annotations: null });
    expect((inspectContainer(facts(container({ workdir: '/app' }))).Config as Record<string, unknown>).WorkingDir).toBe('/app');
    expect(doc.ImageDigest).toBe(`sha256:${'d'.repeat(64)}`);
    expect((doc.GraphDriver as { Data: Record<string, string> }).Data).toEqual({ LowerDir: '/r/overlay/l2/diff:/r/overlay/l1/diff', UpperDir: `/r/containers/${ID}/upper`, WorkDir: `/r/containers/${ID}/work` });
    expect((doc.HostConfig as Record<string, unknown>).Ulimits).toEqual([{ Name: 'RLIMIT_NOFILE', Soft: 1024, Hard: 1024 }]);
  });

  it('keys a running container on user-defined networks by network, with its address there; the top level stays empty', () => {
    const c = container({ network: 'bridge', networks: [{ name: 'app', aliases: ['www'] }] }, 'running', { network: { netns: '/run/t/netns/x', ips: { app: { ip: '10.89.1.7', mac: '02:42:0a:59:01:07', ifname: 'eth0' } } } });
    const settings = net(inspectContainer(facts(c)));
    expect(settings.IPAddress).toBe('');
    expect(settings.SandboxKey).toBe('/run/t/netns/x');
    expect(settings.Networks).toEqual({
      app: { EndpointID: '', Gateway: '10.89.1.1', IPAddress: '10.89.1.7', IPPrefixLen: 24, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, MacAddress: '02:42:0a:59:01:07', NetworkID: APP.id, DriverOpts: null, IPAMConfig: null, Links: null, Aliases: ['www'] },
    });
    // Stopped: a placeholder per network, as Podman shows, no address.
    const stopped = net(inspectContainer(facts({ ...c, state: 'exited' })));
    expect(stopped.Networks).toEqual({ app: expect.objectContaining({ NetworkID: APP.id, IPAddress: '', Aliases: ['www'] }) });
    expect(stopped.SandboxKey).toBe('');
  });

  it('shows no address or Networks for a running slirp4netns container; the mode as a placeholder when stopped', () => {
    const running = net(inspectContainer(facts(container({}, 'running', { network: { netns: '/run/t/netns/x', ip: '10.0.2.100', gateway: '10.0.2.2', prefixLength: 24 } }))));
    expect([running.IPAddress, running.Gateway, running.SandboxKey, 'Networks' in running]).toEqual(['', '', '/run/t/netns/x', false]);
    const created = net(inspectContainer(facts(container({}, 'created', { pid: undefined }))));
    expect(created.Networks).toEqual({ slirp4netns: expect.objectContaining({ NetworkID: 'slirp4netns' }) });
    const none = net(inspectContainer(facts(container({ network: 'none' }))));
    expect(none.SandboxKey).toBe('/proc/4242/ns/net');
    expect(none.Networks).toEqual({ none: expect.objectContaining({ NetworkID: 'none' }) });
  });

  it("shows the network of the container whose namespace it shares, and depends on it", () => {
    const owner = container({ network: 'bridge', networks: [{ name: 'app', aliases: [] }] }, 'running', { network: { netns: '/n', ips: { app: { ip: '10.89.1.9', mac: 'm', ifname: 'eth0' } } } });
    const doc = inspectContainer(facts(container({ network: `container:${ID}` }), { netnsOwner: facts(owner) }));
    expect((net(doc).Networks as Record<string, { IPAddress: string }>).app.IPAddress).toBe('10.89.1.9');
    expect(doc.Dependencies).toEqual([ID]);
    expect((doc.HostConfig as Record<string, unknown>).PortBindings).toEqual({});
  });

  it('lists volumes then binds (not tmpfs), measures capabilities against the defaults, and prefixes --init', () => {
    const c = container({
      init: true,
      capAdd: ['net_admin'],
      capDrop: ['KILL'],
      mounts: [
        { type: 'bind', source: '/h', destination: '/b', readOnly: true, chown: false, noCopy: false },
        { type: 'tmpfs', source: '', destination: '/t', readOnly: false, chown: false, noCopy: false, tmpfsOptions: ['size=1m'] },
        { type: 'volume', source: 'v', destination: '/v', readOnly: false, chown: false, noCopy: false },
      ],
    });
    const doc = inspectContainer(facts(c));
    expect((doc.Mounts as Array<{ Type: string; Source: string; RW: boolean }>).map((m) => [m.Type, m.Source, m.RW])).toEqual([['volume', '/r/volumes/v/_data', true], ['bind', '/h', false]]);
    const hc = doc.HostConfig as Record<string, unknown>;
    expect(hc).toMatchObject({ CapAdd: ['CAP_NET_ADMIN'], CapDrop: ['CAP_KILL'], Tmpfs: { '/t': 'rw,nosuid,nodev,size=1m' }, Binds: ['v:/v:rw,rprivate,rbind', '/h:/b:ro,rprivate,rbind'], Init: true });
    expect([doc.Path, doc.Args]).toEqual(['/run/tspod-init', ['--', 'sh']]);
    expect((doc.Config as Record<string, unknown>).Annotations).toEqual({ 'io.podman.annotations.init': 'TRUE' });
  });

  it('leaves out what Podman omits: ConmonPid when down, the files a start writes before one, sizes without --size', () => {
    const doc = inspectContainer(facts(container({}, 'exited', { exitCode: 3, finishedAt: Date.UTC(2026, 0, 3) }), { files: { resolvConf: false, hosts: false, hostname: false, ociConfig: false } }));
    const state = doc.State as Record<string, unknown>;
    expect(['ConmonPid' in state, state.Pid, state.ExitCode, state.FinishedAt, 'Health' in state]).toEqual([false, 0, 3, '2026-01-03T00:00:00.000Z', false]);
    expect(['OCIConfigPath' in doc, doc.ResolvConfPath, 'SizeRw' in doc]).toEqual([false, '', false]);
    expect(inspectContainer(facts(container(), { size: { rw: 5, rootFs: 1005 } }))).toMatchObject({ SizeRw: 5, SizeRootFs: 1005 });
  });
});
