// System endpoints: _ping, version, info, events, system/df, auth.
import os from 'node:os';
import { VERSION } from '../../src/version';
import { API_VERSION, MIN_API_VERSION, type ApiContext, type RouteTable } from '../types';

export function routes(r: RouteTable): void {
  r.add('GET', '/_ping', ping);
  r.add('HEAD', '/_ping', ping);
  r.add('GET', '/version', version);
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
