import { describe, expect, it } from 'vitest';
import { allocateIp, inSubnet, macFor, newNetworkConfig, parseBridgeOptions, parseIpRange, parseRoute, parseSubnet, type Network } from '../../../../libpod/network/user-network';

const net = (name: string, subnet: string, bridge: string): Network => ({ name, id: name.padEnd(64, '0'), createdAt: 0, config: { driver: 'bridge', subnet, gateway: subnet.replace(/0\/\d+$/, '1'), internal: false, labels: {}, bridge } });

describe('user-defined network addresses', () => {
  it('chooses the first free 10.89.N.0/24 and bridge name, gateway at .1', () => {
    expect(newNetworkConfig({ internal: false, labels: {} }, [])).toEqual({ driver: 'bridge', subnet: '10.89.1.0/24', gateway: '10.89.1.1', internal: false, labels: {}, bridge: 'tspod1' });
    const taken = [net('a', '10.89.1.0/24', 'tspod1'), net('b', '10.89.3.0/24', 'tspod3')];
    expect(newNetworkConfig({ internal: true, labels: { x: 'y' } }, taken)).toMatchObject({ subnet: '10.89.2.0/24', bridge: 'tspod2', internal: true });
  });

  it('checks a given subnet and gateway', () => {
    expect(newNetworkConfig({ subnet: '172.30.0.0/16', gateway: '172.30.9.9', internal: false, labels: {} }, [])).toMatchObject({ subnet: '172.30.0.0/16', gateway: '172.30.9.9' });
    expect(() => newNetworkConfig({ subnet: '10.89.1.128/25', internal: false, labels: {} }, [net('a', '10.89.1.0/24', 'tspod1')])).toThrow(/overlaps network a/);
    expect(() => newNetworkConfig({ subnet: '10.0.0.0/16', internal: false, labels: {} }, [])).toThrow(/overlaps 10\.0\.2\.0\/24, which slirp4netns uses/);
    expect(() => newNetworkConfig({ subnet: '10.5.0.0/24', gateway: '10.6.0.1', internal: false, labels: {} }, [])).toThrow(/gateway 10\.6\.0\.1 is not inside subnet/);
    expect(() => parseSubnet('10.5.0.0/31')).toThrow(/prefix from \/8 to \/30/);
    expect(() => parseSubnet('10.5.0.7/24')).toThrow(/would be 10\.5\.0\.0\/24/);
    expect(() => parseSubnet('300.1.1.0/24')).toThrow(/invalid IPv4 address/);
  });

  it('hands out addresses after the gateway, skipping taken ones, until the subnet is full', () => {
    const c = newNetworkConfig({ subnet: '10.7.0.0/29', internal: false, labels: {} }, []);
    expect(allocateIp(c, new Set())).toBe('10.7.0.2');
    expect(allocateIp(c, new Set(['10.7.0.2', '10.7.0.3']))).toBe('10.7.0.4');
    expect(() => allocateIp(c, new Set(['10.7.0.2', '10.7.0.3', '10.7.0.4', '10.7.0.5', '10.7.0.6']))).toThrow(/no free address left/);
    expect(inSubnet('10.7.0.6', '10.7.0.0/29')).toBe(true);
    expect(inSubnet('10.7.0.7', '10.7.0.0/29')).toBe(false);
    expect(macFor('10.89.1.2')).toBe('02:42:0a:59:01:02');
  });
});

describe('network create options', () => {
  it('--ip-range as a subnet or START-END inside the subnet; addresses come from it only', () => {
    expect(parseIpRange('10.89.1.128/25', '10.89.1.0/24')).toEqual({ start: '10.89.1.129', end: '10.89.1.254' });
    expect(parseIpRange('10.89.1.10-10.89.1.11', '10.89.1.0/24')).toEqual({ start: '10.89.1.10', end: '10.89.1.11' });
    expect(() => parseIpRange('10.90.0.1-10.90.0.9', '10.89.1.0/24')).toThrow('--ip-range 10.90.0.1-10.90.0.9 is not inside subnet 10.89.1.0/24: give addresses of that subnet');
    const config = newNetworkConfig({ internal: false, labels: {}, ipRange: '10.89.1.10-10.89.1.11' }, []);
    expect(allocateIp(config, new Set(['10.89.1.10']))).toBe('10.89.1.11');
    expect(() => allocateIp(config, new Set(['10.89.1.10', '10.89.1.11']))).toThrow(/no free address left/);
  });

  it('--route, --opt and --interface-name are checked', () => {
    expect(parseRoute('192.168.9.0/24,10.89.1.5,7')).toEqual({ destination: '192.168.9.0/24', gateway: '10.89.1.5', metric: 7 });
    expect(() => parseRoute('192.168.9.0/24')).toThrow('invalid --route "192.168.9.0/24": use DESTINATION/BITS,GATEWAY[,METRIC], e.g. 192.168.9.0/24,10.89.1.5');
    expect(parseBridgeOptions(['mtu=1400', 'isolate=true'])).toEqual({ mtu: 1400 });
    expect(() => parseBridgeOptions(['mtu=9'])).toThrow('invalid --opt mtu=9: give a number from 68 to 65520');
    expect(() => newNetworkConfig({ internal: false, labels: {}, interfaceName: 'a-name-far-too-long' }, [])).toThrow(/invalid --interface-name "a-name-far-too-long"/);
    expect(newNetworkConfig({ internal: false, labels: {}, interfaceName: 'br9', disableDns: true, dns: ['10.1.1.1'] }, [])).toMatchObject({ bridge: 'br9', dnsDisabled: true, dns: ['10.1.1.1'] });
  });
});
