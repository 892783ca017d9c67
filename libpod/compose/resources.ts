// The project's networks and volumes: made by up when missing (an external one must exist; one of
// that name compose did not make is used with a warning, as Compose's), removed by down when this
// project made them (its label says so).
import { InvalidArgumentError } from '../../src/errors';
import type { ComposeContext } from './context';
import { progress, warn, type Resource } from './compose-io';
import { LABEL } from './types';

/** The project network keys the given services use (normalize puts a service without networks on `default`). */
export function networksUsed(ctx: ComposeContext, services: string[]): string[] {
  const keys = new Set<string>();
  for (const s of services) {
    const svc = ctx.project.services[s];
    if (svc.network_mode) continue;
    const nets = Object.keys(svc.networks ?? {});
    for (const k of nets.length ? nets : ['default']) keys.add(k);
  }
  return [...keys].filter((k) => ctx.project.networks[k]);
}

/** The volume keys the given services mount. */
export function volumesUsed(ctx: ComposeContext, services: string[]): string[] {
  const keys = new Set<string>();
  for (const s of services) for (const v of ctx.project.services[s].volumes ?? []) if (v.type === 'volume' && v.source && ctx.project.volumes[v.source]) keys.add(v.source);
  return [...keys];
}

export function ensureNetworks(ctx: ComposeContext, keys: string[]): void {
  const { project, ops, io } = ctx;
  for (const key of keys) {
    const cfg = project.networks[key];
    if (cfg?.external) {
      if (!ops.networkLabels(cfg.name)) throw new InvalidArgumentError(`network ${cfg.name} declared as external, but could not be found: create it with "tspod network create ${cfg.name}"`);
      continue;
    }
    const { name, options } = ctx.tr.networkCreate(project, key);
    const labels = ops.networkLabels(name);
    if (labels) {
      if (labels[LABEL.project] !== project.name) warn(io, `a network with name ${name} exists but was not created by compose for project "${project.name}": set \`external: true\` to use an existing network`);
      continue;
    }
    progress(io, 'Network', name, 'Creating');
    ops.createNetwork(name, options);
    progress(io, 'Network', name, 'Created');
  }
}

export function ensureVolumes(ctx: ComposeContext, keys: string[]): void {
  const { project, ops, io } = ctx;
  for (const key of keys) {
    const cfg = project.volumes[key];
    if (cfg.external) {
      if (!ops.volumeLabels(cfg.name)) throw new InvalidArgumentError(`external volume "${cfg.name}" not found: create it with "tspod volume create ${cfg.name}"`);
      continue;
    }
    const v = ctx.tr.volumeCreate(project, key);
    const labels = ops.volumeLabels(v.name);
    if (labels) {
      if (labels[LABEL.project] !== project.name) warn(io, `volume "${v.name}" already exists but was not created by compose for project "${project.name}": use \`external: true\` to use an existing volume`);
      continue;
    }
    progress(io, 'Volume', v.name, 'Creating');
    ops.createVolume(v.name, v.options);
    progress(io, 'Volume', v.name, 'Created');
  }
}

/**
 * down's outcome of removing one network, volume or image: removed; in use by a container down
 * did not remove (another project's: an InvalidStateError), a warning as Compose's "Resource is
 * still in use", not a failure; any other error collected. True when it was removed.
 */
export function removalOutcome(ctx: ComposeContext, kind: Resource, name: string, error: Error | undefined, failures: string[]): boolean {
  if (!error) {
    progress(ctx.io, kind, name, 'Removed');
    return true;
  }
  if ((error as { code?: string }).code === 'ESTATE') progress(ctx.io, kind, name, 'Resource is still in use');
  else failures.push(`${kind.toLowerCase()} ${name}: ${error.message}`);
  return false;
}

/** down: the networks this project made (not external ones); failures are collected. */
export async function removeNetworks(ctx: ComposeContext, failures: string[]): Promise<number> {
  let removed = 0;
  for (const cfg of Object.values(ctx.project.networks)) {
    if (cfg.external) continue;
    const labels = ctx.ops.networkLabels(cfg.name);
    if (!labels || labels[LABEL.project] !== ctx.project.name) continue;
    progress(ctx.io, 'Network', cfg.name, 'Removing');
    const r = await ctx.ops.removeNetwork(cfg.name);
    if (removalOutcome(ctx, 'Network', cfg.name, r.error, failures)) removed++;
  }
  return removed;
}

/** down -v: the named volumes this project made (not external ones). */
export async function removeVolumes(ctx: ComposeContext, failures: string[]): Promise<number> {
  let removed = 0;
  for (const cfg of Object.values(ctx.project.volumes)) {
    if (cfg.external) continue;
    const labels = ctx.ops.volumeLabels(cfg.name);
    if (!labels || labels[LABEL.project] !== ctx.project.name) continue;
    progress(ctx.io, 'Volume', cfg.name, 'Removing');
    const r = await ctx.ops.removeVolume(cfg.name);
    if (removalOutcome(ctx, 'Volume', cfg.name, r.error, failures)) removed++;
  }
  return removed;
}
