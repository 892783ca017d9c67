// A Deployment's rolling update (kube play --replace), as swarm services do it: for each replica,
// its replacement is started and waited for before it joins the Service's endpoints, and only
// then is the old one taken out, drained, removed, and its name handed over. The endpoints never
// hold fewer ready replicas than wanted (when there were that many), so a client never waits long.
import net from 'node:net';
import { RuntimeError } from '../../src/errors';
import type { Runtime } from '../runtime';

export interface Replica {
  podId: string;
  name: string;
  /** 127.0.0.1 host port per Service port, in the Service's port order. */
  endpoints: number[];
}

export interface RolloutSteps {
  /** Makes and starts replica i of the new template; resolves once it runs (and is healthy when it has a healthcheck). */
  startNew(index: number): Promise<Replica>;
  /** The replicas the proxy forwards to now (updateServiceEndpoints). */
  setEndpoints(replicas: Replica[]): void;
  /** Stops and removes an old replica. */
  removeOld(r: Replica): Promise<void>;
  /** Gives the new replica the old one's name (pod and containers). */
  rename(newer: Replica, name: string): Promise<void>;
  /**
   * Added to the contract: resolves once the new replica's endpoints take connections
   * (waitEndpointsOpen); without it, startNew's resolution is taken as ready.
   */
  waitReady?(r: Replica): Promise<void>;
  /**
   * Added to the contract: how long connections already made to an old replica may go on after
   * it left the endpoints, before it is stopped (default DRAIN_MS).
   */
  drainMs?: number;
  /** Added to the contract: removes a new replica that failed its readiness (default removeOld). */
  removeFailed?(r: Replica): Promise<void>;
}

/** How long an old replica keeps serving the connections it has after it left the endpoints. */
export const DRAIN_MS = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A rollout stopped at a replica that did not come up; the replicas in `serving` still answer. */
export class RolloutError extends RuntimeError {}

/**
 * Replaces `old` by `wanted` new replicas one at a time: start new i, wait until ready, endpoints
 * += new i, endpoints -= old i, drain, remove old i, rename new i to old i's name. Replicas past
 * the old count are added; surplus old ones are taken out and removed last. A new replica that
 * fails stops the rollout: it is removed, the endpoints are left with the replicas still serving.
 */
export async function rollingReplace(old: Replica[], wanted: number, steps: RolloutSteps): Promise<void> {
  const drain = steps.drainMs ?? DRAIN_MS;
  // What the proxy forwards to, in replica order: old ones are swapped in place by their successors.
  const serving = [...old];
  for (let i = 0; i < wanted; i++) {
    const fresh = await startReady(i, steps, serving);
    const predecessor = i < old.length ? old[i] : undefined;
    if (!predecessor) {
      serving.push(fresh);
      steps.setEndpoints([...serving]);
      continue;
    }
    serving.splice(serving.indexOf(predecessor), 0, fresh);
    steps.setEndpoints([...serving]);
    serving.splice(serving.indexOf(predecessor), 1);
    steps.setEndpoints([...serving]);
    await sleep(drain);
    await steps.removeOld(predecessor);
    await steps.rename(fresh, predecessor.name);
    fresh.name = predecessor.name;
  }
  const surplus = old.slice(wanted);
  if (!surplus.length) return;
  steps.setEndpoints(serving.filter((r) => !surplus.includes(r)));
  await sleep(drain);
  for (const r of surplus) await steps.removeOld(r);
}

/** Replica i started and ready, or the rollout stopped with what serves now named. */
async function startReady(i: number, steps: RolloutSteps, serving: Replica[]): Promise<Replica> {
  let fresh: Replica | undefined;
  try {
    fresh = await steps.startNew(i);
    await steps.waitReady?.(fresh);
    return fresh;
  } catch (err) {
    if (fresh) await (steps.removeFailed ?? steps.removeOld)(fresh).catch(() => undefined);
    const names = serving.map((r) => r.name).join(', ') || 'none';
    throw new RolloutError(`the rolling update stopped at replica ${i}: ${(err as Error).message}; the replicas still serving: ${names}`, { cause: err });
  }
}

/**
 * True when 127.0.0.1:port takes a connection and keeps it: a published port's forwarder
 * (slirp4netns, pasta) accepts on the host before it knows whether the container listens, and
 * closes at once when it does not; a connection still open after settleMs (or one that already
 * sent something) has a server behind it.
 */
export function endpointOpen(port: number, settleMs = 150): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let timer: NodeJS.Timeout | undefined;
    const done = (ok: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve(ok);
    };
    s.once('error', () => done(false));
    s.once('end', () => done(false));
    s.once('close', () => done(false));
    s.once('data', () => done(true));
    s.once('connect', () => (timer = setTimeout(() => done(true), settleMs)));
  });
}

/** Until each TCP endpoint takes connections (see endpointOpen); an error names the first that did not within timeoutMs. */
export async function waitEndpointsOpen(ports: number[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const port of ports) {
    while (!(await endpointOpen(port))) {
      if (Date.now() >= deadline) throw new RuntimeError(`nothing answers on 127.0.0.1:${port} after ${Math.round(timeoutMs / 1000)}s: the new replica does not listen on its Service's targetPort`);
      await sleep(100);
    }
  }
}

export interface PodReadyOptions {
  timeoutMs?: number;
  /** Containers not waited for (a pod's init containers, which run to completion). */
  ignore?: string[];
}

/**
 * Until every container of the pod runs, and those with a healthcheck are healthy; an error when
 * one exits or turns unhealthy first, or when timeoutMs passes. Reads the store afresh each time
 * (the monitors record exits and health).
 */
export async function waitPodReady(rt: Runtime, podId: string, opts: PodReadyOptions = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pod = rt.pods().reload(podId);
    if (!pod) throw new RuntimeError(`pod ${podId.slice(0, 12)} was removed before it was ready`);
    const store = rt.containers();
    const ctrs = rt.pods().containersOf(pod, store.list()).filter((c) => !opts.ignore?.includes(c.id));
    let waiting: string | undefined;
    for (const c of ctrs) {
      if (c.state === 'exited') throw new RuntimeError(`container ${c.name} of pod ${pod.name} exited (code ${c.status.exitCode ?? 'unknown'}) before it was ready: see tspod logs ${c.name}`);
      const health = store.healthStatus(c);
      if (health === 'unhealthy') throw new RuntimeError(`container ${c.name} of pod ${pod.name} is unhealthy: see tspod inspect --format '{{.State.Health}}' ${c.name}`);
      if (c.state !== 'running') waiting ??= `container ${c.name} is ${c.state}`;
      else if (health && health !== 'healthy') waiting ??= `container ${c.name} is ${health}`;
    }
    if (!waiting) return;
    if (Date.now() >= deadline) throw new RuntimeError(`pod ${pod.name} is not ready after ${Math.round(timeoutMs / 1000)}s: ${waiting}`);
    await sleep(100);
  }
}
