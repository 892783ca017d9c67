// The client side of the monitor's attach socket (run, start -a, attach): the container's output to
// our stdout/stderr, our stdin and terminal size to the container, the detach keys (ctrl-p ctrl-q
// by default) to leave it running, and the exit code the monitor sends once cleanup is done.
import net from 'node:net';
import { encodeFrame, FRAME, FrameDecoder } from '../../conmon/protocol';
import { RuntimeError } from '../../src/errors';

export interface AttachOptions {
  stdin: boolean;
  tty: boolean;
  /** Byte sequence that detaches; empty disables it. */
  detachKeys: Buffer;
  input: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WritableStream;
  /**
   * Run once the container exited, before the monitor would: the caller cleans up in-process
   * (CLAIM_CLEANUP / CLEANED), one process fewer between the exit and the prompt.
   */
  cleanup?: () => Promise<void>;
  /**
   * Leaves the session as the detach keys do (the container runs on): the API's client went away,
   * and only this socket to the monitor would otherwise end the session, when the container exits.
   */
  signal?: AbortSignal;
}

export interface AttachResult {
  /** The container's exit code, when it ended while attached. */
  exitCode?: number;
  detached: boolean;
  cleanupError?: Error;
}

/** Connects to the attach socket; resolves once connected with a promise of the session's end. */
export function attachTo(socketPath: string, opts: AttachOptions): Promise<{ done: Promise<AttachResult> }> {
  return new Promise((resolveConnected, rejectConnected) => {
    const sock = net.connect(socketPath);
    sock.once('error', (err) => rejectConnected(new RuntimeError(`cannot attach: ${err.message}`)));
    sock.once('connect', () => {
      sock.removeAllListeners('error');
      resolveConnected({ done: session(sock, opts) });
    });
  });
}

function session(sock: net.Socket, opts: AttachOptions): Promise<AttachResult> {
  return new Promise((resolve) => {
    const result: AttachResult = { detached: false };
    const decoder = new FrameDecoder();
    const rawMode = opts.tty && opts.stdin && opts.input.isTTY;
    const sendSize = () => {
      if (opts.stdout.isTTY && opts.stdout.rows) sock.write(encodeFrame(FRAME.RESIZE, `${opts.stdout.rows} ${opts.stdout.columns}`));
    };
    if (opts.tty) {
      sendSize();
      opts.stdout.on('resize', sendSize);
    }
    if (rawMode) opts.input.setRawMode(true);
    if (opts.cleanup) sock.write(encodeFrame(FRAME.CLAIM_CLEANUP, ''));
    // Detach keys are keystrokes: only a terminal has them (as Podman and Docker). Piped input is
    // data, and any byte sequence in it goes to the container.
    const detachKeys = opts.tty ? opts.detachKeys : Buffer.alloc(0);
    let matched = 0;
    const onInput = (chunk: Buffer) => {
      if (detachKeys.length) {
        for (const b of chunk) {
          matched = b === detachKeys[matched] ? matched + 1 : b === detachKeys[0] ? 1 : 0;
          if (matched === detachKeys.length) {
            result.detached = true;
            sock.end();
            return;
          }
        }
      }
      // Backpressure: read no more input than the monitor takes (it stops reading this socket
      // while the container's stdin is full), so that a large input never piles up in memory.
      if (!sock.write(encodeFrame(FRAME.STDIN, chunk))) {
        opts.input.pause();
        sock.once('drain', () => opts.input.resume());
      }
    };
    const onEnd = () => {
      if (!sock.destroyed) sock.write(encodeFrame(FRAME.STDIN_EOF, ''));
    };
    if (opts.stdin) {
      opts.input.on('data', onInput);
      opts.input.on('end', onEnd);
    }
    // Backpressure the other way: while our stdout (or stderr) is full, the socket is not read, the
    // monitor's side fills and it stops reading the container's output until we catch up.
    const output = (stream: NodeJS.WritableStream, data: Buffer) => {
      if (stream.write(data) || sock.isPaused()) return;
      sock.pause();
      stream.once('drain', () => sock.resume());
    };
    sock.on('data', (chunk: Buffer) => {
      for (const f of decoder.push(chunk)) {
        if (f.type === FRAME.STDOUT) output(opts.stdout, f.payload);
        else if (f.type === FRAME.STDERR) output(opts.stderr, f.payload);
        else if (f.type === FRAME.EXIT) {
          result.exitCode = Number(f.payload.toString());
          if (opts.cleanup) {
            const cleanup = opts.cleanup;
            // Without CLEANED (a failure here) the monitor runs its cleanup command itself.
            cleanup().then(
              () => sock.end(encodeFrame(FRAME.CLEANED, '')),
              (err: Error) => {
                result.cleanupError = err;
                sock.end();
              },
            );
          }
        }
      }
    });
    sock.on('error', () => undefined);
    const abandon = () => {
      result.detached = true;
      sock.end();
    };
    if (opts.signal?.aborted) abandon();
    else opts.signal?.addEventListener('abort', abandon, { once: true });
    sock.on('close', () => {
      opts.signal?.removeEventListener('abort', abandon);
      if (rawMode) opts.input.setRawMode(false);
      opts.stdout.off('resize', sendSize);
      if (opts.stdin) {
        opts.input.off('data', onInput);
        opts.input.off('end', onEnd);
        opts.input.pause();
        opts.input.unref?.();
      }
      resolve(result);
    });
  });
}
