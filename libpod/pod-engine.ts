// engine.pods: pods (libpod/pod/). A pod is a record (the pods table) and containers marked as its
// own (spec.pod): an infra container that holds the shared namespaces, made like any container,
// and the containers that join them. The container engine's verbs are handed over by the facade,
// so a pod's start is its containers' start, with their checks and events.
import type { Runtime } from './runtime';
import type { Container } from './container/container';
import type { CreateOptions } from './container/create-spec';
import type { Report } from './container/container-api';
import type { ListPodsReport } from './pod/pod-report';
import type { PodLogOptions, PodStatsRow } from './pod/pod-views';

// The report verbs' module, loaded on first use (esbuild keeps this require lazy).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const podViews = () => require('./pod/pod-views') as typeof import('./pod/pod-views');

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

  // The verbs that report (pod ps, inspect, logs, top, stats) and pod clone: libpod/pod/pod-views.ts.

  /** `pod ps`: the pods (or the latest) that pass the filters, sorted, as Podman's ListPodsReport. */
  ps(opts: { filters: string[]; latest: boolean; sort: string }): ListPodsReport[] {
    return podViews().listPods(this.rt, opts);
  }

  /** `pod inspect`: Podman 5's InspectPodData per name, or a "no such pod" error in its place. */
  inspect(names: string[], opts: { latest: boolean }): Array<{ name: string; data?: Record<string, unknown>; error?: Error }> {
    return podViews().inspectPods(this.rt, names, opts.latest);
  }

  /** `pod logs`: its containers' logs, prefixed as logs prefixes several. From outside the namespace. */
  logs(name: string | undefined, opts: PodLogOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<void> {
    return podViews().podLogs(this.rt, name === undefined ? podViews().latestPod(this.rt) : this.rt.pods().resolve(name), opts, out, err);
  }

  /** `pod top`: the processes of its running containers, header row first. From outside the namespace. */
  top(name: string | undefined, descriptors: string[]): string[][] {
    return podViews().podTop(this.rt, name === undefined ? podViews().latestPod(this.rt) : this.rt.pods().resolve(name), descriptors);
  }

  /** `pod stats`: once, or every intervalMs until interrupted. From outside the namespace. */
  stats(names: string[], opts: { all: boolean; latest: boolean; stream: boolean; intervalMs: number }, emit: (rows: PodStatsRow[]) => void): Promise<void> {
    return podViews().podStats(this.rt, names, opts, emit);
  }
}
