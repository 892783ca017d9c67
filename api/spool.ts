// Spooling through a temporary file, so that a slow or stalled client never holds the service's
// exclusive queue: an upload is received whole into a file before its engine call (outside the
// queue), which then reads the file; a download is written by its engine call into a file (inside
// the queue) and sent from it afterwards (outside). The file is removed whatever happens; its streams
// are opened at once (not later, when the file may be gone) and closed with it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { ApiError, type ApiContext } from './types';

/**
 * A new private file name in the store's tmp directory: on disk beside the layers (an image archive
 * would fill the runroot's tmpfs), where the engine spools its own uploads, and where the layer
 * store's garbage collection removes what a killed service left (names `api-<pid>-`).
 */
function spoolPath(ctx: ApiContext, what: string): string {
  const dir = path.join(ctx.engine.paths.root, 'tmp');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return path.join(dir, `api-${process.pid}-${what}-${crypto.randomBytes(6).toString('hex')}.tar`);
}

/** The request body, received whole: its file, and streams of it closed once the upload is done with. */
export interface Upload {
  readonly file: string;
  open(): Readable;
}

/**
 * Receives the request body whole into a private temporary file (outside the queue: a client may
 * send slowly), then runs use (the engine call, which takes the queue itself) and removes the file.
 * A client that goes before the body's end gets no engine call: nothing is made.
 */
export async function withUpload<T>(ctx: ApiContext, what: string, use: (upload: Upload) => Promise<T>): Promise<T> {
  const file = spoolPath(ctx, what);
  const opened: Readable[] = [];
  try {
    try {
      await pipeline(ctx.bodyStream(), fs.createWriteStream(file, { fd: fs.openSync(file, 'wx', 0o600) }));
    } catch (err) {
      // An error of the file (a full disk) has a syscall; anything else is the body cut off.
      if ((err as NodeJS.ErrnoException).syscall || ctx.req.complete) throw err;
      throw new ApiError(400, `the request body was cut off before its end (the client went away): nothing was done; send the whole ${what} again`);
    }
    return await use({
      file,
      open: () => {
        const s = fs.createReadStream(file, { fd: fs.openSync(file, 'r') });
        opened.push(s);
        return s;
      },
    });
  } finally {
    for (const s of opened) s.destroy();
    fs.rmSync(file, { force: true });
  }
}

/**
 * Runs produce (the engine call) in the queue, writing into a private temporary file, then sends
 * the file as the answer (200 with the headers and its length) outside the queue, and removes it.
 * An engine error comes before any byte is sent: it is the request's error status. A client gone
 * while the engine writes ends the writing; gone mid-download, it ends the sending.
 */
export async function sendSpooled(ctx: ApiContext, what: string, headers: Record<string, string>, produce: (out: Writable) => Promise<void>): Promise<void> {
  const file = spoolPath(ctx, what);
  try {
    // A client that goes while the engine writes stops the writing: the queue is not held for an
    // archive nobody will read (its engine call fails on the destroyed file, and that is no error).
    const gone = await ctx.exclusive(async () => {
      if (ctx.isClosed()) return true;
      const out = fs.createWriteStream(file, { fd: fs.openSync(file, 'wx', 0o600) });
      const stop = () => out.destroy(new Error('the client went away'));
      ctx.signal.addEventListener('abort', stop, { once: true });
      try {
        await produce(out);
        if (!out.writableEnded) out.end();
        await finished(out);
      } catch (err) {
        if (!ctx.isClosed()) throw err;
      } finally {
        ctx.signal.removeEventListener('abort', stop);
        out.destroy();
      }
      return ctx.isClosed();
    });
    if (gone) return;
    ctx.res.writeHead(200, { ...headers, 'Content-Length': String(fs.statSync(file).size) });
    if (ctx.req.method === 'HEAD') {
      ctx.res.end();
      return;
    }
    try {
      await pipeline(fs.createReadStream(file, { fd: fs.openSync(file, 'r') }), ctx.res);
    } catch (err) {
      if (!ctx.isClosed() && !ctx.res.destroyed) throw err;
      ctx.res.end(); // the client went away: the answer is over
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
}
