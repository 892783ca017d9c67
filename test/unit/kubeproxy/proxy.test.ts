// The Service proxy's forwarding, in this process, over real sockets on 127.0.0.1: servers made
// here are the replicas; the proxy's endpoints file is written as kube play writes it.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import dgram from 'node:dgram';
import os from 'node:os';
import path from 'node:path';
import { ServiceProxy } from '../../../kubeproxy/proxy';
import type { ProxyFile } from '../../../kubeproxy/protocol';

const cleanup: Array<() => void> = [];
afterEach(() => {
  while (cleanup.length) cleanup.pop()!();
});

/** A free TCP port (bound, then released). */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A server answering each connection with its name once the client ended (echoing what it got). */
async function replica(name: string): Promise<{ port: number; server: net.Server }> {
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    let got = '';
    s.on('data', (d) => (got += d.toString()));
    s.on('end', () => s.end(`${name}:${got}`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanup.push(() => server.close());
  return { port: (server.address() as net.AddressInfo).port, server };
}

function writeFile(file: string, f: ProxyFile): void {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(f));
  fs.renameSync(`${file}.tmp`, file);
}

async function proxyFor(ports: ProxyFile['ports'], retryMs = 2000): Promise<{ proxy: ServiceProxy; file: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeproxy-'));
  const file = path.join(dir, 'web.json');
  writeFile(file, { service: 'web', ports });
  const proxy = new ServiceProxy(file, retryMs);
  cleanup.push(() => {
    proxy.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { proxy, file };
}

/** Sends text, half-closes, and reads all until the proxy closes; rejects on a reset. */
function ask(port: number, text = 'hi'): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    let got = '';
    s.on('data', (d) => (got += d.toString()));
    s.on('error', reject);
    s.on('end', () => {
      s.end();
      resolve(got);
    });
    s.end(text);
  });
}

