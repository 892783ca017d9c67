// `compose config`: the normalised project printed as `docker compose config` prints it (YAML or JSON):
// name, services (by name; each service's keys and nested objects in compose-go's field
// order, maps sorted, byte sizes as strings, empty values left out), networks, volumes, secrets,
// configs, x- extensions (JSON: Go's sorted map, two-space indent); and the lists of --services, --volumes, --profiles, --images and --hash.
import { InvalidArgumentError } from '../../src/errors';
import { toYaml } from '../../src/yaml-output';
import { serviceConfigHash } from './config-hash';
import type { FileReference, Project, ServiceConfig, ServiceVolume } from './types';

type Dict = Record<string, unknown>;

/** compose-go's field order for the objects inside a service and at the top level. */
const ORDER = {
  service: ['profiles', 'annotations', 'attach', 'build', 'develop', 'blkio_config', 'cap_add', 'cap_drop', 'cgroup_parent', 'cgroup', 'cpu_count', 'cpu_percent', 'cpu_period', 'cpu_quota', 'cpu_rt_period', 'cpu_rt_runtime', 'cpus', 'cpuset', 'cpu_shares', 'command', 'configs', 'container_name', 'credential_spec', 'depends_on', 'deploy', 'device_cgroup_rules', 'devices', 'dns', 'dns_opt', 'dns_search', 'dockerfile', 'domainname', 'entrypoint', 'provider', 'environment', 'env_file', 'expose', 'extends', 'external_links', 'extra_hosts', 'group_add', 'gpus', 'hostname', 'healthcheck', 'image', 'init', 'ipc', 'isolation', 'labels', 'label_file', 'links', 'logging', 'log_driver', 'log_opt', 'mem_limit', 'mem_reservation', 'memswap_limit', 'mem_swappiness', 'mac_address', 'models', 'net', 'network_mode', 'networks', 'oom_kill_disable', 'oom_score_adj', 'pid', 'pids_limit', 'platform', 'ports', 'privileged', 'pull_policy', 'read_only', 'restart', 'runtime', 'scale', 'secrets', 'security_opt', 'shm_size', 'stdin_open', 'stop_grace_period', 'stop_signal', 'storage_opt', 'sysctls', 'tmpfs', 'tty', 'ulimits', 'use_api_socket', 'user', 'userns_mode', 'uts', 'volume_driver', 'volumes', 'volumes_from', 'working_dir'],
  port: ['name', 'mode', 'host_ip', 'target', 'published', 'protocol', 'app_protocol'],
  volume: ['type', 'source', 'target', 'read_only', 'consistency', 'bind', 'volume', 'tmpfs'],
  bind: ['selinux', 'propagation', 'create_host_path'],
  volumeOpts: ['nocopy', 'subpath'],
  tmpfs: ['size', 'mode'],
  dependsOn: ['condition', 'restart', 'required'],
  healthcheck: ['test', 'timeout', 'interval', 'retries', 'start_period', 'start_interval', 'disable'],
  build: ['context', 'dockerfile', 'dockerfile_inline', 'args', 'labels', 'cache_from', 'no_cache', 'pull', 'extra_hosts', 'network', 'target', 'secrets', 'shm_size', 'tags', 'platforms'],
  fileRef: ['source', 'target', 'uid', 'gid', 'mode'],
  deploy: ['mode', 'replicas', 'labels', 'resources', 'restart_policy'],
  resources: ['limits', 'reservations'],
  resource: ['cpus', 'memory', 'pids'],
  restartPolicy: ['condition', 'delay', 'max_attempts', 'window'],
  logging: ['driver', 'options'],
  device: ['source', 'target', 'permissions'],
  serviceNetwork: ['aliases', 'ipv4_address', 'ipv6_address', 'priority'],
  network: ['name', 'driver', 'driver_opts', 'ipam', 'external', 'internal', 'attachable', 'labels', 'enable_ipv6'],
  ipam: ['driver', 'config'],
  ipamPool: ['subnet', 'gateway', 'ip_range'],
  volumeConfig: ['name', 'driver', 'driver_opts', 'external', 'labels'],
  fileObject: ['name', 'file', 'environment', 'content', 'external', 'labels'],
} as const;

