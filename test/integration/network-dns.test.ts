// Names on networks as Podman users find them (issue 19): the DNS server of networks with DNS
// answers container names, aliases and short IDs (busybox nslookup asks it directly, glibc's
// getent and ping go through it for dns.podman names), a container started later is found at
// once, other names are forwarded (to the host's resolvers, or to a resolver this test runs on
// the host's address, given as the network's --dns); --link NAME:ALIAS resolves in the linking
// container only; Podman's default network podman; --ip6 and --link-local-ip. Never leaves this
// machine: the forwarding test answers from this process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import dns from 'node:dns';
import fs from 'node:fs';
import os from 'node:os';
import { Store, mirrorDockerHub, registry, userEnv } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('network-dns');
let env: Record<string, string> = {};
const tspod = (args: string[]) => store.tspod(args, { env });
const tspodAsync = (args: string[]) => store.tspodAsync(args, { env });
const user = userEnv();

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox', 'debian']);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  for (const n of ['dnsnet', 'fwdnet', 'quiet']) tspod(['network', 'rm', n]);
  store.cleanup();
});

/** This store's DNS servers (node dnsd.js <runroot>/dns) that are alive. */
function dnsServers(): number[] {
  const out: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (fs.statSync(`/proc/${pid}`).uid !== user.uid) continue;
      if (/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))) continue;
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv.some((a) => a.endsWith('dnsd.js')) && argv.includes(`${store.runroot}/dns`)) out.push(Number(pid));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** Whether cond() comes true within 3 s (a process that was sent SIGTERM takes a moment to go). */
async function until(cond: () => boolean): Promise<boolean> {
  for (let i = 0; i < 30 && !cond(); i++) await new Promise((r) => setTimeout(r, 100));
  return cond();
}

const ipOn = (name: string, network: string) => JSON.parse(tspod(['inspect', name]).stdout)[0].NetworkSettings.Networks[network].IPAddress as string;
const gatewayOf = (network: string) => JSON.parse(tspod(['network', 'inspect', network]).stdout)[0].subnets[0].gateway as string;
/** busybox nslookup's answer lines for a name: its addresses, or the error line. */
const nslookup = (from: string, name: string, type = 'a') => {
  const r = tspod(['exec', from, 'nslookup', `-type=${type}`, name]);
  return (r.stdout + r.stderr).split('\n').filter((l) => /^Address: |^\*\* /.test(l)).join('\n');
};

