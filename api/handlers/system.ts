// System endpoints: _ping, version, info, events, system/df, auth.
import crypto from 'node:crypto';
import os from 'node:os';
import { VERSION } from '../../src/version';
import { dockerDf, dockerEvent, dockerInfo, eventFilters, eventTime } from '../docker/system';
import { API_VERSION, ApiError, MIN_API_VERSION, type ApiContext, type RouteTable } from '../types';

export function routes(r: RouteTable): void {
  r.add('GET', '/_ping', ping);
  r.add('HEAD', '/_ping', ping);
  r.add('GET', '/version', version);
  r.add('GET', '/info', info);
  r.add('GET', '/events', events);
  r.add('GET', '/system/df', df);
  r.add('POST', '/auth', auth);
}

function ping(ctx: ApiContext): void {
  ctx.res.writeHead(200, { 'Api-Version': API_VERSION, 'Builder-Version': '1', 'Docker-Experimental': 'false', Ostype: 'linux', 'Cache-Control': 'no-cache, no-store, must-revalidate', Pragma: 'no-cache', 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 2 });
  ctx.res.end(ctx.req.method === 'HEAD' ? undefined : 'OK');
}

function version(ctx: ApiContext): void {
  const v = ctx.engine.version().Client;
  const arch = v.OsArch.split('/')[1];
  ctx.send(200, {
    Platform: { Name: 'tspod' },
    Components: [{ Name: 'Engine', Version: VERSION, Details: { ApiVersion: API_VERSION, Experimental: 'false', Arch: arch, BuildTime: v.BuiltTime, GitCommit: v.GitCommit, GoVersion: v.NodeVersion, KernelVersion: os.release(), MinAPIVersion: MIN_API_VERSION, Os: 'linux' } }],
    Version: VERSION,
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: v.GitCommit,
    GoVersion: v.NodeVersion,
    Os: 'linux',
    Arch: arch,
    KernelVersion: os.release(),
    BuildTime: v.BuiltTime,
  });
}

async function info(ctx: ApiContext): Promise<void> {
  const report = await ctx.engine.info();
  const id = crypto.createHash('sha256').update(ctx.engine.paths.root).digest('hex').slice(0, 48).toUpperCase().match(/.{4}/g)!.join(':');
  const images = ctx.engine.images.listImages({}).length;
  const runtime = String((report.host.ociRuntime as { name?: string })?.name ?? 'runc');
  ctx.send(200, dockerInfo(report, { id, serverVersion: VERSION, images, runtimes: [...new Set([runtime, 'runc', 'crun'])] }));
}

/** Streams the events (one JSON object per line) until `until`, or until the client goes. */
async function events(ctx: ApiContext): Promise<void> {
  const since = eventTime(ctx.query.get('since'));
  const until = eventTime(ctx.query.get('until'));
  const filters = eventFilters(ctx.filters());
  let started = false;
  const begin = () => {
    if (started) return;
    started = true;
    ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
    ctx.res.flushHeaders();
  };
  // The filters are checked before the answer begins: a bad one is a 400.
  const watching = ctx.engine.containers.events({ since, until, filters, stream: until === undefined || until > Date.now(), signal: ctx.signal }, (e) => {
    begin();
    ctx.res.write(`${JSON.stringify(dockerEvent(e))}\n`);
  });
  await Promise.race([watching.then(() => undefined), new Promise((r) => setTimeout(r, 50))]);
  begin();
  await watching;
  ctx.res.end();
}

async function df(ctx: ApiContext): Promise<void> {
  ctx.send(200, dockerDf(ctx.engine.system.df()));
}

/** Checks the credentials with the registry; the client keeps them (Docker's /auth). */
async function auth(ctx: ApiContext): Promise<void> {
  const body = await ctx.json<{ username?: string; password?: string; serveraddress?: string; identitytoken?: string }>();
  if (!body.username || !body.password) throw new ApiError(400, 'username and password are required');
  const server = (body.serveraddress || 'docker.io').replace(/^https?:\/\/index\.docker\.io\/v1\/?$/, 'docker.io');
  try {
    await ctx.engine.images.login(server, { username: body.username, password: body.password }, { checkOnly: true });
  } catch (err) {
    throw new ApiError(401, `login attempt to ${server} failed: ${(err as Error).message}`);
  }
  ctx.send(200, { Status: 'Login Succeeded', IdentityToken: '' });
}
