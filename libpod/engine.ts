// The engine facade: the one object commands call. It owns the resolved paths and config and
// opens the state database only when an operation needs it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Paths } from '../src/paths';
import { ensurePrivateDir } from '../src/paths';
import { VERSION, GIT_COMMIT, BUILT } from '../src/version';
import { InvalidArgumentError, InvalidStateError, PrerequisiteError } from '../src/errors';
import { log } from '../src/log';
import type { ImageStore, Image, RemoveReport } from './image/image-store';
import type { LayerStore } from './storage/layer-store';
import type { OverlayDriver } from './storage/overlay-mount';
import { loadConfig, type Config } from './config/config';
import { State } from './state/state';
import type { Check } from './host/prerequisites';
import type { InfoReport } from './host/info-report';
import { ARCH_NAMES } from '../src/arch';
import type { ProgressSink } from '../src/progress';


// Modules that only some commands need are required on first use, so that a command pays only
// for what it runs (esbuild keeps required modules lazy inside the bundle).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  imageStore: () => require('./image/image-store') as typeof import('./image/image-store'),
  layerStore: () => require('./storage/layer-store') as typeof import('./storage/layer-store'),
  overlay: () => require('./storage/overlay-mount') as typeof import('./storage/overlay-mount'),
  userns: () => require('./rootless/user-namespace') as typeof import('./rootless/user-namespace'),
  pause: () => require('./rootless/pause-process') as typeof import('./rootless/pause-process'),
  hostInfo: () => require('./host/host-info') as typeof import('./host/host-info'),
  prerequisites: () => require('./host/prerequisites') as typeof import('./host/prerequisites'),
  infoReport: () => require('./host/info-report') as typeof import('./host/info-report'),
  programs: () => require('./host/programs') as typeof import('./host/programs'),
  imagePull: () => require('./image/image-pull') as typeof import('./image/image-pull'),
  imagePush: () => require('./image/image-push') as typeof import('./image/image-push'),
  imageArchive: () => require('./image/image-archive') as typeof import('./image/image-archive'),
  imageFilter: () => require('./image/image-filter') as typeof import('./image/image-filter'),
  imageSearch: () => require('./image/image-search') as typeof import('./image/image-search'),
  manifest: () => require('./image/manifest') as typeof import('./image/manifest'),
  authFile: () => require('./image/auth-file') as typeof import('./image/auth-file'),
  reference: () => require('./image/reference') as typeof import('./image/reference'),
  registryResolver: () => require('./image/registry-resolver') as typeof import('./image/registry-resolver'),
  registryClient: () => require('./image/registry-client') as typeof import('./image/registry-client'),
  registriesConf: () => require('./config/registries-conf') as typeof import('./config/registries-conf'),
};
/* eslint-enable @typescript-eslint/no-require-imports */
/** True in the namespace (uid 0 there) or as real root: no re-execution needed. */
const insideUserNamespace = () => process.getuid?.() === 0;

export interface VersionReport {
  Client: {
    APIVersion: string;
    Version: string;
    NodeVersion: string;
    GitCommit: string;
    BuiltTime: string;
    Built: number;
    OsArch: string;
    Os: string;
  };
}

export interface SystemCheckReport {
  checks: Check[];
  errors: number;
  warnings: number;
}

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
  Created: number;
  CreatedAt: string;
}

export interface ImageRemoveOptions {
  force: boolean;
  all: boolean;
}

export interface MountReport {
  id: string;
  name: string;
  path?: string;
  error?: Error;
}

export class Engine {
  private state?: State;
  private images?: ImageStore;
  readonly config: Config;

  constructor(readonly paths: Paths) {
    this.config = loadConfig(paths.configDir);
  }

  /** Opens the state database on first use, creating the data and runtime directories (0700). */
  db(): State {
    if (!this.state) {
      ensurePrivateDir(this.paths.root);
      ensurePrivateDir(this.paths.runroot);
      this.state = State.open(this.paths.database);
    }
    return this.state;
  }

  /**
   * Re-runs this command inside the user namespace when it is not already there; resolves with the
   * inner command's exit code, or null when the caller is already inside (or is real root).
   */
  async enterUserNamespace(argv: string[]): Promise<number | null> {
    if (insideUserNamespace()) return null;
    ensurePrivateDir(this.paths.runroot);
    return lazy.userns().runInUserNamespace(this.paths.runroot, argv);
  }

  private layerStore(): LayerStore {
    return new (lazy.layerStore().LayerStore)(this.paths.root);
  }

