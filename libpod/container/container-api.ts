// One container's lifecycle on the Runtime: start (attached or not), stop, kill, remove, cleanup,
// exec and live network changes. The lock is the container's lock directory under the runroot (lock → reload → act →
// save); each method says which states it accepts and produces, and whether it takes the lock
// itself (every method here does, unless it says the caller holds it or that none is needed).
// The container engine turns names into reports around these; the network, volume and image
// engines reach containers only through here and container-users.ts.
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { DependencyError, InvalidStateError, NoSuchContainerError, TspodError } from '../../src/errors';
import { log } from '../../src/log';
import { nodeCommand } from '../../src/node-command';
import { readIfExists } from '../../src/files';
import { capabilities, parseSpecJson, resolveUser, specJson } from '../oci/spec';
import { createFlags, type ExecIo } from '../oci/runtime';
import { inheritedGlobalFlags } from '../../src/global-options';
import type { Runtime } from '../runtime';
import type { Image } from '../image/image-store';
import type { Attachment, Network } from '../network/user-network';
import { destroyVolume } from '../volume/volume-store';
import { isUp, type Container } from './container';
import { isSameProcess, readExitFile, signalContainer, type ContainerStore } from './container-store';
import { attachTo, type AttachResult } from './attach-client';
import { ContainerRunner, type MonitorHandle } from './container-runner';
import { containersUsingVolume } from './container-users';
import { randomHex } from '../../src/random';
import type { UpdateOptions } from './container-update';

/* eslint-disable @typescript-eslint/no-require-imports */
const fileLock = () => require('../lock/file-lock') as typeof import('../lock/file-lock');
const createSpec = () => require('./create-spec') as typeof import('./create-spec');
const containerUpdate = () => require('./container-update') as typeof import('./container-update');
const resourceFlags = () => require('./resource-flags') as typeof import('./resource-flags');
const resourceCgroups = () => require('./resource-cgroups') as typeof import('./resource-cgroups');
const cgroupDelegation = () => require('../host/cgroup-delegation') as typeof import('../host/cgroup-delegation');
const ownCgroup = (c: Container) => (require('./container-cgroup') as typeof import('./container-cgroup')).ownCgroupDir(c.id, c.status.pid);
const pauseProcess = () => require('../rootless/pause-process') as typeof import('../rootless/pause-process');
const podExit = () => require('../pod/pod-exit') as typeof import('../pod/pod-exit');
/* eslint-enable @typescript-eslint/no-require-imports */

