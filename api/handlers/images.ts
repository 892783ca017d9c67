// Image endpoints: list, pull (and import) with Docker's JSON progress stream, inspect, history,
// push, tag, remove, search, save (get), load, prune, and commit. Each makes the engine call the
// matching tspod command makes; state changes go through ctx.exclusive. A pull or push does not:
// it holds no lock across an await but a layer's download lock, which is waited for asynchronously
// (a pull beside it waits, the queue does not), and its commit is one synchronous transaction, so it
// runs beside the queue as a second tspod process would. Archive bodies are spooled (api/spool.ts).
import type { ApiContext, RouteTable } from '../types';
import { ApiError } from '../types';
import { apiFailure } from '../errors';
import { DockerProgress, errorMessage, pullEndMessages, pullStartMessage, pushEndMessages, type JsonMessage } from '../docker/image-progress';
import { dockerHistory, dockerImageSummary, imageFilters, referenceOf, splitReference } from '../docker/image-summary';
import { dockerImageInspect } from '../docker/image-inspect';
import { registryAuthCreds } from '../docker/image-auth';
import { pruneFilters } from '../docker/volume-inspect';
import { sendSpooled, withUpload } from '../spool';

export function routes(r: RouteTable): void {
  r.add('GET', '/images/json', list);
  r.add('POST', '/images/create', create);
  r.add('GET', '/images/search', search);
  r.add('GET', '/images/get', save);
  r.add('POST', '/images/load', load);
  r.add('POST', '/images/prune', prune);
  r.add('POST', '/commit', commit);
  r.add('GET', '/images/{name...}/json', inspect);
  r.add('GET', '/images/{name...}/history', history);
  r.add('GET', '/images/{name...}/get', save);
  r.add('POST', '/images/{name...}/push', push);
  r.add('POST', '/images/{name...}/tag', tag);
  r.add('DELETE', '/images/{name...}', remove);
}

/** Begins a chunked JSON message stream (200): each message a line, as Docker's progress streams are. */
export function jsonStream(ctx: ApiContext): (m: JsonMessage) => void {
  ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
  return (m) => {
    if (!ctx.res.writableEnded) ctx.res.write(`${JSON.stringify(m)}\n`);
  };
}

/** Runs a streamed operation: a failure once the stream began is Docker's error message in it. */
async function streamed(ctx: ApiContext, emit: (m: JsonMessage) => void, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    emit(errorMessage(apiFailure(err).message));
  }
  ctx.res.end();
}

function list(ctx: ApiContext): void {
  const filters = imageFilters(ctx.filters());
  const images = ctx.engine.images.listImages({ all: ctx.bool('all'), filters });
  const byReference = filters.some((f) => f.startsWith('reference='));
  ctx.send(200, images.map((i) => dockerImageSummary(i, byReference)));
}

/** The image a name resolves to, or the engine's no-such-image error (404). */
function resolved(ctx: ApiContext, name: string): Record<string, unknown> {
  const [r] = ctx.engine.images.inspectImages([name]);
  if (r.error) throw r.error;
  return r.image!;
}

function inspect(ctx: ApiContext): void {
  ctx.send(200, dockerImageInspect(resolved(ctx, ctx.params.name) as unknown as Parameters<typeof dockerImageInspect>[0]));
}

function history(ctx: ApiContext): void {
  const img = resolved(ctx, ctx.params.name) as { Id: string; RepoTags: string[] };
  ctx.send(200, dockerHistory(ctx.engine.images.imageHistory(ctx.params.name), img.Id, img.RepoTags));
}

