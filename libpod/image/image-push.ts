// Pushing an image: each layer's kept blob goes up unless the registry has it already (HEAD) or
// can link it from another repository it holds (cross-repository mount), then the config, then an
// OCI manifest naming them. Blobs are the exact bytes pulled or imported, so digests and the
// image ID stay what they were.
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
  const descriptors = [];
  for (const layerId of image.layers) {
    const row = state.getLayer(layerId);
    if (!row?.compressedDigest) throw new InvalidStateError(`layer ${layerId.slice(7, 19)} of ${image.names[0] ?? image.id} has no stored blob (it was stored by an older tspod): pull or import the image again`);
    const file = layers.blobPath(row.compressedDigest);
    if (!fs.existsSync(file)) throw new InvalidStateError(`blob ${row.compressedDigest.slice(7, 19)} of layer ${layerId.slice(7, 19)} is missing from ${layers.blobsDir}: pull or import the image again`);
    const size = fs.statSync(file).size;
    const mediaType = layers.blobIsGzip(file) ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar';
    descriptors.push({ mediaType, digest: row.compressedDigest, size });
    if (await client.blobExists(ep.repo, row.compressedDigest)) {
      opts.progress.blobDone(row.compressedDigest, 'skipped: already exists');
      continue;
    }
    let mounted = false;
    for (const from of sources) {
      if (await client.mountBlob(ep.repo, row.compressedDigest, from)) {
        mounted = true;
        opts.progress.blobDone(row.compressedDigest, `skipped: mounted from ${from}`);
        break;
      }
    }
    if (mounted) continue;
    opts.progress.blobStart(row.compressedDigest, size, 0);
    await client.uploadBlob(ep.repo, row.compressedDigest, size, () => fs.createReadStream(file));
    opts.progress.blobDone(row.compressedDigest, 'done');
  }
  const config = Buffer.from(JSON.parse(image.record).configJson as string);
  if (!(await client.blobExists(ep.repo, image.id))) await client.uploadBlob(ep.repo, image.id, config.length, () => config);
  opts.progress.line(`Copying config ${image.id.slice(7, 19)} done`);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST_TYPES.ociManifest,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: image.id, size: config.length },
      layers: descriptors,
    }),
  );
  opts.progress.line('Writing manifest to image destination');
  const digest = await client.putManifest(ep.repo, ref.tag ?? ref.digest ?? 'latest', manifest, MANIFEST_TYPES.ociManifest);
  if (!digest.startsWith('sha256:')) throw new RegistryError(`registry returned an unexpected digest ${digest}`);
  opts.progress.finish();
  return { digest, reference: full };
}
