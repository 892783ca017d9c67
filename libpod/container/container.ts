// A container as the state database holds it: what `create` decided (ContainerSpec, never changed
// afterwards), what changes while it lives (ContainerStatus), and where its files are. Pure.
import type { ResourceLimits } from './resource-flags';
import type { Rlimit } from './process-flags';
import type { SecuritySpec } from './security-flags';
import path from 'node:path';
import type { Paths } from '../../src/paths';
import { humanDuration } from '../../src/human-units';
import { InvalidArgumentError } from '../../src/errors';
import type { ContainerRow } from '../state/state';
import type { RestartPolicy } from '../../conmon/protocol';
import type { PortMapping } from '../network/network-spec';
import type { Attachment } from '../network/user-network';
import type { MountSpec } from '../volume/volume-spec';
import type { SdNotifyMode } from '../systemd/sd-notify';

/**
 * Podman's states; `restarting` while the monitor waits to start it again under its restart
 * policy, `stopping` while a stop waits for the exit, `removing` while rm deletes files.
 */
export type ContainerState = 'created' | 'initialized' | 'running' | 'restarting' | 'stopping' | 'exited' | 'removing';

/** States in which the container's processes may be alive (the monitor still watches them). */
export function isUp(state: ContainerState): boolean {
  return state === 'running' || state === 'stopping' || state === 'restarting';
}

export interface ContainerSpec {
  /** A build's container (tspod build): ps shows it only with --external; rm refuses it while that build runs. */
  buildOf?: { pid: number; start: string; /** Directories made in the rootfs before the start (the stage's VOLUME paths, as Podman makes them). */ makeDirs?: string[]; /** Its WORKDIR made as its user. */ makeWorkdir?: boolean };
  /** The pod it belongs to (run/create --pod): its ID. The pod's infra container has it too. */
  pod?: string;
  /** --init-ctr: an init container of its pod, run to its end before the others at each pod start (always) or the first (once: then removed). */
  initCtr?: 'always' | 'once';
  /** The image as the user named it, and what it resolved to. */
  image: string;
  imageId: string;
  imageName: string;
  /** Arguments after the image (replace its Cmd); undefined entrypoint keeps the image's. */
  command: string[];
  entrypoint?: string[];
  env: string[];
  workdir?: string;
  user?: string;
  hostname: string;
  labels: Record<string, string>;
  terminal: boolean;
  stdin: boolean;
  readOnly: boolean;
  init: boolean;
  autoRemove: boolean;
  stopSignal: string;
  /** Seconds between the stop signal and SIGKILL. */
  stopTimeout: number;
  capAdd: string[];
  capDrop: string[];
  noNewPrivileges: boolean;
  /** none, host, slirp4netns, pasta, container:<id> (that container's network namespace), or bridge (user-defined networks). */
  network: string;
  /** With bridge: the networks, in order (the first has the default route), aliases, --ip, --mac-address. */
  networks?: Attachment[];
  /** slirp4netns:/pasta: options. */
  networkOptions?: string[];
  /** Published ports (-p, and -P's choices), host ports fixed at create. */
  ports?: PortMapping[];
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
  /** --add-host HOST:IP entries. */
  addHosts?: string[];
  // --link, --link-local-ip (issue 19): libpod/network/link-flags.ts
  links?: import('../network/link-flags').LinkSpec['links'];
  linkLocalIps?: string[];
  /** Volumes, bind mounts and tmpfs (-v, --mount, --tmpfs, the image's VOLUMEs as anonymous volumes). */
  mounts?: MountSpec[];
  /** --restart: the monitor starts the container again when it exits. */
  restartPolicy: RestartPolicy;
  /** The OCI runtime binary chosen at create time. */
  runtime: string;
  /** The process args the spec resolved to (entrypoint + command), for ps and inspect. */
  args: string[];
  /** The original command line, kept for `generate systemd --new`, and the directory it ran in (relative paths in it). */
  createCommand: string[];
  createCwd?: string;
  cidFile?: string;
  /** --sdnotify: what reaches $NOTIFY_SOCKET when a systemd unit of Type=notify starts it. */
  sdNotifyMode?: SdNotifyMode;
  /** --memory, --cpus, --pids-limit, ...: the limits asked for (inspect shows them even where they cannot be applied). */
  resources?: ResourceLimits;
  /** The process options: --ulimit, --shm-size (bytes), --sysctl, --annotation, --expose ("port/proto"), --umask, --tz, --oom-score-adj, --unsetenv(-all), --no-hosts. */
  ulimits?: Rlimit[];
  shmSize?: number;
  sysctls?: Record<string, string>;
  annotations?: Record<string, string>;
  expose?: string[];
  umask?: string;
  timezone?: string;
  oomScoreAdj?: number;
  unsetEnv?: string[];
  unsetEnvAll?: boolean;
  noHosts?: boolean;
  /** --timeout: seconds a run may last before the monitor kills it. */
  timeout?: number;
  /** --requires: the IDs of the containers started before this one. */
  requires?: string[];
  /** The healthcheck the monitor runs (--health-*, else the image's HEALTHCHECK; none with --no-healthcheck). */
  healthcheck?: import('../../conmon/health').HealthCheck;
  /** The user-namespace flags (issue 19): the container's own namespace and maps, --group-add, the /etc/passwd additions. */
  userns?: import('./userns-flags').UsernsSpec;
  // logs, pid files, secrets, rootfs (issue 19)
  /** --log-driver/--log-opt; undefined: k8s-file at the bundle's ctr.log, no size limit. */
  log?: import('./log-flags').LogConfig;
  /** --conmon-pidfile: the monitor's PID; --pidfile: the container's (inspect's PidFile). */
  conmonPidFile?: string;
  pidFile?: string;
  /** --secret: names, IDs and where they go; never their data. */
  secrets?: import('../secret/secret-use').SecretUse[];
  /** --rootfs: the container runs from this directory, not from an image. */
  rootfs?: import('./logs-secrets-flags').RootfsDir;
  /** --privileged, --device, --security-opt, the namespaces, systemd mode and the other spec-shaping flags (security-flags.ts). */
  security?: SecuritySpec;
}

