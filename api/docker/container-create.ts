// POST /containers/create: Docker's Config, HostConfig and NetworkingConfig turned into the same
// CreateOptions the CLI builds from its flags (commands/container/create-flags.ts), each field
// given as its flag would be, so that the engine checks it exactly as it checks the flag. Pure.
import type { CreateOptions } from '../../libpod/entities';
import { ApiError } from '../types';

type Dict = Record<string, unknown>;

export interface DockerCreateBody extends Dict {
  HostConfig?: Dict;
  NetworkingConfig?: { EndpointsConfig?: Record<string, Dict | null> } | null;
}

const NS = 1e6; // Docker's durations are nanoseconds; the flags' bare "ms" numbers milliseconds.

function strings(v: unknown, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new ApiError(400, `invalid ${field}: give a list of strings`);
  return v as string[];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ApiError(400, `invalid ${field}: give a number`);
  return v;
}

/** A positive number as the flag's text; 0 (Docker's "unset") as undefined. */
function positive(v: unknown, field: string): string | undefined {
  const n = num(v, field);
  return n ? String(n) : undefined;
}

function map(v: unknown, field: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new ApiError(400, `invalid ${field}: give an object`);
  return v as Record<string, unknown>;
}

/** A duration in nanoseconds as the health flags take it; 0 is Docker's "inherit". */
function duration(v: unknown, field: string): string | undefined {
  const n = num(v, field);
  if (!n) return undefined;
  if (n < 0) throw new ApiError(400, `invalid ${field}: a duration cannot be negative`);
  return `${n / NS}ms`;
}

/** Config.Healthcheck: Test ["CMD", ...] / ["CMD-SHELL", cmd] / ["NONE"] / [] (the image's). */
export function healthOptions(h: unknown): NonNullable<CreateOptions['health']> {
  const hc = map(h, 'Healthcheck');
  const test = strings(hc.Test, 'Healthcheck.Test');
  const out: NonNullable<CreateOptions['health']> = { none: false };
  if (test.length) {
    if (test[0] === 'NONE') out.none = true;
    else if (test[0] === 'CMD') out.cmd = JSON.stringify(test.slice(1));
    else if (test[0] === 'CMD-SHELL') out.cmd = test.slice(1).join(' ');
    else throw new ApiError(400, `invalid Healthcheck.Test ${JSON.stringify(test)}: begin it with CMD, CMD-SHELL or NONE`);
  }
  out.interval = duration(hc.Interval, 'Healthcheck.Interval');
  out.timeout = duration(hc.Timeout, 'Healthcheck.Timeout');
  out.startPeriod = duration(hc.StartPeriod, 'Healthcheck.StartPeriod');
  out.startInterval = duration(hc.StartInterval, 'Healthcheck.StartInterval');
  const retries = num(hc.Retries, 'Healthcheck.Retries');
  if (retries) out.retries = String(retries);
  return out;
}

/** HostConfig.PortBindings {"80/tcp": [{HostIp, HostPort}]} as -p values. */
export function publishFlags(bindings: unknown): string[] {
  const out: string[] = [];
  for (const [port, list] of Object.entries(map(bindings, 'HostConfig.PortBindings'))) {
    const [p, proto = 'tcp'] = port.split('/');
    const each = Array.isArray(list) && list.length ? (list as Dict[]) : [{}];
    for (const b of each) {
      const ip = str(b?.HostIp) ?? '';
      // "0" (testcontainers) and "" both ask for a port the host picks.
      const given = str(b?.HostPort) ?? '';
      const hostPort = given === '0' ? '' : given;
      const host = ip ? `${ip.includes(':') ? `[${ip}]` : ip}:${hostPort}:` : hostPort ? `${hostPort}:` : '';
      out.push(`${host}${p}/${proto}`);
    }
  }
  return out;
}

/**
 * Binds, then the image-style anonymous Volumes no bind or mount already covers: Docker lets a
 * bind replace a declared volume at the same path (docker-compose declares every volume it binds).
 */
