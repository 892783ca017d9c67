// Matches a request's method and path (after the optional /v1.NN prefix) against the handlers'
// patterns: each pattern is split into literal segments and {name} parameters; a parameter takes
// one segment, or the rest of the path when it is the last one and named {rest...}. Image names
// hold slashes (/images/127.0.0.1:5000/library/busybox/json), so patterns may also end in a
// literal suffix after a greedy parameter: '/images/{name...}/json'.
import type { Handler, RouteTable } from './types';

interface Route {
  method: string;
  pattern: string;
  re: RegExp;
  names: string[];
  handler: Handler;
}

export class Router implements RouteTable {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): void {
    const names: string[] = [];
    const source = pattern
      .split('/')
      .map((seg) => {
        const m = /^\{(\w+)(\.\.\.)?\}$/.exec(seg);
        if (!m) return seg.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        names.push(m[1]);
        return m[2] ? '(.+)' : '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, pattern, re: new RegExp(`^${source}/?$`), names, handler });
  }

  /** The handler for method and path, with its parameters; 'method' when only another method matches. */
  match(method: string, pathname: string): { handler: Handler; params: Record<string, string> } | 'method' | undefined {
    let other = false;
    for (const r of this.routes) {
      const m = r.re.exec(pathname);
      if (!m) continue;
      if (r.method !== method && !(method === 'HEAD' && r.method === 'GET')) {
        other = true;
        continue;
      }
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
      return { handler: r.handler, params };
    }
    return other ? 'method' : undefined;
  }
}

/** Splits /v1.41/containers/json into the version asked for and the path. */
export function splitVersion(pathname: string): { version?: string; path: string } {
  const m = /^\/v(\d+\.\d+)(\/.*)?$/.exec(pathname);
  return m ? { version: m[1], path: m[2] ?? '/' } : { path: pathname };
}

/** Compares dotted versions numerically: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}
