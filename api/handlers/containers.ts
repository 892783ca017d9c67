// The container endpoints of Docker's Engine API: list, create, inspect, the lifecycle verbs,
// wait, delete, rename, update, prune, top, changes, stats, resize. Each makes the engine call the
// matching tspod command makes (commands/container/*.ts); what changes state goes through
// ctx.exclusive. Shapes are translated in api/docker/container-*.ts.
import { setTimeout as delay } from 'node:timers/promises';
import { QuietProgress } from '../../src/progress';
import { log } from '../../src/log';
import { ApiError, type ApiContext, type RouteTable } from '../types';
import { createOptionsFromDocker, imageWithTag, restartFlag, type DockerCreateBody } from '../docker/container-create';
import { dockerInspect, dockerListEntry, psFilters } from '../docker/container-inspect';
import { dockerStats, type StatsPoint } from '../docker/container-stats';

export function routes(r: RouteTable): void {
  r.add('GET', '/containers/json', list);
  r.add('POST', '/containers/create', create);
  r.add('GET', '/containers/{name}/json', inspect);
  r.add('POST', '/containers/{name}/start', start);
  r.add('POST', '/containers/{name}/stop', stop);
  r.add('POST', '/containers/{name}/restart', restart);
  r.add('POST', '/containers/{name}/kill', kill);
  r.add('POST', '/containers/{name}/pause', (ctx) => pause(ctx, true));
  r.add('POST', '/containers/{name}/unpause', (ctx) => pause(ctx, false));
  r.add('POST', '/containers/{name}/wait', wait);
  r.add('DELETE', '/containers/{name}', remove);
  r.add('POST', '/containers/{name}/rename', rename);
  r.add('POST', '/containers/{name}/update', update);
  r.add('POST', '/containers/prune', prune);
  r.add('GET', '/containers/{name}/top', top);
  r.add('GET', '/containers/{name}/changes', changes);
  r.add('GET', '/containers/{name}/stats', stats);
  r.add('POST', '/containers/{name}/resize', resize);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sleeps ms, or less when the client goes (node's timer on the request's signal, which it lets go after). */
const sleepWhileOpen = (ctx: ApiContext, ms: number): Promise<void> => delay(ms, undefined, { signal: ctx.signal }).catch(() => undefined);

/** The engine's "no such container" as Docker words it; other errors as they are. */
function dockerError(err: unknown, name: string): unknown {
  if ((err as { code?: string })?.code === 'ENOCONTAINER') return new ApiError(404, `No such container: ${name}`);
  return err;
}

/** The container's full ID, or Docker's 404. */
function resolve(ctx: ApiContext, name: string): { id: string; name: string; state: string } {
  try {
    const c = ctx.engine.containers.resolve(name);
    return { id: c.id, name: c.name, state: c.state };
  } catch (err) {
    throw dockerError(err, name);
  }
}

/** A report list's first error thrown (as Docker's 404 for a missing container). */
function check(reports: Array<{ error?: Error }>, name: string): void {
  const failed = reports.find((r) => r.error);
  if (failed) throw dockerError(failed.error, name);
}

/** Seconds from ?t= (stop, restart, delete's wait): undefined when absent; Docker's -1 is "no timeout". */
function timeout(ctx: ApiContext): number | undefined {
  const t = ctx.int('t');
  if (t === undefined || t < 0) return undefined;
  return t;
}

function list(ctx: ApiContext): void {
  const all = ctx.bool('all');
  const limit = ctx.int('limit');
  const { filters, paused } = psFilters(ctx.filters());
  const reports = ctx.engine.containers.ps({ all, filters, last: limit !== undefined && limit > 0 ? limit : undefined, size: ctx.bool('size') });
  const out = [];
  for (const { summary } of reports) {
    const isPaused = summary.state === 'running' && ctx.engine.apiContainerPaused(summary.id);
    if (paused !== undefined && isPaused !== paused) continue;
    const [doc] = ctx.engine.containers.inspect([summary.id]);
    out.push(dockerListEntry(summary, doc?.data, isPaused));
  }
  ctx.send(200, out);
}

async function create(ctx: ApiContext): Promise<void> {
  const body = await ctx.json<DockerCreateBody>();
  const name = ctx.query.get('name')?.replace(/^\//, '') || undefined; // Docker takes "/name" too
  const platform = ctx.query.get('platform') || undefined;
  const opts = createOptionsFromDocker(body, name, { progress: new QuietProgress(), platform });
  // Docker answers 404 for a network that does not exist (the CLI's flag check says 400).
  const modes = ['bridge', 'podman', 'host', 'none', 'private'];
  for (const n of (opts.network ?? '').split(',').filter(Boolean)) {
    if (!modes.includes(n) && !/^(container|ns|slirp4netns|pasta)(:|$)/.test(n) && !ctx.engine.networks.exists(n)) throw new ApiError(404, `network ${n} not found`);
  }
  const warnings: string[] = [];
  const c = await ctx.exclusive(async () => {
    // The warnings the CLI prints (limits a rootless host ignores...) are Docker's Warnings; they
    // still go to the service's log. Only this create runs in the queue meanwhile.
    const warn = log.warn;
    log.warn = (m: string) => {
      warnings.push(m);
      warn(m);
    };
    try {
      return await ctx.engine.containers.create(opts);
    } catch (err) {
      // Docker's create never pulls: the client pulls when told the image is missing.
      if ((err as { code?: string })?.code === 'ENOIMAGE') throw new ApiError(404, `No such image: ${imageWithTag(opts.image)}`);
      throw err;
    } finally {
      log.warn = warn;
    }
  });
  ctx.send(201, { Id: c.id, Warnings: warnings });
}

function inspect(ctx: ApiContext): void {
  const name = ctx.params.name;
  const [r] = ctx.engine.containers.inspect([name], { size: ctx.bool('size') });
  const code = (r?.error as { code?: string } | undefined)?.code;
  if (!r?.data) throw !r?.error || code === 'ENOCONTAINER' || code === 'ENOOBJECT' ? new ApiError(404, `No such container: ${name}`) : r.error;
  ctx.send(200, dockerInspect(r.data, ctx.engine.apiContainerPaused(r.data.Id as string)));
}

async function start(ctx: ApiContext): Promise<void> {
  const name = ctx.params.name;
  const notModified = await ctx.exclusive(async () => {
    const c = resolve(ctx, name);
    if (c.state === 'running') return true;
    const reports = (await ctx.engine.containers.start([c.id], { attach: false, interactive: false, detachKeys: Buffer.alloc(0) }, { input: process.stdin, stdout: process.stdout, stderr: process.stderr } as unknown as Parameters<typeof ctx.engine.containers.start>[2])) as Array<{ error?: Error }>;
    check(reports, name);
    return false;
  });
  ctx.empty(notModified ? 304 : 204);
}

async function stop(ctx: ApiContext): Promise<void> {
  const name = ctx.params.name;
  const t = timeout(ctx);
  const notModified = await ctx.exclusive(async () => {
    const c = resolve(ctx, name);
    if (!['running', 'restarting', 'stopping', 'initialized'].includes(c.state)) return true;
    check(await ctx.engine.containers.stop([c.id], { timeout: t }), name);
    return false;
  });
  ctx.empty(notModified ? 304 : 204);
}

async function restart(ctx: ApiContext): Promise<void> {
  const name = ctx.params.name;
  const t = timeout(ctx);
  await ctx.exclusive(async () => {
    const c = resolve(ctx, name);
    check(await ctx.engine.containers.restart([c.id], { timeout: t, running: false }), name);
  });
  ctx.empty(204);
}

async function kill(ctx: ApiContext): Promise<void> {
  const name = ctx.params.name;
  const signal = ctx.query.get('signal') || 'KILL';
  await ctx.exclusive(async () => {
    const c = resolve(ctx, name);
    if (c.state !== 'running' && c.state !== 'restarting') throw new ApiError(409, `Container ${c.id} is not running`);
    check(await ctx.engine.containers.kill([c.id], { signal }), name);
  });
  ctx.empty(204);
}

async function pause(ctx: ApiContext, on: boolean): Promise<void> {
  const name = ctx.params.name;
  await ctx.exclusive(async () => {
    const c = resolve(ctx, name);
    check(await ctx.engine.containers.pause([c.id], false, on), name);
  });
  ctx.empty(204);
}

/** Docker's wait conditions: not-running (default), next-exit, removed. */
async function wait(ctx: ApiContext): Promise<void> {
  const name = ctx.params.name;
  const condition = ctx.query.get('condition') || 'not-running';
  if (!['not-running', 'next-exit', 'removed'].includes(condition)) throw new ApiError(400, `invalid condition "${condition}": use not-running, next-exit or removed`);
  const c = resolve(ctx, name);
  // Docker answers the headers at once (a client may start the container meanwhile) and the body at the end.
  ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
  ctx.res.flushHeaders();
  const finishedAt = () => {
    const [r] = ctx.engine.containers.inspect([c.id]);
    const st = r?.data?.State as { Status?: string; FinishedAt?: string } | undefined;
    return st && { status: st.Status ?? '', finishedAt: st.FinishedAt ?? '' };
  };
  let result: { StatusCode: number; Error: { Message: string } | null };
  try {
    if (condition !== 'not-running') {
      // The next exit: once it runs, or has exited since we looked (a short command between two looks).
      const first = finishedAt();
      for (;;) {
        if (ctx.isClosed()) return;
        const now = finishedAt();
        if (!now || now.status === 'running' || now.finishedAt !== first?.finishedAt) break;
        await sleepWhileOpen(ctx, 100);
      }
    }
    // Cut short when the client goes: else a container that runs on would keep this request (and
    // the service, past its idle time) open until it stops.
    const [r] = await ctx.engine.containers.wait([c.id], { conditions: ['stopped'], intervalMs: 100, ignore: false, exitFirstMatch: false, signal: ctx.signal });
    if (ctx.isClosed()) return;
    if (r?.error && condition !== 'removed') throw r.error;
    if (condition === 'removed') while (!ctx.isClosed() && ctx.engine.containers.exists(c.id)) await sleepWhileOpen(ctx, 100);
    if (ctx.isClosed()) return;
    result = { StatusCode: r?.exitCode ?? -1, Error: null };
  } catch (err) {
    result = { StatusCode: -1, Error: { Message: (err as Error).message } };
  }
  if (!ctx.isClosed()) ctx.res.end(`${JSON.stringify(result)}\n`);
}

async function remove(ctx: ApiContext): Promise<void> {
  const name = ctx.params.name;
  const force = ctx.bool('force');
  const volumes = ctx.bool('v');
  await ctx.exclusive(async () => {
    const c = resolve(ctx, name);
    if (!force && ['running', 'restarting', 'stopping', 'paused'].includes(c.state)) {
      throw new ApiError(409, `You cannot remove a running container ${c.id}. Stop the container before attempting removal or force remove`);
    }
    check(await ctx.engine.containers.remove([c.id], { force, volumes }), name);
  });
  ctx.empty(204);
}

async function rename(ctx: ApiContext): Promise<void> {
  const name = ctx.params.name;
  const to = ctx.query.get('name');
  if (!to) throw new ApiError(400, 'give the new name: ?name=NEW');
  await ctx.exclusive(() => {
    const c = resolve(ctx, name);
    ctx.engine.containers.rename(c.id, to);
  });
  ctx.empty(204);
}

/** POST /containers/{id}/update: the restart policy and resources, as `tspod update` takes them. */
async function update(ctx: ApiContext): Promise<void> {
  const name = ctx.params.name;
  const body = await ctx.json<Record<string, unknown>>();
  const { resources } = createOptionsFromDocker({ Image: 'unused', HostConfig: body }, undefined, { progress: new QuietProgress() });
  const restart = body.RestartPolicy ? (restartFlag(body.RestartPolicy) ?? 'no') : undefined;
  const ulimits = Array.isArray(body.Ulimits) ? (body.Ulimits as Array<Record<string, unknown>>).map((u) => `${u.Name}=${u.Soft}:${u.Hard}`) : [];
  await ctx.exclusive(async () => {
    const c = resolve(ctx, name);
    await ctx.engine.containers.update(c.id, { resources: resources!, restart, env: [], unsetEnv: [], ulimits });
  });
  ctx.send(200, { Warnings: [] });
}

async function prune(ctx: ApiContext): Promise<void> {
  const filters = Object.entries(ctx.filters()).flatMap(([k, vs]) => vs.map((v) => `${k}=${v}`));
  const { deleted, reclaimed } = await ctx.exclusive(async () => {
    // The bytes each candidate wrote, measured before it goes (the service runs inside the namespace).
    const sizes = new Map(ctx.engine.containers.ps({ all: true, filters: [], size: true }).map((r) => [r.summary.id, r.summary.size?.rw ?? 0]));
    const reports = await ctx.engine.containers.prune(filters);
    const gone = reports.filter((r) => !r.error).map((r) => r.id);
    return { deleted: gone, reclaimed: gone.reduce((n, id) => n + (sizes.get(id) ?? 0), 0) };
  });
  ctx.send(200, { ContainersDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed });
}

function top(ctx: ApiContext): void {
  const name = ctx.params.name;
  const args = (ctx.query.get('ps_args') ?? '').trim();
  // Docker's ps_args are ps(1) options; the engine takes Podman's descriptors. The common -ef,
  // aux and ef ask for the default columns; anything else is taken as descriptors.
  const descriptors = ['', '-ef', 'ef', 'aux', '-aux'].includes(args) ? [] : args.split(/[\s,]+/).filter(Boolean);
  const c = resolve(ctx, name);
  let rows: string[][];
  try {
    rows = ctx.engine.containers.top(c.id, descriptors);
  } catch (err) {
    if ((err as { code?: string })?.code === 'ESTATE') throw new ApiError(409, `Container ${c.id} is not running`);
    throw err;
  }
  const [titles, ...processes] = rows;
  ctx.send(200, { Titles: titles ?? [], Processes: processes });
}

function changes(ctx: ApiContext): void {
  const name = ctx.params.name;
  const c = resolve(ctx, name);
  const kinds: Record<string, number> = { C: 0, A: 1, D: 2 };
  const list = ctx.engine.containers.diff([c.id], { images: false });
  ctx.send(200, list.length ? list.map((ch) => ({ Path: ch.path, Kind: kinds[ch.kind] })) : null);
}

/** stats: one document (stream=false, or one-shot), else one a second until the client goes. */
async function stats(ctx: ApiContext): Promise<void> {
  const name = ctx.params.name;
  const stream = ctx.bool('stream', true);
  const oneShot = ctx.bool('one-shot');
  const c = resolve(ctx, name);
  const point = (): StatsPoint => {
    try {
      return ctx.engine.apiContainerStats(c.id);
    } catch (err) {
      throw dockerError(err, name);
    }
  };
  let before: StatsPoint | undefined;
  let now = point();
  if (!stream) {
    // Docker's non-stream answer has precpu_stats from a second sample (unless one-shot).
    if (!oneShot && now.sample) {
      before = now;
      await sleep(1000);
      now = point();
    }
    ctx.send(200, dockerStats(now, before));
    return;
  }
  ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
  for (;;) {
    ctx.res.write(`${JSON.stringify(dockerStats(now, before))}\n`);
    await sleepWhileOpen(ctx, 1000);
    if (ctx.isClosed()) return;
    before = now;
    try {
      now = point();
    } catch {
      break; // removed meanwhile: the stream ends
    }
  }
  ctx.res.end();
}

/** resize: a TTY container's terminal size (h rows, w columns). */
async function resize(ctx: ApiContext): Promise<void> {
  const name = ctx.params.name;
  const h = ctx.int('h');
  const w = ctx.int('w');
  if (h === undefined || w === undefined || h <= 0 || w <= 0) throw new ApiError(400, 'give the size as h= and w= (rows and columns, above 0)');
  const c = resolve(ctx, name);
  await ctx.engine.apiResizeTty(c.id, h, w);
  ctx.empty(200);
}
