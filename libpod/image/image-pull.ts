// Pulling an image: resolve the name to candidate references and each to endpoints (mirrors
// first), fetch the manifest (picking the platform from an index), the config, and the layers not
// already stored, several at a time. Each layer streams from the registry through its compressed
// digest check and decompression straight into extraction; the compressed bytes are also kept in
// a .partial file, so a pull killed half-way resumes from there with a Range request.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline as streamPipeline, Readable, Transform } from 'node:stream';
import { NoSpaceError, RegistryError, TspodError } from '../../src/errors';
import { isNoSpace, noSpaceError } from '../../src/disk-space';
import { log } from '../../src/log';
import type { ProgressSink } from '../../src/progress';
import type { RegistriesConf } from '../config/registries-conf';
import type { State } from '../state/state';
import type { LayerStore, StagedLayer } from '../storage/layer-store';
import { chainIds } from '../storage/layer-store';
import { LayerError, type WhiteoutFormat } from '../storage/layer-extract';
import { lookupCredentials, parseCreds } from './auth-file';
import { withLock } from '../lock/file-lock';
import { isIndex, parseImageManifest, selectFromIndex, wantedPlatform, type Descriptor, type Platform } from './manifest';
import { formatReference, type Reference } from './reference';
import { RegistryClient, type Credentials, type RegistryAccess } from './registry-client';
import { endpointsFor, resolveCandidates, type Endpoint } from './registry-resolver';
import type { OciImageConfig } from './image-store';
import { ARCH_NAMES } from '../../src/arch';
import type { Runtime } from '../runtime';
import { loadRegistriesConf } from '../config/registries-conf';
import { mappedIdLimits } from '../rootless/user-namespace';
import { recordEvent, recordFailureEvent } from '../event-log';
import type { Image } from './image-store';
import { parseTransportRef } from './transport';

export interface PullOptions {
  platform: Platform;
  credentials?: Credentials;
  authFile?: string;
  tlsVerify?: boolean;
  /** --cert-dir, --retry, --retry-delay. */
  access?: RegistryAccess;
  parallel: number;
  whiteouts: WhiteoutFormat;
  maxUid: number;
  maxGid: number;
  progress: ProgressSink;
}

export interface PulledImage {
  id: string;
  configJson: string;
  manifestDigest: string;
  name: string;
  repoDigest: string;
  layers: Array<{ chainId: string; diffId: string; compressedDigest: string; size: number; staged?: StagedLayer }>;
}

const LAYER_TYPES = new Set([
  'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
]);

/** Runs fn over items with at most n in flight; the first failure rejects after all settle. */
async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
  if (failure !== undefined) throw failure;
}

/** Hashes what passes and fails at the end if it is not the expected digest and size. */
function verifier(digest: string, size: number, what: string): Transform {
  const hash = crypto.createHash('sha256');
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _e, cb) {
      hash.update(chunk);
      n += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      const got = `sha256:${hash.digest('hex')}`;
      if (got !== digest) cb(new RegistryError(`${what} does not match its digest: expected ${digest}, got ${got} (${n} bytes): nothing of it was kept`));
      else if (size >= 0 && n !== size) cb(new RegistryError(`${what} has ${n} bytes, the manifest says ${size}`));
      else cb();
    },
  });
}

/** Resolves when a file stream that refused a write can take more, or has failed (it then says why). */
function drained(stream: fs.WriteStream): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

export class ImagePuller {
  constructor(
    private readonly state: State,
    private readonly layers: LayerStore,
    private readonly conf: RegistriesConf,
  ) {}

  private partialPath(digest: string): string {
    return path.join(this.layers.tmpDir, 'partial', `${digest.replace(/^sha256:/, '')}.partial`);
  }

  /** Tries each candidate name and each of its endpoints in order; returns what was fetched. */
  async pull(name: string, opts: PullOptions): Promise<PulledImage> {
    const candidates = resolveCandidates(name, this.conf);
    const errors: string[] = [];
    for (const ref of candidates) {
      const full = formatReference(ref);
      opts.progress.line(`Trying to pull ${full}...`);
      for (const ep of endpointsFor(ref, this.conf, opts.tlsVerify)) {
        try {
          return await this.pullFrom(ref, ep, opts);
        } catch (err) {
          if (!(err instanceof TspodError)) throw err;
          // A full disk is no fault of the source: another one would not help.
          if (err instanceof NoSpaceError) throw err;
          const where = ep.mirror ? `mirror ${ep.host}` : ep.host;
          log.debug(`pulling ${full} from ${where}: ${err.message}`);
          errors.push(err.message);
          // A corrupt blob is an error of the content, not of the place: do not hide it behind a retry.
          if (/does not match its digest/.test(err.message) && !ep.mirror) throw err;
        }
      }
    }
    if (errors.length === 1) throw new RegistryError(errors[0]);
    throw new RegistryError(`pulling ${name} failed at every source: ${errors.join('; ')}`);
  }

