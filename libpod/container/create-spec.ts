// create's and run's flags checked and turned into a ContainerSpec. checkCreate validates every
// flag (names, signals, restart policy, sd-notify, capabilities, env, labels, user, runtime,
// network and mount flags) before anything is pulled or written; run calls it once and hands the
// result to create. containerSpec then builds the spec once the image is there: the volumes a
// create makes, the host ports it claims and the image's defaults.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { InvalidArgumentError, InvalidStateError } from '../../src/errors';
import type { ProgressSink } from '../../src/progress';
import type { Runtime } from '../runtime';
import type { Image } from '../image/image-store';
import type { PortMapping } from '../network/network-spec';
import type { Attachment, Network } from '../network/user-network';
import type { MountSpec } from '../volume/volume-spec';
import { createVolume, getVolume, volumeExists } from '../volume/volume-store';
import { findRuntime, normalizeSignal } from '../oci/runtime';
import { capabilities, checkUserIds, processArgs } from '../oci/spec';
import { parseSdNotifyMode } from '../systemd/sd-notify';
import { CGROUP_V1_ROOTLESS_WARNING, cgroupsV2, parseResources, type ResourceLimits, type ResourceOptions } from './resource-flags';
import { log } from '../../src/log';
import { checkPulling, type CheckedPulling, type PullingOptions } from '../image/pull-flags';
import { checkAttach, checkRequires } from './attach-flags';
import { checkSecurity, finishSecurity, type SecurityOptions, type SecuritySpec } from './security-flags';
import { isUp, parseRestartPolicy, randomName, validName, type Container, type ContainerSpec } from './container';