  private imageStore(): ImageStore {
    if (!this.images) {
      this.images = new (lazy.imageStore().ImageStore)(this.db(), this.layerStore(), path.join(this.paths.root, 'mounts', 'images'));
      if (insideUserNamespace() && lazy.userns().namespaceIsNew()) {
        // The namespace that held our mounts is gone: make the recorded mounts again.
        const remade = this.images.remountAll((d) => d as OverlayDriver, this.config.storage.mountProgram);
        if (remade.length) log.info(`remounted ${remade.length} image mount(s) in the new user namespace`);
      }
    }
    return this.images;
  }

  /**
   * The overlay implementation of this store, decided once (config, else native if the kernel
   * allows it in the namespace) and recorded, because layers are stored in its whiteout format.
   */
  storageDriver(): OverlayDriver {
    const stored = this.db().getSetting('overlay.driver') as OverlayDriver | undefined;
    const wanted = this.config.storage.overlay;
    if (stored) {
      if (wanted !== 'auto' && wanted !== stored) {
        throw new InvalidStateError(
          `the store at ${this.paths.root} was created for ${stored === 'native' ? 'native overlay' : 'fuse-overlayfs'}, but storage.overlay is "${wanted}": set it back, or use a new --root`,
        );
      }
      return stored;
    }
    const decided: OverlayDriver = wanted === 'native' || wanted === 'fuse' ? wanted : lazy.overlay().nativeOverlayWorks(path.join(this.paths.root, 'tmp')) ? 'native' : 'fuse';
    return this.db().initSetting('overlay.driver', decided) as OverlayDriver;
  }

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
    const driver = this.storageDriver();
    return this.imageStore().importTarball(input, { name: opts.reference, message: opts.message, changes: opts.changes, whiteouts: driver === 'native' ? 'overlay' : 'aufs', ...lazy.userns().mappedIdLimits() });
  }

  /** `images`: all, or those a name or the filters select. */
  listImages(opts: { name?: string; filters?: string[] } = {}): ImageSummary[] {
    const store = this.imageStore();
    let images = store.list();
    if (opts.filters?.length) {
      const keep = lazy.imageFilter().parseImageFilters(opts.filters, (n) => store.resolve(n));
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
  async searchImages(term: string, opts: { limit: number; tlsVerify?: boolean; authFile?: string }): Promise<import('./image/image-search').SearchResult[]> {
    if (!Number.isInteger(opts.limit) || opts.limit < 1) throw new InvalidArgumentError('--limit must be a positive number');
    const conf = lazy.registriesConf().loadRegistriesConf(this.paths.configDir);
    return lazy.imageSearch().searchImages(term, conf, opts);
  }

  /** `image prune`: removes dangling images, or with all every image (no containers exist yet). */
  pruneImages(opts: { all: boolean; filters: string[] }): RemoveReport[] {
    const store = this.imageStore();
    const keep = opts.filters.length ? lazy.imageFilter().parseImageFilters(opts.filters, (n) => store.resolve(n)) : () => true;
    const victims = store.list().filter((i) => (opts.all || i.names.length === 0) && keep(i));
    return victims.map((i) => store.remove(i.id, true, (img) => store.unmount(img, true)));
  }

  inspectImages(names: string[]): Array<{ image?: Record<string, unknown>; name: string; error?: Error }> {
    const store = this.imageStore();
    return names.map((name) => {
      try {
        const img = store.resolve(name);
        return { name, image: this.inspectReport(img) };
      } catch (err) {
        return { name, error: err as Error };
      }
    });
  }

  private inspectReport(img: Image): Record<string, unknown> {
    const layers = this.layerStore();
    const lowers = [...img.layers].reverse().map((l) => layers.diffDir(l));
    const c = img.config;
    return {
      Id: img.id.slice(7),
      Digest: img.digest ?? img.id,
      RepoTags: img.names,
      RepoDigests: img.repoDigests,
      Parent: '',
      Comment: c.history?.[c.history.length - 1]?.comment ?? '',
      Created: c.created ?? new Date(img.createdAt).toISOString(),
      Config: c.config ?? {},
      Version: '',
      Author: c.author ?? '',
      Architecture: c.architecture,
      Os: c.os,
      Size: img.size,
      VirtualSize: img.size,
      GraphDriver: { Name: 'overlay', Data: { LowerDir: lowers.slice(1).join(':') || undefined, UpperDir: lowers[0], Layers: img.layers } },
      RootFS: { Type: 'layers', Layers: c.rootfs.diff_ids },
      Labels: c.config?.Labels ?? null,
      Annotations: {},
      ManifestType: 'application/vnd.oci.image.manifest.v1+json',
      User: c.config?.User ?? '',
      History: c.history ?? [],
      NamesHistory: img.names,
    };
  }

  /** `pull`: inside the namespace (layers are extracted as namespace root). */
  async pullImage(
    name: string,
    opts: { platform?: string; os?: string; arch?: string; variant?: string; creds?: string; authFile?: string; tlsVerify?: boolean; progress: ProgressSink },
  ): Promise<Image> {
    const { ImagePuller } = lazy.imagePull();
    const { wantedPlatform } = lazy.manifest();
    const conf = lazy.registriesConf().loadRegistriesConf(this.paths.configDir);
    const driver = this.storageDriver();
    const store = this.imageStore();
    store.collectGarbage();
    const puller = new ImagePuller(this.db(), this.layerStore(), conf);
    const whiteouts = driver === 'native' ? 'overlay' : 'aufs';
    const pulled = await puller.pull(name, {
      platform: wantedPlatform(opts, ARCH_NAMES[process.arch] ?? process.arch),
      credentials: opts.creds ? lazy.authFile().parseCreds(opts.creds) : undefined,
      authFile: opts.authFile,
      tlsVerify: opts.tlsVerify,
      parallel: this.config.engine.imageParallelCopies,
      whiteouts,
      ...lazy.userns().mappedIdLimits(),
      progress: opts.progress,
    });
    return store.commitPulled({ ...pulled, names: pulled.name ? [pulled.name] : [], whiteouts });
  }

  /** `save`: streams an archive of the images to out (a file or stdout). */
  async saveImages(names: string[], opts: { format: string; out: NodeJS.WritableStream; outputFile?: string }): Promise<void> {
    const format = opts.format === 'docker-archive' || opts.format === 'oci-archive' ? opts.format : null;
    if (!format) throw new InvalidArgumentError(`unsupported format "${opts.format}": use docker-archive or oci-archive`);
    if (names.length === 0) throw new InvalidArgumentError('need at least one image to save');
    const store = this.imageStore();
    const images = names.map((n) => {
      const image = store.resolve(n);
      const named = image.names.find((x) => x === n || x.endsWith(`/${n}`) || x.endsWith(`/${n}:latest`));
      return { image, name: named };
    });
    let out = opts.out;
    let tmp: string | undefined;
    if (opts.outputFile) {
      tmp = `${opts.outputFile}.tspod-${process.pid}.tmp`;
      out = fs.createWriteStream(tmp, { mode: 0o644 });
    }
    try {
      await lazy.imageArchive().saveImages(this.db(), this.layerStore(), images, format, out as unknown as import('node:stream').Writable);
      if (tmp && opts.outputFile) fs.renameSync(tmp, opts.outputFile);
    } catch (err) {
      if (tmp) fs.rmSync(tmp, { force: true });
      throw err;
    }
  }

  /** `load`: inside the namespace. source is a path, or stdin when undefined. */
  async loadImages(source: string | undefined): Promise<Image[]> {
    const input = source ? fs.createReadStream(source) : process.stdin;
    if (source && !fs.existsSync(source)) throw new InvalidArgumentError(`cannot read ${source}: no such file`);
    const driver = this.storageDriver();
    const whiteouts = driver === 'native' ? 'overlay' : 'aufs';
    const store = this.imageStore();
    store.collectGarbage();
    const work = path.join(this.paths.root, 'tmp', `stage-${process.pid}-load`);
    try {
      const loaded = await lazy.imageArchive().loadArchive(this.db(), this.layerStore(), input, work, { whiteouts, ...lazy.userns().mappedIdLimits() });
      const ref = lazy.reference();
      return loaded.map((img) =>
        store.commitPulled({
          id: img.id,
          configJson: img.configJson,
          names: img.names.map((n) => ref.formatReference(ref.normalizeReference(n))),
          whiteouts,
          layers: img.layers,
        }),
      );
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }

  /** `push`: reads the kept blobs (no namespace needed) and records the pushed digest. */
  async pushImage(source: string, destination: string | undefined, opts: { creds?: string; authFile?: string; tlsVerify?: boolean; digestFile?: string; progress: ProgressSink }): Promise<{ digest: string; reference: string }> {
    const store = this.imageStore();
    const image = store.resolve(source);
    const dest = destination ?? (image.names.find((n) => n === source || n.endsWith(`/${source}`) || n.endsWith(`/${source}:latest`)) ?? image.names[0]);
    if (!dest) throw new InvalidArgumentError(`image ${source} has no name to push to: give a destination, e.g. tspod push ${source} registry.example.com/team/name:tag`);
    const conf = lazy.registriesConf().loadRegistriesConf(this.paths.configDir);
    const result = await lazy.imagePush().pushImage(this.db(), this.layerStore(), conf, image, dest, {
      credentials: opts.creds ? lazy.authFile().parseCreds(opts.creds) : undefined,
      authFile: opts.authFile,
      tlsVerify: opts.tlsVerify,
      progress: opts.progress,
    });
    const ref = lazy.reference().normalizeReference(dest);
    store.addRepoDigest(image.id, `${ref.domain}/${ref.path}@${result.digest}`);
    if (opts.digestFile) fs.writeFileSync(opts.digestFile, result.digest);
    return result;
  }

  /** `tag`: adds names (localhost/ for names without a registry, as Podman does). */
  tagImage(source: string, targets: string[]): Image {
    const store = this.imageStore();
    const image = store.resolve(source);
    const names = targets.map((t) => lazy.reference().localImageName(t));
    this.db().exclusive(() => this.db().insertImage({ id: image.id, createdAt: image.createdAt, size: image.size, record: image.record }, image.layers, names));
    return store.resolve(image.id);
  }

  /** `untag`: removes the given names, or every name when none is given. */
  untagImage(source: string, targets: string[]): string[] {
    const store = this.imageStore();
    const image = store.resolve(source);
    const names = targets.length ? targets.map((t) => lazy.reference().localImageName(t)) : image.names;
    for (const n of names) {
      if (!image.names.includes(n)) throw new InvalidArgumentError(`${n}: tag not known for image ${image.id.slice(7, 19)}`);
    }
    this.db().exclusive(() => names.forEach((n) => this.db().removeImageName(n)));
    return names;
  }

  imageExists(name: string): boolean {
    try {
      this.imageStore().resolve(name);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOIMAGE') return false;
      throw err;
    }
  }

  imageHistory(name: string): Array<{ id: string; created: string; createdBy: string; size: number; comment: string }> {
    const img = this.imageStore().resolve(name);
    const history = img.config.history ?? [];
    const layers = [...img.layers];
    let li = 0;
    const rows = history.map((h) => {
      const layer = h.empty_layer ? undefined : layers[li++];
      const size = layer ? (this.db().getLayer(layer)?.size ?? 0) : 0;
      return { id: '', created: h.created ?? '', createdBy: h.created_by ?? '', size, comment: h.comment ?? '' };
    });
    rows.reverse();
    if (rows.length) rows[0].id = img.id.slice(7);
    return rows;
  }

  /** `login`: checks the credentials against the registry, then stores them. */
  async login(registry: string, creds: { username: string; password: string }, opts: { authFile?: string; tlsVerify?: boolean }): Promise<string> {
    const host = registry.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    const conf = lazy.registriesConf().loadRegistriesConf(this.paths.configDir);
    const { endpointsFor } = lazy.registryResolver();
    const ep = endpointsFor({ domain: host, path: 'tspod-login-check' }, conf, opts.tlsVerify).filter((e) => !e.mirror)[0];
    const { RegistryClient } = lazy.registryClient();
    const client = new RegistryClient({ host: ep.host, insecure: ep.insecure }, creds, host);
    await client.checkLogin();
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
  removeImages(names: string[], opts: ImageRemoveOptions): RemoveReport[] {
    const store = this.imageStore();
    const targets = opts.all ? store.list().map((i) => i.id) : names;
    if (!opts.all && names.length === 0) throw new InvalidArgumentError('image name or ID must be specified');
    if (opts.all && names.length) throw new InvalidArgumentError('when using the --all switch, you may not pass any image names or IDs');
    return targets.map((n) => store.remove(n, opts.force, (img) => store.unmount(img, true)));
  }

  /** `image mount`: inside the namespace. With no names, lists the mounted images. */
  mountImages(names: string[]): MountReport[] {
    const store = this.imageStore();
    if (names.length === 0) {
      return this.db().listImageMounts().map((m) => {
        const img = store.resolve(m.imageId);
        return { id: img.id, name: img.names[0] ?? img.id.slice(7, 19), path: m.path };
      });
    }
    const driver = this.storageDriver();
    return names.map((name) => {
      try {
        const img = store.resolve(name);
        return { id: img.id, name, path: store.mount(img, driver, this.config.storage.mountProgram) };
      } catch (err) {
        return { id: '', name, error: err as Error };
      }
    });
  }

  unmountImages(names: string[], opts: { all: boolean; force: boolean }): MountReport[] {
    const store = this.imageStore();
    const targets = opts.all ? this.db().listImageMounts().map((m) => m.imageId) : names;
    if (!opts.all && names.length === 0) throw new InvalidArgumentError('image name or ID must be specified, or --all');
    return targets.map((name) => {
      try {
        const img = store.resolve(name);
        if (!store.unmount(img, opts.force || opts.all)) throw new InvalidStateError(`image ${name} is not mounted`);
        return { id: img.id, name };
      } catch (err) {
        return { id: '', name, error: err as Error };
      }
    });
  }

  /**
   * `unshare`: runs cmd in the namespace and returns its exit code. From outside, the command is
   * started through nsenter directly (one process less); only when the namespace was just made and
   * mounts must be remade does tspod itself go in first (selfArgv re-runs this command inside).
   */
  async unshare(cmd: string[], selfArgv: string[]): Promise<number> {
    const argv = cmd.length ? cmd : [process.env.SHELL || '/bin/sh'];
    const env = { ...process.env, TSPOD_ROOT: this.paths.root, TSPOD_RUNROOT: this.paths.runroot };
    if (insideUserNamespace()) {
      if (lazy.userns().namespaceIsNew()) this.imageStore(); // remakes the mounts a dead namespace took with it
      const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env });
      if (r.error) {
        const code = (r.error as NodeJS.ErrnoException).code;
        throw new InvalidArgumentError(`cannot run ${argv[0]}: ${code === 'ENOENT' ? 'no such file or directory' : r.error.message}`);
      }
      return r.status ?? 128 + (r.signal ? os.constants.signals[r.signal] : 0);
    }
    ensurePrivateDir(this.paths.runroot);
    const holder = await lazy.pause().ensureHolder(this.paths.runroot);
    if (holder.created && this.db().listImageMounts().length > 0) return lazy.userns().runInUserNamespace(this.paths.runroot, selfArgv, process.env, holder);
    if (argv[0].includes('/') ? !fs.existsSync(argv[0]) : !lazy.programs().findProgram(argv[0], env)) {
      throw new InvalidArgumentError(`cannot run ${argv[0]}: no such file or directory`);
    }
    return lazy.userns().runInUserNamespace(this.paths.runroot, argv, env, holder);
  }

  /** `system migrate`: ends the namespace holder so the next command maps the current subuid ranges. */
  systemMigrate(): number | null {
    return lazy.pause().stopHolder(this.paths.runroot);
  }

  close(): void {
    this.state?.close();
    this.state = undefined;
  }

  version(): VersionReport {
    const arch = ARCH_NAMES[process.arch] ?? process.arch;
    return {
      Client: {
        APIVersion: VERSION,
        Version: VERSION,
        NodeVersion: process.version,
        GitCommit: GIT_COMMIT,
        BuiltTime: BUILT ? new Date(BUILT * 1000).toUTCString() : '',
        Built: BUILT,
        OsArch: `${os.platform()}/${arch}`,
        Os: os.platform(),
      },
    };
  }

  async info(): Promise<InfoReport> {
    const host = await lazy.hostInfo().gatherHostInfo(this.config, this.paths);
    const state = this.db();
    return lazy.infoReport().buildInfoReport({ host, paths: this.paths, config: this.config, registries: lazy.registriesConf().loadRegistriesConf(this.paths.configDir), state, version: this.version() });
  }

  /** Every prerequisite with its fix; throws PrerequisiteError (exit 125) after the report when any is missing. */
  async systemCheck(): Promise<SystemCheckReport> {
    const host = await lazy.hostInfo().gatherHostInfo(this.config, this.paths);
    const checks = lazy.prerequisites().checkHost(host, this.config);
    const stateProblems = this.db().integrityCheck();
    checks.push(
      stateProblems.length
        ? { name: 'state database', severity: 'error', message: `${this.paths.database} fails its integrity check: ${stateProblems.slice(0, 3).join('; ')}`, fix: `move it aside (mv ${this.paths.database} ${this.paths.database}.bad) and restore a backup` }
        : { name: 'state database', severity: 'ok', message: `${this.paths.database} (schema ${this.db().schemaVersion()}, integrity ok)` },
    );
    return {
      checks,
      errors: checks.filter((c) => c.severity === 'error').length,
      warnings: checks.filter((c) => c.severity === 'warning').length,
    };
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
    Created: Math.floor(i.createdAt / 1000),
    CreatedAt: new Date(i.createdAt).toISOString(),
  };
}

export function assertCheckPassed(report: SystemCheckReport): void {
  if (report.errors > 0) {
    throw new PrerequisiteError(`${report.errors} prerequisite${report.errors === 1 ? ' is' : 's are'} missing: apply the fixes above, then run "tspod system check" again`);
  }
}