  private async pullFrom(ref: Reference, ep: Endpoint, opts: PullOptions): Promise<PulledImage> {
    const full = formatReference(ref);
    const creds = opts.credentials ?? lookupCredentials(ep.host, opts.authFile);
    const client = new RegistryClient({ host: ep.host, insecure: ep.insecure, ...opts.access }, creds, full);
    let manifest = await client.getManifest(ep.repo, ref.digest ?? ref.tag ?? 'latest');
    const manifestDigest = manifest.digest;
    if (isIndex(manifest)) {
      const chosen = selectFromIndex(manifest, opts.platform, full);
      manifest = await client.getManifest(ep.repo, chosen.digest);
    }
    const image = parseImageManifest(manifest, full);
    const configBuf = await client.getBlob(ep.repo, image.config.digest);
    const configDigest = `sha256:${crypto.createHash('sha256').update(configBuf).digest('hex')}`;
    if (configDigest !== image.config.digest) throw new RegistryError(`config of ${full} does not match its digest: expected ${image.config.digest}, got ${configDigest}`);
    const config = JSON.parse(configBuf.toString()) as OciImageConfig;
    const diffIds = config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== image.layers.length) throw new RegistryError(`${full}: its config lists ${diffIds.length} layers but its manifest ${image.layers.length}`);
    if (config.os && config.os !== opts.platform.os) log.warn(`image ${full} is for ${config.os}, not ${opts.platform.os}`);
    if (config.architecture && config.architecture !== opts.platform.architecture) {
      log.warn(`image ${full} is for architecture ${config.architecture}, not ${opts.platform.architecture}`);
    }
    const chains = chainIds(diffIds);
    opts.progress.line('Getting image source signatures');
    const layers: PulledImage['layers'] = image.layers.map((d, i) => ({ chainId: chains[i], diffId: diffIds[i], compressedDigest: d.digest, size: d.size }));
    const todo = image.layers.map((d, i) => ({ d, i })).filter(({ i }) => !this.state.getLayer(chains[i]));
    for (const { d, i } of image.layers.map((d, i) => ({ d, i }))) {
      if (this.state.getLayer(chains[i])) opts.progress.blobDone(d.digest, 'skipped: already exists');
    }
    // Several downloads of one pull share a digest only when a layer repeats: fetch it once.
    const seen = new Map<string, Promise<StagedLayer>>();
    try {
      await pool(todo, opts.parallel, async ({ d, i }) => {
        const key = `${d.digest}/${diffIds[i]}`;
        if (!seen.has(key)) seen.set(key, this.fetchLayer(client, ep.repo, d, diffIds[i], full, opts));
        layers[i].staged = await seen.get(key)!;
        if (layers[i].staged!.blobDigest) layers[i].compressedDigest = layers[i].staged!.blobDigest!;
      });
    } catch (err) {
      for (const l of layers) if (l.staged) this.layers.discard(l.staged);
      throw err;
    }
    opts.progress.line(`Copying config ${image.config.digest.replace(/^sha256:/, '').slice(0, 12)} done`);
    opts.progress.line('Writing manifest to image destination');
    opts.progress.finish();
    return {
      id: configDigest,
      configJson: configBuf.toString(),
      manifestDigest,
      name: ref.tag ? full : '',
      repoDigest: `${ref.domain}/${ref.path}@${manifestDigest}`,
      layers,
    };
  }

  /**
   * One layer: bytes already in the .partial file first, then the rest from the registry with a
   * Range request; all of it through the digest check into extraction, the new bytes also appended
   * to the .partial file. The .partial file becomes the kept blob once the layer is staged, and is
   * removed when the pull of the layer fails.
   */
  private async fetchLayer(client: RegistryClient, repo: string, d: Descriptor, diffId: string, what: string, opts: PullOptions): Promise<StagedLayer> {
    if (!LAYER_TYPES.has(d.mediaType)) {
      throw new RegistryError(`${what}: layer ${d.digest} has media type ${d.mediaType}, which tspod cannot unpack yet (gzip and plain tar layers are supported)`);
    }
    // One download of a blob at a time per store: a second pull of the same layer waits, then
    // finds the blob kept (or the layer stored) and unpacks it locally.
    return withLock(this.partialPath(d.digest), () => this.fetchLayerLocked(client, repo, d, diffId, what, opts), `download lock of ${d.digest.slice(0, 19)}`, 30 * 60_000);
  }

  private async fetchLayerLocked(client: RegistryClient, repo: string, d: Descriptor, diffId: string, what: string, opts: PullOptions): Promise<StagedLayer> {
    const same = this.state.layerByDiffId(diffId);
    if (same && same.whiteouts === opts.whiteouts) {
      // The same content is stored at another chain position: copy it rather than download it.
      opts.progress.blobDone(d.digest, 'skipped: already exists');
      const staged = this.layers.stageCopy(same.id, { diffId, size: same.size, entries: 0 });
      // push and save will send the stored blob: it unpacks to the same diffID.
      if (same.compressedDigest) staged.blobDigest = same.compressedDigest;
      return staged;
    }
    const kept = this.layers.blobPath(d.digest);
    if (fs.existsSync(kept)) {
      // The blob is here already (another image's layer at another position): unpack it locally.
      opts.progress.blobDone(d.digest, 'skipped: already exists');
      const check = verifier(d.digest, d.size, `layer ${d.digest} of ${what}`);
      return this.layers.stage(fs.createReadStream(kept).pipe(check), { whiteouts: opts.whiteouts, maxUid: opts.maxUid, maxGid: opts.maxGid, diffId });
    }
    const partial = this.partialPath(d.digest);
    fs.mkdirSync(path.dirname(partial), { recursive: true, mode: 0o700 });
    let have = 0;
    try {
      have = fs.statSync(partial).size;
    } catch {
      have = 0;
    }
    if (have > d.size) {
      fs.rmSync(partial, { force: true });
      have = 0;
    }
    opts.progress.blobStart(d.digest, d.size, have);
    const keep = fs.createWriteStream(partial, { flags: 'a', mode: 0o600 });
    // A failed write (a full disk) ends the download: the error is raised where the next chunk is written.
    let keepError: Error | undefined;
    keep.on('error', (e) => (keepError = e));
    const closeKeep = () => new Promise<void>((r) => (keep.destroyed ? r() : keep.end(() => r())));
    const progress = opts.progress;
    // One source stream: the kept bytes, then the network's (also appended to the .partial file).
    const source = Readable.from(
      (async function* () {
        if (have > 0) yield* fs.createReadStream(partial, { end: have - 1 });
        if (have < d.size) {
          for await (const chunk of client.blobStream(repo, d.digest, have, d.size)) {
            if (keepError) throw keepError;
            if (!keep.write(chunk)) await drained(keep);
            if (keepError) throw keepError;
            progress.blobBytes(d.digest, (chunk as Buffer).length);
            yield chunk as Buffer;
          }
        }
      })(),
      { objectMode: false },
    );
    const check = verifier(d.digest, d.size, `layer ${d.digest} of ${what}`);
    let sourceError: unknown;
    const verified = streamPipeline(source, check, (err) => {
      if (err) sourceError = err;
    });
    try {
      const staged = await this.layers.stage(verified, { whiteouts: opts.whiteouts, maxUid: opts.maxUid, maxGid: opts.maxGid, diffId });
      await closeKeep();
      if (keepError) throw keepError;
      // Verified whole: the .partial file is now the layer's blob (kept for push and save).
      this.layers.keepBlob(partial, d.digest);
      opts.progress.blobDone(d.digest, have ? 'resumed' : 'done');
      return staged;
    } catch (err) {
      await closeKeep();
      let cause = sourceError instanceof TspodError ? sourceError : err;
      if (isNoSpace(keepError) || isNoSpace(cause)) cause = noSpaceError([this.layers.tmpDir], `pulling layer ${d.digest.slice(0, 19)} of ${what}`, keepError ?? cause);
      if (cause instanceof LayerError && !/does not match/.test(cause.message)) {
        // The content could not be unpacked (bad gzip or tar). Whether it is also not what the
        // manifest names decides the message: finish the download and check its digest.
        cause = (await this.digestMismatch(client, repo, d, partial, what)) ?? cause;
      }
      // A pull that fails here had its chance to resume (blobStream gave up after its retries, or
      // the content is wrong, or the disk is full): its bytes go. Only a pull killed before this
      // point (kill -9, power loss) leaves a .partial file for the next pull to resume from.
      fs.rmSync(partial, { force: true });
      throw cause;
    }
  }

  /** Completes the .partial file from the registry and returns a digest error if it is not d. */
  private async digestMismatch(client: RegistryClient, repo: string, d: Descriptor, partial: string, what: string): Promise<RegistryError | null> {
    try {
      const have = fs.existsSync(partial) ? fs.statSync(partial).size : 0;
      const out = fs.createWriteStream(partial, { flags: 'a' });
      if (have < d.size) await new Promise<void>((resolve, reject) => streamPipeline(client.blobStream(repo, d.digest, have, d.size), out, (e) => (e ? reject(e) : resolve())));
      else out.end();
      const hash = crypto.createHash('sha256');
      for await (const chunk of fs.createReadStream(partial)) hash.update(chunk as Buffer);
      const got = `sha256:${hash.digest('hex')}`;
      return got === d.digest ? null : new RegistryError(`layer ${d.digest} of ${what} does not match its digest: expected ${d.digest}, got ${got}: nothing of it was kept`);
    } catch {
      return null;
    }
  }
}

