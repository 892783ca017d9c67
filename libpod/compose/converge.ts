// A service's containers brought to what the project says (Compose's convergence): numbers
// 1..replicas exist, each carrying the service's config hash; a container whose hash differs (or
// all, with --force-recreate) is recreated: the new one's options made and checked, the old one
// stopped and renamed aside, the new one created with its number and the old one's anonymous
// volumes, then the old one removed; numbers above replicas go, highest first. Starting waits for the service's dependencies per their condition.
import { InvalidStateError, TspodError } from '../../src/errors';
import { QuietProgress } from '../../src/progress';
import type { ComposeContainer } from './compose-ops';
import type { CreateOptions } from '../container/create-spec';
import type { ComposeContext } from './context';
import { progress, warn } from './compose-io';
import { createBindSources, materializer } from './service-files';
import { dependsOnLabel } from './depends';
import { serviceScale } from './translate-service';
import { containerNumber, isUp, serviceContainers } from './project-containers';
import { LABEL, type ServiceConfig } from './types';

export interface ConvergeOptions {
  forceRecreate: boolean;
  noRecreate: boolean;
  /** --scale svc=N. */
  scale: Record<string, number>;
  /** Seconds for stops (-t); undefined: each container's stop_grace_period. */
  timeout?: number;
}

/** How many containers the service runs: --scale, else scale:, else deploy.replicas, else 1. */
export function replicas(service: ServiceConfig, scale: Record<string, number>): number {
  return scale[service.name] ?? serviceScale(service);
}

function failed(service: string, what: string, err: Error): TspodError {
  return new TspodError(`service "${service}": ${what}: ${err.message}`, { cause: err });
}

/** Stops then removes containers, reporting each; their volumes are kept (Compose's scale-down and --remove-orphans); throws the first failure. */
export async function stopAndRemove(ctx: ComposeContext, service: string, cs: ComposeContainer[], timeout: number | undefined): Promise<void> {
  for (const c of cs) {
    if (isUp(c.state)) {
      progress(ctx.io, 'Container', c.name, 'Stopping');
      const [s] = await ctx.ops.stopContainers([c.id], timeout);
      if (s?.error) throw failed(service, `stopping container ${c.name}`, s.error);
      progress(ctx.io, 'Container', c.name, 'Stopped');
    }
    progress(ctx.io, 'Container', c.name, 'Removing');
    const [r] = await ctx.ops.removeContainers([c.id], { force: true, volumes: false, timeout });
    if (r?.error) throw failed(service, `removing container ${c.name}`, r.error);
    progress(ctx.io, 'Container', c.name, 'Removed');
  }
}

/** The create options of the service's container number n (checked by the translator: a bad file is refused here, before anything changes). */
function createOptionsFor(ctx: ComposeContext, service: ServiceConfig, n: number, hash: string, replace?: string): CreateOptions {
  return ctx.tr.serviceCreateOptions(ctx.project, service, n, { configHash: hash, progress: new QuietProgress(), dependsOnLabel: dependsOnLabel(service), materialize: materializer(ctx), replace, warn: (m) => warn(ctx.io, m) });
}

async function create(ctx: ComposeContext, service: ServiceConfig, opts: CreateOptions, n: number): Promise<{ id: string; name: string }> {
  const name = opts.name ?? `${ctx.project.name}-${service.name}-${n}`;
  createBindSources(ctx, service);
  progress(ctx.io, 'Container', name, 'Creating');
  try {
    const c = await ctx.ops.createContainer(opts);
    progress(ctx.io, 'Container', c.name, 'Created');
    return c;
  } catch (err) {
    throw failed(service.name, `creating container ${name}`, err as Error);
  }
}

/**
 * Recreate, as Docker Compose does it: the new container's options first (a bad file changes
 * nothing), then the old one stopped (its host ports are free then) and renamed aside to
 * <id12>_<name>; the new one is made with its number and the old one's anonymous volumes (an
 * image's VOLUME keeps its data, as Compose's without -V); only then is the old one removed, its
 * volumes kept. When the new one cannot be made, the old one gets its name back (stopped).
 */