export function volumeFlags(binds: string[], declared: string[], mounts: string[]): string[] {
  const taken = new Set<string>();
  for (const b of binds) {
    const parts = b.split(':');
    taken.add((parts.length >= 2 ? parts[1] : parts[0]).replace(/\/+$/, '') || '/');
  }
  for (const m of mounts) {
    const t = /(?:^|,)(?:target|destination|dst)=([^,]+)/.exec(m)?.[1];
    if (t) taken.add(t.replace(/\/+$/, '') || '/');
  }
  return [...binds, ...declared.filter((d) => !taken.has(d.replace(/\/+$/, '') || '/'))];
}

/** HostConfig.Mounts (Docker's mount objects) as --mount values. */
export function mountFlags(mounts: unknown): string[] {
  if (mounts === undefined || mounts === null) return [];
  if (!Array.isArray(mounts)) throw new ApiError(400, 'invalid HostConfig.Mounts: give a list of mounts');
  return (mounts as Dict[]).map((m) => {
    const type = str(m.Type);
    const target = str(m.Target);
    if (!type || !target) throw new ApiError(400, 'invalid mount: Type and Target are required');
    const parts = [`type=${type}`];
    if (str(m.Source)) parts.push(`source=${m.Source}`);
    parts.push(`target=${target}`);
    if (m.ReadOnly) parts.push('readonly');
    const bind = map(m.BindOptions, 'BindOptions');
    if (str(bind.Propagation)) parts.push(`bind-propagation=${bind.Propagation}`);
    const vol = map(m.VolumeOptions, 'VolumeOptions');
    if (vol.NoCopy) parts.push('volume-nocopy');
    if (str(vol.Subpath)) parts.push(`subpath=${vol.Subpath}`);
    const tmpfs = map(m.TmpfsOptions, 'TmpfsOptions');
    if (num(tmpfs.SizeBytes, 'TmpfsOptions.SizeBytes')) parts.push(`tmpfs-size=${tmpfs.SizeBytes}`);
    if (num(tmpfs.Mode, 'TmpfsOptions.Mode')) parts.push(`tmpfs-mode=${(tmpfs.Mode as number).toString(8)}`);
    for (const p of parts) if (p.slice(p.indexOf('=') + 1).includes(',')) throw new ApiError(400, `invalid mount ${target}: a value with a comma cannot be given as a mount option`);
    return parts.join(',');
  });
}

/** HostConfig.RestartPolicy as --restart; "" and "no" as the default. */
export function restartFlag(rp: unknown): string | undefined {
  const r = map(rp, 'HostConfig.RestartPolicy');
  const name = str(r.Name);
  if (!name) return undefined;
  const max = num(r.MaximumRetryCount, 'RestartPolicy.MaximumRetryCount');
  return name === 'on-failure' && max ? `on-failure:${max}` : name;
}