// Modules only some creates need, required on first use (esbuild keeps these requires lazy).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  volumeSpec: () => require('../volume/volume-spec') as typeof import('../volume/volume-spec'),
  programs: () => require('../host/programs') as typeof import('../host/programs'),
  rootlessNet: () => require('../network/rootless-net') as typeof import('../network/rootless-net'),
  processFlags: () => require('./process-flags') as typeof import('./process-flags'),
  healthFlags: () => require('./health-flags') as typeof import('./health-flags'),
  logsSecrets: () => require('./logs-secrets-flags') as typeof import('./logs-secrets-flags'),
  networkSpec: () => require('../network/network-spec') as typeof import('../network/network-spec'),
  containerUserns: () => require('./container-userns') as typeof import('./container-userns'),
  userNetwork: () => require('../network/user-network') as typeof import('../network/user-network'),
  linkFlags: () => require('../network/link-flags') as typeof import('../network/link-flags'),
  resourceCgroups: () => require('./resource-cgroups') as typeof import('./resource-cgroups'),
  cgroupDelegation: () => require('../host/cgroup-delegation') as typeof import('../host/cgroup-delegation'),
  podMember: () => require('../pod/pod-member') as typeof import('../pod/pod-member'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface CreateOptions {
  image: string;
  command: string[];
  name?: string;
  env: string[];
  envFiles: string[];
  workdir?: string;
  user?: string;
  entrypoint?: string;
  hostname?: string;
  labels: string[];
  readOnly: boolean;
  init: boolean;
  cidFile?: string;
  replace: boolean;
  stopSignal?: string;
  stopTimeout?: number;
  pull: string;
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  interactive: boolean;
  tty: boolean;
  rm: boolean;
  network?: string;
  /** --link, --ip6, --link-local-ip (libpod/network/link-flags.ts). */
  links?: import('../network/link-flags').LinkFlags;
  publish?: string[];
  publishAll?: boolean;
  networkAliases?: string[];
  volumes?: string[];
  mounts?: string[];
  tmpfs?: string[];
  volumesFrom?: string[];
  ip?: string;
  macAddress?: string;
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
  addHosts?: string[];
  runtime?: string;
  restart?: string;
  sdNotify?: string;
  /** --memory, --cpus, ... as given. */
  resources?: ResourceOptions;
  ulimits?: string[];
  shmSize?: string;
  sysctls?: string[];
  tz?: string;
  annotations?: string[];
  labelFiles?: string[];
  expose?: string[];
  umask?: string;
  unsetEnv?: string[];
  unsetEnvAll?: boolean;
  envHost?: boolean;
  noHosts?: boolean;
  oomScoreAdj?: string;
  timeout?: number;
  /** Pulling, attaching and dependencies (pull-flags.ts). */
  pulling?: PullingOptions;
  attach?: string[];
  requires?: string[];
  /** --health-*, --no-healthcheck (health-flags.ts). */
  health?: import('./health-flags').HealthOptions;
  /** --userns, --uidmap, --gidmap, --subuidname, --subgidname, --group-add, --hostuser, --passwd-entry, --group-entry, --passwd. */
  userns?: import('./userns-flags').UsernsOptions;
  /** --log-driver, --log-opt, --conmon-pidfile, --pidfile, --secret, --rootfs, --env-merge, --http-proxy (issue 19). */
  logsSecrets?: import('./logs-secrets-flags').LogsSecretsOptions;
  /** --privileged, --device, --pid, --systemd, ... as given (security-flags.ts). */
  security?: SecurityOptions;
  createCommand: string[];
  createCwd?: string;
  progress: ProgressSink;
  /** Made by this process's build for one step (libpod/build): marked so that ps and rm leave it to the build. */
  buildOf?: { pid: number; start: string; makeDirs?: string[]; makeWorkdir?: boolean };
  /** --pod: the pod (name or ID) the container joins (libpod/pod/pod-member.ts); kube play sets it too. */
  pod?: string;
  /** --pod-id-file: the file holding the pod's ID. */
  podIdFile?: string;
  /** The pod's infra container itself (pod create): it belongs to the pod but joins nothing. */
  podInfra?: boolean;
  /** --init-ctr always|once: run before the pod's other containers at each pod start, or at the first only. */
  initCtr?: string;
}


/** create's flags, each checked and parsed: what the spec is built from once the image is there. */
export interface CheckedCreate {
  opts: CreateOptions;
  /** The runtime binary found for --runtime (or the configured one). */
  runtime: string;
  restartPolicy: ContainerSpec['restartPolicy'];
  sdNotifyMode: ContainerSpec['sdNotifyMode'];
  stopSignal: string;
  noNewPrivileges: boolean;
  env: string[];
  labels: Record<string, string>;
  entrypoint: string[] | undefined;
  network: NetworkFlags;
  mounts: MountSpec[];
  resources: ResourceLimits | undefined;
  /** --platform and the registry flags, --attach's streams, --requires as IDs. */
  pulling: CheckedPulling;
  attach: Array<'stdin' | 'stdout' | 'stderr'>;
  requires: string[];
  userns?: import('./container-userns').CheckedUserns;
  logsSecrets: import('./logs-secrets-flags').CheckedLogsSecrets;
  links: import('../network/link-flags').LinkSpec;
  security: SecuritySpec;
  process: Pick<ContainerSpec, 'ulimits' | 'shmSize' | 'sysctls' | 'annotations' | 'expose' | 'umask' | 'timezone' | 'oomScoreAdj' | 'unsetEnv' | 'unsetEnvAll' | 'noHosts'>;
}

/** The spec's network part. */
export type NetworkSettings = Pick<ContainerSpec, 'network' | 'networkOptions' | 'networks' | 'ports' | 'dns' | 'dnsSearch' | 'dnsOptions' | 'addHosts'>;

/** The network flags parsed and checked against each other. */
export interface NetworkFlags {
  mode: import('../network/network-spec').NetworkMode;
  ports: PortMapping[];
  addHosts: Array<{ host: string; ip: string }>;
  userNets: Attachment[] | undefined;
}

/** Every create/run flag checked, before any pull or write (run calls it once, before its monitor starts). */
export function checkCreate(rt: Runtime, given: CreateOptions): CheckedCreate {
  const opts = given.podInfra || (given.pod === undefined && given.podIdFile === undefined) ? given : lazy.podMember().inPod(rt.pods(), given);
  if (opts.name !== undefined && !validName(opts.name)) throw new InvalidArgumentError(`invalid container name "${opts.name}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
  // Containers and pods share one namespace of names, as in Podman.
  if (opts.name !== undefined && rt.pods().nameTaken(opts.name)) throw new InvalidStateError(`name "${opts.name}" is in use: pod already exists: choose another container name, or remove the pod (tspod pod rm ${opts.name})`);
  // --replace takes over a stale ID file too (a unit whose last stop never ran its ExecStopPost).
  if (opts.cidFile && !opts.replace && fs.existsSync(opts.cidFile)) throw new InvalidArgumentError(`container id file exists: ${opts.cidFile}: remove it, or choose another --cidfile (or use --replace)`);
  const sdNotifyMode = parseSdNotifyMode(opts.sdNotify);
  capabilities(opts.capAdd, opts.capDrop); // validates the names now rather than at start
  const stopSignal = normalizeSignal(opts.stopSignal ?? 'SIGTERM');
  const restartPolicy = parseRestartPolicy(opts.restart);
  if (opts.rm && restartPolicy.name !== 'no') throw new InvalidArgumentError(`the --rm option conflicts with --restart=${opts.restart}: a container that is removed when it exits cannot be restarted`);
  // --env-host: every variable of ours first, -e and --env-file over them.
  const env = [...(opts.envHost ? Object.entries(process.env).map(([k, v]) => `${k}=${v}`) : []), ...parseEnv(opts.env, opts.envFiles)];
  const labels = parseLabels([...labelFileLines(opts.labelFiles ?? []), ...opts.labels]);
  checkUserIds(opts.user);
  const runtime = findRuntime(rt.config, opts.runtime);
  const { security, noNewPrivileges } = checkSecurity(opts.security ?? {}, opts.securityOpt, (n) => rt.containers().resolve(n).id, (id) => rt.containers().resolve(id).spec.hostname, { hostname: opts.hostname, shmSize: opts.shmSize, noHosts: opts.noHosts, runtime });
  const network = networkFlags(rt, opts);
  const mounts = mountFlags(rt, opts);
  if (!['always', 'missing', 'never', 'newer'].includes(opts.pull)) throw new InvalidArgumentError(`invalid --pull policy "${opts.pull}": use always, missing, never or newer`);
  const resources = parseResources(opts.resources ?? {});
  const proc = processFlags(opts, network.mode.kind === 'host');
  const logsSecrets = lazy.logsSecrets().checkLogsSecrets(rt.paths.root, opts.image, opts.logsSecrets, opts.tty);
  // Rootless on cgroups v1 no cgroup can be written: Podman drops the limits with this warning. On
  // v2 those whose controller is not delegated are dropped, each with its warning.
  if (resources && !cgroupsV2()) log.warn(CGROUP_V1_ROOTLESS_WARNING);
  else if (resources) for (const w of lazy.resourceCgroups().applicableLimits(resources, lazy.cgroupDelegation().detectDelegation()).warnings) log.warn(w);
  if (opts.health && Object.values(opts.health).some((v) => v !== undefined && v !== false)) lazy.healthFlags().checkHealthFlags(opts.health);
  const pulling = checkPulling(opts.pulling);
  const attach = checkAttach(opts.attach);
  const requires = checkRequires(rt.containers(), opts.requires);
  const usernsOptions = usernsWithDefault(opts.userns, rt.config.containers.userns);
  const userns = usernsOptions && lazy.containerUserns().checkUserns(rt, usernsOptions, runtime);
  const imagePorts = (c: Container) => {
    try {
      return Object.keys(rt.imageStore().resolve(c.spec.imageId).config.config?.ExposedPorts ?? {});
    } catch {
      return []; // its image is gone: its --expose and -p ports only
    }
  };
  const links = lazy.linkFlags().checkLinkFlags(opts.links, !!network.userNets, (n) => rt.containers().resolve(n), imagePorts);
  return { opts, runtime, restartPolicy, sdNotifyMode, stopSignal, noNewPrivileges, env, labels, entrypoint: parseEntrypoint(opts.entrypoint), network, mounts, resources, pulling, attach, requires, process: proc, userns, logsSecrets, links, security };
}

/** Podman's default for --userns when no mapping flag is given: $PODMAN_USERNS, else containers.conf's userns. */
export function usernsWithDefault(given: CreateOptions['userns'], configured: string, env: NodeJS.ProcessEnv = process.env): CreateOptions['userns'] {
  const fallback = env.PODMAN_USERNS ?? configured;
  if (!fallback || (given && (given.userns !== undefined || given.uidmap.length || given.gidmap.length || given.subuidname !== undefined || given.subgidname !== undefined))) return given;
  return { uidmap: [], gidmap: [], groupAdd: [], hostuser: [], passwd: true, ...given, userns: fallback };
}

/** A name for a container created without --name: a free random one. */
export function chooseName(rt: Runtime, given: string | undefined): string {
  let name = given;
  if (name === undefined) {
    for (let i = 0; i < 20 && (name === undefined || rt.containers().nameTaken(name)); i++) name = i < 10 ? randomName() : `${randomName()}_${crypto.randomInt(1000)}`;
  }
  return name!;
}

/** -e entries and --env-file lines: KEY=VALUE, or KEY alone to take the value from our environment. */
export function parseEnv(entries: string[], files: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const lines: string[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (err) {
      throw new InvalidArgumentError(`parsing env file "${f}": ${openFailure(f, err)}: check the path given to --env-file`);
    }
    lines.push(...text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#')));
  }
  lines.push(...entries);
  const out: string[] = [];
  for (const l of lines) {
    const eq = l.indexOf('=');
    if (eq === 0) throw new InvalidArgumentError(`invalid environment variable "${l}": the name is empty`);
    if (eq > 0) out.push(l);
    else if (env[l] !== undefined) out.push(`${l}=${env[l]}`);
  }
  return out;
}


/** "open PATH: no such file or directory", as Go words a failed open (Podman's messages). */
function openFailure(file: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const why: Record<string, string> = { ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory', ENOTDIR: 'not a directory', ELOOP: 'too many levels of symbolic links' };
  return `open ${file}: ${(e.code && why[e.code]) ?? e.message}`;
}


/** --label key=value (key alone: an empty value); a label without a name is refused, as Podman does. */
export function parseLabels(entries: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const l of entries) {
    const eq = l.indexOf('=');
    if (eq === 0 || l === '') throw new InvalidArgumentError(`invalid label format: "${l}": a label needs a name (--label name=value)`);
    labels[eq < 0 ? l : l.slice(0, eq)] = eq < 0 ? '' : l.slice(eq + 1);
  }
  return labels;
}


function parseEntrypoint(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  if (value === '') return [];
  if (value.trim().startsWith('[')) {
    try {
      const parsed = JSON.parse(value);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
    } catch {
      /* not JSON: taken as one word */
    }
  }
  return [value];
}


/** -v, --mount, --tmpfs and --volumes-from parsed and checked (bind sources must exist), before any pull. */
export function mountFlags(rt: Runtime, opts: CreateOptions): MountSpec[] {
  const vs = lazy.volumeSpec();
  const mounts = [...(opts.volumes ?? []).map((v) => vs.parseVolumeFlag(v)), ...(opts.mounts ?? []).flatMap((m) => vs.parseMountFlags(m)), ...(opts.tmpfs ?? []).map((t) => vs.parseTmpfsFlag(t))];
  for (const from of opts.volumesFrom ?? []) {
    const [name, mode] = from.split(':');
    if (mode !== undefined && mode !== 'ro' && mode !== 'rw') throw new InvalidArgumentError(`invalid --volumes-from ${from}: use CONTAINER[:ro|rw]`);
    const other = rt.containers().resolve(name);
    for (const m of other.spec.mounts ?? []) {
      if ((m.type !== 'volume' && m.type !== 'bind') || mounts.some((x) => x.destination === m.destination)) continue;
      mounts.push({ ...m, anonymous: false, readOnly: mode === undefined ? m.readOnly : mode === 'ro' });
    }
  }
  for (const [i, m] of mounts.entries()) {
    // --mount type=image: the image must be here (Podman does not pull it); its layers are fixed now.
    if (m.type === 'image') {
      const img = rt.imageStore().resolve(m.source);
      mounts[i] = { ...m, imageId: img.id, layers: img.layers };
    }
    if (m.type !== 'bind') continue;
    // Any kind of file may be bound: directories, files, and sockets and FIFOs too (an API socket, /dev/log).
    if (!fs.existsSync(m.source)) throw new InvalidArgumentError(`bind source ${m.source} does not exist: create it first (tspod does not create host directories for -v)`);
  }
  vs.checkDestinations(mounts);
  return mounts;
}

/** Named volumes that do not exist are created; anonymous ones get a volume each, as do the image's VOLUMEs no mount covers. */
export function mountSettings(rt: Runtime, mounts: MountSpec[], imageVolumes: Record<string, unknown> | undefined, mode: SecuritySpec['imageVolume'] = 'anonymous'): MountSpec[] {
  const out = mounts.map((m) => {
    if (m.type !== 'volume') return m;
    if (m.anonymous || !m.source) return { ...m, source: createVolume(rt, undefined, { anonymous: true }).name, anonymous: true };
    if (!volumeExists(rt, m.source)) createVolume(rt, m.source, { ignore: true });
    // An anonymous volume mounted by its name (compose's recreate hands the old container's to the new
    // one) stays anonymous: rm -v removes it with its last container, as Podman decides by the volume.
    else if (getVolume(rt, m.source).config.anonymous) return { ...m, anonymous: true };
    return m;
  });
  for (const dest of Object.keys(imageVolumes ?? {})) {
    const d = dest.replace(/\/$/, '') || '/';
    if (d === '/' || mode === 'ignore' || out.some((m) => m.destination === d)) continue;
    // --image-volume tmpfs: an empty tmpfs there instead of a volume.
    if (mode === 'tmpfs') out.push({ type: 'tmpfs', source: '', destination: d, readOnly: false, chown: false, noCopy: false, tmpfsOptions: [] });
    else out.push({ type: 'volume', source: createVolume(rt, undefined, { anonymous: true }).name, destination: d, readOnly: false, chown: false, noCopy: false, anonymous: true });
  }
  return out;
}

/** The default rootless network: containers.conf's choice, else slirp4netns, else pasta, when installed. */
export function defaultNetwork(rt: Runtime): 'slirp4netns' | 'pasta' | 'none' {
  const { findProgram } = lazy.programs();
  const wanted = rt.config.network.defaultRootlessNetworkCmd;
  if (wanted !== 'auto') {
    lazy.rootlessNet().requireHelper(wanted, `default_rootless_network_cmd = "${wanted}" in containers.conf`);
    return wanted;
  }
  if (findProgram('slirp4netns')) return 'slirp4netns';
  if (findProgram('pasta')) return 'pasta';
  throw new InvalidStateError('no user-mode network stack is installed for rootless containers: install one (sudo apt-get install slirp4netns, or passt for pasta) or use --network none');
}

/** create's network flags parsed and checked against each other (before any pull). */
export function networkFlags(rt: Runtime, given: CreateOptions): NetworkFlags {
  const ns = lazy.networkSpec();
  // containers.conf's [containers] netns is the --network of a container created without one
  // (netns = "bridge": a plain run joins the default network podman, as in Podman).
  const opts = given.network === undefined && rt.config.containers.netns ? { ...given, network: rt.config.containers.netns } : given;
  const userNets = userNetworks(rt, opts);
  const mode = userNets ? { kind: 'bridge' as const, options: [] } : ns.parseNetworkMode(opts.network ?? '', opts.network === undefined || ['', 'private', 'bridge', 'default'].includes(opts.network.trim()) ? defaultNetwork(rt) : 'none');
  if (mode.kind === 'slirp4netns' || mode.kind === 'pasta') lazy.rootlessNet().requireHelper(mode.kind);
  const ports = (opts.publish ?? []).flatMap((p) => ns.parsePublish(p));
  if ((ports.length || opts.publishAll) && !['slirp4netns', 'pasta', 'bridge'].includes(mode.kind)) {
    throw new InvalidArgumentError(`cannot publish ports with --network ${mode.kind === 'container' ? `container:${mode.container}` : mode.kind}: ${mode.kind === 'host' ? 'the container uses the host\'s ports directly' : mode.kind === 'none' ? 'the container has no network to reach' : 'publish them on the container whose network it shares'}`);
  }
  ns.validateDns(opts.dns ?? []);
  if ((opts.dns?.length || opts.dnsSearch?.length || opts.dnsOptions?.length) && mode.kind === 'container') throw new InvalidArgumentError('--dns, --dns-search and --dns-option cannot be used with --network container:NAME: the container shares the other one\'s settings');
  const addHosts = (opts.addHosts ?? []).map((h) => ns.parseAddHost(h));
  if (!userNets && (opts.networkAliases?.length || opts.ip || opts.macAddress)) throw new InvalidArgumentError('--network-alias, --ip and --mac-address need a user-defined network: create one (tspod network create NAME) and use --network NAME');
  return { mode, ports, addHosts, userNets };
}

/**
 * --network naming user-defined networks (comma-separated): their attachments, the first with
 * --ip/--mac-address; undefined when the value is a mode. A name that is neither says so.
 */
export function userNetworks(rt: Runtime, opts: CreateOptions): Attachment[] | undefined {
  const value = opts.network?.trim();
  if (!value || /^(none|host|private|default|slirp4netns|pasta|container|ns)(:|$)/.test(value)) return undefined;
  const un = lazy.userNetwork();
  // bridge: Podman's default network (podman), as rootless Podman 5 takes it.
  const names = value.split(',').map((n) => (n.trim() === 'bridge' ? un.DEFAULT_NETWORK : n.trim())).filter(Boolean);
  const known = un.withDefaultNetwork(rt.db().listNetworks() as Network[]);
  const missing = names.filter((n) => !known.some((k) => k.name === n));
  if (missing.length) throw new InvalidArgumentError(`unknown network "${missing[0]}": create it with "tspod network create ${missing[0]}", or use a mode: none, host, slirp4netns[:options], pasta[:options], container:NAME`);
  const first = known.find((k) => k.name === names[0])!;
  if (opts.ip && !un.inSubnet(opts.ip, first.config.subnet)) throw new InvalidArgumentError(`--ip ${opts.ip} is not inside network ${first.name}'s subnet ${first.config.subnet}`);
  if (opts.macAddress && !/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(opts.macAddress)) throw new InvalidArgumentError(`invalid --mac-address "${opts.macAddress}": give six hex bytes such as 02:42:0a:59:01:05`);
  return names.map((name, i) => ({ name, aliases: opts.networkAliases ?? [], ...(i === 0 && opts.ip ? { ip: opts.ip } : {}), ...(i === 0 && opts.macAddress ? { mac: opts.macAddress.toLowerCase() } : {}) }));
}

/** The spec's network part: the mode (container: resolved to an ID), ports with their host ports chosen and checked free. */
export async function networkSettings(rt: Runtime, flags: NetworkFlags, opts: CreateOptions, image: Image): Promise<NetworkSettings> {
  const ns = lazy.networkSpec();
  let network: string = flags.mode.kind;
  if (flags.mode.kind === 'container') network = `container:${rt.containers().resolve(flags.mode.container!).id}`;
  const wanted = [...flags.ports, ...(opts.publishAll ? ns.exposedPorts(image.config.config?.ExposedPorts, flags.ports) : [])];
  checkPortsUnclaimed(rt, wanted.filter((p) => p.hostPort !== 0));
  const ports = wanted.length ? await lazy.rootlessNet().claimHostPorts(wanted) : [];
  return { network, networkOptions: flags.mode.options, ...(flags.userNets ? { networks: flags.userNets } : {}), ports, dns: opts.dns ?? [], dnsSearch: opts.dnsSearch ?? [], dnsOptions: opts.dnsOptions ?? [], addHosts: flags.addHosts.map((h) => `${h.host}:${h.ip}`) };
}

/** A host port a running container publishes is refused naming that container (the bind check would only say "in use"). */
export function checkPortsUnclaimed(rt: Runtime, ports: PortMapping[], self?: string): void {
  if (!ports.length) return;
  const { eachPort } = lazy.networkSpec();
  const key = (p: PortMapping) => `${p.hostPort}/${p.protocol}`;
  const mine = new Set(eachPort(ports).map(key));
  for (const other of rt.containers().list()) {
    if (other.id === self || !isUp(other.state)) continue;
    const clash = eachPort(other.spec.ports ?? []).find((p) => mine.has(key(p)));
    if (clash) throw new InvalidArgumentError(`host port ${clash.hostPort}/${clash.protocol} is already published by container ${other.name}: choose another host port, or remove ${other.name}`);
  }
}

/** The spec of a new container from its checked flags, its image, network and mounts. */
export function containerSpec(checked: CheckedCreate, id: string, image: Image, net: NetworkSettings, mounts: MountSpec[]): ContainerSpec {
  const { opts, entrypoint, stopSignal } = checked;
  const imageCfg = image.config.config ?? {};
  const { defaultUser, ...userns } = checked.userns?.forImage(image) ?? {};
  const extra = lazy.logsSecrets().logsSecretsSpec(checked.logsSecrets, imageCfg.Env ?? []);
  const args = processArgs(imageCfg, opts.command, entrypoint);
  const security = finishSecurity(checked.security, args, imageCfg.Labels);
  return {
    image: opts.image,
    imageId: image.id,
    imageName: image.names[0] ?? image.id.slice(7, 19),
    command: opts.command,
    entrypoint,
    env: [...extra.envBefore, ...checked.env, ...extra.envAfter],
    workdir: opts.workdir,
    user: opts.user ?? defaultUser,
    // Podman's: with the host's network the container is named as the host is, else by its short ID.
    hostname: opts.hostname ?? security?.joinedHostname ?? (net.network === 'host' || security?.uts === 'host' ? os.hostname() : id.slice(0, 12)),
    // Started by a unit (generate systemd, quadlet): the unit is named on the container, as Podman does.
    labels: { ...(imageCfg.Labels ?? {}), ...checked.labels, ...(process.env.TSPOD_SYSTEMD_UNIT ? { TSPOD_SYSTEMD_UNIT: process.env.TSPOD_SYSTEMD_UNIT } : {}) },
    terminal: opts.tty,
    stdin: opts.interactive,
    readOnly: opts.readOnly,
    init: opts.init,
    autoRemove: opts.rm,
    // systemd mode stops with SIGRTMIN+3 unless a signal was asked for (Podman's order: the user's, the image's, systemd's).
    stopSignal: opts.stopSignal ? stopSignal : imageCfg.StopSignal ? normalizeSignal(imageCfg.StopSignal) : security?.systemdMode ? normalizeSignal('RTMIN+3') : stopSignal,
    stopTimeout: opts.stopTimeout ?? 10,
    capAdd: opts.capAdd,
    capDrop: opts.capDrop,
    noNewPrivileges: checked.noNewPrivileges,
    ...net,
    ...(mounts.length ? { mounts } : {}),
    runtime: checked.runtime,
    restartPolicy: checked.restartPolicy,
    args,
    ...(security ? { security } : {}),
    createCommand: opts.createCommand,
    ...(opts.createCwd ? { createCwd: opts.createCwd } : {}),
    cidFile: opts.cidFile,
    sdNotifyMode: checked.sdNotifyMode,
    ...(checked.resources ? { resources: checked.resources } : {}),
    ...checked.links,
    ...(opts.timeout ? { timeout: opts.timeout } : {}),
    ...(checked.requires.length ? { requires: checked.requires } : {}),
    ...healthSpec(opts, imageCfg),
    ...Object.fromEntries(Object.entries(checked.process).filter(([, v]) => v !== undefined)),
    ...userns,
    ...extra.spec,
    ...(opts.buildOf ? { buildOf: opts.buildOf } : {}),
    ...(opts.pod ? { pod: opts.pod } : {}),
    ...(opts.initCtr ? { initCtr: opts.initCtr as ContainerSpec['initCtr'] } : {}),
  };
}

/** The healthcheck: the flags' over the image's (only loaded when there is either). */
function healthSpec(opts: CreateOptions, imageCfg: NonNullable<Image['config']['config']>): Pick<ContainerSpec, 'healthcheck'> {
  const given = opts.health && Object.values(opts.health).some((v) => v !== undefined && v !== false);
  if (!given && !imageCfg.Healthcheck) return {};
  const check = lazy.healthFlags().healthCheck(opts.health, imageCfg.Healthcheck);
  return check ? { healthcheck: check } : {};
}

/** The process options checked (see process-flags.ts); absent ones undefined. */
function processFlags(opts: CreateOptions, hostNetwork: boolean): CheckedCreate['process'] {
  const pf = lazy.processFlags();
  if (opts.noHosts && opts.addHosts?.length) throw new InvalidArgumentError('--no-hosts and --add-host cannot be set together: drop one of them');
  const nonEmpty = <T extends object>(o: T) => (Object.keys(o).length ? o : undefined);
  return {
    ulimits: opts.ulimits?.length ? pf.parseUlimits(opts.ulimits, () => fs.readFileSync('/proc/self/limits', 'utf8')) : undefined,
    shmSize: opts.shmSize === undefined ? undefined : pf.parseShmSize(opts.shmSize),
    sysctls: nonEmpty(pf.parseSysctls(opts.sysctls ?? [], hostNetwork)),
    annotations: nonEmpty(pf.parseAnnotations(opts.annotations ?? [])),
    expose: opts.expose?.length ? pf.parseExpose(opts.expose) : undefined,
    umask: opts.umask === undefined ? undefined : pf.checkUmask(opts.umask),
    timezone: opts.tz === undefined ? undefined : pf.checkTimezone(opts.tz),
    oomScoreAdj: opts.oomScoreAdj === undefined ? undefined : pf.parseOomScoreAdj(opts.oomScoreAdj),
    unsetEnv: opts.unsetEnv?.length ? opts.unsetEnv : undefined,
    unsetEnvAll: opts.unsetEnvAll || undefined,
    noHosts: opts.noHosts || undefined,
  };
}

/** --label-file: KEY=VALUE lines (blank lines and # comments skipped). */
export function labelFileLines(files: string[]): string[] {
  return files.flatMap((f) => {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (err) {
      throw new InvalidArgumentError(`parsing label file "${f}": ${openFailure(f, err)}: check the path given to --label-file`);
    }
    return text.split('\n').map((l) => l.replace(/\r$/, '').trim()).filter((l) => l !== '' && !l.startsWith('#'));
  });
}