/** The project as `docker compose config` prints it. */
export function renderConfig(project: Project, format: 'yaml' | 'json'): string {
  const json = format === 'json';
  const doc: Dict = { name: project.name };
  const services: Dict = {};
  for (const name of Object.keys(project.services).sort()) services[name] = renderService(project.services[name], json);
  doc.services = services;
  const sections = [
    ['networks', ORDER.network],
    ['volumes', ORDER.volumeConfig],
    ['secrets', ORDER.fileObject],
    ['configs', ORDER.fileObject],
  ] as const;
  for (const [section, order] of sections) {
    const table = project[section] as unknown as Record<string, Dict>;
    const keys = Object.keys(table).sort();
    if (keys.length === 0) continue;
    const out: Dict = {};
    for (const k of keys) {
      let v = table[k];
      if (section === 'networks' && v.ipam) v = { ...v, ipam: ordered({ ...(v.ipam as Dict), config: (v.ipam as { config?: Dict[] }).config?.map((c) => ordered(c, ORDER.ipamPool)) }, ORDER.ipam) };
      // compose-go: a config's content is printed unless it came from an environment variable.
      if (section === 'configs' && v.environment !== undefined) v = { ...v, content: undefined };
      out[k] = ordered(sortMaps(v, ['driver_opts', 'labels']), order);
    }
    doc[section] = out;
  }
  for (const k of Object.keys(project.extensions).sort()) doc[k] = project.extensions[k];
  // compose-go: YAML in the project's field order with sequences indented under their keys (go-yaml's
  // SetIndent(2)); JSON is a Go map at the top (keys sorted), indented by two spaces.
  return json ? `${JSON.stringify(sortKeys(doc), null, 2)}\n` : toYaml(doc, { indentSeq: true, aliases: false });
}

function renderService(s: ServiceConfig, json: boolean): Dict {
  const src = s as unknown as Dict;
  const rendered: Dict = {};
  for (const key of Object.keys(src)) {
    // The name is the key under services:; x- extensions are YAML-only (compose-go's json:"-").
    if (key === 'name' || (json && key.startsWith('x-'))) continue;
    const v = render(key, src[key]);
    if (v !== undefined) rendered[key] = v;
  }
  // compose-go's JSON always has command and entrypoint (null when not set).
  if (json) {
    rendered.command ??= null;
    rendered.entrypoint ??= null;
  }
  const out: Dict = {};
  for (const k of ORDER.service) if (k in rendered) out[k] = rendered[k];
  for (const k of Object.keys(rendered).sort()) if (!(k in out)) out[k] = rendered[k];
  return out;
}

/** One service key's value in compose's printed form; undefined leaves it out. */
function render(key: string, v: unknown): unknown {
  if (v === undefined) return undefined;
  if (key === 'command' || key === 'entrypoint') return v === null ? undefined : v;
  if (isEmpty(v)) return undefined;
  switch (key) {
    case 'ports':
      return (v as Dict[]).map((p) => ordered(p, ORDER.port));
    case 'volumes':
      return (v as ServiceVolume[]).map(renderVolume);
    case 'depends_on':
      return mapValues(v as Dict, (d) => {
        const dep = d as { condition: string; restart: boolean; required: boolean };
        // restart is omitempty in compose-go; required is always printed.
        return ordered({ condition: dep.condition, restart: dep.restart || undefined, required: dep.required }, ORDER.dependsOn);
      });
    case 'healthcheck':
      return ordered(v as Dict, ORDER.healthcheck);
    case 'build': {
      const b = v as Dict;
      return ordered(
        {
          ...b,
          args: sorted(b.args as Dict | undefined),
          labels: sorted(b.labels as Dict | undefined),
          extra_hosts: b.extra_hosts ? hostsList(b.extra_hosts as Record<string, string[]>) : undefined,
          secrets: (b.secrets as FileReference[] | undefined)?.map(renderFileRef),
          shm_size: b.shm_size === undefined ? undefined : String(b.shm_size),
        },
        ORDER.build,
      );
    }
    case 'deploy': {
      const d = v as Dict;
      const res = d.resources as Record<string, Dict | undefined> | undefined;
      const resource = (r: Dict | undefined) => (r && !isEmpty(r) ? ordered({ ...r, memory: r.memory === undefined ? undefined : String(r.memory) }, ORDER.resource) : undefined);
      const resources = res ? ordered({ limits: resource(res.limits), reservations: resource(res.reservations) }, ORDER.resources) : undefined;
      return ordered(
        {
          ...d,
          labels: sorted(d.labels as Dict | undefined),
          resources: resources && !isEmpty(resources) ? resources : undefined,
          restart_policy: d.restart_policy ? ordered(d.restart_policy as Dict, ORDER.restartPolicy) : undefined,
        },
        ORDER.deploy,
      );
    }
    case 'secrets':
    case 'configs':
      return (v as FileReference[]).map(renderFileRef);
    case 'logging': {
      const l = v as Dict;
      return ordered({ ...l, options: sorted(l.options as Dict | undefined) }, ORDER.logging);
    }
    case 'devices':
      return (v as Dict[]).map((d) => ordered(d, ORDER.device));
    case 'networks':
      return mapValues(v as Dict, (n) => (n === null ? null : ordered(n as Dict, ORDER.serviceNetwork)));
    case 'extra_hosts':
      return hostsList(v as Record<string, string[]>);
    case 'ulimits':
      return mapValues(v as Dict, (u) => (typeof u === 'number' ? u : ordered(u as Dict, ['soft', 'hard'])));
    case 'shm_size': case 'mem_limit': case 'mem_reservation': case 'memswap_limit':
      return String(v); // compose-go's UnitBytes print as strings
    case 'environment': case 'labels': case 'annotations': case 'sysctls':
      return sorted(v as Dict);
    default:
      return v;
  }
}

