// The engine facade: the one object commands call. It owns the resolved paths and config, opens
// the state database only when an operation needs it, enters the user namespace, and reports on
// the host. The sub-engines (engine.images, containers, volumes, networks, generate) are made with
// its Runtime (libpod/runtime.ts), never with the Engine.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import type { Paths } from '../src/paths';
import { ensureRuntimeDirs } from '../src/paths';
import { VERSION, GIT_COMMIT, BUILT } from '../src/version';
import { InvalidArgumentError, InvalidStateError, PrerequisiteError, TspodError } from '../src/errors';
import type { Config, ConfigOverrides } from './config/config';
import { explainStateError, type State } from './state/state';
import { Runtime, insideUserNamespace } from './runtime';
import { isNoSpace, noSpaceError } from '../src/disk-space';
import type { Check } from './host/prerequisites';
import type { InfoReport } from './host/info-report';
import { ARCH_NAMES } from '../src/arch';
import { ImageEngine } from './image-engine';
import { log } from '../src/log';

// Modules only some operations need, required on first use (esbuild keeps these requires lazy).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  containerEngine: () => require('./container-engine') as typeof import('./container-engine'),
  volumeEngine: () => require('./volume-engine') as typeof import('./volume-engine'),
  secretEngine: () => require('./secret-engine') as typeof import('./secret-engine'),
  buildEngine: () => require('./build-engine') as typeof import('./build-engine'),
  healthEngine: () => require('./health-engine') as typeof import('./health-engine'),
  generateEngine: () => require('./generate-engine') as typeof import('./generate-engine'),
  podEngine: () => require('./pod-engine') as typeof import('./pod-engine'),
  kubeEngine: () => require('./kube-engine') as typeof import('./kube-engine'),
  composeEngine: () => require('./compose-engine') as typeof import('./compose-engine'),
  networkEngine: () => require('./network-engine') as typeof import('./network-engine'),
  systemEngine: () => require('./system-engine') as typeof import('./system-engine'),
  userns: () => require('./rootless/user-namespace') as typeof import('./rootless/user-namespace'),
  pause: () => require('./rootless/pause-process') as typeof import('./rootless/pause-process'),
  containerStore: () => require('./container/container-store') as typeof import('./container/container-store'),
  containerFacts: () => require('./container/container-facts') as typeof import('./container/container-facts'),
  programs: () => require('./host/programs') as typeof import('./host/programs'),
  hostInfo: () => require('./host/host-info') as typeof import('./host/host-info'),
  infoReport: () => require('./host/info-report') as typeof import('./host/info-report'),
  hostFacts: () => require('./host/host-facts') as typeof import('./host/host-facts'),
  registriesConf: () => require('./config/registries-conf') as typeof import('./config/registries-conf'),
  prerequisites: () => require('./host/prerequisites') as typeof import('./host/prerequisites'),
  inspectObjects: () => require('./inspect-objects') as typeof import('./inspect-objects'),
};
/* eslint-enable @typescript-eslint/no-require-imports */


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

export class Engine {
  /** What every sub-engine is made with: paths, config, the state database, the stores. */
  readonly runtime: Runtime;
  private imageEngine?: ImageEngine;
  private containerEngine?: import('./container-engine').ContainerEngine;
  private networkEngine?: import('./network-engine').NetworkEngine;
  private volumeEngine?: import('./volume-engine').VolumeEngine;
  private secretEngine?: import('./secret-engine').SecretEngine;
  private healthEngine?: import('./health-engine').HealthEngine;
  private buildEngine?: import('./build-engine').BuildEngine;
  private generateEngine?: import('./generate-engine').GenerateEngine;
  private systemEngine?: import('./system-engine').SystemEngine;
  private podEngine?: import('./pod-engine').PodEngine;
  private kubeEngine?: import('./kube-engine').KubeEngine;
  private composeEngine?: import('./compose-engine').ComposeEngine;

