// Exec sessions: create (kept in this service's memory by ID), start (hijacked: the process's
// stdin from the client, its stdout/stderr to it, framed unless it has a TTY; or detached),
// resize (a TTY's size) and inspect (Running, ExitCode, Pid). The process runs through the same
// engine call as `tspod exec`, on the connection's streams instead of tspod's own stdio; while it
// runs it holds the service up (ctx.holdOpen), since it and its session live in this process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable, type Duplex } from 'node:stream';
import { randomHex } from '../../src/random';
import { parseDetachKeys } from '../../src/detach-keys';
import { frame, framedWriter, STDERR, STDOUT } from '../stream-frames';
import { ApiError, type ApiContext, type RouteTable } from '../types';
import { execInspect, parseExecCreate, parseSize, type ExecSession } from '../docker/exec-session';
import type { Engine } from '../../libpod/engine';

/** The sessions of this service, by ID. Ended ones are forgotten after FORGET_MS. */
type LiveSession = ExecSession & { createdAt?: number; resize?: (rows: number, cols: number) => void; readPid?: () => void };
const sessions = new Map<string, LiveSession>();
const FORGET_MS = 10 * 60_000;

export function routes(r: RouteTable): void {
  r.add('POST', '/containers/{name}/exec', create);
  r.add('POST', '/exec/{id}/start', start);
  r.add('POST', '/exec/{id}/resize', resize);
  r.add('GET', '/exec/{id}/json', inspect);
}

function forgetOld(): void {
  const now = Date.now();
  // Ended ones after a while, and ones created but never started (docker-py makes some it never runs).
  for (const [id, s] of sessions) if ((s.endedAt !== undefined && now - s.endedAt > FORGET_MS) || (!s.started && now - (s.createdAt ?? now) > FORGET_MS)) sessions.delete(id);
}

function session(ctx: ApiContext): LiveSession {
  const s = sessions.get(ctx.params.id);
  if (!s) throw new ApiError(404, `no such exec instance: ${ctx.params.id}`);
  return s;
}

async function create(ctx: ApiContext): Promise<void> {
  const config = parseExecCreate(await ctx.json());
  const c = await ctx.exclusive(() => ctx.engine.containers.resolve(ctx.params.name));
  if (c.state !== 'running') throw new ApiError(409, `container ${c.id} is not running`);
  forgetOld();
  const id = randomHex(32);
  sessions.set(id, { id, containerId: c.id, config, running: false, exitCode: null, pid: 0, started: false, createdAt: Date.now() });
  ctx.send(201, { Id: id });
}

function inspect(ctx: ApiContext): void {
  const s = session(ctx);
  s.readPid?.();
  ctx.send(200, execInspect(s));
}

function resize(ctx: ApiContext): void {
  const s = session(ctx);
  const size = parseSize(ctx.int('h'), ctx.int('w'));
  if (!s.running) throw new ApiError(409, `exec ${s.id} is not running: it can be resized only while it runs`);
  s.resize?.(size.rows, size.cols);
  ctx.empty(200);
}

const nowhere = () => new Writable({ write: (_c, _e, done) => done() });

type StartBody = { Detach?: boolean; Tty?: boolean; ConsoleSize?: [number, number] };

/** Whether the client asked to upgrade: its body then comes on the socket, before stdin. */
const upgrading = (ctx: ApiContext) => /\bupgrade\b/i.test(String(ctx.req.headers.connection ?? '')) && !!ctx.req.headers.upgrade;

/**
 * The start body of an upgrade request: node hands the bytes after the head over with the socket,
 * so the body (Content-Length of them) is read from it, and what follows is the process's stdin.
 */
function readUpgradeBody(sock: Duplex, length: number): Promise<StartBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const done = () => {
      sock.off('readable', onReadable);
      sock.off('end', done);
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text.trim() ? (JSON.parse(text) as StartBody) : {});
      } catch {
        resolve({});
      }
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      while (got < length && (chunk = sock.read() as Buffer | null) !== null) {
        const need = length - got;
        if (chunk.length > need) {
          sock.unshift(chunk.subarray(need));
          chunk = chunk.subarray(0, need);
        }
        chunks.push(chunk);
        got += chunk.length;
      }
      if (got >= length) done();
    };
    if (length <= 0) return resolve({});
    sock.on('readable', onReadable);
    sock.on('end', done);
    onReadable();
  });
}

