// Faults of the store and of the registry, as the unprivileged user: a registry that resets every
// download and one that answers 429 to its ping (a fault-injecting proxy in front of the real
// local registry), a store whose filesystem is full (a small tmpfs), and a damaged state database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Store, registry } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

/**
 * A proxy in front of the registry. resetAfter: every layer download (a blob GET of more than
 * 100 kB) is cut with a TCP reset after that many bytes. ping429: that many GET /v2/ are answered
 * 429 with Retry-After first.
 */
class FaultProxy {
  resetAfter = 0;
  ping429 = 0;
  retryAfter = '1';
  readonly pings: number[] = [];
  readonly layerGets: Array<{ range?: string; sent: number }> = [];
  private server?: http.Server;

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    return `127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.url === '/v2/') {
      this.pings.push(Date.now());
      if (this.pings.length <= this.ping429) {
        res.writeHead(429, { 'retry-after': this.retryAfter, 'content-type': 'application/json' });
        res.end('{"errors":[{"code":"TOOMANYREQUESTS","message":"too many requests"}]}');
        return;
      }
    }
    const [host, port] = registry.split(':');
    const up = http.request({ host, port: Number(port), path: req.url, method: req.method, headers: { ...req.headers, host: registry } }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      const layer = /\/blobs\/sha256:/.test(req.url ?? '') && req.method === 'GET' && Number(upRes.headers['content-length'] ?? 0) > 100_000;
      if (!layer || !this.resetAfter) {
        upRes.pipe(res);
        return;
      }
      const get = { range: req.headers.range, sent: 0 };
      this.layerGets.push(get);
      upRes.on('data', (chunk: Buffer) => {
        res.write(chunk);
        get.sent += chunk.length;
        if (get.sent >= this.resetAfter) {
          upRes.destroy();
          res.socket?.resetAndDestroy();
        }
      });
      upRes.on('end', () => res.end());
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  }
}

/** Entries of the store's staging area: stage directories and partial downloads. */
function leftovers(store: Store): string[] {
  const tmp = path.join(store.root, 'tmp');
  const names = fs.existsSync(tmp) ? fs.readdirSync(tmp).filter((n) => n !== 'partial') : [];
  const partial = path.join(tmp, 'partial');
  return [...names, ...(fs.existsSync(partial) ? fs.readdirSync(partial).map((n) => `partial/${n}`) : [])];
}

describe('a registry that resets every layer download', () => {
  let proxy: FaultProxy;
  let via = '';
  beforeAll(async () => {
    proxy = new FaultProxy();
    proxy.resetAfter = 1024 * 1024;
    via = await proxy.start();
  });
  afterAll(() => proxy.stop());

  it.each([[[]], [['--log-level=debug']]])('gives up saying what happened and keeps nothing (%j)', async (flags: string[]) => {
    const store = new Store('faults-reset');
    try {
      proxy.layerGets.length = 0;
      const r = await store.tspodAsync([...flags, 'pull', `${via}/library/debian`]);
      expect(r.code).toBe(125);
      expect(r.stderr).not.toMatch(/internal error/);
      const last = r.stderr.trimEnd().split('\n').pop();
      expect(last).toMatch(
        new RegExp(
          `^Error: downloading layer sha256:[0-9a-f]{12} of ${via.replace(/\./g, '\\.')}/library/debian:latest: gave up after 5 attempts, the last one ended by (the registry closing the connection|a connection reset by the registry) \\((\\d+(\\.\\d+)?) (kB|MB) of 49\\.3 MB received\\): nothing of the layer was kept; pull again once the registry and the network are steady$`,
        ),
      );
      // Five GETs of the layer: the first, then four resumes each from where the last one ended.
      expect(proxy.layerGets).toHaveLength(5);
      expect(proxy.layerGets[0].range).toBeUndefined();
      for (const g of proxy.layerGets.slice(1)) expect(g.range).toMatch(/^bytes=[1-9]\d*-$/);
      expect(leftovers(store)).toEqual([]);
      expect((await store.tspodAsync(['images', '-q'])).stdout).toBe('');
    } finally {
      store.cleanup();
    }
  });
});

describe('a registry that answers 429 to its ping', () => {
  let proxy: FaultProxy;
  let via = '';
  beforeAll(async () => {
    proxy = new FaultProxy();
    via = await proxy.start();
  });
  afterAll(() => proxy.stop());

  it('waits as Retry-After says and pulls', async () => {
    const store = new Store('faults-429');
    try {
      proxy.pings.length = 0;
      proxy.ping429 = 2;
      proxy.retryAfter = '1';
      const r = await store.tspodAsync(['pull', '-q', `${via}/library/busybox`]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^[0-9a-f]{64}\n$/);
      expect(proxy.pings).toHaveLength(3);
      expect(proxy.pings[1] - proxy.pings[0]).toBeGreaterThanOrEqual(950);
      expect(proxy.pings[2] - proxy.pings[1]).toBeGreaterThanOrEqual(950);
    } finally {
      store.cleanup();
    }
  });

  it('says the registry is limiting requests when it never stops', async () => {
    const store = new Store('faults-429-always');
    try {
      proxy.pings.length = 0;
      proxy.ping429 = 1000;
      proxy.retryAfter = '0';
      const r = await store.tspodAsync(['pull', '-q', `${via}/library/busybox`]);
      expect(r.code).toBe(125);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`Error: registry ${via} answered 429 (too many requests) to 5 requests in a row: wait a while and try again\n`);
      expect(proxy.pings).toHaveLength(5);
      expect(leftovers(store)).toEqual([]);
    } finally {
      store.cleanup();
    }
  });
});