async function create(ctx: ApiContext): Promise<void> {
  const src = ctx.query.get('fromSrc');
  if (src !== null) return importImage(ctx, src);
  const ref = referenceOf(ctx.query.get('fromImage') ?? '', ctx.query.get('tag'));
  const creds = registryAuthCreds(ctx.req.headers['x-registry-auth']);
  const platform = ctx.query.get('platform') || undefined;
  const { repo, tag } = splitReference(ref);
  // As Docker's, the answer begins with the first layer: a pull that fails before (no such image,
  // refused credentials) is an HTTP error (404 for an unknown image), not a 200 with an error in it.
  let emit: ((m: JsonMessage) => void) | undefined;
  const send = (m: JsonMessage) => {
    if (!emit) {
      emit = jsonStream(ctx);
      emit(pullStartMessage(repo, tag));
    }
    emit(m);
  };
  const progress = new DockerProgress(send, 'pull');
  let image;
  try {
    image = await ctx.engine.images.pullImage(ref, { creds, platform, progress });
  } catch (err) {
    if (!emit) {
      const f = apiFailure(err);
      throw new ApiError(f.status === 500 && /\b404\b|manifest unknown|name unknown|not found/i.test(f.message) ? 404 : f.status, f.message);
    }
    emit(errorMessage(apiFailure(err).message));
    ctx.res.end();
    return;
  }
  for (const m of pullEndMessages(ref, image.digest, progress.transferred)) send(m);
  ctx.res.end();
}

/** POST /images/create?fromSrc=-: the body is a tarball of a root filesystem (`tspod import`). A URL source is refused by the engine as by the CLI. */
async function importImage(ctx: ApiContext, src: string): Promise<void> {
  if (src !== '-') throw new ApiError(501, `importing from ${JSON.stringify(src)} is not supported: send the tarball as the body with fromSrc=-`);
  const repo = ctx.query.get('repo');
  const reference = repo ? referenceOf(repo, ctx.query.get('tag')) : undefined;
  const changes = ctx.query.getAll('changes').filter(Boolean);
  const message = ctx.query.get('message') || undefined;
  const image = await withUpload(ctx, 'import', (upload) => ctx.exclusive(() => ctx.engine.images.importImage(upload.file, { reference, message, changes })));
  const emit = jsonStream(ctx);
  emit({ status: image.id.replace(/^sha256:/, '') });
  ctx.res.end();
}

/**
 * POST /images/{name}/push: the tag asked for; with none (docker push --all-tags), every local tag
 * of the repository, one after the other in the one stream, as Docker's daemon pushes them.
 */
async function push(ctx: ApiContext): Promise<void> {
  const name = ctx.params.name;
  const creds = registryAuthCreds(ctx.req.headers['x-registry-auth']);
  const tagGiven = ctx.query.get('tag');
  const named = name.includes('@') || name.lastIndexOf(':') > name.lastIndexOf('/');
  let refs: string[];
  if (tagGiven || named) {
    refs = [referenceOf(name, tagGiven)];
    resolved(ctx, refs[0]);
  } else {
    const repo = splitReference(name).repo;
    refs = ctx.engine.images.listImages({ filters: [`reference=${repo}`] }).flatMap((i) => i.RepoTags).filter((t) => splitReference(t).repo === repo || splitReference(t).repo.endsWith(`/${repo}`));
    if (!refs.length) throw new ApiError(404, `an image does not exist locally with the tag: ${name}`);
  }
  const emit = jsonStream(ctx);
  emit({ status: `The push refers to repository [${splitReference(refs[0]).repo}]` });
  await streamed(ctx, emit, async () => {
    for (const ref of refs) {
      const progress = new DockerProgress(emit, 'push');
      const result = await ctx.engine.images.pushImage(ref, ref, { creds, progress });
      for (const m of pushEndMessages(splitReference(ref).tag, result.digest)) emit(m);
    }
  });
}

async function tag(ctx: ApiContext): Promise<void> {
  const repo = ctx.query.get('repo');
  if (!repo) throw new ApiError(400, 'repo must be given: the name to tag the image with');
  const target = referenceOf(repo, ctx.query.get('tag'));
  await ctx.exclusive(() => ctx.engine.images.tagImage(ctx.params.name, [target]));
  ctx.empty(201);
}

async function remove(ctx: ApiContext): Promise<void> {
  const [report] = await ctx.exclusive(() => ctx.engine.images.removeImages([ctx.params.name], { force: ctx.bool('force'), all: false }));
  if (report.error) {
    const f = apiFailure(report.error);
    throw new ApiError(f.status === 500 && /\bin use\b|conflict/.test(f.message) ? 409 : f.status, f.message);
  }
  ctx.send(200, [...report.untagged.map((u) => ({ Untagged: u })), ...(report.deleted && report.id ? [{ Deleted: `sha256:${report.id.replace(/^sha256:/, '')}` }] : [])]);
}

