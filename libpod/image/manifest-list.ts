// Local manifest lists (`manifest create|add|annotate|remove|rm|exists|inspect`): an OCI image
// index or Docker manifest list being put together, kept as one JSON file per list under
// <root>/manifests/ (written atomically, changed under one lock). Each instance is a descriptor of
// an image manifest, with where its manifest and blobs come from for `manifest push`: an image of
// the local store (whose manifest is the one `push` writes for it, so the digest is stable) or a
// manifest in a registry (repository@digest).
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, NoSuchImageError } from '../../src/errors';
import { randomHex } from '../../src/random';
import { MANIFEST_TYPES } from './registry-client';
import type { Platform } from './manifest';

export interface InstancePlatform extends Platform {
  'os.version'?: string;
  'os.features'?: string[];
  features?: string[];
}

export interface ListInstance {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: InstancePlatform;
  /** A local image's ID, or the registry repository (domain/path) that holds this manifest. */
  source: { imageId: string } | { repository: string };
}

export interface ManifestList {
  id: string;
  names: string[];
  created: number;
  mediaType: string;
  annotations?: Record<string, string>;
  instances: ListInstance[];
}

export class ManifestListStore {
  constructor(readonly dir: string) {}

  get lockFile(): string {
    return `${this.dir}.lock`;
  }

  list(): ManifestList[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .filter((f) => /^[0-9a-f]{64}\.json$/.test(f))
      .map((f) => JSON.parse(fs.readFileSync(path.join(this.dir, f), 'utf8')) as ManifestList);
  }

  /** The list a name (as given, or as a local name: localhost/, :latest), full ID or ID prefix names. */
  find(nameOrId: string, localName: string): ManifestList | undefined {
    const lists = this.list();
    const id = nameOrId.replace(/^sha256:/, '');
    return lists.find((l) => l.names.includes(nameOrId) || l.names.includes(localName)) ?? (/^[0-9a-f]{12,64}$/.test(id) ? lists.find((l) => l.id.startsWith(id)) : undefined);
  }

  resolve(nameOrId: string, localName: string): ManifestList {
    const l = this.find(nameOrId, localName);
    if (!l) throw new NoSuchImageError(nameOrId);
    return l;
  }

  create(name: string): ManifestList {
    return { id: randomHex(32), names: [name], created: Date.now(), mediaType: MANIFEST_TYPES.ociIndex, instances: [] };
  }

  save(l: ManifestList): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = path.join(this.dir, `${l.id}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(l));
    fs.renameSync(`${file}.tmp`, file);
  }

  remove(l: ManifestList): void {
    fs.rmSync(path.join(this.dir, `${l.id}.json`), { force: true });
  }
}

/** The instance an annotate or remove names: its digest, or the image it was added from (by digest prefix too). */
export function findInstance(l: ManifestList, spec: string): ListInstance {
  const digest = spec.startsWith('sha256:') ? spec : `sha256:${spec}`;
  const found = l.instances.find((i) => i.digest === digest) ?? l.instances.find((i) => /^[0-9a-f]{12,64}$/.test(spec) && i.digest.startsWith(digest));
  if (!found) throw new InvalidArgumentError(`no instance ${spec} in manifest list ${l.names[0] ?? l.id}: see its digests with "tspod manifest inspect ${l.names[0] ?? l.id}"`);
  return found;
}

/** The index as it is pushed and inspected: Go's field order, empty fields left out. */
export function indexDocument(l: ManifestList): Record<string, unknown> {
  return {
    schemaVersion: 2,
    mediaType: l.mediaType,
    manifests: l.instances.map((i) => ({
      mediaType: i.mediaType,
      digest: i.digest,
      size: i.size,
      ...(i.annotations && Object.keys(i.annotations).length ? { annotations: i.annotations } : {}),
      ...(i.platform ? { platform: goPlatform(i.platform) } : {}),
    })),
    ...(l.annotations && Object.keys(l.annotations).length ? { annotations: l.annotations } : {}),
  };
}

/** The platform in the order of Go's struct (what Podman prints and pushes), empty fields left out. */
function goPlatform(p: InstancePlatform): Record<string, unknown> {
  const out: Record<string, unknown> = { architecture: p.architecture, os: p.os };
  if (p['os.version']) out['os.version'] = p['os.version'];
  if (p['os.features']?.length) out['os.features'] = p['os.features'];
  if (p.variant) out.variant = p.variant;
  if (p.features?.length) out.features = p.features;
  return out;
}

/** KEY=VALUE annotations (Podman's words when one has no "="). */
export function parseAnnotations(entries: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of entries) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`expected --annotation "${a}" to be in key=value format`);
    out[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return out;
}