export interface PullImageOptions {
  platform?: string;
  os?: string;
  arch?: string;
  variant?: string;
  creds?: string;
  authFile?: string;
  tlsVerify?: boolean;
  certDir?: string;
  retry?: number;
  retryDelayMs?: number;
  progress: ProgressSink;
}

/** `pull` (and the image a create pulls): inside the namespace (layers are extracted as namespace root). */
export async function pullImage(rt: Runtime, nameWithTransport: string, opts: PullImageOptions): Promise<Image> {
  const t = parseTransportRef(nameWithTransport);
  if (t.transport === 'containers-storage') return rt.imageStore().resolve(t.target);
  if (t.transport !== 'docker') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { pullFromFile } = require('./image-transport') as typeof import('./image-transport');
    const image = await pullFromFile(rt, t, opts.progress).catch((err: Error) => {
      recordFailureEvent(rt.db(), 'image', 'pull-error', { id: '', name: nameWithTransport, error: err.message });
      throw err;
    });
    recordEvent(rt.db(), 'image', 'pull', { id: image.id.replace(/^sha256:/, ''), name: nameWithTransport });
    return image;
  }
  const name = t.target;
  const conf = loadRegistriesConf(rt.paths.configDir);
  const whiteouts = rt.whiteouts();
  const store = rt.imageStore();
  store.collectGarbage();
  const puller = new ImagePuller(rt.db(), rt.layerStore(), conf);
  const pulled = await puller.pull(name, pullOptions(rt, opts, whiteouts)).catch((err: Error) => {
    // Podman's pull-error: the name asked for, and why it failed. The pull's own error is what the user sees.
    recordFailureEvent(rt.db(), 'image', 'pull-error', { id: '', name, error: err.message });
    throw err;
  });
  const image = store.commitPulled({ ...pulled, names: pulled.name ? [pulled.name] : [], whiteouts });
  recordEvent(rt.db(), 'image', 'pull', { id: image.id.replace(/^sha256:/, ''), name: pulled.name ?? name });
  return image;
}