async function recreate(ctx: ComposeContext, service: ServiceConfig, old: ComposeContainer, hash: string, timeout: number | undefined): Promise<void> {
  const n = containerNumber(old);
  const opts = createOptionsFor(ctx, service, n, hash, old.id);
  const taken = new Set((service.volumes ?? []).map((v) => v.target));
  const carried = ctx.ops.anonymousVolumes(old.id).filter((v) => !taken.has(v.destination));
  const withVolumes = carried.length ? { ...opts, volumes: [...(opts.volumes ?? []), ...carried.map((v) => `${v.name}:${v.destination}`)] } : opts;
  progress(ctx.io, 'Container', old.name, 'Recreate');
  if (isUp(old.state)) {
    const [s] = await ctx.ops.stopContainers([old.id], timeout);
    if (s?.error) throw failed(service.name, `stopping container ${old.name}`, s.error);
  }
  // The monitor releases the stopped container's host ports in its cleanup, a moment after the
  // stop returns: done here first, so that the new container can publish them.
  await ctx.ops.cleanupContainer(old.id);
  const aside = `${old.id.slice(0, 12)}_${old.name}`;
  try {
    ctx.ops.renameContainer(old.id, aside);
  } catch (err) {
    throw failed(service.name, `renaming the replaced container ${old.name} aside`, err as Error);
  }
  try {
    await create(ctx, service, withVolumes, n);
  } catch (err) {
    try {
      ctx.ops.renameContainer(old.id, old.name);
    } catch (back) {
      warn(ctx.io, `the replaced container is left as ${aside}: ${(back as Error).message}`);
    }
    throw err;
  }
  const [r] = await ctx.ops.removeContainers([old.id], { force: true, volumes: false, timeout });
  if (r?.error) throw failed(service.name, `removing the replaced container ${aside}`, r.error);
  progress(ctx.io, 'Container', old.name, 'Recreated');
}

/** Makes the service's containers match the project (none started here). */
export async function convergeService(ctx: ComposeContext, name: string, opts: ConvergeOptions): Promise<void> {
  const service = ctx.project.services[name];
  const hash = ctx.tr.serviceConfigHash(service);
  const want = replicas(service, opts.scale);
  const existing = serviceContainers(ctx.ops, ctx.project.name, name);
  const byNumber = new Map<number, ComposeContainer>();
  const surplus: ComposeContainer[] = [];
  for (const c of existing) {
    const n = containerNumber(c);
    if (n >= 1 && n <= want && !byNumber.has(n)) byNumber.set(n, c);
    else surplus.push(c);
  }
  surplus.sort((a, b) => containerNumber(b) - containerNumber(a));
  await stopAndRemove(ctx, name, surplus, opts.timeout);
  for (let n = 1; n <= want; n++) {
    const c = byNumber.get(n);
    if (!c) await create(ctx, service, createOptionsFor(ctx, service, n, hash), n);
    else if (!opts.noRecreate && (opts.forceRecreate || c.labels[LABEL.configHash] !== hash)) await recreate(ctx, service, c, hash, opts.timeout);
    else if (isUp(c.state)) progress(ctx.io, 'Container', c.name, 'Running');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the service's dependencies among `active` meet their conditions: service_started
 * (started already, in dependency order), service_healthy (tspod's health state; unhealthy, no
 * healthcheck or exited fails), service_completed_successfully (exited 0; another code fails).
 */
export async function waitDependencies(ctx: ComposeContext, name: string, active: Set<string>, intervalMs = 250): Promise<void> {
  const deps = Object.entries(ctx.project.services[name].depends_on ?? {}).filter(([dep, d]) => active.has(dep) && d.condition !== 'service_started');
  for (const [dep, d] of deps) {
    const cs = serviceContainers(ctx.ops, ctx.project.name, dep);
    if (cs.length === 0) {
      if (d.required) throw new InvalidStateError(`dependency failed to start: service "${dep}" has no container`);
      continue;
    }
    for (const c of cs) {
      progress(ctx.io, 'Container', c.name, 'Waiting');
      for (;;) {
        const st = ctx.ops.containerStatus(c.id);
        if (!st) throw new InvalidStateError(`dependency failed to start: container ${c.name} is gone`);
        if (d.condition === 'service_healthy') {
          if (st.health === 'healthy') {
            progress(ctx.io, 'Container', c.name, 'Healthy');
            break;
          }
          if (st.health === 'unhealthy') throw new InvalidStateError(`dependency failed to start: container ${c.name} is unhealthy`);
          if (st.state === 'exited' || st.state === 'stopped') throw new InvalidStateError(`dependency failed to start: container ${c.name} exited (${st.exitCode ?? -1})`);
          if (st.health === '' && st.state === 'running') throw new InvalidStateError(`dependency failed to start: container ${c.name} has no healthcheck configured`);
        } else if (st.state === 'exited' || st.state === 'stopped') {
          if ((st.exitCode ?? 0) !== 0) throw new InvalidStateError(`service "${dep}" didn't complete successfully: exit ${st.exitCode}`);
          progress(ctx.io, 'Container', c.name, 'Exited');
          break;
        }
        await sleep(intervalMs);
      }
    }
  }
}

/** Starts the service's containers that are not running, after its dependencies are ready. */
export async function startService(ctx: ComposeContext, name: string, active: Set<string>): Promise<void> {
  await waitDependencies(ctx, name, active);
  for (const c of serviceContainers(ctx.ops, ctx.project.name, name)) {
    if (isUp(c.state)) continue;
    progress(ctx.io, 'Container', c.name, 'Starting');
    const [r] = await ctx.ops.startContainers([c.id]);
    if (r?.error) throw failed(name, `starting container ${c.name}`, r.error);
    progress(ctx.io, 'Container', c.name, 'Started');
  }
}
