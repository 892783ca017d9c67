// Container operations behind the engine facade (engine.containers), as Podman's ContainerEngine:
// options in, reports out, per-container errors inside the reports. Methods that mount, start the
// monitor or delete files run inside the user namespace (their commands set needsUserNamespace);
// stop, kill, ps, logs, inspect, wait and attach work from outside it: signals reach the
// container's processes (ours, through the namespace we own) and the state is in files we own.
// One container's lifecycle is container/container-api.ts, create's flags container/create-spec.ts.
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import { InspectNotFoundError, InvalidArgumentError, InvalidStateError, NoSuchContainerError, NoSuchImageError } from '../src/errors';
import { log } from '../src/log';
import { insideUserNamespace, type Runtime } from './runtime';
import type { Image } from './image/image-store';
import type { PortMapping } from './network/network-spec';
import type { StatsRow } from './container/container-stats';
import type { PsReport } from './container/container-report';
import { isUp, parseRestartPolicy, validName, type Container } from './container/container';
import { isSameProcess, type ContainerStore } from './container/container-store';
import { ContainerApi, attachedStreams, type ExecOptions, type IoStreams, type Report } from './container/container-api';
import { destroyVolume } from './volume/volume-store';
import type { CheckedCreate, CreateOptions, NetworkSettings } from './container/create-spec';
import type { MountSpec } from './volume/volume-spec';
import type { UpdateOptions } from './container/container-update';
import { readIfExists } from '../src/files';
import { normalizeSignal } from './oci/runtime';
import { attachTo, type AttachResult } from './container/attach-client';
import { LOG_COLORS, readLogs, type LogOptions } from './container/log-reader';
import { psFilter } from './container/container-report';
import { parseTimeSpec } from '../src/time-spec';
import { randomHex } from '../src/random';
import { waitFor, type WaitOptions, type WaitReport } from './container/container-wait';
import { imageMatches, latestContainer, readCidFiles, selectTargets, withDependents, type Selection } from './container/container-selection';

