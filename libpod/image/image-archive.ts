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
import { formatReference, normalizeReference } from './reference';

export type ArchiveFormat = 'docker-archive' | 'oci-archive';

const sha = (b: Buffer) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;
const hex = (d: string) => d.replace(/^sha256:/, '');

/** Where a layout's members go: a tar stream (archives) or a directory (oci:, dir:). */
interface LayoutSink {
  dir(name: string): Promise<void>;
  file(name: string, data: Buffer): Promise<void>;
  stream(name: string, size: number, content: Readable): Promise<void>;
  end(): Promise<void>;
}

/** Writes members as files under root; each file appears whole (written beside, then renamed). */
class DirWriter implements LayoutSink {
  constructor(private readonly root: string) {}

  async dir(name: string): Promise<void> {
    fs.mkdirSync(path.join(this.root, name), { recursive: true, mode: 0o755 });
  }

  async file(name: string, data: Buffer): Promise<void> {
    const dest = path.join(this.root, name);
    fs.writeFileSync(`${dest}.tmp`, data, { mode: 0o644 });
    fs.renameSync(`${dest}.tmp`, dest);
  }

  async stream(name: string, size: number, content: Readable): Promise<void> {
    const dest = path.join(this.root, name);
    await pipeline(content, fs.createWriteStream(`${dest}.tmp`, { mode: 0o644 }));
    const got = fs.statSync(`${dest}.tmp`).size;
    if (got !== size) {
      fs.rmSync(`${dest}.tmp`, { force: true });
      throw new InvalidStateError(`${name}: the stored blob has ${got} bytes, ${size} were recorded`);
    }
    fs.renameSync(`${dest}.tmp`, dest);
  }

  async end(): Promise<void> {}
}

