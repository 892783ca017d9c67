// Network endpoints in Docker's shapes: list, inspect, create, connect, disconnect, remove, prune.
// Docker's name for the default network, "bridge", is the engine's default network (podman), as
// Podman's compat API takes it.
import type { ApiContext, RouteTable } from '../types';
import { ApiError } from '../types';
import { dockerNetwork, networkCreateOptions, networkFilter, type DockerNetworkCreate, type PodmanNetwork } from '../docker/network-inspect';
import { pruneFilters } from '../docker/volume-inspect';

const DEFAULT_NETWORK = 'podman';

export function routes(r: RouteTable): void {
  r.add('GET', '/networks', list);
  r.add('POST', '/networks/create', create);
  r.add('POST', '/networks/prune', prune);
  r.add('GET', '/networks/{id}', inspect);
  r.add('DELETE', '/networks/{id}', remove);
  r.add('POST', '/networks/{id}/connect', connect);
  r.add('POST', '/networks/{id}/disconnect', disconnect);
}

const nameOf = (id: string) => (id === 'bridge' ? DEFAULT_NETWORK : id);

function inspected(ctx: ApiContext, names: string[]): PodmanNetwork[] {
  return ctx.engine.networks.inspect(names).map((r) => {
    if (r.error) throw r.error;
    return r.data as unknown as PodmanNetwork;
  });
}

function list(ctx: ApiContext): void {
  const f = ctx.filters();
  const unused = new Set(Object.keys(f).includes('dangling') ? ctx.engine.networks.unused().map((n) => n.name) : []);
  const keep = networkFilter(f, DEFAULT_NETWORK, (n) => unused.has(n));
  const all = inspected(ctx, ctx.engine.networks.list().map((n) => n.name));
  ctx.send(200, all.filter(keep).map(dockerNetwork));
}

function inspect(ctx: ApiContext): void {
  const name = nameOf(ctx.params.id);
  if (!ctx.engine.networks.exists(name)) throw new ApiError(404, `network ${ctx.params.id} not found`);
  ctx.send(200, dockerNetwork(inspected(ctx, [name])[0]));
}

async function create(ctx: ApiContext): Promise<void> {
  const { name, opts } = networkCreateOptions(await ctx.json<DockerNetworkCreate>());
  const net = await ctx.exclusive(() => {
    if (ctx.engine.networks.exists(name)) throw new ApiError(409, `network with name ${name} already exists`);
    return ctx.engine.networks.create(name, opts);
  });
  ctx.send(201, { Id: net.id, Warning: '' });
}

async function remove(ctx: ApiContext): Promise<void> {
  const name = nameOf(ctx.params.id);
  const [r] = await ctx.exclusive(() => {
    if (!ctx.engine.networks.exists(name)) throw new ApiError(404, `network ${ctx.params.id} not found`);
    return ctx.engine.networks.remove([name], { force: false });
  });
  if (r.error) {
    // In use is Docker's 403 ("has active endpoints"); removing the default network too.
    const msg = r.error.message;
    throw new ApiError(/in use|cannot be removed/.test(msg) ? 403 : 500, msg);
  }
  ctx.empty(204);
}

async function prune(ctx: ApiContext): Promise<void> {
  const filters = pruneFilters(ctx.filters(), ['until', 'label', 'label!']);
  const removed = await ctx.exclusive(() => ctx.engine.networks.prune(filters));
  ctx.send(200, { NetworksDeleted: removed });
}

interface ConnectBody {
  Container?: string;
  EndpointConfig?: { IPAMConfig?: { IPv4Address?: string; IPv6Address?: string }; Aliases?: string[]; MacAddress?: string };
  Force?: boolean;
}

async function connect(ctx: ApiContext): Promise<void> {
  const b = await ctx.json<ConnectBody>();
  if (!b.Container) throw new ApiError(400, 'Container must be given: the container to connect');
  const ep = b.EndpointConfig ?? {};
  if (ep.IPAMConfig?.IPv6Address) throw new ApiError(400, 'IPv6 addresses are not supported');
  await ctx.exclusive(() => ctx.engine.networks.connect(nameOf(ctx.params.id), b.Container!, { aliases: ep.Aliases ?? [], ip: ep.IPAMConfig?.IPv4Address || undefined, mac: ep.MacAddress || undefined }));
  ctx.empty(200);
}

async function disconnect(ctx: ApiContext): Promise<void> {
  const b = await ctx.json<ConnectBody>();
  if (!b.Container) throw new ApiError(400, 'Container must be given: the container to disconnect');
  await ctx.exclusive(() => ctx.engine.networks.disconnect(nameOf(ctx.params.id), b.Container!));
  ctx.empty(200);
}
