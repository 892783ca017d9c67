// Containers in the state database, and their state derived without a daemon: a container recorded
// as running is exited once its exit file exists (the monitor wrote the code), or once its monitor
// is gone (killed): then the container is killed too, and recorded with the reason. Every command
// that reads a container syncs it first (Podman's syncContainer); the update is a compare-and-set,
// so two processes that notice the same exit record it once.
import { readHealth } from '../../conmon/health';
import fs from 'node:fs';
import { InvalidArgumentError, NoSpaceError, NoSuchContainerError } from '../../src/errors';
import { log } from '../../src/log';
import type { Paths } from '../../src/paths';
import { readIfExists } from '../../src/files';
import type { State } from '../state/state';
import { withDefaultNetwork, type Network } from '../network/user-network';
import type { ContainerSpec } from './container';
import type { MonitorState } from '../../conmon/protocol';
import { processStartTime } from '../rootless/pause-process';
import { recordEvent } from '../event-log';
import { heldByAnother, lockState } from '../lock/file-lock';
import { creationRecord, killGroup, liveCreator, liveMonitor, livePid1, releaseCreation, requestCleanup } from './container-facts';
import { containerPaths, isUp, toContainer, type Container, type ContainerPaths, type ContainerState, type ContainerStatus } from './container';
import { killInit } from '../oci/runtime';

/** True when pid is alive and is still the process that started at startTime. */
export function isSameProcess(pid: number | undefined, startTime: string | undefined): boolean {
  if (!pid || !startTime) return false;
  return processStartTime(pid) === startTime;
}

/** Signals the container's PID 1 if it is still that process; false when it is gone. */
export function signalContainer(c: Container, signal: string): boolean {
  if (!isSameProcess(c.status.pid, c.status.pidStart)) return false;
  return killInit(c.status.pid!, signal);
}

/** The exit code the monitor wrote, with the time it was written; null when there is none (yet). */
export function readExitFile(file: string): { code: number; at: number } | null {
  // Missing while the container runs: readIfExists finds that without throwing (ps -a looks in each).
  const text = readIfExists(file).trim();
  if (!/^-?\d+$/.test(text)) return null;
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st ? { code: Number(text), at: st.mtimeMs } : null;
}

export class ContainerStore {
  constructor(
    private readonly state: State,
    private readonly paths: Paths,
  ) {}

  /** The IDs of the pods a name or ID (prefix) names: what --filter pod= matches the containers' spec.pod against. */
  podIdsNamed(ref: string): string[] {
    return this.state.findPodIds(ref);
  }

  pathsOf(c: Container | string): ContainerPaths {
    return containerPaths(this.paths, typeof c === 'string' ? c : c.id);
  }

  /** The container a name, full ID or unique ID prefix names, synced with its files. */
  resolve(nameOrId: string): Container {
    const ids = this.state.findContainerIds(nameOrId);
    if (ids.length > 1) throw new InvalidArgumentError(`more than one result for container "${nameOrId}": give more of the ID, or the name`);
    const row = ids.length ? this.state.getContainer(ids[0]) : undefined;
    if (!row) throw new NoSuchContainerError(nameOrId);
    return this.sync(toContainer(row));
  }

  /** Re-reads a container; undefined once it was removed. */
  reload(id: string): Container | undefined {
    const row = this.state.getContainer(id);
    return row && this.sync(toContainer(row));
  }

  /** Replaces the spec (what create decided): only network connect/disconnect of a stopped container does. */
  updateSpec(c: Container, spec: ContainerSpec): void {
    this.state.updateContainerConfig(c.id, spec);
    c.spec = spec;
  }

  /** The user-defined networks and the default one (for starting containers on them). */
  networks(): Network[] {
    return withDefaultNetwork(this.state.listNetworks() as Network[]);
  }

  list(): Container[] {
    return this.state.listContainers().map((r) => this.sync(toContainer(r)));
  }

  ids(): Set<string> {
    return new Set(this.state.containerIds());
  }

  nameTaken(name: string): boolean {
    return this.state.findContainerIds(name).some((id) => this.state.getContainer(id)?.name === name);
  }

  insert(c: Container): void {
    this.state.insertContainer({ id: c.id, name: c.name, imageId: c.spec.imageId, state: c.state, createdAt: c.createdAt, config: c.spec, status: c.status });
  }

  /** Saves state and status; with `from`, only if the stored state is still that one. */
  save(c: Container, state: ContainerState, status: ContainerStatus, from?: ContainerState): boolean {
    const ok = this.state.updateContainer(c.id, state, status, from);
    if (ok) {
      c.state = state;
      c.status = status;
    }
    return ok;
  }

