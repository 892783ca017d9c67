// A container's streams and files: attach (hijacked; Docker's framing without a TTY), logs
// (framed likewise; follow until the container stops or the client goes), export (a tar of the
// rootfs) and archive GET/HEAD/PUT (a path as a tar, and its stat), through the same engine calls
// as `tspod attach`, `logs`, `export` and `cp`. Export and archive bytes pass through a temporary
// file (api/spool.ts): the engine's part takes the queue, the client's does not.
import { PassThrough, Writable } from 'node:stream';
import { parseDetachKeys } from '../../src/detach-keys';
import { frame, framedWriter, STDERR, STDOUT } from '../stream-frames';
import { ApiError, type ApiContext, type RouteTable } from '../types';
import { pathStat, statHeader } from '../docker/archive-stat';
import { sendSpooled, withUpload } from '../spool';

export function routes(r: RouteTable): void {
  r.add('GET', '/containers/{name}/logs', logs);
  r.add('POST', '/containers/{name}/attach', attach);
  r.add('GET', '/containers/{name}/export', exportRootfs);
  // HEAD before GET: the router lets HEAD take a GET route, and Docker's CLI asks HEAD before each cp.
  r.add('HEAD', '/containers/{name}/archive', archiveHead);
  r.add('GET', '/containers/{name}/archive', archiveGet);
  r.add('PUT', '/containers/{name}/archive', archivePut);
}

const nowhere = () => new Writable({ write: (_c, _e, done) => done() }) as unknown as NodeJS.WriteStream;

/** Docker's since/until: seconds since the epoch, maybe with a fraction; 0 or absent is none. As ms. */
function epochMs(ctx: ApiContext, name: string): number | undefined {
  const v = ctx.query.get(name);
  if (v === null || v === '' || v === '0') return undefined;
  if (!/^\d+(\.\d+)?$/.test(v)) throw new ApiError(400, `invalid value for ${name}: ${JSON.stringify(v)} is not a time in seconds since the epoch`);
  return Math.floor(Number(v) * 1000);
}

function tailOf(ctx: ApiContext): number | undefined {
  const v = ctx.query.get('tail');
  if (v === null || v === '' || v === 'all') return undefined;
  if (!/^-?\d+$/.test(v)) throw new ApiError(400, `invalid value for tail: ${JSON.stringify(v)}: give a number of lines or "all"`);
  return Number(v) < 0 ? undefined : Number(v);
}

