// The other engines' operations compose uses, as the facade binds them (libpod/engine.ts
// composeOps): libpod/compose/ works through these, never through an engine or the facade.
import type { CreateOptions } from '../container/create-spec';
import type { PsSummary } from '../container/container-report';
import type { ExecOptions } from '../container/container-api';
import type { EventRow } from '../state/state';
import type { ProgressSink } from '../../src/progress';

/** One object's outcome in a verb over several (the other engines' reports, reduced). */
export interface OpReport {
  id: string;
  error?: Error;
}

/** A container as compose sees it: its labels say which project, service and number it is. */
export interface ComposeContainer {
  id: string;
  name: string;
  /** Podman's state names: created, running, paused, exited, stopped, ... */
  state: string;
  exitCode?: number;
  /** '' without a healthcheck; else starting, healthy, unhealthy. */
  health: string;
  labels: Record<string, string>;
  image: string;
  created: number;
}

export interface ComposeOps {
  // ---- project state and lifecycle (compose-up) ----
  /** Containers carrying every label given (key=value), stopped ones too. */
  listContainers(labels: Record<string, string>): ComposeContainer[];
  createContainer(opts: CreateOptions): Promise<{ id: string; name: string }>;
  /** Its state now; undefined when it is gone. */
  containerStatus(id: string): { state: string; exitCode?: number; health: string } | undefined;
  /** Detached starts (created, exited and stopped containers; running ones are left as they are). */
  startContainers(ids: string[]): Promise<OpReport[]>;
  /** timeout: seconds before SIGKILL (undefined: each container's own). */
  stopContainers(ids: string[], timeout?: number): Promise<OpReport[]>;
  restartContainers(ids: string[], timeout?: number): Promise<OpReport[]>;
  killContainers(ids: string[], signal: string): Promise<OpReport[]>;
  /** A container's anonymous volumes (an unnamed volume or its image's VOLUME): name and where it is mounted. */
  anonymousVolumes(id: string): Array<{ name: string; destination: string }>;
  renameContainer(id: string, name: string): void;
  /** What the monitor does after an exit, done now (idempotent): the stopped container's mounts and published ports released. */
  cleanupContainer(id: string): Promise<void>;
  /** force: running ones are killed first; volumes: their anonymous volumes go too. */
  removeContainers(ids: string[], opts: { force: boolean; volumes: boolean; timeout?: number }): Promise<OpReport[]>;
  pauseContainers(ids: string[], pause: boolean): Promise<OpReport[]>;
  /** Until the container is no longer running (created or exited); its exit code. */
  waitContainer(id: string): Promise<number>;
  /** Starts a created container attached to this process's terminal (run); its exit code. */
  startAttached(id: string, opts: { interactive: boolean }): Promise<number>;
  /** The container's log lines (k8s-file), followed while it runs with follow. */
  logs(id: string, opts: import('./ops-types').ComposeLogOptions, onLine: (stream: 'stdout' | 'stderr', text: string) => void): Promise<void>;
  /** The labels of the network, or undefined when there is none of that name. */
  networkLabels(name: string): Record<string, string> | undefined;
  createNetwork(name: string, opts: import('./ops-types').ComposeNetworkCreate): void;
  removeNetwork(name: string): Promise<OpReport>;
  volumeLabels(name: string): Record<string, string> | undefined;
  createVolume(name: string, opts: import('./ops-types').ComposeVolumeCreate): void;
  /** Never forced: a volume another container uses stays, with its error. */
  removeVolume(name: string): Promise<OpReport>;
  imageExists(ref: string): boolean;
  pullImage(ref: string, progress: import('../../src/progress').ProgressSink): Promise<void>;
  buildImage(opts: import('../build/types').BuildOptions, out: NodeJS.WritableStream): Promise<void>;
  removeImage(ref: string): Promise<OpReport>;
  // ---- end compose-up ----

  // ---- verbs (compose-cli) ----
  /** Containers carrying every label given ('' for any value), as `ps` reports them (status text, ports, command); stopped ones with all. */
  containerSummaries(labels: Record<string, string>, all: boolean): PsSummary[];
  /** Runs a process in a running container; its exit code (inside the user namespace). */
  exec(id: string, cmd: string[], opts: ExecOptions): Promise<number>;
  /** A running container's processes: the header row, then one row per process. */
  top(id: string, descriptors: string[]): string[][];
  /** `cp` between the host and a container ("ID:/path" on one side; inside the user namespace). */
  copy(from: string, to: string, opts: { archive: boolean; followLink: boolean }): Promise<void>;
  /** Until the first of the containers stops: which one, and its exit code. */
  waitFirst(ids: string[]): Promise<{ id: string; exitCode: number }>;
  /** Recorded container events matching the filters (Podman's keys); with stream, new ones until interrupted. */
  events(opts: { since?: number; until?: number; filters: string[]; stream: boolean }, emit: (e: EventRow) => void): Promise<void>;
  /** An image by reference or ID: its ID (sha256:...), names and size; undefined when there is none. */
  imageInfo(ref: string): { id: string; names: string[]; size: number; created: number } | undefined;
  // pull and build use compose-up's pullImage and buildImage (the same operations as up's).
  pushImage(ref: string, progress: ProgressSink): Promise<{ digest: string }>;
  // ---- end compose-cli ----
}
