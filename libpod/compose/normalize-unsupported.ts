// The Compose keys tspod reads (the schema accepts them) but does not act on, with why; normalize.ts
// reports each one present as "<path>: not supported by tspod (<why>)" in Project.unsupported, and
// leaves it out of the model, so up/create/run can say so rather than silently drop it.

/** Service keys outside ServiceConfig. */
export const UNSUPPORTED_SERVICE_KEYS: Record<string, string> = {
  attach: 'every service is attached to `up`\'s log output',
  blkio_config: 'block I/O limits are not translated; use tspod run --blkio-weight',
  cgroup: 'containers use the engine\'s default cgroup namespace',
  cgroup_parent: 'containers are placed in the engine\'s own cgroup',
  cpu_count: 'a Windows-only setting',
  cpu_percent: 'a Windows-only setting',
  cpu_rt_period: 'real-time CPU scheduling is not available rootless',
  cpu_rt_runtime: 'real-time CPU scheduling is not available rootless',
  credential_spec: 'a Windows-only setting',
  develop: '`compose watch` is not implemented',
  device_cgroup_rules: 'device cgroup rules are not available rootless',
  gpus: 'GPU requests are not implemented',
  isolation: 'a Windows-only setting',
  label_file: 'give labels in the file',
  log_driver: 'the legacy key; use logging.driver',
  log_opt: 'the legacy key; use logging.options',
  mem_swappiness: 'memory swappiness is not translated',
  models: 'model runners are not implemented',
  net: 'the legacy key; use network_mode',
  oom_kill_disable: 'the OOM killer cannot be disabled rootless',
  post_start: 'lifecycle hooks are not implemented',
  pre_start: 'lifecycle hooks are not implemented',
  pre_stop: 'lifecycle hooks are not implemented',
  provider: 'provider services are not implemented',
  storage_opt: 'per-container storage options are not translated',
  use_api_socket: 'tspod has no Docker API socket to mount',
  uts: 'the UTS namespace is always the container\'s own',
  volume_driver: 'volumes use the local driver',
};

/** build keys outside BuildConfig, and BuildConfig keys tspod keeps but ignores. */
export const UNSUPPORTED_BUILD_KEYS: Record<string, string> = {
  additional_contexts: 'builds take one context',
  cache_from: "ignored: tspod's build cache is local",
  cache_to: "ignored: tspod's build cache is local",
  entitlements: 'build entitlements are not implemented',
  isolation: 'a Windows-only setting',
  no_cache_filter: 'use no_cache',
  privileged: 'builds are never privileged',
  provenance: 'provenance attestations are not made',
  sbom: 'SBOM attestations are not made',
  ssh: 'SSH agent forwarding to builds is not implemented',
  ulimits: 'build ulimits are not translated',
};

/** deploy keys outside Deploy (swarm's). */
export const UNSUPPORTED_DEPLOY_KEYS: Record<string, string> = {
  endpoint_mode: 'a swarm setting',
  placement: 'a swarm setting; containers run on this host',
  rollback_config: 'a swarm setting',
  update_config: 'a swarm setting; `up` recreates changed services',
};

/** deploy.resources.{limits,reservations} keys outside Resources, and reservations tspod cannot make. */
export const UNSUPPORTED_RESOURCE_KEYS: Record<string, string> = {
  devices: 'device reservations (GPUs) are not implemented',
  generic_resources: 'a swarm setting',
};
export const UNSUPPORTED_RESERVATION_KEYS: Record<string, string> = {
  cpus: 'CPU reservations are not made; use deploy.resources.limits.cpus',
  pids: 'a pids reservation has no meaning; use deploy.resources.limits.pids',
};

/** A service's per-network keys outside ServiceNetwork. */
export const UNSUPPORTED_SERVICE_NETWORK_KEYS: Record<string, string> = {
  driver_opts: 'per-endpoint driver options are not translated',
  gw_priority: 'the default gateway is the first network\'s',
  interface_name: 'interface names are chosen by the network backend',
  link_local_ips: 'link-local addresses are not assigned',
  mac_address: 'use the service\'s mac_address',
};

/** Top-level networks keys outside NetworkConfig. */
export const UNSUPPORTED_NETWORK_KEYS: Record<string, string> = {
  enable_ipv4: 'networks always have IPv4',
};

/** Secrets' and configs' keys outside SecretOrConfig. */
export const UNSUPPORTED_FILE_OBJECT_KEYS: Record<string, string> = {
  driver: 'secrets and configs are files',
  driver_opts: 'secrets and configs are files',
  template_driver: 'templated secrets and configs are not implemented',
};

/** The network, volume, IPAM and logging drivers tspod acts on. */
export const NETWORK_DRIVERS = ['bridge'];
export const VOLUME_DRIVERS = ['local'];
export const IPAM_DRIVERS = ['default'];
export const LOG_DRIVERS = ['k8s-file', 'json-file', 'journald', 'none'];

/** The message for one unsupported key path. */
export function unsupportedMessage(keyPath: string, why: string): string {
  return `${keyPath}: not supported by tspod (${why})`;
}