export interface IoStreams {
  input: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** run --attach: the streams not named go nowhere (the container's log still has them). */
export function attachedStreams(io: IoStreams, attach: Array<'stdin' | 'stdout' | 'stderr'>): IoStreams {
  if (!attach.length) return io;
  const nowhere = () => new Writable({ write: (_chunk, _enc, done) => done() }) as unknown as NodeJS.WriteStream;
  return { input: io.input, stdout: attach.includes('stdout') ? io.stdout : nowhere(), stderr: attach.includes('stderr') ? io.stderr : nowhere() };
}

export interface Report {
  id: string;
  /** As the caller named it (an ID for --all). */
  name: string;
  /** The container's own name, once resolved. */
  containerName?: string;
  error?: Error;
}

/** How many containers one `rm` removes at a time (the directories' deletion overlaps on libuv's threads). */
const REMOVE_PARALLEL = 8;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ContainerApi {
  constructor(private readonly rt: Runtime) {}

  get store(): ContainerStore {
    return this.rt.containers();
  }

  /** Inside the namespace: the runner over this store's layers and overlay driver. */
  runner(): ContainerRunner {
    const rt = this.rt;
    const { paths, config } = rt;
    // Lazy: spawning the monitor (the first thing `run` does) must not wait for the database.
    return new ContainerRunner({
      paths,
      mountProgram: config.storage.mountProgram,
      createFlags: createFlags(config),
      runtimeFlags: config.engine.runtimeFlags,
      self: nodeCommand(process.argv[1], ['--root', paths.root, '--runroot', paths.runroot, ...inheritedGlobalFlags()]),
      get store() {
        return rt.containers();
      },
      get layers() {
        return rt.layerStore();
      },
      get driver() {
        return rt.storageDriver();
      },
    });
  }

  /** The container's lock (a lock directory under the runroot) around fn: lock → reload → act → save. */
  withLock<T>(c: Container, fn: (fresh: Container | undefined) => Promise<T> | T): Promise<T> {
    return fileLock().withLock(this.store.pathsOf(c).lockFile, () => fn(this.store.reload(c.id)), `lock of container ${c.name}`);
  }

  imageOf(c: Container): Image {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (c.spec.rootfs) return (require('./logs-secrets-flags') as typeof import('./logs-secrets-flags')).rootfsImage();
    return this.rt.imageStore().resolve(c.spec.imageId);
  }

  /**
   * Resolves each name and runs fn on it; a failure is that name's report, the others go on.
   * parallel: all at once (true), at most that many at a time (a number), else one by one.
   * Reports come in the order of names.
   */
  async each(names: string[], fn: (c: Container) => Promise<void> | void, parallel: boolean | number = false): Promise<Report[]> {
    const one = async (n: string): Promise<Report> => {
      try {
        const c = this.store.resolve(n);
        await fn(c);
        return { id: c.id, name: n, containerName: c.name };
      } catch (err) {
        return { id: '', name: n, error: err as Error };
      }
    };
    if (parallel === true) return Promise.all(names.map(one));
    const out: Report[] = new Array(names.length);
    let next = 0;
    const worker = async () => {
      while (next < names.length) {
        const i = next++;
        out[i] = await one(names[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(Number(parallel) || 1, names.length)) }, worker));
    return out;
  }

  /**
   * Starts a container: accepts created or exited (running is left as it is), produces running.
   * Takes the lock; with attach, connects before the command runs. Inside the namespace.
   */
  async start(c: Container, attach?: () => Promise<void>, monitor?: MonitorHandle): Promise<void> {
    await this.startRequired(c);
    await this.withLock(c, async (fresh) => {
      log.debug(`start: locked ${c.name}`);
      if (!fresh || fresh.state === 'running') monitor?.cancel();
      if (!fresh) throw new NoSuchContainerError(c.name);
      if (fresh.state === 'running') return;
      await this.runner().start(fresh, this.imageOf(fresh), attach, monitor);
      Object.assign(c, fresh);
    });
  }

  /**
   * --requires: the containers this one needs, started first (and theirs before them). They were
   * created before it, so the chain has no cycle.
   */
  private async startRequired(c: Container): Promise<void> {
    for (const id of c.spec.requires ?? []) {
      let dep: Container;
      try {
        dep = this.store.resolve(id);
      } catch (err) {
        if (!(err instanceof NoSuchContainerError)) throw err;
        throw new InvalidStateError(`container ${c.name} requires container ${id.slice(0, 12)}, which no longer exists: re-create ${c.name} without --requires ${id.slice(0, 12)}`);
      }
      if (!isUp(dep.state)) await this.start(dep);
    }
  }

  /** Attaches (when asked) and starts (see start); resolves with the attach session's end. The lock is start's. */
  async startAttached(c: Container, io: IoStreams, opts: { stdin: boolean; detachKeys: Buffer; cleanup?: boolean; monitor?: MonitorHandle; sigProxy?: boolean }): Promise<AttachResult> {
    let done: Promise<AttachResult> | undefined;
    const cleanup = opts.cleanup ? () => this.cleanupNamed(c.id) : undefined;
    await this.start(c, async () => {
      ({ done } = await attachTo(this.store.pathsOf(c).attachSocket, { stdin: opts.stdin, tty: c.spec.terminal, detachKeys: opts.detachKeys, cleanup, ...io }));
    }, opts.monitor);
    // Non-tty: signals sent to tspod go to the container (Podman's --sig-proxy, on unless false).
    const proxy = (sig: NodeJS.Signals) => void signalContainer(c, sig);
    const proxied: NodeJS.Signals[] = c.spec.terminal || opts.sigProxy === false ? [] : ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];
    for (const s of proxied) process.on(s, proxy);
    const result = await done!;
    for (const s of proxied) process.off(s, proxy);
    return result;
  }

  /** The exit code of a container the attach session did not report (its monitor died, or we detached). */
  exitCodeAfter(c: Container, result: AttachResult): number {
    if (result.exitCode !== undefined) return result.exitCode;
    const fresh = this.store.reload(c.id);
    if (fresh?.state === 'exited') return fresh.status.exitCode ?? 125;
    const exit = readExitFile(this.store.pathsOf(c).exitFile);
    if (exit) return exit.code;
    throw new TspodError(`lost the connection to container ${c.name}'s monitor before it reported an exit code: see "tspod ps -a" and "tspod logs ${c.name}"`);
  }

  /**
   * Waits until the monitor has recorded the exit (or died). Polls the files, which is cheap; the
   * database is read only once they say the container is done (stop -a runs this for every one).
   */
  private async waitExited(c: Container, timeoutMs: number): Promise<boolean> {
    const p = this.store.pathsOf(c);
    const deadline = Date.now() + timeoutMs;
    // Every 10 or 25 ms at first, then less often: stop -a with hundreds of containers polls for
    // each of them while their monitors need the CPU to record the exits.
    for (let n = 0; Date.now() < deadline; n++) {
      if (fs.existsSync(p.exitFile) || !isSameProcess(c.status.monitorPid, c.status.monitorStart)) {
        const fresh = this.store.reload(c.id);
        if (!fresh || fresh.state === 'exited') return true;
      }
      await sleep(Math.min(250, (isSameProcess(c.status.pid, c.status.pidStart) ? 25 : 10) * 1.2 ** n));
    }
    return false;
  }

  /** Marks the run as ended by the user: the monitor does not restart it, `unless-stopped` stays down. No lock (a flag file and the status). */
  markStoppedByUser(c: Container): void {
    const p = this.store.pathsOf(c);
    fs.mkdirSync(p.runDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(p.stopFile, '');
    this.store.save(c, c.state, { ...c.status, stoppedByUser: true }, c.state);
  }

  /**
   * Stop signal, then SIGKILL after the timeout; accepts any state (c freshly resolved; not up is
   * left alone), produces exited (running passes through stopping). No lock: the monitor records
   * the exit under its own. From outside the namespace.
   */
  async stop(c: Container, timeout: number | undefined): Promise<void> {
    if (c.state === 'initialized') return this.stopInitialized(c);
    if (!isUp(c.state)) return;
    const secs = timeout ?? c.spec.stopTimeout;
    this.markStoppedByUser(c);
    const start = pauseProcess().processStartTime(process.pid);
    if (c.state === 'running') this.store.save(c, 'stopping', { ...c.status, stopper: start ? { pid: process.pid, start } : undefined }, 'running');
    const signal = (sig: string) => signalContainer(c, sig);
    if (secs > 0) {
      signal(c.spec.stopSignal);
      if (await this.waitExited(c, secs * 1000)) return;
      log.warn(`StopSignal ${c.spec.stopSignal} failed to stop container ${c.name} in ${secs} seconds, resorting to SIGKILL`);
    }
    signal('SIGKILL');
    if (await this.waitExited(c, 10_000)) return;
    // Its PID 1 is gone, so it did exit: its monitor, busy among many exits at once (stop -a with
    // hundreds), has yet to record it. Waiting on is bounded by the monitor: if it dies, the
    // reload records the exit.
    if (!isSameProcess(c.status.pid, c.status.pidStart) && (await this.waitExited(c, 120_000))) return;
    throw new InvalidStateError(`container ${c.name} did not exit after SIGKILL: see "tspod ps -a"`);
  }

  /** An initialized container's runc init ended (its command never ran): its monitor records the exit. No lock. */
  private async stopInitialized(c: Container): Promise<void> {
    this.markStoppedByUser(c);
    signalContainer(c, 'SIGKILL');
    if (await this.waitExited(c, 10_000)) return;
    throw new InvalidStateError(`container ${c.name} did not exit after SIGKILL: see "tspod ps -a"`);
  }

  /**
   * `init`: each container made by the runtime without starting its command: accepts created or
   * exited, produces initialized. Takes the lock. Inside the namespace.
   */
  async init(c: Container): Promise<void> {
    await this.withLock(c, async (fresh) => {
      if (!fresh) throw new NoSuchContainerError(c.name);
      await this.runner().initOnly(fresh, this.imageOf(fresh));
      Object.assign(c, fresh);
    });
  }

  /**
   * `update`: the spec changed as container-update.ts says; accepts any state but removing. The
   * limits of a container the runtime knows go to its cgroup where the user may write one (cgroups
   * v2); on cgroups v1 they are recorded with create's warning. Takes the lock. Inside the namespace.
   */
  async update(c: Container, opts: UpdateOptions): Promise<void> {
    const upd = containerUpdate();
    const rf = resourceFlags();
    await this.withLock(c, async (fresh) => {
      if (!fresh) throw new NoSuchContainerError(c.name);
      if (fresh.state === 'removing') throw new InvalidStateError(`container ${fresh.id} is being removed, cannot update: container state improper`);
      const next = upd.updatedSpec(fresh.spec, opts);
      const live = isUp(fresh.state) || fresh.state === 'initialized';
      const limits = upd.resourcesGiven(opts.resources);
      // runc update writes the cgroup the container was created in (its linux.cgroupsPath); only
      // the limits whose controllers are delegated, as at create.
      const applied = limits && rf.cgroupsV2() ? resourceCgroups().applicableLimits(next.resources ?? {}, cgroupDelegation().detectDelegation()) : undefined;
      for (const w of applied?.warnings ?? []) log.warn(w);
      if (applied && live && ownCgroup(fresh)) {
        const file = path.join(this.store.pathsOf(fresh).runDir, `update-${randomHex(6)}.json`);
        fs.writeFileSync(file, JSON.stringify(rf.ociResources(applied.applied ?? {})));
        try {
          this.runner().runtime(fresh).update(fresh.id, file);
        } finally {
          fs.rmSync(file, { force: true });
        }
      } else if (applied?.applied && live) {
        log.warn(`the new limits of ${fresh.name} apply from its next start: it was started without a cgroup of its own`);
      }
      this.store.updateSpec(fresh, next);
      if (limits && !rf.cgroupsV2()) log.warn(rf.CGROUP_V1_ROOTLESS_WARNING);
      if (opts.restart !== undefined && live) log.warn(`the restart policy of ${fresh.name} applies from its next start: its monitor keeps the one it was started with`);
      Object.assign(c, fresh);
    });
  }

  /**
   * Sends a signal (normalized) to the container's PID 1 through the OCI driver: accepts running
   * or stopping; the state is the monitor's to record. A signal that ends processes marks the run
   * ended by the user. No lock. From outside the namespace.
   */
  kill(c: Container, sig: string): void {
    // Between two runs (a restart policy's, or --health-on-failure restart's) there is no process
    // to signal; a signal that would end it ends the restarting: the monitor starts nothing again.
    if (c.state === 'restarting' && ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT'].includes(sig)) {
      this.markStoppedByUser(c);
      this.store.event(c, 'kill');
      return;
    }
    if (c.state !== 'running' && c.state !== 'stopping') throw new InvalidStateError(`can only kill running containers. ${c.id.slice(0, 12)} is in state ${c.state}: container state improper`);
    // A signal that ends processes ends the run too: the restart policy does not bring it back.
    if (['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT'].includes(sig) && isSameProcess(c.status.pid, c.status.pidStart)) this.markStoppedByUser(c);
    if (!signalContainer(c, sig)) throw new InvalidStateError(`container ${c.name} is not running`);
    this.store.event(c, 'kill');
  }

  /**
   * Removes a container: accepts any state; an up one only with force (stopped first, timeout
   * default 0), else refused. Produces no row and no files. Takes the lock for the removal
   * itself; with volumes its anonymous volumes go too. Inside the namespace.
   */
  async remove(c: Container, opts: { force: boolean; timeout?: number; volumes?: boolean; byBuild?: boolean }): Promise<void> {
    if (c.spec.buildOf && !opts.byBuild && isSameProcess(c.spec.buildOf.pid, c.spec.buildOf.start)) {
      throw new InvalidStateError(`container ${c.name} is a build container of the build running as process ${c.spec.buildOf.pid}: it is removed when that build ends (stop the build with ctrl-c)`);
    }
    if (c.state === 'initialized') await this.stop(c, 0); // its monitor records the end before the files go
    if (isUp(c.state)) {
      if (!opts.force) throw new InvalidStateError(`cannot remove container ${c.id} as it is running - running or paused containers cannot be removed without force: container state improper`);
      await this.stop(c, opts.timeout ?? 0);
    }
    await this.withLock(c, async (fresh) => {
      if (!fresh) return;
      await this.runner().remove(fresh);
      if (opts.volumes) this.removeAnonymousVolumes(fresh);
    });
  }

  /**
   * remove for each name, then what killed runs and removals left without a row: a report each.
   * REMOVE_PARALLEL at a time, each under its own lock (their files go on libuv's threads); with
   * volumes one by one, since whether an anonymous volume goes depends on the containers left.
   */
  async removeMany(names: string[], opts: { force: boolean; timeout?: number; volumes?: boolean; removingPod?: boolean }): Promise<Report[]> {
    // A container others --require stays unless they go in the same call (Podman's rm refuses it too).
    const all = this.store.list();
    const going = new Set(names.map((n) => all.find((c) => c.id === n || c.name === n)?.id ?? n));
    const refuseIfRequired = (c: Container) => {
      // A pod's infra container goes only with its pod (pod rm), as in Podman.
      if (c.spec.pod && !opts.removingPod && this.rt.pods().reload(c.spec.pod)?.spec.infraId === c.id) {
        throw new DependencyError(`container ${c.id} is the infra container of pod ${c.spec.pod} and cannot be removed without removing the pod: remove the pod (tspod pod rm ${c.spec.pod.slice(0, 12)})`);
      }
      const dependents = all.filter((o) => o.spec.requires?.includes(c.id) && !going.has(o.id) && !going.has(o.name));
      if (dependents.length) throw new DependencyError(`container ${c.id} has dependent containers which must be removed before it: ${dependents.map((d) => d.id).join(', ')}: remove them first, or use rm --depend`);
    };
    const reports = await this.each(names, (c) => (refuseIfRequired(c), this.remove(c, opts)), opts.volumes ? false : REMOVE_PARALLEL);
    this.runner().collectOrphans();
    return reports;
  }

  /** rm -v and --rm: the container's anonymous volumes go with it (named ones never do), unless another container mounts them too. The caller holds the lock. */
  private removeAnonymousVolumes(c: Container): void {
    for (const m of c.spec.mounts ?? []) {
      if (m.type !== 'volume' || !m.anonymous) continue;
      if (containersUsingVolume(this.rt, m.source).some((o) => o.id !== c.id)) continue;
      destroyVolume(this.rt, m.source);
    }
  }

  /** cleanup of a container by name or ID; one removed meanwhile has nothing left to clean. */
  async cleanupNamed(nameOrId: string): Promise<void> {
    let c: Container;
    try {
      c = this.store.resolve(nameOrId);
    } catch (err) {
      if (err instanceof NoSuchContainerError) return; // removed meanwhile: nothing left to clean
      throw err;
    }
    await this.cleanup(c);
  }

  /**
   * `container cleanup`, run by the monitor after the exit: accepts exited or created (an up or
   * vanished one is left alone); unmounts and deletes the runtime's state, or with --rm removes
   * the container and its anonymous volumes. Takes the lock. Inside the namespace.
   */
  async cleanup(c: Container): Promise<void> {
    let exited = false;
    await this.withLock(c, async (fresh) => {
      if (!fresh || isUp(fresh.state)) return;
      exited = true;
      const runner = this.runner();
      if (fresh.spec.autoRemove) {
        await runner.remove(fresh);
        this.removeAnonymousVolumes(fresh);
      } else await runner.cleanup(fresh);
    });
    // --exit-policy stop: the last of a pod's containers to exit stops its infra container; not a
    // late cleanup of one that was started again meanwhile (pod restart), which would stop a live pod.
    const infra = exited && c.spec.pod ? podExit().infraToStop(this.rt, c) : undefined;
    if (infra) {
      await this.stop(infra, undefined);
      this.store.event(infra, 'stop');
    }
  }

  /** `network connect` of a running container on user-defined networks: accepts running only; a new veth, address and name, live. Takes the lock. Inside the namespace. */
  async connectLive(c: Container, net: Network, attachment: Attachment): Promise<void> {
    await this.withLock(c, async (fresh) => {
      if (!fresh || fresh.state !== 'running') throw new InvalidStateError(`${c.name} stopped meanwhile: connect it again`);
      await this.runner().network.connect(fresh, net, attachment);
    });
  }

  /** `network disconnect` of a running container from one of its several user-defined networks: accepts running only. Takes the lock. Inside the namespace. */
  async disconnectLive(c: Container, network: string): Promise<void> {
    await this.withLock(c, async (fresh) => {
      if (!fresh || fresh.state !== 'running') throw new InvalidStateError(`${c.name} stopped meanwhile: disconnect it again`);
      await this.runner().network.disconnect(fresh, network);
    });
  }

  /**
   * `exec`: a process in a running container (the caller checked running), through the OCI
   * runtime: the container's process settings with cmd, env added, user and workdir as asked.
   * No lock: the runtime joins the running container. io: streams to run on instead of tspod's
   * own stdio (the API's exec). Inside the namespace.
   */
  async exec(c: Container, cmd: string[], opts: ExecOptions, stderr: NodeJS.WritableStream, io?: ExecIo): Promise<number> {
    const p = this.store.pathsOf(c);
    // runc's exec joins the container's user namespace first, and from there cannot enter a network
    // namespace that tspod's namespace owns (a user-defined network's, another container's).
    if (c.spec.userns?.uidMap && (c.spec.network === 'bridge' || c.spec.network.startsWith('container:'))) {
      throw new InvalidStateError(`cannot exec in ${c.name}: it has a user namespace of its own (--userns ${c.spec.userns.mode || 'private'}) but a network namespace it does not own (--network ${c.spec.network === 'bridge' ? (c.spec.networks ?? []).map((n) => n.name).join(',') : c.spec.network}), which runc cannot enter after the user namespace; run it with --network slirp4netns or pasta to exec in it`);
    }
    const spec = parseSpecJson(fs.readFileSync(path.join(p.bundle, 'config.json'), 'utf8')) as { process: Record<string, unknown> };
    const proc: Record<string, unknown> & { env: string[] } = { env: [], ...spec.process, args: cmd, terminal: opts.tty };
    const extra = createSpec().parseEnv(opts.env, opts.envFiles);
    const keys = new Set(extra.map((e) => e.slice(0, e.indexOf('='))));
    proc.env = [...proc.env.filter((e) => !keys.has(e.slice(0, e.indexOf('=')))), ...extra];
    if (opts.workdir) proc.cwd = opts.workdir;
    if (opts.privileged) {
      const all = capabilities(['ALL'], []);
      proc.capabilities = { bounding: all, effective: all, permitted: all };
    }
    if (opts.user) {
      const read = (f: string) => readIfExists(path.join(p.rootfs, f));
      const u = resolveUser(opts.user, read('etc/passwd'), read('etc/group'));
      proc.user = { uid: u.uid, gid: u.gid, ...(u.additionalGids.length ? { additionalGids: u.additionalGids } : {}) };
    }
    const processFile = path.join(p.runDir, `exec-${randomHex(6)}.json`);
    fs.writeFileSync(processFile, specJson(proc));
    let exitCode: number | undefined;
    try {
      this.store.event(c, 'exec');
      const code = await this.runner().runtime(c).exec(c.id, processFile, opts.interactive, stderr, opts.detach, io);
      // A detached exec's end is not waited for: its exec_died is not known here.
      if (!opts.detach) exitCode = code;
      return code;
    } finally {
      fs.rmSync(processFile, { force: true });
      if (exitCode !== undefined) this.store.event(c, 'exec_died', undefined, exitCode);
    }
  }
}

export interface ExecOptions {
  interactive: boolean;
  tty: boolean;
  env: string[];
  envFiles: string[];
  user?: string;
  workdir?: string;
  /** Every capability for this process (the container keeps its own set). */
  privileged?: boolean;
  /** Started in the background: tspod returns at once, the process's output is not kept. */
  detach?: boolean;
}

export function containerApi(rt: Runtime): ContainerApi {
  return new ContainerApi(rt);
}
