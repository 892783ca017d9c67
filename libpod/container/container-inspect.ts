// `inspect` of a container in Podman 5's shape (InspectContainerData): every key Podman prints, in
// its order, with the values that hold for this container; keys Podman omits when empty are
// omitted here on the same condition, and features tspod lacks show Podman's zero values. Pure:
// the engine gathers the facts (image, networks, files present, sizes) and passes them in.
import { HEALTH_DEFAULTS, readHealth } from '../../conmon/health';
import { healthConfigOf, startupConfigOf } from './health-flags';
import { inspectResources } from './resource-flags';
import { inspectSecurity } from './security-flags';
import path from 'node:path';
import type { ContainerConfig } from '../image/image-changes';
import type { Network } from '../network/user-network';
import { parseSubnet } from '../network/user-network';
import { eachPort } from '../network/network-spec';
import { capabilities, processEnv } from '../oci/spec';
import { volumePath, type MountSpec } from '../volume/volume-spec';
import { isUp, joinedContainers, type Container, type ContainerPaths } from './container';
import { inspectLogConfig } from './log-flags';
import { inspectSecrets } from '../secret/secret-use';
import { goHumanSize } from '../../src/human-units';

/** Go's zero time, as Podman prints a time that never happened. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';
const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : ZERO_TIME);

/** Where the runtime mounts catatonit for --init, and the pid file it writes (container-runner). */
const INIT_PATH = '/run/tspod-init';

export interface ContainerInspectFacts {
  c: Container;
  paths: ContainerPaths;
  /** The image's config (Env, Cmd, WorkingDir...) and manifest digest; undefined if it is gone. */
  image?: { config: ContainerConfig; digest: string; size: number };
  /** The image's layer directories, topmost first (GraphDriver.LowerDir). */
  lowers: string[];
  /** The user-defined networks by name (their IDs, subnets and gateways). */
  networks: Record<string, Network>;
  /** With --network container:ID: that container's facts (its network settings are shown, as Podman does). */
  netnsOwner?: ContainerInspectFacts;
  /** The infra container's ID of the pod it belongs to (IsInfra). */
  podInfraId?: string;
  /** Which of the files a start writes exist (a container never started has none). */
  files: { resolvConf: boolean; hosts: boolean; hostname: boolean; ociConfig: boolean };
  /** The resource limits of the runtime spec of its last start (none before it ever started). */
  rlimits: Array<{ type: string; soft: number; hard: number }>;
  /** inspect --size: bytes in the writable layer, and those plus the image's. */
  size?: { rw: number; rootFs: number };
}

/** Podman's InspectContainerData for the container. */
export function inspectContainer(f: ContainerInspectFacts): Record<string, unknown> {
  const { c, paths: p } = f;
  const args = [...(c.spec.init ? [INIT_PATH, '--'] : []), ...c.spec.args];
  const caps = capabilities(c.spec.capAdd, c.spec.capDrop);
  const up = isUp(c.state) || c.state === 'initialized'; // made by the runtime: its pid, monitor and network exist
  return {
    Id: c.id,
    Created: iso(c.createdAt),
    Path: args[0] ?? '',
    Args: args.slice(1),
    State: inspectState(c, f.paths.healthFile),
    Image: c.spec.imageId.replace(/^sha256:/, ''),
    ImageDigest: f.image?.digest ?? '',
    ImageName: c.spec.imageName,
    Rootfs: c.spec.rootfs?.path ?? '',
    Pod: c.spec.pod ?? '',
    ResolvConfPath: f.files.resolvConf ? `${p.bundle}/resolv.conf` : '',
    HostnamePath: f.files.hostname ? `${p.bundle}/hostname` : '',
    HostsPath: f.files.hosts ? `${p.bundle}/hosts` : '',
    StaticDir: p.bundle,
    ...(f.files.ociConfig ? { OCIConfigPath: `${p.bundle}/config.json` } : {}),
    OCIRuntime: c.spec.runtime.split('/').pop(),
    ConmonPidFile: c.spec.conmonPidFile ?? p.monitorPidFile,
    PidFile: c.spec.pidFile ?? `${p.bundle}/container.pid`,
    Name: c.name,
    RestartCount: c.status.restartCount ?? 0,
    Driver: 'overlay',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    EffectiveCaps: caps,
    BoundingCaps: caps,
    ExecIDs: [],
    GraphDriver: { Name: 'overlay', Data: graphDriverData(f) },
    ...(f.size ? { SizeRw: f.size.rw, SizeRootFs: f.size.rootFs } : {}),
    Mounts: inspectMounts(c.spec.mounts ?? [], p),
    Dependencies: joinedContainers(c.spec),
    NetworkSettings: networkSettings(f, up),
    Namespace: '',
    IsInfra: c.spec.pod !== undefined && f.podInfraId === c.id,
    IsService: false,
    KubeExitCodePropagation: 'invalid',
    lockNumber: 0,
    Config: inspectConfig(f),
    HostConfig: inspectHostConfig(f, caps),
    UseImageHosts: false,
    UseImageHostname: false,
  };
}