  /**
   * Records a container event (create, init, start, attach, died, cleanup, remove, exec, ...) as
   * Podman does: its attributes are the container's labels; died, exec_died and remove carry an
   * exit code.
   */
  event(c: Container, action: string, atMs?: number, exitCode?: number, healthStatus?: string): void {
    recordEvent(this.state, 'container', action, { id: c.id, name: c.name, image: c.spec.imageName, attributes: c.spec.labels ?? {}, exitCode, ...(healthStatus ? { healthStatus } : {}) }, atMs);
  }

  /** The healthcheck's status ('' without one): starting until the monitor records a result. */
  healthStatus(c: Container): string {
    if (!c.spec.healthcheck) return '';
    return readHealth(this.pathsOf(c).healthFile)?.Status ?? 'starting';
  }

  delete(id: string): void {
    this.state.deleteContainer(id);
  }

  /**
   * Deletes the row and records the remove event in one transaction (fewer new pages than two,
   * which matters on a full disk); if even that finds no room, the row goes without its event.
   */
  deleteRecorded(c: Container): void {
    try {
      this.state.exclusive(() => {
        this.state.deleteContainer(c.id);
        this.event(c, 'remove', undefined, c.status.exitCode);
      });
    } catch (err) {
      if (!(err instanceof NoSpaceError)) throw err;
      this.state.deleteContainer(c.id);
      log.warn(`the remove event of container ${c.name} was not recorded: ${err.message}`);
    }
  }

  /**
   * Brings a running (or stopping) container's record up to date with its files and processes.
   * Accepts any state; produces `exited` when the container is found gone.
   */
  sync(c: Container): Container {
    if (c.state === 'created' || c.state === 'exited') return this.reconcileStart(c);
    if (c.state === 'removing') return this.reconcileRemoving(c);
    // An initialized container's monitor watches runc's init as it would the command.
    if (!isUp(c.state) && c.state !== 'initialized') return c;
    const p = this.pathsOf(c);
    const exit = readExitFile(p.exitFile);
    if (exit) {
      this.record(c, { ...c.status, exitCode: exit.code, finishedAt: exit.at, restartCount: this.monitorState(c)?.restartCount ?? c.status.restartCount });
      return c;
    }
    if (isSameProcess(c.status.monitorPid, c.status.monitorStart)) return c.state === 'initialized' ? this.reconcileInitialized(c) : c.state === 'stopping' ? this.reconcileStopping(c) : this.followRestarts(c);
    // The exit file may have been written just after we looked, before the monitor exited.
    const late = readExitFile(p.exitFile);
    if (late) {
      this.record(c, { ...c.status, exitCode: late.code, finishedAt: late.at });
      return c;
    }
    const killed = signalContainer(c, 'SIGKILL');
    // Deleting the network namespace file ends pasta (slirp4netns ended with the monitor); the
    // bind mount in tspod's mount namespace goes with it. The next cleanup does the rest.
    if (c.status.network?.netns) fs.rmSync(c.status.network.netns, { force: true });
    const error = `the container's monitor (pid ${c.status.monitorPid}) died without recording an exit code${killed ? ', so the container was killed' : ''}`;
    this.record(c, { ...c.status, exitCode: killed ? 137 : -1, finishedAt: Date.now(), error });
    return c;
  }

  /**
   * A created or exited container with a start in flight (its creator file) whose `run` or `start` was
   * killed: its PID 1 running its command under a live monitor makes it running (what the start
   * would have saved); otherwise the half-made start is ended (the monitor's process group: the
   * runtime, runc's init, slirp4netns; the namespace file, which ends pasta), it stays created with
   * the reason, and its cleanup is started (rootfs, network namespace). A lock this process holds
   * does not stop the repair: `start` after a killed run must not start it a second time. Cheap
   * when nothing is wrong: one failed read of the creator file.
   */
  private reconcileStart(c: Container): Container {
    const p = this.pathsOf(c);
    // A start of a tspod that wrote no creator file leaves a mounted created row with a live monitor.
    const inFlight = creationRecord(p) !== undefined || (c.state === 'created' && c.status.mounted && liveMonitor(p, c.id));
    if (!inFlight || liveCreator(p) || heldByAnother(p.lockFile)) return c;
    const monitor = liveMonitor(p, c.id);
    const pid1 = livePid1(p);
    if (monitor && pid1?.started) {
      // The start saved the network (addresses too) before it let the monitor create the container.
      const network = c.status.network ?? (fs.existsSync(p.netns) ? { netns: p.netns } : undefined);
      const status: ContainerStatus = { ...c.status, mounted: true, runtimeRoot: monitor.runtimeRoot ?? c.status.runtimeRoot, network, restartCount: 0, pid: pid1.pid, pidStart: pid1.start, monitorPid: monitor.pid, monitorStart: monitor.start, startedAt: pid1.since, exitCode: undefined, finishedAt: undefined, error: undefined };
      if (this.save(c, 'running', status, c.state)) {
        releaseCreation(p);
        this.event(c, 'start');
      }
      return this.reloadInto(c);
    }
    if (monitor) killGroup(monitor.pid);
    if (pid1) killGroup(pid1.pid);
    fs.rmSync(p.netns, { force: true });
    const error = 'the command that started it was killed before its command ran: start it again, or remove it';
    if (this.save(c, c.state, { ...c.status, mounted: true, error }, c.state)) {
      releaseCreation(p);
      requestCleanup(this.paths, c.id);
    }
    return this.reloadInto(c);
  }

