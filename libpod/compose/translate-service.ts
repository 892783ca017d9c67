// One container of a compose service as create's options (what `tspod create` takes from its
// flags: CLI-shaped strings, so a compose file passes the checks those flags pass), as
// kube/translate-container.ts does for a pod template. Each field is mapped as Docker Compose
// maps it onto the Engine API (pkg/compose/create.go); what tspod cannot do is refused with the
// key's path, or reported through opts.warn when Compose itself would carry on. The options are
// checked with create's own parsers before they are returned, so a bad file is refused before up
// makes anything. Pure but for checking that host files exist (binds with create_host_path: false,
// secret and config files) and one-off names' random part.
import path from 'node:path';
import fs from 'node:fs';
import { InvalidArgumentError } from '../../src/errors';
import { log } from '../../src/log';
import { randomHex } from '../../src/random';
import { parseGoDuration } from '../../src/time-spec';
import type { ProgressSink } from '../../src/progress';
import { parseRestartPolicy, validName } from '../container/container';
import type { CreateOptions } from '../container/create-spec';
import { parseLabels } from '../container/create-spec';
import { checkHealthFlags, type HealthOptions } from '../container/health-flags';
import { checkPulling } from '../image/pull-flags';
import { parseLogFlags } from '../container/log-flags';
import { parseAnnotations, parseExpose, parseShmSize, parseSysctls, parseUlimits } from '../container/process-flags';
import { parseResources, type ResourceOptions } from '../container/resource-flags';
import { parseDevice, type SecurityOptions } from '../container/security-flags';
import { parseAddHost, parseNetworkMode, parsePublish, validateDns } from '../network/network-spec';
import { capabilities, checkUserIds } from '../oci/spec';
import { normalizeSignal } from '../oci/runtime';
import { checkDestinations, parseMountFlag, parseTmpfsFlag, parseVolumeFlag, PROPAGATIONS } from '../volume/volume-spec';
import { containerLabels, labelFlags, serviceImage } from './labels';
import { localBindDevice, secretFiles, type Materialize } from './translate-resources';
import type { Healthcheck, Project, ServiceConfig, ServicePort, ServiceVolume } from './types';

export { defaultImageName } from './labels';

export interface ServiceCreateOpts {
  /** A `compose run` container: named <project>-<service>-run-<12 hex>, no container number, no restart policy. */
  oneoff?: boolean;
  /** The container's name (run --name); else container_name, else Compose's. */
  name?: string;
  /** serviceConfigHash(service), for com.docker.compose.config-hash. */
  configHash: string;
  progress: ProgressSink;
  /** com.docker.compose.depends_on as the caller wants it (default: from the service's depends_on). */
  dependsOnLabel?: string;
  /** The container that stands for a service (network_mode/pid/ipc service:x, links): default its container_name or <project>-<service>-1. */
  containerOf?: (service: string) => string;
  /** The service name and its aliases as network aliases (default: yes, but for one-off containers, as Compose's run without --use-aliases). */
  useAliases?: boolean;
  /** Writes content and environment secrets/configs to files (up: under the runroot); without it such a service is refused. */
  materialize?: Materialize;
  /** What the container records as its create command (inspect's Config.CreateCommand); default tspod compose up|run. */
  createCommand?: string[];
  /** com.docker.compose.image: the image's ID, when the caller knows it. */
  imageDigest?: string;
  /** com.docker.compose.replace: the container a recreate replaces. */
  replace?: string;
  /** What is dropped because tspod cannot do it (domainname, max-file, ...); default: logged as warnings. */
  warn?: (message: string) => void;
}

/** How many containers the service wants: scale, else deploy.replicas, else 1. */
export function serviceScale(service: ServiceConfig): number {
  return service.scale ?? service.deploy?.replicas ?? 1;
}

/** A service's n-th container's name: container_name, else <project>-<service>-<n> (Docker Compose's). */
export function serviceContainerName(project: Project, service: ServiceConfig, number: number): string {
  return service.container_name ?? `${project.name}-${service.name}-${number}`;
}

