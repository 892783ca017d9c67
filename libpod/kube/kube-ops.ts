// The other engines' operations kube play and kube down use, as the facade binds them (libpod/
// engine.ts kubeOps): libpod/kube/ works through these, never through an engine.
import type { CreateOptions } from '../container/create-spec';
import type { PodCreateOptions } from '../pod/types';

/** One object's outcome in a verb over several (the other engines' reports, reduced). */
export interface OpReport {
  id: string;
  error?: Error;
}

/** The other engines' operations kube play and down use (the facade binds them). */
export interface KubeOps {
  createPod(opts: PodCreateOptions): Promise<{ id: string; name: string }>;
  /** Starts each pod's containers (the infra container first); per-container failures in the report. */
  startPods(ids: string[]): Promise<Array<OpReport & { errors: string[] }>>;
  stopPods(ids: string[], timeout?: number): Promise<OpReport[]>;
  /** Removes the pods with their containers (running ones stopped first). */
  removePods(ids: string[]): Promise<OpReport[]>;
  createContainer(opts: CreateOptions): Promise<{ id: string; name: string }>;
  renameContainer(id: string, name: string): void;
  /** The user a container runs as (its --user, else its image's; "" for root). */
  containerUser(id: string): string;
  /** A container's state, exit code and health ('' without a healthcheck); undefined once gone. */
  containerStatus(id: string): { state: string; exitCode?: number; health: string } | undefined;
  volumeExists(name: string): boolean;
  createVolume(name: string, labels: string[]): void;
  removeVolumes(names: string[]): Promise<OpReport[]>;
  /** Stores a secret (replacing one of that name, as Podman's kube play does); its ID. */
  storeSecret(name: string, data: Buffer): Promise<string>;
  secretExists(name: string): boolean;
  removeSecrets(names: string[]): OpReport[];
  imageExists(ref: string): boolean;
  /** `build -t TAG CONTEXT`, its output on io's stderr (quiet: none). */
  build(context: string, tag: string, quiet: boolean): Promise<void>;
}
