// The container engine's operations a pod uses, bound by the facade (engine.ts) and handed to the
// pod engine: a pod's verbs are its containers' verbs, with their checks, locks and events.
import type { Container } from '../container/container';
import type { CreateOptions } from '../container/create-spec';
import type { Report } from '../container/container-api';

/** The container engine's operations a pod uses (the facade binds them). */
export interface PodContainerOps {
  create(opts: CreateOptions): Promise<Container>;
  start(ids: string[]): Promise<Report[]>;
  stop(ids: string[], timeout?: number): Promise<Report[]>;
  kill(ids: string[], signal: string): Promise<Report[]>;
  pause(ids: string[], pause: boolean): Promise<Report[]>;
  /** removingPod: the pod's own rm (its infra container may go). */
  remove(ids: string[], opts: { force: boolean; timeout?: number; volumes?: boolean; removingPod?: boolean }): Promise<Report[]>;
}
