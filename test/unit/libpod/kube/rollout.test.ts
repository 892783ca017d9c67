// The rolling update's order, from the calls it makes: a recording of steps whose replicas are
// records here (what kube play's steps do to pods is its own test's). Every endpoints list handed
// to the proxy is checked against what is ready at that moment.
import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { RolloutError, endpointOpen, rollingReplace, waitEndpointsOpen, type Replica, type RolloutSteps } from '../../../../libpod/kube/rollout';

interface Recorder {
  calls: string[];
  steps: RolloutSteps;
  /** The fewest ready replicas any endpoints list held. */
  fewest: () => number;
  /** Replicas removed (old, or a failed new one). */
  removed: Set<string>;
}

const oldOnes = (n: number): Replica[] => Array.from({ length: n }, (_, i) => ({ podId: `old${i}`, name: `web-pod-${i}`, endpoints: [30000 + i] }));

function recorder(opts: { failStart?: number; failReady?: number } = {}): Recorder {
  const calls: string[] = [];
  const ready = new Set<string>();
  const removed = new Set<string>();
  let fewest = Infinity;
  const steps: RolloutSteps = {
    drainMs: 0,
    async startNew(i) {
      calls.push(`start ${i}`);
      if (opts.failStart === i) throw new Error('image not found');
      return { podId: `new${i}`, name: `web-pod-${i}-new`, endpoints: [31000 + i] };
    },
    async waitReady(r) {
      calls.push(`ready ${r.podId}`);
      if (r.podId === `new${opts.failReady}`) throw new Error('nothing listens');
      ready.add(r.podId);
    },
    setEndpoints(rs) {
      calls.push(`endpoints ${rs.map((r) => r.podId).join(',')}`);
      // Every replica handed to the proxy is ready and not removed.
      for (const r of rs) expect(ready.has(r.podId) && !removed.has(r.podId), `${r.podId} in the endpoints`).toBe(true);
      fewest = Math.min(fewest, rs.length);
    },
    async removeOld(r) {
      calls.push(`remove ${r.podId}`);
      ready.delete(r.podId);
      removed.add(r.podId);
    },
    async rename(r, name) {
      calls.push(`rename ${r.podId} ${name}`);
    },
  };
  for (const r of oldOnes(5)) ready.add(r.podId);
  return { calls, steps, fewest: () => fewest, removed };
}

describe('rollingReplace', () => {
  it('replaces each replica by a ready one before the old one goes, and hands over its name', async () => {
    const rec = recorder();
    await rollingReplace(oldOnes(3), 3, rec.steps);
    expect(rec.calls).toEqual([
      'start 0', 'ready new0', 'endpoints new0,old0,old1,old2', 'endpoints new0,old1,old2', 'remove old0', 'rename new0 web-pod-0',
      'start 1', 'ready new1', 'endpoints new0,new1,old1,old2', 'endpoints new0,new1,old2', 'remove old1', 'rename new1 web-pod-1',
      'start 2', 'ready new2', 'endpoints new0,new1,new2,old2', 'endpoints new0,new1,new2', 'remove old2', 'rename new2 web-pod-2',
    ]);
    expect(rec.fewest()).toBe(3);
  });

  it('adds the replicas past the old count', async () => {
    const rec = recorder();
    await rollingReplace(oldOnes(1), 3, rec.steps);
    expect(rec.calls).toEqual([
      'start 0', 'ready new0', 'endpoints new0,old0', 'endpoints new0', 'remove old0', 'rename new0 web-pod-0',
      'start 1', 'ready new1', 'endpoints new0,new1',
      'start 2', 'ready new2', 'endpoints new0,new1,new2',
    ]);
    expect(rec.fewest()).toBe(1);
  });

  it('takes surplus old replicas out of the endpoints, then removes them, last', async () => {
    const rec = recorder();
    await rollingReplace(oldOnes(3), 1, rec.steps);
    expect(rec.calls).toEqual(['start 0', 'ready new0', 'endpoints new0,old0,old1,old2', 'endpoints new0,old1,old2', 'remove old0', 'rename new0 web-pod-0', 'endpoints new0', 'remove old1', 'remove old2']);
    expect(rec.fewest()).toBe(1);
  });

  it('starts a first deployment one replica after another', async () => {
    const rec = recorder();
    await rollingReplace([], 2, rec.steps);
    expect(rec.calls).toEqual(['start 0', 'ready new0', 'endpoints new0', 'start 1', 'ready new1', 'endpoints new0,new1']);
  });

  it('stops at a replica that does not start, with the old ones still serving', async () => {
    const rec = recorder({ failStart: 1 });
    const err = await rollingReplace(oldOnes(3), 3, rec.steps).catch((e: Error) => e);
    expect(err).toBeInstanceOf(RolloutError);
    expect((err as Error).message).toBe('the rolling update stopped at replica 1: image not found; the replicas still serving: web-pod-0, web-pod-1, web-pod-2');
    expect(rec.calls.slice(-2)).toEqual(['rename new0 web-pod-0', 'start 1']);
    expect([...rec.removed]).toEqual(['old0']);
  });

  it('removes a new replica that never gets ready, and leaves the endpoints as they were', async () => {
    const rec = recorder({ failReady: 0 });
    const err = await rollingReplace(oldOnes(2), 2, rec.steps).catch((e: Error) => e);
    expect((err as Error).message).toBe('the rolling update stopped at replica 0: nothing listens; the replicas still serving: web-pod-0, web-pod-1');
    expect(rec.calls).toEqual(['start 0', 'ready new0', 'remove new0']);
  });
});

describe('endpointOpen', () => {
  const servers: net.Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });
  const serve = async (onConn: (s: net.Socket) => void) => {
    const server = net.createServer(onConn);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return (server.address() as net.AddressInfo).port;
  };

  it('is true for a server that keeps the connection, false for one that closes it at once (a forwarder with no one behind) and for a refusal', async () => {
    const holds = await serve(() => undefined);
    const closes = await serve((s) => s.destroy());
    const refused = await serve(() => undefined);
    servers.pop()!.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(await endpointOpen(holds)).toBe(true);
    expect(await endpointOpen(closes)).toBe(false);
    expect(await endpointOpen(refused)).toBe(false);
  });

  it('waits for a port that opens later, and names one that never does', async () => {
    const later = await serve(() => undefined);
    servers.pop()!.close();
    await new Promise((r) => setTimeout(r, 20));
    setTimeout(() => {
      const s = net.createServer(() => undefined);
      servers.push(s);
      s.listen(later, '127.0.0.1');
    }, 300);
    const t0 = Date.now();
    await waitEndpointsOpen([later], 5000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    const closes = await serve((s) => s.destroy());
    await expect(waitEndpointsOpen([closes], 300)).rejects.toThrow(`nothing answers on 127.0.0.1:${closes} after 0s: the new replica does not listen on its Service's targetPort`);
  });
});
