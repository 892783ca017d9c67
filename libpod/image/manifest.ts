// Manifest handling: Docker schema 2 and OCI manifests and indexes, platform selection from a list,
// and the refusal of schema 1. Pure functions over parsed JSON.
import { RegistryError } from '../../src/errors';
import { MANIFEST_TYPES, type RawManifest } from './registry-client';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface ImageManifest {
  config: Descriptor;
  layers: Descriptor[];
}

export function isIndex(m: RawManifest): boolean {
  return m.mediaType === MANIFEST_TYPES.ociIndex || m.mediaType === MANIFEST_TYPES.dockerList;
}

export function parseImageManifest(m: RawManifest, what: string): ImageManifest {
  if (m.mediaType === MANIFEST_TYPES.dockerSchema1 || m.mediaType === MANIFEST_TYPES.dockerSchema1Signed) {
    throw new RegistryError(`${what} has a Docker schema 1 manifest, which tspod does not support (it is deprecated and unsigned): ask for the image to be pushed again with a current client`);
  }
  if (m.mediaType !== MANIFEST_TYPES.ociManifest && m.mediaType !== MANIFEST_TYPES.dockerManifest) {
    throw new RegistryError(`${what}: unsupported manifest type "${m.mediaType}"`);
  }
  const json = JSON.parse(m.body.toString()) as ImageManifest;
  if (!json.config?.digest || !Array.isArray(json.layers)) throw new RegistryError(`${what}: the manifest has no config or layers`);
  return json;
}

/** Parses "os/arch[/variant]" (--platform), filling in from --os/--arch and the host. */
export function wantedPlatform(opts: { platform?: string; os?: string; arch?: string; variant?: string }, hostArch: string): Platform {
  if (opts.platform) {
    const [os, architecture, variant] = opts.platform.split('/');
    if (!os || !architecture) throw new RegistryError(`invalid platform "${opts.platform}": use os/arch[/variant], e.g. linux/arm64`);
    return { os, architecture, variant };
  }
  return { os: opts.os ?? 'linux', architecture: opts.arch ?? hostArch, variant: opts.variant };
}

/** arm64 defaults to v8 and arm to v7 when the variant is not given, as containerd matches them. */
function variantMatches(want: Platform, have: Platform): boolean {
  if (!want.variant) return true;
  const normal = (p: Platform) => p.variant ?? (p.architecture === 'arm64' ? 'v8' : p.architecture === 'arm' ? 'v7' : '');
  return normal(want) === normal(have);
}

export function selectFromIndex(m: RawManifest, want: Platform, what: string): Descriptor {
  const index = JSON.parse(m.body.toString()) as { manifests?: Descriptor[] };
  const entries = (index.manifests ?? []).filter((d) => d.platform);
  const match = entries.find((d) => d.platform!.os === want.os && d.platform!.architecture === want.architecture && variantMatches(want, d.platform!));
  if (!match) {
    const have = entries.map((d) => [d.platform!.os, d.platform!.architecture, d.platform!.variant].filter(Boolean).join('/'));
    throw new RegistryError(`${what} has no image for ${[want.os, want.architecture, want.variant].filter(Boolean).join('/')}: it offers ${have.join(', ') || 'no platforms'}; choose one with --platform`);
  }
  return match;
}
