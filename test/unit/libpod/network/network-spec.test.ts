import { describe, expect, it } from 'vitest';
import { eachPort, exposedPorts, parseAddHost, parseNetworkMode, parsePublish, portBindings, validateDns } from '../../../../libpod/network/network-spec';
import { formatPorts } from '../../../../commands/format/ps-row';
import { hostRoute, hostsFile, resolvConf } from '../../../../libpod/network/etc-files';
import { pastaCommand, slirpAddresses, slirpCommand } from '../../../../libpod/network/rootless-net';

describe('--network', () => {
  it('reads the modes and their options, with the default for an empty or private value', () => {
    expect(parseNetworkMode('', 'slirp4netns')).toEqual({ kind: 'slirp4netns', options: [] });
    expect(parseNetworkMode('private', 'pasta')).toEqual({ kind: 'pasta', options: [] });
    expect(parseNetworkMode('none', 'pasta')).toEqual({ kind: 'none', options: [] });
    expect(parseNetworkMode('host', 'pasta')).toEqual({ kind: 'host', options: [] });
    expect(parseNetworkMode('slirp4netns:allow_host_loopback=true,mtu=1500', 'pasta')).toEqual({ kind: 'slirp4netns', options: ['allow_host_loopback=true', 'mtu=1500'] });
    expect(parseNetworkMode('pasta:--mtu,1400', 'slirp4netns')).toEqual({ kind: 'pasta', options: ['--mtu', '1400'] });
    expect(parseNetworkMode('container:db', 'pasta')).toEqual({ kind: 'container', options: [], container: 'db' });
  });

  it('says what to write instead of a mode or option it does not know', () => {
    expect(() => parseNetworkMode('bogus', 'pasta')).toThrow(/unknown network "bogus": use none, host, slirp4netns\[:options\], pasta\[:options\] or container:NAME/);
    expect(() => parseNetworkMode('container:', 'pasta')).toThrow(/needs the name or ID of a container/);
    expect(() => parseNetworkMode('slirp4netns:frob=1', 'pasta')).toThrow(/unknown slirp4netns option "frob"/);
    expect(() => parseNetworkMode('slirp4netns:port_handler=rootlesskit', 'pasta')).toThrow(/port_handler "rootlesskit" is not supported/);
    expect(() => parseNetworkMode('slirp4netns:cidr=10.0.2/24', 'pasta')).toThrow(/cidr takes an IPv4 network/);
    expect(() => parseNetworkMode('ns:/proc/1/ns/net', 'pasta')).toThrow(/use container:NAME/);
  });
});

describe('-p', () => {
  it('reads address, host and container ports, ranges and protocols', () => {
    expect(parsePublish('127.0.0.1:18080:80')).toEqual([{ hostIp: '127.0.0.1', hostPort: 18080, containerPort: 80, protocol: 'tcp', range: 1 }]);
    expect(parsePublish('8080:80/udp')).toEqual([{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'udp', range: 1 }]);
    expect(parsePublish('80')).toEqual([{ hostIp: '', hostPort: 0, containerPort: 80, protocol: 'tcp', range: 1 }]);
    expect(parsePublish('127.0.0.1::80')).toEqual([{ hostIp: '127.0.0.1', hostPort: 0, containerPort: 80, protocol: 'tcp', range: 1 }]);
    expect(parsePublish('8000-8002:80-82')).toEqual([{ hostIp: '', hostPort: 8000, containerPort: 80, protocol: 'tcp', range: 3 }]);
    expect(parsePublish('[::1]:8080:80')).toEqual([{ hostIp: '::1', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 1 }]);
    expect(parsePublish('90-91')).toHaveLength(2);
  });

  it('refuses what is not a port mapping, saying the form', () => {
    expect(() => parsePublish('70000:80')).toThrow(/invalid host port "70000" in -p 70000:80: ports are 1 to 65535/);
    expect(() => parsePublish('8080:80/sctp')).toThrow(/invalid protocol "sctp"/);
    expect(() => parsePublish('8000-8001:80-82')).toThrow(/the host range has 2 ports and the container range 3/);
    expect(() => parsePublish('a:b:c:d')).toThrow(/use \[\[IP:\]\[HOST_PORT\]:\]CONTAINER_PORT/);
    expect(() => parsePublish('host:8080:80')).toThrow(/invalid host address "host"/);
    expect(() => parsePublish('90-80:90-80')).toThrow(/the end is below the start/);
  });

  it("shows ports as Podman's PORTS column, port bindings and expanded ranges", () => {
    const ports = [...parsePublish('127.0.0.1:18080:80'), ...parsePublish('8000-8001:90-91/udp')];
    expect(formatPorts(ports)).toBe('127.0.0.1:18080->80/tcp, 0.0.0.0:8000-8001->90-91/udp');
    expect(portBindings(ports)).toEqual({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }], '90/udp': [{ HostIp: '', HostPort: '8000' }], '91/udp': [{ HostIp: '', HostPort: '8001' }] });
    expect(eachPort(ports).map((p) => p.hostPort)).toEqual([18080, 8000, 8001]);
  });

  it('turns EXPOSE into mappings for free host ports, skipping ports already published', () => {
    expect(exposedPorts({ '80/tcp': {}, '53/udp': {}, '443/tcp': {} }, parsePublish('8443:443'))).toEqual([
      { hostIp: '', hostPort: 0, containerPort: 80, protocol: 'tcp', range: 1 },
      { hostIp: '', hostPort: 0, containerPort: 53, protocol: 'udp', range: 1 },
    ]);
    expect(exposedPorts(undefined, [])).toEqual([]);
  });
});