/** A one-off container's name: <project>-<service>-run-<the slug's first 12 hex digits>. */
export function oneoffContainerName(project: Project, service: ServiceConfig, slug: string): string {
  return `${project.name}-${service.name}-run-${slug.slice(0, 12)}`;
}

/** The default containerOf: the service's first container by name (container_name or <project>-<service>-1). */
export function firstContainerOf(project: Project): (service: string) => string {
  return (name) => {
    const s = project.services[name] ?? project.disabledServices[name];
    if (!s) throw new InvalidArgumentError(`service "${name}" is not in the project (or its profile is not enabled): check the name, or enable its profile with --profile`);
    return serviceContainerName(project, s, 1);
  };
}

/**
 * The host directories a service's bind mounts need and up creates before creating the container
 * when missing (create_host_path, true unless set false, as in Compose; tspod's create refuses a
 * missing source). Absolute paths, each once.
 */
export function bindSourcesToCreate(project: Project, service: ServiceConfig): string[] {
  const out = new Set<string>();
  for (const v of service.volumes ?? []) {
    if (v.type === 'bind' && v.source && v.bind?.create_host_path !== false) out.add(path.resolve(project.workingDir, v.source));
  }
  return [...out];
}

const where = (service: ServiceConfig, key: string) => `services.${service.name}.${key}`;

/** service:NAME as the container that stands for NAME; other values as they are. */
function serviceRef(value: string, containerOf: (service: string) => string): string {
  return value.startsWith('service:') ? `container:${containerOf(value.slice('service:'.length))}` : value;
}

/** volumes_from "service[:ro|rw]" or "container:name[:ro|rw]" as --volumes-from CONTAINER[:ro|rw]. */
function volumesFromFlag(from: string, containerOf: (service: string) => string): string {
  if (from.startsWith('container:')) return from.slice('container:'.length);
  const [svc, ...mode] = from.split(':');
  return [containerOf(svc), ...mode].join(':');
}

/** Docker's restart values and deploy.restart_policy (which wins, as in Compose) as --restart; undefined for none. */
export function restartPolicy(service: ServiceConfig): string | undefined {
  const rp = service.deploy?.restart_policy;
  if (rp) {
    // Compose maps condition none to no, any to always; an absent condition is no policy (its getRestartPolicy).
    switch (rp.condition) {
      case undefined:
      case 'none':
        return 'no';
      case 'any':
        return 'always';
      case 'on-failure':
        return rp.max_attempts ? `on-failure:${rp.max_attempts}` : 'on-failure';
      default:
        throw new InvalidArgumentError(`${where(service, 'deploy.restart_policy.condition')}: "${rp.condition as string}" is not a condition: use none, on-failure or any`);
    }
  }
  if (service.restart === undefined) return undefined;
  try {
    parseRestartPolicy(service.restart);
  } catch {
    throw new InvalidArgumentError(`${where(service, 'restart')}: invalid restart policy "${service.restart}": use no, always, on-failure[:max-retries] or unless-stopped`);
  }
  return service.restart;
}

/** --pull from pull_policy: build is never (up builds the image first), daily and weekly are newer (tspod keeps no pull times); unset: missing, Compose's default. */
export function pullFlag(service: ServiceConfig): string {
  switch (service.pull_policy) {
    case undefined:
    case 'missing':
    case 'if_not_present':
      return 'missing';
    case 'always':
    case 'never':
      return service.pull_policy;
    case 'build':
      return 'never';
    case 'daily':
    case 'weekly':
      return 'newer';
    default:
      throw new InvalidArgumentError(`${where(service, 'pull_policy')}: "${service.pull_policy as string}" is not a pull policy: use always, never, missing, build, daily or weekly`);
  }
}

/** One port as -p: [ip:][published:]target/protocol; a published range with one target is refused (Docker would choose one port of the range). */
export function publishFlag(service: ServiceConfig, p: ServicePort, i: number): string {
  const ip = p.host_ip ? (p.host_ip.includes(':') ? `[${p.host_ip}]:` : `${p.host_ip}:`) : '';
  const proto = p.protocol ?? 'tcp';
  const published = p.published === undefined ? '' : String(p.published);
  if (published === '') return ip ? `${ip}:${p.target}/${proto}` : `${p.target}/${proto}`;
  const [start, end] = published.split('-');
  if (end !== undefined && end !== start) throw new InvalidArgumentError(`${where(service, `ports[${i}]`)}: a range of host ports (${published}) for one container port (${p.target}) is not supported: give one host port, or a container range of the same length`);
  return `${ip}${start}:${p.target}/${proto}`;
}