/** Writes tar members one after another to a stream: header, data, padding; two zero blocks to end. */
class TarWriter implements LayoutSink {
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

type Named = { image: Image; name?: string };
type IndexEntry = { mediaType: string; digest: string; size: number; annotations?: Record<string, string> };
const REF_NAME = 'org.opencontainers.image.ref.name';

/** Streams the archive of images to out. */
export async function saveImages(state: State, layers: LayerStore, images: Named[], format: ArchiveFormat, out: Writable): Promise<void> {
  const stream = new PassThrough();
  const done = pipeline(stream, out);
  const w = new TarWriter(stream);
  try {
    if (format === 'docker-archive') await writeDockerArchive(state, layers, images, w);
    else {
      const index = await writeOciBlobs(state, layers, images, w, (n) => n.name ?? n.image.names[0]);
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

async function writeDockerArchive(state: State, layers: LayerStore, images: Named[], w: LayoutSink): Promise<void> {
  const manifest: Array<{ Config: string; RepoTags: string[]; Layers: string[] }> = [];
  const written = new Set<string>();
  for (const { image, name } of images) {
    const config = configOf(image);
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
}

const configOf = (image: Image) => Buffer.from(JSON.parse(image.record).configJson as string);

/** An OCI manifest of the image's kept blobs. */
function ociManifest(state: State, layers: LayerStore, image: Image): { manifest: Buffer; blobs: Array<ReturnType<typeof layerBlob>> } {
  const blobs = image.layers.map((id) => layerBlob(state, layers, id));
  const config = configOf(image);
  const descriptors = blobs.map((b) => ({ mediaType: b.gzip ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar', digest: b.digest, size: b.size }));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPES.ociManifest, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: image.id, size: config.length }, layers: descriptors, ...(image.annotations ? { annotations: image.annotations } : {}) }));
  return { manifest, blobs };
}

/** oci-layout and the blobs of each image; returns the index entries naming them (by refName). */
async function writeOciBlobs(state: State, layers: LayerStore, images: Named[], w: LayoutSink, refName: (n: Named) => string | undefined, have = (_d: string) => false): Promise<IndexEntry[]> {
  await w.file('oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
  await w.dir('blobs');
  await w.dir('blobs/sha256');
  const written = new Set<string>();
  const put = async (digest: string, write: () => Promise<void>) => {
    if (!written.has(digest) && !have(digest)) await write();
    written.add(digest);
  };
  const index: IndexEntry[] = [];
  for (const n of images) {
    const { manifest, blobs } = ociManifest(state, layers, n.image);
    for (const b of blobs) await put(b.digest, () => w.stream(`blobs/sha256/${hex(b.digest)}`, b.size, fs.createReadStream(b.file)));
    const config = configOf(n.image);
    await put(n.image.id, () => w.file(`blobs/sha256/${hex(n.image.id)}`, config));
    const mDigest = sha(manifest);
    await put(mDigest, () => w.file(`blobs/sha256/${hex(mDigest)}`, manifest));
    const ref = refName(n);
    index.push({ mediaType: MANIFEST_TYPES.ociManifest, digest: mDigest, size: manifest.length, ...(ref ? { annotations: { [REF_NAME]: ref } } : {}) });
  }
  return index;
}

/**
 * `oci:DIR[:REF]`: adds the image to the OCI layout in dir (made if missing), its index entry
 * named REF; an entry of the same name is replaced, the others are kept, as containers/image does.
 */
export async function writeOciDir(state: State, layers: LayerStore, image: Image, dir: string, ref: string | undefined): Promise<string> {
  const indexFile = path.join(dir, 'index.json');
  let manifests: IndexEntry[] = [];
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    if (!fs.existsSync(indexFile)) throw new InvalidArgumentError(`${dir} is not empty and not an OCI image layout (it has no index.json): give a new or empty directory`);
    manifests = readJson<{ manifests?: IndexEntry[] }>(indexFile, 'index.json').manifests ?? [];
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const w = new DirWriter(dir);
  const have = (d: string) => fs.existsSync(path.join(dir, 'blobs/sha256', hex(d)));
  const [entry] = await writeOciBlobs(state, layers, [{ image }], w, () => ref, have);
  manifests = manifests.filter((m) => !(ref !== undefined && m.annotations?.[REF_NAME] === ref) && !(ref === undefined && m.digest === entry.digest && !m.annotations?.[REF_NAME]));
  manifests.push(entry);
  await w.file('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, manifests })));
  return entry.digest;
}

const DIR_VERSION = 'Directory Transport Version: 1.1\n';

/**
 * `dir:PATH`: containers/image's directory format: manifest.json, version, and each blob (the
 * config too) as a file named by its hex digest. A directory that holds something else is refused;
 * an earlier dir: image in it is replaced.
 */
export async function writeDirImage(state: State, layers: LayerStore, image: Image, dir: string): Promise<string> {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    if (!fs.existsSync(path.join(dir, 'version'))) throw new InvalidArgumentError(`${dir} is not empty and not a dir: image directory (it has no version file): give a new or empty directory`);
    for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const w = new DirWriter(dir);
  const { manifest, blobs } = ociManifest(state, layers, image);
  for (const b of blobs) await w.stream(hex(b.digest), b.size, fs.createReadStream(b.file));
  await w.file(hex(image.id), configOf(image));
  await w.file('manifest.json', manifest);
  await w.file('version', Buffer.from(DIR_VERSION));
  return sha(manifest);
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

type Entry = { config: string; names: string[]; refs: string[]; layerFiles: string[]; compressed: Array<string | null> };

/** The images of an unpacked docker-archive: manifest.json lists each with its RepoTags. */
function dockerArchiveEntries(dir: string): Entry[] {
  const manifest = readJson<Array<{ Config: string; RepoTags?: string[] | null; Layers: string[] }>>(path.join(dir, 'manifest.json'), 'manifest.json');
  return manifest.map((m) => ({ config: member(dir, m.Config), names: m.RepoTags ?? [], refs: m.RepoTags ?? [], layerFiles: m.Layers.map((l) => member(dir, l)), compressed: m.Layers.map(() => null) }));
}

/** The images of an OCI image layout (an unpacked oci-archive or an oci: directory). */
function ociLayoutEntries(dir: string): Entry[] {
  const index = readJson<{ manifests: Array<{ mediaType?: string; digest: string; annotations?: Record<string, string> }> }>(path.join(dir, 'index.json'), 'index.json');
  return index.manifests.map((d) => {
    if (d.mediaType === MANIFEST_TYPES.ociIndex) throw new InvalidArgumentError(`the layout's entry ${d.digest} is an image index (several platforms), which tspod cannot read from a layout yet`);
    const m = readJson<{ config: { digest: string }; layers: Array<{ digest: string }> }>(member(dir, `blobs/sha256/${hex(d.digest)}`), `manifest ${d.digest}`);
    const ref = d.annotations?.['org.opencontainers.image.ref.name'];
    return {
      config: member(dir, `blobs/sha256/${hex(m.config.digest)}`),
      names: ref && ref.includes('/') ? [ref] : ref ? [`localhost/${ref.includes(':') ? ref : `image:${ref}`}`] : [],
      refs: ref ? [ref] : [],
      layerFiles: m.layers.map((l) => member(dir, `blobs/sha256/${hex(l.digest)}`)),
      compressed: m.layers.map((l) => l.digest),
    };
  });
}

/** The one image of a containers/image dir: directory: manifest.json, version, blobs named by hex digest. */
function dirEntries(dir: string): Entry[] {
  if (!fs.existsSync(path.join(dir, 'version'))) throw new InvalidArgumentError(`${dir} is not a dir: image directory (it has no version file): write one with tspod push IMAGE dir:${dir}`);
  const m = readJson<{ config: { digest: string }; layers: Array<{ digest: string }> }>(path.join(dir, 'manifest.json'), 'manifest.json');
  return [{ config: member(dir, hex(m.config.digest)), names: [], refs: [], layerFiles: m.layers.map((l) => member(dir, hex(l.digest))), compressed: m.layers.map((l) => l.digest) }];
}

async function unpackArchive(input: Readable, workDir: string): Promise<void> {
  fs.mkdirSync(workDir, { recursive: true, mode: 0o700 });
  try {
    await pipeline(input, unpackInto({ cwd: workDir, strict: true, owner: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 } }));
  } catch (err) {
    throw new InvalidArgumentError(`cannot read the archive: ${(err as Error).message}`);
  }
}

function archiveEntries(workDir: string): Entry[] {
  if (fs.existsSync(path.join(workDir, 'manifest.json'))) return dockerArchiveEntries(workDir);
  if (fs.existsSync(path.join(workDir, 'index.json'))) return ociLayoutEntries(workDir);
  throw new InvalidArgumentError('the archive has neither manifest.json (docker-archive) nor index.json (oci-archive)');
}

interface StageOptions {
  whiteouts: WhiteoutFormat;
  maxUid: number;
  maxGid: number;
  /** Blobs are the user's files (oci:, dir:): copied into workDir, never moved into the store. */
  copyBlobsTo?: string;
}

/**
 * Reads an archive from input into workDir and stages its layers (skipping those stored already).
 * Inside the namespace. The caller commits the result with ImageStore.commitLoaded.
 */
export async function loadArchive(state: State, layers: LayerStore, input: Readable, workDir: string, opts: StageOptions): Promise<LoadedImage[]> {
  await unpackArchive(input, workDir);
  return stageEntries(state, layers, archiveEntries(workDir), opts);
}

/** `load -i DIR`: every image of an OCI layout (save --format oci-dir) or the image of a dir: directory (docker-dir). */
export async function loadDirectory(state: State, layers: LayerStore, dir: string, workDir: string, opts: StageOptions): Promise<LoadedImage[]> {
  const root = path.resolve(dir);
  const entries = fs.existsSync(path.join(root, 'index.json')) ? ociLayoutEntries(root) : dirEntries(root);
  fs.mkdirSync(workDir, { recursive: true, mode: 0o700 });
  return stageEntries(state, layers, entries, { ...opts, copyBlobsTo: workDir });
}

export type SourceKind = 'docker-archive' | 'oci-archive' | 'oci' | 'dir';

/**
 * One image of a docker-archive, oci-archive, OCI layout or dir: directory, chosen by ref (a
 * RepoTag, or an OCI ref.name annotation) or the only one there. Inside the namespace.
 */
export async function readImageSource(state: State, layers: LayerStore, kind: SourceKind, target: string, ref: string | undefined, workDir: string, opts: StageOptions): Promise<{ image: LoadedImage; refs: string[] }> {
  let entries: Entry[];
  fs.mkdirSync(workDir, { recursive: true, mode: 0o700 });
  if (kind === 'docker-archive' || kind === 'oci-archive') {
    await unpackArchive(fs.createReadStream(target), workDir);
    entries = kind === 'docker-archive' ? dockerArchiveEntries(workDir) : ociLayoutEntries(workDir);
  } else if (kind === 'oci') {
    if (!fs.existsSync(path.join(target, 'index.json'))) throw new InvalidArgumentError(`${target} is not an OCI image layout (it has no index.json)`);
    entries = ociLayoutEntries(path.resolve(target));
  } else {
    entries = dirEntries(path.resolve(target));
  }
  const entry = chooseEntry(entries, kind, target, ref);
  const [image] = await stageEntries(state, layers, [entry], { ...opts, ...(kind === 'oci' || kind === 'dir' ? { copyBlobsTo: workDir } : {}) });
  return { image, refs: entry.refs };
}

function chooseEntry(entries: Entry[], kind: SourceKind, target: string, ref: string | undefined): Entry {
  if (ref !== undefined) {
    const matches = (r: string) => r === ref || (kind === 'docker-archive' && sameName(r, ref));
    const found = entries.find((e) => e.refs.some(matches));
    if (!found) throw new InvalidArgumentError(`${kind}:${target} holds no image named "${ref}"${entries.some((e) => e.refs.length) ? ` (it holds ${entries.flatMap((e) => e.refs).join(', ')})` : ''}`);
    return found;
  }
  if (entries.length === 0) throw new InvalidArgumentError(`${kind}:${target} holds no image`);
  if (entries.length > 1) throw new InvalidArgumentError(`${kind}:${target} holds ${entries.length} images: choose one with ${kind}:${target}:NAME (${entries.flatMap((e) => e.refs).join(', ') || 'they have no names'})`);
  return entries[0];
}

/** docker-archive RepoTags compare as Docker names (busybox is docker.io/library/busybox:latest). */
function sameName(a: string, b: string): boolean {
  try {
    return formatReference(normalizeReference(a)) === formatReference(normalizeReference(b));
  } catch {
    return false;
  }
}

async function stageEntries(state: State, layers: LayerStore, entries: Entry[], opts: StageOptions): Promise<LoadedImage[]> {
  const out: LoadedImage[] = [];
  for (const e of entries) {
    if (!fs.existsSync(e.config)) throw new InvalidArgumentError(`the image lacks its config ${path.basename(e.config)}`);
    const configBuf = fs.readFileSync(e.config);
    const config = JSON.parse(configBuf.toString()) as OciImageConfig;
    const diffIds = config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== e.layerFiles.length) throw new InvalidArgumentError(`the image's config lists ${diffIds.length} layers but it holds ${e.layerFiles.length}`);
    const chains = chainIds(diffIds);
    const image: LoadedImage = { id: sha(configBuf), configJson: configBuf.toString(), names: e.names, layers: [] };
    for (let i = 0; i < diffIds.length; i++) {
      let file = e.layerFiles[i];
      if (!fs.existsSync(file)) throw new InvalidArgumentError(`the image lacks layer ${path.basename(file)}`);
      let blobDigest = e.compressed[i];
      if (!blobDigest) {
        const h = crypto.createHash('sha256');
        for await (const c of fs.createReadStream(file)) h.update(c as Buffer);
        blobDigest = `sha256:${h.digest('hex')}`;
      }
      const entry: LoadedImage['layers'][number] = { chainId: chains[i], diffId: diffIds[i], compressedDigest: blobDigest, size: 0, blobFile: file };
      if (!state.getLayer(chains[i])) {
        if (opts.copyBlobsTo) {
          entry.blobFile = path.join(opts.copyBlobsTo, `${hex(blobDigest)}.blob`);
          fs.copyFileSync(file, entry.blobFile);
          file = entry.blobFile;
        }
        entry.staged = await layers.stage(fs.createReadStream(file), { whiteouts: opts.whiteouts, maxUid: opts.maxUid, maxGid: opts.maxGid, diffId: diffIds[i] });
        entry.size = entry.staged.result.size;
      } else if (opts.copyBlobsTo) {
        entry.blobFile = '';
      }
      image.layers.push(entry);
    }
    out.push(image);
  }
  return out;
}