function renderVolume(v: ServiceVolume): Dict {
  return ordered(
    {
      ...v,
      bind: v.bind ? ordered(v.bind, ORDER.bind) : undefined,
      volume: v.volume ? ordered(v.volume, ORDER.volumeOpts) : undefined,
      tmpfs: v.tmpfs ? ordered({ ...v.tmpfs, size: v.tmpfs.size === undefined ? undefined : String(v.tmpfs.size) }, ORDER.tmpfs) : undefined,
    },
    ORDER.volume,
  );
}

function renderFileRef(r: FileReference): Dict {
  // compose-go prints file modes in octal, as strings ("0440").
  return ordered({ ...r, mode: r.mode === undefined ? undefined : `0${r.mode.toString(8)}` }, ORDER.fileRef);
}

/** extra_hosts as compose-go prints them: "host=ip" strings, sorted. */
function hostsList(h: Record<string, string[]>): string[] {
  return Object.entries(h).flatMap(([host, ips]) => ips.map((ip) => `${host}=${ip}`)).sort();
}

/** The keys of `order` first in that order, then any others alphabetically; undefined values left out, empty objects too. */
function ordered(obj: object, order: readonly string[]): Dict {
  const src = obj as Dict;
  const out: Dict = {};
  const rest = Object.keys(src).filter((k) => !order.includes(k)).sort();
  for (const k of [...order, ...rest]) {
    const v = src[k];
    if (v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0 && k !== 'volume' && k !== 'bind')) continue;
    if (k in src) out[k] = v;
  }
  return out;
}

function sorted(m: Dict | undefined): Dict | undefined {
  if (!m || Object.keys(m).length === 0) return undefined;
  return sortKeys(m);
}

function sortKeys(m: Dict): Dict {
  const out: Dict = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k];
  return out;
}

function sortMaps(v: Dict, keys: string[]): Dict {
  const out = { ...v };
  for (const k of keys) if (out[k] && typeof out[k] === 'object') out[k] = sorted(out[k] as Dict);
  return out;
}

function mapValues(m: Dict, f: (v: unknown) => unknown): Dict {
  const out: Dict = {};
  for (const k of Object.keys(m).sort()) out[k] = f(m[k]);
  return out;
}

function isEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  if (v && typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

// ---- the lists of `config --services/--volumes/--profiles/--images/--hash` ----

/** The enabled services' names, sorted. */
export function listServices(project: Project): string[] {
  return Object.keys(project.services).sort();
}

/** The project's top-level volume keys (those its enabled services use), sorted. */
export function listVolumes(project: Project): string[] {
  return Object.keys(project.volumes).sort();
}

/** Every profile any service names, enabled or not, sorted. */
export function listProfiles(project: Project): string[] {
  return [...project.allProfiles].sort();
}

/** Compose's name for a built service's image when it gives no image: `<project>-<service>`. */
export function defaultImageName(project: Pick<Project, 'name'>, service: Pick<ServiceConfig, 'name'>): string {
  return `${project.name}-${service.name}`;
}

/** Each enabled service's image (sorted by service): its image, else the name its build makes. */
export function listImages(project: Project): string[] {
  return listServices(project).map((name) => project.services[name].image ?? defaultImageName(project, project.services[name]));
}

/** "<service> <config hash>" lines for the named services (all enabled ones when none or "*" is named). */
export function serviceHashes(project: Project, services: string[]): Array<{ service: string; hash: string }> {
  const names = services.length === 0 || services.includes('*') ? listServices(project) : services;
  return names.map((name) => {
    const s = project.services[name];
    if (!s) throw new InvalidArgumentError(`no such service: ${name}: see the names with "tspod compose config --services"`);
    return { service: name, hash: serviceConfigHash(s) };
  });
}
