// The Docker-compatible API service (`tspod system service`): an HTTP server on a Unix socket (or
// a TCP address when asked, or a socket systemd passed in), each request dispatched by the router
// to a handler that works through a fresh engine; it exits once no request has been open (and no
// exec session running) for the idle time. Containers it starts have their own monitors and
// outlive it, as the CLI's do.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { Engine } from '../libpod/engine';
import { VERSION } from '../src/version';
import { TspodError } from '../src/errors';
import { mallocTrim } from '../src/ffi';
import { apiFailure } from './errors';
import { ExclusiveQueue, RequestContext } from './context';
import { Router, compareVersions, splitVersion } from './router';
import { API_VERSION, MIN_API_VERSION } from './types';
import { allRoutes } from './handlers';

export interface ServiceOptions {
  /** unix:///path, tcp://host:port, or undefined with an inherited socket (LISTEN_FDS). */
  uri?: string;
  /** A listening socket handed over by systemd (fd 3). */
  inheritedFd?: number;
  /** Exit after this many seconds without an open request; 0 never. */
  idleSeconds: number;
  makeEngine: () => Engine;
  /** Debug lines (one per request) when --log-level debug. */
  debug?: (line: string) => void;
  warn: (line: string) => void;
}

/**
 * The idle collection: what requests left is given back, so that the service's memory stays what it
 * was before them. Measured (bench/run.sh api): without these, V8 grows the young generation from
 * 8 to 32 MiB under a burst and keeps it, keeps the old generation's half-empty pages, and glibc keeps
 * freed native memory: +35 MiB RSS after 1,000 requests. With them the process's anonymous memory
 * after 1,000 requests is what it was idle after start.
 */
function garbageCollector(): () => void {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const v8 = require('node:v8') as typeof import('node:v8');
    v8.setFlagsFromString('--expose-gc');
    // A request's garbage dies young: the young generation keeps its start size instead of growing.
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const gc = (require('node:vm') as typeof import('node:vm')).runInNewContext('gc') as () => void;
    return () => {
      // Compacting only this collection (idle, a heap of about 12 MiB: milliseconds), not the ones a
      // build or a load makes V8 run while it works.
      v8.setFlagsFromString('--compact-on-every-full-gc');
      try {
        gc();
      } finally {
        v8.setFlagsFromString('--no-compact-on-every-full-gc');
      }
      try {
        mallocTrim();
      } catch {
        // without koffi or glibc the heap is still collected; only glibc's free memory stays
      }
    };
  } catch {
    return () => undefined;
  }
}

/** Where the service listens, parsed from its URI. */
export function parseServiceUri(uri: string): { unix: string } | { host: string; port: number } {
  const unix = /^unix:\/\/(\/.*)$/.exec(uri);
  if (unix) return { unix: unix[1] };
  const tcp = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(uri);
  if (tcp && Number(tcp[2]) < 65536) return { host: tcp[1].replace(/^\[|\]$/g, ''), port: Number(tcp[2]) };
  throw new TspodError(`invalid service address ${JSON.stringify(uri)}: use unix:///path/to/socket or tcp://127.0.0.1:PORT`);
}

