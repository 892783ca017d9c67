// engine.pods: pods (libpod/pod/). A pod is a record (the pods table) and containers marked as its
// own (spec.pod): an infra container that holds the shared namespaces, made like any container,
// and the containers that join them. The container engine's verbs are handed over by the facade,
// so a pod's start is its containers' start, with their checks and events.
import type { Runtime } from './runtime';
import type { Container } from './container/container';
import type { CreateOptions } from './container/create-spec';
import type { Report } from './container/container-api';

/** The container engine's operations a pod uses (the facade binds them). */
export interface PodContainerOps {
  create(opts: CreateOptions): Promise<Container>;
  start(ids: string[]): Promise<Report[]>;
  stop(ids: string[], timeout?: number): Promise<Report[]>;
  restart(ids: string[], timeout?: number): Promise<Report[]>;
  kill(ids: string[], signal: string): Promise<Report[]>;
  pause(ids: string[], pause: boolean): Promise<Report[]>;
  remove(ids: string[], opts: { force: boolean; timeout?: number; volumes?: boolean }): Promise<Report[]>;
}

export class PodEngine {
  constructor(
    protected readonly rt: Runtime,
    protected readonly containers: PodContainerOps,
  ) {}
}
