// slirp4netns's API socket as Debian 12's slirp4netns 1.2 answers it: list_hostfwd's entries come
// bare ({"entries": [...]}), add/remove wrap theirs in "return". A container's stop must remove its
// forwards from the shared slirp4netns, or its host port stays taken until every container stops.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { slirpForward, slirpUnforward } from '../../../../libpod/network/rootless-net';

let server: net.Server | undefined;
let dir = '';
afterEach(() => {
  server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fake slirp4netns API socket keeping its forwards; the requests it received. */
function fakeSlirp(): Promise<{ socket: string; requests: Array<{ execute: string; arguments?: Record<string, unknown> }> }> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slirp-api-'));
  const socket = path.join(dir, 'api.sock');
  const requests: Array<{ execute: string; arguments?: Record<string, unknown> }> = [];
  const entries: Array<{ id: number; proto: string; host_addr: string; host_port: number; guest_addr: string; guest_port: number }> = [];
  let next = 1;
  server = net.createServer((conn) => {
    let text = '';
    conn.on('data', (d) => (text += d));
    conn.on('end', () => {
      const req = JSON.parse(text);
      requests.push(req);
      if (req.execute === 'add_hostfwd') {
        entries.push({ id: next, proto: req.arguments.proto, host_addr: req.arguments.host_addr, host_port: req.arguments.host_port, guest_addr: '10.0.2.100', guest_port: req.arguments.guest_port });
        conn.end(JSON.stringify({ return: { id: next++ } }));
      } else if (req.execute === 'list_hostfwd') {
        conn.end(JSON.stringify({ entries }));
      } else if (req.execute === 'remove_hostfwd') {
        const i = entries.findIndex((e) => e.id === req.arguments.id);
        if (i < 0) conn.end(JSON.stringify({ error: { desc: 'bad request: remove_hostfwd: bad arguments.id' } }));
        else {
          entries.splice(i, 1);
          conn.end(JSON.stringify({ return: {} }));
        }
      }
    });
  });
  return new Promise((resolve) => server!.listen(socket, () => resolve({ socket, requests })));
}

describe('slirp4netns forwards of a shared namespace', () => {
  it('removes exactly the stopped container\'s host ports, found in list_hostfwd\'s bare entries', async () => {
    const { socket, requests } = await fakeSlirp();
    await slirpForward(socket, [{ hostIp: '', hostPort: 38080, containerPort: 38080, protocol: 'tcp', range: 1 }]);
    await slirpForward(socket, [{ hostIp: '', hostPort: 38081, containerPort: 38081, protocol: 'tcp', range: 1 }]);
    await slirpUnforward(socket, [{ hostIp: '', hostPort: 38080, containerPort: 80, protocol: 'tcp', range: 1 }]);
    expect(requests.filter((r) => r.execute === 'remove_hostfwd')).toEqual([{ execute: 'remove_hostfwd', arguments: { id: 1 } }]);
  });
});
