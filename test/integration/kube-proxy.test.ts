// A Service's proxy (kubeproxy/, libpod/kube/service-proxy.ts) in front of real containers, as the
// unprivileged user, started inside tspod's namespace as kube play starts it (through a test
// helper: no kube play needed): busybox httpd replicas published on 127.0.0.1 ports tspod picks,
// one host port answering from each in turn, an endpoints swap under a client loop without one
// failed request, the proxy gone and its port free after stop, and a taken port refused clearly.
// Requests come from this process (root): the proxy is reached as another user reaches it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Store, appDir, freePort, mirrorDockerHub, portFree, registry, userEnv } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('kube-proxy');
let env: Record<string, string> = {};
const tspod = (args: string[]) => store.tspod(args, { env });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const helper = path.join(appDir, 'dist', 'test', 'service-proxy.js');
/** The helper inside the namespace, as kube play runs the same functions. */
const proxyCtl = (...args: string[]) => store.tspod(['unshare', 'node', helper, store.runroot, ...args]);
const proxyCtlAsync = (...args: string[]) => store.tspodAsync(['unshare', 'node', helper, store.runroot, ...args]);

const page = (name: string) => `mkdir -p /www && echo ${name} > /www/index.html && exec httpd -f -p 80 -h /www`;

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // agent: false: a new connection per request, so each one is a new choice of the proxy's.
    http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body.trim()));
    }).on('error', reject);
  });
}

async function getEventually(port: number): Promise<string> {
  for (let i = 0; ; i++) {
    try {
      return await get(port);
    } catch (err) {
      if (i > 100) throw err;
      await sleep(100);
    }
  }
}

/** A busybox httpd serving its name, published on a 127.0.0.1 port tspod chooses: that port. */
async function replica(name: string): Promise<number> {
  const r = tspod(['run', '-d', '--name', name, '-p', '127.0.0.1::80', 'busybox', 'sh', '-c', page(name)]);
  expect(r.code, r.stderr).toBe(0);
  const port = Number(/^127\.0\.0\.1:(\d+)$/.exec(tspod(['port', name, '80']).stdout.trim())?.[1]);
  expect(port).toBeGreaterThan(0);
  expect(await getEventually(port)).toBe(name);
  return port;
}

const endpoints = (service: string, hostPort: number, eps: number[]) => JSON.stringify({ service, ports: [{ hostIp: '', hostPort, protocol: 'tcp', endpoints: eps }] });

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
});

afterAll(() => {
  for (const s of ['web', 'clash']) proxyCtl('stop', s);
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

describe('service proxy', () => {
  let svc = 0;
  let pid = 0;
  const ports: Record<string, number> = {};

  it('answers on one host port from each replica in turn', async () => {
    ports.a = await replica('a');
    ports.b = await replica('b');
    svc = await freePort();
    const r = proxyCtl('start', endpoints('web', svc, [ports.a, ports.b]));
    expect(r.code, r.stderr).toBe(0);
    pid = JSON.parse(r.stdout).pid;
    // The starter is gone; the proxy runs on, as the user, in a session of its own.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').slice(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').lastIndexOf(')') + 2).split(' ');
    expect(Number(stat[3])).toBe(pid);
    expect(fs.statSync(`/proc/${pid}`).uid).toBe(userEnv().uid);
    expect([await get(svc), await get(svc), await get(svc), await get(svc)]).toEqual(['a', 'b', 'a', 'b']);
    const list = JSON.parse(proxyCtl('list').stdout);
    expect(list).toEqual([{ service: 'web', pid, endpoints: JSON.parse(endpoints('web', svc, [ports.a, ports.b])) }]);
    expect(fs.readFileSync(path.join(store.runroot, 'kube', 'services', 'web.pid'), 'utf8')).toMatch(new RegExp(`^${pid} \\d+\\n$`));
  });

  it('keeps answering, without one failed request, while the endpoints move to a new replica and the old ones stop', async () => {
    ports.c = await replica('c');
    const seen: string[] = [];
    const failures: string[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        try {
          seen.push(await get(svc));
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    })();
    await sleep(500);
    // A rolling update's steps: the new replica in, the old ones out, a drain, then they stop.
    expect((await proxyCtlAsync('update', endpoints('web', svc, [ports.a, ports.b, ports.c]))).code).toBe(0);
    await sleep(500);
    expect((await proxyCtlAsync('update', endpoints('web', svc, [ports.c]))).code).toBe(0);
    await sleep(1000);
    const stop = await store.tspodAsync(['stop', '-t', '0', 'a', 'b'], { env });
    expect(stop.code, stop.stderr).toBe(0);
    // A stopped replica's port refuses: a file that still names it costs nothing but a retry.
    expect((await proxyCtlAsync('update', endpoints('web', svc, [ports.a, ports.c]))).code).toBe(0);
    await sleep(1000);
    running = false;
    await loop;
    expect(failures).toEqual([]);
    expect(seen.length).toBeGreaterThan(30);
    expect(new Set(seen)).toEqual(new Set(['a', 'b', 'c']));
    expect(seen.slice(-10)).toEqual(Array(10).fill('c'));
  });

  it('is started again only when the ports it listens on change', async () => {
    // The same ports: the running proxy only reads the new endpoints.
    let r = proxyCtl('start', endpoints('web', svc, [ports.c]));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).pid).toBe(pid);
    // Another port: a new proxy there, the old one gone and its port free.
    const moved = await freePort();
    r = proxyCtl('start', endpoints('web', moved, [ports.c]));
    expect(r.code, r.stderr).toBe(0);
    const newPid = JSON.parse(r.stdout).pid;
    expect(newPid).not.toBe(pid);
    expect(fs.existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))).toBe(false);
    expect(await portFree(svc)).toBe(true);
    expect(await get(moved)).toBe('c');
    // An update that would move the port is refused: that is a new play's work.
    r = proxyCtl('update', endpoints('web', svc, [ports.c]));
    expect(r.stderr).toBe(`Error: service "web" listens on 0.0.0.0:${moved}/tcp, not 0.0.0.0:${svc}/tcp: its ports change only when it is played again\n`);
    expect(r.code).toBe(125);
    [pid, svc] = [newPid, moved];
  });

  it('refuses a host port already taken, in the words of a taken port, and leaves nothing behind', () => {
    const r = proxyCtl('start', JSON.stringify({ service: 'clash', ports: [{ hostIp: '127.0.0.1', hostPort: ports.c, protocol: 'tcp', endpoints: [ports.c] }] }));
    expect(r.stderr).toBe(
      `Error: cannot publish 127.0.0.1:${ports.c}/tcp for service "clash": listen tcp 127.0.0.1:${ports.c}: bind: address already in use (by another program or container): choose another port for the Service (spec.ports[].port, or nodePort)\n`,
    );
    expect(r.code).toBe(125);
    expect(fs.existsSync(path.join(store.runroot, 'kube', 'services', 'clash.json'))).toBe(false);
    expect(JSON.parse(proxyCtl('list').stdout).map((s: { service: string }) => s.service)).toEqual(['web']);
  });

  it('is gone after stop, its port free and its files removed', async () => {
    const r = proxyCtl('stop', 'web');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ stopped: true });
    expect(fs.existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))).toBe(false);
    expect(await portFree(svc)).toBe(true);
    expect(fs.readdirSync(path.join(store.runroot, 'kube', 'services')).filter((f) => !f.endsWith('.lock'))).toEqual([]);
    expect(JSON.parse(proxyCtl('list').stdout)).toEqual([]);
    expect(JSON.parse(proxyCtl('stop', 'web').stdout)).toEqual({ stopped: false });
  });
});