describe('ServiceProxy', () => {
  it('forwards round robin, both ways, and passes on a half-close', async () => {
    const [a, b] = [await replica('a'), await replica('b')];
    const hostPort = await freePort();
    const { proxy } = await proxyFor([{ hostIp: '127.0.0.1', hostPort, protocol: 'tcp', endpoints: [a.port, b.port] }]);
    expect(await proxy.start()).toEqual({ ready: true });
    // The replica answers only after the client's end reached it: the half-close went through.
    expect([await ask(hostPort, 'x'), await ask(hostPort, 'y'), await ask(hostPort, 'z')]).toEqual(['a:x', 'b:y', 'a:z']);
  });

  it('skips an endpoint that refuses', async () => {
    const a = await replica('a');
    const dead = await freePort();
    const hostPort = await freePort();
    const { proxy } = await proxyFor([{ hostIp: '127.0.0.1', hostPort, protocol: 'tcp', endpoints: [dead, a.port] }]);
    await proxy.start();
    expect([await ask(hostPort), await ask(hostPort), await ask(hostPort)]).toEqual(['a:hi', 'a:hi', 'a:hi']);
  });

  it('tries an endpoint that accepted and closed at once, empty (a forwarder with no one behind), only after the others for a while', async () => {
    const closer = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => closer.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => closer.close());
    const g = await replica('g');
    const hostPort = await freePort();
    const { proxy } = await proxyFor([{ hostIp: '127.0.0.1', hostPort, protocol: 'tcp', endpoints: [(closer.address() as net.AddressInfo).port, g.port] }]);
    await proxy.start();
    const first = await ask(hostPort).catch(() => 'failed');
    expect(['', 'failed']).toContain(first);
    await new Promise((r) => setTimeout(r, 20));
    // Round robin alone would send every other one to the closer.
    expect([await ask(hostPort), await ask(hostPort), await ask(hostPort), await ask(hostPort)]).toEqual(['g:hi', 'g:hi', 'g:hi', 'g:hi']);
  });

  it('waits while no endpoint accepts, and serves from the endpoints written meanwhile', async () => {
    const dead = await freePort();
    const hostPort = await freePort();
    const { proxy, file } = await proxyFor([{ hostIp: '127.0.0.1', hostPort, protocol: 'tcp', endpoints: [dead] }]);
    await proxy.start();
    const answer = ask(hostPort, 'late');
    await new Promise((r) => setTimeout(r, 300));
    const b = await replica('b');
    writeFile(file, { service: 'web', ports: [{ hostIp: '127.0.0.1', hostPort, protocol: 'tcp', endpoints: [b.port] }] });
    expect(await answer).toBe('b:late');
  });

  it('closes the client once no endpoint accepted for its retry window', async () => {
    const dead = await freePort();
    const hostPort = await freePort();
    const { proxy } = await proxyFor([{ hostIp: '127.0.0.1', hostPort, protocol: 'tcp', endpoints: [dead] }], 400);
    await proxy.start();
    const t0 = Date.now();
    const outcome = await ask(hostPort).then(
      (text) => `answered "${text}"`,
      (err: NodeJS.ErrnoException) => err.code,
    );
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    // Accepted (never refused), then closed without an answer.
    expect(['answered ""', 'ECONNRESET']).toContain(outcome);
  });

  it('carries 64 MiB each way intact', async () => {
    const size = 64 << 20;
    const server = net.createServer({ allowHalfOpen: true }, (s) => {
      let n = 0;
      s.on('data', (d) => (n += d.length));
      s.on('end', () => {
        s.write(`${n}\n`);
        s.end(Buffer.alloc(size, 7));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => server.close());
    const hostPort = await freePort();
    const { proxy } = await proxyFor([{ hostIp: '127.0.0.1', hostPort, protocol: 'tcp', endpoints: [(server.address() as net.AddressInfo).port] }]);
    await proxy.start();
    const received = await new Promise<{ head: string; n: number }>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: hostPort, allowHalfOpen: true });
      const chunks: Buffer[] = [];
      s.on('data', (d) => chunks.push(d));
      s.on('error', reject);
      s.on('end', () => {
        const all = Buffer.concat(chunks);
        const nl = all.indexOf(10);
        resolve({ head: all.subarray(0, nl).toString(), n: all.length - nl - 1 });
        s.end();
      });
      s.end(Buffer.alloc(size, 1));
    });
    expect(received).toEqual({ head: String(size), n: size });
  });

  it('reports a port it cannot have, and listens on none', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => taken.close());
    const busy = (taken.address() as net.AddressInfo).port;
    const free = await freePort();
    const { proxy } = await proxyFor([
      { hostIp: '127.0.0.1', hostPort: free, protocol: 'tcp', endpoints: [] },
      { hostIp: '127.0.0.1', hostPort: busy, protocol: 'tcp', endpoints: [] },
    ]);
    expect(await proxy.start()).toMatchObject({ ready: false, port: `127.0.0.1:${busy}/tcp`, code: 'EADDRINUSE' });
    await new Promise((r) => setTimeout(r, 50));
    // The first port was let go again.
    await expect(new Promise((resolve, reject) => net.connect(free, '127.0.0.1').on('connect', resolve).on('error', (e: NodeJS.ErrnoException) => reject(e.code)))).rejects.toBe('ECONNREFUSED');
  });

  it('forwards UDP datagrams and their replies', async () => {
    const echo = dgram.createSocket('udp4');
    echo.on('message', (m, from) => echo.send(Buffer.concat([Buffer.from('echo:'), m]), from.port, from.address));
    await new Promise<void>((r) => echo.bind(0, '127.0.0.1', () => r()));
    cleanup.push(() => echo.close());
    const hostPort = await freePort();
    const { proxy } = await proxyFor([{ hostIp: '127.0.0.1', hostPort, protocol: 'udp', endpoints: [echo.address().port] }]);
    expect(await proxy.start()).toEqual({ ready: true });
    const client = dgram.createSocket('udp4');
    cleanup.push(() => client.close());
    const reply = new Promise<string>((r) => client.once('message', (m) => r(m.toString())));
    client.send('ping', hostPort, '127.0.0.1');
    expect(await reply).toBe('echo:ping');
  });

  it('sees its file go', async () => {
    const hostPort = await freePort();
    const { proxy, file } = await proxyFor([{ hostIp: '127.0.0.1', hostPort, protocol: 'tcp', endpoints: [] }]);
    await proxy.start();
    expect(proxy.present()).toBe(true);
    fs.rmSync(file);
    expect(proxy.present()).toBe(false);
  });
});
