// The API service for integration tests: `tspod system service` started as the test user on a
// socket in its store's directory, plain HTTP requests to it (as a client would make them), and
// Docker's own CLI pointed at it with DOCKER_HOST.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { asUser, run, tspodBin, type RunOptions, type RunResult, type Store } from './harness';

export interface ApiResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body as JSON (undefined when it is not JSON). */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export class ApiService {
  readonly socket: string;
  child?: ChildProcess;
  stderr = '';
  exited?: Promise<number | null>;

  constructor(
    readonly store: Store,
    name = 'api.sock',
  ) {
    this.socket = path.join(store.dir, name);
  }

  get host(): string {
    return `unix://${this.socket}`;
  }

  /** Starts the service (idle time in seconds, 0 = never) and waits until it answers _ping. */
  async start(idleSeconds = 0, extraArgs: string[] = [], env: Record<string, string> = {}): Promise<void> {
    const argv = asUser([tspodBin, '--root', this.store.root, '--runroot', this.store.runroot, ...extraArgs, 'system', 'service', '--time', String(idleSeconds), this.host], env, this.store.user);
    this.stderr = '';
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr!.on('data', (d) => (this.stderr += d));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}: ${this.stderr}`);
      if (fs.existsSync(this.socket)) {
        try {
          if ((await this.request('GET', '/_ping')).status === 200) return;
        } catch {
          // not listening yet
        }
      }
      if (Date.now() > deadline) throw new Error(`the service did not answer within 30 s: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the service (SIGTERM to runuser, which passes it on) and waits for it. */
  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    await this.exited;
  }

  /** One HTTP request over the socket; body: an object (sent as JSON), a Buffer, or a string. */
  request(method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      const req = http.request({ socketPath: this.socket, agent: false, method, path: urlPath, headers: { Host: 'docker', ...(data && !Buffer.isBuffer(body) && typeof body !== 'string' ? { 'Content-Type': 'application/json' } : {}), ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          const text = buf.toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, json, text });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(data);
    });
  }

  /**
   * A request on a raw connection, as a slow client makes it: the head (with the headers given,
   * Content-Length among them for an upload) and as much of the body as given, nothing more. The
   * socket is the test's to pause, feed or destroy.
   */
  rawRequest(method: string, urlPath: string, headers: Record<string, string> = {}, body?: Buffer): net.Socket {
    const sock = net.connect(this.socket);
    sock.on('error', () => undefined);
    const head = Object.entries({ Host: 'docker', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    sock.write(`${method} ${urlPath} HTTP/1.1\r\n${head}\r\n`);
    if (body) sock.write(body);
    return sock;
  }

  /** The service's spooled request and answer bodies (api/spool.ts) in the store's tmp directory now. */
  spoolFiles(): string[] {
    const dir = path.join(this.store.root, 'tmp');
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.startsWith('api-')) : [];
  }

  /** Docker's CLI as the test user, pointed at this service. */
  docker(args: string[], opts: RunOptions = {}): RunResult {
    return run(['docker', ...args], { ...opts, user: this.store.user, env: { DOCKER_HOST: this.host, DOCKER_CONFIG: path.join(this.store.dir, 'docker-config'), ...opts.env } });
  }
}