async function search(ctx: ApiContext): Promise<void> {
  const term = ctx.query.get('term');
  if (!term) throw new ApiError(400, 'term must be given: what to search for');
  const filters = Object.entries(ctx.filters()).flatMap(([k, vs]) => vs.map((v) => `${k}=${v}`));
  const results = await ctx.engine.images.searchImages(term, { limit: ctx.int('limit', 25)!, filters });
  ctx.send(200, results.map((r) => ({ name: r.Name, description: r.Description, star_count: r.Stars, is_official: r.Official === '[OK]', is_automated: r.Automated === '[OK]' })));
}

/** GET /images/get?names=a&names=b and /images/{name}/get: a docker-archive of the images. */
async function save(ctx: ApiContext): Promise<void> {
  const names = ctx.params.name ? [ctx.params.name] : ctx.query.getAll('names').filter(Boolean);
  if (!names.length) throw new ApiError(400, 'names must be given: the images to save');
  for (const n of names) resolved(ctx, n);
  // Written whole before it is sent: an engine failure is an error status, not a cut-off archive.
  await sendSpooled(ctx, 'save', { 'Content-Type': 'application/x-tar' }, (out) => ctx.engine.images.saveImages(names, { format: 'docker-archive', out }));
}

async function load(ctx: ApiContext): Promise<void> {
  // Received whole first (a docker-archive's manifest may come after its layers).
  const images = await withUpload(ctx, 'load', (upload) => ctx.exclusive(() => ctx.engine.images.loadImages(upload.file)));
  // quiet only hides Docker's progress bars, which a load from a request body does not show.
  const emit = jsonStream(ctx);
  for (const img of images) {
    const what = img.names.length ? img.names.map((n) => `Loaded image: ${n}`) : [`Loaded image ID: ${img.id}`];
    for (const line of what) emit({ stream: `${line}\n` });
  }
  ctx.res.end();
}

async function prune(ctx: ApiContext): Promise<void> {
  const f = ctx.filters();
  const dangling = f.dangling?.[0];
  const all = dangling !== undefined && /^(false|0)$/i.test(dangling);
  const rest = Object.fromEntries(Object.entries(f).filter(([k]) => k !== 'dangling'));
  const filters = pruneFilters(rest, ['until', 'label', 'label!']);
  const reports = await ctx.exclusive(() => {
    const sizes = new Map(ctx.engine.images.listImages({ all: true }).map((i) => [i.Id, i.Size] as const));
    return ctx.engine.images.pruneImages({ all, filters }).map((r) => ({ ...r, size: sizes.get((r.id ?? '').replace(/^sha256:/, '')) ?? 0 }));
  });
  const done = reports.filter((r) => !r.error);
  ctx.send(200, {
    ImagesDeleted: done.length ? done.flatMap((r) => [...r.untagged.map((u) => ({ Untagged: u })), ...(r.deleted ? [{ Deleted: `sha256:${(r.id ?? '').replace(/^sha256:/, '')}` }] : [])]) : null,
    SpaceReclaimed: done.filter((r) => r.deleted).reduce((n, r) => n + r.size, 0),
  });
}

/** POST /commit: the container's changes as a new image (`tspod commit`); the body's config is not applied (give changes instead). */
async function commit(ctx: ApiContext): Promise<void> {
  const container = ctx.query.get('container');
  if (!container) throw new ApiError(400, 'container must be given: the container to commit');
  const repo = ctx.query.get('repo');
  const reference = repo ? referenceOf(repo, ctx.query.get('tag')) : undefined;
  const changes = ctx.query.getAll('changes').flatMap((c) => c.split('\n')).filter((c) => c.trim());
  await ctx.json(); // the body is read (and checked to be JSON) so the connection can be reused
  const image = await ctx.exclusive(() =>
    ctx.engine.containers.commit(container, reference, { message: ctx.query.get('comment') || undefined, author: ctx.query.get('author') || undefined, changes, pause: ctx.bool('pause', false) }),
  );
  ctx.send(201, { Id: `sha256:${image.id.replace(/^sha256:/, '')}` });
}
