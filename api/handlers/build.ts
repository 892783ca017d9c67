// POST /build: the request body is the build context (a tar, plain or gzip), built by the engine
// `tspod build` uses; its progress comes back as the legacy builder's JSON stream, one
// {"stream": ...} a line, the image's ID as {"aux": {"ID": ...}}, a failure as Docker's error. The
// context is received whole into a temporary file (api/spool.ts) before the build takes the queue.
import { Writable } from 'node:stream';
import type { ApiContext, RouteTable } from '../types';
import { apiFailure } from '../errors';
import { buildEndMessages, buildOptionsFromQuery, dockerBuildLine } from '../docker/image-build';
import { errorMessage } from '../docker/image-progress';
import { registryConfigCreds } from '../docker/image-auth';
import { referenceOf } from '../docker/image-summary';
import { jsonStream } from './images';
import { withUpload } from '../spool';

export function routes(r: RouteTable): void {
  r.add('POST', '/build', build);
}

/** The engine's output as stream messages, a line at a time (a RUN's partial line waits for its end, or the build's). */
function lineWriter(send: (line: string) => void): Writable {
  let rest = '';
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) send(p);
      done();
    },
    final(done) {
      if (rest) send(rest);
      rest = '';
      done();
    },
  });
}

async function build(ctx: ApiContext): Promise<void> {
  const opts = buildOptionsFromQuery(ctx.query, ctx.engine.buildDefaults('-', []), ctx.engine.hostArch());
  const creds = registryConfigCreds(ctx.req.headers['x-registry-config']);
  if (creds) opts.pulling = { creds };
  // The context is received whole before the build takes the queue (a client may send it slowly).
  await withUpload(ctx, 'build-context', (upload) => buildFrom(ctx, opts, upload.open()));
}

async function buildFrom(ctx: ApiContext, opts: ReturnType<typeof buildOptionsFromQuery>, context: NodeJS.ReadableStream): Promise<void> {
  const emit = jsonStream(ctx);
  const out = lineWriter((line) => {
    const l = dockerBuildLine(line);
    if (l !== undefined && !opts.quiet) emit({ stream: `${l}\n` });
  });
  // Warnings and pull progress come on the build's stderr: Docker's stream has one channel.
  const err = lineWriter((line) => {
    if (!opts.quiet) emit({ stream: `${line}\n` });
  });
  try {
    const report = await ctx.exclusive(() => ctx.engine.builds.build(opts, { stdin: context, stdout: out, stderr: err }));
    await Promise.all([new Promise((r) => out.end(r)), new Promise((r) => err.end(r))]);
    for (const m of buildEndMessages(report.id, opts.tags.map((t) => referenceOf(t, null)), opts.quiet)) emit(m);
  } catch (e) {
    out.end();
    err.end();
    emit(errorMessage(apiFailure(e).message));
  }
  ctx.res.end();
}