  /** Pods (libpod/pod-engine.ts): the container verbs it uses are the container engine's. */
  get pods(): import('./pod-engine').PodEngine {
    this.podEngine ??= new (lazy.podEngine().PodEngine)(this.runtime, {
      create: (o) => this.containers.create(o),
      start: (ids) => this.containers.start(ids, { attach: false, interactive: false, detachKeys: Buffer.alloc(0) }, { input: process.stdin, stdout: process.stdout, stderr: process.stderr } as import('./container-engine').IoStreams) as Promise<import('./container/container-api').Report[]>,
      stop: (ids, timeout) => this.containers.stop(ids, { timeout }),
      kill: (ids, signal) => this.containers.kill(ids, { signal }),
      pause: (ids, pause) => this.containers.pause(ids, false, pause),
      remove: (ids, o) => this.containers.remove(ids, o),
    });
    return this.podEngine;
  }

  /**
   * run/create --pod new:NAME: the pod is made first (the container's published ports and network
   * options are the pod's now, as Podman moves them) and the container then joins it; when the
   * container cannot be made, the pod goes again, as Podman removes it. Other --pod values: make(opts).
   */
  async inNewPod<T>(opts: import('./container/create-spec').CreateOptions, make: (opts: import('./container/create-spec').CreateOptions) => Promise<T>): Promise<T> {
    if (!opts.pod?.startsWith('new:')) return make(opts);
    const pod = await this.pods.create({
      name: opts.pod.slice('new:'.length), infra: true, labels: [], publish: opts.publish ?? [], network: opts.network, networkAliases: opts.networkAliases, ip: opts.ip, macAddress: opts.macAddress,
      addHosts: opts.addHosts ?? [], dns: opts.dns ?? [], dnsSearch: opts.dnsSearch ?? [], dnsOptions: opts.dnsOptions ?? [], volumes: [], replace: false,
      createCommand: opts.createCommand, createCwd: opts.createCwd,
    });
    try {
      return await make({ ...opts, pod: pod.id, publish: [], network: undefined, networkAliases: [], ip: undefined, macAddress: undefined, addHosts: [], dns: [], dnsSearch: [], dnsOptions: [] });
    } catch (err) {
      const [r] = await this.pods.remove({ names: [pod.id] }, { force: true, timeout: 0 });
      if (r?.error) log.warn(`removing pod ${pod.name} made for the container: ${r.error.message}`);
      throw err;
    }
  }

  /** kube generate/play/down (libpod/kube-engine.ts). */
  get kube(): import('./kube-engine').KubeEngine {
    this.kubeEngine ??= new (lazy.kubeEngine().KubeEngine)(this.runtime, this.kubeOps());
    return this.kubeEngine;
  }

