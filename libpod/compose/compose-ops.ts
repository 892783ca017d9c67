// The other engines' operations compose uses, as the facade binds them (libpod/engine.ts
// composeOps): libpod/compose/ works through these, never through an engine or the facade.
import type { CreateOptions } from '../container/create-spec';
import type { PsSummary } from '../container/container-report';
import type { ExecOptions } from '../container/container-api';
import type { EventRow } from '../state/state';
import type { BuildOptions } from '../build/types';
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
  // pullImage and buildImage: compose-up's (the same operations for up and for pull/build).
  pullImage(ref: string, progress: ProgressSink): Promise<void>;
  pushImage(ref: string, progress: ProgressSink): Promise<{ digest: string }>;
  buildImage(opts: BuildOptions, out: NodeJS.WritableStream): Promise<void>;
  // ---- end compose-cli ----
}