/** HostConfig.Links: Docker's "/other:/this/alias" or the CLI's "other:alias" as --link NAME:ALIAS. */
export function linkFlag(link: string): string {
  const [name, alias] = link.split(':');
  const n = name.replace(/^\//, '');
  const a = alias?.split('/').pop();
  return a && a !== n ? `${n}:${a}` : n;
}

/** HostConfig.NetworkMode and NetworkingConfig.EndpointsConfig as --network, --network-alias, --ip, --mac-address. */
export function networkFlags(mode: unknown, endpoints: Record<string, Dict | null>): Pick<CreateOptions, 'network' | 'networkAliases' | 'ip' | 'macAddress'> {
  const m = str(mode);
  // Docker's CLI sends an endpoint named "default" for the default mode: no network of that name.
  const names = Object.keys(endpoints).filter((n) => n !== 'default');
  let network: string | undefined;
  if (m === undefined || m === 'default') network = names.length ? names.join(',') : undefined;
  else if (m === 'host' || m === 'none' || m.startsWith('container:') || m.startsWith('ns:') || m.startsWith('slirp4netns') || m.startsWith('pasta') || m.startsWith('private')) network = m;
  else network = [m, ...names.filter((n) => n !== m)].join(',');
  const aliases: string[] = [];
  let ip: string | undefined;
  let mac: string | undefined;
  for (const ep of Object.values(endpoints)) {
    aliases.push(...strings(ep?.Aliases, 'EndpointsConfig.Aliases'));
    ip ??= str(map(ep?.IPAMConfig, 'IPAMConfig').IPv4Address);
    mac ??= str(ep?.MacAddress);
  }
  return { network, networkAliases: [...new Set(aliases)], ip, macAddress: mac };
}

/** Image names as Docker reports them: with :latest when no tag or digest is given. */
export function imageWithTag(image: string): string {
  const last = image.slice(image.lastIndexOf('/') + 1);
  return last.includes(':') || last.includes('@') ? image : `${image}:latest`;
}

/**
 * The CreateOptions of a create request: name from the query, pull never (Docker's create does not
 * pull: the client pulls on 404), the rest as the CLI's defaults.
 */
export function createOptionsFromDocker(body: DockerCreateBody, name: string | undefined, extra: Pick<CreateOptions, 'progress'> & { platform?: string }): CreateOptions {
  const hc = map(body.HostConfig, 'HostConfig');
  const image = str(body.Image);
  if (!image) throw new ApiError(400, 'config cannot be empty in order to create a container: give Image');
  const endpoints = map(map(body.NetworkingConfig, 'NetworkingConfig').EndpointsConfig, 'EndpointsConfig') as Record<string, Dict | null>;
  const entrypoint = body.Entrypoint;
  const ulimits = (Array.isArray(hc.Ulimits) ? (hc.Ulimits as Dict[]) : []).map((u) => `${u.Name}=${u.Soft}:${u.Hard}`);
  const logConfig = map(hc.LogConfig, 'HostConfig.LogConfig');
  const groupAdd = strings(hc.GroupAdd, 'HostConfig.GroupAdd');
  const devices = (Array.isArray(hc.Devices) ? (hc.Devices as Dict[]) : []).map((d) => [d.PathOnHost, d.PathInContainer || d.PathOnHost, d.CgroupPermissions || 'rwm'].join(':'));
  const nanoCpus = num(hc.NanoCpus, 'HostConfig.NanoCpus');
  const pidsLimit = num(hc.PidsLimit, 'HostConfig.PidsLimit');
  const memorySwap = num(hc.MemorySwap, 'HostConfig.MemorySwap');
  const stopTimeout = num(body.StopTimeout, 'StopTimeout');
  return {
    image,
    command: strings(body.Cmd, 'Cmd'),
    name,
    env: strings(body.Env, 'Env'),
    envFiles: [],
    workdir: str(body.WorkingDir),
    user: str(body.User),
    // The flag's forms: a JSON array, or "" to clear the image's (Docker's [""] or "").
    entrypoint: entrypoint === undefined || entrypoint === null ? undefined : typeof entrypoint === 'string' ? entrypoint : strings(entrypoint, 'Entrypoint').filter((w) => w !== '').length ? JSON.stringify(entrypoint) : '',
    hostname: str(body.Hostname),
    labels: Object.entries(map(body.Labels, 'Labels')).map(([k, v]) => `${k}=${v}`),
    readOnly: hc.ReadonlyRootfs === true,
    init: hc.Init === true,
    replace: false,
    stopSignal: str(body.StopSignal),
    stopTimeout: stopTimeout === undefined || stopTimeout < 0 ? undefined : stopTimeout,
    pull: 'never',
    capAdd: strings(hc.CapAdd, 'HostConfig.CapAdd'),
    capDrop: strings(hc.CapDrop, 'HostConfig.CapDrop'),
    securityOpt: strings(hc.SecurityOpt, 'HostConfig.SecurityOpt'),
    interactive: body.OpenStdin === true,
    tty: body.Tty === true,
    rm: hc.AutoRemove === true,
    ...networkFlags(hc.NetworkMode, endpoints),
    publish: publishFlags(hc.PortBindings),
    publishAll: hc.PublishAllPorts === true,
    volumes: volumeFlags(strings(hc.Binds, 'HostConfig.Binds'), Object.keys(map(body.Volumes, 'Volumes')), mountFlags(hc.Mounts)),
    mounts: mountFlags(hc.Mounts),
    tmpfs: Object.entries(map(hc.Tmpfs, 'HostConfig.Tmpfs')).map(([p, o]) => (o ? `${p}:${o}` : p)),
    volumesFrom: strings(hc.VolumesFrom, 'HostConfig.VolumesFrom'),
    dns: strings(hc.Dns, 'HostConfig.Dns'),
    dnsSearch: strings(hc.DnsSearch, 'HostConfig.DnsSearch'),
    dnsOptions: strings(hc.DnsOptions, 'HostConfig.DnsOptions'),
    addHosts: strings(hc.ExtraHosts, 'HostConfig.ExtraHosts'),
    restart: restartFlag(hc.RestartPolicy),
    sdNotify: 'container',
    ulimits,
    shmSize: positive(hc.ShmSize, 'HostConfig.ShmSize'),
    sysctls: Object.entries(map(hc.Sysctls, 'HostConfig.Sysctls')).map(([k, v]) => `${k}=${v}`),
    annotations: Object.entries(map(hc.Annotations, 'HostConfig.Annotations')).map(([k, v]) => `${k}=${v}`),
    expose: Object.keys(map(body.ExposedPorts, 'ExposedPorts')),
    oomScoreAdj: num(hc.OomScoreAdj, 'HostConfig.OomScoreAdj') ? String(hc.OomScoreAdj) : undefined,
    resources: {
      memory: positive(hc.Memory, 'HostConfig.Memory'),
      memorySwap: memorySwap === -1 ? '-1' : positive(memorySwap, 'HostConfig.MemorySwap'),
      memoryReservation: positive(hc.MemoryReservation, 'HostConfig.MemoryReservation'),
      cpus: nanoCpus ? String(nanoCpus / 1e9) : undefined,
      cpuShares: positive(hc.CpuShares, 'HostConfig.CpuShares'),
      cpuPeriod: positive(hc.CpuPeriod, 'HostConfig.CpuPeriod'),
      cpuQuota: positive(hc.CpuQuota, 'HostConfig.CpuQuota'),
      cpusetCpus: str(hc.CpusetCpus),
      cpusetMems: str(hc.CpusetMems),
      // Docker: 0 and null are "unset", -1 unlimited.
      pidsLimit: pidsLimit ? String(pidsLimit) : undefined,
      blkioWeight: positive(hc.BlkioWeight, 'HostConfig.BlkioWeight'),
      blkioWeightDevice: [],
      deviceReadBps: [],
      deviceWriteBps: [],
      deviceReadIops: [],
      deviceWriteIops: [],
    },
    pulling: extra.platform ? { platform: extra.platform } : {},
    attach: [],
    requires: [],
    health: healthOptions(body.Healthcheck),
    userns: groupAdd.length || str(hc.UsernsMode) ? { userns: str(hc.UsernsMode), uidmap: [], gidmap: [], groupAdd, hostuser: [], passwd: true } : undefined,
    logsSecrets: {
      logDriver: str(logConfig.Type),
      logOpts: Object.entries(map(logConfig.Config, 'LogConfig.Config')).map(([k, v]) => `${k}=${v}`),
      secrets: [],
      rootfs: false,
      envMerge: [],
      httpProxy: true,
    },
    links: { link: strings(hc.Links, 'HostConfig.Links').map(linkFlag), linkLocalIp: [] },
    security: {
      privileged: hc.Privileged === true,
      devices,
      deviceCgroupRules: strings(hc.DeviceCgroupRules, 'HostConfig.DeviceCgroupRules'),
      pid: str(hc.PidMode),
      ipc: str(hc.IpcMode),
      uts: str(hc.UTSMode),
      cgroupns: str(hc.CgroupnsMode),
      cgroupParent: str(hc.CgroupParent),
      readOnlyTmpfs: true,
    },
    createCommand: [],
    progress: extra.progress,
  };
}