function inspectState(c: Container, healthFile: string): Record<string, unknown> {
  const up = isUp(c.state) || c.state === 'initialized'; // made by the runtime: its pid, monitor and network exist
  return {
    OciVersion: '1.0.2',
    Status: c.state,
    Running: c.state === 'running',
    Paused: false,
    Restarting: c.state === 'restarting',
    OOMKilled: false,
    Dead: false,
    Pid: up ? (c.status.pid ?? 0) : 0,
    ...(up && c.status.monitorPid ? { ConmonPid: c.status.monitorPid } : {}),
    ExitCode: c.status.exitCode ?? 0,
    Error: c.status.error ?? '',
    StartedAt: iso(c.status.startedAt),
    FinishedAt: iso(c.status.finishedAt),
    CheckpointedAt: ZERO_TIME,
    RestoredAt: ZERO_TIME,
    ...(c.status.stoppedByUser ? { StoppedByUser: true } : {}),
    ...(c.spec.healthcheck ? { Health: inspectHealth(c, healthFile) } : {}),
  };
}

/** State.Health: the monitor's record (its helper fields left out), starting before the first result. */
function inspectHealth(c: Container, file: string): Record<string, unknown> {
  const h = readHealth(file);
  return { Status: c.state === 'running' ? (h?.Status ?? 'starting') : (h?.Status ?? ''), FailingStreak: h?.FailingStreak ?? 0, Log: h?.Log ?? null };
}

/** Go marshals a map with its keys sorted: LowerDir, MergedDir (while mounted), UpperDir, WorkDir. */
function graphDriverData(f: ContainerInspectFacts): Record<string, string> {
  return {
    ...(f.lowers.length ? { LowerDir: f.lowers.join(':') } : {}),
    ...(f.c.status.mounted ? { MergedDir: f.paths.rootfs } : {}),
    UpperDir: f.paths.upper,
    WorkDir: f.paths.work,
  };
}

/** The options tspod's runtime spec gives a volume or bind mount, as Podman splits them for inspect. */
function mountOptions(m: MountSpec): { opts: string[]; propagation: string } {
  return { opts: ['rbind'], propagation: m.propagation ?? 'rprivate' };
}

/** Named volumes, then bind mounts, as Podman lists them; tmpfs mounts are not listed (HostConfig.Tmpfs has them). */
function inspectMounts(mounts: MountSpec[], p: ContainerPaths): Array<Record<string, unknown>> {
  const root = path.dirname(path.dirname(p.dir)); // p.dir is <root>/containers/<id>
  const one = (m: MountSpec) => {
    const { opts, propagation } = mountOptions(m);
    return {
      Type: m.type,
      ...(m.type === 'volume' ? { Name: m.source } : {}),
      Source: m.type === 'volume' ? volumePath(root, m.source) : m.source,
      Destination: m.destination,
      Driver: m.type === 'volume' ? 'local' : '',
      Mode: '',
      Options: opts,
      RW: !m.readOnly,
      Propagation: propagation,
    };
  };
  const image = (m: MountSpec) => ({ Type: 'image', Source: (m.imageId ?? '').replace(/^sha256:/, ''), Destination: m.destination, ...(m.subpath ? { SubPath: m.subpath } : {}), Driver: '', Mode: '', Options: ['rbind'], RW: !m.readOnly, Propagation: 'rprivate' });
  return [...mounts.filter((m) => m.type === 'volume').map(one), ...mounts.filter((m) => m.type === 'bind').map(one), ...mounts.filter((m) => m.type === 'image').map(image)];
}

