// Image and registry operations of the engine (Podman's ImageEngine): import, pull, push, save,
// load, tag, list, inspect, remove, mount, search, login. Storage, state and the namespace come
// from the Runtime it is made with.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { InvalidArgumentError, InvalidStateError, NoSuchImageError } from '../src/errors';
import type { ProgressSink } from '../src/progress';
import type { Runtime } from './runtime';
import type { Image, RemoveReport } from './image/image-store';
import type { PullingOptions } from './image/pull-flags';
import { inspectImage } from './image/image-inspect';
import type * as ManifestOps from './image/manifest-ops';

// Modules only some operations need, required on first use (esbuild keeps these requires lazy).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  userns: () => require('./rootless/user-namespace') as typeof import('./rootless/user-namespace'),
  imageFilter: () => require('./image/image-filter') as typeof import('./image/image-filter'),
  registriesConf: () => require('./config/registries-conf') as typeof import('./config/registries-conf'),
  imageSearch: () => require('./image/image-search') as typeof import('./image/image-search'),
  fileLock: () => require('./lock/file-lock') as typeof import('./lock/file-lock'),
  imagePull: () => require('./image/image-pull') as typeof import('./image/image-pull'),
  imageArchive: () => require('./image/image-archive') as typeof import('./image/image-archive'),
  reference: () => require('./image/reference') as typeof import('./image/reference'),
  transport: () => require('./image/transport') as typeof import('./image/transport'),
  imageTransport: () => require('./image/image-transport') as typeof import('./image/image-transport'),
  imagePush: () => require('./image/image-push') as typeof import('./image/image-push'),
  authFile: () => require('./image/auth-file') as typeof import('./image/auth-file'),
  registryResolver: () => require('./image/registry-resolver') as typeof import('./image/registry-resolver'),
  registryClient: () => require('./image/registry-client') as typeof import('./image/registry-client'),
  pullFlags: () => require('./image/pull-flags') as typeof import('./image/pull-flags'),
  containerUsers: () => require('./container/container-users') as typeof import('./container/container-users'),
  manifestOps: () => require('./image/manifest-ops') as typeof import('./image/manifest-ops'),
  imageTree: () => require('./image/image-tree') as typeof import('./image/image-tree'),
  imageDiff: () => require('./image/image-diff') as typeof import('./image/image-diff'),
  eventLog: () => require('./event-log') as typeof import('./event-log'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[];
  RepoDigests: string[];
  Size: number;
  SharedSize: number;
  VirtualSize: number;
  Labels: Record<string, string> | null;
  Containers: number;
  Names: string[];
  Digest: string;
  /** The names the image was given, most recent first (left out when none, as Podman's omitempty). */
  History?: string[];
  Created: number;
  CreatedAt: string;
}

export interface ImageRemoveOptions {
  force: boolean;
  all: boolean;
  /** A name that is not found is left out of the reports (rmi --ignore). */
  ignore?: boolean;
}

export interface MountReport {
  id: string;
  name: string;
  path?: string;
  error?: Error;
}

export class ImageEngine {
  constructor(private readonly rt: Runtime) {}

