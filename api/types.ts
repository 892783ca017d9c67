// The API server's contract between its core (server.ts, router.ts, context.ts) and the handlers
// (api/handlers/*.ts): a handler gets one request's context and answers through it. Handlers reach
// the engine only through ctx.engine (libpod's facade) and libpod/entities, as commands do.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Engine } from '../libpod/engine';

/** One request, as a handler sees it. */
export interface ApiContext {
  readonly req: http.IncomingMessage;
  /** Path parameters by name ({name} in the route's pattern), URL-decoded. */
  readonly params: Record<string, string>;
  /** The query string. */
  readonly query: URLSearchParams;
  /** The API version the client asked for in the path (/v1.41/...), or the server's (1.41). */
  readonly version: string;
  /**
   * The engine for this request, made on first use and closed when the request ends (a fresh
   * one each time: nothing cached from another process's change, nothing kept to grow).
   */
  readonly engine: Engine;
  /**
   * Runs fn while no other engine operation of this server runs. The engine's crash repairs take a
   * lock or a half-made start of their own process for a leftover of a killed run (a `start` after
   * a killed `run` must not start it twice), so two container operations of one process must not
   * interleave: every operation that changes state (create, start, remove...) goes through here.
   * Pull and push take no container's lock and run beside it. Long streams (logs -f, attach, events, wait) must not: they resolve their object in
   * here and stream outside. Nor may bytes from or to a client, which can be slow: bodies (archive
   * PUT, load, import, build) and archives (export, archive GET, save) pass through a temporary file
   * (api/spool.ts), only the engine's side of it in here.
   */
  exclusive<T>(fn: () => Promise<T> | T): Promise<T>;
  /** A query flag: 1/true/yes are true, 0/false/no/empty are false, absent is dflt. */
  bool(name: string, dflt?: boolean): boolean;
  /** A query integer, or dflt when absent; a malformed one is a 400. */
  int(name: string, dflt?: number): number | undefined;
  /** Docker's `filters` query parameter (a JSON map of lists or of {value: true}) as name → values. */
  filters(): Record<string, string[]>;
  /** The body parsed as JSON ({} when empty); malformed JSON is a 400 with Docker's wording. */
  json<T = Record<string, unknown>>(): Promise<T>;
  /** The raw body as a stream; a tar upload is received whole first with api/spool.ts's withUpload. */
  bodyStream(): NodeJS.ReadableStream;
  /** Sends a JSON answer with the status (200 by default). */
  send(status: number, body?: unknown): void;
  /** Sends an empty answer (204 by default; 304 for "already started"). */
  empty(status?: number): void;
  /** The response, for handlers that stream (chunked): headers are theirs to write. */
  readonly res: http.ServerResponse;
  /**
   * Takes the connection over for a raw stream (attach, exec start): answers 101 UPGRADED when the
   * client asked to upgrade (`Upgrade: tcp`), else 200 with Docker's raw-stream content type, and
   * gives the socket to read stdin from and write the stream to. The request ends when the socket
   * closes.
   */
  hijack(contentType?: string): Duplex;
  /** Resolves when the client goes away (for streams: stop following). */
  readonly closed: Promise<void>;
  /** Aborted when the client goes away: for engine calls that take a signal (wait, attach, events). */
  readonly signal: AbortSignal;
  /** Whether the client has gone away. */
  isClosed(): boolean;
  /**
   * Keeps the service from its idle exit, as an open request does, until the returned function is
   * called (once is enough; more calls do nothing): for work that outlives its request, such as an
   * exec session that runs on after its start was answered (Detach) or its client detached.
   */
  holdOpen(): () => void;
}

export type Handler = (ctx: ApiContext) => Promise<void> | void;

/** Each handlers module exports `routes(r)` and adds its endpoints with r.add. */
export interface RouteTable {
  /** pattern: a path without version prefix, with {name} parameters: '/containers/{name}/json'. */
  add(method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE', pattern: string, handler: Handler): void;
}

/** An error answered as Docker's {"message": ...} with the status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The API versions served: the newest (reported) and the oldest accepted. */
export const API_VERSION = '1.41';
export const MIN_API_VERSION = '1.24';