/** Docker's Ports map: "80/tcp" → [{HostIp, HostPort}], an unset host address shown as 0.0.0.0, exposed ports without a binding as null. */
function portMap(c: Container, exposed: Record<string, unknown> | undefined, withExposed: boolean): Record<string, Array<{ HostIp: string; HostPort: string }> | null> {
  const out: Record<string, Array<{ HostIp: string; HostPort: string }> | null> = {};
  for (const port of eachPort(c.spec.ports ?? [])) {
    (out[`${port.containerPort}/${port.protocol}`] ??= [])!.push({ HostIp: port.hostIp || '0.0.0.0', HostPort: String(port.hostPort) });
  }
  if (withExposed) for (const key of Object.keys(exposed ?? {})) if (!(key in out)) out[key.includes('/') ? key : `${key}/tcp`] = null;
  return out;
}

const emptyBasic = () => ({ EndpointID: '', Gateway: '', IPAddress: '', IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, MacAddress: '' });

/**
 * Podman's NetworkSettings: container:ID shows the other container's; a running container on
 * user-defined networks has an entry per network with its address (the top-level address stays
 * empty, as Podman leaves it for any network but its default one); slirp4netns and pasta have no
 * addresses Podman knows of while running; a stopped container gets a placeholder per network
 * (its mode's name for the modes).
 */
function networkSettings(f: ContainerInspectFacts, up: boolean): Record<string, unknown> {
  const { c } = f;
  if (f.netnsOwner) return networkSettings(f.netnsOwner, isUp(f.netnsOwner.c.state));
  const settings: Record<string, unknown> = {
    ...emptyBasic(),
    Bridge: '',
    SandboxID: '',
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    Ports: portMap(c, f.image?.config.ExposedPorts, c.spec.network !== 'host'),
    SandboxKey: '',
  };
  const attached = c.spec.network === 'bridge' ? (c.spec.networks ?? []) : [];
  const netns = up ? c.status.network?.netns : undefined;
  const entry = (name: string, aliases: string[], basic: ReturnType<typeof emptyBasic>) => ({
    ...basic,
    NetworkID: f.networks[name]?.id ?? name,
    DriverOpts: null,
    IPAMConfig: null,
    Links: null,
    ...(aliases.length ? { Aliases: aliases } : {}),
  });
  if (!netns) {
    if (c.spec.network === 'none' && up && c.status.pid) settings.SandboxKey = `/proc/${c.status.pid}/ns/net`;
    settings.Networks = attached.length
      ? Object.fromEntries(attached.map((a) => [a.name, entry(a.name, a.aliases, emptyBasic())]))
      : { [c.spec.network]: entry(c.spec.network, [], emptyBasic()) };
    return settings;
  }
  settings.SandboxKey = netns;
  if (!attached.length) return settings; // slirp4netns, pasta: no status of addresses
  settings.Networks = Object.fromEntries(
    attached.map((a) => {
      const live = c.status.network?.ips?.[a.name];
      const net = f.networks[a.name];
      const basic = emptyBasic();
      if (live) {
        basic.IPAddress = live.ip;
        basic.IPPrefixLen = net ? parseSubnet(net.config.subnet).bits : (c.status.network?.prefixLength ?? 0);
        basic.Gateway = net?.config.gateway ?? c.status.network?.gateway ?? '';
        basic.MacAddress = live.mac;
      }
      return [a.name, entry(a.name, a.aliases, basic)];
    }),
  );
  return settings;
}