describe('DNS on user-defined networks', () => {
  it('answers names, aliases and short IDs, finds a later container at once, and stops with the last container', async () => {
    expect(tspod(['network', 'create', 'dnsnet']).code).toBe(0);
    const gw = gatewayOf('dnsnet');
    expect(tspod(['run', '-d', '--name', 'db', '--network', 'dnsnet', '--network-alias', 'database', 'busybox', 'sleep', '1000']).code).toBe(0);
    expect(tspod(['run', '-d', '--name', 'asker', '--network', 'dnsnet', '--cap-add', 'NET_RAW', 'busybox', 'sleep', '1000']).code).toBe(0);
    expect(dnsServers()).toHaveLength(1);
    const db = ipOn('db', 'dnsnet');
    const dbId = tspod(['inspect', '--format', '{{.Id}}', 'db']).stdout.trim();
    const conf = tspod(['exec', 'asker', 'cat', '/etc/resolv.conf']).stdout.split('\n');
    expect(conf.filter((l) => l.startsWith('nameserver'))).toEqual([`nameserver ${gw}`]);
    expect(conf.find((l) => l.startsWith('search'))).toMatch(/^search dns\.podman( |$)/);
    // busybox nslookup asks the server in resolv.conf directly (it never reads /etc/hosts).
    expect(nslookup('asker', 'db')).toBe(`Address: ${db}`);
    expect(nslookup('asker', 'db.dns.podman')).toBe(`Address: ${db}`);
    expect(nslookup('asker', 'database')).toBe(`Address: ${db}`);
    expect(nslookup('asker', dbId.slice(0, 12))).toBe(`Address: ${db}`);
    expect(nslookup('asker', 'db', 'aaaa')).toBe(''); // the name is there, without IPv6 addresses
    expect(nslookup('asker', 'nobody.dns.podman')).toBe("** server can't find nobody.dns.podman: NXDOMAIN");
    // glibc's resolver: /etc/hosts first (db is there too), dns.podman names only in DNS.
    const getent = tspod(['run', '--rm', '--network', 'dnsnet', 'debian', 'getent', 'hosts', 'db', 'db.dns.podman', 'database.dns.podman']);
    expect(getent.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual([db, db, db]);
    expect(tspod(['exec', 'asker', 'ping', '-c1', '-W2', 'db.dns.podman']).stdout).toContain(`from ${db}:`);
    expect(tspod(['exec', 'asker', 'ping', '-c1', '-W2', 'db']).stdout).toContain(`from ${db}:`);
    // Started later: asker finds it without a restart of anyone.
    expect(tspod(['run', '-d', '--name', 'later', '--network', 'dnsnet', 'busybox', 'sleep', '1000']).code).toBe(0);
    expect(nslookup('asker', 'later')).toBe(`Address: ${ipOn('later', 'dnsnet')}`);
    expect(dnsServers()).toHaveLength(1); // the same server, which re-read its records
    // The gateway (the DNS server's address) keeps one MAC whoever comes and goes: the bridge's own.
    const gwMac = ['02', '42', ...gw.split('.').map((p) => Number(p).toString(16).padStart(2, '0'))].join(':');
    expect(tspod(['exec', 'asker', 'ip', 'neigh', 'show', gw]).stdout).toContain(`lladdr ${gwMac} `);
    // A DNS server that is gone comes back with network reload.
    process.kill(dnsServers()[0], 'SIGKILL');
    expect(await until(() => dnsServers().length === 0)).toBe(true);
    expect(tspod(['network', 'reload', 'asker']).code).toBe(0);
    expect(dnsServers()).toHaveLength(1);
    expect(nslookup('asker', 'later')).toBe(`Address: ${ipOn('later', 'dnsnet')}`);
    tspod(['rm', '-f', '-t', '0', 'later']);
    expect(nslookup('asker', 'later.dns.podman')).toBe("** server can't find later.dns.podman: NXDOMAIN");
    tspod(['rm', '-f', '-t', '0', 'db', 'asker']);
    expect(await until(() => dnsServers().length === 0)).toBe(true);
  });

  it("forwards other names: to the host's resolvers, and to the network's --dns servers", async () => {
    expect(tspod(['run', '-d', '--name', 'asker2', '--network', 'dnsnet', 'busybox', 'sleep', '1000']).code).toBe(0);
    // What the host's resolver says of a name that does not exist, the container hears too.
    const host = await dns.promises.resolve4('example.invalid').then((a) => a.join(','), (e: NodeJS.ErrnoException) => e.code);
    expect(host).toBe('ENOTFOUND');
    expect(nslookup('asker2', 'example.invalid')).toBe("** server can't find example.invalid: NXDOMAIN");
    // A resolver of this test's own on the host's address, port 53, as the network's --dns.
    const hostIp = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)!.address;
    const resolver = dgram.createSocket('udp4');
    const asked: string[] = [];
    resolver.on('message', (q, from) => {
      const name: string[] = [];
      let at = 12;
      while (q[at]) {
        name.push(q.toString('latin1', at + 1, at + 1 + q[at]));
        at += q[at] + 1;
      }
      asked.push(name.join('.'));
      const type = q.readUInt16BE(at + 1);
      const header = Buffer.from(q.subarray(0, 12));
      header.writeUInt16BE(0x8180, 2);
      header.writeUInt16BE(type === 1 ? 1 : 0, 6);
      header.writeUInt16BE(0, 8);
      header.writeUInt16BE(0, 10);
      const answer = type === 1 ? Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 77]) : Buffer.alloc(0);
      resolver.send(Buffer.concat([header, q.subarray(12, at + 5), answer]), from.port, from.address);
    });
    await new Promise<void>((resolve) => resolver.bind(53, hostIp, resolve));
    try {
      expect(tspod(['network', 'create', '--dns', hostIp, 'fwdnet']).code).toBe(0);
      const r = await tspodAsync(['run', '--rm', '--network', 'fwdnet', 'busybox', 'sh', '-c', 'grep nameserver /etc/resolv.conf; nslookup -type=a ext.test']);
      expect(r.stdout.split('\n').filter((l) => /^nameserver|^Address: /.test(l))).toEqual([`nameserver ${gatewayOf('fwdnet')}`, 'Address: 192.0.2.77']);
      expect(asked).toContain('ext.test');
    } finally {
      resolver.close();
    }
    tspod(['rm', '-f', '-t', '0', 'asker2']);
  });

  it('gives containers on --disable-dns networks and on podman no DNS server', async () => {
    expect(tspod(['network', 'create', '--disable-dns', 'quiet']).code).toBe(0);
    const host = fs.readFileSync('/etc/resolv.conf', 'utf8').split('\n').filter((l) => l.startsWith('nameserver') && !/ (127\.|::1)/.test(l));
    for (const n of ['quiet', 'podman']) {
      const conf = tspod(['run', '--rm', '--network', n, 'busybox', 'cat', '/etc/resolv.conf']).stdout.split('\n');
      expect(conf.filter((l) => l.startsWith('nameserver'))).toEqual(host.length ? host : ['nameserver 10.0.2.3']);
      expect(conf.join('\n')).not.toContain('dns.podman');
    }
    expect(await until(() => dnsServers().length === 0)).toBe(true);
  });
});

