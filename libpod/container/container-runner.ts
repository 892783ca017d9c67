// Starting, cleaning up and removing containers: the work that touches the overlay mount, the OCI
// bundle, the runtime and the monitor, and so runs inside the user namespace. Each method says
// which states it accepts and whether the caller holds the container's lock (lock → reload → act
// → save; the lock is ContainerApi.withLock). The network half is network/container-network.ts.
import { cgroupsV2 } from './resource-flags';
import { clampOomScoreAdj, zoneFile } from './process-flags';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { InvalidStateError, NoSpaceError, RuntimeError } from '../../src/errors';
import type { Paths } from '../../src/paths';
import { log } from '../../src/log';
import { readIfExists } from '../../src/files';
import { decodeSync, type GoMessage, type MonitorArgs } from '../../conmon/protocol';
import { logFileOf } from './log-flags';
import { generateSpec, specJson, hardNofile, resolveUser, type Mount } from '../oci/spec';
import { OciRuntime, StartError, realtimeSignal, runtimeEnv } from '../oci/runtime';

export { StartError };
import { notifySystemd, readyMessage } from '../systemd/sd-notify';
import { bindMount, isMountPoint, mountOverlay, unmount, type OverlayDriver } from '../storage/overlay-mount';
import type { LayerStore } from '../storage/layer-store';
import type { Image } from '../image/image-store';
import type { MountSpec } from '../volume/volume-spec';
import { findProgram } from '../host/programs';
import { processStartTime } from '../rootless/pause-process';
import { NEW_ENV } from '../rootless/user-namespace';
import { containerPaths, isUp, type Container, type ContainerPaths } from './container';
import { claimCreation, liveCreator, liveMonitor, releaseCreation } from './container-facts';
import type { HelperCommand } from '../network/rootless-net';
import { ContainerNetwork, type PreparedNetwork } from '../network/container-network';
import { readExitFile, type ContainerStore } from './container-store';
import { nodeCommand } from '../../src/node-command';
import { VERSION } from '../../src/version';

