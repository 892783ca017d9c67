// Two TCP connections joined: bytes flow both ways with backpressure (pipe pauses the reader while
// the writer's buffer is full), an end (FIN) of one side is passed on as an end of the other while
// the opposite direction goes on (half-close; both sockets are made with allowHalfOpen), and a
// reset or error of one side resets the other.
import type net from 'node:net';

/** How long a side may linger after its peer closed for good, reading what no one can receive. */
const LINGER_MS = 10_000;

function afterClose(closed: net.Socket, other: net.Socket, hadError: boolean): void {
  if (other.destroyed) return;
  if (hadError) return void other.destroy();
  // The closed side ended both ways: what `other` still sends has nowhere to go. Its own writes
  // (the closed side's last bytes) still flush; its reads are discarded until it closes too.
  if (!other.readableEnded) {
    other.unpipe(closed);
    other.resume();
    setTimeout(() => other.destroy(), LINGER_MS).unref();
  }
}

export function joinSockets(client: net.Socket, upstream: net.Socket): void {
  client.on('error', () => client.destroy());
  upstream.on('error', () => upstream.destroy());
  client.once('close', (hadError) => afterClose(client, upstream, hadError));
  upstream.once('close', (hadError) => afterClose(upstream, client, hadError));
  client.pipe(upstream);
  upstream.pipe(client);
}
