import { describe, expect, it } from 'vitest';
import { networkRecords, upstreamOf } from '../../../../libpod/network/dns-server';
import { checkLinkFlags, linkEnv, linkPeers } from '../../../../libpod/network/link-flags';
import { defaultNetwork, withDefaultNetwork, type Network } from '../../../../libpod/network/user-network';
import type { Container } from '../../../../libpod/container/container';

const net = (name: string, n: number, extra: Partial<Network['config']> = {}): Network => ({ name, id: name.padEnd(64, '0'), createdAt: 0, config: { driver: 'bridge', subnet: `10.89.${n}.0/24`, gateway: `10.89.${n}.1`, internal: false, labels: {}, bridge: `tspod${n}`, ...extra } });

const ctr = (name: string, state: string, ips: Record<string, string>, aliases: Record<string, string[]> = {}): Container =>
  ({
    id: name.padEnd(64, 'a'),
    name,
    state,
    createdAt: 0,
    spec: { network: 'bridge', networks: Object.keys(ips).map((n) => ({ name: n, aliases: aliases[n] ?? [] })) },
    status: { network: { ips: Object.fromEntries(Object.entries(ips).map(([n, ip]) => [n, { ip, mac: '', ifname: 'eth0' }])) } },
  }) as unknown as Container;

describe('DNS records of networks', () => {
  const nets = [net('app', 1), net('quiet', 2, { dnsDisabled: true }), net('inner', 3, { internal: true }), net('own', 4, { dns: ['192.0.2.53'] })];

  it('lists the running containers of each DNS network by name, alias and short ID, with the one joining', () => {
    const all = [ctr('db', 'running', { app: '10.89.1.2', quiet: '10.89.2.2' }, { app: ['database'] }), ctr('old', 'exited', { app: '10.89.1.3' })];
    const joining = { c: ctr('web', 'created', {}), ips: { app: { ip: '10.89.1.4' } } };
    const recs = networkRecords(nets, all, joining);
    expect(recs.map((r) => r.network)).toEqual(['app']); // quiet has DNS off; the others have no members
    expect(recs[0]).toMatchObject({ gateway: '10.89.1.1', records: [{ names: ['db', 'database', 'dbaaaaaaaaaa'], ipv4: ['10.89.1.2'], ipv6: [] }, { names: ['web', 'webaaaaaaaaa'], ipv4: ['10.89.1.4'] }] });
    expect(networkRecords(nets, all, undefined, all[0].id)).toEqual([]); // db leaving: nothing left
  });

  it("forwards to the network's --dns servers, the host's resolvers (loopback ones through slirp4netns), or nowhere when internal", () => {
    expect(upstreamOf(nets[3], 'nameserver 10.0.0.1\n')).toEqual(['192.0.2.53']);
    expect(upstreamOf(nets[0], 'search corp\nnameserver 10.0.0.1\nnameserver 127.0.0.53\n')).toEqual(['10.0.0.1']);
    expect(upstreamOf(nets[0], 'nameserver 127.0.0.53\n')).toEqual(['10.0.2.3']);
    expect(upstreamOf(nets[2], 'nameserver 10.0.0.1\n')).toEqual([]);
  });
});

describe('the default network', () => {
  it('is podman, 10.88.0.0/16 on podman0 without DNS, listed before the stored ones', () => {
    expect(defaultNetwork()).toMatchObject({ name: 'podman', id: '2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9', config: { subnet: '10.88.0.0/16', gateway: '10.88.0.1', bridge: 'podman0', dnsDisabled: true } });
    expect(withDefaultNetwork([net('app', 1)]).map((n) => n.name)).toEqual(['podman', 'app']);
  });
});

describe('--link, --link-local-ip', () => {
  const web = ctr('web', 'running', { app: '10.89.1.7' });
  const resolve = (n: string) => {
    if (n !== 'web') throw new Error(`no container ${n}`);
    return web;
  };

  it('resolves links and gives hosts lines for a network both are on', () => {
    const spec = checkLinkFlags({ link: ['web:site', 'web'], linkLocalIp: [] }, true, resolve);
    expect(spec.links).toEqual([{ id: web.id, name: 'web', alias: 'site', ports: [], env: [] }, { id: web.id, name: 'web', alias: 'web', ports: [], env: [] }]);
    const me = { ...ctr('me', 'running', { app: '10.89.1.8' }), spec: { network: 'bridge', links: spec.links } } as unknown as Container;
    expect(linkPeers(me, { app: { ip: '10.89.1.8' } }, [web])).toEqual([{ ip: '10.89.1.7', names: ['site', 'web'] }, { ip: '10.89.1.7', names: ['web'] }]);
    expect(linkPeers(me, { other: { ip: '10.89.9.8' } }, [web])).toEqual([]);
  });

  it("gives Docker's link variables: name, the ports' URLs and parts, the linked container's environment", () => {
    const db = { ...ctr('db', 'running', { app: '10.89.1.9' }), spec: { network: 'bridge', env: ['PATH=/bin', 'PGUSER=app'], expose: ['5432'] } } as unknown as Container;
    const spec = checkLinkFlags({ link: ['db:pg-main'], linkLocalIp: [] }, true, () => db, () => ['9187/tcp']);
    expect(spec.links).toEqual([{ id: db.id, name: 'db', alias: 'pg-main', ports: ['9187/tcp', '5432/tcp'], env: ['PATH=/bin', 'PGUSER=app'] }]);
    const me = { ...ctr('me', 'running', { app: '10.89.1.8' }), spec: { network: 'bridge', links: spec.links } } as unknown as Container;
    expect(linkEnv(me, { app: { ip: '10.89.1.8' } }, [db])).toEqual([
      'PG_MAIN_NAME=/me/pg-main',
      'PG_MAIN_PORT=tcp://10.89.1.9:5432',
      'PG_MAIN_PORT_5432_TCP=tcp://10.89.1.9:5432',
      'PG_MAIN_PORT_5432_TCP_ADDR=10.89.1.9',
      'PG_MAIN_PORT_5432_TCP_PORT=5432',
      'PG_MAIN_PORT_5432_TCP_PROTO=tcp',
      'PG_MAIN_PORT_9187_TCP=tcp://10.89.1.9:9187',
      'PG_MAIN_PORT_9187_TCP_ADDR=10.89.1.9',
      'PG_MAIN_PORT_9187_TCP_PORT=9187',
      'PG_MAIN_PORT_9187_TCP_PROTO=tcp',
      'PG_MAIN_ENV_PGUSER=app',
    ]);
    expect(linkEnv(me, { other: { ip: '10.89.9.8' } }, [db])).toEqual([]);
  });

  it('refuses what cannot work, saying why', () => {
    expect(() => checkLinkFlags({ link: ['web'], linkLocalIp: [] }, false, resolve)).toThrow(/--link needs a network both containers are on/);
    expect(() => checkLinkFlags({ link: ['web:a:b'], linkLocalIp: [] }, true, resolve)).toThrow(/invalid --link "web:a:b": use NAME\[:ALIAS\]/);
    expect(() => checkLinkFlags({ link: ['nosuch'], linkLocalIp: [] }, true, resolve)).toThrow(/no container nosuch/);
    expect(() => checkLinkFlags({ link: [], linkLocalIp: ['169.254.300.1'] }, true, resolve)).toThrow(/invalid --link-local-ip/);
    expect(checkLinkFlags({ link: [], linkLocalIp: ['169.254.3.1'] }, true, resolve)).toEqual({ linkLocalIps: ['169.254.3.1'] });
  });
});
