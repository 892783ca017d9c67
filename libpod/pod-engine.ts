// engine.pods: pods (libpod/pod/). A pod is a record (the pods table) and containers marked as its
// own (spec.pod): an infra container that holds the shared namespaces, made like any container,
// and the containers that join them. The container engine's verbs are handed over by the facade,
// so a pod's start is its containers' start, with their checks and events.
import type { Runtime } from './runtime';
import type { PodContainerOps } from './pod/container-ops';
import type { Pod } from './pod/pod';
import type { PodCreateOptions, PodReport } from './pod/types';
import type { PodSelection } from './pod/pod-lifecycle';
import type { ListPodsReport } from './pod/pod-report';
import type { PodLogOptions, PodStatsRow } from './pod/pod-views';
import type { PodCloneOptions, PodCloneReport } from './pod/pod-clone';

// The pod modules, required on first use (esbuild keeps these requires lazy).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  create: () => require('./pod/pod-create') as typeof import('./pod/pod-create'),
  lifecycle: () => require('./pod/pod-lifecycle') as typeof import('./pod/pod-lifecycle'),
  // The verbs that report and pod clone (pod-report's).
  views: () => require('./pod/pod-views') as typeof import('./pod/pod-views'),
  clone: () => require('./pod/pod-clone') as typeof import('./pod/pod-clone'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export type { PodContainerOps } from './pod/container-ops';

export class PodEngine {
  constructor(
    protected readonly rt: Runtime,
    protected readonly containers: PodContainerOps,
  ) {}

  /** `pod create`: the record, then the infra container (unless --infra=false). Inside the namespace. */
  create(opts: PodCreateOptions): Promise<Pod> {
    return lazy.create().createPod(this.rt, this.containers, opts);
  }

  /** `pod start`: the infra container, the init containers, then the others in creation order. Inside the namespace. */
  start(sel: PodSelection): Promise<PodReport[]> {
    const l = lazy.lifecycle();
    return l.eachPod(this.rt, sel, (p) => l.startPod(this.rt, this.containers, p));
  }

  /** `pod stop`: the others, then the infra container. From outside the namespace. */
  stop(sel: PodSelection, timeout?: number): Promise<PodReport[]> {
    const l = lazy.lifecycle();
    return l.eachPod(this.rt, sel, (p) => l.stopPod(this.rt, this.containers, p, timeout));
  }

  /** `pod restart`: stop, then start. Inside the namespace. */
  restart(sel: PodSelection, timeout?: number): Promise<PodReport[]> {
    const l = lazy.lifecycle();
    return l.eachPod(this.rt, sel, async (p) => (await l.stopPod(this.rt, this.containers, p, timeout)) ?? l.startPod(this.rt, this.containers, p));
  }

  /** `pod kill`: the signal to every running container of the pod. From outside the namespace. */
  kill(sel: PodSelection, signal: string): Promise<PodReport[]> {
    const l = lazy.lifecycle();
    return l.eachPod(this.rt, sel, (p) => l.killPod(this.rt, this.containers, p, signal));
  }

  /** `pod pause` / `pod unpause`: through the containers' pause (which says why it cannot where it cannot). */
  pause(sel: PodSelection, pause: boolean): Promise<PodReport[]> {
    const l = lazy.lifecycle();
    return l.eachPod(this.rt, sel, (p) => l.pausePod(this.rt, this.containers, p, pause));
  }

  /** `pod rm`: refuses running pods without force; containers, infra, then the record. Inside the namespace. */
  remove(sel: PodSelection, opts: { force: boolean; timeout?: number }): Promise<PodReport[]> {
    const l = lazy.lifecycle();
    return l.eachPod(this.rt, sel, (p) => l.removePod(this.rt, this.containers, p, opts));
  }

  /** `pod prune`: removes the pods none of whose containers runs. Inside the namespace. */
  async prune(): Promise<PodReport[]> {
    const l = lazy.lifecycle();
    const ids = l.prunablePods(this.rt).map((p) => p.id);
    // Not forced: a pod another command started meanwhile is refused, not killed.
    return ids.length ? this.remove({ names: ids, ignore: true }, { force: false }) : [];
  }

  /** `pod exists`: whether a name or ID names a pod. */
  exists(nameOrId: string): boolean {
    return this.rt.db().findPodIds(nameOrId).length === 1;
  }

  // The verbs that report (pod ps, inspect, logs, top, stats) and pod clone: libpod/pod/pod-views.ts.

  /** `pod ps`: the pods (or the latest) that pass the filters, sorted, as Podman's ListPodsReport. */
  ps(opts: { filters: string[]; latest: boolean; sort: string }): ListPodsReport[] {
    return lazy.views().listPods(this.rt, opts);
  }

  /** `pod inspect`: Podman 5's InspectPodData per name, or a "no such pod" error in its place. */
  inspect(names: string[], opts: { latest: boolean }): Array<{ name: string; data?: Record<string, unknown>; error?: Error }> {
    return lazy.views().inspectPods(this.rt, names, opts.latest);
  }

  /** `pod logs`: its containers' logs, prefixed as logs prefixes several. From outside the namespace. */
  logs(name: string | undefined, opts: PodLogOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<void> {
    return lazy.views().podLogs(this.rt, name === undefined ? lazy.views().latestPod(this.rt) : this.rt.pods().resolve(name), opts, out, err);
  }

  /** `pod top`: the processes of its running containers, header row first. From outside the namespace. */
  top(name: string | undefined, descriptors: string[]): string[][] {
    return lazy.views().podTop(this.rt, name === undefined ? lazy.views().latestPod(this.rt) : this.rt.pods().resolve(name), descriptors);
  }

  /** `pod stats`: once, or every intervalMs until interrupted. From outside the namespace. */
  stats(names: string[], opts: { all: boolean; latest: boolean; stream: boolean; intervalMs: number }, emit: (rows: PodStatsRow[]) => void): Promise<void> {
    return lazy.views().podStats(this.rt, names, opts, emit);
  }

  /** `pod clone`: a copy of the pod and its containers (libpod/pod/pod-clone.ts). Inside the namespace. */
  clone(nameOrId: string, opts: PodCloneOptions): Promise<PodCloneReport> {
    return lazy.clone().clonePod(this.rt, this.containers, nameOrId, opts);
  }
}