async function start(ctx: ApiContext): Promise<void> {
  const s = session(ctx);
  const upgrade = upgrading(ctx);
  let body: StartBody = upgrade ? {} : await ctx.json<StartBody>();
  if (s.started) throw new ApiError(409, `exec ${s.id} has already run: create another exec instance`);
  s.started = true; // before any await: a second start at the same moment is refused too
  const c = await ctx.exclusive(() => ctx.engine.containers.resolve(s.containerId));
  if (c.state !== 'running') {
    s.started = false;
    throw new ApiError(409, `container ${c.id} is not running`);
  }
  // An upgraded start is always attached (Docker's CLI upgrades only then); its body follows the head.
  const sock = upgrade ? ctx.hijack(s.config.tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream') : undefined;
  if (sock) body = { ...(await readUpgradeBody(sock, Number(ctx.req.headers['content-length'] ?? 0))), Detach: false };
  const tty = sock ? s.config.tty : (body.Tty ?? s.config.tty);
  const opts = { interactive: s.config.attachStdin && !body.Detach, tty, env: s.config.env, envFiles: [], user: s.config.user, workdir: s.config.workdir, privileged: s.config.privileged };
  const pidFile = path.join(os.tmpdir(), `tspod-exec-${s.id.slice(0, 16)}.pid`);
  // The PID once the runtime wrote it; the session runs until the process ends.
  const readPid = () => {
    if (s.pid) return;
    const text = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').trim() : '';
    if (/^\d+$/.test(text)) {
      s.pid = Number(text);
      clearInterval(watchPid);
    }
  };
  const watchPid = setInterval(readPid, 20);
  s.readPid = readPid; // inspect reads it too, when asked before the next tick
  const run = async (engine: Engine, io: Parameters<Engine['containers']['exec']>[3]): Promise<number> => {
    s.running = true;
    // The process is this service's child, and its session lives only in this service's memory:
    // the service stays up while it runs (detached, or its client detached or went away), so that
    // its end is recorded and inspect still answers.
    const release = ctx.holdOpen();
    try {
      return await engine.containers.exec(s.containerId, s.config.cmd, opts, io);
    } finally {
      release();
      readPid();
      s.readPid = undefined;
      clearInterval(watchPid);
      fs.rmSync(pidFile, { force: true });
    }
  };
  const ended = (code: number | undefined) => {
    s.running = false;
    s.exitCode = code ?? 126;
    s.endedAt = Date.now();
  };
  if (body.Detach) {
    // Its own engine: the request's closes when the answer is sent, the process runs on.
    const engine = ctx.engine.fresh();
    // Nobody reads its output: without a terminal it gets none of our pipes, so that it lives on
    // should the service be stopped while it runs (a write to a broken pipe would kill it).
    run(engine, { stdout: nowhere(), stderr: nowhere(), pidFile, tty, discard: true })
      .then(ended, (err: { exitCode?: number }) => ended(err.exitCode))
      .finally(() => engine.close());
    ctx.empty(200);
    return;
  }
  const conn = sock ?? ctx.hijack(tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream');
  conn.on('error', () => undefined); // a client gone mid-stream: what is left goes nowhere
  let detached = false;
  // What goes to the client, until it goes or detaches (the process may run on).
  const out = new Writable({
    write(chunk: Buffer, _e, done) {
      if (detached || ctx.isClosed() || conn.writableEnded) return done();
      conn.write(chunk, () => done());
    },
  });
  const stdout = s.config.attachStdout ? framedWriter(out, STDOUT, tty) : nowhere();
  const stderr = s.config.attachStderr ? framedWriter(out, tty ? STDOUT : STDERR, tty) : nowhere();
  // stdin: what the client sends until it closes its side; nothing when not attached. With a TTY
  // the detach keys (keystrokes; ctrl-p ctrl-q unless the session names others) leave the process
  // running and end the connection, as Docker's exec does.
  const stdin = new PassThrough();
  const keys = tty ? parseDetachKeys(s.config.detachKeys || 'ctrl-p,ctrl-q') : Buffer.alloc(0);
  let matched = 0;
  let finish: () => void = () => undefined;
  const detachedPromise = new Promise<void>((resolve) => (finish = resolve));
  const onInput = (chunk: Buffer) => {
    if (keys.length) {
      for (const b of chunk) {
        matched = b === keys[matched] ? matched + 1 : b === keys[0] ? 1 : 0;
        if (matched === keys.length) {
          detached = true;
          conn.off('data', onInput);
          finish();
          return;
        }
      }
    }
    if (!stdin.write(chunk)) {
      conn.pause();
      stdin.once('drain', () => conn.resume());
    }
  };
  if (opts.interactive) {
    conn.on('data', onInput);
    // The client's side ends cleanly ('end'), or the connection is reset or dropped ('close' with
    // no 'end'): either way no more input comes, and the process must see its stdin end.
    const noMoreInput = () => {
      if (!detached && !stdin.writableEnded) stdin.end();
    };
    conn.once('end', noMoreInput);
    conn.once('close', noMoreInput);
  } else stdin.end();
  // Once the process is gone its stdin ends too: the runtime and script(1) (a terminal exec) then
  // finish even while the client keeps its side open (docker exec -it waits for us to close).
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  const endInput = setInterval(() => {
    if (s.pid && !alive(s.pid)) {
      clearInterval(endInput);
      if (!stdin.writableEnded) stdin.end();
    }
  }, 250);
  endInput.unref();
  const size = body.ConsoleSize;
  // Its own engine, closed when the process ends: a detached session outlives the request's.
  const engine = ctx.engine.fresh();
  let code: number | undefined;
  try {
    const running = run(engine, {
      stdin,
      stdout,
      stderr,
      pidFile,
      tty,
      ...(size && size[0] > 0 && size[1] > 0 ? { size: { rows: size[0], cols: size[1] } } : {}),
      onResizer: (fn: (rows: number, cols: number) => void) => (s.resize = fn),
    });
    running.then(() => engine.close(), () => engine.close());
    const first = await Promise.race([running.then((c) => ({ code: c })), detachedPromise.then(() => undefined)]);
    if (first) code = first.code;
    else {
      // Detached: the session runs on; its end is recorded when it comes.
      running.then(ended, () => ended(undefined)).finally(() => {
        s.resize = undefined;
        clearInterval(endInput);
      });
      conn.off('data', onInput);
      conn.end();
      return;
    }
  } catch (err) {
    code = (err as { exitCode?: number }).exitCode;
    if (!ctx.isClosed()) conn.write(tty ? Buffer.from(`${(err as Error).message}\r\n`) : frame(STDERR, Buffer.from(`${(err as Error).message}\n`)));
  }
  ended(code);
  clearInterval(endInput);
  s.resize = undefined;
  conn.off('data', onInput);
  // What the writers still hold goes out before the end (out drops writes once conn has ended).
  const drained = (w: NodeJS.WritableStream) => new Promise<void>((r) => w.end(() => r()));
  await drained(stdout);
  await drained(stderr);
  await drained(out);
  conn.end();
}