export interface ContainerStatus {
  pid?: number;
  /** /proc start time of pid and of the monitor, so a reused pid is never taken for ours. */
  pidStart?: string;
  monitorPid?: number;
  monitorStart?: string;
  /** The runtime's --root this run was started with (runtimeRoot()); later runtime calls use the same. */
  runtimeRoot?: string;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** Why the container is not what it should be (a dead monitor, a failed start). */
  error?: string;
  restartCount?: number;
  /** The root filesystem is mounted and the runtime knows the container: cleanup still has work. */
  mounted?: boolean;
  /** The process stopping it, while it is stopping: a stop killed meanwhile leaves it running. */
  stopper?: { pid: number; start: string };
  /** How many times `tspod mount` mounted its rootfs and `tspod unmount` has not yet undone. */
  userMounts?: number;
  /** The user stopped or killed it (unless-stopped containers stay stopped after a reboot). */
  stoppedByUser?: boolean;
  /** While up with a network of its own: the namespace file, the helper, the addresses. */
  network?: { netns: string; helperPid?: number; ip?: string; gateway?: string; prefixLength?: number; ips?: Record<string, { ip: string; mac: string; ifname: string }> };
}

export interface Container {
  id: string;
  name: string;
  state: ContainerState;
  createdAt: number;
  spec: ContainerSpec;
  status: ContainerStatus;
}

export function toContainer(row: ContainerRow): Container {
  return { id: row.id, name: row.name, state: row.state as ContainerState, createdAt: row.createdAt, spec: row.config as ContainerSpec, status: (row.status ?? {}) as ContainerStatus };
}

export interface ContainerPaths {
  /** <root>/containers/<id>: the writable layer and the bundle. */
  dir: string;
  upper: string;
  work: string;
  rootfs: string;
  /** The OCI bundle: config.json, hosts, hostname, resolv.conf, the log. */
  bundle: string;
  log: string;
  /** <runroot>/containers/<id>: what vanishes at logout. */
  runDir: string;
  exitFile: string;
  monitorPidFile: string;
  /** The monitor's restart state (MonitorState) and the user's stop marker. */
  monitorState: string;
  stopFile: string;
  /** The healthcheck's state and last results (State.Health), kept with the container. */
  healthFile: string;
  /** Unix sockets must stay under 108 bytes: they live under <runroot>/sock with a short name. */
  attachSocket: string;
  consoleSocket: string;
  lockFile: string;
  /** The network namespace bound to a file while the container is up (slirp4netns, pasta). */
  netns: string;
  slirpSocket: string;
  pastaPidFile: string;
}