  /**
   * An initialized container whose command runs: a `start` killed after the runtime's start (and
   * before it saved running) leaves it so. It is running, as that start would have saved. Cheap
   * while it waits: one read of the pid file and of its process's name.
   */
  private reconcileInitialized(c: Container): Container {
    const p = this.pathsOf(c);
    const pid1 = livePid1(p);
    if (!pid1?.started || heldByAnother(p.lockFile)) return c;
    if (this.save(c, 'running', { ...c.status, pid: pid1.pid, pidStart: pid1.start, startedAt: Date.now(), error: undefined }, 'initialized')) this.event(c, 'start');
    return this.reloadInto(c);
  }

  /** A removal whose remover died (nobody holds the lock) is made removable again: exited, to be removed. */
  private reconcileRemoving(c: Container): Container {
    if (lockState(this.pathsOf(c).lockFile) === 'held') return c; // the remover (maybe this very process) is at work
    const error = `its removal was interrupted: remove it again (tspod rm ${c.name})`;
    if (this.save(c, 'exited', { ...c.status, mounted: true, exitCode: c.status.exitCode ?? -1, finishedAt: c.status.finishedAt ?? Date.now(), error }, 'removing')) requestCleanup(this.paths, c.id);
    return this.reloadInto(c);
  }

  /**
   * A container left stopping by a stop that died before the exit (its process still runs) is
   * running again, as if the stop had never been asked: its restart policy applies again.
   */
  private reconcileStopping(c: Container): Container {
    const stopper = c.status.stopper;
    if (!stopper || isSameProcess(stopper.pid, stopper.start) || !isSameProcess(c.status.pid, c.status.pidStart)) return this.followRestarts(c);
    if (this.save(c, 'running', { ...c.status, stopper: undefined, stoppedByUser: undefined }, 'stopping')) fs.rmSync(this.pathsOf(c).stopFile, { force: true });
    return this.reloadInto(c);
  }

  /** c as stored now (after a compare-and-set, won or lost); unchanged if the row is gone. */
  private reloadInto(c: Container): Container {
    const again = this.state.getContainer(c.id);
    if (again) Object.assign(c, toContainer(again));
    return c;
  }

  /** What the monitor wrote about restarts, if it restarted the container at all. */
  private monitorState(c: Container): MonitorState | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.pathsOf(c).monitorState, 'utf8')) as MonitorState;
    } catch {
      return undefined;
    }
  }

  /** Under a restart policy the monitor may have a new container pid, or be waiting to restart. */
  private followRestarts(c: Container): Container {
    const healthRestarts = c.spec.healthcheck?.onFailure === 'restart' || (c.spec.healthcheck?.startup?.retries ?? 0) > 0;
    if ((c.spec.restartPolicy?.name === 'no' || !c.spec.restartPolicy) && !healthRestarts) return c;
    const m = this.monitorState(c);
    if (!m) return c; // no restart yet
    if (m.restartCount === (c.status.restartCount ?? 0) && (m.restarting ? c.state === 'restarting' : c.status.pid === m.pid || c.state === 'stopping')) return c;
    const status: ContainerStatus = { ...c.status, restartCount: m.restartCount, exitCode: m.lastExitCode };
    if (m.restarting) {
      Object.assign(status, { pid: 0, pidStart: undefined, finishedAt: c.status.finishedAt && c.state === 'restarting' ? c.status.finishedAt : Date.now() });
    } else {
      Object.assign(status, { pid: m.pid, pidStart: processStartTime(m.pid) ?? undefined, startedAt: m.startedAt });
    }
    const next = c.state === 'stopping' ? 'stopping' : m.restarting ? 'restarting' : 'running';
    if (!this.save(c, next, status, c.state)) {
      const again = this.state.getContainer(c.id);
      if (again) Object.assign(c, toContainer(again));
    }
    return c;
  }

  /** Records the exit once: only the process whose compare-and-set wins writes the died event. */
  private record(c: Container, status: ContainerStatus): void {
    if (this.save(c, 'exited', status, c.state)) {
      this.event(c, 'died', status.finishedAt, status.exitCode);
    } else {
      const again = this.state.getContainer(c.id);
      if (again) Object.assign(c, toContainer(again));
    }
  }
}
