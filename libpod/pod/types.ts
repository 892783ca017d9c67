// What the pod engine takes and gives (Podman's pkg/domain/entities/pods.go): options in, reports
// out. The commands (commands/pod/), kube play and the API server build these.
import type { KubeOrigin } from './pod';

/** `pod create`'s options, as given (checked by libpod/pod/pod-flags.ts before anything is made). */
export interface PodCreateOptions {
  name?: string;
  /** --infra (default true): the pause container that holds the shared namespaces. */
  infra: boolean;
  /** --infra-name, --infra-command, --infra-image (Podman's: the default is catatonit in a root of its own). */
  infraName?: string;
  infraCommand?: string;
  infraImage?: string;
  /** --share as given ("net,ipc,uts", "+pid", "" for none); undefined: Podman's default. */
  share?: string;
  hostname?: string;
  /** KEY=VALUE, and files of them. */
  labels: string[];
  labelFiles?: string[];
  /** -p: published on the infra container, so on the pod. */
  publish: string[];
  /** --network: modes or networks, as run takes them. */
  network?: string;
  networkAliases?: string[];
  ip?: string;
  macAddress?: string;
  addHosts: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  noHosts?: boolean;
  /** -v: bind mounts and named volumes every container of the pod gets. */
  volumes: string[];
  volumesFrom?: string[];
  /** --exit-policy continue|stop (Podman's default: continue). */
  exitPolicy?: string;
  /** --restart: the default for the pod's containers. */
  restart?: string;
  replace: boolean;
  podIdFile?: string;
  /** --userns, --uidmap, ... applied to the infra container (the pod's user namespace). */
  userns?: string;
  sysctls?: string[];
  shmSize?: string;
  /** --security-opt: the infra container's (seccomp, labels, ...). */
  securityOpt?: string[];
  /** --infra-conmon-pidfile: where the infra container's monitor writes its PID. */
  infraConmonPidFile?: string;
  /** kube play's record of where the pod came from. */
  kube?: KubeOrigin;
  createCommand: string[];
  createCwd?: string;
}

/** One pod's outcome in a verb over several (ids on stdout, errors on stderr). */
export interface PodReport {
  /** The name or ID as given. */
  name: string;
  /** The pod's full ID when it was found. */
  id?: string;
  /** The errors of its containers (pod start/stop): Podman prints each, and the exit code is 125. */
  error?: Error;
}