export function containerPaths(paths: Paths, id: string): ContainerPaths {
  // Made for every container a list syncs (1,000 for ps -a with 1,000): three joins normalize the
  // bases, the rest is appended to them (seventeen joins were a fifth of that ps).
  const dir = path.join(paths.root, 'containers', id);
  const run = path.join(paths.runroot);
  const runDir = path.join(run, 'containers', id);
  const bundle = `${dir}/userdata`;
  const short = id.slice(0, 12);
  return {
    dir,
    upper: `${dir}/upper`,
    work: `${dir}/work`,
    rootfs: `${dir}/merged`,
    bundle,
    log: `${bundle}/ctr.log`,
    runDir,
    exitFile: `${runDir}/exit`,
    monitorPidFile: `${runDir}/conmon.pid`,
    monitorState: `${runDir}/monitor.json`,
    stopFile: `${runDir}/stopped`,
    healthFile: `${bundle}/health.json`,
    attachSocket: `${run}/sock/${short}.attach`,
    consoleSocket: `${run}/sock/${short}.console`,
    lockFile: `${run}/locks/${id}`,
    netns: `${run}/netns/${id}`,
    slirpSocket: `${run}/sock/${short}.slirp`,
    pastaPidFile: `${runDir}/pasta.pid`,
  };
}

/** ps's STATUS column, as Podman words it. */
export function statusText(c: Container, now = Date.now(), health = ''): string {
  switch (c.state) {
    case 'running':
      return `Up ${humanDuration((now - (c.status.startedAt ?? now)) / 1000)}${health ? ` (${health})` : ''}`;
    case 'stopping':
      return 'Stopping';
    case 'restarting':
      return `Restarting (${c.status.exitCode ?? 0}) ${humanDuration((now - (c.status.finishedAt ?? now)) / 1000)} ago`;
    case 'removing':
      return 'Removing';
    case 'initialized':
      return 'Initialized';
    case 'exited':
      return `Exited (${c.status.exitCode ?? -1}) ${humanDuration((now - (c.status.finishedAt ?? now)) / 1000)} ago`;
    default:
      return 'Created';
  }
}

const ADJECTIVES = ['brave', 'calm', 'eager', 'fond', 'gentle', 'happy', 'jolly', 'keen', 'lucid', 'merry', 'nifty', 'proud', 'quirky', 'sharp', 'tender', 'vivid', 'witty', 'zealous', 'bold', 'cosy'];
const NOUNS = ['otter', 'heron', 'badger', 'falcon', 'lynx', 'marten', 'puffin', 'raven', 'salmon', 'tern', 'wren', 'bison', 'crane', 'ibex', 'koala', 'lemur', 'newt', 'okapi', 'panda', 'yak'];

/** A readable random name (adjective_noun); the caller retries on a clash. */
export function randomName(rand: () => number = Math.random): string {
  const pick = (list: string[]) => list[Math.floor(rand() * list.length)];
  return `${pick(ADJECTIVES)}_${pick(NOUNS)}`;
}

/** A name Podman would accept: [a-zA-Z0-9][a-zA-Z0-9_.-]*. */
export function validName(name: string): boolean {
  return /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name);
}

/** --restart: no, always, unless-stopped, on-failure[:N]. */
export function parseRestartPolicy(value: string | undefined): RestartPolicy {
  const v = value ?? 'no';
  const m = /^(no|always|unless-stopped|on-failure)(?::(\d+))?$/.exec(v);
  if (!m || (m[2] !== undefined && m[1] !== 'on-failure')) {
    throw new InvalidArgumentError(`invalid restart policy "${v}": use no, always, unless-stopped or on-failure[:max-retries]`);
  }
  return { name: m[1] as RestartPolicy['name'], maxRetries: m[2] ? Number(m[2]) : 0 };
}

/** The containers whose namespaces this one joins (--network, --pid, --ipc, --uts container:ID), each once. */
export function joinedContainers(spec: Pick<ContainerSpec, 'network' | 'security'>): string[] {
  const modes = [spec.network, spec.security?.pid, spec.security?.ipc, spec.security?.uts];
  return [...new Set(modes.filter((m): m is string => !!m?.startsWith('container:')).map((m) => m.slice('container:'.length)))];
}
