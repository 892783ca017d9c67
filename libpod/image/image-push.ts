// Pushing an image: each layer's kept blob goes up unless the registry has it already (HEAD) or
// can link it from another repository it holds (cross-repository mount), then the config, then an
// OCI manifest naming them. Blobs are the exact bytes pulled or imported, so digests and the
// image ID stay what they were.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { InvalidStateError, RegistryError } from '../../src/errors';
import type { ProgressSink } from '../../src/progress';
import type { RegistriesConf } from '../config/registries-conf';
import type { State } from '../state/state';
import type { LayerStore } from '../storage/layer-store';
import { lookupCredentials } from './auth-file';
import type { Image } from './image-store';
import { normalizeReference, formatReference } from './reference';
import { RegistryClient, MANIFEST_TYPES, type Credentials, type RegistryAccess } from './registry-client';
import { endpointsFor } from './registry-resolver';

export interface PushOptions {
  credentials?: Credentials;
  authFile?: string;
  tlsVerify?: boolean;
  access?: RegistryAccess;
  progress: ProgressSink;
}

export async function pushImage(state: State, layers: LayerStore, conf: RegistriesConf, image: Image, destination: string, opts: PushOptions): Promise<{ digest: string; reference: string }> {
  const ref = normalizeReference(destination);
  const full = formatReference(ref);
  const ep = endpointsFor(ref, conf, opts.tlsVerify).filter((e) => !e.mirror)[0];
  const creds = opts.credentials ?? lookupCredentials(ep.host, opts.authFile);
  const client = new RegistryClient({ host: ep.host, insecure: ep.insecure, ...opts.access }, creds, full);
  // Other repositories of the same registry this image came from: candidates for a mount.
  const sources = image.repoDigests
    .map((d) => d.split('@')[0])
    .filter((name) => name.startsWith(`${ref.domain}/`) && name !== `${ref.domain}/${ref.path}`)
    .map((name) => name.slice(ref.domain.length + 1));
  const descriptors = layerDescriptors(state, layers, image);
  for (const d of descriptors) {
    const file = layers.blobPath(d.digest);
    if (await client.blobExists(ep.repo, d.digest)) {
      opts.progress.blobDone(d.digest, 'skipped: already exists');
      continue;
    }
    let mounted = false;
    for (const from of sources) {
      if (await client.mountBlob(ep.repo, d.digest, from)) {
        mounted = true;
        opts.progress.blobDone(d.digest, `skipped: mounted from ${from}`);
        break;
      }
    }
    if (mounted) continue;
    opts.progress.blobStart(d.digest, d.size, 0);
    await client.uploadBlob(ep.repo, d.digest, d.size, () => fs.createReadStream(file));
    opts.progress.blobDone(d.digest, 'done');
  }
  const config = configOf(image);
  if (!(await client.blobExists(ep.repo, image.id))) await client.uploadBlob(ep.repo, image.id, config.length, () => config);
  opts.progress.line(`Copying config ${image.id.slice(7, 19)} done`);
  const manifest = manifestBody(image, descriptors);
  opts.progress.line('Writing manifest to image destination');
  const digest = await client.putManifest(ep.repo, ref.tag ?? ref.digest ?? 'latest', manifest, MANIFEST_TYPES.ociManifest);
  if (!digest.startsWith('sha256:')) throw new RegistryError(`registry returned an unexpected digest ${digest}`);
  opts.progress.finish();
  return { digest, reference: full };
}

const configOf = (image: Image) => Buffer.from(JSON.parse(image.record).configJson as string);

/** The image's layers as the manifest names them: the kept blobs, checked to be there. */
function layerDescriptors(state: State, layers: LayerStore, image: Image): Array<{ mediaType: string; digest: string; size: number }> {
  return image.layers.map((layerId) => {
    const row = state.getLayer(layerId);
    if (!row?.compressedDigest) throw new InvalidStateError(`layer ${layerId.slice(7, 19)} of ${image.names[0] ?? image.id} has no stored blob (it was stored by an older tspod): pull or import the image again`);
    const file = layers.blobPath(row.compressedDigest);
    if (!fs.existsSync(file)) throw new InvalidStateError(`blob ${row.compressedDigest.slice(7, 19)} of layer ${layerId.slice(7, 19)} is missing from ${layers.blobsDir}: pull or import the image again`);
    const mediaType = layers.blobIsGzip(file) ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar';
    return { mediaType, digest: row.compressedDigest, size: fs.statSync(file).size };
  });
}

function manifestBody(image: Image, descriptors: Array<{ mediaType: string; digest: string; size: number }>): Buffer {
  const config = configOf(image);
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST_TYPES.ociManifest,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: image.id, size: config.length },
      layers: descriptors,
      ...(image.annotations ? { annotations: image.annotations } : {}),
    }),
  );
}

/** The OCI manifest push writes for a local image (the same bytes each time, so its digest is stable): for manifest lists. */
export function imageManifest(state: State, layers: LayerStore, image: Image): { mediaType: string; digest: string; size: number } {
  const body = manifestBody(image, layerDescriptors(state, layers, image));
  return { mediaType: MANIFEST_TYPES.ociManifest, digest: `sha256:${crypto.createHash('sha256').update(body).digest('hex')}`, size: body.length };
}
