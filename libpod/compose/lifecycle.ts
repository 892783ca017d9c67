// The verbs over a project's existing containers: start (dependency order, waiting for each
// service's dependencies), stop (reverse order), restart, kill, pause, unpause, rm. Services
// named must exist in the project (`no such service: X`); none named: all of them.
import { InvalidArgumentError, TspodError } from '../../src/errors';
import type { ComposeContainer, OpReport } from './compose-ops';
import type { ComposeContext } from './context';
import { progress } from './compose-io';
import { startService } from './converge';
import { dependencyOrder, selectServices } from './depends';
import { containersOf, isUp, serviceContainers } from './project-containers';

function ordered(ctx: ComposeContext, services: string[], reverse = false): string[] {
  const order = dependencyOrder(ctx.project, selectServices(ctx.project, services));
  return reverse ? order.reverse() : order;
}

/** Reports each container's outcome; throws naming those that failed. */
function check(ctx: ComposeContext, cs: ComposeContainer[], reports: OpReport[], done: string): void {
  const failed: string[] = [];
  for (const r of reports) {
    const c = cs.find((x) => x.id === r.id || x.name === r.id);
    const name = c?.name ?? r.id;
    if (r.error) failed.push(`${name}: ${r.error.message}`);
    else progress(ctx.io, 'Container', name, done);
  }
  if (failed.length) throw new TspodError(failed.join('; '));
}

export async function start(ctx: ComposeContext, services: string[]): Promise<void> {
  const order = ordered(ctx, services);
  if (!containersOf(ctx.ops, ctx.project.name, order).length) throw new InvalidArgumentError(`service "${order[0] ?? ''}" has no container to start: create it with "tspod compose up" or "tspod compose create"`);
  const active = new Set(order.filter((s) => serviceContainers(ctx.ops, ctx.project.name, s).length));
  for (const s of order) if (active.has(s)) await startService(ctx, s, active);
}

export async function stop(ctx: ComposeContext, services: string[], timeout?: number): Promise<void> {
  for (const s of ordered(ctx, services, true)) {
    const cs = serviceContainers(ctx.ops, ctx.project.name, s).filter((c) => isUp(c.state));
    if (!cs.length) continue;
    for (const c of cs) progress(ctx.io, 'Container', c.name, 'Stopping');
    check(ctx, cs, await ctx.ops.stopContainers(cs.map((c) => c.id), timeout), 'Stopped');
  }
}

export async function restart(ctx: ComposeContext, services: string[], timeout?: number): Promise<void> {
  for (const s of ordered(ctx, services)) {
    const cs = serviceContainers(ctx.ops, ctx.project.name, s);
    if (!cs.length) continue;
    for (const c of cs) progress(ctx.io, 'Container', c.name, 'Restarting');
    check(ctx, cs, await ctx.ops.restartContainers(cs.map((c) => c.id), timeout), 'Started');
  }
}

export async function kill(ctx: ComposeContext, services: string[], signal: string): Promise<void> {
  const cs = containersOf(ctx.ops, ctx.project.name, ordered(ctx, services, true)).filter((c) => c.state === 'running' || c.state === 'restarting');
  if (!cs.length) return;
  for (const c of cs) progress(ctx.io, 'Container', c.name, 'Killing');
  check(ctx, cs, await ctx.ops.killContainers(cs.map((c) => c.id), signal), 'Killed');
}

export async function pause(ctx: ComposeContext, services: string[], on: boolean): Promise<void> {
  const cs = containersOf(ctx.ops, ctx.project.name, ordered(ctx, services)).filter((c) => (on ? c.state === 'running' : c.state === 'paused'));
  if (!cs.length) return;
  check(ctx, cs, await ctx.ops.pauseContainers(cs.map((c) => c.id), on), on ? 'Paused' : 'Unpaused');
}

export interface RmOptions {
  force: boolean;
  stop: boolean;
  volumes: boolean;
  /** Asked without --force: may the named containers go? */
  confirm: (names: string[]) => Promise<boolean>;
}

/** `rm`: the stopped containers (with -s the running ones stopped first); without -f the user is asked. */
export async function rm(ctx: ComposeContext, services: string[], opts: RmOptions): Promise<void> {
  const order = ordered(ctx, services, true);
  if (opts.stop) await stop(ctx, order);
  const cs = containersOf(ctx.ops, ctx.project.name, order, { oneoff: false }).filter((c) => !isUp(c.state) || opts.stop);
  const stoppedNow = cs.map((c) => ({ ...c, state: ctx.ops.containerStatus(c.id)?.state ?? c.state })).filter((c) => !isUp(c.state));
  if (!stoppedNow.length) {
    ctx.io.stderr.write('No stopped containers\n');
    return;
  }
  if (!opts.force && !(await opts.confirm(stoppedNow.map((c) => c.name)))) return;
  for (const c of stoppedNow) progress(ctx.io, 'Container', c.name, 'Removing');
  check(ctx, stoppedNow, await ctx.ops.removeContainers(stoppedNow.map((c) => c.id), { force: false, volumes: opts.volumes }), 'Removed');
}
