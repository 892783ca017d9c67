// What kube play and kube down take and give (Podman's PlayKubeOptions and PlayKubeReport): the
// command builds the options from its flags, the engine hands back what was made or removed.
import type { PullingOptions } from '../image/pull-flags';

export interface KubePlayOptions {
  /** FILE, "-" (stdin) or an http(s):// URL; several are read as one multi-document file. */
  sources: string[];
  /** --replace: a Pod is made again; a Deployment whose template changed is rolled one replica at a time. */
  replace: boolean;
  /** --start (default true). */
  start: boolean;
  /** --network, as pod create takes it (several: joined with ","). */
  networks: string[];
  /** --publish [[ip:][hostPort]:]containerPort[/protocol]: overrides the host side of a containerPort. */
  publish: string[];
  /** --build: true builds every image with a directory of its own, false never; undefined: only those missing. */
  build?: boolean;
  /** --context-dir: where image directories are looked for (default: the file's directory). */
  contextDir?: string;
  /** --wait: stay in the foreground; ctrl-c or SIGTERM (or every pod exiting) removes what was made. */
  wait: boolean;
  annotations: string[];
  logDriver?: string;
  logOptions: string[];
  /** --configmap FILE (repeatable, also comma-separated): files of ConfigMaps only. */
  configMaps: string[];
  /** --strict: unsupported kinds and fields are errors (otherwise warnings on stderr). */
  strict: boolean;
  quiet: boolean;
  noHosts: boolean;
  userns?: string;
  /** --ip, --mac-address: one per pod, in the file's order (Podman's). */
  ips: string[];
  macs: string[];
  /** --tls-verify, --authfile, --creds, --cert-dir for the images pulled. */
  pulling: PullingOptions;
  /** The command line, recorded as each pod's CreateCommand. */
  createCommand: string[];
}

/** One pod made (or kept) by a play: Podman's "Pod:" block. */
export interface PlayedPod {
  id: string;
  name: string;
  containers: string[];
  initContainers: string[];
  /** Containers that could not start (Podman prints them and exits 125). */
  errors: string[];
}

export interface KubePlayReport {
  /** Named volumes the file's PersistentVolumeClaims made ("Volumes:"). */
  volumes: string[];
  /** IDs of the secrets stored from the file's Secrets ("Secrets:"). */
  secrets: string[];
  pods: PlayedPod[];
  /** Services whose ports a proxy now publishes: "NAME HOSTIP:PORT->TARGET/PROTO, ...". */
  services: string[];
}

export interface KubeDownOptions {
  sources: string[];
  /** --force: also the named volumes of the file's PersistentVolumeClaims. */
  force: boolean;
}

/** Podman's teardown report: each list printed under its heading. */
export interface KubeDownReport {
  stopped: Array<{ id: string; error?: Error }>;
  removed: Array<{ id: string; error?: Error }>;
  secrets: Array<{ id: string; error?: Error }>;
  volumes: Array<{ id: string; error?: Error }>;
}

/** Where a play reads (stdin for "-") and writes (reports on stdout, progress and warnings on stderr). */
export interface PlayIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}
