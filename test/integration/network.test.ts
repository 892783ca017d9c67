// Rootless networking as the unprivileged user, never leaving this machine: a page served from a
// container through a published port under slirp4netns and pasta, the helper gone and the port
// free after stop (and after the monitor is killed), -P, a taken port refused with nothing left
// behind, none/host/container: modes, and the container's resolv.conf and hosts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import net from 'node:net';
import { Store, mirrorDockerHub, portFree, registry, userEnv } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('network');
let env: Record<string, string> = {};
const tspod = (args: string[]) => store.tspod(args, { env });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const user = userEnv();

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox', 'debian']);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, { timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

async function getEventually(url: string): Promise<string> {
  for (let i = 0; ; i++) {
    try {
      return await get(url);
    } catch (err) {
      if (i > 50) throw err;
      await sleep(100);
    }
  }
}

/** The test user's slirp4netns/pasta processes that serve the namespaces of this store. */
function helpers(): string[] {
  const out: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const st = fs.statSync(`/proc/${pid}`);
      if (st.uid !== user.uid) continue;
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      if (/^State:\s+Z/m.test(status)) continue; // a zombie holds nothing
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (/slirp4netns|pasta/.test(cmd) && cmd.includes(store.runroot)) out.push(cmd);
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** A shell line for the Debian image that prints the status line of GET / (busybox's static wget cannot resolve names). */
const httpGet = (host: string, port: number) => `exec 3<>/dev/tcp/${host}/${port}; printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3; IFS= read -r line <&3; echo "\${line%$'\\r'}"`;

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}: ${helpers().join('; ')}`);
    await sleep(50);
  }
}

const PAGE = 'mkdir -p /www && echo "<h1>served by $(hostname)</h1>" > /www/index.html && exec httpd -f -p 80 -h /www';

describe.each([
  ['slirp4netns', 18480],
  ['pasta', 18481],
])('published ports under %s', (mode, port) => {
  it('serves the page on the host, shows the mapping, and frees the port with no helper left after stop', async () => {
    const run = tspod(['run', '-d', '--name', `web-${mode}`, '--hostname', `h-${mode}`, '--network', mode, '-p', `127.0.0.1:${port}:80`, 'busybox', 'sh', '-c', PAGE]);
    expect(run.code, run.stderr).toBe(0);
    expect(await getEventually(`http://127.0.0.1:${port}/`)).toBe(`<h1>served by h-${mode}</h1>\n`);
    expect(tspod(['port', `web-${mode}`]).stdout).toBe(`80/tcp -> 127.0.0.1:${port}\n`);
    expect(tspod(['port', `web-${mode}`, '80']).stdout).toBe(`127.0.0.1:${port}\n`);
    expect(tspod(['ps', '--format', '{{.Names}} {{.Ports}}', '--filter', `name=web-${mode}`]).stdout).toBe(`web-${mode} 127.0.0.1:${port}->80/tcp\n`);
    const inspect = JSON.parse(tspod(['inspect', `web-${mode}`]).stdout)[0];
    expect(inspect.NetworkSettings.Ports).toEqual({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] });
    expect(inspect.HostConfig.NetworkMode).toBe(mode);
    // Podman 5 knows no address of a slirp4netns or pasta container: none shown, no Networks entry, its namespace given.
    expect(inspect.NetworkSettings.IPAddress).toBe('');
    expect(inspect.NetworkSettings.Networks).toBeUndefined();
    expect(inspect.NetworkSettings.SandboxKey).toMatch(/\/netns\/[0-9a-f]{64}$/);
    expect(helpers()).toHaveLength(1);
    expect(await portFree(port, '127.0.0.1')).toBe(false);
    const stop = tspod(['stop', '-t', '0', `web-${mode}`]);
    expect(stop.code, stop.stderr).toBe(0);
    // A process on its way out no longer shows its command line but may hold its sockets a moment.
    await until('the helper to end and the port to be free', async () => helpers().length === 0 && (await portFree(port, '127.0.0.1')));
    // Started again, it serves again.
    expect(tspod(['start', `web-${mode}`]).code).toBe(0);
    expect(await getEventually(`http://127.0.0.1:${port}/`)).toContain('served by');
    expect(tspod(['rm', '-f', '-t', '0', `web-${mode}`]).code).toBe(0);
    await until('the helper to end', () => helpers().length === 0);
  });

  it('reaches a server on the host as host.containers.internal', async () => {
    const server = http.createServer((_req, res) => res.end('host says hi'));
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', () => r()));
    const hostPort = (server.address() as net.AddressInfo).port;
    try {
      // Asynchronously: this process must answer while tspod runs.
      const r = await store.tspodAsync(['run', '--rm', '--network', mode, 'debian', 'bash', '-c', httpGet('host.containers.internal', hostPort)], { env });
      expect(r.stdout, r.stderr).toBe('HTTP/1.1 200 OK\n');
    } finally {
      server.close();
    }
  });

  it('ends the helper when the monitor is killed', async () => {
    expect(tspod(['run', '-d', '--name', `orphan-${mode}`, '--network', mode, '-p', `${port + 10}:80`, 'busybox', 'sleep', '1000']).code).toBe(0);
    expect(helpers()).toHaveLength(1);
    const monitor = JSON.parse(tspod(['inspect', `orphan-${mode}`]).stdout)[0].State.ConmonPid;
    process.kill(monitor, 'SIGKILL');
    await sleep(200);
    expect(tspod(['ps', '-a', '--format', '{{.Names}} {{.State}}', '--filter', `name=orphan-${mode}`]).stdout).toBe(`orphan-${mode} exited\n`);
    await until('the helper to end and the port to be free', async () => helpers().length === 0 && (await portFree(port + 10, '0.0.0.0')));
    expect(tspod(['rm', `orphan-${mode}`]).code).toBe(0);
  });
});

