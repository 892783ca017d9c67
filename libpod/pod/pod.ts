// A pod as the state database holds it: a name, what `pod create` decided (PodSpec, changed only
// to record its infra container) and the status Podman derives from its containers. Pure.
import type { ContainerState } from '../container/container';
import type { PodRow } from '../state/state';

/** The namespaces a pod's containers can share with its infra container (--share). */
export type PodNamespace = 'net' | 'ipc' | 'uts' | 'pid' | 'cgroup';

/** Podman's default --share: network, IPC and UTS (the host name). */
export const DEFAULT_SHARE: readonly PodNamespace[] = ['net', 'ipc', 'uts'];

export interface PodSpec {
  /** The infra container's ID, once made; undefined with --infra=false. */
  infraId?: string;
  /** The namespaces the pod's containers join (those of the infra container). */
  share: PodNamespace[];
  /** The pod's host name (the infra container's, which the containers share with uts). */
  hostname?: string;
  labels: Record<string, string>;
  /** --exit-policy: stop the infra container once the last other container has exited, or keep it. */
  exitPolicy: 'continue' | 'stop';
  /** -v as given: the volumes and bind mounts every container of the pod gets (also without an infra container). */
  volumes?: string[];
  /** --restart: the policy each container of the pod gets unless it gives its own (Podman's). */
  restartPolicy?: string;
  /** The original command line and the directory it ran in (pod inspect's CreateCommand, pod clone). */
  createCommand: string[];
  createCwd?: string;
  /** What kube play made it from, so kube down and --replace find what they made. */
  kube?: KubeOrigin;
  /**
   * The options pod create was given, but for those that name this pod alone or act once (name,
   * --replace, --pod-id-file): pod clone makes the copy from them (libpod/pod/pod-clone.ts).
   * Undefined for a pod recorded before they were kept.
   */
  createOptions?: StoredPodCreateOptions;
}

export type StoredPodCreateOptions = Omit<import('./types').PodCreateOptions, 'name' | 'replace' | 'podIdFile' | 'kube' | 'createCommand' | 'createCwd'>;

/** What PodSpec.createOptions keeps of pod create's options. */
export function storedCreateOptions(o: import('./types').PodCreateOptions): StoredPodCreateOptions {
  const kept: Record<string, unknown> = { ...o };
  for (const key of ['name', 'replace', 'podIdFile', 'kube', 'createCommand', 'createCwd']) delete kept[key];
  return kept as StoredPodCreateOptions;
}

export interface KubeOrigin {
  /** The object's kind and name in the file (the pod of a Deployment's replica: the Deployment). */
  kind: 'Pod' | 'Deployment' | 'DaemonSet' | 'Job';
  name: string;
  /** A Deployment's replica number (0-based). */
  replica?: number;
  /** A digest of the pod template it was made from: --replace replaces only what changed. */
  template?: string;
  /** (kube play) The directory of its configMap, secret and downwardAPI volume files, removed with it by kube down. */
  files?: string;
  /** (kube play) The named volumes of its emptyDir volumes: its own, removed with it. */
  emptyDirs?: string[];
  /** (kube play) The 127.0.0.1 port it publishes for each Service port it backs: "SERVICE:PORT/PROTO" → host port. */
  endpoints?: Record<string, number>;
}

export interface Pod {
  id: string;
  name: string;
  createdAt: number;
  spec: PodSpec;
}

export function toPod(row: PodRow): Pod {
  return { id: row.id, name: row.name, createdAt: row.createdAt, spec: row.config as PodSpec };
}

/** Podman's pod states. */
export type PodState = 'Created' | 'Running' | 'Degraded' | 'Exited' | 'Stopped' | 'Paused' | 'Error';

/**
 * The pod's status from its containers' (Podman's rule, libpod/pod_status.go): none → Created; all
 * running → Running; some running → Degraded; all paused → Paused; all exited → Exited; some
 * exited (none running) → Stopped; any in another state → Error; else Created. Where Podman counts
 * a stopping or restarting container as an error, tspod counts it as running (its processes are
 * alive), and an initialized one as created.
 */
export function podStatus(states: Array<ContainerState | 'paused'>): PodState {
  if (states.length === 0) return 'Created';
  let running = 0;
  let paused = 0;
  let exited = 0;
  let other = 0;
  for (const s of states) {
    if (s === 'running' || s === 'stopping' || s === 'restarting') running++;
    else if (s === 'paused') paused++;
    else if (s === 'exited') exited++;
    else if (s !== 'created' && s !== 'initialized') other++;
  }
  if (running === states.length) return 'Running';
  if (running > 0) return 'Degraded';
  if (paused === states.length) return 'Paused';
  if (exited === states.length) return 'Exited';
  if (exited > 0) return 'Stopped';
  return other > 0 ? 'Error' : 'Created';
}

/** The infra container's name: the first 12 characters of the pod's ID and "-infra", as Podman names it. */
export function infraName(podId: string): string {
  return `${podId.slice(0, 12)}-infra`;
}