/**
 * The healthcheck as the --health-* flags (test as a JSON array: CMD and CMD-SHELL kept as they
 * are). A zero duration or retries is the default, as the Engine takes 0 (tspod's flags refuse it).
 */
export function healthOptions(h: Healthcheck | undefined, service = 'service'): HealthOptions | undefined {
  if (!h) return undefined;
  if (h.disable || h.test?.[0] === 'NONE') return { none: true };
  if (h.start_interval !== undefined && h.start_period === undefined) throw new InvalidArgumentError(`services.${service}.healthcheck.start_interval: it needs start_period too (as in Docker Compose): give start_period`);
  const zero = (d: string) => {
    try {
      return parseGoDuration(d, 'duration', 's') === 0;
    } catch {
      return false; // left for the flag's own check to refuse
    }
  };
  const o: HealthOptions = {};
  if (h.test?.length) o.cmd = JSON.stringify(h.test);
  if (h.interval !== undefined && !zero(h.interval)) o.interval = h.interval;
  if (h.timeout !== undefined && !zero(h.timeout)) o.timeout = h.timeout;
  if (h.start_period !== undefined && !zero(h.start_period)) o.startPeriod = h.start_period;
  if (h.start_interval !== undefined && !zero(h.start_interval)) o.startInterval = h.start_interval;
  if (h.retries) o.retries = String(h.retries);
  return Object.keys(o).length ? o : undefined;
}

/** mem_limit, cpus, pids_limit (and mem_reservation, memswap_limit, cpu_shares, cpu_period, cpu_quota, cpuset), then deploy.resources (which win, as Compose sets them last); reservations: memory only (cpus is a scheduler's hint). */
function resourceOptions(service: ServiceConfig, warn: (m: string) => void): ResourceOptions | undefined {
  const r: ResourceOptions = {};
  const num = (n: number) => String(n);
  if (service.mem_limit) r.memory = num(service.mem_limit);
  if (service.cpus) r.cpus = num(service.cpus);
  if (service.pids_limit) r.pidsLimit = num(service.pids_limit);
  if (service.mem_reservation) r.memoryReservation = num(service.mem_reservation);
  if (service.memswap_limit) r.memorySwap = num(service.memswap_limit);
  if (service.cpu_shares) r.cpuShares = num(service.cpu_shares);
  if (service.cpu_period) r.cpuPeriod = num(service.cpu_period);
  if (service.cpu_quota) r.cpuQuota = num(service.cpu_quota);
  if (service.cpuset !== undefined && service.cpuset !== '') r.cpusetCpus = service.cpuset;
  const lim = service.deploy?.resources?.limits;
  if (lim?.memory) r.memory = num(lim.memory);
  if (lim?.cpus) r.cpus = num(lim.cpus);
  if (lim?.pids && lim.pids > 0) r.pidsLimit = num(lim.pids);
  const res = service.deploy?.resources?.reservations;
  if (res?.memory) r.memoryReservation = num(res.memory);
  if (res?.cpus) warn(`${where(service, 'deploy.resources.reservations.cpus')}: not applied: a CPU reservation is a scheduler's hint (Docker Compose ignores it too)`);
  if (res?.pids) warn(`${where(service, 'deploy.resources.reservations.pids')}: not applied: pids is a limit only`);
  return Object.keys(r).length ? r : undefined;
}

/** A --mount value from key=value parts; refused when a value holds the comma that separates them. */
function mountFlag(service: ServiceConfig, key: string, parts: Array<[string, string | undefined]>): string {
  const kept = parts.filter(([, v]) => v !== undefined) as Array<[string, string]>;
  for (const [k, v] of kept) if (v.includes(',')) throw new InvalidArgumentError(`${where(service, key)}: the ${k} "${v}" holds a comma, which tspod's mounts cannot take: rename it`);
  return kept.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join(',');
}

