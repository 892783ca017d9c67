import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExclusiveQueue, RequestContext } from '../../../api/context';
import { sendSpooled, withUpload } from '../../../api/spool';
import type { Engine } from '../../../libpod/engine';

let dir: string;
let server: http.Server;
let sock: string;
let queue: ExclusiveQueue;
/** What the test's handler does with each request's context; its outcome lands in `outcome`. */
let handle: (ctx: RequestContext) => Promise<unknown>;
let outcome: Promise<unknown>;

const tmpFiles = () => (fs.existsSync(path.join(dir, 'root', 'tmp')) ? fs.readdirSync(path.join(dir, 'root', 'tmp')) : []);

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-spool-'));
  sock = path.join(dir, 'api.sock');
  queue = new ExclusiveQueue();
  server = http.createServer((req, res) => {
    res.on('error', () => undefined);
    const ctx = new RequestContext({ req, res, socket: req.socket, params: {}, query: new URLSearchParams(), version: '1.41', makeEngine: () => ({ paths: { root: path.join(dir, 'root') }, close() {} }) as unknown as Engine, queue, holdOpen: () => () => undefined, headers: {} });
    outcome = handle(ctx).then(
      (v) => {
        if (!res.writableEnded) res.end();
        return v;
      },
      (err: Error) => {
        if (!res.headersSent) res.writeHead(599).end();
        else res.end();
        throw err;
      },
    );
    outcome.catch(() => undefined);
  });
  await new Promise<void>((r) => server.listen(sock, r));
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  fs.rmSync(dir, { recursive: true, force: true });
});

function request(method: string, body?: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: sock, method, path: '/x' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends a request head announcing length bytes and only part of them, and returns the socket. */
function partialUpload(length: number, part: Buffer): Promise<net.Socket> {
  return new Promise((resolve) => {
    const s = net.connect(sock, () => {
      s.write(`PUT /x HTTP/1.1\r\nHost: d\r\nContent-Length: ${length}\r\n\r\n`);
      s.write(part, () => resolve(s));
    });
    s.on('error', () => undefined);
  });
}

const until = async (ok: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('withUpload', () => {
  it('gives the whole body as a private file and removes it after', async () => {
    let seen: { text: string; mode: number } | undefined;
    handle = (ctx) =>
      withUpload(ctx, 'load', async (u) => {
        seen = { text: fs.readFileSync(u.file, 'utf8'), mode: fs.statSync(u.file).mode & 0o777 };
        const chunks: Buffer[] = [];
        for await (const c of u.open()) chunks.push(c as Buffer);
        return Buffer.concat(chunks).toString();
      });
    const res = await request('PUT', Buffer.from('the body'));
    expect(res.status).toBe(200);
    await expect(outcome).resolves.toBe('the body');
    expect(seen).toEqual({ text: 'the body', mode: 0o600 });
    expect(tmpFiles()).toEqual([]);
  });

  it('does not hold the queue while the body comes, and makes no engine call when the client goes mid-body', async () => {
    let used = false;
    handle = (ctx) =>
      withUpload(ctx, 'load', async () => {
        used = true;
      });
    const s = await partialUpload(1000, Buffer.alloc(100, 1));
    await until(() => tmpFiles().length === 1); // the half body is being received
    // Meanwhile the queue is free.
    await expect(Promise.race([queue.run(() => 'free'), new Promise((r) => setTimeout(() => r('held'), 1000))])).resolves.toBe('free');
    s.destroy();
    await expect(outcome).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/cut off before its end/) });
    expect(used).toBe(false);
    expect(tmpFiles()).toEqual([]);
  });

  it('removes the file when the engine call fails', async () => {
    handle = (ctx) =>
      withUpload(ctx, 'load', async (u) => {
        u.open();
        throw new Error('engine says no');
      });
    const res = await request('PUT', Buffer.from('x'.repeat(10)));
    expect(res.status).toBe(599);
    await expect(outcome).rejects.toThrow('engine says no');
    expect(tmpFiles()).toEqual([]);
  });
});

describe('sendSpooled', () => {
  it('sends what the engine wrote, with its length, and removes the file', async () => {
    handle = (ctx) =>
      sendSpooled(ctx, 'save', { 'Content-Type': 'application/x-tar' }, async (out) => {
        out.write('archive ');
        out.end('bytes');
      });
    const res = await request('GET');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-tar');
    expect(res.headers['content-length']).toBe('13');
    expect(res.body.toString()).toBe('archive bytes');
    await outcome;
    expect(tmpFiles()).toEqual([]);
  });

  it('an engine error comes before any byte: no answer begun, no file left', async () => {
    handle = (ctx) =>
      sendSpooled(ctx, 'save', {}, async (out) => {
        out.write('half');
        throw new Error('layer missing');
      });
    const res = await request('GET');
    expect(res.status).toBe(599);
    await expect(outcome).rejects.toThrow('layer missing');
    expect(tmpFiles()).toEqual([]);
  });

  it('frees the queue before sending: a client that does not read holds nothing, and one that goes leaves no file', async () => {
    const big = Buffer.alloc(32 * 1024 * 1024, 7);
    handle = (ctx) => sendSpooled(ctx, 'export', {}, async (out) => void (await new Promise<void>((r) => out.end(big, () => r()))));
    const s = net.connect(sock);
    s.on('error', () => undefined);
    s.write('GET /x HTTP/1.1\r\nHost: d\r\n\r\n');
    s.pause(); // reads nothing: the answer stalls in the socket's buffers
    await until(() => tmpFiles().length === 1);
    await expect(Promise.race([queue.run(() => 'free'), new Promise((r) => setTimeout(() => r('held'), 1000))])).resolves.toBe('free');
    expect(tmpFiles().length).toBe(1); // still sending
    s.destroy();
    await outcome;
    expect(tmpFiles()).toEqual([]);
  });
});
