// save and load: docker-archive (manifest.json, <config>.json, one uncompressed <diffID>.tar per
// layer, as `docker save` and `podman save` write) and oci-archive (a tar of an OCI image layout
// with the compressed blobs). Save streams: each layer's blob is decompressed straight into the
// archive, its size known in advance from the layer row. Load unpacks the archive into a temporary
// directory first (docker save puts manifest.json last), then stages each layer like a pull.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { headerBlocks, padding, unpackInto } from '../storage/tar';
import { InvalidArgumentError, InvalidStateError } from '../../src/errors';
import type { State } from '../state/state';
import type { LayerStore, StagedLayer } from '../storage/layer-store';
import { chainIds } from '../storage/layer-store';
import type { WhiteoutFormat } from '../storage/layer-extract';
import type { Image, OciImageConfig } from './image-store';
import { MANIFEST_TYPES } from './registry-client';

export type ArchiveFormat = 'docker-archive' | 'oci-archive';

const sha = (b: Buffer) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;
const hex = (d: string) => d.replace(/^sha256:/, '');

/** Writes tar members one after another to a stream: header, data, padding; two zero blocks to end. */
class TarWriter {
  constructor(private readonly out: PassThrough) {}

  private async put(chunk: Buffer): Promise<void> {
    if (!this.out.write(chunk)) await new Promise<void>((r) => this.out.once('drain', () => r()));
  }

  private header(name: string, size: number, type: 'File' | 'Directory'): Buffer {
    return Buffer.concat(headerBlocks({ path: name, mode: type === 'File' ? 0o644 : 0o755, size, mtime: new Date(0), type, uid: 0, gid: 0 }));
  }

  async dir(name: string): Promise<void> {
    await this.put(this.header(name.endsWith('/') ? name : `${name}/`, 0, 'Directory'));
  }

  async file(name: string, data: Buffer): Promise<void> {
    await this.put(this.header(name, data.length, 'File'));
    await this.put(data);
    await this.pad(data.length);
  }

  /** A member whose content comes from a stream of exactly size bytes. */
  async stream(name: string, size: number, content: Readable): Promise<void> {
    await this.put(this.header(name, size, 'File'));
    let n = 0;
    for await (const chunk of content) {
      n += (chunk as Buffer).length;
      if (n > size) throw new InvalidStateError(`${name}: the stored layer is larger than recorded (${size} bytes)`);
      await this.put(chunk as Buffer);
    }
    if (n !== size) throw new InvalidStateError(`${name}: the stored layer has ${n} bytes, ${size} were recorded`);
    await this.pad(size);
  }

  private async pad(size: number): Promise<void> {
    const rest = padding(size);
    if (rest.length) await this.put(rest);
  }

  async end(): Promise<void> {
    await this.put(Buffer.alloc(1024));
    this.out.end();
  }
}

function layerBlob(state: State, layers: LayerStore, layerId: string): { file: string; digest: string; size: number; diffId: string; tarSize: number; gzip: boolean } {
  const row = state.getLayer(layerId);
  if (!row?.compressedDigest) throw new InvalidStateError(`layer ${layerId.slice(7, 19)} has no stored blob (stored by an older tspod): pull or import the image again`);
  const file = layers.blobPath(row.compressedDigest);
  if (!fs.existsSync(file)) throw new InvalidStateError(`blob ${row.compressedDigest.slice(7, 19)} is missing from ${layers.blobsDir}: pull or import the image again`);
  return { file, digest: row.compressedDigest, size: fs.statSync(file).size, diffId: row.diffId, tarSize: row.size, gzip: layers.blobIsGzip(file) };
}

/** Streams the archive of images to out. */
export async function saveImages(state: State, layers: LayerStore, images: Array<{ image: Image; name?: string }>, format: ArchiveFormat, out: Writable): Promise<void> {
  const stream = new PassThrough();
  const done = pipeline(stream, out);
  const w = new TarWriter(stream);
  try {
    if (format === 'docker-archive') {
      const manifest: Array<{ Config: string; RepoTags: string[]; Layers: string[] }> = [];
      const written = new Set<string>();
      for (const { image, name } of images) {
        const config = Buffer.from(JSON.parse(image.record).configJson as string);
        const configName = `${hex(image.id)}.json`;
        if (!written.has(configName)) await w.file(configName, config);
        written.add(configName);
        const layerNames: string[] = [];
        for (const id of image.layers) {
          const b = layerBlob(state, layers, id);
          const member = `${hex(b.diffId)}.tar`;
          if (!written.has(member)) {
            const src = fs.createReadStream(b.file);
            await w.stream(member, b.tarSize, b.gzip ? src.pipe(zlib.createGunzip()) : src);
            written.add(member);
          }
          layerNames.push(member);
        }
        manifest.push({ Config: configName, RepoTags: name ? [name] : image.names, Layers: layerNames });
      }
      await w.file('manifest.json', Buffer.from(JSON.stringify(manifest)));
    } else {
      await w.file('oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
      await w.dir('blobs');
      await w.dir('blobs/sha256');
      const written = new Set<string>();
      const index: Array<Record<string, unknown>> = [];
      for (const { image, name } of images) {
        const config = Buffer.from(JSON.parse(image.record).configJson as string);
        const descriptors = [];
        for (const id of image.layers) {
          const b = layerBlob(state, layers, id);
          if (!written.has(b.digest)) await w.stream(`blobs/sha256/${hex(b.digest)}`, b.size, fs.createReadStream(b.file));
          written.add(b.digest);
          descriptors.push({ mediaType: b.gzip ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar', digest: b.digest, size: b.size });
        }
        if (!written.has(image.id)) await w.file(`blobs/sha256/${hex(image.id)}`, config);
        written.add(image.id);
        const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPES.ociManifest, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: image.id, size: config.length }, layers: descriptors }));
        const mDigest = sha(manifest);
        if (!written.has(mDigest)) await w.file(`blobs/sha256/${hex(mDigest)}`, manifest);
        written.add(mDigest);
        const refName = name ?? image.names[0];
        index.push({ mediaType: MANIFEST_TYPES.ociManifest, digest: mDigest, size: manifest.length, ...(refName ? { annotations: { 'org.opencontainers.image.ref.name': refName } } : {}) });
      }
      await w.file('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: index })));
    }
    await w.end();
  } catch (err) {
    stream.destroy(err as Error);
    await done.catch(() => undefined);
    throw err;
  }
  await done;
}