/** Config: what the container runs with, the image's defaults filled in as the runtime spec has them. */
function inspectConfig(f: ContainerInspectFacts): Record<string, unknown> {
  const { c } = f;
  const img = f.image?.config ?? {};
  const exposed = new Set<string>(Object.keys(img.ExposedPorts ?? {}).map((k) => (k.includes('/') ? k : `${k}/tcp`)));
  for (const port of eachPort(c.spec.ports ?? [])) exposed.add(`${port.containerPort}/${port.protocol}`);
  for (const port of c.spec.expose ?? []) exposed.add(port);
  const annotations = specAnnotations(c);
  let env: string[];
  try {
    env = processEnv(img, c.spec.env, c.spec.hostname, c.spec.terminal, { names: c.spec.unsetEnv, all: c.spec.unsetEnvAll });
  } catch {
    env = c.spec.env; // an image entry that is no KEY=VALUE: the runtime would refuse it too
  }
  const entrypoint = c.spec.entrypoint ?? img.Entrypoint ?? [];
  const cmd = c.spec.command.length ? c.spec.command : c.spec.entrypoint !== undefined ? [] : (img.Cmd ?? []);
  return {
    Hostname: c.spec.hostname,
    Domainname: '',
    User: c.spec.user ?? img.User ?? '',
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: c.spec.terminal,
    OpenStdin: c.spec.stdin,
    StdinOnce: false,
    // An env secret shows its name only, as Podman masks it.
    Env: [...env, ...(c.spec.secrets ?? []).filter((u) => u.type === 'env').map((u) => `${u.target}=*******`)],
    Cmd: cmd.length ? cmd : null,
    Image: c.spec.imageName,
    Volumes: null,
    WorkingDir: c.spec.workdir || img.WorkingDir || '/',
    Entrypoint: entrypoint.length ? entrypoint : null,
    OnBuild: null,
    Labels: Object.keys(c.spec.labels).length ? c.spec.labels : null,
    Annotations: Object.keys(annotations).length ? annotations : null,
    StopSignal: c.spec.stopSignal,
    ...(c.spec.healthcheck ? { Healthcheck: healthConfigOf(c.spec.healthcheck) } : {}),
    ...(c.spec.healthcheck?.startup ? { StartupHealthCheck: startupConfigOf(c.spec.healthcheck.startup) } : {}),
    HealthcheckOnFailureAction: c.spec.healthcheck?.onFailure ?? 'none',
    HealthLogDestination: c.spec.healthcheck?.logDestination ?? 'local',
    HealthcheckMaxLogCount: c.spec.healthcheck?.maxLogCount ?? HEALTH_DEFAULTS.maxLogCount,
    HealthcheckMaxLogSize: c.spec.healthcheck?.maxLogSize ?? HEALTH_DEFAULTS.maxLogSize,
    ...(c.spec.createCommand.length ? { CreateCommand: c.spec.createCommand } : {}),
    Umask: c.spec.umask ?? '0022',
    ...(c.spec.timezone ? { Timezone: c.spec.timezone } : {}),
    ...(inspectSecrets(c.spec.secrets) ? { Secrets: inspectSecrets(c.spec.secrets) } : {}),
    Timeout: c.spec.timeout ?? 0,
    StopTimeout: c.spec.stopTimeout,
    ...(c.spec.sdNotifyMode ? { sdNotifyMode: c.spec.sdNotifyMode } : {}),
    ...(c.spec.security?.systemdMode ? { SystemdMode: true } : {}),
    ...(c.spec.security?.chrootDirs ? { ChrootDirs: c.spec.security.chrootDirs } : {}),
    ...(exposed.size ? { ExposedPorts: Object.fromEntries([...exposed].sort().map((k) => [k, {}])) } : {}),
  };
}

/** The annotations Podman 5 puts in the runtime spec for these flags (only the true ones). */
function specAnnotations(c: Container): Record<string, string> {
  return {
    ...(c.spec.annotations ?? {}),
    ...(c.spec.cidFile ? { 'io.podman.annotations.cid-file': c.spec.cidFile } : {}),
    ...(c.spec.autoRemove ? { 'io.podman.annotations.autoremove': 'TRUE' } : {}),
    ...(c.spec.init ? { 'io.podman.annotations.init': 'TRUE' } : {}),
    ...(c.spec.security?.privileged ? { 'io.podman.annotations.privileged': 'TRUE' } : {}),
  };
}

const idMapStrings = (map: Array<{ containerId: number; hostId: number; size: number }>) => map.map((m) => `${m.containerId}:${m.hostId}:${m.size}`);

/** Podman's default capabilities (CapAdd/CapDrop are measured against them, sorted). */
const DEFAULTS = capabilities([], []);

