// The Compose project as tspod works with it: files found, merged and interpolated (load.ts) become
// a RawProject; normalize.ts makes it the normalised Project below, whose keys are the Compose
// Specification's own (long forms only), so `compose config` prints it as it is. translate-*.ts
// make a service's containers' create options from it; up.ts/down.ts make and remove them.

/** How the project is found: compose's global options and their COMPOSE_* environment variables. */
export interface ProjectOptions {
  /** -f (several; "-" is stdin); empty: COMPOSE_FILE (split on COMPOSE_PATH_SEPARATOR, default ":"), else compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml from workingDir upwards. */
  files: string[];
  /** -p; else COMPOSE_PROJECT_NAME; else the file's top-level name:; else the project directory's base name (normalised: lowercase, [a-z0-9_-], starting with a letter or digit). */
  projectName?: string;
  /** --project-directory; else the first file's directory. */
  projectDirectory?: string;
  /** --profile (several); else COMPOSE_PROFILES (comma separated). */
  profiles: string[];
  /** --env-file (several, later wins); else <project directory>/.env when it exists. */
  envFiles: string[];
  /** The process environment (wins over env files for interpolation, as Compose's). */
  env: NodeJS.ProcessEnv;
  /** Where the command ran (file lookup starts here). */
  workingDir: string;
  /** The text of "-" when a file is stdin (read by the command layer). */
  stdin?: () => string;
}

/** Where a key came from, for errors that name file, line and key. */
export interface SourceRef {
  file: string;
  line?: number;
}

/** Files loaded, interpolated, extended, included and merged; not yet normalised. */
export interface RawProject {
  /** The project's name (normalised). */
  name: string;
  /** The project directory (absolute). */
  workingDir: string;
  /** The files read, in merge order ("-" for stdin), absolute. */
  files: string[];
  /** The interpolation environment: env files overlaid by the process environment. */
  environment: Record<string, string>;
  /** The merged document (plain objects; anchors and << merge keys resolved, x- extensions kept). */
  dict: Record<string, unknown>;
  /** Where a key path was defined ("services.web.ports"), for normalisation errors. */
  where(path: string[]): SourceRef | undefined;
  /** COMPOSE_PROFILES (process environment or .env) when no --profile was given: the profiles to use instead of ProjectOptions.profiles. */
  profiles?: string[];
}

export interface ServicePort {
  name?: string;
  mode?: 'ingress' | 'host';
  host_ip?: string;
  target: number;
  /** "8080" or "8080-8090"; absent: a random host port. */
  published?: string;
  protocol?: 'tcp' | 'udp';
  app_protocol?: string;
}

export interface ServiceVolume {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  /** bind: an absolute host path (relative ones resolved against the project directory); volume: the project's volume key (not yet prefixed); absent: anonymous. */
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: 'z' | 'Z' };
  volume?: { nocopy?: boolean; subpath?: string };
  tmpfs?: { size?: number; mode?: number };
}

export interface ServiceNetwork {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  priority?: number;
}

export interface DependsOn {
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  required: boolean;
  restart: boolean;
}

