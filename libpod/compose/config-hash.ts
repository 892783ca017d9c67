// A service's configuration hash (the com.docker.compose.config-hash label): sha256 over a canonical
// JSON of the normalised service (keys sorted at every level), leaving out what scaling changes.
import { createHash } from 'node:crypto';
import type { ServiceConfig } from './types';

/** Hex sha256 of the service without deploy.replicas and scale, so `up --scale` does not recreate. */
export function serviceConfigHash(service: ServiceConfig): string {
  const copy: Record<string, unknown> = { ...service };
  delete copy.scale;
  if (service.deploy) {
    const deploy: Record<string, unknown> = { ...service.deploy };
    delete deploy.replicas;
    copy.deploy = deploy;
  }
  return createHash('sha256').update(canonicalJson(copy)).digest('hex');
}

/** JSON with object keys sorted and undefined members left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}
