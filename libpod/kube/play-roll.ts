// The rolling update of a Deployment played again with a changed template: one replica at a time,
// a new pod is made under a temporary name and started; once it is ready (its containers running,
// and healthy when they have a healthcheck) it takes its predecessor's place in the Services'
// endpoints, the old pod is stopped and removed, and the new one takes its name. A replacement
// that never gets ready is removed and the update stops there, with the old replicas serving.
import { InvalidStateError } from '../../src/errors';
import { probeOnce } from './play-probe';
import type { PlayPlan, PodPlan } from './play-plan';
import { backendsOf, makePod, removeOld, type MakeCtx } from './play-make';
import { updateService } from './play-services';
import { rollingReplace } from './rollout';

/** How long a replacement may take to get ready. */
const READY_TIMEOUT_MS = 120_000;

export async function rollReplicas(ctx: MakeCtx, plan: PlayPlan): Promise<void> {
  const byWorkload = new Map<string, PodPlan[]>();
  for (const p of plan.pods.filter((x) => x.action === 'roll')) byWorkload.set(p.workload.name, [...(byWorkload.get(p.workload.name) ?? []), p]);
  for (const [name, pods] of byWorkload) {
    const done: string[] = [];
    try {
      await rollingReplace(
        pods.map((p) => ({
          name: p.name,
          make: () => makeReplacement(ctx, plan, p),
          ready: (id: string) => waitReady(ctx, p, id),
          swap: (id: string) => swapIn(ctx, plan, p, id),
          retire: () => retire(ctx, plan, p),
          rename: (id: string) => {
            ctx.made.keep(id);
            takeName(ctx, p, id);
          },
          abandon: async (id: string) => void (await ctx.ops.removePods([id])),
        })),
        (replica: string) => done.push(replica),
      );
    } catch (err) {
      const left = pods.map((p) => p.name).filter((n) => !done.includes(n));
      throw new InvalidStateError(`the rolling update of Deployment ${name} stopped: ${(err as Error).message}; ${done.length ? `${done.join(', ')} run${done.length === 1 ? 's' : ''} the new template, ` : ''}${left.join(', ')} still run${left.length === 1 ? 's' : ''} the old one`);
    }
  }
}

/** A replica that publishes hostPorts of its own cannot run beside its predecessor: that one goes first. */
async function makeReplacement(ctx: MakeCtx, plan: PlayPlan, p: PodPlan): Promise<string> {
  if (p.stopFirst) {
    await retire(ctx, plan, p);
    p.makeName = p.name;
  }
  const id = await makePod(ctx, p, true);
  // Made by this play, but once in service it stays even if a later step fails.
  return id;
}

/**
 * Its containers running (init containers done), healthy where a healthcheck judges them, and
 * their readinessProbes passing.
 */
export async function waitReady(ctx: MakeCtx, p: PodPlan, podId: string): Promise<void> {
  const { ops, rt } = ctx;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const probed = new Set<string>();
  for (;;) {
    const pod = rt.pods().reload(podId);
    if (!pod) throw new InvalidStateError(`the new pod of ${p.name} was removed before it was ready`);
    const containers = rt.pods().containersOf(pod, rt.containers().list()).filter((c) => c.id !== pod.spec.infraId && !c.spec.initCtr);
    const states = containers.map((c) => ({ c, s: ops.containerStatus(c.id) }));
    const dead = states.find((x) => !x.s || x.s.state === 'exited' || x.s.health === 'unhealthy');
    if (dead) throw new InvalidStateError(`the new pod of ${p.name}: container ${dead.c.name} ${dead.s?.health === 'unhealthy' ? 'is unhealthy' : `exited${dead.s?.exitCode !== undefined ? ` with code ${dead.s.exitCode}` : ''}`} before it was ready (see tspod logs ${dead.c.id.slice(0, 12)})`);
    if (states.every((x) => x.s!.state === 'running' && (x.s!.health === '' || x.s!.health === 'healthy'))) {
      for (const { c } of states) {
        const probe = p.translated.readiness?.[c.name.slice(p.makeName.length + 1)];
        if (probe && !probed.has(c.id) && (await probeOnce(rt, c.id, probe))) probed.add(c.id);
        else if (!probe) probed.add(c.id);
      }
      if (probed.size === states.length) return;
    }
    if (Date.now() > deadline) throw new InvalidStateError(`the new pod of ${p.name} was not ready after ${READY_TIMEOUT_MS / 1000} s (running, healthy where it has a healthcheck, its readinessProbe passing)`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The new replica in service, the old one out (connections it already has are let finish briefly). */
async function swapIn(ctx: MakeCtx, plan: PlayPlan, p: PodPlan, _id: string): Promise<void> {
  const bs = backendsOf(plan, p);
  for (const b of bs) b.live = b.hostPort;
  for (const s of plan.services) if (s.backends.some((b) => bs.includes(b))) await updateService(ctx.rt, s);
  if (bs.length) await new Promise((r) => setTimeout(r, 500));
}

/** The old replica stopped and removed, with its files and emptyDir volumes. */
async function retire(ctx: MakeCtx, plan: PlayPlan, p: PodPlan): Promise<void> {
  const old = p.existing;
  if (!old || !ctx.rt.pods().reload(old.id)) return;
  const bs = backendsOf(plan, p).filter((b) => b.live !== b.hostPort);
  for (const b of bs) b.live = undefined;
  for (const s of plan.services) if (s.backends.some((b) => bs.includes(b))) await updateService(ctx.rt, s);
  await ctx.ops.stopPods([old.id]);
  await removeOld(ctx.ops, [old]);
}

/** The replacement takes its predecessor's name, and its containers theirs. */
function takeName(ctx: MakeCtx, p: PodPlan, id: string): void {
  if (p.makeName === p.name) return;
  const pod = ctx.rt.pods().reload(id)!;
  const containers = ctx.rt.pods().containersOf(pod, ctx.rt.containers().list()).filter((c) => c.id !== pod.spec.infraId);
  ctx.rt.pods().rename(pod, p.name);
  for (const c of containers) ctx.ops.renameContainer(c.id, `${p.name}-${c.name.slice(p.makeName.length + 1)}`);
  p.makeName = p.name;
}
