// The engine's volume inspect document (Podman's) as Docker's volume object, Docker's create body as
// the engine's create options, and Docker's list filters as the engine's.
import { ApiError } from '../types';

export interface PodmanVolume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt: string;
  Labels?: Record<string, string>;
  Scope?: string;
  Options?: Record<string, string>;
}

export function dockerVolume(v: PodmanVolume): Record<string, unknown> {
  return {
    CreatedAt: v.CreatedAt,
    Driver: v.Driver,
    Labels: v.Labels && Object.keys(v.Labels).length ? v.Labels : null,
    Mountpoint: v.Mountpoint,
    Name: v.Name,
    Options: v.Options && Object.keys(v.Options).length ? v.Options : null,
    Scope: v.Scope ?? 'local',
  };
}

export interface DockerVolumeCreate {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels?: Record<string, string>;
}

/** Docker's create body as the engine's; only the local driver is there. */
export function volumeCreateOptions(b: DockerVolumeCreate): { name: string | undefined; opts: { labels: string[]; options: string[] } } {
  if (b.Driver && b.Driver !== 'local') throw new ApiError(400, `volume driver ${JSON.stringify(b.Driver)} is not supported: use local`);
  if (b.Name !== undefined && typeof b.Name !== 'string') throw new ApiError(400, 'volume Name must be a string');
  return {
    name: b.Name || undefined,
    opts: {
      labels: Object.entries(b.Labels ?? {}).map(([k, v]) => `${k}=${v}`),
      options: Object.entries(b.DriverOpts ?? {}).map(([k, v]) => `${k}=${v}`),
    },
  };
}

const VOLUME_FILTERS = ['name', 'label', 'driver', 'dangling'];

/** Docker's volume list filters as the engine's KEY=VALUE filters. */
export function volumeFilters(filters: Record<string, string[]>): string[] {
  const out: string[] = [];
  for (const [k, values] of Object.entries(filters)) {
    if (!VOLUME_FILTERS.includes(k)) throw new ApiError(400, `invalid filter '${k}': use one of ${VOLUME_FILTERS.join(', ')}`);
    for (const v of values) {
      if (k === 'dangling') {
        if (!/^(true|false|1|0)$/i.test(v)) throw new ApiError(400, `invalid filter 'dangling=${v}': give true or false`);
        out.push(`dangling=${/^(true|1)$/i.test(v)}`);
      } else if (k === 'name') out.push(`name=${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
      else out.push(`${k}=${v}`);
    }
  }
  return out;
}

/** Docker's prune filters (label, label!, until, all) as the engine's; all is API 1.42's and has no meaning at 1.41. */
export function pruneFilters(filters: Record<string, string[]>, allowed: string[]): string[] {
  const out: string[] = [];
  for (const [k, values] of Object.entries(filters)) {
    if (!allowed.includes(k)) throw new ApiError(400, `invalid filter '${k}': use one of ${allowed.join(', ')}`);
    for (const v of values) out.push(`${k}=${v}`);
  }
  return out;
}
