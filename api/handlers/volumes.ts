// Volume endpoints in Docker's shapes: list ({Volumes, Warnings}), create, inspect, remove, prune.
import type { ApiContext, RouteTable } from '../types';
import { ApiError } from '../types';
import { dockerVolume, pruneFilters, volumeCreateOptions, volumeFilters, type DockerVolumeCreate, type PodmanVolume } from '../docker/volume-inspect';

export function routes(r: RouteTable): void {
  r.add('GET', '/volumes', list);
  r.add('POST', '/volumes/create', create);
  r.add('POST', '/volumes/prune', prune);
  r.add('GET', '/volumes/{name}', inspect);
  r.add('DELETE', '/volumes/{name}', remove);
}

function inspected(ctx: ApiContext, name: string): PodmanVolume {
  const [r] = ctx.engine.volumes.inspect([name]);
  if (r.error) throw new ApiError(404, `get ${name}: no such volume`);
  return r.data as unknown as PodmanVolume;
}

function list(ctx: ApiContext): void {
  const names = ctx.engine.volumes.list(volumeFilters(ctx.filters())).map((v) => v.name);
  const vols = ctx.engine.volumes.inspect(names).flatMap((r) => (r.data ? [dockerVolume(r.data as unknown as PodmanVolume)] : []));
  ctx.send(200, { Volumes: vols, Warnings: [] });
}

function inspect(ctx: ApiContext): void {
  ctx.send(200, dockerVolume(inspected(ctx, ctx.params.name)));
}

/** Docker's create of a volume that exists answers it as it is (compose relies on this). */
async function create(ctx: ApiContext): Promise<void> {
  const { name, opts } = volumeCreateOptions(await ctx.json<DockerVolumeCreate>());
  const vol = await ctx.exclusive(() => ctx.engine.volumes.create(name, { ...opts, ignore: true }));
  ctx.send(201, dockerVolume(inspected(ctx, vol.name)));
}

/** Docker's force only makes a missing volume no error; a volume in use is a 409 either way (Docker removes no containers for it). */
async function remove(ctx: ApiContext): Promise<void> {
  const name = ctx.params.name;
  const force = ctx.bool('force');
  await ctx.exclusive(async () => {
    if (!ctx.engine.volumes.exists(name)) {
      if (force) return;
      throw new ApiError(404, `get ${name}: no such volume`);
    }
    const users = ctx.engine.volumes.users(name);
    if (users.length) throw new ApiError(409, `remove ${name}: volume is in use - [${users.map((c) => c.id).join(', ')}]`);
    const [r] = await ctx.engine.volumes.remove([name], { force: false });
    if (r.error) throw r.error;
  });
  ctx.empty(204);
}

async function prune(ctx: ApiContext): Promise<void> {
  const f = ctx.filters();
  // API 1.42's all=true (named volumes too) is what 1.41 always did: accepted and dropped.
  delete f.all;
  const filters = pruneFilters(f, ['label', 'label!', 'until']);
  const { removed, reclaimed } = await ctx.exclusive(async () => {
    const sizes = ctx.engine.volumeSizes(ctx.engine.volumes.pruneCandidates(filters).map((v) => v.name));
    const gone = await ctx.engine.volumes.prune(filters);
    return { removed: gone, reclaimed: gone.reduce((n, v) => n + (sizes[v] ?? 0), 0) };
  });
  ctx.send(200, { VolumesDeleted: removed, SpaceReclaimed: reclaimed });
}