describe('--link', () => {
  it('makes the alias resolve in the linking container only, on a user-defined network', () => {
    expect(tspod(['run', '-d', '--name', 'web', '--network', 'dnsnet', '-e', 'GREETING=hi', '--expose', '8080', 'busybox', 'sleep', '1000']).code).toBe(0);
    const web = ipOn('web', 'dnsnet');
    expect(tspod(['run', '-d', '--name', 'linker', '--network', 'dnsnet', '--cap-add', 'NET_RAW', '--link', 'web:site', 'busybox', 'sleep', '1000']).code).toBe(0);
    expect(tspod(['exec', 'linker', 'ping', '-c1', '-W2', 'site']).stdout).toContain(`from ${web}:`);
    expect(tspod(['exec', 'linker', 'grep', 'site', '/etc/hosts']).stdout).toBe(`${web}\tsite web\n`);
    // Docker's link variables; the container's own -e wins over them.
    const vars = tspod(['run', '--rm', '--name', 'linker2', '--network', 'dnsnet', '--link', 'web:site', '-e', 'SITE_NAME=mine', 'busybox', 'sh', '-c', 'env | grep ^SITE_ | sort']).stdout;
    expect(vars).toBe(`SITE_ENV_GREETING=hi\nSITE_NAME=mine\nSITE_PORT=tcp://${web}:8080\nSITE_PORT_8080_TCP=tcp://${web}:8080\nSITE_PORT_8080_TCP_ADDR=${web}\nSITE_PORT_8080_TCP_PORT=8080\nSITE_PORT_8080_TCP_PROTO=tcp\n`);
    expect(tspod(['exec', 'linker', 'sh', '-c', "tr '\\0' '\\n' < /proc/1/environ | grep ^SITE_NAME="]).stdout).toBe('SITE_NAME=/linker/site\n');
    expect(tspod(['run', '--rm', '--network', 'dnsnet', 'busybox', 'grep', '-c', 'site', '/etc/hosts'])).toMatchObject({ code: 1, stdout: '0\n' });
    expect(tspod(['exec', 'web', 'grep', '-c', 'site', '/etc/hosts'])).toMatchObject({ code: 1, stdout: '0\n' });
    expect(tspod(['run', '--rm', '--link', 'web:site', 'busybox', 'true'])).toMatchObject({ code: 125, stderr: 'Error: --link needs a network both containers are on: use --network NAME (a network of the linked container, e.g. podman)\n' });
    expect(tspod(['run', '--rm', '--network', 'dnsnet', '--link', 'nosuch:x', 'busybox', 'true']).code).toBe(125);
    tspod(['stop', '-t', '0', 'web']);
    expect(tspod(['run', '--rm', '--network', 'dnsnet', '--link', 'web', 'busybox', 'true'])).toMatchObject({ code: 125, stderr: 'Error: cannot link to a non running container: web is exited; start it first (tspod start web)\n' });
    tspod(['rm', '-f', '-t', '0', 'web', 'linker']);
  });
});

