import { describe, expect, it } from 'vitest';
import { fileTarget, networkCreate, secretFiles, volumeCreate } from '../../../../libpod/compose/translate-resources';
import { COMPOSE_VERSION } from '../../../../libpod/compose/types';
import { newNetworkConfig } from '../../../../libpod/network/user-network';
import { project } from './helpers';

describe('networkCreate', () => {
  const p = project(
    {},
    {
      networks: {
        default: { name: 'demo_default' },
        new_bridge: { name: 'demo_new_bridge', driver: 'bridge', internal: true, labels: { team: 'ops' }, ipam: { driver: 'default', config: [{ subnet: '10.77.0.0/24', gateway: '10.77.0.254', ip_range: '10.77.0.128/25' }] }, driver_opts: { 'com.docker.network.driver.mtu': '1400', 'com.docker.network.bridge.name': 'br-demo' } },
        outside: { name: 'shared', external: true },
      },
    },
  );

  it("gives the real name, Compose's labels and ignore (an existing network is used)", () => {
    expect(networkCreate(p, 'default')).toEqual({
      name: 'demo_default',
      options: { internal: false, labels: ['com.docker.compose.project=demo', 'com.docker.compose.network=default', `com.docker.compose.version=${COMPOSE_VERSION}`], driver: 'bridge', ignore: true },
    });
  });

  it("takes internal, the ipam pool and Docker's bridge driver_opts as tspod's", () => {
    const { name, options } = networkCreate(p, 'new_bridge');
    expect(name).toBe('demo_new_bridge');
    expect(options).toMatchObject({ internal: true, subnet: '10.77.0.0/24', gateway: '10.77.0.254', ipRange: '10.77.0.128/25', options: ['mtu=1400'], interfaceName: 'br-demo', driver: 'bridge' });
    expect(options.labels).toContain('team=ops');
    expect(options.labels).toContain('com.docker.compose.network=new_bridge');
    expect(options.ipamDriver).toBeUndefined();
    // What the engine makes of them.
    const labels = Object.fromEntries(options.labels.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const cfg = newNetworkConfig({ ...options, labels }, []);
    expect(cfg).toMatchObject({ subnet: '10.77.0.0/24', gateway: '10.77.0.254', internal: true, bridge: 'br-demo', mtu: 1400, range: { start: '10.77.0.129', end: '10.77.0.254' } });
  });

  it('refuses what tspod cannot make, naming the key', () => {
    const bad = (net: object) => () => networkCreate(project({}, { networks: { n: { name: 'demo_n', ...net } } }), 'n');
    expect(bad({ driver: 'overlay' })).toThrow('networks.n.driver: "overlay" is not supported: tspod makes bridge networks only');
    expect(bad({ enable_ipv6: true })).toThrow('networks.n.enable_ipv6: tspod\'s networks have no IPv6 subnets');
    expect(bad({ ipam: { config: [{ subnet: '10.1.0.0/24' }, { subnet: '10.2.0.0/24' }] } })).toThrow('networks.n.ipam.config: tspod gives a network one subnet');
    expect(bad({ ipam: { config: [{ subnet: 'fd00::/64' }] } })).toThrow('is IPv6');
    expect(bad({ driver_opts: { 'com.docker.network.bridge.enable_icc': 'false' } })).toThrow('networks.n.driver_opts: unsupported "com.docker.network.bridge.enable_icc=false"');
    expect(() => networkCreate(p, 'outside')).toThrow('networks.outside: network shared is external: compose does not create it');
    expect(() => networkCreate(p, 'nope')).toThrow('networks.nope: no such network in the project');
  });

  it('passes another ipam driver on, for the engine to refuse', () => {
    expect(networkCreate(project({}, { networks: { n: { name: 'demo_n', ipam: { driver: 'dhcp' } } } }), 'n').options.ipamDriver).toBe('dhcp');
  });
});

describe('volumeCreate', () => {
  it("gives the real name, the user's and Compose's labels, and uid/gid options", () => {
    const p = project({}, { volumes: { data: { name: 'demo_data', labels: { keep: 'yes' }, driver_opts: { uid: '1000', gid: '100' } } } });
    expect(volumeCreate(p, 'data')).toEqual({
      name: 'demo_data',
      options: { labels: ['keep=yes', 'com.docker.compose.project=demo', 'com.docker.compose.volume=data', `com.docker.compose.version=${COMPOSE_VERSION}`], options: ['uid=1000', 'gid=100'], ignore: true },
    });
  });

  it("takes the local driver's bind idiom as a bind device (rootless tspod cannot mount as a driver does)", () => {
    const p = project({}, { volumes: { site: { name: 'demo_site', driver: 'local', driver_opts: { type: 'none', o: 'bind', device: './site' } } } });
    const v = volumeCreate(p, 'site');
    expect(v.bindDevice).toBe('/srv/demo/site');
    expect(v.options.options).toEqual([]);
  });

  it('refuses other drivers and options, and external volumes', () => {
    const bad = (vol: object) => () => volumeCreate(project({}, { volumes: { v: { name: 'demo_v', ...vol } } }), 'v');
    expect(bad({ driver: 'nfs' })).toThrow('volumes.v.driver: "nfs" is not supported');
    expect(bad({ driver_opts: { type: 'nfs', o: 'addr=10.0.0.1', device: ':/export' } })).toThrow('volumes.v.driver_opts: only a bind of a host directory is supported');
    expect(bad({ driver_opts: { type: 'none', o: 'bind,ro', device: '/x' } })).toThrow('volumes.v.driver_opts.o: "ro" is not supported with o: bind');
    expect(bad({ driver_opts: { size: '1g' } })).toThrow('volumes.v.driver_opts.size: not supported');
    expect(bad({ driver_opts: { uid: 'alice' } })).toThrow('volumes.v.driver_opts.uid: "alice" must be a number');
    expect(bad({ external: true })).toThrow('volumes.v: volume demo_v is external');
  });
});

describe('secretFiles', () => {
  const p = project(
    {
      web: {
        image: 'busybox',
        secrets: [
          { source: 'token', target: 'token' },
          { source: 'dbpass', target: '/etc/db/pass', mode: 0o400, uid: '33' },
          { source: 'vault', target: 'vault' },
        ],
        configs: [
          { source: 'nginx', target: '' },
          { source: 'inline', target: 'app/conf.ini' },
        ],
      },
    },
    {
      environment: { DB_PASSWORD: 's3cret' },
      secrets: { token: { name: 'demo_token', file: '/srv/demo/token.txt' }, dbpass: { name: 'demo_dbpass', environment: 'DB_PASSWORD' }, vault: { name: 'vault-key', external: true } },
      configs: { nginx: { name: 'demo_nginx', file: '/srv/demo/nginx.conf' }, inline: { name: 'demo_inline', content: '[app]\nx=1\n' } },
    },
  );

  it('gives file, environment, content and external ones with their targets', () => {
    const written: Array<[string, string, string]> = [];
    const files = secretFiles(p, p.services.web, (name, content, kind) => {
      written.push([name, content, kind]);
      return `/run/user/1000/tspod/compose/${kind}/${name}`;
    });
    expect(files).toEqual([
      { kind: 'secret', source: 'token', target: '/run/secrets/token', hostPath: '/srv/demo/token.txt' },
      { kind: 'secret', source: 'dbpass', target: '/etc/db/pass', mode: 0o400, uid: '33', content: 's3cret', hostPath: '/run/user/1000/tspod/compose/secret/demo_dbpass' },
      { kind: 'secret', source: 'vault', target: '/run/secrets/vault', store: 'vault-key' },
      { kind: 'config', source: 'nginx', target: '/nginx', hostPath: '/srv/demo/nginx.conf' },
      { kind: 'config', source: 'inline', target: '/app/conf.ini', content: '[app]\nx=1\n', hostPath: '/run/user/1000/tspod/compose/config/demo_inline' },
    ]);
    expect(written).toEqual([
      ['demo_dbpass', 's3cret', 'secret'],
      ['demo_inline', '[app]\nx=1\n', 'config'],
    ]);
  });

  it('leaves content without a host path when nothing writes it', () => {
    const files = secretFiles(p, p.services.web);
    expect(files.find((f) => f.source === 'inline')).toEqual({ kind: 'config', source: 'inline', target: '/app/conf.ini', content: '[app]\nx=1\n' });
  });

  it('refuses an unset variable, an undeclared source and an external config', () => {
    const q = { ...p, environment: {} };
    expect(() => secretFiles(q, p.services.web)).toThrow('secrets.dbpass: environment variable "DB_PASSWORD" is not set');
    const undeclared = project({ web: { image: 'busybox', secrets: [{ source: 'ghost', target: 'ghost' }] } });
    expect(() => secretFiles(undeclared, undeclared.services.web)).toThrow('services.web.secrets[0]: secret "ghost" is not declared');
    const ext = project({ web: { image: 'busybox', configs: [{ source: 'c', target: '/c' }] } }, { configs: { c: { name: 'c', external: true } } });
    expect(() => secretFiles(ext, ext.services.web)).toThrow('services.web.configs[0]: config c is external: external configs are not supported');
  });

  it('puts secrets under /run/secrets and configs under / unless absolute', () => {
    expect(fileTarget('secret', { source: 's', target: '' })).toBe('/run/secrets/s');
    expect(fileTarget('secret', { source: 's', target: 'other' })).toBe('/run/secrets/other');
    expect(fileTarget('secret', { source: 's', target: '/etc/s' })).toBe('/etc/s');
    expect(fileTarget('config', { source: 'c', target: '' })).toBe('/c');
    expect(fileTarget('config', { source: 'c', target: 'etc/c.conf' })).toBe('/etc/c.conf');
  });
});
