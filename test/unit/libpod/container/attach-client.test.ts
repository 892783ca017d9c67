import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { attachTo } from '../../../../libpod/container/attach-client';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A stand-in monitor's attach socket that says nothing and closes when the client does. */
async function quietMonitor(): Promise<{ socket: string; ended: Promise<void>; server: net.Server }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attach-client-'));
  dirs.push(dir);
  const socket = path.join(dir, 'attach');
  let ended!: () => void;
  const endedP = new Promise<void>((r) => (ended = r));
  const server = net.createServer((s) => {
    s.resume();
    s.on('end', () => {
      ended();
      s.end();
    });
  });
  await new Promise<void>((r) => server.listen(socket, r));
  return { socket, ended: endedP, server };
}

describe('attachTo', () => {
  it('leaves the session as a detach when its signal aborts (the container runs on)', async () => {
    const mon = await quietMonitor();
    const abort = new AbortController();
    const io = { input: new PassThrough() as unknown as NodeJS.ReadStream, stdout: new PassThrough() as unknown as NodeJS.WriteStream, stderr: new PassThrough() };
    const { done } = await attachTo(mon.socket, { stdin: false, tty: false, detachKeys: Buffer.alloc(0), signal: abort.signal, ...io });
    abort.abort();
    await mon.ended;
    expect(await done).toEqual({ detached: true });
    mon.server.close();
  });

  it('ends at once when the signal was aborted before the connection', async () => {
    const mon = await quietMonitor();
    const io = { input: new PassThrough() as unknown as NodeJS.ReadStream, stdout: new PassThrough() as unknown as NodeJS.WriteStream, stderr: new PassThrough() };
    const { done } = await attachTo(mon.socket, { stdin: false, tty: false, detachKeys: Buffer.alloc(0), signal: AbortSignal.abort(), ...io });
    expect(await done).toEqual({ detached: true });
    mon.server.close();
  });
});