/** A bind of a host path as --mount type=bind (read_only, propagation, z/Z). */
function bindMount(service: ServiceConfig, key: string, source: string, v: ServiceVolume): string {
  const prop = v.bind?.propagation;
  if (prop !== undefined && !PROPAGATIONS.includes(prop)) throw new InvalidArgumentError(`${where(service, `${key}.bind.propagation`)}: "${prop}" is not a propagation: use ${PROPAGATIONS.join(', ')}`);
  return mountFlag(service, key, [
    ['type', 'bind'],
    ['source', source],
    ['target', v.target],
    ['readonly', v.read_only ? '' : undefined],
    ['bind-propagation', prop],
    [v.bind?.selinux ?? 'z', v.bind?.selinux ? '' : undefined],
  ]);
}

/** The service's volumes as --mount values (binds, named and anonymous volumes, tmpfs, images). */
function volumeMounts(project: Project, service: ServiceConfig): string[] {
  const out: string[] = [];
  for (const [i, v] of (service.volumes ?? []).entries()) {
    const key = `volumes[${i}]`;
    switch (v.type) {
      case 'bind': {
        if (!v.source) throw new InvalidArgumentError(`${where(service, key)}: a bind mount needs a source (the host path)`);
        const source = path.resolve(project.workingDir, v.source);
        if (v.bind?.create_host_path === false && !fs.existsSync(source)) throw new InvalidArgumentError(`${where(service, key)}: bind source ${source} does not exist and create_host_path is false: create it first`);
        out.push(bindMount(service, key, source, v));
        break;
      }
      case 'volume': {
        if (!v.source) {
          out.push(mountFlag(service, key, [['type', 'volume'], ['target', v.target], ['readonly', v.read_only ? '' : undefined], ['volume-nocopy', v.volume?.nocopy ? '' : undefined]]));
          break;
        }
        const decl = project.volumes[v.source];
        if (!decl) throw new InvalidArgumentError(`${where(service, key)}: volume "${v.source}" is not declared: add it under the top-level volumes`);
        const device = localBindDevice(project, v.source);
        if (device) {
          // A volume declared as a bind of a host directory: the directory itself (see translate-resources.ts).
          const sub = v.volume?.subpath;
          out.push(bindMount(service, key, sub ? path.join(device, path.normalize(`/${sub}`)) : device, v));
          break;
        }
        out.push(mountFlag(service, key, [['type', 'volume'], ['source', decl.name], ['target', v.target], ['readonly', v.read_only ? '' : undefined], ['volume-nocopy', v.volume?.nocopy ? '' : undefined], ['subpath', v.volume?.subpath]]));
        break;
      }
      case 'tmpfs': {
        const mode = v.tmpfs?.mode;
        out.push(mountFlag(service, key, [['type', 'tmpfs'], ['target', v.target], ['readonly', v.read_only ? '' : undefined], ['tmpfs-size', v.tmpfs?.size !== undefined ? String(v.tmpfs.size) : undefined], ['tmpfs-mode', mode !== undefined ? mode.toString(8) : undefined]]));
        break;
      }
      case 'image':
        if (!v.source) throw new InvalidArgumentError(`${where(service, key)}: an image mount needs a source (the image)`);
        out.push(mountFlag(service, key, [['type', 'image'], ['source', v.source], ['target', v.target]]));
        break;
      default:
        throw new InvalidArgumentError(`${where(service, key)}: volumes of type ${v.type} are not supported by tspod: use bind, volume, tmpfs or image`);
    }
  }
  return out;
}

/**
 * The networks: the service's (by priority, highest first, then by key), else the project's
 * default network; the real names comma-joined as --network. tspod gives --ip and --mac-address
 * to the first network only, so the one network with an ipv4_address goes first. tspod's
 * --network-alias applies to every network the container joins (there is no per-network alias
 * flag), so the aliases of all the service's networks are given on each.
 */