// Modules only some operations need, required on first use (esbuild keeps these requires lazy).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  rootlessNet: () => require('../network/rootless-net') as typeof import('../network/rootless-net'),
  fileLock: () => require('../lock/file-lock') as typeof import('../lock/file-lock'),
  etcFiles: () => require('../network/etc-files') as typeof import('../network/etc-files'),
  containerCopy: () => require('./container-copy') as typeof import('./container-copy'),
  volumeSpec: () => require('../volume/volume-spec') as typeof import('../volume/volume-spec'),
  containerUserns: () => require('./container-userns') as typeof import('./container-userns'),
  secretUse: () => require('../secret/secret-use') as typeof import('../secret/secret-use'),
  securityFlags: () => require('./security-flags') as typeof import('./security-flags'),
  securitySpec: () => require('../oci/security-spec') as typeof import('../oci/security-spec'),
  cgroupDelegation: () => require('../host/cgroup-delegation') as typeof import('../host/cgroup-delegation'),
  resourceCgroups: () => require('./resource-cgroups') as typeof import('./resource-cgroups'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** A monitor started and waiting for "go" (see ContainerRunner.spawnMonitor). */
export interface MonitorHandle {
  started: Promise<{ pid: number; monitor: number; helper?: number }>;
  /** Lets the monitor run the runtime's create, starting the network helper first if there is one. */
  go(helper?: HelperCommand, health?: GoMessage['health']): void;
  cancel(): void;
  /**
   * Resolves once the monitor process has exited (at most ms later): after a cancel, before its
   * directories are removed, so that a monitor still starting up writes nothing into them after.
   */
  exited(ms: number): Promise<void>;
}

/** What the runner works with; store, layers and driver may be getters that open the database. */
export interface RunnerContext {
  paths: Paths;
  readonly store: ContainerStore;
  readonly layers: LayerStore;
  readonly driver: OverlayDriver;
  mountProgram: string;
  /** Flags for the runtime's create that containers.conf decides (createFlags in oci/runtime). */
  createFlags: string[];
  /** The runtime's global flags (--runtime-flag). */
  runtimeFlags: string[];
  /** argv that runs tspod itself (node + script + --root/--runroot), for the monitor's cleanup. */
  self: string[];
}

function isNonEmptyDir(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory() && fs.readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/** A file's text, or '' when it is missing (an image without /etc/passwd, a host without /etc/hosts). */
export class ContainerRunner {
  /** The container's network half: its namespace, addresses, hosts files and peers. */
  readonly network: ContainerNetwork;

  constructor(private readonly ctx: RunnerContext) {
    this.network = new ContainerNetwork(ctx);
  }

  runtime(c: { spec: Pick<Container['spec'], 'runtime'>; status?: Pick<Container['status'], 'runtimeRoot'> }): OciRuntime {
    return new OciRuntime(c.spec.runtime, c.status?.runtimeRoot ?? this.runtimeRoot(), this.ctx.runtimeFlags);
  }

  /**
   * The runtime's --root for new runs: short, because for --sdnotify=container runc binds
   * <root>/<64-character ID>/notify/notify.sock and a socket path has 107 bytes at most;
   * <runtime dir>/tsrt (as Podman's $XDG_RUNTIME_DIR/runc). IDs are unique, so stores of one user
   * can share it.
   */
  runtimeRoot(): string {
    return path.join(this.ctx.paths.runtimeDir, 'tsrt');
  }

  /** Makes the container's storage directories (create). */
  prepareStorage(c: Container): void {
    const p = this.ctx.store.pathsOf(c);
    for (const d of [p.upper, p.work, p.rootfs, p.bundle]) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
    // The rootfs and bundle are read by the runtime as namespace root, and by the container user.
    fs.chmodSync(p.dir, 0o711);
    fs.chmodSync(p.rootfs, 0o755);
    fs.chmodSync(p.bundle, 0o711);
    // Overlay's root directory takes the upper directory's mode: 0700 would lock every user but
    // root out of the container's "/".
    fs.chmodSync(p.upper, 0o755);
  }

  /**
   * Mounts the rootfs, writes the bundle, starts the monitor and the container. Caller holds the
   * lock; accepts created or exited (cleaned up); produces running. beforeStart runs once the
   * container exists and before its command starts (attach clients connect there).
   */
  async start(c: Container, image: Image, beforeStart?: () => Promise<void>, spawned?: MonitorHandle): Promise<void> {
    if (c.state === 'initialized') return this.startInitialized(c, beforeStart);
    await this.init(c, image, async (started) => {
      if (beforeStart) await beforeStart();
      this.runStart(c, started);
      // Podman records the attach once the container started with the session connected.
      if (beforeStart) this.ctx.store.event(c, 'attach');
    }, spawned);
  }

  /**
   * `init`: the container made by the runtime, its command not started: accepts created or exited
   * (cleaned up), produces initialized, with the monitor watching runc's init. Caller holds the lock.
   */
  async initOnly(c: Container, image: Image): Promise<void> {
    if (c.state === 'initialized' || isUp(c.state)) throw new InvalidStateError(`container ${c.id} has already been created in runtime: container state improper`);
    await this.init(c, image, async (started) => {
      const network = c.status.network ? { ...c.status.network, helperPid: started.helper } : undefined;
      this.ctx.store.save(c, 'initialized', { ...this.runStatus(c, started), network, startedAt: undefined });
    });
  }

  /** `start` of an initialized container: the runtime's start, as start does after its create. Caller holds the lock. */
  private async startInitialized(c: Container, beforeStart?: () => Promise<void>): Promise<void> {
    if (beforeStart) await beforeStart();
    this.runStart(c, { pid: c.status.pid!, monitor: c.status.monitorPid!, helper: c.status.network?.helperPid });
    if (beforeStart) this.ctx.store.event(c, 'attach');
  }

  /** The runtime's start of a container it made: running, with the pid and monitor the create reported. */
  private runStart(c: Container, started: { pid: number; monitor: number; helper?: number }): void {
    this.runtime(c).start(c.id, this.containerNotifySocket(c));
    log.debug(`start: ${c.name} started`);
    this.tellSystemd(c, started.monitor);
    const network = c.status.network ? { ...c.status.network, helperPid: started.helper } : undefined;
    this.ctx.store.save(c, 'running', { ...this.runStatus(c, started), network });
    this.ctx.store.event(c, 'start');
  }

  private runStatus(c: Container, started: { pid: number; monitor: number }): Container['status'] {
    return { ...c.status, runtimeRoot: this.runtime(c).stateDir, restartCount: 0, stoppedByUser: undefined, pid: started.pid, pidStart: processStartTime(started.pid) ?? undefined, monitorPid: started.monitor, monitorStart: processStartTime(started.monitor) ?? undefined, startedAt: Date.now(), exitCode: undefined, finishedAt: undefined, error: undefined };
  }

  /**
   * Mounts the rootfs, writes the bundle, starts the monitor, which has the runtime create the
   * container; then made(started) (the start, or init's record). Caller holds the lock; accepts
   * created or exited (cleaned up).
   */
  private async init(c: Container, image: Image, made: (started: { pid: number; monitor: number; helper?: number }) => Promise<void>, spawned?: MonitorHandle): Promise<void> {
    if (isUp(c.state)) throw new InvalidStateError(`container ${c.name} is already running`);
    const p = this.ctx.store.pathsOf(c);
    if (c.status.mounted) await this.cleanup(c);
    this.prepareStorage(c);
    fs.mkdirSync(p.runDir, { recursive: true, mode: 0o700 });
    fs.mkdirSync(path.dirname(p.attachSocket), { recursive: true, mode: 0o700 });
    for (const f of [p.exitFile, p.stopFile, p.monitorState]) fs.rmSync(f, { force: true });
    // The monitor starts first and loads while the rootfs is mounted and the bundle written; it
    // runs the runtime's create when told "go" on its stdin (and exits if that pipe just closes).
    const monitor = spawned ?? this.spawnMonitor(c);
    try {
      const net = await this.network.prepare(c);
      this.mountRootfs(c, image);
      for (const d of c.spec.buildOf?.makeDirs ?? []) makeDirInRoot(p.rootfs, d);
      this.ctx.store.save(c, c.state, { ...c.status, mounted: true, error: undefined, network: net.netns ? { netns: net.netns, ip: net.addresses.ip, gateway: net.addresses.gateway, prefixLength: net.addresses.prefixLength, ips: net.ips } : undefined });
      this.writeBundle(c, image, net);
      log.debug(`start: rootfs mounted and bundle written for ${c.name}`);
      monitor.go(net.helper, this.healthArgs(c));
      const started = await monitor.started;
      log.debug(`start: the monitor reports pid ${started.pid}`);
      this.ctx.store.event(c, 'init'); // the runtime made it; its command waits for the start
      if (c.spec.network === 'slirp4netns' && c.spec.ports?.length) await lazy.rootlessNet().slirpForward(this.ctx.store.pathsOf(c).slirpSocket, c.spec.ports);
      await made({ pid: started.pid, monitor: started.monitor, helper: started.helper });
      releaseCreation(p); // the start is done: a created row with a creator file is a start in flight
      if (net.ips) await this.network.announce(c);
    } catch (err) {
      try {
        monitor.cancel();
        this.ctx.store.save(c, c.state, { ...c.status, error: (err as Error).message });
        await this.cleanup(c);
      } finally {
        releaseCreation(p); // undone, or as far as it goes: the error above is what happened
      }
      throw err;
    }
  }

  /**
   * fn on the container's mounted rootfs: the running container's own mount, or one made for fn
   * and unmounted after it. For a container that is not up the caller holds the lock.
   */
  async withRootfs<T>(c: Container, image: Image, fn: (rootfs: string) => Promise<T>): Promise<T> {
    const p = this.ctx.store.pathsOf(c);
    if (isMountPoint(p.rootfs)) return fn(p.rootfs);
    if (isUp(c.state)) throw new InvalidStateError(`the root filesystem of ${c.name} is not mounted although it is ${c.state}: run "tspod stop ${c.name}" and try again`);
    this.prepareStorage(c);
    this.mountRootfs(c, image);
    try {
      return await fn(p.rootfs);
    } finally {
      unmount(p.rootfs);
    }
  }

  /** `mount`: the rootfs mounted (if it is not already) until `unmount`; its path. Caller holds the lock. */
  mountForUser(c: Container, image: Image): string {
    this.prepareStorage(c);
    this.mountRootfs(c, image);
    return this.ctx.store.pathsOf(c).rootfs;
  }

  /** `unmount`: the user's mount undone, unless the container is up (its run still uses it). Caller holds the lock. */
  unmountForUser(c: Container): void {
    if (!isUp(c.state)) unmount(this.ctx.store.pathsOf(c).rootfs);
  }

  private mountRootfs(c: Container, image: Image): void {
    const p = this.ctx.store.pathsOf(c);
    if (isMountPoint(p.rootfs)) return;
    const dir = c.spec.rootfs;
    if (dir && !dir.overlay) return bindMount(dir.path, p.rootfs); // --rootfs DIR: the container changes DIR itself, as in Podman
    if (dir) return mountOverlay(this.ctx.driver, { lowers: [dir.path], upper: p.upper, work: p.work, target: p.rootfs, volatile: c.spec.autoRemove }, this.ctx.layers.layersDir, this.ctx.mountProgram);
    const lowers = [...image.layers].reverse().map((l) => this.ctx.layers.diffDir(l));
    // An image of no layers (a build's FROM scratch): overlay needs one lower directory, an empty one.
    if (!lowers.length) lowers.push(this.ctx.layers.emptyDir());
    const idMapping = c.spec.userns ? lazy.containerUserns().rootfsMapping(c.spec.userns) : undefined;
    mountOverlay(this.ctx.driver, { lowers, upper: p.upper, work: p.work, target: p.rootfs, volatile: c.spec.autoRemove, idMapping }, this.ctx.layers.layersDir, this.ctx.mountProgram);
  }

  /**
   * An empty volume mounted over a non-empty directory of the image is first filled with its
   * content, owners kept (unless nocopy). Runs with the rootfs mounted.
   */
  private fillVolume(c: Container, m: MountSpec, source: string): void {
    if (!fs.existsSync(source)) throw new InvalidStateError(`volume ${m.source} of ${c.name} no longer exists: create it again (tspod volume create ${m.source}) or recreate the container`);
    const fromImage = lazy.containerCopy().resolveInRoot(this.ctx.store.pathsOf(c).rootfs, m.destination, true); // the image's symlinks stay inside it
    if (m.noCopy || fs.readdirSync(source).length !== 0 || !isNonEmptyDir(fromImage)) return;
    const r = spawnSync('cp', ['-a', `${fromImage}/.`, source], { encoding: 'utf8' });
    if (r.status !== 0) throw new RuntimeError(`cannot fill volume ${m.source} from the image's ${m.destination}: ${r.stderr.trim()}`);
    // The volume's root takes the image directory's owner and mode, as the copy-up in Podman does.
    const st = fs.statSync(fromImage);
    fs.chownSync(source, st.uid, st.gid);
    fs.chmodSync(source, st.mode & 0o7777);
  }

  /**
   * Fills the container's empty volumes from its image now, as its start would: what cp writes
   * into a volume before the first start must not stop the image's files from arriving there.
   * Caller holds the container's lock, with the rootfs mounted.
   */
  fillVolumes(c: Container): void {
    const { volumePath } = lazy.volumeSpec();
    for (const m of c.spec.mounts ?? []) if (m.type === 'volume') this.fillVolume(c, m, volumePath(this.ctx.paths.root, m.source));
  }

  /**
   * The OCI mounts of the container's volumes, binds and tmpfs. An empty volume mounted over a
   * non-empty directory of the image is first filled with its content, owners kept (unless
   * nocopy); :U gives the source to the container's user. Runs with the rootfs mounted.
   */
  private prepareMounts(c: Container, user: { uid: number; gid: number }): Mount[] {
    const { volumePath } = lazy.volumeSpec();
    return (c.spec.mounts ?? []).map((m, i) => {
      const rw = m.readOnly ? 'ro' : 'rw';
      const owner = m.chown ? [`uid=${user.uid}`, `gid=${user.gid}`] : [];
      if (m.type === 'tmpfs' || m.type === 'ramfs') return { destination: m.destination, type: m.type, source: m.type, options: [rw, 'nosuid', 'nodev', ...(m.tmpfsOptions ?? []), ...owner] };
      if (m.type === 'devpts') {
        const opts = m.devptsOptions ?? [];
        return { destination: m.destination, type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', ...(opts.some((o) => o.startsWith('mode=')) ? [] : ['mode=0600']), ...opts] };
      }
      if (m.type === 'image') return { destination: m.destination, type: 'bind', source: this.mountImage(c, m, i), options: ['rbind', 'rprivate', rw] };
      const whole = m.type === 'volume' ? volumePath(this.ctx.paths.root, m.source) : m.source;
      const source = m.subpath ? subpathIn(whole, m.subpath, m.source) : whole;
      if (m.type === 'volume' && !m.subpath) this.fillVolume(c, m, source);
      if (m.chown) {
        // The container's IDs as tspod's namespace has them, when the container has a namespace of its own.
        const owner = c.spec.userns ? lazy.containerUserns().intermediateOwner(c.spec.userns, user.uid, user.gid) : user;
        const r = spawnSync('chown', ['-R', `${owner.uid}:${owner.gid}`, source], { encoding: 'utf8' });
        if (r.status !== 0) throw new RuntimeError(`cannot give ${m.source} to the container's user (:U): ${r.stderr.trim()}`);
      }
      return { destination: m.destination, type: 'bind', source, options: [m.nonRecursive ? 'bind' : 'rbind', m.propagation ?? 'rprivate', rw] };
    });
  }

  /**
   * --mount type=image: the image's layers as an overlay of their own under the run directory
   * (read-only, or with rw=true an upper directory in the container's, dropped with it); the path
   * to bind, subpath included. cleanup unmounts it.
   */
  private mountImage(c: Container, m: MountSpec, index: number): string {
    const p = this.ctx.store.pathsOf(c);
    const target = path.join(p.runDir, 'image-mounts', String(index));
    if (!isMountPoint(target)) {
      const lowers = [...(m.layers ?? [])].reverse().map((l) => this.ctx.layers.diffDir(l));
      const missing = lowers.find((l) => !fs.existsSync(l));
      if (missing) throw new InvalidStateError(`the image ${m.source} mounted at ${m.destination} is gone: pull it again, or recreate the container`);
      const rwDirs = m.readOnly ? undefined : path.join(p.dir, 'image-mounts', String(index));
      if (rwDirs) for (const d of ['upper', 'work']) fs.mkdirSync(path.join(rwDirs, d), { recursive: true, mode: 0o755 });
      // Overlay needs two lowers when there is no upper directory.
      if (!rwDirs && lowers.length === 1) lowers.push(this.ctx.layers.emptyDir());
      mountOverlay(this.ctx.driver, { lowers, ...(rwDirs ? { upper: path.join(rwDirs, 'upper'), work: path.join(rwDirs, 'work') } : {}), target }, this.ctx.layers.layersDir, this.ctx.mountProgram);
    }
    const source = m.subpath ? path.join(target, m.subpath) : target;
    if (m.subpath && !fs.existsSync(source)) throw new InvalidStateError(`subpath ${m.subpath} does not exist in image ${m.source}: name a path the image has`);
    return source;
  }

  /** The image mounts of a run (--mount type=image), unmounted. */
  private unmountImages(p: ContainerPaths): void {
    const dir = path.join(p.runDir, 'image-mounts');
    if (!fs.existsSync(dir)) return;
    // Never a recursive delete: a mount that stayed would take the image's files with it.
    for (const d of fs.readdirSync(dir)) {
      unmount(path.join(dir, d));
      fs.rmdirSync(path.join(dir, d));
    }
    fs.rmdirSync(dir);
  }

  /** Rootless, a score below our own cannot be set: the container gets ours, with Podman's warning. */
  private oomScoreAdj(asked: number | undefined): number | undefined {
    if (asked === undefined) return undefined;
    const score = clampOomScoreAdj(asked, readIfExists('/proc/self/oom_score_adj'));
    if (score !== asked) log.warn(`Requested oom_score_adj=${asked} is lower than the current one, changing to ${score}`);
    return score;
  }

  /**
   * The container's cgroup and the limits in it. On cgroups v2 with a subtree delegated to the user,
   * a cgroup of its own below it (runc makes it at create and removes it at delete) holding the
   * limits whose controllers are delegated. Elsewhere none, the limits left out (create warned), as
   * rootless Podman does; on cgroups v1 that costs one stat.
   */
  private cgroupOf(c: Container): { cgroupsPath?: string; resources?: Record<string, unknown> } {
    if (!cgroupsV2()) return {};
    return lazy.resourceCgroups().cgroupSpec(c.id, c.spec.resources, lazy.cgroupDelegation().detectDelegation());
  }

  private writeBundle(c: Container, image: Image, net: PreparedNetwork): void {
    const p = this.ctx.store.pathsOf(c);
    const files = { hosts: path.join(p.bundle, 'hosts'), resolvConf: path.join(p.bundle, 'resolv.conf'), hostname: path.join(p.bundle, 'hostname') };
    fs.writeFileSync(files.hosts, this.network.hostsOf(c, net.mode.kind, net.addresses, net.ips));
    fs.writeFileSync(files.hostname, `${c.spec.hostname}\n`);
    fs.writeFileSync(files.resolvConf, this.network.resolvConfOf(c, net));
    for (const f of Object.values(files)) fs.chmodSync(f, 0o644);
    const inRoot = (f: string) => readIfExists(path.join(p.rootfs, f));
    let init: string | undefined;
    if (c.spec.init) {
      init = c.spec.security?.initPath ?? findProgram('catatonit') ?? undefined;
      if (!init) throw new InvalidStateError('--init needs catatonit: install it with "sudo apt-get install catatonit"');
    }
    const userSpec = c.spec.user ?? image.config.config?.User;
    const cu = c.spec.userns || /^\d+(:|$)/.test(userSpec ?? '') ? lazy.containerUserns() : undefined;
    // Podman's /etc/passwd and /etc/group additions (keep-id's user, --hostuser, a numeric --user).
    const etc = cu ? cu.addPasswdEntries(p.rootfs, c, userSpec, c.spec.workdir || image.config.config?.WorkingDir || '/') : { passwd: inRoot('etc/passwd'), group: inRoot('etc/group') };
    const user = resolveUser(userSpec, etc.passwd, etc.group);
    // A build step makes its stage's WORKDIR as the stage's USER, as Podman does (runc would make it root's).
    if (c.spec.buildOf?.makeWorkdir) makeDirInRoot(p.rootfs, c.spec.workdir || image.config.config?.WorkingDir || '/', user);
    if (cu) user.additionalGids = [...new Set([...user.additionalGids, ...cu.extraGroups(c, etc.group, user.gid)])];
    const keepGroups = c.spec.userns?.groupAdd?.includes('keep-groups');
    const secrets = c.spec.secrets ? lazy.secretUse().secretsAtStart(p.dir, p.runDir, c.spec.secrets) : { env: [], mounts: [] };
    const extraMounts = [...this.prepareMounts(c, user), ...secrets.mounts];
    cu?.openWayIn(c.spec.userns, this.ctx.paths.root, [p.rootfs, files.hosts, ...extraMounts.filter((m) => m.type === 'bind').map((m) => m.source)]);
    const spec = generateSpec({
      extraMounts,
      rootfs: p.rootfs,
      readOnly: c.spec.readOnly,
      image: image.config.config ?? {},
      command: c.spec.command,
      entrypoint: c.spec.entrypoint,
      env: [...(c.spec.links?.length ? this.network.linkEnv(c, net.ips) : []), ...c.spec.env, ...secrets.env],
      workdir: c.spec.workdir,
      user,
      terminal: c.spec.terminal,
      hostname: c.spec.hostname,
      capAdd: c.spec.security?.privileged ? [...c.spec.capAdd, 'ALL'] : c.spec.capAdd,
      capDrop: c.spec.capDrop,
      noNewPrivileges: c.spec.noNewPrivileges,
      network: net.mode.kind === 'host' ? 'host' : net.joinPath ? { path: net.joinPath } : 'private',
      files: { ...files, ...(c.spec.noHosts ? { hosts: undefined } : {}), ...(c.spec.security?.noHostname ? { hostname: undefined } : {}) },
      init,
      nofile: hardNofile(readIfExists('/proc/self/limits')),
      ...this.cgroupOf(c),
      rlimits: c.spec.ulimits,
      shmSize: c.spec.shmSize,
      sysctls: c.spec.sysctls,
      annotations: keepGroups ? { ...c.spec.annotations, 'run.oci.keep_original_groups': '1' } : c.spec.annotations,
      umask: c.spec.umask,
      oomScoreAdj: this.oomScoreAdj(c.spec.oomScoreAdj),
      localtime: c.spec.timezone ? zoneFile(c.spec.timezone) : undefined,
      unsetEnv: c.spec.unsetEnv,
      unsetEnvAll: c.spec.unsetEnvAll,
      userNamespace: cu?.specUserNamespace(c.spec.userns),
    });
    this.shapeSecurity(c, image, spec);
    fs.writeFileSync(path.join(p.bundle, 'config.json'), specJson(spec));
  }

  /** The spec shaped by the container's security flags (oci/security-spec.ts), /run/.containerenv written for it. */
  private shapeSecurity(c: Container, image: Image, spec: Record<string, unknown>): void {
    const sf = lazy.securityFlags();
    const ss = lazy.securitySpec();
    const sec = c.spec.security ?? {};
    const p = this.ctx.store.pathsOf(c);
    const graphRootMounted = (c.spec.mounts ?? []).some((m) => m.type === 'bind' && this.ctx.paths.root.startsWith(m.source));
    const info = sec.privileged ? { engine: `tspod-${VERSION}`, name: c.name, id: c.id, image: c.spec.imageName, imageId: image.id.replace(/^sha256:/, '') } : undefined;
    const containerEnvFile = path.join(p.bundle, '.containerenv');
    fs.writeFileSync(containerEnvFile, ss.containerEnvText(info, graphRootMounted), { mode: 0o644 });
    const owner = (id: string) => {
      const o = this.ctx.store.resolve(id);
      return { name: o.name, state: o.state, pid: o.status.pid };
    };
    const caps = ((spec.process as { capabilities: { effective: string[] } }).capabilities.effective);
    ss.applySecurity(spec, sec, {
      id: c.id,
      readOnly: c.spec.readOnly,
      nsPaths: sf.namespacePaths(sec, owner, c.name),
      privilegedDevices: sec.privileged ? sf.privilegedDevices() : [],
      hostMqueue: fs.existsSync('/dev/mqueue'),
      containerEnvFile,
      apparmor: readIfExists('/sys/module/apparmor/parameters/enabled').startsWith('Y'),
      capabilities: caps,
      cgroupsV2: cgroupsV2(),
    });
  }

  /** What the monitor needs to run the container's healthcheck: the check, its files, how to report a change. */
  private healthArgs(c: Container): GoMessage['health'] {
    const check = c.spec.healthcheck;
    if (!check) return undefined;
    const p = this.ctx.store.pathsOf(c);
    const dir = check.logDestination.startsWith('/') ? check.logDestination : undefined;
    return {
      check,
      stateFile: p.healthFile,
      event: [...this.ctx.self, 'healthcheck', 'event', c.id],
      ...(dir ? { logFile: path.join(dir, `${c.id}-healthcheck.log`) } : {}),
      // A number: node's process.kill knows no SIGRTMIN+3 (--systemd's stop signal).
      stopSignal: realtimeSignal(c.spec.stopSignal) ?? os.constants.signals[c.spec.stopSignal as NodeJS.Signals] ?? 15,
      stopTimeout: c.spec.stopTimeout,
    };
  }

  /** Under a unit of Type=notify: the container runs, and the monitor is the process to watch. */
  private tellSystemd(c: Container, monitorPid: number): void {
    const ready = readyMessage(c.spec.sdNotifyMode ?? 'container', monitorPid);
    try {
      if (ready && notifySystemd(ready)) log.debug(`start: told systemd ${JSON.stringify(ready)}`);
    } catch (err) {
      log.warn(`cannot notify systemd on $NOTIFY_SOCKET (${process.env.NOTIFY_SOCKET}): ${(err as Error).message}`);
    }
  }

  /** $NOTIFY_SOCKET when the container itself is to report readiness to systemd (--sdnotify=container). */
  private containerNotifySocket(c: Pick<Container, 'id'> & { spec: Pick<Container['spec'], 'sdNotifyMode' | 'runtime'> }): string | undefined {
    const socket = process.env.NOTIFY_SOCKET;
    if ((c.spec.sdNotifyMode ?? 'container') !== 'container' || !socket) return undefined;
    const relay = path.join(this.runtime(c).stateDir, c.id, 'notify', 'notify.sock');
    if (Buffer.byteLength(relay) > 107) throw new InvalidStateError(`--sdnotify=container: the runtime's socket for the container would be ${relay}, longer than a socket path may be (107 bytes): set XDG_RUNTIME_DIR to a short directory, or use --sdnotify=conmon`);
    return socket;
  }

  /**
   * Starts the monitor detached. `started` resolves with its report (the container's pid) or
   * rejects with the runtime's error, once `go` let it run the runtime's create. `run` calls it
   * before the container exists, so that the monitor's start-up overlaps with creating it.
   */
  spawnMonitor(c: Pick<Container, 'id'> & { spec: Pick<Container['spec'], 'runtime' | 'terminal' | 'stdin' | 'restartPolicy' | 'sdNotifyMode' | 'timeout' | 'log' | 'conmonPidFile' | 'pidFile'> }): MonitorHandle {
    const p = containerPaths(this.ctx.paths, c.id);
    fs.mkdirSync(p.runDir, { recursive: true, mode: 0o700 });
    claimCreation(p); // before anything else: the directories are this run's until the row exists
    for (const d of [p.bundle, path.dirname(p.attachSocket)]) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
    const runtime = this.runtime(c);
    fs.mkdirSync(runtime.stateDir, { recursive: true, mode: 0o700 });
    const args: MonitorArgs = {
      id: c.id,
      bundle: p.bundle,
      runtime: runtime.binary,
      runtimeRoot: runtime.stateDir,
      createFlags: this.ctx.createFlags,
      runtimeFlags: this.ctx.runtimeFlags,
      logPath: logFileOf(c.spec.log, p.log) ?? p.log,
      ...(c.spec.log?.driver === 'none' || c.spec.log?.driver === 'passthrough' ? { logDriver: c.spec.log.driver } : {}),
      ...(c.spec.log?.maxSize ? { logMaxSize: c.spec.log.maxSize } : {}),
      ...(c.spec.conmonPidFile || c.spec.pidFile ? { userPidFiles: { monitor: c.spec.conmonPidFile, container: c.spec.pidFile } } : {}),
      exitFile: p.exitFile,
      pidFile: p.monitorPidFile,
      cleanup: [...this.ctx.self, 'container', 'cleanup', c.id],
      terminal: c.spec.terminal,
      stdin: c.spec.stdin,
      attachSocket: p.attachSocket,
      consoleSocket: p.consoleSocket,
      restart: c.spec.restartPolicy,
      stateFile: p.monitorState,
      stopFile: p.stopFile,
      notifySocket: this.containerNotifySocket(c),
      ...(c.spec.timeout ? { timeout: c.spec.timeout } : {}),
    };
    // The monitor's bundle sits beside this one (dist/tspod.js, dist/conmon.js).
    const script = path.join(__dirname, 'conmon.js');
    // No V8 flags: a V8 flag (--max-semi-space-size, --single-threaded, ...) makes node reject its
    // built-in code cache (NODE_DEBUG_NATIVE=CODE_CACHE says so; 10-20 ms more CPU at start here),
    // and none lowers the memory: node itself, idle, is 6.2 MiB private dirty (V8's heap from its
    // snapshot, malloc), net and child_process 0.6 more, koffi 0.8 (0.7 of it its .bss), whatever
    // the flags (--jitless, --lite-mode, heap limits, --single-threaded: 6.79-6.91 MiB measured).
    const [node, ...nodeArgs] = nodeCommand(script, [JSON.stringify(args)]);
    const monitor = spawn(node, nodeArgs, {
      detached: true,
      // passthrough: our stdin, stdout and stderr become the monitor's fds 4-6, the container's own.
      stdio: ['pipe', 'ignore', 'ignore', 'pipe', ...(c.spec.log?.driver === 'passthrough' ? [0, 1, 2] : [])],
      cwd: p.bundle,
      env: { ...runtimeEnv(), [NEW_ENV]: '0' },
    });
    monitor.stdin!.on('error', () => undefined);
    const started = new Promise<{ pid: number; monitor: number; helper?: number }>((resolve, reject) => {
      let text = '';
      monitor.on('error', (err) => reject(new RuntimeError(`cannot start the container's monitor: ${err.message}`)));
      monitor.stdio[3]!.on('data', (d: Buffer) => (text += d.toString()));
      monitor.stdio[3]!.on('end', () => {
        monitor.unref();
        (monitor.stdio[3] as unknown as { destroy(): void }).destroy();
        const msg = decodeSync(text);
        if (msg.data > 0) resolve({ pid: msg.data, monitor: monitor.pid!, helper: msg.helper });
        else reject(new StartError(`${path.basename(runtime.binary)}: ${msg.message ?? 'the container did not start'}`));
      });
    });
    started.catch(() => undefined); // awaited after go; a cancelled monitor's rejection is expected
    let gone = false;
    const exit = new Promise<void>((resolve) => monitor.once('exit', () => resolve()));
    void exit.then(() => (gone = true));
    return {
      started,
      go: (helper?: HelperCommand, health?: GoMessage['health']) => monitor.stdin!.end(`go ${JSON.stringify({ helper, health })}\n`),
      cancel: () => {
        monitor.stdin!.destroy();
        monitor.unref();
      },
      exited: async (ms: number) => {
        if (gone) return;
        monitor.ref(); // awaiting alone would not keep this process alive
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exit, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
        clearTimeout(timer);
        monitor.unref();
      },
    };
  }

  /**
   * After the container exited (or never started): the runtime forgets it, the rootfs is
   * unmounted, sockets go. Caller holds the lock. Idempotent; the exit file stays for wait/inspect.
   */
  async cleanup(c: Container, record = true): Promise<void> {
    const p = this.ctx.store.pathsOf(c);
    const wasMounted = c.status.mounted === true;
    this.runtime(c).delete(c.id);
    if (!record || !c.status.userMounts) unmount(p.rootfs); // kept while mounted with `tspod mount`, but not past a removal
    this.unmountImages(p);
    await this.network.releaseBridge(c);
    this.network.release(c);
    fs.rmSync(p.attachSocket, { force: true });
    fs.rmSync(p.consoleSocket, { force: true });
    // Podman's cleanup event: what the run left was torn down (also on the way to a removal).
    if (wasMounted) this.ctx.store.event(c, 'cleanup');
    if (!record) return; // the caller deletes the row
    const exit = readExitFile(p.exitFile);
    const status = { ...c.status, mounted: false, network: undefined };
    if (isUp(c.state)) {
      // The container is gone but nothing recorded it yet (a failed start keeps its state).
      this.ctx.store.save(c, 'exited', { ...status, exitCode: exit?.code ?? c.status.exitCode ?? -1, finishedAt: exit?.at ?? Date.now() });
    } else {
      this.ctx.store.save(c, c.state, status);
    }
  }

  /**
   * Collects what containers without a row left: their directories, sockets, namespace and lock
   * files (a `run` killed before it wrote the row; a removal killed after it deleted it). A `run`
   * still at work keeps its files: its creator or its monitor (waiting for "go" until the row
   * exists) lives, or its directories are only seconds old. One pass over the two containers
   * directories, the locks directory and the IDs. Inside the namespace (the files may belong to subordinate IDs).
   */
  collectOrphans(): string[] {
    const collected: string[] = [];
    for (const id of this.orphans()) {
      const p = containerPaths(this.ctx.paths, id);
      if (!lazy.fileLock().removeLock(p.lockFile)) continue;
      unmount(p.rootfs);
      lazy.rootlessNet().removeNetns(p.netns);
      for (const f of [p.attachSocket, p.consoleSocket, p.slirpSocket]) fs.rmSync(f, { force: true });
      fs.rmSync(p.dir, { recursive: true, force: true });
      fs.rmSync(p.runDir, { recursive: true, force: true });
      collected.push(id);
    }
    if (collected.length) log.debug(`collected the files of ${collected.length} container(s) without a row`);
    return collected;
  }

  /** The IDs of containers without a row whose files no command at work owns (see collectOrphans). Reads only. */
  orphans(): string[] {
    const known = this.ctx.store.ids();
    const list = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);
    const root = path.join(this.ctx.paths.root, 'containers');
    const run = path.join(this.ctx.paths.runroot, 'containers');
    // A removal killed after it deleted the row and the directories leaves only its lock.
    const locks = list(path.join(this.ctx.paths.runroot, 'locks')).map((f) => f.slice(0, 64));
    const candidates = new Set([...list(root), ...list(run), ...locks].filter((id) => /^[0-9a-f]{64}$/.test(id) && !known.has(id)));
    return [...candidates].filter((id) => {
      const p = containerPaths(this.ctx.paths, id);
      return !liveCreator(p) && !liveMonitor(p, id) && !this.youngerThan(p, 5_000);
    });
  }

  /** Made less than ms ago: by birth time, since a monitor that gives up removes its pid file and so touches the directory. */
  private youngerThan(p: ContainerPaths, ms: number): boolean {
    return [p.dir, p.runDir].some((d) => {
      try {
        const st = fs.statSync(d);
        return Date.now() - (st.birthtimeMs > 0 ? st.birthtimeMs : st.mtimeMs) < ms;
      } catch {
        return false;
      }
    });
  }

  /**
   * Deletes everything of a container that is not running. Caller holds the lock. On a full disk
   * the files go first and only then the row, so that the space they free lets the row go too.
   */
  async remove(c: Container): Promise<void> {
    const p = this.ctx.store.pathsOf(c);
    try {
      this.ctx.store.save(c, 'removing', c.status);
    } catch (err) {
      if (!(err instanceof NoSpaceError)) throw err;
      log.debug(`container ${c.id}: cannot mark it removing (${err.message}); removing its files first`);
    }
    await this.cleanup(c, false);
    // Never a recursive delete through a mount: a --rootfs directory bound there is the user's.
    if (isMountPoint(p.rootfs)) throw new RuntimeError(`cannot remove container ${c.name}: ${p.rootfs} is still mounted (umount it and try again)`);
    for (const f of [c.spec.conmonPidFile, c.spec.pidFile]) if (f) fs.rmSync(f, { force: true });
    // Asynchronous, so that removals of several containers overlap on libuv's threads.
    await Promise.all([p.dir, p.runDir].map((d) => fs.promises.rm(d, { recursive: true, force: true })));
    this.ctx.store.deleteRecorded(c);
  }
}

/** A directory made (0755) inside a mounted rootfs where missing, each missing component owned by owner; symlinks on the way stay inside it. */
function makeDirInRoot(rootfs: string, dir: string, owner: { uid: number; gid: number } = { uid: 0, gid: 0 }): void {
  const parts = dir.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const target = lazy.containerCopy().resolveInRoot(rootfs, `/${parts.slice(0, i).join('/')}`, true);
    if (fs.existsSync(target)) continue;
    fs.mkdirSync(target, { mode: 0o755 });
    fs.chownSync(target, owner.uid, owner.gid);
  }
}

/**
 * A volume's subpath as the directory or file it resolves to, which must stay inside the volume: a
 * symbolic link in the volume (an image's, copied in when it was filled, or one a container made)
 * never takes a mount out of it (Kubernetes' subPath rule). Checked when the mount is made.
 */
function subpathIn(whole: string, subpath: string, volume: string): string {
  const joined = path.join(whole, subpath);
  if (!fs.existsSync(joined)) throw new InvalidStateError(`subpath ${subpath} does not exist in volume ${volume}: create it there first`);
  const real = fs.realpathSync(joined);
  const root = fs.realpathSync(whole);
  if (real !== root && !real.startsWith(`${root}/`)) throw new InvalidStateError(`subpath ${subpath} of volume ${volume} leads out of the volume (to ${real}) through a symbolic link: a mount is never given more than its volume; use a subpath that is a directory or file of the volume itself`);
  return real;
}
