// Docker's shapes for the system endpoints, from tspod's own reports: /info from `info`'s report,
// events from the event rows (Podman's action names where Docker's differ), /system/df from df.
import type { DfReport, EventReport } from '../../libpod/entities';

type Info = { host: Record<string, any>; store: Record<string, any>; registries: Record<string, any>; version: Record<string, unknown> }; // eslint-disable-line @typescript-eslint/no-explicit-any

const ARCH: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64', '386': 'i386' };

/** GET /info from the info report; id is the store's stable ID (its graph root, hashed by the caller). */
export function dockerInfo(r: Info, o: { id: string; serverVersion: string; images: number; runtimes: string[] }): Record<string, unknown> {
  const h = r.host;
  const s = r.store;
  const cs = s.containerStore ?? {};
  const dist = h.distribution ?? {};
  const insecure = Object.values(r.registries).filter((v: any) => v && typeof v === 'object' && !Array.isArray(v) && v.Insecure).map((v: any) => v.Location as string); // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    ID: o.id,
    Containers: cs.number ?? 0,
    ContainersRunning: cs.running ?? 0,
    ContainersPaused: cs.paused ?? 0,
    ContainersStopped: cs.stopped ?? 0,
    Images: o.images,
    Driver: s.graphDriverName,
    DriverStatus: Object.entries(s.graphStatus ?? {}).map(([k, v]) => [k, String(v)]),
    Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'none'], Authorization: null, Log: ['k8s-file', 'json-file'] },
    MemoryLimit: h.cgroupVersion === 'v2',
    SwapLimit: h.cgroupVersion === 'v2',
    KernelMemory: false,
    CpuCfsPeriod: h.cgroupVersion === 'v2',
    CpuCfsQuota: h.cgroupVersion === 'v2',
    CPUShares: h.cgroupVersion === 'v2',
    CPUSet: h.cgroupVersion === 'v2',
    PidsLimit: h.cgroupVersion === 'v2',
    IPv4Forwarding: true,
    BridgeNfIptables: false,
    BridgeNfIp6tables: false,
    Debug: false,
    NFd: 0,
    OomKillDisable: false,
    NGoroutines: 0,
    SystemTime: new Date().toISOString(),
    LoggingDriver: 'k8s-file',
    CgroupDriver: 'cgroupfs',
    CgroupVersion: String(h.cgroupVersion ?? '').replace(/^v/, ''),
    NEventsListener: 0,
    KernelVersion: h.kernel,
    OperatingSystem: [dist.distribution, dist.version].filter(Boolean).join(' ') || 'linux',
    OSVersion: dist.version ?? '',
    OSType: 'linux',
    Architecture: ARCH[h.arch] ?? h.arch,
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: { AllowNondistributableArtifactsCIDRs: [], AllowNondistributableArtifactsHostnames: [], InsecureRegistryCIDRs: ['127.0.0.0/8'], IndexConfigs: Object.fromEntries(insecure.map((l) => [l, { Name: l, Mirrors: [], Secure: false, Official: false }])), Mirrors: [] },
    NCPU: h.cpus,
    MemTotal: h.memTotal,
    GenericResources: null,
    DockerRootDir: s.graphRoot,
    HttpProxy: process.env.HTTP_PROXY ?? process.env.http_proxy ?? '',
    HttpsProxy: process.env.HTTPS_PROXY ?? process.env.https_proxy ?? '',
    NoProxy: process.env.NO_PROXY ?? process.env.no_proxy ?? '',
    Name: h.hostname,
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: o.serverVersion,
    Runtimes: Object.fromEntries(o.runtimes.map((n) => [n, { path: n }])),
    DefaultRuntime: h.ociRuntime?.name ?? 'runc',
    Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
    LiveRestoreEnabled: false,
    Isolation: '',
    InitBinary: h.catatonit?.executable ?? '',
    ContainerdCommit: { ID: '', Expected: '' },
    RuncCommit: { ID: '', Expected: '' },
    InitCommit: { ID: '', Expected: '' },
    SecurityOptions: ['name=rootless', ...(h.security?.seccompEnabled ? ['name=seccomp,profile=default'] : []), ...(h.cgroupVersion === 'v2' ? ['name=cgroupns'] : [])],
    Warnings: h.cgroupVersion === 'v2' ? [] : ['WARNING: cgroups v1: resource limits are not applied to rootless containers'],
  };
}

