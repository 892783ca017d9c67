// The Runtime: what every part of libpod works on — the resolved paths and config, the state
// database (opened on first use), the layer and image stores, the storage driver and the
// container store. The sub-engines are constructed with it and never with the Engine facade;
// what crosses nouns (the containers using an image, volume or network) is a function of the
// noun's own module that takes the Runtime. Heavy modules are required on first use, so that a
// command pays only for what it runs (esbuild keeps these requires lazy inside the bundle).
/* eslint-disable @typescript-eslint/no-require-imports */
import path from 'node:path';
import type { Paths } from '../src/paths';
import { ensurePrivateDir, ensureRuntimeDirs } from '../src/paths';
import { InvalidStateError } from '../src/errors';
import { log } from '../src/log';
import type { ImageStore } from './image/image-store';
import type { LayerStore } from './storage/layer-store';
import type { OverlayDriver } from './storage/overlay-mount';
import type { ContainerStore } from './container/container-store';
import type { PodStore } from './pod/pod-store';
import { loadConfig, type Config, type ConfigOverrides } from './config/config';
import { State } from './state/state';
import { assertDatabaseNotLost } from './state/lost-database';

/** True in the namespace (uid 0 there) or as real root: no re-execution needed. */
export const insideUserNamespace = (): boolean => process.getuid?.() === 0;

const userns = () => require('./rootless/user-namespace') as typeof import('./rootless/user-namespace');

export class Runtime {
  private state?: State;
  private imageStoreInstance?: ImageStore;
  private containerStoreInstance?: ContainerStore;
  private podStoreInstance?: PodStore;
  readonly config: Config;

  constructor(
    readonly paths: Paths,
    overrides: ConfigOverrides = {},
  ) {
    this.config = loadConfig(paths.configDir, process.env, overrides);
  }

  /** Opens the state database on first use, creating the data and runtime directories (0700). */
  db(): State {
    if (!this.state) {
      assertDatabaseNotLost(this.paths.root, this.paths.database);
      ensurePrivateDir(this.paths.root);
      ensureRuntimeDirs(this.paths);
      this.state = State.open(this.paths.database);
      this.state.eventsMaxBytes = this.config.engine.eventsLogfileMaxSize;
      this.state.eventsOff = this.config.engine.eventsLogger === 'none';
    }
    return this.state;
  }

  /** Closes the database if it was opened (closing never opens it). */
  close(): void {
    this.state?.close();
    this.state = undefined;
  }

  /** The containers' records and files (libpod/container/container-store.ts). */
  containers(): ContainerStore {
    this.containerStoreInstance ??= new (require('./container/container-store') as typeof import('./container/container-store')).ContainerStore(this.db(), this.paths);
    return this.containerStoreInstance;
  }

  /** The pods' records (libpod/pod/pod-store.ts). */
  pods(): PodStore {
    this.podStoreInstance ??= new (require('./pod/pod-store') as typeof import('./pod/pod-store')).PodStore(this.db());
    return this.podStoreInstance;
  }

  layerStore(): LayerStore {
    return new (require('./storage/layer-store') as typeof import('./storage/layer-store')).LayerStore(this.paths.root);
  }

  /** The image store; remakes lost mounts on first use in a new namespace. */
  imageStore(): ImageStore {
    if (!this.imageStoreInstance) {
      const { ImageStore } = require('./image/image-store') as typeof import('./image/image-store');
      this.imageStoreInstance = new ImageStore(this.db(), this.layerStore(), path.join(this.paths.root, 'mounts', 'images'));
      if (insideUserNamespace() && userns().namespaceIsNew()) {
        // The namespace that held our mounts is gone: make the recorded mounts again.
        const remade = this.imageStoreInstance.remountAll((d) => d as OverlayDriver, this.config.storage.mountProgram);
        if (remade.length) log.info(`remounted ${remade.length} image mount(s) in the new user namespace`);
      }
    }
    return this.imageStoreInstance;
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
    const { nativeOverlayWorks } = require('./storage/overlay-mount') as typeof import('./storage/overlay-mount');
    const decided: OverlayDriver = wanted === 'native' || wanted === 'fuse' ? wanted : nativeOverlayWorks(path.join(this.paths.root, 'tmp')) ? 'native' : 'fuse';
    return this.db().initSetting('overlay.driver', decided) as OverlayDriver;
  }

  /** The whiteout format layers are stored in: the storage driver's. */
  whiteouts(): 'overlay' | 'aufs' {
    return this.storageDriver() === 'native' ? 'overlay' : 'aufs';
  }
}
/* eslint-enable @typescript-eslint/no-require-imports */
