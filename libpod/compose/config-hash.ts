// A service's configuration hash (com.docker.compose.config-hash): up recreates a service's
// containers when it changes. sha256 of a canonical JSON of the normalised service (object keys
// sorted, so the order keys were written in changes nothing), without what Docker Compose leaves
// out of its ServiceHash: build, pull_policy, scale, deploy.replicas, depends_on and profiles (so
// scaling or a new dependency recreates nothing), and the name and x- extensions, which its JSON
// form never holds.
import crypto from 'node:crypto';
import type { ServiceConfig } from './types';

/** JSON with every object's keys sorted; undefined members dropped, as JSON.stringify drops them. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** The service as hashed: the keys that do not change a container left out (an emptied deploy too). */
export function hashedService(service: ServiceConfig): Record<string, unknown> {
  const { name: _n, build: _b, pull_policy: _p, scale: _s, depends_on: _d, profiles: _pr, deploy, ...rest } = service;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith('x-')));
  if (deploy) {
    const { replicas: _r, ...kept } = deploy;
    // deploy: {replicas: 3} hashes as no deploy at all: adding replicas alone recreates nothing.
    if (Object.values(kept).some((v) => v !== undefined)) out.deploy = kept;
  }
  return out;
}

/** sha256 (hex) of the service's canonical JSON, replicas, scale, build and dependencies left out. */
export function serviceConfigHash(service: ServiceConfig): string {
  return crypto.createHash('sha256').update(canonicalJson(hashedService(service))).digest('hex');
}
