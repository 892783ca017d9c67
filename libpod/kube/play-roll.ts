// The rolling update of a Deployment played again with a changed template, through rollout.ts's
// rollingReplace: one replica at a time, a new pod is made under a temporary name and started;
// once it is ready (its containers running, healthy where a healthcheck judges them, readiness
// probes passing, its Service ports answering) it joins the Services' endpoints, the old pod
// leaves them, is drained, stopped and removed, and the new one takes its name. A replacement
// that never gets ready is removed and the update stops there, with the old replicas serving.
import { InvalidStateError } from '../../src/errors';
import { probeOnce } from './play-probe';
import type { PlayPlan, PodPlan } from './play-plan';
import { backendsOf, makePod, removeOld, removeOwn, type MakeCtx } from './play-make';
import { updateServiceNow, type Backend } from './play-services';
import { rollingReplace, waitEndpointsOpen, type Replica } from './rollout';

/** How long a replacement may take to get ready. */
const READY_TIMEOUT_MS = 120_000;

export async function rollReplicas(ctx: MakeCtx, plan: PlayPlan): Promise<void> {
  const byWorkload = new Map<string, PodPlan[]>();
  for (const p of plan.pods.filter((x) => x.action === 'roll')) byWorkload.set(p.workload.name, [...(byWorkload.get(p.workload.name) ?? []), p]);
  for (const [name, rolls] of byWorkload) {
    try {
      await rollWorkload(ctx, plan, rolls);
    } catch (err) {
      throw new InvalidStateError(`the rolling update of Deployment ${name}: ${(err as Error).message}`, { cause: err });
    }
  }
}

async function rollWorkload(ctx: MakeCtx, plan: PlayPlan, rolls: PodPlan[]): Promise<void> {
  // Each replica's endpoints in one order: every Service port that selects this Deployment.
  const keys = [...new Set(rolls.flatMap((p) => backendsOf(plan, p).map((b) => b.key)))].sort();
  const portsOf = (m: Record<string, number> | undefined) => keys.map((k) => m?.[k] ?? 0);
  const old: Replica[] = rolls.map((p) => ({ podId: p.existing!.id, name: p.name, endpoints: portsOf(p.existing!.spec.kube?.endpoints) }));
  const planOf = (r: Replica) => rolls.find((p) => p.existing?.id === r.podId || p.name === r.name || p.makeName === r.name)!;
  const tcp = (p: PodPlan) => backendsOf(plan, p).filter((b) => protocolOf(plan, b) === 'tcp').map((b) => b.hostPort!);
  await rollingReplace(old, rolls.length, {
    startNew: async (i) => {
      const p = rolls[i];
      if (p.stopFirst) {
        // Its own hostPorts cannot be bound twice: the old replica goes first (a short gap there).
        await removeReplica(ctx, old[i]);
        p.makeName = p.name;
      }
      const podId = await makePod(ctx, p, true);
      return { podId, name: p.makeName, endpoints: portsOf(p.origin.endpoints) };
    },
    waitReady: async (r) => {
      const p = planOf(r);
      await waitReady(ctx, p, r.podId);
      await waitEndpointsOpen(tcp(p), READY_TIMEOUT_MS);
    },
    setEndpoints: (serving) => {
      for (const s of plan.services) {
        const mine = s.backends.filter((b) => rolls.includes(b.pod));
        if (!mine.length) continue;
        // The other replicas as they are; the rolled ones as rollingReplace says they serve now.
        const live = [...s.backends.filter((b) => !rolls.includes(b.pod)), ...serving.flatMap((r) => mine.filter((b) => b.pod === planOf(r)).map((b) => ({ ...b, live: r.endpoints[keys.indexOf(b.key)] || undefined })))];
        updateServiceNow(ctx.rt, { ...s, backends: live });
      }
    },
    removeOld: (r) => removeReplica(ctx, r),
    removeFailed: async (r) => {
      await ctx.ops.removePods([r.podId]);
      ctx.made.forget(r.podId);
      await removeOwn(ctx.ops, planOf(r).origin);
    },
    rename: async (r, name) => {
      ctx.made.keep(r.podId);
      takeName(ctx, planOf(r), r.podId, name);
    },
  });
  // The plan's idea of what serves, for what follows (the report, a later Service update).
  for (const p of rolls) for (const b of backendsOf(plan, p)) b.live = b.hostPort;
}

function protocolOf(plan: PlayPlan, b: Backend): string {
  return plan.services.flatMap((s) => s.ports).find((x) => x.key === b.key)?.protocol ?? 'tcp';
}

/** An old replica stopped and removed, with its files and emptyDir volumes; gone already is fine. */
async function removeReplica(ctx: MakeCtx, r: Replica): Promise<void> {
  const pod = ctx.rt.pods().reload(r.podId);
  if (!pod) return;
  await ctx.ops.stopPods([pod.id]);
  await removeOld(ctx.ops, [pod]);
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
        if (!probe || probed.has(c.id) || (await probeOnce(rt, c.id, probe))) probed.add(c.id);
      }
      if (probed.size === states.length) return;
    }
    if (Date.now() > deadline) throw new InvalidStateError(`the new pod of ${p.name} was not ready after ${READY_TIMEOUT_MS / 1000} s (running, healthy where it has a healthcheck, its readinessProbe passing)`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The replacement takes its predecessor's name, and its containers theirs. */
function takeName(ctx: MakeCtx, p: PodPlan, id: string, name: string): void {
  const pod = ctx.rt.pods().reload(id)!;
  if (pod.name === name) return;
  const containers = ctx.rt.pods().containersOf(pod, ctx.rt.containers().list()).filter((c) => c.id !== pod.spec.infraId);
  const from = pod.name;
  ctx.rt.pods().rename(pod, name);
  for (const c of containers) if (c.name.startsWith(`${from}-`)) ctx.ops.renameContainer(c.id, `${name}-${c.name.slice(from.length + 1)}`);
  p.makeName = name;
}