describe('choosing and refusing ports', () => {
  it('-P publishes the exposed ports to free host ports', async () => {
    expect(tspod(['run', '--name', 'exposer', 'busybox', 'true']).code).toBe(0);
    expect(tspod(['commit', '-c', 'EXPOSE 80', '-c', 'EXPOSE 5353/udp', 'exposer', 'localhost/exposer']).code).toBe(0);
    const r = tspod(['run', '-d', '--name', 'all-ports', '-P', 'localhost/exposer', 'sh', '-c', PAGE]);
    expect(r.code, r.stderr).toBe(0);
    const lines = tspod(['port', 'all-ports']).stdout.trim().split('\n').sort();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^5353\/udp -> 0\.0\.0\.0:\d+$/);
    expect(lines[1]).toMatch(/^80\/tcp -> 0\.0\.0\.0:\d+$/);
    const hostPort = Number(lines[1].split(':')[1]);
    expect(await getEventually(`http://127.0.0.1:${hostPort}/`)).toContain('served by');
  });

  it('refuses a host port in use, with nothing left half-created', async () => {
    const hostPort = Number(tspod(['port', 'all-ports', '80/tcp']).stdout.trim().split(':')[1]);
    const clash = tspod(['run', '-d', '--name', 'clash', '-p', `${hostPort}:80`, 'busybox', 'true']);
    expect(clash.code).toBe(125);
    expect(clash.stderr).toBe(`Error: host port ${hostPort}/tcp is already published by container all-ports: choose another host port, or remove all-ports\n`);
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(18490, '127.0.0.1', () => r()));
    try {
      const taken = tspod(['run', '-d', '--name', 'clash', '-p', '127.0.0.1:18490:80', 'busybox', 'true']);
      expect(taken.code).toBe(125);
      expect(taken.stderr).toMatch(/cannot publish 127\.0\.0\.1:18490\/tcp: the port is already in use/);
      // Created while the port was free, started once it is taken: refused before anything runs.
      blocker.close();
      expect(tspod(['create', '--name', 'later', '-p', '127.0.0.1:18490:80', 'busybox', 'true']).code).toBe(0);
      await new Promise<void>((r) => blocker.listen(18490, '127.0.0.1', () => r()));
      const start = tspod(['start', 'later']);
      expect(start.code).toBe(125);
      expect(start.stderr).toMatch(/the port is already in use/);
      expect(tspod(['ps', '-a', '--format', '{{.Names}} {{.State}}', '--filter', 'name=later']).stdout).toBe('later created\n');
    } finally {
      blocker.close();
    }
    expect(tspod(['ps', '-a', '--format', '{{.Names}}', '--filter', 'name=clash']).stdout).toBe('');
    const low = tspod(['run', '--rm', '-p', '80:80', 'busybox', 'true']);
    expect(low.code).toBe(125);
    expect(low.stderr).toMatch(/rootless containers cannot expose privileged ports below \d+ \(net\.ipv4\.ip_unprivileged_port_start=\d+\)/);
    const none = tspod(['run', '--rm', '--network', 'none', '-p', '18491:80', 'busybox', 'true']);
    expect(none.stderr).toMatch(/cannot publish ports with --network none/);
    expect(tspod(['run', '--rm', '-p', '8080:80/sctp', 'busybox', 'true']).stderr).toMatch(/invalid protocol "sctp"/);
    expect(tspod(['run', '--rm', '--network', 'bogus', 'busybox', 'true']).stderr).toMatch(/unknown network "bogus"/);
  });
});