function networkOptions(project: Project, service: ServiceConfig, containerName: string, useAliases: boolean, containerOf: (s: string) => string, warn: (m: string) => void): Pick<CreateOptions, 'network' | 'networkAliases' | 'ip' | 'macAddress'> {
  if (service.network_mode !== undefined) {
    if (service.networks && Object.keys(service.networks).length) throw new InvalidArgumentError(`${where(service, 'network_mode')}: network_mode and networks cannot be set together: drop one of them`);
    const mode = service.network_mode === 'disabled' ? 'none' : serviceRef(service.network_mode, containerOf);
    if (service.mac_address) warn(`${where(service, 'mac_address')}: not applied: it needs a user-defined network, and network_mode is ${service.network_mode}`);
    return { network: mode };
  }
  const given = service.networks ?? {};
  let keys = Object.keys(given);
  if (!keys.length) keys = ['default'];
  keys.sort((a, b) => (given[b]?.priority ?? 0) - (given[a]?.priority ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  const fixed = keys.filter((k) => given[k]?.ipv4_address);
  if (fixed.length > 1) throw new InvalidArgumentError(`${where(service, 'networks')}: ipv4_address is given on ${fixed.join(' and ')}: tspod gives a fixed address on one network only`);
  if (fixed.length) keys = [fixed[0], ...keys.filter((k) => k !== fixed[0])];
  const names = keys.map((k) => {
    const net = project.networks[k];
    if (net) return net.name;
    if (k === 'default') return `${project.name}_default`;
    throw new InvalidArgumentError(`${where(service, `networks.${k}`)}: network "${k}" is not declared: add it under the top-level networks`);
  });
  for (const k of keys) if (given[k]?.ipv6_address) warn(`${where(service, `networks.${k}.ipv6_address`)}: not applied: tspod's networks have no IPv6 subnets`);
  const aliases = [...new Set([...(useAliases ? [service.name] : []), containerName, ...(useAliases ? keys.flatMap((k) => given[k]?.aliases ?? []) : [])])];
  const ip = fixed.length ? given[fixed[0]]!.ipv4_address : undefined;
  return { network: names.join(','), networkAliases: aliases, ...(ip ? { ip } : {}), ...(service.mac_address ? { macAddress: service.mac_address } : {}) };
}

/** --security-opt values: Docker's KEY:VALUE form taken as KEY=VALUE, a relative seccomp profile resolved against the project directory, seccomp=builtin (the default profile) left out. */
function securityOpts(project: Project, service: ServiceConfig): string[] {
  return (service.security_opt ?? []).flatMap((o) => {
    const m = /^([a-z-]+)[=:](.*)$/.exec(o);
    if (!m) return [o];
    if (m[1] === 'seccomp' && m[2] === 'builtin') return [];
    if (m[1] === 'seccomp' && m[2] !== 'unconfined') return [`seccomp=${path.resolve(project.workingDir, m[2])}`];
    return [`${m[1]}=${m[2]}`];
  });
}

/** logging: the driver and the options tspod's log takes (path, max-size, tag); the rest of Docker's json-file/local options reported and dropped. */
function logOptions(service: ServiceConfig, warn: (m: string) => void): CreateOptions['logsSecrets'] | undefined {
  const l = service.logging;
  if (!l || (l.driver === undefined && !Object.keys(l.options ?? {}).length)) return undefined;
  let driver = l.driver;
  if (driver === 'local') {
    warn(`${where(service, 'logging.driver')}: "local" is taken as k8s-file, tspod's file log`);
    driver = 'k8s-file';
  }
  const logOpts: string[] = [];
  for (const [k, v] of Object.entries(l.options ?? {})) {
    if (v === null) continue;
    if (['path', 'max-size', 'tag'].includes(k)) logOpts.push(`${k}=${v}`);
    else warn(`${where(service, `logging.options.${k}`)}: not applied: tspod's log takes path, max-size and tag`);
  }
  return { logDriver: driver, logOpts, secrets: [], rootfs: false, envMerge: [], httpProxy: true };
}

/** environment: null values (Compose's `- NAME`) from the project's environment or ours, else left out. */
function environment(project: Project, service: ServiceConfig): string[] {
  return Object.entries(service.environment ?? {}).flatMap(([k, v]) => {
    if (v !== null) return [`${k}=${v}`];
    const from = project.environment[k] ?? process.env[k];
    return from === undefined ? [] : [`${k}=${from}`];
  });
}

/**
 * One container of the service as create's options: see the file's comment. number: the
 * replica's number (1-based; ignored for one-off containers).
 */
export function serviceCreateOptions(project: Project, service: ServiceConfig, number: number, opts: ServiceCreateOpts): CreateOptions {
  const warn = opts.warn ?? ((m: string) => log.warn(m));
  const oneoff = opts.oneoff === true;
  const containerOf = opts.containerOf ?? firstContainerOf(project);
  if (!oneoff && service.container_name !== undefined && (serviceScale(service) > 1 || number > 1)) {
    throw new InvalidArgumentError(`${where(service, 'container_name')}: "${service.container_name}" names one container, but the service is scaled to ${Math.max(serviceScale(service), number)}: container names must be unique; drop container_name or scale to 1`);
  }
  if (!service.image && !service.build) throw new InvalidArgumentError(`services.${service.name}: neither image nor build is given: give the image to run, or a build context`);
  const slug = oneoff ? randomHex(32) : undefined;
  const name = opts.name ?? (oneoff ? (service.container_name ?? oneoffContainerName(project, service, slug!)) : serviceContainerName(project, service, number));
  if (!validName(name)) throw new InvalidArgumentError(`services.${service.name}: invalid container name "${name}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
  const labels = containerLabels(project, service, number, { oneoff, configHash: opts.configHash, ...(slug ? { slug } : {}), ...(opts.imageDigest ? { imageDigest: opts.imageDigest } : {}), ...(opts.replace ? { replace: opts.replace } : {}), ...(opts.dependsOnLabel !== undefined ? { dependsOnLabel: opts.dependsOnLabel } : {}) });
  if (service.domainname) warn(`${where(service, 'domainname')}: not applied: tspod has no --domainname; give the full name as hostname instead`);
  if ((service.ports ?? []).some((p) => p.mode === 'host')) warn(`${where(service, 'ports')}: mode host is a swarm setting: the ports are published as usual`);

  // Secrets and configs: host files bound read-only; content and environment ones written first by materialize; external secrets from tspod's store.
  const files = secretFiles(project, service, opts.materialize);
  const volumeTargets = new Set((service.volumes ?? []).map((v) => path.normalize(v.target)));
  const fileMounts: string[] = [];
  const storeSecrets: string[] = [];
  for (const f of files) {
    if (volumeTargets.has(path.normalize(f.target))) continue; // a volume at the same path wins, as in Compose
    if (f.store) {
      storeSecrets.push([f.store, 'type=mount', `target=${f.target}`, ...(f.uid !== undefined ? [`uid=${f.uid}`] : []), ...(f.gid !== undefined ? [`gid=${f.gid}`] : []), ...(f.mode !== undefined ? [`mode=${f.mode.toString(8)}`] : [])].join(','));
      continue;
    }
    if (!f.hostPath) throw new InvalidArgumentError(`services.${service.name}: ${f.kind} "${f.source}" has inline content, and nothing was given to write it to a file (the caller's materialize)`);
    if (f.content === undefined && !fs.existsSync(f.hostPath)) throw new InvalidArgumentError(`${f.kind}s.${f.source}: file ${f.hostPath} does not exist: create it, or correct the path`);
    if ((f.uid !== undefined || f.gid !== undefined || f.mode !== undefined) && f.content === undefined) warn(`services.${service.name}.${f.kind}s: uid, gid and mode of ${f.kind} "${f.source}" are not applied to a bound host file (as in Docker Compose)`);
    fileMounts.push(mountFlag(service, `${f.kind}s`, [['type', 'bind'], ['source', f.hostPath], ['target', f.target], ['readonly', '']]));
  }

  const net = networkOptions(project, service, name, opts.useAliases ?? !oneoff, containerOf, warn);
  const health = healthOptions(service.healthcheck, service.name);
  const resources = resourceOptions(service, warn);
  const logsSecrets = logOptions(service, warn);
  const restart = oneoff ? undefined : restartPolicy(service);
  const security: SecurityOptions = {
    ...(service.privileged ? { privileged: true } : {}),
    ...(service.devices?.length ? { devices: service.devices.map((d) => `${d.source}:${d.target}${d.permissions ? `:${d.permissions}` : ''}`) } : {}),
    ...(service.pid ? { pid: serviceRef(service.pid, containerOf) } : {}),
    ...(service.ipc ? { ipc: serviceRef(service.ipc, containerOf) } : {}),
  };
  const links = [
    ...(service.links ?? []).map((l) => {
      const [svc, alias = svc] = l.split(':');
      return `${containerOf(svc)}:${alias}`;
    }),
    ...(service.external_links ?? []),
  ];
  const stopMs = service.stop_grace_period !== undefined ? goDurationMs(service, service.stop_grace_period) : undefined;

  const create: CreateOptions = {
    image: serviceImage(project.name, service),
    command: service.command ?? [],
    ...(service.entrypoint ? { entrypoint: JSON.stringify(service.entrypoint) } : {}),
    name,
    env: environment(project, service),
    envFiles: [],
    ...(service.working_dir !== undefined ? { workdir: service.working_dir } : {}),
    ...(service.user !== undefined ? { user: service.user } : {}),
    ...(service.hostname !== undefined ? { hostname: service.hostname } : {}),
    labels: labelFlags(labels),
    readOnly: service.read_only === true,
    init: service.init === true,
    replace: false,
    ...(service.stop_signal !== undefined ? { stopSignal: service.stop_signal } : {}),
    // Docker Compose's ToSeconds: whole seconds, the rest dropped.
    ...(stopMs !== undefined ? { stopTimeout: Math.floor(stopMs / 1000) } : {}),
    pull: pullFlag(service),
    capAdd: service.cap_add ?? [],
    capDrop: service.cap_drop ?? [],
    securityOpt: securityOpts(project, service),
    interactive: service.stdin_open === true,
    tty: service.tty === true,
    rm: false,
    ...net,
    ...(links.length ? { links: { link: links, linkLocalIp: [] } } : {}),
    ...((service.ports ?? []).length ? { publish: service.ports!.map((p, i) => publishFlag(service, p, i)) } : {}),
    ...(service.expose?.length ? { expose: service.expose.map(String) } : {}),
    mounts: [...volumeMounts(project, service), ...fileMounts],
    ...(service.tmpfs?.length ? { tmpfs: service.tmpfs } : {}),
    ...(service.volumes_from?.length ? { volumesFrom: service.volumes_from.map((f) => volumesFromFlag(f, containerOf)) } : {}),
    ...(service.oom_score_adj !== undefined ? { oomScoreAdj: String(service.oom_score_adj) } : {}),
    ...(service.runtime !== undefined ? { runtime: service.runtime } : {}),
    ...(service.dns?.length ? { dns: service.dns } : {}),
    ...(service.dns_search?.length ? { dnsSearch: service.dns_search } : {}),
    ...(service.dns_opt?.length ? { dnsOptions: service.dns_opt } : {}),
    ...(service.extra_hosts ? { addHosts: Object.entries(service.extra_hosts).flatMap(([host, ips]) => ips.map((ip) => `${host}:${ip}`)) } : {}),
    ...(restart !== undefined ? { restart } : {}),
    ...(resources ? { resources } : {}),
    ...(service.ulimits ? { ulimits: Object.entries(service.ulimits).map(([k, v]) => (typeof v === 'number' ? `${k}=${v}:${v}` : `${k}=${v.soft}:${v.hard}`)) } : {}),
    ...(service.shm_size !== undefined ? { shmSize: String(service.shm_size) } : {}),
    ...(service.sysctls ? { sysctls: Object.entries(service.sysctls).map(([k, v]) => `${k}=${v}`) } : {}),
    ...(service.annotations ? { annotations: Object.entries(service.annotations).map(([k, v]) => `${k}=${v}`) } : {}),
    ...(service.platform ? { pulling: { platform: service.platform } } : {}),
    ...(health ? { health } : {}),
    ...(service.userns_mode !== undefined || service.group_add?.length ? { userns: { ...(service.userns_mode !== undefined ? { userns: service.userns_mode } : {}), uidmap: [], gidmap: [], groupAdd: service.group_add ?? [], hostuser: [], passwd: true } } : {}),
    ...(logsSecrets || storeSecrets.length ? { logsSecrets: { ...(logsSecrets ?? { logOpts: [], rootfs: false, envMerge: [], httpProxy: true }), secrets: storeSecrets } } : {}),
    ...(Object.keys(security).length ? { security } : {}),
    createCommand: opts.createCommand ?? ['tspod', 'compose', oneoff ? 'run' : 'up', service.name],
    createCwd: project.workingDir,
    progress: opts.progress,
  };
  checkedAsCreate(project, service, create);
  return create;
}

function goDurationMs(service: ServiceConfig, value: string): number {
  let ms: number;
  try {
    ms = parseGoDuration(value, 'duration', 's');
  } catch {
    throw new InvalidArgumentError(`${where(service, 'stop_grace_period')}: invalid duration "${value}": give one such as 10s or 1m30s`);
  }
  if (ms < 0) throw new InvalidArgumentError(`${where(service, 'stop_grace_period')}: "${value}" is negative: give a duration such as 10s`);
  return ms;
}

/**
 * The options create's own parsers check (the same as `tspod create`'s flags pass), run now so
 * that a file they refuse is refused before up makes anything, each message prefixed with the key.
 * What needs the store (networks, named containers, images) is left to create.
 */
function checkedAsCreate(project: Project, service: ServiceConfig, c: CreateOptions): void {
  const at = (key: string, check: () => unknown) => {
    try {
      check();
    } catch (err) {
      if (err instanceof InvalidArgumentError || (err as { exitCode?: number }).exitCode !== undefined) throw new InvalidArgumentError(`${where(service, key)}: ${(err as Error).message}`);
      throw err;
    }
  };
  at('cap_add', () => capabilities(c.capAdd, c.capDrop));
  at('volumes', () => checkDestinations([...(c.mounts ?? []).map((m) => parseMountFlag(m, project.workingDir)), ...(c.volumes ?? []).map((v) => parseVolumeFlag(v, project.workingDir)), ...(c.tmpfs ?? []).map((t) => parseTmpfsFlag(t))]));
  at('ports', () => (c.publish ?? []).forEach((p) => parsePublish(p)));
  if (c.expose) at('expose', () => parseExpose(c.expose!));
  if (c.health) at('healthcheck', () => checkHealthFlags(c.health));
  if (c.resources) at('deploy.resources', () => parseResources(c.resources!));
  at('user', () => checkUserIds(c.user));
  if (c.stopSignal) at('stop_signal', () => normalizeSignal(c.stopSignal!));
  if (c.ulimits) at('ulimits', () => parseUlimits(c.ulimits!, () => ''));
  if (c.sysctls) at('sysctls', () => parseSysctls(c.sysctls!, c.network === 'host'));
  if (c.annotations) at('annotations', () => parseAnnotations(c.annotations!));
  if (c.addHosts) at('extra_hosts', () => c.addHosts!.forEach((h) => parseAddHost(h)));
  if (c.dns) at('dns', () => validateDns(c.dns!));
  if (c.shmSize !== undefined) at('shm_size', () => parseShmSize(c.shmSize!));
  if (c.security?.devices) at('devices', () => c.security!.devices!.forEach((d) => parseDevice(d)));
  at('labels', () => parseLabels(c.labels));
  if (c.pulling) at('platform', () => checkPulling(c.pulling));
  if (c.logsSecrets?.logDriver !== undefined || c.logsSecrets?.logOpts.length) at('logging', () => parseLogFlags({ driver: c.logsSecrets!.logDriver, options: c.logsSecrets!.logOpts }, false, project.workingDir));
  if (c.network && /^(none|host|private|slirp4netns|pasta|container)(:|$)/.test(c.network)) at('network_mode', () => parseNetworkMode(c.network!, 'none'));
  if (c.publish?.length && c.network && /^(none|host|container:)/.test(c.network)) throw new InvalidArgumentError(`${where(service, 'ports')}: ports cannot be published with network_mode ${service.network_mode}: ${c.network === 'host' ? "the container uses the host's ports directly" : c.network === 'none' ? 'the container has no network' : 'publish them on the service whose network it shares'}`);
}