function pullOptions(rt: Runtime, opts: PullImageOptions, whiteouts: ReturnType<Runtime['whiteouts']>): Parameters<ImagePuller['pull']>[1] {
  return {
    platform: wantedPlatform(opts, ARCH_NAMES[process.arch] ?? process.arch),
    credentials: opts.creds ? parseCreds(opts.creds) : undefined,
    authFile: opts.authFile,
    tlsVerify: opts.tlsVerify,
    access: { certDir: opts.certDir, retry: opts.retry, retryDelayMs: opts.retryDelayMs },
    parallel: rt.config.engine.imageParallelCopies,
    whiteouts,
    ...mappedIdLimits(),
    progress: opts.progress,
  };
}

/**
 * --pull=newer: the digest the registry has for NAME now (the manifest or index a pull would
 * start from), to compare with the stored image's repo digests. Undefined when the registry cannot
 * be asked (Podman then keeps the local image and says nothing).
 */
export async function remoteDigest(rt: Runtime, name: string, opts: Omit<PullImageOptions, 'progress'>): Promise<string | undefined> {
  const conf = loadRegistriesConf(rt.paths.configDir);
  for (const ref of resolveCandidates(name, conf)) {
    for (const ep of endpointsFor(ref, conf, opts.tlsVerify)) {
      try {
        const creds = opts.creds ? parseCreds(opts.creds) : lookupCredentials(ep.host, opts.authFile);
        const client = new RegistryClient({ host: ep.host, insecure: ep.insecure, certDir: opts.certDir, retry: 0 }, creds, formatReference(ref));
        const m = await client.getManifest(ep.repo, ref.digest ?? ref.tag ?? 'latest');
        return `${ref.domain}/${ref.path}@${m.digest}`;
      } catch (err) {
        log.debug(`--pull=newer: asking ${ep.host} for ${formatReference(ref)}: ${(err as Error).message}`);
      }
    }
  }
  return undefined;
}