/** Docker's names for the actions whose names Podman changed. */
const ACTIONS: Record<string, string> = { died: 'die', exec_died: 'exec_die', remove: 'destroy' };

/** One event in Docker's shape (with the older status/id/from fields for containers). */
export function dockerEvent(e: EventReport): Record<string, unknown> {
  let action = e.type === 'container' ? (ACTIONS[e.action] ?? e.action) : e.action === 'remove' ? (e.type === 'image' ? 'delete' : 'destroy') : e.action;
  if (e.action === 'health_status' && e.healthStatus) action = `health_status: ${e.healthStatus}`;
  const attributes: Record<string, string> = { ...e.attributes };
  if (e.name) attributes.name = e.name;
  if (e.image) attributes.image = e.image;
  if (e.exitCode !== undefined) attributes.exitCode = String(e.exitCode);
  if (e.network) attributes.container = e.actorId;
  const timeNano = Number(e.time);
  const out: Record<string, unknown> = {
    Type: e.type,
    Action: action,
    Actor: { ID: e.actorId || e.name, Attributes: attributes },
    scope: 'local',
    time: Math.floor(timeNano / 1e9),
    timeNano,
  };
  if (e.type === 'container') Object.assign(out, { status: action, id: e.actorId, from: e.image });
  return out;
}

/**
 * Docker's events filters as tspod's (key=value): container, image, label, type, event, volume,
 * network are the same; Docker's event names are tspod's once mapped back.
 */
export function eventFilters(filters: Record<string, string[]>): string[] {
  const back = Object.fromEntries(Object.entries(ACTIONS).map(([k, v]) => [v, k]));
  const out: string[] = [];
  for (const [key, values] of Object.entries(filters)) {
    for (const v of values) out.push(key === 'event' ? `event=${back[v] ?? v}` : `${key}=${v}`);
  }
  return out;
}

/** Docker's since/until: seconds (with a fraction) since the epoch, or an RFC 3339 time; in ms. */
export function eventTime(v: string | null): number | undefined {
  if (v === null || v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw Object.assign(new Error(`invalid time ${JSON.stringify(v)}: give seconds since the epoch or an RFC 3339 time`), { code: 'EINVAL' });
  return ms;
}

/** GET /system/df from df's report. */
export function dockerDf(r: DfReport): Record<string, unknown> {
  return {
    LayersSize: r.ImagesSize,
    Images: r.Images.map((i) => ({
      Id: i.ImageID.startsWith('sha256:') ? i.ImageID : `sha256:${i.ImageID}`,
      ParentId: '',
      RepoTags: i.Repository === '<none>' ? [] : [`${i.Repository}:${i.Tag}`],
      RepoDigests: [],
      Created: i.Created,
      Size: i.Size,
      SharedSize: i.SharedSize,
      VirtualSize: i.Size,
      Labels: {},
      Containers: i.Containers,
    })),
    Containers: r.Containers.map((c) => ({ Id: c.ContainerID, Names: [`/${c.Names}`], Image: c.Image, Command: c.Command.join(' '), Created: c.Created, State: c.Status, Status: c.Status, SizeRw: c.RWSize, SizeRootFs: c.RWSize, Labels: {}, Mounts: [] })),
    Volumes: r.Volumes.map((v) => ({ Name: v.VolumeName, Driver: 'local', Mountpoint: '', Labels: {}, Scope: 'local', Options: {}, UsageData: { Size: v.Size, RefCount: v.Links } })),
    BuildCache: [],
  };
}