const contentType = (tty: boolean) => (tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream');

async function logs(ctx: ApiContext): Promise<void> {
  const stdout = ctx.bool('stdout');
  const stderr = ctx.bool('stderr');
  if (!stdout && !stderr) throw new ApiError(400, 'Bad parameters: you must choose at least one stream');
  const opts = { follow: ctx.bool('follow'), since: epochMs(ctx, 'since'), until: epochMs(ctx, 'until'), tail: tailOf(ctx), timestamps: ctx.bool('timestamps'), stopFollowing: () => ctx.isClosed() };
  const c = ctx.engine.containers.resolve(ctx.params.name);
  const tty = c.spec.terminal;
  // The engine refuses a container without a readable log before anything is sent.
  let started = false;
  const res = ctx.res;
  const begin = () => {
    if (started) return;
    started = true;
    res.writeHead(200, { 'Content-Type': contentType(tty) });
    res.flushHeaders();
  };
  const out = framedWriter(res, STDOUT, tty);
  const err = framedWriter(res, STDERR, tty);
  const firstWrite = (w: NodeJS.WriteStream, on: boolean) =>
    new Writable({
      write(chunk: Buffer, _e, done) {
        if (!on || ctx.isClosed()) return done();
        begin();
        w.write(chunk, () => done());
      },
    });
  const outW = firstWrite(out, stdout);
  const errW = firstWrite(err, stderr);
  if (opts.follow) {
    // A follower sees the headers at once (docker logs -f shows nothing until there is a line otherwise).
    ctx.engine.containers.logs([c.id], { ...opts, follow: false, tail: 0 }, nowhere(), nowhere()).then(begin, () => undefined);
  }
  await ctx.engine.containers.logs([c.id], opts, outW, errW);
  // Lines still passing through the writers go out before the end (a write after it would throw).
  const drained = (w: Writable) => new Promise<void>((r) => w.end(() => r()));
  await drained(outW);
  await drained(errW);
  await drained(out as unknown as Writable);
  await drained(err as unknown as Writable);
  begin();
  res.end();
}

async function attach(ctx: ApiContext): Promise<void> {
  const wantIn = ctx.bool('stdin');
  const wantOut = ctx.bool('stdout');
  const wantErr = ctx.bool('stderr');
  const withLogs = ctx.bool('logs');
  const stream = ctx.bool('stream');
  const detachKeys = parseDetachKeys(ctx.query.get('detachKeys') ?? 'ctrl-p,ctrl-q');
  const c = ctx.engine.containers.resolve(ctx.params.name);
  const tty = c.spec.terminal;
  const sock = ctx.hijack(contentType(tty));
  sock.on('error', () => undefined); // a client gone mid-stream: what is left goes nowhere
  const out = wantOut ? framedWriter(sock, STDOUT, tty) : nowhere();
  const err = wantErr ? framedWriter(sock, STDERR, tty) : nowhere();
  try {
    if (withLogs) await ctx.engine.containers.logs([c.id], { follow: false, timestamps: false }, out, err);
    if (!stream) return;
    if (c.state === 'running') {
      // A live attach to the monitor: its output from now on, our stdin to the container.
      await attachLive(ctx, c.id, sock, { stdin: wantIn, detachKeys, out, err });
      return;
    }
    if (c.state !== 'created' && c.state !== 'initialized') return; // stopped: nothing more will come
    // docker run attaches before it starts the container: connected to its monitor as soon as that
    // listens (before the container runs), nothing it prints is missed.
    try {
      await attachLive(ctx, c.id, sock, { stdin: wantIn, detachKeys, out, err, waitForStart: true });
    } catch (e) {
      // It ran and ended between two looks: its output is all in its log (empty at create).
      if ((e as { code?: string }).code !== 'ESTATE') throw e;
      await ctx.engine.containers.logs([c.id], { follow: false, timestamps: false }, out, err);
    }
  } catch (e) {
    if (!ctx.isClosed()) sock.write(tty ? Buffer.from(`${(e as Error).message}\r\n`) : frame(STDERR, Buffer.from(`${(e as Error).message}\n`)));
  } finally {
    sock.end();
  }
}

/** Attaches to the monitor of a running container: stdin from the client when asked, until it exits, detaches or the client goes. */
async function attachLive(ctx: ApiContext, id: string, sock: NodeJS.ReadableStream & NodeJS.WritableStream, o: { stdin: boolean; detachKeys: Buffer; out: NodeJS.WriteStream; err: NodeJS.WriteStream; waitForStart?: boolean }): Promise<void> {
  const input = new PassThrough();
  if (o.stdin) sock.pipe(input);
  const waitForStart = o.waitForStart ? { cancelled: () => ctx.isClosed() } : undefined;
  // The signal ends the session when the client goes (the container runs on, as after the detach
  // keys): else it would last, and keep the service up, until the container exits.
  await ctx.engine.containers.attach(id, { noStdin: !o.stdin, detachKeys: o.detachKeys, waitForStart, signal: ctx.signal }, { input: input as unknown as NodeJS.ReadStream, stdout: o.out, stderr: o.err });
  sock.unpipe(input);
}

async function exportRootfs(ctx: ApiContext): Promise<void> {
  const c = ctx.engine.containers.resolve(ctx.params.name);
  await sendSpooled(ctx, 'export', { 'Content-Type': 'application/x-tar' }, (out) => ctx.engine.containers.exportRootfs(c.id, { out }));
}

function archivePath(ctx: ApiContext): string {
  const p = ctx.query.get('path');
  if (!p) throw new ApiError(400, 'path is required: give the path in the container, e.g. ?path=/etc');
  return p;
}

/** The stat of the path (404 when nothing is there), for the header. */
async function statOf(ctx: ApiContext, cpath: string): Promise<{ header: string; isDir: boolean }> {
  const c = ctx.engine.containers.resolve(ctx.params.name);
  const st = await ctx.exclusive(() => ctx.engine.containers.pathStat(c.id, cpath));
  if (!st) throw new ApiError(404, `Could not find the file ${cpath} in container ${ctx.params.name}`);
  return { header: statHeader(pathStat(cpath, st.stat, st.linkTarget)), isDir: st.stat.isDirectory() };
}

async function archiveHead(ctx: ApiContext): Promise<void> {
  const { header } = await statOf(ctx, archivePath(ctx));
  ctx.res.writeHead(200, { 'X-Docker-Container-Path-Stat': header, 'Content-Type': 'application/x-tar' });
  ctx.res.end();
}

async function archiveGet(ctx: ApiContext): Promise<void> {
  const cpath = archivePath(ctx);
  const { header } = await statOf(ctx, cpath);
  await sendSpooled(ctx, 'archive', { 'X-Docker-Container-Path-Stat': header, 'Content-Type': 'application/x-tar' }, (stdout) =>
    ctx.engine.containers.copy(`${ctx.params.name}:${cpath}`, '-', { archive: false, followLink: false, stdout }),
  );
}

async function archivePut(ctx: ApiContext): Promise<void> {
  const cpath = archivePath(ctx);
  const { isDir } = await statOf(ctx, cpath);
  if (!isDir) throw new ApiError(400, `${cpath} in container ${ctx.params.name} is not a directory: a tar is unpacked into a directory`);
  // copyUIDGID: what is written belongs to the container's user (cp --archive); else the tar's owners.
  await withUpload(ctx, 'archive', (upload) =>
    ctx.exclusive(() => ctx.engine.containers.copy('-', `${ctx.params.name}:${cpath}`, { archive: ctx.bool('copyUIDGID'), followLink: false, stdin: upload.open() })),
  );
  ctx.empty(200);
}