/** A secret or config a service uses (long form). */
export interface FileReference {
  source: string;
  /** Secrets: a name under /run/secrets or an absolute path; configs: an absolute path (default /<source>). */
  target: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export interface Healthcheck {
  test?: string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  start_interval?: string;
  disable?: boolean;
}

export interface BuildConfig {
  context: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  args?: Record<string, string | null>;
  target?: string;
  labels?: Record<string, string>;
  secrets?: FileReference[];
  cache_from?: string[];
  network?: string;
  no_cache?: boolean;
  pull?: boolean;
  platforms?: string[];
  tags?: string[];
  extra_hosts?: Record<string, string[]>;
  shm_size?: number;
}

export interface Resources {
  cpus?: number;
  memory?: number;
  pids?: number;
}

export interface Deploy {
  mode?: 'replicated' | 'global';
  replicas?: number;
  labels?: Record<string, string>;
  resources?: { limits?: Resources; reservations?: Resources };
  restart_policy?: { condition?: 'none' | 'on-failure' | 'any'; delay?: string; max_attempts?: number; window?: string };
}

/** One service, normalised: long forms, relative paths absolute, defaults as `docker compose config` prints them. */
export interface ServiceConfig {
  name: string;
  profiles?: string[];
  image?: string;
  build?: BuildConfig;
  pull_policy?: 'always' | 'never' | 'missing' | 'build' | 'if_not_present' | 'daily' | 'weekly';
  command?: string[] | null;
  entrypoint?: string[] | null;
  /** null: taken from the process environment at create time when set there (Compose's `- FOO`). */
  environment?: Record<string, string | null>;
  ports?: ServicePort[];
  expose?: string[];
  volumes?: ServiceVolume[];
  tmpfs?: string[];
  networks?: Record<string, ServiceNetwork | null>;
  network_mode?: string;
  depends_on?: Record<string, DependsOn>;
  healthcheck?: Healthcheck;
  restart?: string;
  deploy?: Deploy;
  scale?: number;
  labels?: Record<string, string>;
  user?: string;
  working_dir?: string;
  hostname?: string;
  domainname?: string;
  /** host → addresses (Compose 2.24's map form; the list form "host:ip" becomes this). */
  extra_hosts?: Record<string, string[]>;
  dns?: string[];
  dns_search?: string[];
  dns_opt?: string[];
  cap_add?: string[];
  cap_drop?: string[];
  privileged?: boolean;
  read_only?: boolean;
  init?: boolean;
  stop_signal?: string;
  /** A Go duration ("10s", "1m30s"). */
  stop_grace_period?: string;
  ulimits?: Record<string, { soft: number; hard: number } | number>;
  sysctls?: Record<string, string>;
  /** Bytes. */
  shm_size?: number;
  tty?: boolean;
  stdin_open?: boolean;
  secrets?: FileReference[];
  configs?: FileReference[];
  logging?: { driver?: string; options?: Record<string, string | null> };
  platform?: string;
  pid?: string;
  ipc?: string;
  devices?: Array<{ source: string; target: string; permissions?: string }>;
  group_add?: string[];
  security_opt?: string[];
  userns_mode?: string;
  container_name?: string;
  /** "service" or "service:alias". */
  links?: string[];
  external_links?: string[];
  mem_limit?: number;
  cpus?: number;
  pids_limit?: number;
  /** Bytes (--memory-reservation). */
  mem_reservation?: number;
  /** Bytes, or -1 for unlimited (--memory-swap). */
  memswap_limit?: number;
  cpu_shares?: number;
  /** Microseconds (--cpu-period, --cpu-quota). */
  cpu_period?: number;
  cpu_quota?: number;
  /** CPUs the containers may use ("0-3", "0,1"; --cpuset-cpus). */
  cpuset?: string;
  oom_score_adj?: number;
  /** The OCI runtime (--runtime). */
  runtime?: string;
  /** "service", "service:ro", "container:name[:rw]" (--volumes-from, services resolved by the translator). */
  volumes_from?: string[];
  annotations?: Record<string, string>;
  mac_address?: string;
  /** x- extensions and other keys kept for `config`. */
  [extension: `x-${string}`]: unknown;
}

export interface NetworkConfig {
  /** The real name (project-prefixed unless name: is given or external). */
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  internal?: boolean;
  external?: boolean;
  attachable?: boolean;
  enable_ipv6?: boolean;
  ipam?: { driver?: string; config?: Array<{ subnet?: string; gateway?: string; ip_range?: string }> };
  labels?: Record<string, string>;
}

export interface VolumeConfig {
  /** The real name (project-prefixed unless name: is given or external). */
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  labels?: Record<string, string>;
}

export interface SecretOrConfig {
  /** The real name (project-prefixed unless name: given). */
  name: string;
  /** An absolute path. */
  file?: string;
  /** The name of an environment variable (of the interpolation environment). */
  environment?: string;
  /** Inline content (configs only). */
  content?: string;
  external?: boolean;
  labels?: Record<string, string>;
}

/** The normalised project: what `compose config` prints (services sorted by name) and what up/down work from. */
export interface Project {
  name: string;
  /** The project directory (absolute). */
  workingDir: string;
  /** The files it came from (absolute; "-" for stdin). */
  files: string[];
  /** The interpolation environment (env files overlaid by the process environment). */
  environment: Record<string, string>;
  /** Services enabled by the active profiles (a service without profiles always is). */
  services: Record<string, ServiceConfig>;
  /** Services left out by their profiles (for --profile and `config --profiles`). */
  disabledServices: Record<string, ServiceConfig>;
  networks: Record<string, NetworkConfig>;
  volumes: Record<string, VolumeConfig>;
  secrets: Record<string, SecretOrConfig>;
  configs: Record<string, SecretOrConfig>;
  /** Every profile named by any service. */
  allProfiles: string[];
  /** Keys tspod reads but does not act on, each as "services.web.deploy.placement: not supported by tspod (...)": reported by up/create/run, never silently dropped. */
  unsupported: string[];
  /** Top-level x- extensions, kept for `config`. */
  extensions: Record<string, unknown>;
}

/** The labels Docker Compose puts on what it makes (and reads back to find them). */
export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  configHash: 'com.docker.compose.config-hash',
  dependsOn: 'com.docker.compose.depends_on',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  image: 'com.docker.compose.image',
  version: 'com.docker.compose.version',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  replace: 'com.docker.compose.replace',
  /** A one-off (compose run) container's random ID; its name ends with the first 12 hex digits. */
  slug: 'com.docker.compose.slug',
} as const;

/** The Compose version tspod reports in com.docker.compose.version and `compose version`. */
export const COMPOSE_VERSION = '2.24.0';