  /** What kube play and down use of the pod, container, volume, secret, image and build engines. */
  private kubeOps(): import('./kube-engine').KubeOps {
    const each = (rs: Array<{ name: string; id?: string; error?: Error }>) => rs.map((r) => ({ id: r.id ?? r.name, error: r.error }));
    return {
      createPod: async (o) => {
        const pod = await this.pods.create(o);
        return { id: pod.id, name: pod.name };
      },
      startPods: async (ids) => (await this.pods.start({ names: ids })).map((r) => ({ id: r.id ?? r.name, error: r.error, errors: r.error ? [r.error.message] : [] })),
      stopPods: async (ids, timeout) => each(await this.pods.stop({ names: ids }, timeout)),
      removePods: async (ids) => each(await this.pods.remove({ names: ids }, { force: true })),
      createContainer: async (o) => {
        const c = await this.containers.create(o);
        return { id: c.id, name: c.name };
      },
      renameContainer: (id, name) => void this.containers.rename(id, name),
      containerUser: (id) => {
        const [r] = this.containers.inspect([id]);
        return String((r?.data?.Config as { User?: string } | undefined)?.User ?? '');
      },
      containerStatus: (id) => {
        const [r] = this.containers.inspect([id]);
        const state = r?.data?.State as { Status: string; ExitCode?: number; Health?: { Status: string } } | undefined;
        return state && { state: state.Status, exitCode: state.ExitCode, health: state.Health?.Status ?? '' };
      },
      volumeExists: (name) => this.volumes.exists(name),
      createVolume: (name, labels) => void this.volumes.create(name, { labels }),
      // Never forced: a volume another container uses stays, with its error in the report (Podman's kube down).
      removeVolumes: async (names) => (await this.volumes.remove(names, { force: false })).map((r) => ({ id: r.name, error: r.error })),
      storeSecret: (name, data) => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { Readable } = require('node:stream') as typeof import('node:stream');
        return this.secrets.create(name, '-', Readable.from([data]), { driverOpts: [], fromEnv: false, labels: [], replace: true, ignore: false });
      },
      secretExists: (name) => this.secrets.exists(name),
      removeSecrets: (names) => this.secrets.remove(names, { all: false, ignore: true }).map((r) => ({ id: r.id ?? r.name, error: r.error })),
      imageExists: (ref) => this.images.imageExists(ref),
      build: async (context, tag, quiet) => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { kubeBuildOptions } = require('./kube/play-build') as typeof import('./kube/play-build');
        await this.builds.build(kubeBuildOptions(context, tag, quiet), { stdin: process.stdin, stdout: process.stderr, stderr: process.stderr });
      },
    };
  }

  /** `compose` (libpod/compose-engine.ts). */
  get compose(): import('./compose-engine').ComposeEngine {
    this.composeEngine ??= new (lazy.composeEngine().ComposeEngine)(this.runtime, this.composeOps());
    return this.composeEngine;
  }

  /** What compose uses of the container, network, volume, image, build and health engines. */
  private composeOps(): import('./compose-engine').ComposeOps {
    return {
      // ---- project state and lifecycle (compose-up) ----
      listContainers: (labels) => this.containers.list({ all: true, filters: Object.entries(labels).map(([k, v]) => `label=${k}=${v}`) }).map((c) => {
        const [r] = this.containers.inspect([c.id]);
        const st = r?.data?.State as { Status: string; ExitCode?: number; Health?: { Status: string } } | undefined;
        const cfg = r?.data?.Config as { Labels?: Record<string, string>; Image?: string } | undefined;
        return { id: c.id, name: c.name, state: st?.Status ?? 'unknown', exitCode: st?.ExitCode, health: st?.Health?.Status ?? '', labels: cfg?.Labels ?? {}, image: cfg?.Image ?? '', created: Date.parse(String(r?.data?.Created ?? '')) || 0 };
      }),
      createContainer: async (o) => {
        const c = await this.containers.create(o);
        return { id: c.id, name: c.name };
      },
      containerStatus: (id) => {
        if (!this.containers.exists(id)) return undefined;
        const [r] = this.containers.inspect([id]);
        const st = r?.data?.State as { Status: string; ExitCode?: number; Health?: { Status: string } } | undefined;
        return st && { state: st.Status, exitCode: st.ExitCode, health: st.Health?.Status ?? '' };
      },
      startContainers: async (ids) => !ids.length ? [] : ((await this.containers.start(ids, { attach: false, interactive: false, detachKeys: Buffer.alloc(0) }, { input: process.stdin, stdout: process.stdout, stderr: process.stderr } as import('./container-engine').IoStreams)) as import('./container-engine').Report[]).map((r) => ({ id: r.id || r.name, error: r.error })),
      stopContainers: async (ids, timeout) => !ids.length ? [] : (await this.containers.stop(ids, { timeout })).map((r) => ({ id: r.id || r.name, error: r.error })),
      restartContainers: async (ids, timeout) => !ids.length ? [] : (await this.containers.restart(ids, { timeout, running: false })).map((r) => ({ id: r.id || r.name, error: r.error })),
      killContainers: async (ids, signal) => !ids.length ? [] : (await this.containers.kill(ids, { signal })).map((r) => ({ id: r.id || r.name, error: r.error })),
      anonymousVolumes: (id) => (this.containers.resolve(id).spec.mounts ?? []).filter((m) => m.type === 'volume' && m.anonymous && m.source).map((m) => ({ name: m.source, destination: m.destination })),
      renameContainer: (id, name) => void this.containers.rename(id, name),
      cleanupContainer: (id) => this.containers.cleanup(id),
      removeContainers: async (ids, o) => !ids.length ? [] : (await this.containers.remove(ids, { force: o.force, volumes: o.volumes, timeout: o.timeout })).map((r) => ({ id: r.id || r.name, error: r.error })),
      pauseContainers: async (ids, pause) => !ids.length ? [] : (await this.containers.pause(ids, false, pause)).map((r) => ({ id: r.id || r.name, error: r.error })),
      waitContainer: async (id) => {
        const [r] = await this.containers.wait([id], { conditions: ['stopped'], intervalMs: 250, ignore: true, exitFirstMatch: false });
        if (r?.error) throw r.error;
        return r?.exitCode ?? -1;
      },
      startAttached: async (id, o) => (await this.containers.start([id], { attach: true, interactive: o.interactive, detachKeys: Buffer.from([16, 17]) }, { input: process.stdin, stdout: process.stdout, stderr: process.stderr } as import('./container-engine').IoStreams)) as number,
      logs: (id, o, onLine) => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { Writable } = require('node:stream') as typeof import('node:stream');
        const lines = (stream: 'stdout' | 'stderr') => {
          let rest = '';
          return new Writable({
            write(chunk: Buffer, _enc, done) {
              const parts = (rest + chunk.toString('utf8')).split('\n');
              rest = parts.pop() ?? '';
              for (const l of parts) onLine(stream, l);
              done();
            },
            final(done) {
              if (rest) onLine(stream, rest);
              done();
            },
          });
        };
        const [out, err] = [lines('stdout'), lines('stderr')];
        return this.containers.logs([id], { ...o }, out, err).finally(() => {
          out.end();
          err.end();
        });
      },
      networkLabels: (name) => (this.networks.exists(name) ? this.networks.resolve(name).config.labels : undefined),
      createNetwork: (name, o) => void this.networks.create(name, o),
      removeNetwork: async (name) => {
        const [r] = await this.networks.remove([name], { force: false });
        return { id: name, error: r?.error };
      },
      volumeLabels: (name) => (this.volumes.exists(name) ? this.volumes.get(name).config.labels : undefined),
      createVolume: (name, o) => void this.volumes.create(name, o),
      removeVolume: async (name) => {
        const [r] = await this.volumes.remove([name], { force: false });
        return { id: name, error: r?.error };
      },
      imageExists: (ref) => this.images.imageExists(ref),
      pullImage: async (ref, progress) => {
        await this.images.pullImage(ref, { progress });
      },
      buildImage: async (o, out) => {
        await this.builds.build(o, { stdin: process.stdin, stdout: out, stderr: out });
      },
      removeImage: async (ref) => {
        const [r] = await this.images.removeImages([ref], { force: false, all: false });
        return { id: ref, error: r?.error };
      },
      // ---- end compose-up ----
      // ---- verbs (compose-cli) ----
      containerSummaries: (labels, all) => {
        // A label given '' matches any value (compose ls: every container with a project label).
        const filters = Object.entries(labels).map(([k, v]) => (v === '' ? `label=${k}` : `label=${k}=${v}`));
        // A label filter lists stopped containers too: without all, only those up are kept (as docker ps).
        return this.containers.ps({ all: true, filters }).map((r) => r.summary).filter((s) => all || ['running', 'paused', 'stopping', 'restarting'].includes(s.state));
      },
      exec: (id, cmd, opts) => this.containers.exec(id, cmd, opts),
      top: (id, descriptors) => this.containers.top(id, descriptors),
      copy: (from, to, opts) => this.containers.copy(from, to, opts),
      waitFirst: async (ids) => {
        const reports = await this.containers.wait(ids, { conditions: [], intervalMs: 100, ignore: false, exitFirstMatch: true });
        const first = reports.find((r) => r.error === undefined);
        if (!first) throw reports[0]?.error ?? new Error('no container to wait for');
        return { id: first.id, exitCode: first.exitCode ?? 0 };
      },
      events: (opts, emit) => this.containers.events(opts, emit),
      imageInfo: (ref) => {
        const [r] = this.images.inspectImages([ref]);
        if (!r?.image) return undefined;
        const img = r.image as { Id: string; RepoTags?: string[]; Size?: number; Created?: string };
        return { id: img.Id, names: img.RepoTags ?? [], size: img.Size ?? 0, created: Date.parse(img.Created ?? '') || 0 };
      },
      pushImage: async (ref, progress) => ({ digest: (await this.images.pushImage(ref, undefined, { progress })).digest }),
      // ---- end compose-cli ----
    };
  }

  /** Container operations (libpod/container-engine.ts), loaded on first use. */
  get containers(): import('./container-engine').ContainerEngine {
    this.containerEngine ??= new (lazy.containerEngine().ContainerEngine)(this.runtime);
    return this.containerEngine;
  }

  /** Volumes (libpod/volume-engine.ts), loaded on first use. */
  get volumes(): import('./volume-engine').VolumeEngine {
    this.volumeEngine ??= new (lazy.volumeEngine().VolumeEngine)(this.runtime);
    return this.volumeEngine;
  }

  /** Secrets (libpod/secret-engine.ts), loaded on first use. */
  get secrets(): import('./secret-engine').SecretEngine {
    this.secretEngine ??= new (lazy.secretEngine().SecretEngine)(this.runtime);
    return this.secretEngine;
  }

  /** `build` and the build cache (libpod/build-engine.ts), loaded on first use. */
  get builds(): import('./build-engine').BuildEngine {
    this.buildEngine ??= new (lazy.buildEngine().BuildEngine)(this.runtime, {
      create: (o) => this.containers.create(o),
      run: async (o, io) => {
        const r = await this.containers.run({ ...o, detach: false, detachKeys: Buffer.alloc(0), sigProxy: false }, { input: io.stdin, stdout: io.stdout, stderr: io.stderr } as import('./container-engine').IoStreams);
        return { id: r.id, exitCode: r.exitCode };
      },
      kill: async (name) => {
        await this.containers.kill([name], { signal: 'KILL' });
      },
      removeImages: async (ids) => (await this.images.removeImages(ids, { force: false, all: false })).map((r) => ({ id: r.id ?? r.name, error: r.error })),
    });
    return this.buildEngine;
  }

  /** Healthchecks run now, and the monitors' reports of a change (libpod/health-engine.ts). */
  get health(): import('./health-engine').HealthEngine {
    this.healthEngine ??= new (lazy.healthEngine().HealthEngine)(this.runtime);
    return this.healthEngine;
  }

  /** systemd units and quadlet files (libpod/generate-engine.ts), loaded on first use. */
  get generate(): import('./generate-engine').GenerateEngine {
    this.generateEngine ??= new (lazy.generateEngine().GenerateEngine)(this.runtime);
    return this.generateEngine;
  }

  /** User-defined networks (libpod/network-engine.ts), loaded on first use. */
  get networks(): import('./network-engine').NetworkEngine {
    this.networkEngine ??= new (lazy.networkEngine().NetworkEngine)(this.runtime);
    return this.networkEngine;
  }

  /**
   * `system reset`: removes every container (stopped at once), volume, image and network, ends the
   * namespace holder, then deletes the root and runroot directories (the state database with
   * them); the next command starts on a fresh store. Directories that are not tspod's alone (/, the
   * home directory, the user's runtime directory) are refused before anything is removed. Inside
   * the namespace (the files belong to subordinate IDs). Returns what could not be removed.
   */
  async systemReset(): Promise<string[]> {
    const shared = new Set(['/', os.homedir(), this.paths.runtimeDir, process.env.XDG_RUNTIME_DIR ?? ''].filter(Boolean).map((d) => path.resolve(d)));
    for (const [what, dir] of [['root', this.paths.root], ['runroot', this.paths.runroot]] as const) {
      if (shared.has(path.resolve(dir))) throw new InvalidArgumentError(`refusing to remove the ${what} directory ${dir}: it is not tspod's alone (give --${what} a directory of its own)`);
    }
    const failures: string[] = [];
    const note = (reports: Array<{ name: string; error?: Error }>) => failures.push(...reports.filter((r) => r.error).map((r) => `${r.name}: ${r.error!.message}`));
    if (fs.existsSync(this.paths.database)) {
      const { isSameProcess } = lazy.containerStore();
      const monitors = this.runtime.containers().list().map((c) => c.status).filter((s) => isSameProcess(s.monitorPid, s.monitorStart));
      note(await this.containers.remove([], { all: true, force: true, timeout: 0, volumes: true }));
      // A killed container's monitor still runs its cleanup command, which opens the store: the
      // directories go only once the monitors are gone, or that command would make them again.
      const deadline = Date.now() + 10_000;
      while (monitors.some((s) => isSameProcess(s.monitorPid, s.monitorStart)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      note(await this.volumes.remove([], { all: true, force: true, timeout: 0 }));
      note(this.images.pruneImages({ all: true, filters: [] }));
      await this.networks.prune([]);
    }
    if (insideUserNamespace()) lazy.pause().stopOwnHolder(this.paths.runroot);
    else lazy.pause().stopHolder(this.paths.runroot);
    this.close();
    for (const dir of [this.paths.root, this.paths.runroot]) {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch (err) {
        failures.push(`${dir}: ${(err as Error).message}`);
      }
    }
    return failures;
  }

  /** Store-wide verbs: system df and system prune (libpod/system-engine.ts), loaded on first use. */
  get system(): import('./system-engine').SystemEngine {
    this.systemEngine ??= new (lazy.systemEngine().SystemEngine)(this.runtime, {
      pruneContainers: (filters) => this.containers.prune(filters),
      pruneVolumes: (filters) => this.volumes.prune(filters),
      pruneImages: (opts) => this.images.pruneImages(opts),
      pruneNetworks: (filters) => this.networks.prune(filters),
      volumes: () => this.volumes.list(),
      volumeDir: (name) => this.volumes.mountpoint(name),
    });
    return this.systemEngine;
  }

  /** Image and registry operations (libpod/image-engine.ts). */
  get images(): ImageEngine {
    this.imageEngine ??= new ImageEngine(this.runtime);
    return this.imageEngine;
  }

  constructor(
    readonly paths: Paths,
    private readonly overrides: ConfigOverrides = {},
  ) {
    this.runtime = new Runtime(paths, overrides);
  }

  /** Another engine on the same store and flags (the API service makes one per request). */
  fresh(): Engine {
    return new Engine(this.paths, this.overrides);
  }

  get config(): Config {
    return this.runtime.config;
  }

  /** Whether a store exists here: false before the first command and after `system reset`. */
  hasStore(): boolean {
    return fs.existsSync(this.paths.database);
  }

  /** Opens the state database on first use (libpod/runtime.ts). */
  db(): State {
    return this.runtime.db();
  }

  /**
   * Re-runs this command inside the user namespace when it is not already there; resolves with the
   * inner command's exit code, or null when the caller is already inside (or is real root).
   */
  async enterUserNamespace(argv: string[], container?: () => string | undefined): Promise<number | null> {
    if (insideUserNamespace()) {
      lazy.userns().checkLaunchedHolder(this.paths.runroot);
      return null;
    }
    ensureRuntimeDirs(this.paths);
    const name = container?.();
    // A container left running in the namespace of a killed holder is worked on in its own.
    const own = name !== undefined && fs.existsSync(this.paths.database) ? this.containers.namespaceOf(name) : undefined;
    const holder = own ?? (await lazy.pause().ensureHolder(this.paths.runroot));
    if (!own) this.noteOtherNamespaces(holder);
    return lazy.userns().runInUserNamespace(this.paths, argv, process.env, holder);
  }

  /**
   * After the holder was made again, or while the mark says so: whether monitors still live in an
   * older namespace (pause.pid.others, which sends exec and cp through here instead of straight in).
   */
  private noteOtherNamespaces(holder: { pid: number; created: boolean }): void {
    const pause = lazy.pause();
    if (!holder.created && !fs.existsSync(pause.othersFile(this.paths.runroot))) return;
    pause.noteOtherNamespaces(this.paths.runroot, holder.pid, lazy.containerFacts().liveMonitorPids(this.paths));
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
      if (lazy.userns().namespaceIsNew()) this.runtime.imageStore(); // remakes the mounts a dead namespace took with it
      const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env });
      if (r.error) {
        const code = (r.error as NodeJS.ErrnoException).code;
        throw new InvalidArgumentError(`cannot run ${argv[0]}: ${code === 'ENOENT' ? 'no such file or directory' : r.error.message}`);
      }
      return r.status ?? 128 + (r.signal ? os.constants.signals[r.signal] : 0);
    }
    ensureRuntimeDirs(this.paths);
    const holder = await lazy.pause().ensureHolder(this.paths.runroot);
    this.noteOtherNamespaces(holder);
    if (holder.created && this.db().listImageMounts().length > 0) return lazy.userns().runInUserNamespace(this.paths, selfArgv, process.env, holder);
    if (argv[0].includes('/') ? !fs.existsSync(argv[0]) : !lazy.programs().findProgram(argv[0], env)) {
      throw new InvalidArgumentError(`cannot run ${argv[0]}: no such file or directory`);
    }
    return lazy.userns().runInUserNamespace(this.paths, argv, env, holder);
  }

  /**
   * `system migrate`: stops the running containers (they live in the namespace), then ends the
   * holder so the next command maps the current subuid ranges. Returns the names stopped.
   */
  async systemMigrate(): Promise<string[]> {
    let stopped: string[] = [];
    if (fs.existsSync(this.paths.database)) {
      const reports = await this.containers.stop([], { all: true, ignore: true, cidFiles: [] });
      const failed = reports.find((r) => r.error);
      if (failed) throw failed.error;
      stopped = reports.map((r) => r.containerName ?? r.name);
    }
    lazy.pause().stopHolder(this.paths.runroot);
    return stopped;
  }

  /**
   * A failure as the user should read it: an error of the state database (met outside the state
   * module's transactions, as a read of a damaged page) names the database; a full disk anywhere
   * is named as such, with the fullest of the store's filesystems.
   */
  /**
   * `inspect` and each kind's inspect: Podman 5's documents of the names (of the latest container),
   * looked up as libpod/inspect-objects.ts says. With size, call it inside the user namespace.
   */
  inspect(names: string[], opts: import('./inspect-objects').InspectOptions): import('./inspect-objects').Inspected[] {
    return lazy.inspectObjects().inspectObjects(names, opts, {
      containers: (n, o) => this.containers.inspect(n, o),
      images: (n) => this.images.inspectImages(n).map((r) => ({ name: r.name, data: r.image, error: r.error })),
      volumes: (n) => this.volumes.inspect(n),
      networks: (n) => this.networks.inspect(n),
      pods: (n, o) => this.pods.inspect(n, o),
    });
  }

  explainFailure(err: unknown): unknown {
    if (err instanceof TspodError) return err;
    if (String((err as { code?: unknown })?.code ?? '').startsWith('SQLITE_')) return explainStateError(this.paths.database, err);
    if (!isNoSpace(err)) return err;
    const file = (err as NodeJS.ErrnoException).path;
    return noSpaceError([this.paths.root, this.paths.runroot], file ? `writing ${file}` : `(${(err as Error).message})`, err);
  }

  close(): void {
    this.runtime.close();
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
    // The monitor's bundle sits beside this one (dist/tspod.js, dist/conmon.js).
    const monitor = { path: path.join(__dirname, 'conmon.js'), version: `tspod monitor version ${VERSION}` };
    const facts = await lazy.hostFacts().gatherInfoFacts(host, monitor.path, this.paths.root);
    const containerStates = this.containers.list({ all: true, filters: [] }).map((c) => c.state);
    return lazy.infoReport().buildInfoReport({ host, facts, monitor, containerStates, paths: this.paths, config: this.config, registries: lazy.registriesConf().loadRegistriesConf(this.paths.configDir), state, version: this.version() });
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
    if (fs.existsSync(this.paths.database)) {
      const orphans = this.containers.leftovers();
      checks.push(
        orphans.length
          ? { name: 'container files', severity: 'warning', message: `files of ${orphans.length} container${orphans.length === 1 ? '' : 's'} without a row (left by a command that was killed): ${orphans.map((id) => id.slice(0, 12)).join(', ')}`, fix: 'remove them with "tspod container prune"' }
          : { name: 'container files', severity: 'ok', message: 'every container file belongs to a container' },
      );
    }
    return {
      checks,
      errors: checks.filter((c) => c.severity === 'error').length,
      warnings: checks.filter((c) => c.severity === 'warning').length,
    };
  }

  // ---- api (api-containers) ----
  /** Whether the container's own cgroup is frozen (paused): Docker's State.Paused. From outside the namespace. */
  apiContainerPaused(name: string): boolean {
    const c = this.containers.resolve(name);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return c.state === 'running' && (require('./container/container-pause') as typeof import('./container/container-pause')).isPaused(c);
  }

  /**
   * One raw sample of a running container's figures (undefined when it is not running), with the
   * host's CPU time in nanoseconds and its CPU count: what Docker's stats JSON is made of.
   */
  apiContainerStats(name: string): { id: string; name: string; sample?: import('./container/container-stats').StatsSample; systemNanos: number; onlineCpus: number } {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { sample } = require('./container/container-stats') as typeof import('./container/container-stats');
    const { ownCgroupDir } = require('./container/container-cgroup') as typeof import('./container/container-cgroup');
    const { isSameProcess } = lazy.containerStore();
    /* eslint-enable @typescript-eslint/no-require-imports */
    const c = this.containers.resolve(name);
    const s = c.state === 'running' && isSameProcess(c.status.pid, c.status.pidStart) ? sample(c.status.pid!, ownCgroupDir(c.id, c.status.pid)) : undefined;
    // /proc/stat's first line: the host's CPU time in clock ticks (100 a second on Linux).
    const cpu = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1, 8).map(Number);
    return { id: c.id, name: c.name, sample: s, systemNanos: cpu.reduce((a, b) => a + (b || 0), 0) * 1e7, onlineCpus: os.cpus().length };
  }

  /**
   * A TTY container's terminal size: one RESIZE frame through its monitor's attach socket (as an
   * attach client sends on SIGWINCH). A container without a terminal or not running is refused.
   */
  async apiResizeTty(name: string, rows: number, cols: number): Promise<void> {
    const c = this.containers.resolve(name);
    if (c.state !== 'running') throw new InvalidStateError(`container ${c.name} is not running: only a running container's terminal can be resized`);
    if (!c.spec.terminal) throw new InvalidStateError(`container ${c.name} has no terminal to resize: create it with Tty`);
    /* eslint-disable @typescript-eslint/no-require-imports */
    const net = require('node:net') as typeof import('node:net');
    const { encodeFrame, FRAME } = require('../conmon/protocol') as typeof import('../conmon/protocol');
    /* eslint-enable @typescript-eslint/no-require-imports */
    await new Promise<void>((resolve, reject) => {
      const sock = net.connect(this.containers.store.pathsOf(c).attachSocket);
      sock.once('error', (err) => reject(new TspodError(`cannot resize the terminal of ${c.name}: ${err.message}`)));
      sock.once('connect', () => sock.end(encodeFrame(FRAME.RESIZE, `${rows} ${cols}`), () => resolve()));
    });
  }
  // ---- end api (api-containers) ----
  // ---- api (api-images) ----
  /** The build's options with no flag given (`tspod build -t TAGS CONTEXT`), for the API's POST /build to set from its query. */
  buildDefaults(context: string, tags: string[]): import('./build/types').BuildOptions {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./build/build-defaults') as typeof import('./build/build-defaults')).defaultBuildOptions(context, tags);
  }

  /** The architecture images are pulled and built for here (Docker's and OCI's name: amd64, arm64). */
  hostArch(): string {
    return ARCH_NAMES[process.arch] ?? process.arch;
  }

  /** Bytes under each volume's directory (the API's volume prune reports what it frees). Inside the namespace. */
  volumeSizes(names: string[]): Record<string, number> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { directorySize } = require('../src/directory-size') as typeof import('../src/directory-size');
    return Object.fromEntries(
      names.map((n) => {
        try {
          return [n, directorySize(this.volumes.mountpoint(n))];
        } catch {
          return [n, 0];
        }
      }),
    );
  }
  // ---- end api (api-images) ----
  // ---- api (api-clients) ----
  /**
   * `generate systemd --api`: tspod.socket and tspod.service user units that start this tspod's
   * `system service` on demand (with --root/--runroot when this store is not the default one); with
   * `filesIn` also written there.
   */
  generateApiUnits(opts: import('./systemd/api-units').ApiUnitsOptions, filesIn?: string): import('./systemd/api-units').ApiUnit[] {
    const { generateApiUnits } = require('./systemd/api-units') as typeof import('./systemd/api-units');
    const { resolvePaths } = require('../src/paths') as typeof import('../src/paths');
    const defaults = resolvePaths({});
    const globalArgs = [...(this.paths.root !== defaults.root ? ['--root', this.paths.root] : []), ...(this.paths.runroot !== defaults.runroot ? ['--runroot', this.paths.runroot] : [])];
    const units = generateApiUnits(opts, { binary: path.resolve(process.argv[1]), globalArgs, version: VERSION, now: new Date() });
    if (!filesIn) return units;
    return units.map((u) => {
      const target = path.resolve(filesIn, u.name);
      try {
        fs.writeFileSync(target, u.text, { mode: 0o644 });
      } catch (err) {
        throw new InvalidArgumentError(`cannot write ${target}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}: run it in a directory you can write`);
      }
      return { ...u, path: target };
    });
  }
  // ---- end api (api-clients) ----
}

export function assertCheckPassed(report: SystemCheckReport): void {
  if (report.errors > 0) {
    throw new PrerequisiteError(`${report.errors} prerequisite${report.errors === 1 ? ' is' : 's are'} missing: apply the fixes above, then run "tspod system check" again`);
  }
}