  /** `import`: inside the namespace. source is a path, or '-' for stdin. */
  async importImage(source: string, opts: { reference?: string; message?: string; changes?: string[] }): Promise<Image> {
    let input: Readable;
    if (source === '-') input = process.stdin;
    else {
      if (/^https?:\/\//.test(source)) throw new InvalidArgumentError(`importing from a URL is not supported yet: download ${source} and import the file`);
      try {
        if (!fs.statSync(source).isFile()) throw new InvalidArgumentError(`${source} is not a file: give a tarball, or - for standard input`);
      } catch (err) {
        if (err instanceof InvalidArgumentError) throw err;
        const code = (err as NodeJS.ErrnoException).code;
        throw new InvalidArgumentError(`cannot read ${source}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message}`);
      }
      input = fs.createReadStream(source);
    }
    const driver = this.rt.storageDriver();
    return this.rt.imageStore().importTarball(input, { name: opts.reference, message: opts.message, changes: opts.changes, whiteouts: driver === 'native' ? 'overlay' : 'aufs', ...lazy.userns().mappedIdLimits() });
  }

  /** `images`: all, or those a name or the filters select. */
  listImages(opts: { name?: string; filters?: string[]; all?: boolean } = {}): ImageSummary[] {
    const store = this.rt.imageStore();
    // A build's step images (its cache) show with -a only, as Podman's intermediate images do.
    let images = store.list().filter((i) => opts.all || !i.buildStep);
    if (opts.filters?.length) {
      const keep = lazy.imageFilter().parseImageFilters(opts.filters, (n) => store.resolve(n), (img) => lazy.containerUsers().containersOfImage(this.rt, img.id).length > 0);
      images = images.filter(keep);
    }
    const patterns = [...(opts.filters ?? []).filter((f) => f.startsWith('reference=')).map((f) => f.slice(10)), ...(opts.name ? [opts.name] : [])];
    if (patterns.length) {
      // Like Podman, a name selects rows: an image shows only its names that match.
      const matchers = patterns.map((p) => lazy.imageFilter().referenceMatcher(p));
      images = images.map((i) => ({ ...i, names: i.names.filter((n) => matchers.every((m) => m(n))) })).filter((i) => i.names.length > 0);
    }
    return images.map((i) => summary(i));
  }

  /** `search`: Docker Hub's search API or a registry's catalog. */
  async searchImages(term: string, opts: import('./image/image-search').SearchOptions): Promise<import('./image/image-search').SearchResult[]> {
    if (!Number.isInteger(opts.limit) || opts.limit < 1) throw new InvalidArgumentError('--limit must be a positive number');
    lazy.authFile().checkAuthFile(opts.authFile);
    const conf = lazy.registriesConf().loadRegistriesConf(this.rt.paths.configDir);
    return lazy.imageSearch().searchImages(term, conf, opts);
  }

  /**
   * `image prune`: removes dangling images, or with all every image, except those containers use.
   * With all, also what failed or killed pulls and imports left: partial downloads no pull is
   * writing (first: freeing them needs no database write, which a full disk may refuse) and the
   * stage directories of processes that are gone.
   */
  pruneImages(opts: { all: boolean; filters: string[] }): RemoveReport[] {
    if (opts.all) this.rt.layerStore().collectPartials((f) => lazy.fileLock().isLocked(f));
    const store = this.rt.imageStore();
    const keep = opts.filters.length ? lazy.imageFilter().parseImageFilters(opts.filters, (n) => store.resolve(n)) : () => true;
    const db = this.rt.db();
    // A build's step images are its cache: left to builder prune, unless all are pruned.
    const victims = store.list().filter((i) => (opts.all || (i.names.length === 0 && !i.buildStep)) && keep(i) && db.containersOfImage(i.id).length === 0);
    const reports = victims.map((i) => store.remove(i.id, true, (img) => store.unmount(img, true)));
    if (opts.all) store.collectGarbage();
    return reports;
  }

  inspectImages(names: string[]): Array<{ image?: Record<string, unknown>; name: string; error?: Error }> {
    const store = this.rt.imageStore();
    return names.map((name) => {
      try {
        const img = store.resolve(name);
        return { name, image: inspectImage(img, this.rt.layerStore(), store.list()) };
      } catch (err) {
        return { name, error: err as Error };
      }
    });
  }


  /** `pull`: inside the namespace (layers are extracted as namespace root). */
  pullImage(name: string, opts: PullingOptions & { progress: ProgressSink }): Promise<Image> {
    const { pull } = lazy.pullFlags().checkPulling(opts);
    return lazy.imagePull().pullImage(this.rt, name, { ...pull, progress: opts.progress });
  }

  /** `save`: streams an archive of the images to out (a file or stdout). */
  async saveImages(names: string[], opts: { format: string; out: NodeJS.WritableStream; outputFile?: string }): Promise<void> {
    const dirFormat = opts.format === 'oci-dir' ? 'oci' : opts.format === 'docker-dir' ? 'dir' : null;
    const format = opts.format === 'docker-archive' || opts.format === 'oci-archive' ? opts.format : null;
    if (!format && !dirFormat) throw new InvalidArgumentError(`unsupported format "${opts.format}": use docker-archive, oci-archive, oci-dir or docker-dir`);
    if (names.length === 0) throw new InvalidArgumentError('need at least one image to save');
    if (dirFormat) return this.saveToDir(names, dirFormat, opts.outputFile);
    const store = this.rt.imageStore();
    const images = names.map((n) => {
      const image = store.resolve(n);
      const named = image.names.find((x) => x === n || x.endsWith(`/${n}`) || x.endsWith(`/${n}:latest`));
      return { image, name: named };
    });
    let out = opts.out;
    let tmp: string | undefined;
    if (opts.outputFile) {
      lazy.imageTransport().checkParent({ transport: '', target: opts.outputFile });
      tmp = `${opts.outputFile}.tspod-${process.pid}.tmp`;
      out = fs.createWriteStream(tmp, { mode: 0o644 });
    }
    try {
      await lazy.imageArchive().saveImages(this.rt.db(), this.rt.layerStore(), images, format!, out as unknown as import('node:stream').Writable);
      if (tmp && opts.outputFile) fs.renameSync(tmp, opts.outputFile);
      for (const { image } of images) this.imageEvent('save', image.id, opts.outputFile ?? '');
    } catch (err) {
      if (tmp) fs.rmSync(tmp, { force: true });
      throw err;
    }
  }

  /** `save --format oci-dir|docker-dir -o DIR`: one image into a directory, as push to oci:DIR or dir:DIR writes it. */
  private async saveToDir(names: string[], transport: 'oci' | 'dir', dir: string | undefined): Promise<void> {
    const format = transport === 'oci' ? 'oci-dir' : 'docker-dir';
    if (!dir) throw new InvalidArgumentError(`--format ${format} writes a directory: give it with -o DIR`);
    if (names.length > 1) throw new InvalidArgumentError(`--format ${format} holds one image: save the others to other directories, or use docker-archive or oci-archive`);
    const image = this.rt.imageStore().resolve(names[0]);
    const named = image.names.find((x) => x === names[0] || x.endsWith(`/${names[0]}`) || x.endsWith(`/${names[0]}:latest`)) ?? image.names[0];
    await lazy.imageTransport().pushToFile(this.rt, image, { transport, target: dir, ...(transport === 'oci' && named ? { ref: named } : {}) }, named);
    this.imageEvent('save', image.id, dir);
  }

  /** `image diff`: an image against its parent (its layers but the top one), or against a second image. Inside the namespace (layers hold subordinate IDs). */
  diffImages(first: string, second?: string): Array<{ kind: string; path: string }> {
    const store = this.rt.imageStore();
    const layers = this.rt.layerStore();
    const dirs = (image: Image) => image.layers.map((l) => layers.diffDir(l));
    const a = dirs(store.resolve(first));
    if (second === undefined) return lazy.imageDiff().diffLayers(a.slice(0, -1), a);
    return lazy.imageDiff().diffLayers(dirs(store.resolve(second)), a); // from the second to the first, as Podman
  }

  /** `image tree`: the image's layers, as Podman prints them. */
  imageTree(name: string): string {
    const store = this.rt.imageStore();
    const image = store.resolve(name);
    const db = this.rt.db();
    const layers = image.layers.map((id) => ({ id, size: db.getLayer(id)?.size ?? 0 }));
    return lazy.imageTree().imageTree(image, layers, store.list());
  }

  /** `manifest create`: a local list, with the images given; its ID. */
  manifestCreate(name: string, images: string[], opts: ManifestOps.AddOptions & { amend?: boolean }): Promise<string> {
    return lazy.manifestOps().createList(this.rt, name, images, opts);
  }

  /** `manifest add`: local images or registry references into a local list; the list's ID. */
  manifestAdd(name: string, images: string[], opts: ManifestOps.AddOptions): Promise<string> {
    return lazy.manifestOps().addToList(this.rt, name, images, opts);
  }

  /** `manifest annotate`: an instance's platform and annotations, or the index's annotations; the list's ID. */
  manifestAnnotate(name: string, instance: string | undefined, opts: ManifestOps.AnnotateOptions): Promise<string> {
    return lazy.manifestOps().annotateList(this.rt, name, instance, opts);
  }

  /** `manifest remove`: one instance out of a list; the list's ID. */
  manifestRemove(name: string, digest: string): Promise<string> {
    return lazy.manifestOps().removeFromList(this.rt, name, digest);
  }

  manifestExists(name: string): boolean {
    return lazy.manifestOps().listExists(this.rt, name);
  }

  manifestRm(names: string[], ignore: boolean): Promise<Array<{ name: string; untagged: string[]; deleted?: string; error?: Error }>> {
    return lazy.manifestOps().removeLists(this.rt, names, ignore);
  }

  /** `manifest inspect`: the JSON Podman prints (a local list, else the registry's manifest). */
  manifestInspect(name: string, opts: ManifestOps.RegistryAccess): Promise<string> {
    lazy.authFile().checkAuthFile(opts.authFile);
    return lazy.manifestOps().inspectList(this.rt, name, opts);
  }

  /** `manifest push`: the list (with its images unless all is false) to a registry; the list's digest. */
  manifestPush(name: string, destination: string | undefined, opts: ManifestOps.PushListOptions): Promise<string> {
    lazy.authFile().checkAuthFile(opts.authFile);
    return lazy.manifestOps().pushList(this.rt, name, destination, opts);
  }

  /** `load`: inside the namespace. source is a path, or stdin when undefined. */
  async loadImages(source: string | undefined): Promise<Image[]> {
    if (source && !fs.existsSync(source)) throw new InvalidArgumentError(`cannot read ${source}: no such file`);
    const isDir = source !== undefined && fs.statSync(source).isDirectory();
    const driver = this.rt.storageDriver();
    const whiteouts = driver === 'native' ? 'overlay' : 'aufs';
    const store = this.rt.imageStore();
    store.collectGarbage();
    const tmp = path.join(this.rt.paths.root, 'tmp');
    fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
    const work = fs.mkdtempSync(path.join(tmp, `stage-${process.pid}-load-`)); // its own, as a transport pull's
    try {
      const stageOpts = { whiteouts, ...lazy.userns().mappedIdLimits() } as const;
      const archive = lazy.imageArchive();
      const loaded = isDir
        ? await archive.loadDirectory(this.rt.db(), this.rt.layerStore(), source, work, stageOpts)
        : await archive.loadArchive(this.rt.db(), this.rt.layerStore(), source ? fs.createReadStream(source) : process.stdin, work, stageOpts);
      const ref = lazy.reference();
      const images = loaded.map((img) =>
        store.commitPulled({
          id: img.id,
          configJson: img.configJson,
          names: img.names.map((n) => ref.formatReference(ref.normalizeReference(n))),
          whiteouts,
          layers: img.layers,
        }),
      );
      for (const img of images) this.imageEvent('loadfromarchive', img.id, source ?? '');
      return images;
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }

  /** `push`: reads the kept blobs (no namespace needed) and records the pushed digest. */
  async pushImage(source: string, destination: string | undefined, opts: PullingOptions & { digestFile?: string; progress: ProgressSink }): Promise<{ digest: string; reference: string }> {
    const { pull: access } = lazy.pullFlags().checkPulling(opts);
    const store = this.rt.imageStore();
    const image = store.resolve(source);
    const named = image.names.find((n) => n === source || n.endsWith(`/${source}`) || n.endsWith(`/${source}:latest`));
    const t = destination === undefined ? undefined : lazy.transport().parseTransportRef(destination);
    if (t && t.transport === 'containers-storage') return this.pushToStore(image, t.target);
    if (t && t.transport !== 'docker') {
      const digest = await lazy.imageTransport().pushToFile(this.rt, image, t, named ?? image.names[0]);
      if (opts.digestFile && digest) fs.writeFileSync(opts.digestFile, digest);
      this.imageEvent('push', image.id, destination!);
      opts.progress.finish();
      return { digest, reference: destination! };
    }
    const dest = t?.target ?? named ?? image.names[0];
    if (!dest) throw new InvalidArgumentError(`image ${source} has no name to push to: give a destination, e.g. tspod push ${source} registry.example.com/team/name:tag`);
    const conf = lazy.registriesConf().loadRegistriesConf(this.rt.paths.configDir);
    const result = await lazy.imagePush().pushImage(this.rt.db(), this.rt.layerStore(), conf, image, dest, {
      credentials: opts.creds ? lazy.authFile().parseCreds(opts.creds) : undefined,
      authFile: opts.authFile,
      tlsVerify: opts.tlsVerify,
      access: { certDir: access.certDir, retry: access.retry, retryDelayMs: access.retryDelayMs },
      progress: opts.progress,
    });
    const ref = lazy.reference().normalizeReference(dest);
    store.addRepoDigest(image.id, `${ref.domain}/${ref.path}@${result.digest}`);
    if (opts.digestFile) fs.writeFileSync(opts.digestFile, result.digest);
    this.imageEvent('push', image.id, dest);
    return result;
  }

  /** push to containers-storage:NAME: the store is tspod's own, so the image gets the name. */
  private pushToStore(image: Image, name: string): { digest: string; reference: string } {
    const tagged = this.tagImage(image.id, [name]);
    return { digest: tagged.digest ?? '', reference: tagged.names.find((n) => n === lazy.reference().localImageName(name)) ?? name };
  }

  /** Records an image event: Podman names push and pull by the reference, save and load by the archive, tag and untag by the name. */
  private imageEvent(action: string, id: string, name: string): void {
    lazy.eventLog().recordEvent(this.rt.db(), 'image', action, { id: id.replace(/^sha256:/, ''), name });
  }

  /** `tag`: adds names (localhost/ for names without a registry, as Podman does). */
  tagImage(source: string, targets: string[]): Image {
    const store = this.rt.imageStore();
    const image = store.resolve(source);
    const names = targets.map((t) => lazy.reference().localImageName(t));
    this.rt.db().exclusive(() => this.rt.db().insertImage({ id: image.id, createdAt: image.createdAt, size: image.size, record: image.record }, image.layers, names));
    for (const n of names) this.imageEvent('tag', image.id, n);
    return store.resolve(image.id);
  }

  /** `untag`: removes the given names, or every name when none is given. */
  untagImage(source: string, targets: string[]): string[] {
    const store = this.rt.imageStore();
    const image = store.resolve(source);
    const names = targets.length ? targets.map((t) => lazy.reference().localImageName(t)) : image.names;
    for (const n of names) {
      if (!image.names.includes(n)) throw new InvalidArgumentError(`${n}: tag not known for image ${image.id.slice(7, 19)}`);
    }
    this.rt.db().exclusive(() => names.forEach((n) => this.rt.db().removeImageName(n)));
    for (const n of names) this.imageEvent('untag', image.id, n);
    return names;
  }

  imageExists(name: string): boolean {
    try {
      this.rt.imageStore().resolve(name);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOIMAGE') return false;
      throw err;
    }
  }

  imageHistory(name: string): Array<{ id: string; created: string; createdBy: string; size: number; comment: string }> {
    const img = this.rt.imageStore().resolve(name);
    const history = img.config.history ?? [];
    const layers = [...img.layers];
    let li = 0;
    const rows = history.map((h) => {
      const layer = h.empty_layer ? undefined : layers[li++];
      const size = layer ? (this.rt.db().getLayer(layer)?.size ?? 0) : 0;
      return { id: '', created: h.created ?? '', createdBy: h.created_by ?? '', size, comment: h.comment ?? '' };
    });
    rows.reverse();
    if (rows.length) rows[0].id = img.id.slice(7);
    return rows;
  }

  /** `login`: checks the credentials against the registry, then stores them (unless checkOnly: the API's /auth, whose client keeps them). */
  async login(registry: string, creds: { username: string; password: string }, opts: { authFile?: string; tlsVerify?: boolean; certDir?: string; checkOnly?: boolean }): Promise<string> {
    const host = registry.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    const conf = lazy.registriesConf().loadRegistriesConf(this.rt.paths.configDir);
    const { endpointsFor } = lazy.registryResolver();
    const ep = endpointsFor({ domain: host, path: 'tspod-login-check' }, conf, opts.tlsVerify).filter((e) => !e.mirror)[0];
    const { RegistryClient } = lazy.registryClient();
    const client = new RegistryClient({ host: ep.host, insecure: ep.insecure, certDir: opts.certDir }, creds, host);
    await client.checkLogin();
    if (opts.checkOnly) return '';
    const file = opts.authFile ?? lazy.authFile().defaultAuthFile();
    lazy.authFile().storeCredentials(host, creds, file);
    return file;
  }

  logout(registry: string | undefined, opts: { authFile?: string; all: boolean }): string[] {
    const file = opts.authFile ?? lazy.authFile().defaultAuthFile();
    if (opts.all) {
      fs.rmSync(file, { force: true });
      return ['all'];
    }
    if (!registry) throw new InvalidArgumentError('registry must be given, or --all');
    const host = registry.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    if (!lazy.authFile().removeCredentials(host, file)) throw new InvalidArgumentError(`not logged into ${host}`);
    return [host];
  }

  /** `rmi`: inside the namespace (layer files belong to subordinate IDs). */
  async removeImages(names: string[], opts: ImageRemoveOptions): Promise<RemoveReport[]> {
    const store = this.rt.imageStore();
    const targets = opts.all ? store.list().map((i) => i.id) : names;
    if (!opts.all && names.length === 0) throw new InvalidArgumentError('image name or ID must be specified');
    if (opts.all && names.length) throw new InvalidArgumentError('when using the --all switch, you may not pass any image names or IDs');
    const reports: RemoveReport[] = [];
    for (const n of targets) {
      // A container's root filesystem is an overlay over the image's layers: refuse, or with
      // --force remove those containers first, as Podman does.
      try {
        const img = store.resolve(n);
        const users = lazy.containerUsers().containersOfImage(this.rt, img.id);
        if (users.length && !(img.names.length > 1 && !opts.force && !opts.all)) {
          if (!opts.force) throw new InvalidStateError(`image ${n} is in use by container${users.length > 1 ? 's' : ''} ${users.join(', ')}: remove ${users.length > 1 ? 'them' : 'it'} first (tspod rm), or use --force to remove ${users.length > 1 ? 'them' : 'it'} too`);
          await lazy.containerUsers().removeContainersFirst(this.rt, users);
        }
      } catch (err) {
        reports.push({ name: n, untagged: [], deleted: false, error: err as Error });
        continue;
      }
      const report = store.remove(n, opts.force, (img) => store.unmount(img, true));
      if (!report.error) {
        // Podman's: an untag for each name, then the remove named by the ID.
        const id = (report.id ?? '').replace(/^sha256:/, '');
        for (const name of report.untagged) this.imageEvent('untag', id, name);
        if (report.deleted) this.imageEvent('remove', id, id);
      }
      reports.push(report);
    }
    return opts.ignore ? reports.filter((r) => !(r.error instanceof NoSuchImageError)) : reports;
  }

  /** `image mount`: inside the namespace. With no names, lists the mounted images. */
  /** Serializes mount and unmount of one image across processes, so two never both mount it. */
  private withMountLock<T>(img: Image, fn: () => T): Promise<T> {
    return lazy.fileLock().withLock(path.join(this.rt.paths.root, 'mounts', 'images', img.id.slice(7)), fn, `mount lock of ${img.id.slice(7, 19)}`);
  }

  async mountImages(names: string[]): Promise<MountReport[]> {
    const store = this.rt.imageStore();
    if (names.length === 0) {
      return this.rt.db().listImageMounts().map((m) => {
        const img = store.resolve(m.imageId);
        return { id: img.id, name: img.names[0] ?? img.id.slice(7, 19), path: m.path };
      });
    }
    const driver = this.rt.storageDriver();
    const reports: MountReport[] = [];
    for (const name of names) {
      try {
        const img = store.resolve(name);
        reports.push({ id: img.id, name, path: await this.withMountLock(img, () => store.mount(img, driver, this.rt.config.storage.mountProgram)) });
      } catch (err) {
        reports.push({ id: '', name, error: err as Error });
      }
    }
    return reports;
  }

  async unmountImages(names: string[], opts: { all: boolean; force: boolean }): Promise<MountReport[]> {
    const store = this.rt.imageStore();
    const targets = opts.all ? this.rt.db().listImageMounts().map((m) => m.imageId) : names;
    if (!opts.all && names.length === 0) throw new InvalidArgumentError('image name or ID must be specified, or --all');
    const reports: MountReport[] = [];
    for (const name of targets) {
      try {
        const img = store.resolve(name);
        const done = await this.withMountLock(img, () => store.unmount(img, opts.force || opts.all));
        if (!done) throw new InvalidStateError(`image ${name} is not mounted`);
        reports.push({ id: img.id, name });
      } catch (err) {
        reports.push({ id: '', name, error: err as Error });
      }
    }
    return reports;
  }
}

function summary(i: Image): ImageSummary {
  return {
    Id: i.id.slice(7),
    ParentId: '',
    RepoTags: i.names,
    RepoDigests: i.repoDigests,
    Size: i.size,
    SharedSize: 0,
    VirtualSize: i.size,
    Labels: i.config.config?.Labels ?? null,
    Containers: 0,
    Names: i.names,
    Digest: i.digest ?? i.id,
    ...(i.namesHistory.length ? { History: i.namesHistory } : {}),
    Created: Math.floor(i.createdAt / 1000),
    CreatedAt: new Date(i.createdAt).toISOString(),
  };
}

