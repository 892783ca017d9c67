// User-defined networks as the unprivileged user: containers on one network reach each other by
// name and alias (one started later is found, a removed one disappears), other networks cannot
// reach them, --internal has no way out, ports published from a network, and the shared
// namespace's slirp4netns gone once no container needs it. Never leaves this machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { Store, mirrorDockerHub, registry, userEnv } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('user-network');
let env: Record<string, string> = {};
const tspod = (args: string[]) => store.tspod(args, { env });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const user = userEnv();

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

const SERVE = (text: string) => `mkdir -p /www && echo "${text}" > /www/index.html && exec httpd -f -p 80 -h /www`;
/** busybox: the body of GET / from host:port (nc; exit 1 when it cannot connect within 2 s). */
const fetch = (host: string, port = 80) => `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${host} ${port} | sed '1,/^\\r*$/d'`;

/** The shared namespace's slirp4netns of this store, if running. */
function sharedSlirp(): boolean {
  for (const pid of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (fs.statSync(`/proc/${pid}`).uid !== user.uid) continue;
      if (/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))) continue;
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${store.runroot}/netns/rootless-netns`)) return true;
    } catch {
      /* gone */
    }
  }
  return false;
}

describe('network commands', () => {
  it('creates, lists, inspects and refuses bad or duplicate networks', () => {
    const c = tspod(['network', 'create', 'app']);
    expect([c.code, c.stdout]).toEqual([0, 'app\n']);
    expect(tspod(['network', 'create', '--subnet', '10.90.7.0/24', '--internal', '--label', 'tier=back', 'backend']).code).toBe(0);
    expect(tspod(['network', 'create', 'other']).code).toBe(0);
    const ls = tspod(['network', 'ls']);
    expect(ls.stdout.split('\n')[0]).toMatch(/^NETWORK ID\s+NAME\s+DRIVER$/);
    expect(tspod(['network', 'ls', '-q']).stdout).toBe('app\nbackend\nother\npodman\n');
    const [app] = JSON.parse(tspod(['network', 'inspect', 'app']).stdout);
    expect(app).toMatchObject({ name: 'app', driver: 'bridge', internal: false, dns_enabled: true });
    expect(app.subnets[0].subnet).toMatch(/^10\.89\.\d+\.0\/24$/);
    const [backend] = JSON.parse(tspod(['network', 'inspect', 'backend']).stdout);
    expect(backend).toMatchObject({ internal: true, labels: { tier: 'back' }, subnets: [{ subnet: '10.90.7.0/24', gateway: '10.90.7.1' }] });
    expect(tspod(['network', 'create', 'app']).stderr).toMatch(/network name app already used/);
    expect(tspod(['network', 'create', '--subnet', '10.90.7.128/25', 'clash']).stderr).toMatch(/overlaps network backend/);
    expect(tspod(['network', 'create', '--subnet', '10.90.8.5/24', 'bad']).stderr).toMatch(/is not the start of a \/24 network/);
    expect(tspod(['network', 'create', 'host']).stderr).toMatch(/is a network mode/);
    expect(tspod(['network', 'exists', 'app']).code).toBe(0);
    expect(tspod(['network', 'exists', 'nope']).code).toBe(1);
    expect(tspod(['network', 'inspect', 'nope']).stderr).toMatch(/unable to find network with name or ID nope/);
    expect(tspod(['run', '--rm', '--network', 'nope', 'busybox', 'true']).stderr).toMatch(/unknown network "nope": create it with "tspod network create nope"/);
  });
});

describe('containers on networks', () => {
  it('find each other by name and alias; a later one is found, a removed one disappears', () => {
    const db = tspod(['run', '-d', '--name', 'db', '--network', 'app', '--network-alias', 'database', 'busybox', 'sh', '-c', SERVE('from db')]);
    expect(db.code, db.stderr).toBe(0);
    expect(tspod(['run', '-d', '--name', 'early', '--network', 'app', 'busybox', 'sleep', '1000']).code).toBe(0);
    const byName = tspod(['run', '--rm', '--network', 'app', 'busybox', 'sh', '-c', fetch('db')]);
    expect(byName.stdout, byName.stderr).toBe('from db\n');
    expect(tspod(['run', '--rm', '--network', 'app', 'busybox', 'sh', '-c', fetch('database')]).stdout).toBe('from db\n');
    // One started after "early" is in early's hosts file, and reachable from it by name.
    expect(tspod(['run', '-d', '--name', 'late', '--network', 'app', 'busybox', 'sh', '-c', SERVE('from late')]).code).toBe(0);
    expect(tspod(['exec', 'early', 'sh', '-c', fetch('late')]).stdout).toBe('from late\n');
    const lateIp = JSON.parse(tspod(['inspect', 'late']).stdout)[0].NetworkSettings.Networks.app.IPAddress;
    expect(tspod(['exec', 'early', 'cat', '/etc/hosts']).stdout).toMatch(new RegExp(`^${lateIp.replace(/\./g, '\\.')}\\tlate `, 'm'));
    expect(tspod(['rm', '-f', 'late']).code).toBe(0);
    expect(tspod(['exec', 'early', 'cat', '/etc/hosts']).stdout).not.toMatch(/\blate\b/);
    expect(tspod(['exec', 'early', 'sh', '-c', fetch('late')]).stdout).toBe('');
    const inspect = JSON.parse(tspod(['network', 'inspect', 'app']).stdout)[0];
    expect(Object.values(inspect.containers).map((c) => (c as { name: string }).name).sort()).toEqual(['db', 'early']);
  });

  it('keeps networks apart: another network cannot reach db', () => {
    const dbIp = JSON.parse(tspod(['inspect', 'db']).stdout)[0].NetworkSettings.Networks.app.IPAddress;
    expect(tspod(['run', '--rm', '--network', 'app', 'busybox', 'sh', '-c', fetch(dbIp)]).stdout).toBe('from db\n');
    const outsider = tspod(['run', '--rm', '--network', 'other', 'busybox', 'sh', '-c', `${fetch(dbIp)}; cat /etc/hosts`]);
    expect(outsider.stdout).not.toContain('from db');
    expect(outsider.stdout).not.toMatch(/\bdb\b/);
  });

  it('lets a network reach the host, and an internal one not', async () => {
    const server = http.createServer((_req, res) => res.end('host'));
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const out = await store.tspodAsync(['run', '--rm', '--network', 'app', 'busybox', 'sh', '-c', fetch('host.containers.internal', port)], { env });
      expect(out.stdout, out.stderr).toBe('host');
      const internal = await store.tspodAsync(['run', '--rm', '--network', 'backend', 'busybox', 'sh', '-c', fetch('host.containers.internal', port)], { env });
      expect(internal.stdout).toBe('');
    } finally {
      server.close();
    }
  });

  it('publishes a port from a network, takes --ip, and refuses what does not fit', async () => {
    const r = tspod(['run', '-d', '--name', 'pub', '--network', 'app', '--ip', '10.89.1.50', '-p', '127.0.0.1:18580:80', 'busybox', 'sh', '-c', SERVE('published')]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(tspod(['inspect', 'pub']).stdout)[0].NetworkSettings.Networks.app.IPAddress).toBe('10.89.1.50');
    let body = '';
    for (let i = 0; i < 30 && !body; i++) {
      body = await new Promise<string>((resolve) => http.get('http://127.0.0.1:18580/', (res) => { let b = ''; res.on('data', (d) => (b += d)); res.on('end', () => resolve(b)); }).on('error', () => resolve('')));
      if (!body) await sleep(100);
    }
    expect(body).toBe('published\n');
    expect(tspod(['rm', '-f', 'pub']).code).toBe(0);
    expect(tspod(['run', '--rm', '--network', 'app', '--ip', '10.77.0.5', 'busybox', 'true']).stderr).toMatch(/--ip 10\.77\.0\.5 is not inside network app's subnet/);
    expect(tspod(['run', '--rm', '--ip', '10.89.1.9', 'busybox', 'true']).stderr).toMatch(/need a user-defined network/);
  });

  it('connects and disconnects stopped containers', () => {
    expect(tspod(['create', '--name', 'joiner', '--network', 'none', 'busybox', 'sh', '-c', SERVE('joined')]).code).toBe(0);
    const c = tspod(['network', 'connect', '--alias', 'j', 'app', 'joiner']);
    expect(c.code, c.stderr).toBe(0);
    expect(tspod(['network', 'connect', 'app', 'joiner']).stderr).toMatch(/joiner is already connected to network app/);
    expect(tspod(['start', 'joiner']).code).toBe(0);
    expect(tspod(['exec', 'early', 'sh', '-c', fetch('j')]).stdout).toBe('joined\n');
    expect(tspod(['network', 'disconnect', 'app', 'joiner']).stderr).toMatch(/joiner is running and app is its only network: stop it first/);
    // Live: a running container joins a second network and leaves it again.
    const live = tspod(['network', 'connect', '--alias', 'j2', 'other', 'joiner']);
    expect(live.code, live.stderr).toBe(0);
    expect(tspod(['exec', 'joiner', 'sh', '-c', 'ls /sys/class/net | sort | tr "\\n" " "']).stdout).toBe('eth0 eth1 lo ');
    expect(tspod(['run', '--rm', '--network', 'other', 'busybox', 'sh', '-c', fetch('j2')]).stdout).toBe('joined\n');
    expect(tspod(['network', 'disconnect', 'other', 'joiner']).code).toBe(0);
    expect(tspod(['exec', 'joiner', 'ls', '/sys/class/net']).stdout.split(/\s+/).filter(Boolean).sort()).toEqual(['eth0', 'lo']);
    expect(tspod(['run', '--rm', '--network', 'other', 'busybox', 'sh', '-c', fetch('j2')]).stdout).toBe('');
    expect(tspod(['exec', 'early', 'sh', '-c', fetch('j')]).stdout).toBe('joined\n');
    expect(tspod(['stop', '-t', '0', 'joiner']).code).toBe(0);
    expect(tspod(['network', 'disconnect', 'app', 'joiner']).code).toBe(0);
    expect(JSON.parse(tspod(['inspect', 'joiner']).stdout)[0].HostConfig.NetworkMode).toBe('none');
    expect(tspod(['rm', 'joiner']).code).toBe(0);
  });

  it('refuses to remove a network in use; --force removes its containers; the shared namespace ends with the last container', async () => {
    const refused = tspod(['network', 'rm', 'app']);
    expect(refused.code).toBe(2); // Podman's code for a network in use
    expect(refused.stderr).toMatch(/network app is in use by containers db, early: remove them first, or use --force/);
    expect(sharedSlirp()).toBe(true);
    const forced = tspod(['network', 'rm', '-f', 'app']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(tspod(['ps', '-a', '--format', '{{.Names}}']).stdout).toBe('');
    for (let i = 0; i < 20 && sharedSlirp(); i++) await sleep(100);
    expect(sharedSlirp()).toBe(false);
    expect(tspod(['network', 'prune', '-f']).stdout.split('\n').filter(Boolean).sort()).toEqual(['backend', 'other']);
    expect(tspod(['network', 'ls', '-q']).stdout).toBe('podman\n'); // the default network stays, as in Podman
  });
});
