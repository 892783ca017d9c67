// The other engines' operations compose uses, as the facade binds them (libpod/engine.ts
// composeOps): libpod/compose/ works through these, never through an engine or the facade.
import type { CreateOptions } from '../container/create-spec';

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
  // ---- end compose-cli ----
}