/** Serves until idle; resolves when the server has closed. */
export async function serve(opts: ServiceOptions): Promise<void> {
  const router = new Router();
  allRoutes(router);
  const queue = new ExclusiveQueue();
  const headers = { 'Api-Version': API_VERSION, 'Docker-Experimental': 'false', Ostype: 'linux', Server: `tspod/${VERSION} (linux)` };
  let open = 0;
  /** Stopped by a signal: no idle timer any more, the service is on its way out. */
  let stopping = false;
  let idle: NodeJS.Timeout | undefined;
  let settle: NodeJS.Timeout | undefined;
  let servedSinceCollect = 0;
  const collect = garbageCollector();
  const server = http.createServer({ keepAlive: true });
  /** Hijacked connections: node's server no longer tracks them once upgraded. */
  const upgraded = new Set<Duplex>();
  const touch = (delta: number) => {
    open += delta;
    if (delta > 0) servedSinceCollect++;
    clearTimeout(idle);
    clearTimeout(settle);
    // A quiet half second after requests: the heap they left is collected then, so that the
    // service's memory stays what it was idle (V8 alone would let it grow first).
    if (open === 0 && servedSinceCollect > 0) {
      settle = setTimeout(() => {
        servedSinceCollect = 0;
        collect();
      }, 500);
      settle.unref();
    }
    if (open === 0 && opts.idleSeconds > 0 && !stopping) {
      idle = setTimeout(() => {
        server.close();
        server.closeAllConnections();
      }, opts.idleSeconds * 1000);
    }
  };

  // Work that outlives its request (a running exec session) counts as an open request.
  const holdOpen = () => {
    touch(1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      touch(-1);
    };
  };

  const dispatch = async (req: http.IncomingMessage, socket: Duplex, res?: http.ServerResponse, head?: Buffer) => {
    touch(1);
    let ctx: RequestContext | undefined;
    const started = Date.now();
    const finish = () => {
      ctx?.release();
      opts.debug?.(`${req.method} ${req.url} ${res?.statusCode ?? (ctx?.hijacked ? 101 : '-')} ${Date.now() - started}ms`);
      touch(-1);
    };
    const fail = (status: number, message: string) => {
      const text = `${JSON.stringify({ message })}\n`;
      if (res && !res.headersSent) {
        res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
        res.end(req.method === 'HEAD' ? undefined : text);
      } else if (res) {
        res.end();
      } else if (!ctx?.hijacked) {
        socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
      } else {
        socket.end();
      }
    };
    try {
      const url = new URL(req.url ?? '/', 'http://d');
      const { version, path: pathname } = splitVersion(url.pathname);
      if (version && compareVersions(version, MIN_API_VERSION) < 0) return fail(400, `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`);
      if (version && compareVersions(version, API_VERSION) > 0) return fail(400, `client version ${version} is too new. Maximum supported API version is ${API_VERSION}`);
      const found = router.match(req.method ?? 'GET', pathname);
      if (found === undefined) return fail(404, 'page not found');
      if (found === 'method') return fail(405, `method ${req.method} not allowed for ${pathname}`);
      ctx = new RequestContext({ req, res, socket, head, params: found.params, query: url.searchParams, version: version ?? API_VERSION, makeEngine: opts.makeEngine, queue, holdOpen, headers });
      await found.handler(ctx);
      if (ctx.hijacked) await ctx.closed;
      else if (res && !res.writableEnded && !ctx.isClosed()) throw new Error(`${req.method} ${pathname}: the handler gave no answer`);
    } catch (err) {
      const f = apiFailure(err);
      if (f.status >= 500) opts.debug?.(`${req.method} ${req.url}: ${(err as Error).stack ?? err}`);
      fail(f.status, f.message);
    } finally {
      finish();
    }
  };

  server.on('request', (req, res) => {
    res.on('error', () => undefined); // a write after a client left is no failure of the service
    void dispatch(req, req.socket, res);
  });
  server.on('upgrade', (req, socket, head) => {
    // Node leaves an upgraded socket without an error listener: a client gone mid-stream (EPIPE,
    // a reset) would otherwise be an uncaught error that ends the service.
    socket.on('error', () => socket.destroy());
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    void dispatch(req, socket, undefined, head);
  });
  // A client that goes away mid-answer is no error of the server's.
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (opts.inheritedFd !== undefined) return server.listen({ fd: opts.inheritedFd }, resolve);
    const where = parseServiceUri(opts.uri!);
    if ('unix' in where) {
      fs.mkdirSync(path.dirname(where.unix), { recursive: true, mode: 0o700 });
      // A socket left by a service that died is replaced; anything else at the path is not.
      if (fs.existsSync(where.unix)) {
        if (!fs.lstatSync(where.unix).isSocket()) return reject(new TspodError(`${where.unix} exists and is not a socket: remove it or give another path`));
        fs.rmSync(where.unix);
      }
      const mask = process.umask(0o177);
      server.listen(where.unix, () => {
        process.umask(mask);
        resolve();
      });
      return;
    }
    if (!/^(127\.|::1$|localhost$)/.test(where.host)) opts.warn(`the API on tcp://${where.host}:${where.port} has no authentication: anyone who can reach it can run containers as you`);
    else opts.warn(`the API on tcp://${where.host}:${where.port} has no authentication: every local user can run containers as you`);
    server.listen(where.port, where.host, resolve);
  });
  touch(0);
  // Stopped (systemctl stop, ctrl-c): the listener and every connection close now (streams and
  // hijacked ones too) and serve() returns, so that tspod exits 0 (process.exit() here, before the
  // command had returned, made it report an unfinished operation and exit 125: a failed unit for
  // systemd). Containers keep running under their monitors; a running exec's process runs on in
  // its container, unrecorded (docs/api.md, Lifetimes).
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      stopping = true;
      clearTimeout(idle);
      server.close();
      server.closeAllConnections();
      for (const s of upgraded) s.destroy();
    });
  }
  await new Promise<void>((resolve) => server.once('close', resolve));
  // What requests left behind (an exec's runtime child, a poll's timer) does not keep a stopped
  // service: it exits once the command has returned (its exit code is set by then).
  if (stopping) setTimeout(() => process.exit(), 200).unref();
}