describe('--add-host and --dns', () => {
  it('reads HOST:IP and host-gateway, and refuses the rest', () => {
    expect(parseAddHost('db:10.0.0.5')).toEqual({ host: 'db', ip: '10.0.0.5' });
    expect(parseAddHost('me:host-gateway')).toEqual({ host: 'me', ip: 'host-gateway' });
    expect(parseAddHost('v6:[fd00::1]')).toEqual({ host: 'v6', ip: 'fd00::1' });
    expect(() => parseAddHost('db')).toThrow(/use HOST:IP/);
    expect(() => parseAddHost('db:nowhere')).toThrow(/use HOST:IP/);
    expect(() => validateDns(['1.1.1.1', 'none', 'fd00::53'])).not.toThrow();
    expect(() => validateDns(['dns.google'])).toThrow(/give the IP address of a name server/);
  });
});

describe('resolv.conf and hosts', () => {
  const host = 'search corp.example\nnameserver 127.0.0.53\noptions edns0\n';
  it('replaces loopback resolvers by the mode\'s forwarder, keeps reachable ones, and applies the flags', () => {
    expect(resolvConf(host, { dns: [], dnsSearch: [], dnsOptions: [] }, '10.0.2.3')).toBe('search corp.example\nnameserver 10.0.2.3\noptions edns0\n');
    expect(resolvConf('nameserver 10.9.9.9\nnameserver 127.0.0.1\n', { dns: [], dnsSearch: [], dnsOptions: [] }, '10.0.2.3')).toBe('nameserver 10.9.9.9\n');
    expect(resolvConf(host, { dns: ['9.9.9.9'], dnsSearch: ['.'], dnsOptions: ['ndots:2'] }, '10.0.2.3')).toBe('nameserver 9.9.9.9\noptions edns0 ndots:2\n');
    expect(resolvConf(host, { dns: ['none'], dnsSearch: ['a.test', 'b.test'], dnsOptions: [] }, undefined)).toBe('search a.test b.test\noptions edns0\n');
    expect(resolvConf(host, { dns: [], dnsSearch: [], dnsOptions: [] }, undefined)).toBe('search corp.example\nnameserver 127.0.0.53\noptions edns0\n');
  });

  it('names the container, the host and --add-host entries', () => {
    const h = hostsFile({ kind: 'slirp4netns', name: 'web', hostname: 'abc123', ip: '10.0.2.100', hostAddress: '192.0.2.2', addHosts: [{ host: 'db', ip: '10.1.1.1' }, { host: 'me', ip: 'host-gateway' }], hostHosts: '' });
    expect(h).toBe('127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n10.1.1.1\tdb\n192.0.2.2\tme\n10.0.2.100\tabc123 web\n192.0.2.2\thost.containers.internal host.docker.internal\n');
    const none = hostsFile({ kind: 'none', name: 'web', hostname: 'web', addHosts: [], hostHosts: '' });
    expect(none).toMatch(/^127\.0\.1\.1\tweb$/m);
    expect(none).not.toMatch(/host\.containers\.internal/);
    expect(hostsFile({ kind: 'host', name: 'web', hostname: 'h', addHosts: [], hostHosts: '10.0.0.1 router\n' })).toBe('10.0.0.1 router\n127.0.1.1\th web\n');
  });

  it('reads the default route from /proc/net/route', () => {
    const table = 'Iface\tDestination\tGateway\tFlags\nvirbr0\t007AA8C0\t00000000\t0001\neth0\t00000000\t010200C0\t0003\n';
    expect(hostRoute(table)).toEqual({ iface: 'eth0', gateway: '192.0.2.1' });
    expect(hostRoute('Iface\tDestination\tGateway\n')).toBeUndefined();
  });
});

describe('helper commands', () => {
  it('gives slirp4netns its ready and exit fds, API socket and options, and pasta its ports', () => {
    const slirp = slirpCommand('/usr/bin/slirp4netns', { kind: 'slirp4netns', options: ['mtu=1500', 'cidr=10.5.0.0/24'] }, '/run/ns/x', '/run/sock/x.slirp');
    expect(slirp.ready).toBe('fd');
    expect(slirp.argv).toEqual(expect.arrayContaining(['--mtu=1500', '--ready-fd=3', '--exit-fd=4', '--disable-host-loopback', '--cidr=10.5.0.0/24', '--api-socket', '/run/sock/x.slirp']));
    expect(slirp.argv.slice(-3)).toEqual(['--netns-type=path', '/run/ns/x', 'tap0']);
    expect(slirpAddresses({ kind: 'slirp4netns', options: ['cidr=10.5.0.0/24'] }, '192.0.2.2')).toEqual({ ip: '10.5.0.100', gateway: '10.5.0.2', dnsForwarder: '10.5.0.3', prefixLength: 24, hostAddress: '192.0.2.2' });
    expect(slirpAddresses({ kind: 'slirp4netns', options: ['allow_host_loopback=true'] }, '192.0.2.2').hostAddress).toBe('10.0.2.2');
    const pasta = pastaCommand('/usr/bin/pasta', { kind: 'pasta', options: [] }, '/run/ns/y', [...parsePublish('127.0.0.1:18080:80'), ...parsePublish('5353:53/udp')], '/run/p.pid', true);
    expect(pasta.ready).toBe('exit');
    expect(pasta.argv.join(' ')).toBe('/usr/bin/pasta --config-net --quiet -t 127.0.0.1/18080:80 -u 5353:53 -T none -U none --pid /run/p.pid --dns-forward 169.254.1.1 --netns /run/ns/y');
    expect(pastaCommand('pasta', { kind: 'pasta', options: [] }, '/n', [], '/p', false).argv.join(' ')).toBe('pasta --config-net --quiet -t none -u none -T none -U none --pid /p --netns /n');
  });
});
