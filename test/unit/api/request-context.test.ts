import { describe, expect, it, vi } from 'vitest';
import { PassThrough } from 'node:stream';
import type http from 'node:http';
import { ExclusiveQueue, RequestContext, type ContextInit } from '../../../api/context';

/** A context on a stand-in connection (no response: as for an upgrade request). */
function context(socket: PassThrough, holdOpen: ContextInit['holdOpen'] = () => () => undefined): RequestContext {
  const req = { headers: {}, method: 'GET' } as unknown as http.IncomingMessage;
  return new RequestContext({ req, socket, params: {}, query: new URLSearchParams(), version: '1.41', makeEngine: () => { throw new Error('no engine in this test'); }, queue: new ExclusiveQueue(), holdOpen, headers: {} });
}

describe('RequestContext', () => {
  it('aborts its signal and resolves closed when the connection closes', async () => {
    const socket = new PassThrough();
    const ctx = context(socket);
    expect(ctx.signal.aborted).toBe(false);
    expect(ctx.isClosed()).toBe(false);
    socket.destroy();
    await ctx.closed;
    expect(ctx.signal.aborted).toBe(true);
    expect(ctx.isClosed()).toBe(true);
  });

  it('leaves no listener on a kept-alive connection once the request is over', () => {
    const socket = new PassThrough();
    const before = socket.listenerCount('close');
    for (let i = 0; i < 50; i++) context(socket).release();
    expect(socket.listenerCount('close')).toBe(before);
  });

  it('holds the service through the server, once per hold', () => {
    const release = vi.fn();
    const hold = vi.fn(() => release);
    const ctx = context(new PassThrough(), hold);
    expect(ctx.holdOpen()).toBe(release);
    expect(hold).toHaveBeenCalledTimes(1);
  });
});