function inspectHostConfig(f: ContainerInspectFacts, caps: string[]): Record<string, unknown> {
  const { c, paths: p } = f;
  const mounts = c.spec.mounts ?? [];
  const annotations = specAnnotations(c);
  const modeOpts = (m: MountSpec) => [m.readOnly ? 'ro' : 'rw', m.propagation ?? 'rprivate', 'rbind'].join(',');
  const binds = [...mounts.filter((m) => m.type === 'volume'), ...mounts.filter((m) => m.type === 'bind')].map((m) => `${m.source}:${m.destination}:${modeOpts(m)}`);
  const tmpfs = Object.fromEntries(mounts.filter((m) => m.type === 'tmpfs').map((m) => [m.destination, [m.readOnly ? 'ro' : 'rw', 'nosuid', 'nodev', ...(m.tmpfsOptions ?? [])].join(',')]));
  const ownNetns = !c.spec.network.startsWith('container:') && c.spec.network !== 'host';
  return {
    Binds: binds,
    CgroupManager: 'cgroupfs',
    CgroupMode: 'host',
    ContainerIDFile: c.spec.cidFile ?? '',
    LogConfig: inspectLogConfig(c.spec.log, p.log, goHumanSize),
    NetworkMode: c.spec.network,
    PortBindings: ownNetns ? portMap(c, undefined, false) : {},
    RestartPolicy: { Name: c.spec.restartPolicy?.name ?? 'no', MaximumRetryCount: c.spec.restartPolicy?.maxRetries ?? 0 },
    AutoRemove: c.spec.autoRemove,
    AutoRemoveImage: false,
    Annotations: Object.keys(annotations).length ? annotations : null,
    VolumeDriver: '',
    VolumesFrom: null,
    CapAdd: caps.filter((x) => !DEFAULTS.includes(x)),
    CapDrop: DEFAULTS.filter((x) => !caps.includes(x)),
    Dns: c.spec.dns ?? [],
    DnsOptions: c.spec.dnsOptions ?? [],
    DnsSearch: c.spec.dnsSearch ?? [],
    ExtraHosts: c.spec.addHosts ?? [],
    HostsFile: '',
    GroupAdd: c.spec.userns?.groupAdd ?? [],
    IpcMode: 'shareable',
    Cgroup: '',
    Cgroups: 'default',
    Links: null,
    OomScoreAdj: c.spec.oomScoreAdj ?? 0,
    PidMode: 'private',
    Privileged: false,
    PublishAllPorts: false,
    ReadonlyRootfs: c.spec.readOnly,
    SecurityOpt: c.spec.noNewPrivileges ? ['no-new-privileges'] : [],
    Tmpfs: tmpfs,
    UTSMode: 'private',
    // Podman's: "private" for a namespace of the container's own, "ns:PATH" for one joined; the maps as C:H:N.
    UsernsMode: c.spec.userns?.path ? `ns:${c.spec.userns.path}` : c.spec.userns?.uidMap ? 'private' : '',
    ...(c.spec.userns?.uidMap && !c.spec.userns.path ? { IDMappings: { UidMap: idMapStrings(c.spec.userns.uidMap), GidMap: idMapStrings(c.spec.userns.gidMap ?? []) } } : {}),
    ShmSize: c.spec.shmSize ?? 65536 * 1024, // /dev/shm is mounted with size=65536k unless --shm-size
    Runtime: 'oci',
    ConsoleSize: [0, 0],
    Isolation: '',
    CpuShares: 0,
    Memory: 0,
    NanoCpus: 0,
    CgroupParent: '',
    BlkioWeight: 0,
    BlkioWeightDevice: null,
    BlkioDeviceReadBps: null,
    BlkioDeviceWriteBps: null,
    BlkioDeviceReadIOps: null,
    BlkioDeviceWriteIOps: null,
    CpuPeriod: 0,
    CpuQuota: 0,
    CpuRealtimePeriod: 0,
    CpuRealtimeRuntime: 0,
    CpusetCpus: '',
    CpusetMems: '',
    Devices: [],
    DiskQuota: 0,
    KernelMemory: 0,
    MemoryReservation: 0,
    MemorySwap: 0,
    MemorySwappiness: 0,
    OomKillDisable: false,
    ...(c.spec.init ? { Init: true } : {}),
    ...inspectResources(c.spec.resources),
    ...(c.spec.sysctls ? { Sysctls: c.spec.sysctls } : {}),
    Ulimits: f.rlimits.map((r) => ({ Name: r.type, Soft: r.soft, Hard: r.hard })),
    CpuCount: 0,
    CpuPercent: 0,
    IOMaximumIOps: 0,
    IOMaximumBandwidth: 0,
    CgroupConf: null,
    ...inspectSecurity(c.spec.security, c.spec.noNewPrivileges),
  };
}
