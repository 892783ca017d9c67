// `compose up` and `create`: the services (named ones and, unless --no-deps, their dependencies)
// in dependency order: networks and volumes made, images built or pulled, each service's
// containers converged (converge.ts), then started in order, each after its dependencies meet
// their condition. Detached it returns then (--wait: once all run, healthy where they have a
// healthcheck); attached it prints their logs until they exit, ctrl-c stops them.
import { InvalidArgumentError, InvalidStateError } from '../../src/errors';
import type { ComposeContext } from './context';
import { progress, warn } from './compose-io';
import { convergeService, startService, stopAndRemove, type ConvergeOptions } from './converge';
import { dependencyOrder, selectServices, withDependencies } from './depends';
import { prepareImage, type ImageOptions } from './images';
import { attachLogs } from './attached';
import { isOneoff, isUp, projectContainers, serviceContainers } from './project-containers';
import { ensureNetworks, ensureVolumes, networksUsed, volumesUsed } from './resources';
import { LABEL } from './types';

export interface UpOptions extends ConvergeOptions, ImageOptions {
  services: string[];
  detach: boolean;
  noDeps: boolean;
  removeOrphans: boolean;
  noStart: boolean;
  wait: boolean;
  /** Seconds (--wait-timeout); undefined: no limit. */
  waitTimeout?: number;
  abortOnContainerExit: boolean;
  exitCodeFrom?: string;
  noLogPrefix: boolean;
  noColor: boolean;
  timestamps: boolean;
}

/** The flags checked against each other and the project, as Compose checks them. */
export function checkUpOptions(ctx: ComposeContext, opts: UpOptions): void {
  if (opts.build && opts.noBuild) throw new InvalidArgumentError('--build and --no-build are incompatible: give one of them');
  if (opts.forceRecreate && opts.noRecreate) throw new InvalidArgumentError('--force-recreate and --no-recreate are incompatible: give one of them');
  if (opts.wait && (opts.abortOnContainerExit || opts.exitCodeFrom)) throw new InvalidArgumentError('--wait and --abort-on-container-exit are incompatible');
  if (opts.detach && (opts.abortOnContainerExit || opts.exitCodeFrom)) throw new InvalidArgumentError(`-d and ${opts.exitCodeFrom ? '--exit-code-from' : '--abort-on-container-exit'} are incompatible: leave out -d to follow the containers`);
  if (opts.pull && !['always', 'missing', 'never', 'build'].includes(opts.pull)) throw new InvalidArgumentError(`invalid --pull value "${opts.pull}": give always, missing, never or build`);
  if (opts.exitCodeFrom !== undefined) selectServices(ctx.project, [opts.exitCodeFrom]);
  for (const [svc, n] of Object.entries(opts.scale)) {
    selectServices(ctx.project, [svc]);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`invalid --scale ${svc}=${n}: give a whole number of containers, 0 or more`);
  }
  if (opts.waitTimeout !== undefined && !(opts.waitTimeout > 0)) throw new InvalidArgumentError('--wait-timeout must be a positive number of seconds');
}

/** Orphans (the project's containers of services it no longer has): removed with --remove-orphans, else named in a warning. */
async function handleOrphans(ctx: ComposeContext, remove: boolean, timeout: number | undefined): Promise<void> {
  const known = new Set([...Object.keys(ctx.project.services), ...Object.keys(ctx.project.disabledServices)]);
  const orphans = projectContainers(ctx.ops, ctx.project.name).filter((c) => !known.has(c.labels[LABEL.service] ?? ''));
  if (!orphans.length) return;
  if (remove) await stopAndRemove(ctx, 'orphans', orphans, timeout);
  else warn(ctx.io, `Found orphan containers ([${orphans.map((c) => c.name).join(' ')}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`);
}

/** The services an up or create works on, in dependency order. */
export function upServices(ctx: ComposeContext, names: string[], noDeps: boolean): string[] {
  const named = selectServices(ctx.project, names);
  return dependencyOrder(ctx.project, noDeps ? named : withDependencies(ctx.project, named));
}

/** Networks, volumes, images and containers of the services, made (not started). */
export async function createServices(ctx: ComposeContext, services: string[], opts: Omit<UpOptions, 'services'>): Promise<void> {
  await handleOrphans(ctx, opts.removeOrphans, opts.timeout);
  ensureNetworks(ctx, networksUsed(ctx, services));
  ensureVolumes(ctx, volumesUsed(ctx, services));
  for (const s of services) await prepareImage(ctx, ctx.project.services[s], opts);
  for (const s of services) await convergeService(ctx, s, opts);
}

/** Starts the services in order, each after its dependencies. */
export async function startServices(ctx: ComposeContext, services: string[]): Promise<void> {
  const active = new Set(services);
  for (const s of services) await startService(ctx, s, active);
}

/** --wait: until every container of the services runs (and is healthy with a healthcheck), or the timeout. */
async function waitReady(ctx: ComposeContext, services: string[], timeoutSec: number | undefined): Promise<void> {
  const deadline = timeoutSec === undefined ? Infinity : Date.now() + timeoutSec * 1000;
  // A one-shot service another one waits for may exit 0.
  const completes = new Set(services.flatMap((s) => Object.entries(ctx.project.services[s].depends_on ?? {}).filter(([, d]) => d.condition === 'service_completed_successfully').map(([dep]) => dep)));
  for (;;) {
    let pending = 0;
    for (const s of services) {
      for (const c of serviceContainers(ctx.ops, ctx.project.name, s)) {
        const st = ctx.ops.containerStatus(c.id);
        if (!st) throw new InvalidStateError(`container ${c.name} is gone`);
        if (st.state === 'exited' || st.state === 'stopped') {
          if (completes.has(s) && st.exitCode === 0) continue;
          throw new InvalidStateError(`container ${c.name} exited (${st.exitCode ?? -1})`);
        }
        if (st.health === 'unhealthy') throw new InvalidStateError(`container ${c.name} is unhealthy`);
        if (st.state !== 'running' || (st.health !== '' && st.health !== 'healthy')) pending++;
      }
    }
    if (!pending) return;
    if (Date.now() > deadline) throw new InvalidStateError(`timeout waiting for the project's containers to be running and healthy (--wait-timeout ${timeoutSec}s)`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `up`: its exit code (attached: 130 after ctrl-c, --exit-code-from's service's, else 0). */
export async function up(ctx: ComposeContext, opts: UpOptions): Promise<number> {
  checkUpOptions(ctx, opts);
  for (const u of ctx.project.unsupported) warn(ctx.io, u);
  const services = upServices(ctx, opts.services, opts.noDeps);
  const since = Date.now();
  await createServices(ctx, services, opts);
  if (opts.noStart) return 0;
  await startServices(ctx, services);
  if (opts.wait) {
    await waitReady(ctx, services, opts.waitTimeout);
    return 0;
  }
  if (opts.detach) return 0;
  // Attached: the named services' containers (all the services when none is named).
  const attached = opts.services.length ? selectServices(ctx.project, opts.services) : services;
  const containers = attached.flatMap((s) => serviceContainers(ctx.ops, ctx.project.name, s)).filter((c) => !isOneoff(c));
  progress(ctx.io, 'Service', attached.join(', '), 'Attaching');
  return attachLogs(ctx, containers, {
    since,
    abortOnContainerExit: opts.abortOnContainerExit || opts.exitCodeFrom !== undefined,
    exitCodeFrom: opts.exitCodeFrom,
    timeout: opts.timeout,
    prefix: !opts.noLogPrefix,
    color: ctx.io.color && !opts.noColor,
    timestamps: opts.timestamps,
    isUp,
  });
}
