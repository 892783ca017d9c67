// Images over the layer store: import a rootfs tarball as a one-layer image, list, resolve a name or
// short ID, remove (untag, then delete with the layers no other image uses), and mount read-only.
// Lifecycle methods that touch files run inside the user namespace; reads need only the database.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError, InvalidStateError, NoSuchImageError } from '../../src/errors';
import type { ImageRow, LayerRow, State } from '../state/state';
import type { LayerStore } from '../storage/layer-store';
import type { WhiteoutFormat } from '../storage/layer-extract';
import { chainIds, type StagedLayer } from '../storage/layer-store';
import { endOrphanedFuseMounts, isMountPoint, mountOverlay, unmount, type OverlayDriver } from '../storage/overlay-mount';
import { applyChanges, type ContainerConfig } from './image-changes';
import { localImageName, normalizeReference, formatReference } from './reference';
import { ARCH_NAMES } from '../../src/arch';

/** What images.config holds: the exact OCI config bytes (the ID is their digest) and metadata. */
export interface ImageRecord {
  configJson: string;
  /** Digest of the manifest it was pulled by (its RepoDigests). */
  digest?: string;
  repoDigests?: string[];
  /** Every name the image was given, most recent first (State.insertImage keeps it). */
  namesHistory?: string[];
  /** Made by a build as one step's result (its cache): `images` leaves it out unless -a, `builder prune` removes it. */
  buildStep?: boolean;
  /** The manifest's annotations (build --annotation), written into the manifest push and save make. */
  annotations?: Record<string, string>;
}

export interface OciImageConfig {
  created?: string;
  author?: string;
  architecture: string;
  os: string;
  variant?: string;
  config?: ContainerConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: Array<{ created?: string; created_by?: string; comment?: string; empty_layer?: boolean; author?: string }>;
}

export interface Image extends ImageRow {
  config: OciImageConfig;
  digest?: string;
  repoDigests: string[];
  namesHistory: string[];
  /** A build step's image, not (yet) a build's result. */
  buildStep: boolean;
  annotations?: Record<string, string>;
}

export interface ImportOptions {
  name?: string;
  message?: string;
  changes?: string[];
  whiteouts: WhiteoutFormat;
  maxUid: number;
  maxGid: number;
}

export interface RemoveReport {
  name: string;
  id?: string;
  untagged: string[];
  deleted: boolean;
  error?: Error;
}

export function toImage(row: ImageRow): Image {
  const record = JSON.parse(row.record) as ImageRecord;
  return { ...row, config: JSON.parse(record.configJson) as OciImageConfig, digest: record.digest, repoDigests: record.repoDigests ?? [], namesHistory: record.namesHistory ?? [], buildStep: record.buildStep === true, ...(record.annotations ? { annotations: record.annotations } : {}) };
}

/** Names a user may mean by a short name: as typed, under localhost/, under docker.io. */
function nameCandidates(name: string): string[] {
  const out = [name];
  try {
    out.push(localImageName(name), formatReference(normalizeReference(name)));
  } catch {
    /* not a reference: only the literal name and an ID prefix can match */
  }
  return [...new Set(out)];
}

export class ImageStore {
  constructor(
    private readonly state: State,
    private readonly layers: LayerStore,
    private readonly mountRoot: string,
  ) {}

  list(): Image[] {
    return this.state.listImages().map(toImage);
  }

  /** The image a name, full or short ID means; NoSuchImageError or an ambiguity error otherwise. */
  resolve(nameOrId: string): Image {
    for (const candidate of nameCandidates(nameOrId)) {
      const ids = this.state.findImageIds(candidate);
      const uniq = [...new Set(ids)];
      if (uniq.length === 1) return toImage(this.state.getImage(uniq[0])!);
      if (uniq.length > 1) throw new InvalidArgumentError(`short ID "${nameOrId}" is ambiguous: it matches ${uniq.length} images; give more of the ID`);
    }
    throw new NoSuchImageError(nameOrId);
  }

  /** Removes staging dirs of killed processes, unreferenced layer rows and stray layer dirs. */
  collectGarbage(): void {
    this.layers.withUndoableTrash(() =>
      this.state.exclusive(() => {
        this.trashLayers(this.state.deleteUnusedLayers(this.state.unusedLayers()));
        this.layers.collectGarbage(this.state.allLayerIds());
        this.layers.collectBlobs(this.state.usedBlobDigests());
      }),
    );
    this.layers.emptyTrash();
  }