export interface LoadedImage {
  id: string;
  configJson: string;
  names: string[];
  layers: Array<{ chainId: string; diffId: string; compressedDigest: string; size: number; staged?: StagedLayer; blobFile: string }>;
}

function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    throw new InvalidArgumentError(`the archive's ${what} is missing or not JSON: is this a docker-archive or oci-archive?`);
  }
}

/** Inside the archive directory: refuses names that would leave it. */
function member(dir: string, name: string): string {
  const p = path.resolve(dir, name);
  if (!p.startsWith(`${dir}/`)) throw new InvalidArgumentError(`the archive names "${name}", outside itself`);
  return p;
}

/**
 * Reads an archive from input into workDir and stages its layers (skipping those stored already).
 * Inside the namespace. The caller commits the result with ImageStore.commitLoaded.
 */
export async function loadArchive(
  state: State,
  layers: LayerStore,
  input: Readable,
  workDir: string,
  opts: { whiteouts: WhiteoutFormat; maxUid: number; maxGid: number },
): Promise<LoadedImage[]> {
  fs.mkdirSync(workDir, { recursive: true, mode: 0o700 });
  try {
    await pipeline(input, unpackInto({ cwd: workDir, strict: true, owner: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 } }));
  } catch (err) {
    throw new InvalidArgumentError(`cannot read the archive: ${(err as Error).message}`);
  }
  const entries: Array<{ config: string; names: string[]; layerFiles: string[]; compressed: Array<string | null> }> = [];
  if (fs.existsSync(path.join(workDir, 'manifest.json'))) {
    const manifest = readJson<Array<{ Config: string; RepoTags?: string[] | null; Layers: string[] }>>(path.join(workDir, 'manifest.json'), 'manifest.json');
    for (const m of manifest) entries.push({ config: member(workDir, m.Config), names: m.RepoTags ?? [], layerFiles: m.Layers.map((l) => member(workDir, l)), compressed: m.Layers.map(() => null) });
  } else if (fs.existsSync(path.join(workDir, 'index.json'))) {
    const index = readJson<{ manifests: Array<{ digest: string; annotations?: Record<string, string> }> }>(path.join(workDir, 'index.json'), 'index.json');
    for (const d of index.manifests) {
      const m = readJson<{ config: { digest: string }; layers: Array<{ digest: string }> }>(member(workDir, `blobs/sha256/${hex(d.digest)}`), `manifest ${d.digest}`);
      const ref = d.annotations?.['org.opencontainers.image.ref.name'];
      entries.push({
        config: member(workDir, `blobs/sha256/${hex(m.config.digest)}`),
        names: ref && ref.includes('/') ? [ref] : ref ? [`localhost/${ref.includes(':') ? ref : `image:${ref}`}`] : [],
        layerFiles: m.layers.map((l) => member(workDir, `blobs/sha256/${hex(l.digest)}`)),
        compressed: m.layers.map((l) => l.digest),
      });
    }
  } else {
    throw new InvalidArgumentError('the archive has neither manifest.json (docker-archive) nor index.json (oci-archive)');
  }
  const out: LoadedImage[] = [];
  for (const e of entries) {
    const configBuf = fs.readFileSync(e.config);
    const config = JSON.parse(configBuf.toString()) as OciImageConfig;
    const diffIds = config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== e.layerFiles.length) throw new InvalidArgumentError(`the archive's config lists ${diffIds.length} layers but it holds ${e.layerFiles.length}`);
    const chains = chainIds(diffIds);
    const image: LoadedImage = { id: sha(configBuf), configJson: configBuf.toString(), names: e.names, layers: [] };
    for (let i = 0; i < diffIds.length; i++) {
      const file = e.layerFiles[i];
      if (!fs.existsSync(file)) throw new InvalidArgumentError(`the archive lacks layer ${path.basename(file)}`);
      let blobDigest = e.compressed[i];
      if (!blobDigest) {
        const h = crypto.createHash('sha256');
        for await (const c of fs.createReadStream(file)) h.update(c as Buffer);
        blobDigest = `sha256:${h.digest('hex')}`;
      }
      const entry: LoadedImage['layers'][number] = { chainId: chains[i], diffId: diffIds[i], compressedDigest: blobDigest, size: 0, blobFile: file };
      if (!state.getLayer(chains[i])) {
        entry.staged = await layers.stage(fs.createReadStream(file), { ...opts, diffId: diffIds[i] });
        entry.size = entry.staged.result.size;
      }
      image.layers.push(entry);
    }
    out.push(image);
  }
  return out;
}
