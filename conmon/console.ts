// Streams over the container's pty master (received from the runtime by ffi.receiveConsoleFd):
// what the container prints comes out of `output`, keystrokes go into `input`. When every
// process has closed the slave side, reading the master fails with EIO: that is end of stream.
import { PassThrough } from 'node:stream';
import tty from 'node:tty';

export interface PtyStreams {
  output: NodeJS.ReadableStream;
  input: NodeJS.WritableStream;
  /** Closes the master fd and ends output. */
  close(): void;
}

export function ptyStreams(fd: number): PtyStreams {
  // One tty.ReadStream (a libuv TTY handle: non-blocking fd polled by epoll) reads and writes, as
  // node-pty does; net.Socket rejects a TTY fd and fs streams park a threadpool thread in read().
  const pty = new tty.ReadStream(fd);
  // The socket reports EIO as an error without 'end' (libuv reports EOF instead only when the
  // hangup comes with the last data), so output is a separate stream that ends cleanly on either;
  // pipe() keeps backpressure on the pty.
  const output = new PassThrough();
  pty.pipe(output);
  pty.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EIO') output.end();
    else output.destroy(err);
  });
  pty.on('close', () => output.end());
  return {
    output,
    input: pty,
    close: () => {
      pty.destroy();
      output.end();
    },
  };
}
