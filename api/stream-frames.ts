// Docker's multiplexed stream (stdcopy): without a TTY, attach, logs and exec send each chunk as an
// 8-byte header (stream 0 stdin, 1 stdout, 2 stderr; three zero bytes; big-endian length) and the
// bytes. With a TTY the bytes go as they are.

export const STDOUT = 1;
export const STDERR = 2;

/** One chunk with its header. */
export function frame(stream: number, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(data.length, 4);
  return Buffer.concat([head, data]);
}

/** Splits a multiplexed stream back into chunks (for tests and clients); rest is what is left over. */
export function unframe(buf: Buffer): { chunks: Array<{ stream: number; data: Buffer }>; rest: Buffer } {
  const chunks: Array<{ stream: number; data: Buffer }> = [];
  let at = 0;
  while (buf.length - at >= 8) {
    const len = buf.readUInt32BE(at + 4);
    if (buf.length - at - 8 < len) break;
    chunks.push({ stream: buf[at], data: buf.subarray(at + 8, at + 8 + len) });
    at += 8 + len;
  }
  return { chunks, rest: buf.subarray(at) };
}

/** A writable that frames what is written to it as stream `stream` onto out (or passes it through for a TTY). */
export function framedWriter(out: NodeJS.WritableStream, stream: number, tty: boolean): NodeJS.WriteStream {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Writable } = require('node:stream') as typeof import('node:stream');
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!chunk.length) return done();
      out.write(tty ? chunk : frame(stream, chunk), () => done());
    },
  }) as unknown as NodeJS.WriteStream;
}