describe('modes and name resolution', () => {
  it('none has only lo, host sees the host, container: shares a namespace', () => {
    expect(tspod(['run', '--rm', '--network', 'none', 'busybox', 'ls', '/sys/class/net']).stdout).toBe('lo\n');
    const hostIfaces = fs.readdirSync('/sys/class/net').sort();
    expect(tspod(['run', '--rm', '--network', 'host', 'busybox', 'ls', '/sys/class/net']).stdout.trim().split(/\s+/).sort()).toEqual(hostIfaces);
    // Podman's: with the host's network, the host's name (and --hostname still wins).
    expect(tspod(['run', '--rm', '--network', 'host', 'busybox', 'hostname']).stdout).toBe(`${os.hostname()}\n`);
    expect(tspod(['run', '--rm', '--network', 'host', '--hostname', 'named', 'busybox', 'hostname']).stdout).toBe('named\n');
    const db = tspod(['exec', 'all-ports', 'sh', '-c', 'ip -4 -o addr | grep -v " lo " | awk \'{print $4}\'']).stdout.trim();
    expect(db).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    const shared = tspod(['run', '--rm', '--network', 'container:all-ports', 'debian', 'bash', '-c', httpGet('127.0.0.1', 80)]);
    expect(shared.stdout, shared.stderr).toBe('HTTP/1.1 200 OK\n');
    expect(tspod(['run', '--rm', '--network', 'container:all-ports', 'busybox', 'sh', '-c', 'ip -4 -o addr | grep -v " lo "']).stdout).toContain(db);
    expect(tspod(['run', '--rm', '--network', 'container:later', 'busybox', 'true']).stderr).toMatch(/shares the network of later, which is created: start later first/);
  });

  it("writes resolv.conf and hosts from the host's and the flags", () => {
    const files = tspod(['run', '--rm', '--name', 'named', '--hostname', 'box', '--dns', '192.0.2.53', '--dns-search', 'corp.test', '--dns-option', 'ndots:3', '--add-host', 'db.test:10.1.2.3', '--add-host', 'me:host-gateway', 'busybox', 'cat', '/etc/resolv.conf', '/etc/hosts']);
    expect(files.code, files.stderr).toBe(0);
    expect(files.stdout).toMatch(/^search corp\.test\nnameserver 192\.0\.2\.53\noptions (.* )?ndots:3\n/);
    expect(files.stdout).toMatch(/^10\.1\.2\.3\tdb\.test$/m);
    expect(files.stdout).toMatch(/^10\.0\.2\.100\tbox named$/m);
    expect(files.stdout).toMatch(/^\S+\thost\.containers\.internal host\.docker\.internal$/m);
    const me = /^(\S+)\tme$/m.exec(files.stdout)![1];
    expect(files.stdout).toContain(`${me}\thost.containers.internal`);
    expect(tspod(['run', '--rm', '--add-host', 'nocolon', 'busybox', 'true']).stderr).toMatch(/invalid --add-host "nocolon": use HOST:IP/);
  });
});