describe('the default network podman', () => {
  it('is listed and inspected without being created, joined by --network podman and bridge, and cannot be removed', () => {
    expect(tspod(['network', 'ls', '--format', '{{.Name}} {{.ID}} {{.Driver}}']).stdout.split('\n')).toContain('podman 2f259bab93aa bridge');
    expect(JSON.parse(tspod(['network', 'inspect', 'podman']).stdout)[0]).toMatchObject({ name: 'podman', id: '2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9', driver: 'bridge', network_interface: 'podman0', subnets: [{ subnet: '10.88.0.0/16', gateway: '10.88.0.1' }], internal: false, dns_enabled: false });
    expect(tspod(['network', 'exists', 'podman']).code).toBe(0);
    for (const mode of ['podman', 'bridge']) {
      const r = tspod(['run', '--rm', '--network', mode, 'busybox', 'sh', '-c', 'ip -o -4 addr show eth0; ip route show default']);
      expect(r.stdout).toMatch(/^\d+: eth0 +inet 10\.88\.0\.\d+\/16 .*\ndefault via 10\.88\.0\.1 dev eth0/);
    }
    // A plain run keeps the configured rootless default (slirp4netns here); containers.conf's
    // [containers] netns = "bridge" makes it join podman, as in Podman.
    expect(tspod(['run', '--rm', 'busybox', 'ip', '-o', '-4', 'addr', 'show', 'tap0']).stdout).toMatch(/inet 10\.0\.2\.100\//);
    const conf = `${store.dir}/netns-bridge.conf`;
    fs.writeFileSync(conf, '[containers]\nnetns = "bridge"\n');
    fs.chmodSync(conf, 0o644);
    expect(store.tspod(['run', '--rm', 'busybox', 'ip', '-o', '-4', 'addr', 'show', 'eth0'], { env: { ...env, TSPOD_CONF: conf } }).stdout).toMatch(/inet 10\.88\.0\.\d+\/16 /);
    expect(tspod(['network', 'rm', 'podman'])).toMatchObject({ code: 125, stderr: 'Error: default network podman cannot be removed\n' });
    expect(tspod(['network', 'rm', '-f', 'podman']).code).toBe(125);
    expect(tspod(['network', 'create', '--subnet', '10.88.5.0/24', 'clash']).stderr).toMatch(/overlaps network podman/);
    expect(tspod(['network', 'prune', '-f']).stdout).not.toContain('podman');
    expect(tspod(['network', 'ls', '-q']).stdout.split('\n')).toContain('podman');
  });
});

describe('--ip6 and --link-local-ip', () => {
  it('refuses --ip6 with the reason and adds a link-local address', () => {
    expect(tspod(['run', '--rm', '--network', 'podman', '--ip6', 'fd00::5', 'busybox', 'true'])).toMatchObject({ code: 125, stderr: "Error: --ip6 is not supported: no network of tspod's has an IPv6 subnet (they are IPv4 only): use --ip with an IPv4 address\n" });
    expect(tspod(['run', '--rm', '--network', 'podman', '--link-local-ip', '169.254.7.9', 'busybox', 'ip', '-o', '-4', 'addr', 'show', 'eth0']).stdout).toMatch(/inet 169\.254\.7\.9\/16 scope link/);
    expect(tspod(['run', '--rm', '--link-local-ip', '10.1.2.3', '--network', 'podman', 'busybox', 'true'])).toMatchObject({ code: 125, stderr: 'Error: invalid --link-local-ip "10.1.2.3": give an IPv4 link-local address (169.254.0.0/16), e.g. 169.254.10.5\n' });
  });
});