  /** `tspod import`: one tarball becomes a one-layer image. Runs inside the user namespace. */
  async importTarball(input: Readable, opts: ImportOptions): Promise<Image> {
    const name = opts.name ? localImageName(opts.name) : undefined;
    const changes = opts.changes ?? [];
    const config = applyChanges({}, changes); // validate before the long extraction
    this.collectGarbage();
    const { staged, blobFile, blobDigest } = await this.stageWithBlob(input, opts);
    const created = new Date().toISOString();
    const diffId = staged.result.diffId;
    const image: OciImageConfig = {
      created,
      architecture: ARCH_NAMES[process.arch] ?? process.arch,
      os: 'linux',
      config,
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created, created_by: `/bin/sh -c #(nop) ADD file:${diffId.slice(7)} in /`, ...(opts.message ? { comment: opts.message } : {}) }],
    };
    const configJson = JSON.stringify(image);
    const id = `sha256:${crypto.createHash('sha256').update(configJson).digest('hex')}`;
    let publishedLayer = false;
    this.state.exclusive(() => {
      if (!this.state.getLayer(diffId)) {
        this.layers.publish(staged, diffId);
        this.layers.keepBlob(blobFile, blobDigest);
        publishedLayer = this.state.insertLayer({ id: diffId, parent: null, diffId, compressedDigest: blobDigest, size: staged.result.size, whiteouts: opts.whiteouts, createdAt: Date.now() });
      }
      const record: ImageRecord = { configJson };
      this.state.insertImage({ id, createdAt: Date.parse(created), size: staged.result.size, record: JSON.stringify(record) }, [diffId], name ? [name] : []);
    });
    if (!publishedLayer) {
      this.layers.discard(staged);
      fs.rmSync(blobFile, { force: true });
    }
    this.layers.emptyTrash();
    return this.resolve(id);
  }

  /**
   * A directory already in the store's layer format (a step container's upper directory, native
   * overlay) staged as it is, renamed rather than extracted again; its tar (the stream given, packed
   * from that directory) is only written as the blob, whose digest is the diffID.
   */
  private async stageDirWithBlob(dir: string, input: Readable): Promise<{ staged: StagedLayer; blobFile: string; blobDigest: string }> {
    fs.mkdirSync(this.layers.tmpDir, { recursive: true, mode: 0o700 });
    const blobFile = path.join(this.layers.tmpDir, `import-${process.pid}-${crypto.randomBytes(4).toString('hex')}.blob`);
    const hash = crypto.createHash('sha256');
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _e, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    try {
      await pipeline(input, counter, fs.createWriteStream(blobFile, { mode: 0o600 }));
    } catch (err) {
      fs.rmSync(blobFile, { force: true });
      throw err;
    }
    const stageDir = fs.mkdtempSync(path.join(this.layers.tmpDir, `stage-${process.pid}-`));
    fs.renameSync(dir, path.join(stageDir, 'diff'));
    const diffId = `sha256:${hash.digest('hex')}`;
    return { staged: { dir: stageDir, result: { diffId, size, entries: 0 } }, blobFile, blobDigest: diffId };
  }

  /** Extracts a layer stream into staging while keeping the stream as given (plain or gzip) as its blob, for push and save. */
  private async stageWithBlob(input: Readable, opts: Pick<ImportOptions, 'whiteouts' | 'maxUid' | 'maxGid'>): Promise<{ staged: StagedLayer; blobFile: string; blobDigest: string }> {
    fs.mkdirSync(this.layers.tmpDir, { recursive: true, mode: 0o700 });
    const blobFile = path.join(this.layers.tmpDir, `import-${process.pid}-${crypto.randomBytes(4).toString('hex')}.blob`);
    const blobHash = crypto.createHash('sha256');
    const blobOut = fs.createWriteStream(blobFile, { mode: 0o600 });
    const tee = new Transform({
      transform(chunk: Buffer, _e, cb) {
        blobHash.update(chunk);
        if (blobOut.write(chunk)) cb(null, chunk);
        else blobOut.once('drain', () => cb(null, chunk));
      },
    });
    input.on('error', (err) => tee.destroy(err));
    let staged;
    try {
      staged = await this.layers.stage(input.pipe(tee), { whiteouts: opts.whiteouts, maxUid: opts.maxUid, maxGid: opts.maxGid });
    } catch (err) {
      await new Promise<void>((r) => blobOut.end(() => r()));
      fs.rmSync(blobFile, { force: true });
      throw err;
    }
    await new Promise<void>((r) => blobOut.end(() => r()));
    return { staged, blobFile, blobDigest: `sha256:${blobHash.digest('hex')}` };
  }

  /**
   * `commit`: a new image made of base's layers and one more from a layer tar (a container's
   * changes, uncompressed: its blob digest is its diffID), with the given config and history line.
   */
  async commitLayer(input: Readable, opts: Omit<ImportOptions, 'changes'> & { base: Image; config: ContainerConfig; author?: string; createdBy: string }): Promise<Image> {
    const name = opts.name ? localImageName(opts.name) : undefined;
    this.collectGarbage();
    const { staged, blobFile, blobDigest } = await this.stageWithBlob(input, opts);
    const diffId = staged.result.diffId;
    const diffIds = [...opts.base.config.rootfs.diff_ids, diffId];
    const chainId = chainIds(diffIds)[diffIds.length - 1];
    const created = new Date().toISOString();
    const image: OciImageConfig = {
      ...opts.base.config,
      created,
      ...(opts.author ? { author: opts.author } : {}),
      config: opts.config,
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: [...(opts.base.config.history ?? []), { created, created_by: opts.createdBy, ...(opts.author ? { author: opts.author } : {}), ...(opts.message ? { comment: opts.message } : {}) }],
    };
    const configJson = JSON.stringify(image);
    const id = `sha256:${crypto.createHash('sha256').update(configJson).digest('hex')}`;
    let publishedLayer = false;
    this.state.exclusive(() => {
      if (!this.state.getImage(opts.base.id)) throw new InvalidStateError(`image ${opts.base.id.slice(7, 19)} was removed during the commit: commit again`);
      if (!this.state.getLayer(chainId)) {
        this.layers.publish(staged, chainId);
        this.layers.keepBlob(blobFile, blobDigest);
        publishedLayer = this.state.insertLayer({ id: chainId, parent: opts.base.layers[opts.base.layers.length - 1] ?? null, diffId, compressedDigest: blobDigest, size: staged.result.size, whiteouts: opts.whiteouts, createdAt: Date.now() });
      }
      const size = opts.base.size + staged.result.size;
      this.state.insertImage({ id, createdAt: Date.parse(created), size, record: JSON.stringify({ configJson } satisfies ImageRecord) }, [...opts.base.layers, chainId], name ? [name] : []);
    });
    if (!publishedLayer) {
      this.layers.discard(staged);
      fs.rmSync(blobFile, { force: true });
    }
    this.layers.emptyTrash();
    return this.resolve(id);
  }

  /**
   * A build step's image: base's layers (none for FROM scratch) plus, when a layer tar is given
   * (uncompressed: its blob digest is its diffID), one more; the config is given in full and its
   * rootfs set here. Unnamed and marked as a build step; the build names its last one.
   */
  async commitStep(opts: Omit<ImportOptions, 'changes' | 'name' | 'message'> & { base: Image | undefined; layer?: Readable; layerDir?: string; config: OciImageConfig }): Promise<Image> {
    const baseLayers = opts.base?.layers ?? [];
    const baseDiffIds = opts.base?.config.rootfs.diff_ids ?? [];
    const staged = opts.layer ? (opts.layerDir ? await this.stageDirWithBlob(opts.layerDir, opts.layer) : await this.stageWithBlob(opts.layer, opts)) : undefined;
    const diffIds = staged ? [...baseDiffIds, staged.staged.result.diffId] : baseDiffIds;
    const layers = staged ? [...baseLayers, chainIds(diffIds)[diffIds.length - 1]] : baseLayers;
    const configJson = JSON.stringify({ ...opts.config, rootfs: { type: 'layers', diff_ids: diffIds } });
    const id = `sha256:${crypto.createHash('sha256').update(configJson).digest('hex')}`;
    let publishedLayer = false;
    this.state.exclusive(() => {
      if (opts.base && !this.state.getImage(opts.base.id)) throw new InvalidStateError(`image ${opts.base.id.slice(7, 19)} was removed during the build: build again`);
      const top = layers[layers.length - 1];
      if (staged && !this.state.getLayer(top)) {
        this.layers.publish(staged.staged, top);
        this.layers.keepBlob(staged.blobFile, staged.blobDigest);
        publishedLayer = this.state.insertLayer({ id: top, parent: baseLayers[baseLayers.length - 1] ?? null, diffId: staged.staged.result.diffId, compressedDigest: staged.blobDigest, size: staged.staged.result.size, whiteouts: opts.whiteouts, createdAt: Date.now() });
      }
      const size = (opts.base?.size ?? 0) + (staged?.staged.result.size ?? 0);
      const created = Date.parse(opts.config.created ?? '') || Date.now();
      this.state.insertImage({ id, createdAt: created, size, record: JSON.stringify({ configJson, buildStep: true } satisfies ImageRecord) }, layers, []);
    });
    if (staged && !publishedLayer) {
      this.layers.discard(staged.staged);
      fs.rmSync(staged.blobFile, { force: true });
    }
    return this.resolve(id);
  }

  /** A build's result: no longer a mere step (images lists it), with the names given. */
  nameBuilt(id: string, names: string[], annotations: Record<string, string> = {}): Image {
    const image = this.resolve(id);
    this.state.exclusive(() => {
      const record = JSON.parse(image.record) as ImageRecord;
      if (record.buildStep || Object.keys(annotations).length) {
        delete record.buildStep;
        if (Object.keys(annotations).length) record.annotations = { ...(record.annotations ?? {}), ...annotations };
        this.state.updateImageRecord(id, JSON.stringify(record));
      }
      const fresh = this.state.getImage(id)!;
      if (names.length) this.state.insertImage({ id, createdAt: fresh.createdAt, size: fresh.size, record: fresh.record }, fresh.layers, names.map(localImageName));
    });
    return this.resolve(id);
  }

  /**
   * Stores a pulled image: its new layers in chain order (each renamed into place inside the one
   * transaction that records it) and the image with its name. Layers another process stored first
   * are kept and ours discarded.
   */
  commitPulled(p: {
    id: string;
    configJson: string;
    manifestDigest?: string;
    names: string[];
    repoDigest?: string;
    whiteouts: WhiteoutFormat;
    layers: Array<{ chainId: string; diffId: string; compressedDigest: string; size: number; staged?: StagedLayer; blobFile?: string }>;
  }): Image {
    const unused: StagedLayer[] = [];
    this.state.exclusive(() => {
      let parent: string | null = null;
      for (const l of p.layers) {
        if (this.state.getLayer(l.chainId)) {
          if (l.staged && !unused.includes(l.staged)) unused.push(l.staged);
        } else {
          if (!l.staged || (!l.staged.publishedTo && !fs.existsSync(l.staged.dir))) throw new InvalidStateError(`layer ${l.chainId.slice(7, 19)} was removed while it was being pulled: pull again`);
          this.layers.publishCopy(l.staged, l.chainId);
          if (l.blobFile && fs.existsSync(l.blobFile)) this.layers.keepBlob(l.blobFile, l.compressedDigest);
          this.state.insertLayer({ id: l.chainId, parent, diffId: l.diffId, compressedDigest: l.compressedDigest, size: l.staged.result.size, whiteouts: p.whiteouts, createdAt: Date.now() });
        }
        parent = l.chainId;
      }
      const size = p.layers.reduce((n, l) => n + (this.state.getLayer(l.chainId)?.size ?? 0), 0);
      const created = Date.parse((JSON.parse(p.configJson) as OciImageConfig).created ?? '') || Date.now();
      const existing = this.state.getImage(p.id);
      const record: ImageRecord = existing ? JSON.parse(existing.record) : { configJson: p.configJson };
      if (p.manifestDigest) record.digest = p.manifestDigest;
      if (p.repoDigest) record.repoDigests = [...new Set([...(record.repoDigests ?? []), p.repoDigest])];
      this.state.insertImage({ id: p.id, createdAt: created, size, record: JSON.stringify(record) }, p.layers.map((l) => l.chainId), p.names);
      if (existing) this.state.updateImageRecord(p.id, JSON.stringify(record));
    });
    for (const s of unused) this.layers.discard(s);
    this.layers.emptyTrash();
    return this.resolve(p.id);
  }

  /**
   * `rmi`: a name that is one of several names of its image only untags; otherwise the image is
   * deleted with the layers nothing else uses. A mounted image is refused unless forced.
   */
  remove(nameOrId: string, force: boolean, unmountFn: (img: Image) => void): RemoveReport {
    const report: RemoveReport = { name: nameOrId, untagged: [], deleted: false };
    try {
      const image = this.resolve(nameOrId);
      report.id = image.id;
      const byName = image.names.find((n) => nameCandidates(nameOrId).includes(n));
      if (byName && image.names.length > 1 && !force) {
        this.state.exclusive(() => this.state.removeImageName(byName));
        report.untagged.push(byName);
        return report;
      }
      const mount = this.state.getImageMount(image.id);
      if (mount && !force) {
        throw new InvalidStateError(`image ${image.id.slice(7, 19)} is mounted at ${mount.path}: unmount it with "tspod image unmount ${nameOrId}" or use --force`);
      }
      if (mount) unmountFn(image);
      this.layers.withUndoableTrash(() => this.state.exclusive(() => this.trashLayers(this.state.deleteImage(image.id))));
      this.layers.emptyTrash();
      report.untagged.push(...image.names);
      report.deleted = true;
    } catch (err) {
      report.error = err as Error;
    }
    return report;
  }

  /** Records where the image now is in a registry (its RepoDigests). */
  addRepoDigest(id: string, repoDigest: string): void {
    this.state.exclusive(() => {
      const row = this.state.getImage(id);
      if (!row) return;
      const record = JSON.parse(row.record) as ImageRecord;
      record.repoDigests = [...new Set([...(record.repoDigests ?? []), repoDigest])];
      this.state.updateImageRecord(id, JSON.stringify(record));
    });
  }

  /** Inside a transaction that deleted these rows: their directories, and blobs no row names now. */
  private trashLayers(removed: LayerRow[]): void {
    if (removed.length === 0) return;
    const used = this.state.usedBlobDigests();
    for (const l of removed) {
      this.layers.trashLayer(l.id);
      if (l.compressedDigest && !used.has(l.compressedDigest)) this.layers.trashBlob(l.compressedDigest);
    }
  }

  mountPath(image: Image): string {
    return path.join(this.mountRoot, image.id.slice(7), 'merged');
  }

  /** Read-only overlay of the image's layers; counted, so each mount needs its unmount. Inside the namespace. */
  mount(image: Image, driver: OverlayDriver, mountProgram: string): string {
    const target = this.mountPath(image);
    // Recorded before mounting: a crash in between leaves a record that the next mount or the
    // next namespace completes, never a mount that no record knows of.
    const count = this.state.exclusive(() => {
      const n = (this.state.getImageMount(image.id)?.count ?? 0) + 1;
      this.state.setImageMount({ imageId: image.id, path: target, driver, count: n });
      return n;
    });
    try {
      if (!isMountPoint(target)) this.mountLayers(image, driver, target, mountProgram);
    } catch (err) {
      this.state.exclusive(() => this.state.setImageMount({ imageId: image.id, path: target, driver, count: count - 1 }));
      throw err;
    }
    return target;
  }

  private mountLayers(image: Image, driver: OverlayDriver, target: string, mountProgram: string): void {
    const lowers = [...image.layers].reverse().map((l) => this.layers.diffDir(l));
    for (const l of image.layers) {
      const row = this.state.getLayer(l);
      const want: WhiteoutFormat = driver === 'native' ? 'overlay' : 'aufs';
      if (row && row.whiteouts !== want) {
        throw new InvalidStateError(`layer ${l.slice(7, 19)} was stored for ${row.whiteouts === 'overlay' ? 'native overlay' : 'fuse-overlayfs'}, not ${driver === 'native' ? 'native overlay' : 'fuse-overlayfs'}: use the storage.overlay setting the store was created with, or a new --root`);
      }
    }
    // Overlay needs two lowers when there is no upper directory.
    if (lowers.length === 1) lowers.push(this.layers.emptyDir());
    mountOverlay(driver, { lowers, target }, this.layers.layersDir, mountProgram);
  }

  /** Decrements the mount count and unmounts at zero (or at once with force). Inside the namespace. */
  unmount(image: Image, force: boolean): boolean {
    const existing = this.state.getImageMount(image.id);
    if (!existing) return false;
    const count = force ? 0 : existing.count - 1;
    if (count <= 0) {
      unmount(existing.path);
      fs.rmSync(path.dirname(existing.path), { recursive: true, force: true });
    }
    this.state.exclusive(() => this.state.setImageMount({ ...existing, count }));
    return true;
  }

  /** After a new namespace replaced a dead one, its mounts are gone: make the recorded ones again. */
  remountAll(driverFor: (recorded: string) => OverlayDriver, mountProgram: string): string[] {
    const remade: string[] = [];
    for (const m of this.state.listImageMounts()) {
      if (isMountPoint(m.path)) continue;
      const image = toImage(this.state.getImage(m.imageId)!);
      const driver = driverFor(m.driver);
      if (driver === 'fuse') endOrphanedFuseMounts(m.path);
      this.mountLayers(image, driver, m.path, mountProgram);
      remade.push(m.path);
    }
    return remade;
  }
}
