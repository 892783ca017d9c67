// The engine's image list and history as Docker's GET /images/json and /images/{name}/history.
import type { ImageSummary } from '../../libpod/entities';
import { ApiError } from '../types';

export interface DockerImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[];
  RepoDigests: string[];
  Created: number;
  Size: number;
  SharedSize: number;
  VirtualSize: number;
  Labels: Record<string, string>;
  Containers: number;
}

const FILTERS = ['dangling', 'label', 'before', 'since', 'reference', 'id'];

/** Docker's filters map as the engine's KEY=VALUE filters; an unknown key is a 400 as in Docker. */
export function imageFilters(filters: Record<string, string[]>): string[] {
  const out: string[] = [];
  for (const [key, values] of Object.entries(filters)) {
    if (!FILTERS.includes(key)) throw new ApiError(400, `invalid filter '${key}': use one of ${FILTERS.join(', ')}`);
    for (const v of values) {
      if (key === 'dangling' && !/^(true|false|1|0)$/i.test(v)) throw new ApiError(400, `invalid filter 'dangling=${v}': give true or false`);
      out.push(`${key}=${key === 'dangling' ? String(/^(true|1)$/i.test(v)) : v}`);
    }
  }
  return out;
}

/**
 * One row of GET /images/json; an image without names shows Docker's <none> placeholders (API 1.41).
 * byReference: the list was narrowed to names matching a reference filter, so the digests are
 * narrowed to those names' repositories too (as Docker's daemon does: else its CLI shows a row for
 * each other repository's digest).
 */
export function dockerImageSummary(s: ImageSummary, byReference = false): DockerImageSummary {
  const unnamed = s.RepoTags.length === 0;
  const repos = new Set(s.RepoTags.map((t) => t.slice(0, t.lastIndexOf(':') > t.lastIndexOf('/') ? t.lastIndexOf(':') : t.length)));
  const digests = byReference ? s.RepoDigests.filter((d) => repos.has(d.slice(0, d.indexOf('@')))) : s.RepoDigests;
  return {
    Id: `sha256:${s.Id}`,
    ParentId: s.ParentId ? `sha256:${s.ParentId.replace(/^sha256:/, '')}` : '',
    RepoTags: unnamed ? ['<none>:<none>'] : s.RepoTags,
    RepoDigests: unnamed && digests.length === 0 ? ['<none>@<none>'] : digests,
    Created: s.Created,
    Size: s.Size,
    SharedSize: -1,
    VirtualSize: s.VirtualSize,
    Labels: s.Labels ?? {},
    Containers: -1,
  };
}

export interface DockerHistoryItem {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

/** GET /images/{name}/history: newest first; only the top row is an image of its own (the others "<missing>", as Docker shows a pulled image's). */
export function dockerHistory(rows: Array<{ id: string; created: string; createdBy: string; size: number; comment: string }>, imageId: string, names: string[]): DockerHistoryItem[] {
  return rows.map((r, i) => ({
    Id: i === 0 ? `sha256:${imageId.replace(/^sha256:/, '')}` : '<missing>',
    Created: r.created ? Math.floor(Date.parse(r.created) / 1000) || 0 : 0,
    CreatedBy: r.createdBy,
    Tags: i === 0 && names.length ? names : null,
    Size: r.size,
    Comment: r.comment,
  }));
}

/** A pull's or push's reference from Docker's fromImage/name and tag: a tag, a digest (sha256:...), or latest when none is given. */
export function referenceOf(image: string, tag: string | null | undefined): string {
  if (!image) throw new ApiError(400, 'fromImage must be given: the image to pull, e.g. fromImage=busybox&tag=latest');
  const lastSlash = image.lastIndexOf('/');
  const hasTag = image.includes('@') || image.lastIndexOf(':') > lastSlash;
  if (tag) {
    if (hasTag) throw new ApiError(400, `${image} already names a tag or digest: give the tag in one place`);
    return /^[a-z0-9]+:[a-f0-9]{32,}$/.test(tag) ? `${image}@${tag}` : `${image}:${tag}`;
  }
  return hasTag ? image : `${image}:latest`;
}

/** The tag or digest a reference names (for "Pulling from REPO", id TAG). */
export function splitReference(ref: string): { repo: string; tag: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { repo: ref.slice(0, at), tag: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { repo: ref, tag: 'latest' };
}