// Modules only some operations need, required on first use (esbuild keeps these requires lazy).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  containerFiles: () => require('./container/container-files') as typeof import('./container/container-files'),
  containerWatch: () => require('./container/container-watch') as typeof import('./container/container-watch'),
  createSpec: () => require('./container/create-spec') as typeof import('./container/create-spec'),
  fileLock: () => require('./lock/file-lock') as typeof import('./lock/file-lock'),
  imagePull: () => require('./image/image-pull') as typeof import('./image/image-pull'),
  pullFlags: () => require('./image/pull-flags') as typeof import('./image/pull-flags'),
  transport: () => require('./image/transport') as typeof import('./image/transport'),
  networkSpec: () => require('./network/network-spec') as typeof import('./network/network-spec'),
  containerReport: () => require('./container/container-report') as typeof import('./container/container-report'),
  containerInspect: () => require('./container/container-inspect') as typeof import('./container/container-inspect'),
  inspectFacts: () => require('./container/inspect-facts') as typeof import('./container/inspect-facts'),
  containerTop: () => require('./container/container-top') as typeof import('./container/container-top'),
  imageDiff: () => require('./image/image-diff') as typeof import('./image/image-diff'),
  containerDiff: () => require('./container/container-diff') as typeof import('./container/container-diff'),
  containerCopy: () => require('./container/container-copy') as typeof import('./container/container-copy'),
  pause: () => require('./rootless/pause-process') as typeof import('./rootless/pause-process'),
  containerUpdate: () => require('./container/container-update') as typeof import('./container/container-update'),
  containerPause: () => require('./container/container-pause') as typeof import('./container/container-pause'),
  logsSecrets: () => require('./container/logs-secrets-flags') as typeof import('./container/logs-secrets-flags'),
  secretUse: () => require('./secret/secret-use') as typeof import('./secret/secret-use'),
  secretStore: () => require('./secret/secret-store') as typeof import('./secret/secret-store'),
  logFlags: () => require('./container/log-flags') as typeof import('./container/log-flags'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export type { Report };

export interface PsOptions {
  all: boolean;
  filters: string[];
  last?: number;
  /** The inode of each namespace of running containers (ps --ns). */
  namespaces?: boolean;
  /** The bytes each container wrote and its root's (ps --size); the caller is inside the namespace. */
  size?: boolean;
  /** Builds' containers too (ps --external). */
  external?: boolean;
}

export type { IoStreams };

function readLink(file: string): string | undefined {
  try {
    return fs.readlinkSync(file);
  } catch {
    return undefined;
  }
}

/**
 * `start --all --filter restart-policy=P` (after a reboot): `unless-stopped` containers the user
 * had stopped stay stopped; the other keys as in ps.
 */
export function startFilter(filters: string[], lookup?: (ref: string) => Container): (c: Container) => boolean {
  const policies = filters.filter((f) => f.startsWith('restart-policy=')).map((f) => parseRestartPolicy(f.slice('restart-policy='.length)).name);
  const rest = psFilter(filters.filter((f) => !f.startsWith('restart-policy=')), imageMatches, lookup);
  return (c) => rest(c) && (policies.length === 0 || (policies.includes(c.spec.restartPolicy.name) && !(c.spec.restartPolicy.name === 'unless-stopped' && c.status.stoppedByUser)));
}


export class ContainerEngine {
  private readonly api: ContainerApi;

  constructor(private readonly rt: Runtime) {
    this.api = new ContainerApi(rt);
  }

  get store(): ContainerStore {
    return this.rt.containers();
  }

  /**
   * The image to create from: stored, else pulled (--pull missing), always pulled, pulled when the
   * registry's digest differs from the stored one's (newer; a registry that cannot be asked keeps
   * the stored one, as Podman does), or never; a stored image of another platform than --platform
   * asks for counts as missing.
   */
  private async imageFor(checked: CheckedCreate): Promise<Image> {
    const { opts, pulling } = checked;
    const pull = () => lazy.imagePull().pullImage(this.rt, opts.image, { ...pulling.pull, progress: opts.progress });
    // docker://REF and containers-storage:REF name what REF names; the file transports are read each time.
    const t = lazy.transport().parseTransportRef(opts.image);
    if (opts.pull === 'always' || (t.transport !== 'docker' && t.transport !== 'containers-storage')) return pull();
    let local: Image;
    try {
      local = this.rt.imageStore().resolve(t.target);
    } catch (err) {
      if (!(err instanceof NoSuchImageError) || opts.pull === 'never') throw err;
      return pull();
    }
    const pf = lazy.pullFlags();
    if (!pf.imageMatches(local, pulling.platform)) {
      const want = [pulling.platform!.os, pulling.platform!.architecture, pulling.platform!.variant].filter(Boolean).join('/');
      if (opts.pull === 'never' || t.transport === 'containers-storage') throw new InvalidStateError(`image ${t.target} is stored for ${local.config.os}/${local.config.architecture}, not ${want}: pull that platform (--pull=missing)`);
      return pull();
    }
    if (opts.pull === 'newer' && t.transport === 'docker') {
      const remote = await lazy.imagePull().remoteDigest(this.rt, t.target, pulling.pull);
      if (remote && !local.repoDigests.includes(remote)) {
        return pull().catch((err: Error) => {
          log.warn(`--pull=newer: ${err.message}: using the stored image`);
          return local;
        });
      }
    }
    return local;
  }

  /** `create`: a container in state created, its storage made. Inside the namespace. */
  async create(opts: CreateOptions, id = randomHex(32)): Promise<Container> {
    return this.createChecked(lazy.createSpec().checkCreate(this.rt, opts), id);
  }

  /** create from flags checkCreate has checked (run checks them once, before its monitor starts). */
  private async createChecked(checked: CheckedCreate, id: string): Promise<Container> {
    const cs = lazy.createSpec();
    const { opts } = checked;
    const rootfs = checked.logsSecrets.rootfs;
    const image = rootfs ? lazy.logsSecrets().rootfsImage() : await this.imageFor(checked);
    if (!rootfs) lazy.pullFlags().checkRunnable(image, opts.image);
    // The container replaced goes first: the new one may publish the same host ports (a unit's restart).
    if (opts.replace && opts.name && this.store.nameTaken(opts.name)) {
      const [r] = await this.remove([opts.name], { force: true, all: false, ignore: true });
      if (r?.error) throw r.error;
    }
    const net = await cs.networkSettings(this.rt, checked.network, opts, image);
    const mounts = cs.mountSettings(this.rt, checked.mounts, image.config.config?.Volumes, checked.security.imageVolume);
    // --userns=auto's range is chosen among the other auto containers' and recorded with the row,
    // under one lock, so that two creates at once do not take the same IDs.
    const autoLock = checked.userns?.resolved.mode.kind === 'auto' ? path.join(this.rt.paths.runroot, 'locks', 'userns-auto') : undefined;
    if (autoLock) fs.mkdirSync(path.dirname(autoLock), { recursive: true, mode: 0o700 });
    const c = await (autoLock ? lazy.fileLock().withLock(autoLock, () => this.insertNew(checked, id, image, net, mounts), 'the --userns=auto lock') : this.insertNew(checked, id, image, net, mounts));
    this.api.runner().prepareStorage(c);
    if (c.spec.secrets) lazy.secretUse().copySecrets(new (lazy.secretStore().SecretStore)(this.rt.paths.root), this.store.pathsOf(c).dir, c.spec.secrets);
    this.store.event(c, 'create');
    if (opts.cidFile) fs.writeFileSync(opts.cidFile, id);
    return c;
  }

  /** The row of a new container, inserted (a name we chose that was taken meanwhile is chosen again). */
  private insertNew(checked: CheckedCreate, id: string, image: Image, net: NetworkSettings, mounts: MountSpec[]): Container {
    const cs = lazy.createSpec();
    const { opts } = checked;
    const spec = cs.containerSpec(checked, id, image, net, mounts);
    const c: Container = { id, name: cs.chooseName(this.rt, opts.name), state: 'created', createdAt: Date.now(), spec, status: { restartCount: 0 } };
    for (let attempt = 1; ; attempt++) {
      try {
        this.store.insert(c);
        break;
      } catch (err) {
        const clash = /UNIQUE constraint failed: containers.name/.test((err as Error).message);
        // A name we made up was free when chosen, but a run beside us took it first: choose again.
        if (clash && opts.name === undefined && attempt < 10) {
          c.name = cs.chooseName(this.rt, undefined);
          continue;
        }
        for (const m of mounts) if (m.anonymous) destroyVolume(this.rt, m.source);
        if (clash) throw new InvalidStateError(`the container name "${c.name}" is already in use by ${this.store.resolve(c.name).id}: remove that container (tspod rm ${c.name}) or use --replace`);
        throw err;
      }
    }
    return c;
  }

  /** `run`: create, start, and (unless detached) attach until the container exits. Inside the namespace. */
  async run(opts: CreateOptions & { detach: boolean; detachKeys: Buffer; sigProxy?: boolean }, io: IoStreams): Promise<{ id: string; imageId: string; exitCode: number; detached: boolean }> {
    // A store whose database cannot be opened is refused before the monitor makes any file of it.
    this.rt.db();
    // The monitor starts first: its start-up (node, koffi) overlaps with creating the container.
    const id = randomHex(32);
    const checked = lazy.createSpec().checkCreate(this.rt, opts); // every flag, once, before the monitor
    const { runtime, restartPolicy, sdNotifyMode } = checked;
    if (opts.detach && checked.attach.length) throw new InvalidArgumentError('conflicting options: -a/--attach and -d/--detach: attach to a detached container later with "tspod attach"');
    const monitor = this.api.runner().spawnMonitor({ id, spec: { runtime, terminal: opts.tty, stdin: opts.interactive, restartPolicy, sdNotifyMode, timeout: opts.timeout || undefined, log: checked.logsSecrets.log, conmonPidFile: checked.logsSecrets.conmonPidFile, pidFile: checked.logsSecrets.pidFile } });
    log.debug(`run: monitor started for ${id.slice(0, 12)}`);
    let c: Container;
    try {
      c = await this.createChecked(checked, id);
      log.debug(`run: created ${c.name}`);
    } catch (err) {
      monitor.cancel();
      await monitor.exited(5000);
      fs.rmSync(this.store.pathsOf(id).dir, { recursive: true, force: true });
      fs.rmSync(this.store.pathsOf(id).runDir, { recursive: true, force: true });
      throw err;
    }
    let result: AttachResult;
    try {
      if (opts.detach) {
        await this.api.start(c, undefined, monitor);
        return { id: c.id, imageId: c.spec.imageId, exitCode: 0, detached: true };
      }
      // passthrough: the container reads our stdin itself; only the exit comes through the monitor.
      const streams = attachedStreams(io, checked.attach);
      const stdin = opts.interactive && c.spec.log?.driver !== 'passthrough' && (!checked.attach.length || checked.attach.includes('stdin'));
      result = await this.api.startAttached(c, streams, { stdin, detachKeys: opts.detachKeys, cleanup: true, monitor, sigProxy: opts.sigProxy });
    } catch (err) {
      // A run that never got going leaves nothing with --rm (Podman removes it too), else a created container.
      if (opts.rm) {
        await monitor.exited(5000);
        await this.remove([c.id], { force: true, all: false, ignore: true });
      }
      throw err;
    }
    if (result.detached) return { id: c.id, imageId: c.spec.imageId, exitCode: 0, detached: true };
    if (result.cleanupError) log.warn(`cleaning up container ${c.name}: ${result.cleanupError.message}`);
    return { id: c.id, imageId: c.spec.imageId, exitCode: this.api.exitCodeAfter(c, result), detached: false };
  }

  /** `start`: several detached, or one attached (-a). Inside the namespace. */
  async start(names: string[], opts: { attach: boolean; interactive: boolean; detachKeys: Buffer; all?: boolean; filters?: string[]; latest?: boolean; sigProxy?: boolean }, io: IoStreams): Promise<Report[] | number> {
    const filters = opts.filters ?? [];
    if (opts.sigProxy !== undefined && !opts.attach) throw new InvalidArgumentError('--sig-proxy works only with --attach: add -a or leave --sig-proxy out');
    if (opts.attach) {
      const targets = filters.length || opts.all ? [] : this.targets({ names, latest: opts.latest });
      if (targets.length !== 1) throw new InvalidArgumentError('you cannot start and attach multiple containers at once');
      const c = this.store.resolve(targets[0]);
      if (c.state === 'running') throw new InvalidStateError(`container ${c.name} is already running: use "tspod attach ${c.name}"`);
      const result = await this.api.startAttached(c, io, { stdin: opts.interactive && c.spec.stdin, detachKeys: opts.detachKeys, sigProxy: opts.sigProxy });
      return result.detached ? 0 : this.api.exitCodeAfter(c, result);
    }
    // --all and --filter: the stopped containers that match (a restart-policy= filter as startFilter says).
    if ((opts.all || filters.length) && (names.length || opts.latest)) throw new InvalidArgumentError(`${opts.all ? '--all' : '--filter'} takes no container names or --latest: give one or the other`);
    const keep = startFilter(filters, (ref) => this.store.resolve(ref));
    const targets = opts.all || filters.length ? this.store.list().filter((c) => (c.state === 'created' || c.state === 'initialized' || c.state === 'exited') && keep(c)).map((c) => c.id) : this.targets({ names, latest: opts.latest });
    return this.api.each(targets, (c) => this.api.start(c));
  }

  /**
   * `init`: the runtime makes each container without starting its command (initialized); --all
   * takes the created and exited ones and leaves the others, as Podman does. Inside the namespace.
   */
  async init(names: string[], opts: { all: boolean; latest?: boolean }): Promise<Report[]> {
    if (opts.all && (names.length || opts.latest)) throw new InvalidArgumentError('--all takes no container names or --latest: give one or the other');
    if (!opts.all && !opts.latest && names.length === 0) throw new InvalidArgumentError('you must provide at least one container name or ID, or --all');
    const targets = opts.all ? this.store.list().filter((c) => c.state === 'created' || c.state === 'exited').map((c) => c.id) : this.targets({ names, latest: opts.latest });
    return this.api.each(targets, (c) => this.api.init(c));
  }

  /** `update`: one container (or --latest); its ID when done. Inside the namespace. */
  async update(name: string | undefined, opts: UpdateOptions & { latest?: boolean }): Promise<string> {
    lazy.containerUpdate().checkSomethingToUpdate(opts);
    const [target] = this.targets({ names: name === undefined ? [] : [name], latest: opts.latest });
    const c = this.store.resolve(target);
    await this.api.update(c, opts);
    return c.id;
  }

  /** stopOne, then the stop event (Podman records it after the exit). */
  private async stopAndRecord(c: Container, timeout: number | undefined): Promise<void> {
    const wasUp = isUp(c.state) || c.state === 'initialized';
    await this.api.stop(c, timeout);
    if (wasUp) this.store.event(c, 'stop');
  }

  /** `stop`: in parallel. From outside the namespace. */
  async stop(names: string[], opts: Omit<Selection, 'names'> & { timeout?: number }): Promise<Report[]> {
    const targets = this.targets({ ...opts, names }, (c) => isUp(c.state) || c.state === 'initialized');
    const reports = await this.api.each(targets, (c) => this.stopAndRecord(c, opts.timeout), true);
    return opts.ignore ? reports.filter((r) => !(r.error instanceof NoSuchContainerError)) : reports;
  }

  private targets(sel: Selection, pick?: (c: Container) => boolean): string[] {
    return selectTargets(this.store, sel, pick);
  }

  /** `kill`: sends a signal to running containers. From outside the namespace. */
  async kill(names: string[], opts: Omit<Selection, 'names'> & { signal: string }): Promise<Report[]> {
    const sig = normalizeSignal(opts.signal);
    const targets = this.targets({ ...opts, names }, (c) => c.state === 'running' || c.state === 'restarting');
    return this.api.each(targets, (c) => this.api.kill(c, sig));
  }

  /** `rm`: refuses running containers unless forced (then kills them first). Inside the namespace. */
  async remove(names: string[], opts: Omit<Selection, 'names'> & { force: boolean; timeout?: number; volumes?: boolean; depend?: boolean; removingPod?: boolean }): Promise<Report[]> {
    const selected = this.targets({ ...opts, names });
    const targets = opts.depend ? withDependents(this.store, selected) : selected;
    const reports = await this.api.removeMany(targets, { force: opts.force, timeout: opts.timeout, volumes: opts.volumes, removingPod: opts.removingPod });
    // An ID file whose container is gone has done its job (Podman removes it too): the next
    // `run --cidfile` of a unit can write it again.
    const gone = new Set(reports.filter((r) => !r.error || r.error instanceof NoSuchContainerError).map((r) => r.id || r.name));
    for (const f of opts.cidFiles ?? []) {
      if (fs.existsSync(f) && gone.has(fs.readFileSync(f, 'utf8').trim())) fs.rmSync(f, { force: true });
    }
    return opts.ignore ? reports.filter((r) => !(r.error instanceof NoSuchContainerError)) : reports;
  }

  /** `container cleanup`: run by the monitor after the exit (unmount, runtime delete, --rm). Inside the namespace. */
  async cleanup(nameOrId: string): Promise<void> {
    await this.api.cleanupNamed(nameOrId);
  }

  /** `ps`: running ones unless all; filtered; the last n created. From outside the namespace. */
  list(opts: { all: boolean; filters: string[]; last?: number; external?: boolean }): Container[] {
    const keep = lazy.containerReport().psFilter(opts.filters, imageMatches, (ref) => this.store.resolve(ref), (c) => this.store.healthStatus(c), (ref) => this.store.podIdsNamed(ref));
    let list = this.store.list().filter((c) => (opts.external || !c.spec.buildOf) && (opts.all || opts.last !== undefined || opts.filters.length > 0 || isUp(c.state)) && keep(c));
    if (opts.last !== undefined) list = list.slice(-opts.last);
    return list.reverse();
  }

  /** `ps`: as list, each container as Podman's JSON entry and the facts of its row. From outside the namespace. */
  ps(opts: PsOptions): PsReport[] {
    const { psEntry, psSummary, processNamespaces } = lazy.containerReport();
    const list = this.list(opts);
    // The pods' names, read only when a listed container is in one.
    const pods = list.some((c) => c.spec.pod) ? new Map(this.rt.pods().list().map((p) => [p.id, p])) : undefined;
    return list.map((c) => {
      const health = c.state === 'running' ? this.store.healthStatus(c) : '';
      const p = c.spec.pod ? pods?.get(c.spec.pod) : undefined;
      const pod = p ? { id: p.id, name: p.name, infra: p.spec.infraId === c.id } : undefined;
      const report = { entry: psEntry(c, health, pod), summary: psSummary(c, Date.now(), health, pod) };
      if (opts.size) {
        // Inside the namespace (ps --size enters it): the upper directory's files belong to the container's users.
        const rw = lazy.containerDiff().upperSize(this.store.pathsOf(c).upper);
        let image = 0;
        try {
          image = this.api.imageOf(c).size;
        } catch {
          image = 0; // the image is gone (removed with --force): only what the container wrote
        }
        const size = { rw, rootFs: image + rw };
        return { entry: { ...report.entry, Size: { RootFsSize: size.rootFs, RwSize: size.rw } }, summary: { ...report.summary, size } };
      }
      if (!opts.namespaces) return report;
      const ns = processNamespaces(c.state === 'running' ? (c.status.pid ?? 0) : 0);
      return { entry: { ...report.entry, Namespaces: ns }, summary: { ...report.summary, namespaces: ns } };
    });
  }

  /** `ps --watch`: list, then every intervalMs again, until interrupted. From outside the namespace. */
  watchPs(opts: PsOptions, intervalMs: number, emit: (reports: PsReport[]) => void): Promise<void> {
    emit(this.ps(opts));
    return lazy.containerWatch().everyUntilInterrupted(intervalMs, () => emit(this.ps(opts)));
  }

  /**
   * `container inspect`: Podman 5's document of each container, or of the latest created; a name
   * that is none gives Podman's `no such container "NAME"`. With size, the writable layer is
   * measured (inside the namespace: its files belong to subordinate IDs). From outside otherwise.
   */
  inspect(names: string[], opts: { size?: boolean; latest?: boolean } = {}): Array<{ name: string; data?: Record<string, unknown>; error?: Error }> {
    const { inspectContainer } = lazy.containerInspect();
    const { inspectFacts } = lazy.inspectFacts();
    const one = (name: string, c: Container) => ({ name, data: inspectContainer(inspectFacts(this.rt, this.store, c, opts.size ?? false)) });
    if (opts.latest) {
      const last = this.store.list().at(-1);
      return last ? [one(last.name, last)] : [{ name: '', error: new InspectNotFoundError('no containers to inspect: no such container') }];
    }
    return names.map((n) => {
      let c: Container;
      try {
        c = this.store.resolve(n);
      } catch (err) {
        if (err instanceof NoSuchContainerError) return { name: n, error: new InspectNotFoundError(`no such container ${JSON.stringify(n)}`) };
        return { name: n, error: err as Error };
      }
      return one(n, c);
    });
  }

  resolve(name: string): Container {
    return this.store.resolve(name);
  }

  exists(name: string): boolean {
    try {
      this.store.resolve(name);
      return true;
    } catch (err) {
      if (err instanceof NoSuchContainerError) return false;
      throw err;
    }
  }

  /** `logs`: from the k8s-file log; with follow, until the container stops. From outside the namespace. */
  /**
   * `logs`: from the k8s-file log; with follow, until the container stops. Several containers are
   * shown one after the other (followed side by side), each line prefixed with the short ID or,
   * with names, the name; color gives each container its own. stopFollowing: true once following
   * should end early (the API's client went away). From outside the namespace.
   */
  async logs(names: string[], opts: LogOptions & { follow: boolean; latest?: boolean; names?: boolean; colors?: boolean; stopFollowing?: () => boolean }, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<void> {
    if (opts.latest && names.length > 0) throw new InvalidArgumentError('--latest takes no container names: give either the names or --latest');
    if (!opts.latest && names.length === 0) throw new InvalidArgumentError('you must provide at least one container name or ID, or --latest');
    const list = opts.latest ? [latestContainer(this.store)] : names.map((n) => this.store.resolve(n));
    for (const c of list) {
      const why = lazy.logFlags().noLogsReason(c.spec.log);
      if (why) throw new InvalidStateError(why);
    }
    const one = (c: Container, i: number) =>
      readLogs(lazy.logFlags().logFileOf(c.spec.log, this.store.pathsOf(c).log)!, {
        ...opts,
        prefix: list.length > 1 ? `${opts.names ? c.name : c.id.slice(0, 12)} ` : undefined,
        color: opts.colors ? LOG_COLORS[i % LOG_COLORS.length] : undefined,
        out,
        err,
        isRunning: () => !opts.stopFollowing?.() && this.store.reload(c.id)?.state === 'running',
      });
    if (opts.follow) await Promise.all(list.map(one));
    else for (const [i, c] of list.entries()) await one(c, i);
  }

  /**
   * `attach`: to a running container (with waitForStart, also to one about to start), until it
   * exits, the detach keys, or the signal (the API's client went away: detached, it runs on).
   */
  async attach(name: string, opts: { noStdin: boolean; detachKeys: Buffer; waitForStart?: { cancelled: () => boolean }; signal?: AbortSignal }, io: IoStreams): Promise<number> {
    const c = this.store.resolve(name);
    // Its output goes to the stdio it was started with, not through the monitor: nothing to attach to (Podman's refusal).
    if (c.spec.log?.driver === 'passthrough') throw new InvalidStateError("this container is using the 'passthrough' log driver, cannot attach: this container is not logging output");
    const session = { stdin: !opts.noStdin && c.spec.stdin, tty: c.spec.terminal, detachKeys: opts.detachKeys, signal: opts.signal, ...io };
    let attached: Awaited<ReturnType<typeof attachTo>> | undefined;
    if (opts.waitForStart && (c.state === 'created' || c.state === 'initialized')) {
      // Input waits for the start: the monitor has no stdin to give it to before, and drops it.
      const gate = new PassThrough();
      attached = await this.attachAtStart(c, opts.waitForStart.cancelled, { ...session, input: gate as unknown as NodeJS.ReadStream });
      if (!attached) return 0; // the client went before the start
      while (!opts.waitForStart.cancelled() && ['created', 'initialized'].includes(this.store.reload(c.id)?.state ?? '')) await new Promise((r) => setTimeout(r, 10));
      io.input.pipe(gate);
    } else if (c.state !== 'running') throw new InvalidStateError(`you can only attach to running containers: ${c.name} is ${c.state}`);
    if (!attached) attached = await attachTo(this.store.pathsOf(c).attachSocket, session);
    const { done } = attached;
    this.store.event(c, 'attach');
    const result = await done;
    return result.detached ? 0 : this.api.exitCodeAfter(c, result);
  }

  /**
   * The API's attach before a start (docker run attaches, then starts): the monitor listens on its
   * socket before it lets the container run, so a client connected then misses nothing. Polls for
   * the socket until cancelled; throws if the container ran and ended before a connection was made.
   */
  private async attachAtStart(c: Container, cancelled: () => boolean, session: Parameters<typeof attachTo>[1]): Promise<Awaited<ReturnType<typeof attachTo>> | undefined> {
    const socket = this.store.pathsOf(c).attachSocket;
    for (let n = 0; !cancelled(); n++) {
      if (fs.existsSync(socket)) {
        try {
          return await attachTo(socket, session);
        } catch {
          // a socket left by a monitor that died, or being removed: look again
        }
      }
      if (n % 20 === 19) {
        const fresh = this.store.reload(c.id);
        if (!fresh) throw new NoSuchContainerError(c.name);
        if (fresh.state !== 'created' && fresh.state !== 'initialized' && fresh.state !== 'running') throw new InvalidStateError(`${c.name} ran and ended before the attach was made: it is ${fresh.state}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    return undefined;
  }

  /** `wait`: until each container meets one of the conditions (default: stopped); its exit code. From outside the namespace. */
  async wait(names: string[], opts: WaitOptions & { latest?: boolean }): Promise<WaitReport[]> {
    if (opts.latest && names.length > 0) throw new InvalidArgumentError('--latest takes no container names: give either the names or --latest');
    if (!opts.latest && names.length === 0) throw new InvalidArgumentError('you must provide at least one container name or ID, or --latest');
    return waitFor(this.store, opts.latest ? [latestContainer(this.store).id] : names, opts);
  }

  /** exec's container: by name, the latest, or the ID in a --cidfile file. */
  execTarget(name: string | { latest: true } | { cidFile: string }): Container {
    if (typeof name === 'string') return this.store.resolve(name);
    if ('latest' in name) return latestContainer(this.store);
    return this.store.resolve(readCidFiles([name.cidFile])[0]);
  }

  /** `network reload`: each container's firewall rules made again; names, --all or --latest. Inside the namespace. */
  async networkReload(names: string[], opts: { all: boolean; latest: boolean }): Promise<Report[]> {
    const targets = this.targets({ names, all: opts.all, latest: opts.latest }, (c) => isUp(c.state));
    return this.api.each(targets, (c) => this.api.runner().network.reload(c));
  }

  /** `rename`: any state; the new name must be valid and free. */
  rename(oldName: string, newName: string): Container {
    if (!validName(newName)) throw new InvalidArgumentError(`invalid container name "${newName}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
    const c = this.store.resolve(oldName);
    if (this.store.nameTaken(newName)) throw new InvalidStateError(`the container name "${newName}" is already in use by ${this.store.resolve(newName).id}: choose another name`);
    this.rt.db().renameContainer(c.id, newName);
    this.store.event({ ...c, name: newName }, 'rename');
    return { ...c, name: newName };
  }

  /** `restart`: stop (running ones, -t) then start. Inside the namespace. */
  async restart(names: string[], opts: Omit<Selection, 'names'> & { timeout?: number; running: boolean }): Promise<Report[]> {
    const targets = this.targets({ ...opts, names }, (c) => !opts.running || c.state === 'running');
    return this.api.each(targets, async (c) => {
      await this.api.stop(c, opts.timeout);
      await this.api.start(c);
      this.store.event(c, 'restart');
    });
  }

  /**
   * For `system check`: every container synced (which repairs what killed commands left), then the
   * containers left without a row whose files `container prune` would collect. From outside.
   */
  leftovers(): string[] {
    this.store.list();
    return this.api.runner().orphans();
  }

  /** `container prune`: removes every container that is not running (created, exited), filtered by until= and label=. Inside the namespace. */
  async prune(filters: string[]): Promise<Report[]> {
    let until: number | undefined;
    const labels: string[] = [];
    for (const f of filters) {
      const [key, ...rest] = f.split('=');
      const value = rest.join('=');
      if (key === 'until') until = parseTimeSpec(value);
      else if (key === 'label') labels.push(`label=${value}`);
      else throw new InvalidArgumentError(`invalid filter "${key}": container prune takes until= and label=`);
    }
    const keep = lazy.containerReport().psFilter(labels, () => true);
    // A pod's containers go with their pod (pod rm, pod prune), as in Podman.
    const victims = this.store.list().filter((c) => (c.state === 'exited' || c.state === 'created') && !c.spec.pod && (until === undefined || c.createdAt < until) && keep(c));
    if (victims.length) return this.remove(victims.map((c) => c.id), { force: false, all: false, ignore: true });
    this.api.runner().collectOrphans();
    return [];
  }

  /**
   * `top`: the container's processes, ps-style rows (header first). From outside the namespace, so
   * that it works whichever holder's namespace the container runs in; user names from the
   * container's /etc/passwd, read through its PID 1's root.
   */
  top(name: string, descriptors: string[]): string[][] {
    const c = this.store.resolve(name);
    if (c.state !== 'running' || !isSameProcess(c.status.pid, c.status.pidStart)) throw new InvalidStateError(`top can only be used on running containers: ${c.name} is ${c.state}`);
    return lazy.containerTop().topRows(c.status.pid!, descriptors, readIfExists(`/proc/${c.status.pid}/root/etc/passwd`));
  }

  /**
   * `diff` and `container diff`: a container's changes against its image, or from a second
   * container (or image, for `diff`) to the first. `diff` (images too) looks each name up as an
   * image first, then as a container, as Podman does. Inside the namespace (upper directories and
   * layers hold subordinate IDs).
   */
  diff(names: string[], opts: { images: boolean; latest?: boolean }): Array<{ kind: string; path: string }> {
    if (opts.latest && names.length) throw new InvalidArgumentError('--latest and containers cannot be used together');
    if (!opts.latest && (names.length < 1 || names.length > 2)) throw new InvalidArgumentError(names.length ? `accepts between 1 and 2 arg(s), received ${names.length}` : 'requires a name, id, or the "--latest" flag');
    const layers = this.rt.layerStore();
    const tree = (name: string): { dirs: string[]; container?: Container } => {
      const image = opts.images ? this.imageNamed(name) : undefined;
      if (image) return { dirs: image.layers.map((l) => layers.diffDir(l)) };
      const c = this.store.resolve(name);
      return { dirs: [...this.api.imageOf(c).layers.map((l) => layers.diffDir(l)), this.store.pathsOf(c).upper], container: c };
    };
    const to = tree(opts.latest ? latestContainer(this.store).id : names[0]);
    const { OWN_MOUNT_POINTS, diffUpper, runtimeMadeDirs } = lazy.containerDiff();
    if (names.length < 2) {
      if (to.container) return diffUpper(to.dirs[to.dirs.length - 1], to.dirs.slice(0, -1));
      return lazy.imageDiff().diffLayers(to.dirs.slice(0, -1), to.dirs);
    }
    // tspod's own mount points in a container's upper directory are no change of the container's,
    // as in Podman, nor are the directories the runtime made only to hold them (a /run for .containerenv).
    const from = tree(names[1]);
    const made = new Set([to, from].flatMap((t) => (t.container ? [...runtimeMadeDirs(t.dirs[t.dirs.length - 1], t.dirs.slice(0, -1))] : [])));
    return lazy.imageDiff().diffLayers(from.dirs, to.dirs).filter((ch) => !OWN_MOUNT_POINTS.has(ch.path) && ![...made].some((d) => ch.path === d || ch.path.startsWith(`${d}/`)));
  }

  private imageNamed(name: string): Image | undefined {
    try {
      return this.rt.imageStore().resolve(name);
    } catch (err) {
      if (err instanceof NoSuchImageError) return undefined;
      throw err;
    }
  }

  /** The container `cp` works on (the source's, else the destination's), for entering its namespace. */
  copyContainerName(from: string, to: string): string | undefined {
    const { parseCopyArg } = lazy.containerCopy();
    return parseCopyArg(from).container ?? parseCopyArg(to).container;
  }

  /**
   * The namespace to enter for work on a running container (exec, cp): its monitor's, which is the
   * user and mount namespace it was started in (where its rootfs is mounted), when that is not the
   * live holder's (the holder was killed, and maybe made again); undefined for the holder's own.
   * From outside the namespace; errors are left for the command to report inside.
   */
  namespaceOf(name: string): { pid: number; startTime: string; created: false } | undefined {
    let c: Container;
    try {
      c = this.store.resolve(name);
    } catch {
      return undefined;
    }
    const { monitorPid, monitorStart } = c.status;
    if (!isUp(c.state) || !isSameProcess(monitorPid, monitorStart)) return undefined;
    const userNs = (pid: number) => readLink(`/proc/${pid}/ns/user`);
    const holder = lazy.pause().readHolder(this.rt.paths.runroot);
    if (holder && userNs(holder.pid) === userNs(monitorPid!)) return undefined;
    return { pid: monitorPid!, startTime: monitorStart!, created: false };
  }

  /** `pause`/`unpause`: only where the container has a cgroup freezer of its own; otherwise says why not. */
  pause(names: string[], all: boolean, pause: boolean): Promise<Report[]> {
    // A container is paused when its own cgroup is frozen (the runtime's pause and resume write
    // cgroup.freeze); one without a cgroup of its own is never paused (see container-pause).
    const cp = lazy.containerPause();
    const targets = this.targets({ names, all }, (c) => c.state === 'running' && (pause ? !cp.isPaused(c) : cp.isPaused(c)));
    return this.api.each(targets, (c) => {
      if (!pause && !cp.isPaused(c)) throw new InvalidStateError(`${c.name} is not paused: it is ${c.state}`);
      if (c.state !== 'running') throw new InvalidStateError(`${c.name} is ${c.state}: only running containers can be paused`);
      if (pause && cp.isPaused(c)) throw new InvalidStateError(`${c.name} is already paused: unpause it first`);
      cp.freezerOf(c);
      const runtime = this.api.runner().runtime(c);
      if (pause) runtime.pause(c.id);
      else runtime.resume(c.id);
    });
  }

  /** `port`: the published ports of one container, the latest, or every running one; each port on its own. From outside the namespace. */
  ports(name: string | undefined, opts: { all: boolean; latest: boolean }): Array<{ id: string; name: string; ports: PortMapping[] }> {
    const { eachPort } = lazy.networkSpec();
    let list: Container[];
    if (opts.all) list = this.store.list().filter((c) => c.state === 'running');
    else if (opts.latest) list = this.store.list().sort((a, b) => b.createdAt - a.createdAt).slice(0, 1);
    else list = [this.store.resolve(name!)];
    return list.map((c) => ({ id: c.id, name: c.name, ports: eachPort(c.spec.ports ?? []) }));
  }

  /**
   * `cp`: between the host and a container (or two containers), running or not, as the container
   * sees its files (its mounts included); '-' is a tar stream (stdin/stdout, or the streams given:
   * the API's archive). Inside the namespace.
   */
  copy(from: string, to: string, opts: { archive: boolean; followLink: boolean; stdin?: import('node:stream').Readable; stdout?: import('node:stream').Writable }): Promise<void> {
    return lazy.containerFiles().containerFiles(this.rt, this.api).copy(from, to, opts);
  }

  /** What is at a path in the container as it sees it (not following a last symlink); undefined when nothing. Inside the namespace. */
  pathStat(name: string, cpath: string): Promise<{ path: string; stat: fs.Stats; linkTarget?: string } | undefined> {
    return lazy.containerFiles().containerFiles(this.rt, this.api).stat(this.store.resolve(name.replace(/^\//, '')), cpath);
  }

  /** `commit`: a new image of the container's image plus its changes. Inside the namespace. */
  commit(name: string, reference: string | undefined, opts: { message?: string; author?: string; changes: string[]; pause: boolean }): Promise<Image> {
    return lazy.containerFiles().containerFiles(this.rt, this.api).commit(this.store.resolve(name), reference, opts);
  }

  /**
   * `export`: the container's root filesystem as a tar, to outputFile (written whole, then put in
   * place) or to out. Inside the namespace.
   */
  async exportRootfs(name: string, opts: { out: NodeJS.WritableStream; outputFile?: string }): Promise<void> {
    const c = this.store.resolve(name.replace(/^\//, ''));
    const files = lazy.containerFiles().containerFiles(this.rt, this.api);
    if (!opts.outputFile) return files.exportRootfs(c, opts.out);
    const tmp = path.join(path.dirname(opts.outputFile), `.${path.basename(opts.outputFile)}.tspod-${process.pid}.tmp`);
    try {
      await files.exportRootfs(c, fs.createWriteStream(tmp, { mode: 0o644 }));
      fs.renameSync(tmp, opts.outputFile);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
  }

  /** mount and unmount work on the namespace's mounts: outside it (not under `tspod unshare`) they are refused as Podman refuses them. */
  requireUnshare(command: string): void {
    if (!insideUserNamespace()) throw new InvalidStateError(`cannot run command "${command}" in rootless mode, must execute \`tspod unshare\` first`);
  }

  /**
   * `mount`: each container's rootfs mounted until `unmount` (counted), with its path. Inside the
   * namespace (`tspod unshare`), where the mount stays.
   */
  async mount(names: string[], opts: { all: boolean; latest: boolean }): Promise<Array<Report & { path?: string }>> {
    const targets = this.targets({ names: names.map((n) => n.replace(/^\//, '')), all: opts.all, latest: opts.latest });
    const paths = new Map<string, string>();
    const reports = await this.api.each(targets, (c) =>
      this.api.withLock(c, (fresh) => {
        if (!fresh) throw new NoSuchContainerError(c.name);
        if (fresh.state === 'removing') throw new InvalidStateError(`container ${fresh.name} is being removed`);
        paths.set(fresh.id, this.api.runner().mountForUser(fresh, this.api.imageOf(fresh)));
        this.store.save(fresh, fresh.state, { ...fresh.status, userMounts: (fresh.status.userMounts ?? 0) + 1 });
        this.store.event(fresh, 'mount');
      }),
    );
    return reports.map((r) => ({ ...r, path: paths.get(r.id) }));
  }

  /** `mount` with no names: the containers mounted with `mount`, and where. */
  mounted(): Array<{ id: string; name: string; path: string }> {
    return this.store
      .list()
      .filter((c) => (c.status.userMounts ?? 0) > 0)
      .map((c) => ({ id: c.id, name: c.name, path: this.store.pathsOf(c).rootfs }));
  }

  /**
   * `unmount`: undoes one `mount` (with force, all of them); the rootfs is unmounted when none is
   * left and the container is not up. Inside the namespace.
   */
  async unmount(names: string[], opts: { all: boolean; force: boolean; latest: boolean }): Promise<Report[]> {
    if (!opts.all && !opts.latest && names.length === 0) throw new InvalidArgumentError('you must provide at least one name or id');
    const targets = opts.all ? this.mounted().map((m) => m.id) : this.targets({ names: names.map((n) => n.replace(/^\//, '')), latest: opts.latest });
    return this.api.each(targets, (c) =>
      this.api.withLock(c, (fresh) => {
        if (!fresh) throw new NoSuchContainerError(c.name);
        const count = fresh.status.userMounts ?? 0;
        if (count === 0) throw new InvalidStateError(`container ${fresh.name} is not mounted: nothing to unmount`);
        const left = opts.force ? 0 : count - 1;
        if (left === 0) this.api.runner().unmountForUser(fresh);
        this.store.save(fresh, fresh.state, { ...fresh.status, userMounts: left || undefined });
        this.store.event(fresh, 'unmount');
      }),
    );
  }

  /** `stats`: once, or every intervalMs until interrupted. From outside the namespace. */
  stats(names: string[], opts: { all: boolean; stream: boolean; intervalMs: number }, emit: (rows: StatsRow[]) => void): Promise<void> {
    return lazy.containerWatch().watchStats(this.rt, names, opts, emit);
  }

  /** `events`: the recorded events in the time and filters asked; with stream, new ones until interrupted. */
  events(opts: { since?: number; until?: number; filters: string[]; stream: boolean; signal?: AbortSignal }, emit: (e: import('./state/state').EventRow) => void): Promise<void> {
    return lazy.containerWatch().watchEvents(this.rt, opts, emit);
  }

  /** `exec`: runs a process in a running container through the runtime (on io's streams when given, the API's); its exit code. Inside the namespace. */
  async exec(name: string | { latest: true } | { cidFile: string }, cmd: string[], opts: ExecOptions, io?: import('./oci/runtime').ExecIo): Promise<number> {
    if (cmd.length === 0) throw new InvalidArgumentError('must provide a non-empty command to start an exec session: invalid argument (give the command after the container name)');
    if (opts.detach && opts.tty) throw new InvalidArgumentError('exec -d cannot allocate a terminal (-t): the process would have no one to talk to; drop -t');
    const c = this.execTarget(name);
    if (c.state !== 'running') throw new InvalidStateError(`can only exec in running containers: ${c.name} is ${c.state}: container state improper`);
    return this.api.exec(c, cmd, opts, process.stderr, io);
  }
}
