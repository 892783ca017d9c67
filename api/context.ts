// One request's ApiContext (api/types.ts): the query and body helpers, the per-request engine, the
// server-wide exclusive queue, and the hijack of the connection for raw streams.
import type http from 'node:http';
import { Duplex } from 'node:stream';
import type { Engine } from '../libpod/engine';
import { ApiError, type ApiContext } from './types';

/** A chain of promises: each exclusive() runs after the one before it ended. */
export class ExclusiveQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/** How often a hijacked connection is checked for a client that closed it. */
const PEER_CHECK_MS = 1000;

/**
 * Notices a client that closed a hijacked connection while nothing is written to it. Its close
 * reads as the end of its input, as a half-close does (Docker's CLI half-closes once stdin is done
 * and reads on), and a quiet container gives no write to fail. On a Unix socket a write of no
 * bytes fails (EPIPE) once the peer has closed both ways, and does nothing otherwise: the error
 * ends the connection (server.ts destroys it) and with it the request. Over TCP the two cannot be
 * told apart without sending something; there a stream ends at its next write or its end.
 */
function watchPeer(socket: Duplex): void {
  const timer = setInterval(() => {
    if (socket.destroyed || socket.writableEnded) return clearInterval(timer);
    socket.write(Buffer.alloc(0));
  }, PEER_CHECK_MS);
  timer.unref();
  socket.once('close', () => clearInterval(timer));
}

export interface ContextInit {
  req: http.IncomingMessage;
  /** Undefined for an upgrade request (node gives the socket only). */
  res?: http.ServerResponse;
  socket: Duplex;
  /** Bytes node read past an upgrade request's head. */
  head?: Buffer;
  params: Record<string, string>;
  query: URLSearchParams;
  version: string;
  makeEngine: () => Engine;
  queue: ExclusiveQueue;
  /** Holds the service's idle timer until the returned function is called. */
  holdOpen: () => () => void;
  headers: Record<string, string>;
}

export class RequestContext implements ApiContext {
  readonly req: http.IncomingMessage;
  readonly params: Record<string, string>;
  readonly query: URLSearchParams;
  readonly version: string;
  readonly closed: Promise<void>;
  hijacked = false;
  private engineInstance?: Engine;
  private gone = false;
  private resInstance?: http.ServerResponse;
  private readonly aborter = new AbortController();
  /** Takes this request's listeners off the connection (a kept-alive one serves many requests). */
  private unlisten: () => void = () => undefined;

  constructor(private readonly init: ContextInit) {
    this.req = init.req;
    this.params = init.params;
    this.query = init.query;
    this.version = init.version;
    this.resInstance = init.res;
    this.closed = new Promise((resolve) => {
      const done = () => {
        this.unlisten();
        this.gone = true;
        this.aborter.abort();
        resolve();
      };
      const resClosed = () => {
        if (!init.res!.writableFinished) done();
      };
      init.socket.once('close', done);
      init.res?.once('close', resClosed);
      this.unlisten = () => {
        init.socket.off('close', done);
        init.res?.off('close', resClosed);
      };
    });
  }

  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  holdOpen(): () => void {
    return this.init.holdOpen();
  }

  get engine(): Engine {
    this.engineInstance ??= this.init.makeEngine();
    return this.engineInstance;
  }

  get res(): http.ServerResponse {
    if (!this.resInstance) throw new ApiError(400, 'this endpoint does not take an upgrade request');
    return this.resInstance;
  }

  /** Whether an answer was begun (headers sent or the connection taken). */
  get answered(): boolean {
    return this.hijacked || (this.resInstance?.headersSent ?? false);
  }

  /**
   * The request is over: its listeners leave the connection (which may serve the next request) and
   * its engine (its database connection) is closed. What a handler left running holds its own
   * engine (Engine.fresh) and, if it must keep the service up, holdOpen().
   */
  release(): void {
    this.unlisten();
    this.engineInstance?.close();
    this.engineInstance = undefined;
  }

  exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    return this.init.queue.run(fn);
  }

  isClosed(): boolean {
    return this.gone;
  }

  bool(name: string, dflt = false): boolean {
    const v = this.query.get(name);
    if (v === null) return dflt;
    return !/^(0|false|no|)$/i.test(v);
  }

  int(name: string, dflt?: number): number | undefined {
    const v = this.query.get(name);
    if (v === null || v === '') return dflt;
    if (!/^-?\d+$/.test(v)) throw new ApiError(400, `invalid value for ${name}: ${JSON.stringify(v)} is not an integer`);
    return Number(v);
  }

  filters(): Record<string, string[]> {
    const raw = this.query.get('filters');
    if (!raw) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new ApiError(400, `invalid filter: ${raw}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ApiError(400, `invalid filter: ${raw}`);
    const out: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      // Docker's two forms: {"label": ["a=b"]} and the older {"label": {"a=b": true}}.
      if (Array.isArray(v)) out[k] = v.map(String);
      else if (v && typeof v === 'object') out[k] = Object.entries(v).filter(([, on]) => on).map(([value]) => value);
      else throw new ApiError(400, `invalid filter: ${raw}`);
    }
    return out;
  }

  async json<T>(): Promise<T> {
    const chunks: Buffer[] = [];
    for await (const c of this.bodyStream()) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text.trim()) return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new ApiError(400, `invalid JSON: ${(err as Error).message}`);
    }
  }

  bodyStream(): NodeJS.ReadableStream {
    return this.req;
  }

  send(status: number, body?: unknown): void {
    const text = body === undefined ? '' : `${JSON.stringify(body)}\n`;
    this.res.writeHead(status, { ...this.init.headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    this.res.end(this.req.method === 'HEAD' ? undefined : text);
  }

  empty(status = 204): void {
    this.res.writeHead(status, this.init.headers);
    this.res.end();
  }

  hijack(contentType = 'application/vnd.docker.raw-stream'): Duplex {
    const socket = this.init.socket;
    this.hijacked = true;
    const upgrade = /\bupgrade\b/i.test(String(this.req.headers.connection ?? '')) && !!this.req.headers.upgrade;
    const extra = Object.entries(this.init.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    if (upgrade) {
      socket.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n${extra}\r\n`);
      if (this.init.head?.length) socket.unshift(this.init.head);
      watchPeer(socket);
      return socket;
    }
    // Not upgraded: the stream is the response's (chunked) body; stdin cannot come this way.
    const res = this.res;
    res.writeHead(200, { ...this.init.headers, 'Content-Type': contentType });
    const body = new Duplex({
      read() {},
      write(chunk, _enc, done) {
        res.write(chunk, done);
      },
      final(done) {
        res.end(done);
      },
    });
    body.push(null);
    res.once('close', () => body.destroy());
    return body;
  }
}
