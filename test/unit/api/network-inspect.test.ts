import { describe, expect, it } from 'vitest';
import { dockerNetwork, networkCreateOptions, networkFilter, type PodmanNetwork } from '../../../api/docker/network-inspect';

const net = (over: Partial<PodmanNetwork> = {}): PodmanNetwork => ({
  name: 'n1', id: 'abc123', driver: 'bridge', network_interface: 'tspod1', created: '2024-01-01T00:00:00Z', subnets: [{ subnet: '10.89.0.0/24', gateway: '10.89.0.1' }],
  internal: false, dns_enabled: true, labels: { a: 'b' }, containers: {}, ...over,
});

describe('network objects', () => {
  it("gives Docker's shape with IPAM and the running members", () => {
    const d = dockerNetwork(net({ containers: { c1: { name: 'web', interfaces: { eth0: { subnets: [{ ipnet: '10.89.0.2/24', gateway: '10.89.0.1' }], mac_address: 'aa:bb' } } } } }));
    expect(d).toMatchObject({ Name: 'n1', Id: 'abc123', Driver: 'bridge', Scope: 'local', EnableIPv6: false, Internal: false, Labels: { a: 'b' }, IPAM: { Driver: 'default', Config: [{ Subnet: '10.89.0.0/24', Gateway: '10.89.0.1' }] } });
    expect(d.Containers).toEqual({ c1: { Name: 'web', EndpointID: '', MacAddress: 'aa:bb', IPv4Address: '10.89.0.2/24', IPv6Address: '' } });
    expect(d.Options).toEqual({}); // the interface tspod chose is no option given: compose would recreate the network
  });
});

describe('network create body', () => {
  it('takes the name, subnet, gateway, range, labels, internal and bridge options', () => {
    expect(networkCreateOptions({ Name: 'x', Driver: 'bridge', Internal: true, IPAM: { Config: [{ Subnet: '10.9.0.0/24', Gateway: '10.9.0.1', IPRange: '10.9.0.128/25' }] }, Labels: { k: 'v' }, Options: { 'com.docker.network.bridge.name': 'br9', 'com.docker.network.driver.mtu': '1400' } })).toEqual({
      name: 'x',
      opts: { subnet: '10.9.0.0/24', gateway: '10.9.0.1', ipRange: '10.9.0.128/25', internal: true, labels: ['k=v'], driver: 'bridge', interfaceName: 'br9', options: ['mtu=1400'], ignore: false },
    });
  });
  it('refuses what is not there', () => {
    expect(() => networkCreateOptions({})).toThrow(/name must be given/);
    expect(() => networkCreateOptions({ Name: 'x', EnableIPv6: true })).toThrow(/IPv6/);
    expect(() => networkCreateOptions({ Name: 'x', IPAM: { Config: [{}, {}] } })).toThrow(/one subnet/);
  });
});

describe('network list filters', () => {
  const unused = (n: string) => n === 'n1';
  it('matches name by part, id by prefix, labels, type and dangling', () => {
    const f = (filters: Record<string, string[]>) => [net(), net({ name: 'podman', id: 'ff', labels: {} })].filter(networkFilter(filters, 'podman', unused)).map((n) => n.name);
    expect(f({})).toEqual(['n1', 'podman']);
    expect(f({ name: ['1'] })).toEqual(['n1']);
    expect(f({ id: ['ab'] })).toEqual(['n1']);
    expect(f({ label: ['a'] })).toEqual(['n1']);
    expect(f({ label: ['a=c'] })).toEqual([]);
    expect(f({ type: ['builtin'] })).toEqual(['podman']);
    expect(f({ type: ['custom'] })).toEqual(['n1']);
    expect(f({ dangling: ['true'] })).toEqual(['n1']);
    expect(f({ dangling: ['false'] })).toEqual(['podman']);
    expect(() => f({ colour: ['x'] })).toThrow(/invalid filter 'colour'/);
    expect(() => f({ type: ['x'] })).toThrow(/custom or builtin/);
  });
});
