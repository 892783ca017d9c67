// `compose down`: the project's containers (one-off run containers too) stopped and removed in
// reverse dependency order, orphans with --remove-orphans, then the networks it made; -v its named
// volumes (and the containers' anonymous ones); --rmi local (the images it built) or all.
import { InvalidArgumentError, TspodError } from '../../src/errors';
import type { ComposeContainer } from './compose-ops';
import type { ComposeContext } from './context';
import { progress, warn } from './compose-io';
import { dependencyOrder } from './depends';
import { serviceImage } from './images';
import { isUp, projectContainers } from './project-containers';
import { removalOutcome, removeNetworks, removeVolumes } from './resources';
import { LABEL } from './types';
import { removeProjectFiles } from './service-files';

export interface DownOptions {
  removeOrphans: boolean;
  volumes: boolean;
  rmi?: string;
  timeout?: number;
}

/** Stops the containers (together), then removes each; failures are collected. */
export async function removeContainerGroup(ctx: ComposeContext, cs: ComposeContainer[], opts: { volumes: boolean; timeout?: number }, failures: string[]): Promise<void> {
  const running = cs.filter((c) => isUp(c.state));
  for (const c of running) progress(ctx.io, 'Container', c.name, 'Stopping');
  const stops = await ctx.ops.stopContainers(running.map((c) => c.id), opts.timeout);
  for (const [i, r] of stops.entries()) {
    const c = running.find((x) => x.id === r.id) ?? running[i];
    if (r.error) failures.push(`container ${c?.name}: ${r.error.message}`);
    else if (c) progress(ctx.io, 'Container', c.name, 'Stopped');
  }
  for (const c of cs) {
    progress(ctx.io, 'Container', c.name, 'Removing');
    const [r] = await ctx.ops.removeContainers([c.id], { force: true, volumes: opts.volumes, timeout: opts.timeout });
    if (r?.error) failures.push(`container ${c.name}: ${r.error.message}`);
    else progress(ctx.io, 'Container', c.name, 'Removed');
  }
}

export async function down(ctx: ComposeContext, opts: DownOptions): Promise<void> {
  if (opts.rmi !== undefined && opts.rmi !== 'local' && opts.rmi !== 'all') throw new InvalidArgumentError(`invalid --rmi value "${opts.rmi}": give local or all`);
  const { project } = ctx;
  const all = projectContainers(ctx.ops, project.name, { oneoff: true });
  const failures: string[] = [];
  let found = all.length;
  const order = dependencyOrder(project, Object.keys(project.services)).reverse();
  const known = new Set([...Object.keys(project.services), ...Object.keys(project.disabledServices)]);
  const orphans = all.filter((c) => !known.has(c.labels[LABEL.service] ?? ''));
  if (orphans.length && !opts.removeOrphans) warn(ctx.io, `Found orphan containers ([${orphans.map((c) => c.name).join(' ')}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`);
  // Orphans first (nothing of the project depends on them), then the services from the last started.
  const groups = [...(opts.removeOrphans ? [orphans] : []), ...order.map((s) => all.filter((c) => c.labels[LABEL.service] === s)), ...Object.keys(project.disabledServices).map((s) => all.filter((c) => c.labels[LABEL.service] === s))];
  for (const g of groups) if (g.length) await removeContainerGroup(ctx, g, opts, failures);
  // A container left (its removal failed, or an orphan kept) still binds the secret and config
  // files: they go only once no container of the project is left.
  const containersLeft = failures.length > 0 || projectContainers(ctx.ops, project.name, { oneoff: true }).length > 0;
  found += await removeNetworks(ctx, failures);
  if (!containersLeft) removeProjectFiles(ctx);
  if (opts.volumes) found += await removeVolumes(ctx, failures);
  if (opts.rmi) {
    const images = new Set<string>();
    for (const s of Object.values(project.services)) if (opts.rmi === 'all' || !s.image) images.add(serviceImage(project, s));
    for (const image of images) {
      if (!ctx.ops.imageExists(image)) continue;
      found++;
      progress(ctx.io, 'Image', image, 'Removing');
      const r = await ctx.ops.removeImage(image);
      removalOutcome(ctx, 'Image', image, r.error, failures);
    }
  }
  if (!found) warn(ctx.io, `No resource found to remove for project "${project.name}".`);
  if (failures.length) throw new TspodError(`down left ${failures.length === 1 ? 'one thing' : `${failures.length} things`}: ${failures.join('; ')}`);
}
