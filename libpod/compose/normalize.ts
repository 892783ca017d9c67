// A RawProject (files merged and interpolated, schema-valid) made the normalised Project, as compose-go's
// loader does for `docker compose config`: short forms to long, relative paths absolute, defaults and
// names filled in, env_file read under environment, profiles applied, references checked (errors name
// file and line), the resources no enabled service uses left out, and unsupported keys listed.
import fs from 'node:fs';
import os from 'node:os';
import { InvalidArgumentError } from '../../src/errors';
import { parseEnvFile } from './env-file';
import {
  IPAM_DRIVERS, LOG_DRIVERS, NETWORK_DRIVERS, UNSUPPORTED_BUILD_KEYS, UNSUPPORTED_DEPLOY_KEYS, UNSUPPORTED_FILE_OBJECT_KEYS,
  UNSUPPORTED_NETWORK_KEYS, UNSUPPORTED_RESERVATION_KEYS, UNSUPPORTED_RESOURCE_KEYS, UNSUPPORTED_SERVICE_KEYS,
  UNSUPPORTED_SERVICE_NETWORK_KEYS, VOLUME_DRIVERS, unsupportedMessage,
} from './normalize-unsupported';
import { absolutePath, cleanTarget, parseBytes, parseExtraHosts, parsePortSpec, parseVolumeSpec, shellSplit } from './short-forms';
import type {
  BuildConfig, Deploy, DependsOn, FileReference, Healthcheck, NetworkConfig, Project, RawProject, Resources, SecretOrConfig,
  ServiceConfig, ServiceNetwork, ServicePort, ServiceVolume, VolumeConfig,
} from './types';

type Dict = Record<string, unknown>;
/** A key path: names, and list indexes as numbers ("services.web.ports[0]"). */
type KeyPath = Array<string | number>;

const PULL_POLICIES = ['always', 'never', 'missing', 'build', 'if_not_present', 'daily', 'weekly'];
const CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'];
const VOLUME_TYPES = ['bind', 'volume', 'tmpfs', 'npipe', 'cluster', 'image'];

/** Short forms to long, relative paths absolute, names prefixed, profiles applied, unsupported keys listed. */
export function normalizeProject(raw: RawProject, profiles: string[]): Project {
  return new Normalizer(raw).project(profiles);
}

/** Whether a service runs with these profiles active: it has none, or one of them is active ("*": all). */
export function serviceEnabled(service: Pick<ServiceConfig, 'profiles'>, profiles: string[]): boolean {
  if (!service.profiles || service.profiles.length === 0) return true;
  return profiles.includes('*') || service.profiles.some((p) => profiles.includes(p));
}

class Normalizer {
  private readonly home: string;
  /** Notes by the section and key they are under (services.web, networks.front), for filtering by use. */
  private readonly unsupported: Array<{ section: string; key?: string; message: string }> = [];

  constructor(private readonly raw: RawProject) {
    this.home = raw.environment.HOME ?? os.homedir();
  }

  project(profiles: string[]): Project {
    const dict = this.raw.dict;
    const extensions: Dict = {};
    for (const [key, value] of Object.entries(dict)) {
      if (key.startsWith('x-')) extensions[key] = value;
      else if (!['version', 'name', 'services', 'networks', 'volumes', 'secrets', 'configs', 'include'].includes(key)) {
        this.note([key], `the top-level ${key} section is not implemented`);
      }
    }

    const all: Record<string, ServiceConfig> = {};
    const rawServices = this.dict(dict.services ?? {}, ['services']);
    for (const name of Object.keys(rawServices).sort()) {
      all[name] = this.service(name, this.dict(rawServices[name] ?? {}, ['services', name]));
    }
    const services: Record<string, ServiceConfig> = {};
    const disabledServices: Record<string, ServiceConfig> = {};
    for (const [name, s] of Object.entries(all)) (serviceEnabled(s, profiles) ? services : disabledServices)[name] = s;

    const networks = this.section('networks', (key, v) => this.network(key, v));
    // compose-go: the default network exists whenever a service is on it.
    if (!networks.default && Object.values(all).some((s) => s.networks && 'default' in s.networks)) {
      networks.default = { name: `${this.raw.name}_default` };
    }
    const volumes = this.section('volumes', (key, v) => this.volume(key, v));
    const secrets = this.section('secrets', (key, v) => this.fileObject('secrets', key, v));
    const configs = this.section('configs', (key, v) => this.fileObject('configs', key, v));

    const project: Project = {
      name: this.raw.name,
      workingDir: this.raw.workingDir,
      files: this.raw.files,
      environment: this.raw.environment,
      services,
      disabledServices,
      networks,
      volumes,
      secrets,
      configs,
      allProfiles: [...new Set(Object.values(all).flatMap((s) => s.profiles ?? []))].sort(),
      unsupported: [],
      extensions,
    };
    this.check(project, all);
    this.prune(project);
    return project;
  }

  // ---- errors and locations ----

  private fail(keys: KeyPath, message: string): never {
    let ref;
    for (let n = keys.length; n > 0 && !ref; n--) ref = this.raw.where(keys.slice(0, n).map(String));
    const at = ref ? (ref.line !== undefined ? `${ref.file}:${ref.line}: ` : `${ref.file}: `) : '';
    throw new InvalidArgumentError(`${at}${keyPath(keys)}: ${message}`);
  }

  private note(keys: KeyPath, why: string): void {
    this.unsupported.push({ section: String(keys[0]), key: keys.length > 1 ? String(keys[1]) : undefined, message: unsupportedMessage(keyPath(keys), why) });
  }

  // ---- scalar and collection readers (values may be strings after interpolation) ----

  private dict(v: unknown, keys: KeyPath): Dict {
    if (v === null || v === undefined) return {};
    if (typeof v !== 'object' || Array.isArray(v)) this.fail(keys, 'must be a mapping');
    return v as Dict;
  }

  private str(v: unknown, keys: KeyPath): string {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    this.fail(keys, 'must be a string');
  }

  private int(v: unknown, keys: KeyPath): number {
    const n = typeof v === 'string' && /^[-+]?\d+$/.test(v.trim()) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) this.fail(keys, 'must be an integer');
    return n;
  }

  private float(v: unknown, keys: KeyPath): number {
    const n = typeof v === 'string' && /^[-+]?(\d+\.?\d*|\.\d+)$/.test(v.trim()) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) this.fail(keys, 'must be a number');
    return n;
  }

  private bool(v: unknown, keys: KeyPath): boolean {
    if (typeof v === 'boolean') return v;
    // Go's strconv.ParseBool, as compose-go casts interpolated values.
    if (typeof v === 'string' && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
    if (typeof v === 'string' && ['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
    this.fail(keys, 'must be a boolean (true or false)');
  }

  /** A Go duration ("10s", "1m30s", "500ms"), kept as written; a bare number is seconds' nanoseconds in Go, so refused. */
  private duration(v: unknown, keys: KeyPath): string {
    const d = this.str(v, keys);
    if (!/^((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/.test(d) && d !== '0') this.fail(keys, `invalid duration "${d}": write it as 10s, 1m30s or 500ms`);
    return d;
  }

  private bytes(v: unknown, keys: KeyPath): number {
    try {
      return parseBytes(v);
    } catch (e) {
      this.fail(keys, (e as Error).message);
    }
  }

  private strings(v: unknown, keys: KeyPath): string[] {
    if (typeof v === 'string') return [v];
    if (!Array.isArray(v)) this.fail(keys, 'must be a string or a list of strings');
    return v.map((e, i) => this.str(e, [...keys, i]));
  }

  /** A list of "KEY=VALUE" (a bare "KEY" is `bare`) or a mapping; values as strings, null kept when `keepNull`. */
  private mapping(v: unknown, keys: KeyPath, bare: string | null): Record<string, string | null> {
    const out: Record<string, string | null> = {};
    if (Array.isArray(v)) {
      v.forEach((e, i) => {
        const s = this.str(e, [...keys, i]);
        const eq = s.indexOf('=');
        if (eq < 0) out[s] = bare;
        else out[s.slice(0, eq)] = s.slice(eq + 1);
      });
      return out;
    }
    for (const [k, e] of Object.entries(this.dict(v, keys))) out[k] = e === null || e === undefined ? bare : this.str(e, [...keys, k]);
    return out;
  }

  private labels(v: unknown, keys: KeyPath): Record<string, string> {
    return this.mapping(v, keys, '') as Record<string, string>;
  }

  private path(p: string): string {
    return absolutePath(p, this.raw.workingDir, this.home);
  }

  /** Copies an object's keys through `read` per key, reporting keys listed in `unsupported` and unknown ones. */
  private each(obj: Dict, keys: KeyPath, unsupported: Record<string, string>, read: (key: string, value: unknown) => boolean): void {
    for (const [k, v] of Object.entries(obj)) {
      if (k.startsWith('x-')) continue;
      if (read(k, v)) continue;
      this.note([...keys, k], unsupported[k] ?? 'tspod does not read this key');
    }
  }

  // ---- services ----

  private service(name: string, s: Dict): ServiceConfig {
    const at = (...k: KeyPath): KeyPath => ['services', name, ...k];
    const svc: ServiceConfig = { name };
    const w = svc as unknown as Dict;
    this.each(s, at(), UNSUPPORTED_SERVICE_KEYS, (k, v) => {
      switch (k) {
        case 'extends': // applied by the loader
        case 'env_file': // read below, under environment
          return true;
        case 'profiles': case 'dns': case 'dns_search': case 'dns_opt': case 'cap_add': case 'cap_drop': case 'group_add':
        case 'security_opt': case 'links': case 'external_links': case 'volumes_from': case 'tmpfs':
          w[k] = this.strings(v, at(k));
          return true;
        case 'expose':
          w[k] = this.strings(Array.isArray(v) ? v.map((e) => (typeof e === 'number' ? String(e) : e)) : v, at(k));
          return true;
        case 'stop_grace_period':
          svc.stop_grace_period = this.duration(v, at(k));
          return true;
        case 'image': case 'restart': case 'user': case 'working_dir': case 'hostname': case 'domainname': case 'stop_signal':
        case 'platform': case 'pid': case 'ipc': case 'userns_mode': case 'container_name':
        case 'mac_address': case 'network_mode': case 'runtime': case 'cpuset':
          w[k] = this.str(v, at(k));
          return true;
        case 'privileged': case 'read_only': case 'init': case 'tty': case 'stdin_open':
          w[k] = this.bool(v, at(k));
          return true;
        case 'scale': case 'pids_limit': case 'cpu_shares': case 'cpu_period': case 'cpu_quota': case 'oom_score_adj':
          w[k] = this.int(v, at(k));
          return true;
        case 'cpus':
          w[k] = this.float(v, at(k));
          return true;
        case 'shm_size': case 'mem_limit': case 'mem_reservation': case 'memswap_limit':
          w[k] = v === -1 || v === '-1' ? -1 : this.bytes(v, at(k));
          return true;
        case 'labels': case 'annotations':
          w[k] = this.labels(v, at(k));
          return true;
        case 'sysctls':
          w[k] = this.mapping(v, at(k), '');
          return true;
        case 'environment':
          svc.environment = this.mapping(v, at(k), null);
          return true;
        case 'command': case 'entrypoint':
          w[k] = this.command(v, at(k));
          return true;
        case 'pull_policy': {
          const p = this.str(v, at(k));
          if (!PULL_POLICIES.includes(p) && !/^every_\w+$/.test(p)) this.fail(at(k), `invalid pull policy "${p}": use always, never, missing, build, daily or weekly`);
          // compose-go: if_not_present is missing's old name.
          svc.pull_policy = (p === 'if_not_present' ? 'missing' : p) as ServiceConfig['pull_policy'];
          return true;
        }
        case 'build':
          svc.build = this.build(v, at(k));
          return true;
        case 'ports':
          svc.ports = this.list(v, at(k)).flatMap((e, i) => this.port(e, at(k, i)));
          return true;
        case 'volumes':
          svc.volumes = this.list(v, at(k)).map((e, i) => this.serviceVolume(e, at(k, i)));
          return true;
        case 'networks':
          svc.networks = this.serviceNetworks(v, at(k));
          return true;
        case 'depends_on':
          svc.depends_on = this.dependsOn(v, at(k));
          return true;
        case 'healthcheck':
          svc.healthcheck = this.healthcheck(v, at(k));
          return true;
        case 'deploy':
          svc.deploy = this.deploy(v, at(k));
          return true;
        case 'extra_hosts':
          try {
            svc.extra_hosts = parseExtraHosts(v);
          } catch (e) {
            this.fail(at(k), (e as Error).message);
          }
          return true;
        case 'ulimits':
          svc.ulimits = this.ulimits(v, at(k));
          return true;
        case 'secrets': case 'configs':
          w[k] = this.list(v, at(k)).map((e, i) => this.fileReference(e, at(k, i), k === 'secrets' ? '/run/secrets/' : '/'));
          return true;
        case 'logging':
          svc.logging = this.logging(v, at(k));
          return true;
        case 'devices':
          svc.devices = this.list(v, at(k)).map((e, i) => this.device(e, at(k, i)));
          return true;
        default:
          return false;
      }
    });
    for (const [k, v] of Object.entries(s)) if (k.startsWith('x-')) w[k] = v;

    this.environment(svc, s.env_file, at('env_file'));
    if (!svc.networks || Object.keys(svc.networks).length === 0) {
      if (svc.network_mode === undefined) svc.networks = { default: null };
      else delete svc.networks;
    }
    this.implicitDependencies(svc);
    // compose-go: scale is deploy.replicas when both are given (and must agree).
    if (svc.scale !== undefined && svc.deploy?.replicas !== undefined && svc.scale !== svc.deploy.replicas) {
      this.fail(at('scale'), `can't set distinct values on 'scale' and 'deploy.replicas': give one of them`);
    }
    if (svc.scale !== undefined && svc.deploy) svc.deploy.replicas = svc.scale;
    return svc;
  }

  private list(v: unknown, keys: KeyPath): unknown[] {
    if (!Array.isArray(v)) this.fail(keys, 'must be a list');
    return v;
  }

  private command(v: unknown, keys: KeyPath): string[] | null {
    if (v === null || v === undefined) return null;
    if (typeof v === 'string') {
      try {
        return shellSplit(v);
      } catch (e) {
        this.fail(keys, (e as Error).message);
      }
    }
    if (!Array.isArray(v)) this.fail(keys, 'must be a string or a list of strings');
    return v.map((e, i) => this.str(e, [...keys, i]));
  }

  /** environment: env_file's variables (in order, later files win) overridden by environment; `- FOO` takes the interpolation environment's FOO when set there. */
  private environment(svc: ServiceConfig, envFile: unknown, keys: KeyPath): void {
    const env: Record<string, string | null> = {};
    if (envFile !== undefined && envFile !== null) {
      const entries = typeof envFile === 'string' ? [envFile] : this.list(envFile, keys);
      entries.forEach((e, i) => {
        const ek = [...keys, i];
        const long = typeof e === 'object' && e !== null ? (e as Dict) : undefined;
        const file = this.path(this.str(long ? long.path : e, long ? [...ek, 'path'] : ek));
        const required = long?.required === undefined ? true : this.bool(long.required, [...ek, 'required']);
        const format = long?.format === undefined ? undefined : this.str(long.format, [...ek, 'format']);
        let text: string;
        try {
          text = fs.readFileSync(file, 'utf8');
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !required) return;
          this.fail(ek, `env file ${file} not found: create it, or set required: false (${(err as Error).message})`);
        }
        if (format !== undefined && format !== 'raw') this.fail([...ek, 'format'], `unsupported env_file format "${format}": use raw or leave it out`);
        try {
          // compose-go: a variable the file uses comes from the project's environment, else the service's environment:.
          const lookup = (n: string) => (Object.hasOwn(this.raw.environment, n) ? this.raw.environment[n] : (svc.environment?.[n] ?? undefined));
          Object.assign(env, format === 'raw' ? rawEnvFile(text) : parseEnvFile(text, file, lookup));
        } catch (err) {
          this.fail(ek, (err as Error).message); // env-file.ts names the file and line
        }
      });
    }
    for (const [k, v] of Object.entries(svc.environment ?? {})) {
      env[k] = v === null && Object.hasOwn(this.raw.environment, k) ? this.raw.environment[k] : v;
    }
    if (svc.environment !== undefined || Object.keys(env).length > 0) svc.environment = env;
  }

  /** compose-go's normalize: links, network_mode/ipc/pid "service:x" and volumes_from services are dependencies. */
  private implicitDependencies(svc: ServiceConfig): void {
    const deps: Record<string, DependsOn> = { ...svc.depends_on };
    const add = (name: string, restart: boolean) => {
      if (!deps[name]) deps[name] = { condition: 'service_started', required: true, restart };
    };
    for (const link of svc.links ?? []) {
      const parts = link.split(':');
      add(parts.length === 2 ? parts[0] : link, true);
    }
    for (const ns of [svc.network_mode, svc.ipc, svc.pid]) if (ns?.startsWith('service:')) add(ns.slice('service:'.length), true);
    for (const from of svc.volumes_from ?? []) if (!from.startsWith('container:')) add(from.split(':')[0], false);
    if (Object.keys(deps).length > 0) svc.depends_on = deps;
  }

  private build(v: unknown, keys: KeyPath): BuildConfig {
    if (typeof v === 'string') return { context: this.context(v), dockerfile: 'Dockerfile' };
    const b = this.dict(v, keys);
    const out: BuildConfig = { context: this.context(b.context === undefined || b.context === null ? '.' : this.str(b.context, [...keys, 'context'])) };
    const w = out as unknown as Dict;
    this.each(b, keys, UNSUPPORTED_BUILD_KEYS, (k, e) => {
      const at = [...keys, k];
      switch (k) {
        case 'context':
          return true;
        case 'dockerfile': case 'dockerfile_inline': case 'target': case 'network':
          w[k] = this.str(e, at);
          return true;
        case 'args': {
          // compose-go: an arg without a value takes the interpolation environment's, else is dropped.
          const args: Record<string, string | null> = {};
          for (const [a, val] of Object.entries(this.mapping(e, at, null))) {
            if (val !== null) args[a] = val;
            else if (Object.hasOwn(this.raw.environment, a)) args[a] = this.raw.environment[a];
          }
          out.args = args;
          return true;
        }
        case 'labels':
          out.labels = this.labels(e, at);
          return true;
        case 'cache_from':
          out.cache_from = this.strings(e, at);
          this.note(at, UNSUPPORTED_BUILD_KEYS.cache_from);
          return true;
        case 'platforms': case 'tags':
          w[k] = this.strings(e, at);
          return true;
        case 'no_cache': case 'pull':
          w[k] = this.bool(e, at);
          return true;
        case 'secrets':
          out.secrets = this.list(e, at).map((s, i) => this.fileReference(s, [...at, i], '/run/secrets/'));
          return true;
        case 'extra_hosts':
          try {
            out.extra_hosts = parseExtraHosts(e);
          } catch (err) {
            this.fail(at, (err as Error).message);
          }
          return true;
        case 'shm_size':
          out.shm_size = this.bytes(e, at);
          return true;
        default:
          return false;
      }
    });
    if (out.dockerfile === undefined && out.dockerfile_inline === undefined) out.dockerfile = 'Dockerfile';
    return out;
  }

  /** A build context: a local directory made absolute; git and http(s) URLs kept. */
  private context(c: string): string {
    if (/^(https?:\/\/|git@|git:\/\/|github\.com\/|ssh:\/\/)/.test(c) || /\.git(#.*)?$/.test(c)) return c;
    return this.path(c);
  }

  private port(v: unknown, keys: KeyPath): ServicePort[] {
    if (typeof v === 'number' || typeof v === 'string') {
      try {
        return parsePortSpec(String(v));
      } catch (e) {
        this.fail(keys, (e as Error).message);
      }
    }
    const p = this.dict(v, keys);
    if (p.target === undefined) this.fail([...keys, 'target'], 'a port needs a target (the container port)');
    const out: ServicePort = { mode: 'ingress', target: this.int(p.target, [...keys, 'target']), protocol: 'tcp' };
    this.each(p, keys, {}, (k, e) => {
      const at = [...keys, k];
      switch (k) {
        case 'target':
          return true;
        case 'published':
          out.published = this.str(e, at);
          return true;
        case 'name': case 'host_ip': case 'app_protocol':
          (out as unknown as Dict)[k] = this.str(e, at);
          return true;
        case 'mode': {
          const m = this.str(e, at);
          if (m !== 'ingress' && m !== 'host') this.fail(at, `invalid port mode "${m}": use ingress or host`);
          out.mode = m;
          return true;
        }
        case 'protocol': {
          const proto = this.str(e, at).toLowerCase();
          if (!['tcp', 'udp', 'sctp'].includes(proto)) this.fail(at, `invalid protocol "${proto}": use tcp or udp`);
          out.protocol = proto as ServicePort['protocol'];
          return true;
        }
        default:
          return false;
      }
    });
    // Keep compose-go's key order (name, mode, host_ip, target, published, protocol, app_protocol).
    return [{ ...(out.name !== undefined && { name: out.name }), mode: out.mode, ...(out.host_ip !== undefined && { host_ip: out.host_ip }), target: out.target, ...(out.published !== undefined && { published: out.published }), protocol: out.protocol, ...(out.app_protocol !== undefined && { app_protocol: out.app_protocol }) }];
  }

  private serviceVolume(v: unknown, keys: KeyPath): ServiceVolume {
    let vol: ServiceVolume;
    if (typeof v === 'string') {
      try {
        vol = parseVolumeSpec(v);
      } catch (e) {
        this.fail(keys, (e as Error).message);
      }
    } else {
      const d = this.dict(v, keys);
      const type = d.type === undefined ? undefined : this.str(d.type, [...keys, 'type']);
      if (!type || !VOLUME_TYPES.includes(type)) this.fail([...keys, 'type'], `a volume needs a type: bind, volume or tmpfs`);
      if (d.target === undefined && type !== 'image') this.fail([...keys, 'target'], 'a volume needs a target (the path in the container)');
      vol = { type: type as ServiceVolume['type'], target: d.target === undefined ? '' : this.str(d.target, [...keys, 'target']) };
      if (['npipe', 'cluster', 'image'].includes(type)) this.note([...keys, 'type'], `${type} mounts are not implemented`);
      this.each(d, keys, {}, (k, e) => {
        const at = [...keys, k];
        switch (k) {
          case 'type': case 'target':
            return true;
          case 'source':
            vol.source = this.str(e, at);
            return true;
          case 'read_only':
            vol.read_only = this.bool(e, at);
            return true;
          case 'consistency':
            vol.consistency = this.str(e, at);
            return true;
          case 'bind': {
            const b = this.dict(e, at);
            const bind: NonNullable<ServiceVolume['bind']> = {};
            this.each(b, at, { recursive: 'binds are always recursive' }, (bk, be) => {
              if (bk === 'propagation') bind.propagation = this.str(be, [...at, bk]);
              else if (bk === 'create_host_path') bind.create_host_path = this.bool(be, [...at, bk]);
              else if (bk === 'selinux') {
                const z = this.str(be, [...at, bk]);
                if (z !== 'z' && z !== 'Z') this.fail([...at, bk], 'must be z (shared) or Z (private)');
                bind.selinux = z;
              } else return false;
              return true;
            });
            // compose-go: a bind section creates a missing host path unless told not to.
            bind.create_host_path ??= true;
            vol.bind = bind;
            return true;
          }
          case 'volume': {
            const vd = this.dict(e, at);
            const volume: NonNullable<ServiceVolume['volume']> = {};
            this.each(vd, at, { labels: 'labels of a volume made for a service are not set' }, (vk, ve) => {
              if (vk === 'nocopy') volume.nocopy = this.bool(ve, [...at, vk]);
              else if (vk === 'subpath') volume.subpath = this.str(ve, [...at, vk]);
              else return false;
              return true;
            });
            vol.volume = volume;
            return true;
          }
          case 'tmpfs': {
            const td = this.dict(e, at);
            const tmpfs: NonNullable<ServiceVolume['tmpfs']> = {};
            this.each(td, at, {}, (tk, te) => {
              if (tk === 'size') tmpfs.size = this.bytes(te, [...at, tk]);
              else if (tk === 'mode') tmpfs.mode = typeof te === 'string' ? parseInt(te, 8) : this.int(te, [...at, tk]);
              else return false;
              return true;
            });
            vol.tmpfs = tmpfs;
            return true;
          }
          default:
            return false;
        }
      });
      if (vol.type === 'bind' && !vol.source) this.fail([...keys, 'source'], 'a bind mount needs a source (the host path)');
      if (vol.type === 'volume' && vol.source === '') delete vol.source;
    }
    if (vol.type === 'bind' && vol.source !== undefined) vol.source = this.path(vol.source);
    vol.target = cleanTarget(vol.target);
    return vol;
  }

  private serviceNetworks(v: unknown, keys: KeyPath): Record<string, ServiceNetwork | null> {
    const out: Record<string, ServiceNetwork | null> = {};
    if (Array.isArray(v)) {
      v.forEach((e, i) => {
        out[this.str(e, [...keys, i])] = null;
      });
      return out;
    }
    for (const [name, e] of Object.entries(this.dict(v, keys))) {
      if (e === null || e === undefined) {
        out[name] = null;
        continue;
      }
      const at = [...keys, name];
      const n: ServiceNetwork = {};
      this.each(this.dict(e, at), at, UNSUPPORTED_SERVICE_NETWORK_KEYS, (k, x) => {
        if (k === 'aliases') n.aliases = this.strings(x, [...at, k]);
        else if (k === 'ipv4_address' || k === 'ipv6_address') n[k] = this.str(x, [...at, k]);
        else if (k === 'priority') n.priority = this.int(x, [...at, k]);
        else return false;
        return true;
      });
      out[name] = n;
    }
    return out;
  }

  private dependsOn(v: unknown, keys: KeyPath): Record<string, DependsOn> {
    const out: Record<string, DependsOn> = {};
    if (Array.isArray(v)) {
      v.forEach((e, i) => {
        out[this.str(e, [...keys, i])] = { condition: 'service_started', required: true, restart: false };
      });
      return out;
    }
    for (const [name, e] of Object.entries(this.dict(v, keys))) {
      const at = [...keys, name];
      const d = this.dict(e, at);
      const condition = d.condition === undefined ? 'service_started' : this.str(d.condition, [...at, 'condition']);
      if (!CONDITIONS.includes(condition)) this.fail([...at, 'condition'], `invalid condition "${condition}": use service_started, service_healthy or service_completed_successfully`);
      out[name] = {
        condition: condition as DependsOn['condition'],
        required: d.required === undefined ? true : this.bool(d.required, [...at, 'required']),
        restart: d.restart === undefined ? false : this.bool(d.restart, [...at, 'restart']),
      };
    }
    return out;
  }

  private healthcheck(v: unknown, keys: KeyPath): Healthcheck {
    const h = this.dict(v, keys);
    const out: Healthcheck = {};
    this.each(h, keys, {}, (k, e) => {
      const at = [...keys, k];
      switch (k) {
        case 'test':
          out.test = typeof e === 'string' ? ['CMD-SHELL', e] : this.strings(e, at);
          if (out.test.length > 0 && !['CMD', 'CMD-SHELL', 'NONE'].includes(out.test[0])) {
            this.fail(at, `healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE": write ["CMD", ...] or a string`);
          }
          return true;
        case 'interval': case 'timeout': case 'start_period': case 'start_interval':
          out[k] = this.duration(e, at);
          return true;
        case 'retries':
          out.retries = this.int(e, at);
          return true;
        case 'disable':
          out.disable = this.bool(e, at);
          return true;
        default:
          return false;
      }
    });
    return out;
  }

  private deploy(v: unknown, keys: KeyPath): Deploy {
    const d = this.dict(v, keys);
    const out: Deploy = {};
    this.each(d, keys, UNSUPPORTED_DEPLOY_KEYS, (k, e) => {
      const at = [...keys, k];
      switch (k) {
        case 'mode': {
          const m = this.str(e, at);
          if (m !== 'replicated' && m !== 'global') this.fail(at, `invalid mode "${m}": use replicated or global`);
          out.mode = m;
          return true;
        }
        case 'replicas':
          out.replicas = this.int(e, at);
          return true;
        case 'labels':
          out.labels = this.labels(e, at);
          return true;
        case 'resources': {
          const r = this.dict(e, at);
          const res: NonNullable<Deploy['resources']> = {};
          this.each(r, at, {}, (rk, re) => {
            if (rk !== 'limits' && rk !== 'reservations') return false;
            res[rk] = this.resources(re, [...at, rk], rk === 'reservations' ? UNSUPPORTED_RESERVATION_KEYS : {});
            return true;
          });
          out.resources = res;
          return true;
        }
        case 'restart_policy': {
          const rp = this.dict(e, at);
          const policy: NonNullable<Deploy['restart_policy']> = {};
          this.each(rp, at, {}, (pk, pe) => {
            const pat = [...at, pk];
            if (pk === 'condition') {
              const c = this.str(pe, pat);
              if (!['none', 'on-failure', 'any'].includes(c)) this.fail(pat, `invalid condition "${c}": use none, on-failure or any`);
              policy.condition = c as 'none';
            } else if (pk === 'delay' || pk === 'window') policy[pk] = this.duration(pe, pat);
            else if (pk === 'max_attempts') policy.max_attempts = this.int(pe, pat);
            else return false;
            return true;
          });
          out.restart_policy = policy;
          return true;
        }
        default:
          return false;
      }
    });
    if (out.replicas !== undefined && out.replicas < 0) this.fail([...keys, 'replicas'], 'must be greater than or equal to 0');
    return out;
  }

  private resources(v: unknown, keys: KeyPath, notHere: Record<string, string>): Resources {
    const out: Resources = {};
    this.each(this.dict(v, keys), keys, { ...UNSUPPORTED_RESOURCE_KEYS, ...notHere }, (k, e) => {
      if (notHere[k]) return false;
      if (k === 'cpus') out.cpus = this.float(e, [...keys, k]);
      else if (k === 'memory') out.memory = this.bytes(e, [...keys, k]);
      else if (k === 'pids') out.pids = this.int(e, [...keys, k]);
      else return false;
      return true;
    });
    return out;
  }

  private ulimits(v: unknown, keys: KeyPath): ServiceConfig['ulimits'] {
    const out: NonNullable<ServiceConfig['ulimits']> = {};
    for (const [name, e] of Object.entries(this.dict(v, keys))) {
      const at = [...keys, name];
      if (typeof e === 'object' && e !== null) {
        const u = e as Dict;
        if (u.soft === undefined || u.hard === undefined) this.fail(at, 'give both soft and hard, or one number');
        const soft = this.int(u.soft, [...at, 'soft']);
        const hard = this.int(u.hard, [...at, 'hard']);
        if (soft > hard && hard !== -1) this.fail(at, `soft limit ${soft} is above the hard limit ${hard}: lower soft or raise hard`);
        out[name] = { soft, hard };
      } else out[name] = this.int(e, at);
    }
    return out;
  }

  /** A service's secret or config (or a build secret): "name" or the long form; target defaults to `<defaultDir><source>`. */
  private fileReference(v: unknown, keys: KeyPath, defaultDir: string): FileReference {
    if (typeof v === 'string') return { source: v, target: `${defaultDir}${v}` };
    const d = this.dict(v, keys);
    if (d.source === undefined) this.fail([...keys, 'source'], 'name the secret or config to use');
    const source = this.str(d.source, [...keys, 'source']);
    const out: FileReference = { source, target: '' };
    this.each(d, keys, {}, (k, e) => {
      const at = [...keys, k];
      if (k === 'source') return true;
      if (k === 'target' || k === 'uid' || k === 'gid') out[k] = this.str(e, at);
      else if (k === 'mode') {
        if (typeof e === 'string' && !/^[0-7]+$/.test(e)) this.fail(at, 'must be an octal file mode such as 0440');
        out.mode = typeof e === 'string' ? parseInt(e, 8) : this.int(e, at);
      } else return false;
      return true;
    });
    // A secret's relative target is a name under /run/secrets; a config's is made absolute.
    if (!out.target) out.target = `${defaultDir}${source}`;
    else if (!out.target.startsWith('/')) out.target = `${defaultDir}${out.target}`;
    return out;
  }

  private logging(v: unknown, keys: KeyPath): NonNullable<ServiceConfig['logging']> {
    const out: NonNullable<ServiceConfig['logging']> = {};
    this.each(this.dict(v, keys), keys, {}, (k, e) => {
      if (k === 'driver') {
        out.driver = this.str(e, [...keys, k]);
        if (!LOG_DRIVERS.includes(out.driver)) {
          this.note([...keys, k], `${out.driver}: tspod logs with ${LOG_DRIVERS.join(', ')}`);
        }
      } else if (k === 'options') {
        const opts: Record<string, string | null> = {};
        for (const [o, ov] of Object.entries(this.dict(e, [...keys, k]))) opts[o] = ov === null || ov === undefined ? null : this.str(ov, [...keys, k, o]);
        out.options = opts;
      } else return false;
      return true;
    });
    return out;
  }

  private device(v: unknown, keys: KeyPath): { source: string; target: string; permissions?: string } {
    if (typeof v === 'string') {
      const parts = v.split(':');
      if (parts.length > 3) this.fail(keys, `confusing device mapping "${v}": use the long syntax (source, target, permissions)`);
      return { source: parts[0], target: parts[1] || parts[0], permissions: parts[2] ?? 'rwm' };
    }
    const d = this.dict(v, keys);
    if (d.source === undefined) this.fail([...keys, 'source'], 'a device needs a source (the host device)');
    const source = this.str(d.source, [...keys, 'source']);
    const out: { source: string; target: string; permissions?: string } = { source, target: d.target === undefined ? source : this.str(d.target, [...keys, 'target']) };
    if (d.permissions !== undefined) out.permissions = this.str(d.permissions, [...keys, 'permissions']);
    return out;
  }

  // ---- top-level resources ----

  private section<T extends { name: string }>(section: 'networks' | 'volumes' | 'secrets' | 'configs', read: (key: string, v: Dict) => T): Record<string, T> {
    const out: Record<string, T> = {};
    const all = this.dict(this.raw.dict[section], [section]);
    for (const key of Object.keys(all).sort()) {
      const v = this.dict(all[key], [section, key]);
      out[key] = read(key, v);
    }
    return out;
  }

  /** external: true or the legacy {name}; the real name: name:, else the key when external, else `<project>_<key>`. */
  private external(section: string, key: string, v: Dict): { external?: boolean; name: string } {
    let external: boolean | undefined;
    let name = v.name === undefined ? undefined : this.str(v.name, [section, key, 'name']);
    if (v.external !== undefined) {
      if (typeof v.external === 'object' && v.external !== null) {
        external = true;
        const legacy = (v.external as Dict).name;
        if (legacy !== undefined) {
          const ln = this.str(legacy, [section, key, 'external', 'name']);
          if (name !== undefined && name !== ln) this.fail([section, key], 'name and external.name conflict: only use name');
          name ??= ln;
        }
      } else external = this.bool(v.external, [section, key, 'external']);
    }
    name ??= external ? key : `${this.raw.name}_${key}`;
    return external ? { name, external } : { name };
  }

  private network(key: string, v: Dict): NetworkConfig {
    const at = ['networks', key];
    const out: NetworkConfig = this.external('networks', key, v);
    const w = out as unknown as Dict;
    this.each(v, at, UNSUPPORTED_NETWORK_KEYS, (k, e) => {
      switch (k) {
        case 'name': case 'external':
          return true;
        case 'driver':
          out.driver = this.str(e, [...at, k]);
          if (!NETWORK_DRIVERS.includes(out.driver)) this.note([...at, k], `${out.driver}: tspod makes bridge networks`);
          return true;
        case 'driver_opts':
          out.driver_opts = this.mapping(e, [...at, k], '') as Record<string, string>;
          return true;
        case 'internal': case 'attachable': case 'enable_ipv6':
          w[k] = this.bool(e, [...at, k]);
          return true;
        case 'labels':
          out.labels = this.labels(e, [...at, k]);
          return true;
        case 'ipam':
          out.ipam = this.ipam(e, [...at, k]);
          return true;
        default:
          return false;
      }
    });
    return out;
  }

  private ipam(v: unknown, keys: KeyPath): NonNullable<NetworkConfig['ipam']> {
    const out: NonNullable<NetworkConfig['ipam']> = {};
    this.each(this.dict(v, keys), keys, { options: 'IPAM driver options are not translated' }, (k, e) => {
      if (k === 'driver') {
        out.driver = this.str(e, [...keys, k]);
        if (!IPAM_DRIVERS.includes(out.driver)) this.note([...keys, k], `${out.driver}: tspod assigns addresses itself`);
      } else if (k === 'config') {
        out.config = this.list(e, [...keys, k]).map((c, i) => {
          const at = [...keys, k, i];
          const pool: { subnet?: string; gateway?: string; ip_range?: string } = {};
          this.each(this.dict(c, at), at, { aux_addresses: 'auxiliary addresses are not reserved' }, (pk, pe) => {
            if (pk !== 'subnet' && pk !== 'gateway' && pk !== 'ip_range') return false;
            pool[pk] = this.str(pe, [...at, pk]);
            return true;
          });
          return pool;
        });
      } else return false;
      return true;
    });
    return out;
  }

  private volume(key: string, v: Dict): VolumeConfig {
    const at = ['volumes', key];
    const out: VolumeConfig = this.external('volumes', key, v);
    this.each(v, at, {}, (k, e) => {
      switch (k) {
        case 'name': case 'external':
          return true;
        case 'driver':
          out.driver = this.str(e, [...at, k]);
          if (!VOLUME_DRIVERS.includes(out.driver)) this.note([...at, k], `${out.driver}: tspod's volumes use the local driver`);
          return true;
        case 'driver_opts':
          out.driver_opts = this.mapping(e, [...at, k], '') as Record<string, string>;
          return true;
        case 'labels':
          out.labels = this.labels(e, [...at, k]);
          return true;
        default:
          return false;
      }
    });
    // compose-go: a local bind volume's relative device is relative to the project directory.
    const opts = out.driver_opts;
    if (opts?.device && (out.driver ?? 'local') === 'local' && /(^|,)r?bind(,|$)/.test(opts.o ?? '')) opts.device = this.path(opts.device);
    return out;
  }

  private fileObject(section: 'secrets' | 'configs', key: string, v: Dict): SecretOrConfig {
    const at = [section, key];
    const out: SecretOrConfig = this.external(section, key, v);
    this.each(v, at, UNSUPPORTED_FILE_OBJECT_KEYS, (k, e) => {
      switch (k) {
        case 'name': case 'external':
          return true;
        case 'file':
          out.file = this.path(this.str(e, [...at, k]));
          return true;
        case 'environment':
          out.environment = this.str(e, [...at, k]);
          return true;
        case 'content':
          if (section === 'secrets') return false;
          out.content = this.str(e, [...at, k]);
          return true;
        case 'labels':
          out.labels = this.labels(e, [...at, k]);
          return true;
        default:
          return false;
      }
    });
    if (!out.external && out.file === undefined && out.environment === undefined && out.content === undefined) {
      this.fail(at, `${section === 'secrets' ? 'a secret' : 'a config'} needs one of file, environment${section === 'configs' ? ', content' : ''} or external`);
    }
    return out;
  }

  // ---- references between services and resources (checked for the enabled services, as compose-go) ----

  private check(project: Project, all: Record<string, ServiceConfig>): void {
    for (const [name, s] of Object.entries(project.services)) {
      const at = (...k: KeyPath): KeyPath => ['services', name, ...k];
      const serviceRef = (keys: KeyPath, target: string, required = true): void => {
        if (project.services[target]) return;
        if (!all[target]) this.fail(keys, `service "${target}" is not defined`);
        if (required) {
          const profiles = all[target].profiles ?? [];
          this.fail(keys, `service "${name}" depends on service "${target}", which is disabled by its profiles: activate one with --profile ${profiles[0]}, or set required: false`);
        }
      };
      if (!s.image && !s.build) this.fail(at(), `service "${name}" has neither an image nor a build context specified: add image: or build:`);
      if (s.build?.dockerfile && s.build.dockerfile_inline) this.fail(at('build'), 'dockerfile and dockerfile_inline are mutually exclusive: keep one');
      if (s.build?.platforms?.length && s.platform && !s.build.platforms.includes(s.platform)) {
        this.fail(at('build', 'platforms'), `must include the service's platform "${s.platform}"`);
      }
      if (s.network_mode !== undefined && s.networks && Object.keys(s.networks).length > 0) {
        this.fail(at('network_mode'), 'network_mode and networks are mutually exclusive: keep one');
      }
      for (const n of Object.keys(s.networks ?? {})) {
        if (!project.networks[n]) this.fail(at('networks', n), `network "${n}" is not defined: add it under the top-level networks:`);
      }
      for (const link of s.links ?? []) serviceRef(at('links'), link.split(':')[0]);
      for (const key of ['network_mode', 'ipc', 'pid'] as const) {
        const v = s[key];
        if (v?.startsWith('service:')) serviceRef(at(key), v.slice('service:'.length));
      }
      for (const from of s.volumes_from ?? []) if (!from.startsWith('container:')) serviceRef(at('volumes_from'), from.split(':')[0]);
      for (const [dep, d] of Object.entries(s.depends_on ?? {})) {
        if (dep === name) this.fail(at('depends_on'), `service "${name}" depends on itself: remove it from its depends_on`);
        serviceRef(at('depends_on'), dep, d.required);
      }
      (s.volumes ?? []).forEach((v, i) => {
        if (v.type === 'volume' && v.source && !project.volumes[v.source]) {
          this.fail(at('volumes', i), `volume "${v.source}" is not defined: add it under the top-level volumes:, or write ./${v.source} for a directory`);
        }
      });
      for (const [key, kind, table] of [['secrets', 'secret', project.secrets], ['configs', 'config', project.configs]] as const) {
        (s[key] ?? []).forEach((r, i) => {
          if (!table[r.source]) this.fail(at(key, i), `${kind} "${r.source}" is not defined: add it under the top-level ${key}:`);
        });
      }
      (s.build?.secrets ?? []).forEach((r, i) => {
        if (!project.secrets[r.source]) this.fail(at('build', 'secrets', i), `secret "${r.source}" is not defined: add it under the top-level secrets:`);
      });
      if (s.scale !== undefined && s.scale < 0) this.fail(at('scale'), 'must be greater than or equal to 0');
      const limits = s.deploy?.resources?.limits;
      if (s.cpus !== undefined && limits?.cpus !== undefined && s.cpus !== limits.cpus) this.fail(at('cpus'), "can't set distinct values on 'cpus' and 'deploy.resources.limits.cpus': give one of them");
      if (s.mem_limit !== undefined && limits?.memory !== undefined && s.mem_limit !== limits.memory) this.fail(at('mem_limit'), "can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory': give one of them");
      if (s.pids_limit !== undefined && limits?.pids !== undefined && s.pids_limit !== limits.pids) this.fail(at('pids_limit'), "can't set distinct values on 'pids_limit' and 'deploy.resources.limits.pids': give one of them");
      const reservation = s.deploy?.resources?.reservations?.memory;
      if (s.mem_reservation !== undefined && reservation !== undefined && s.mem_reservation !== reservation) {
        this.fail(at('mem_reservation'), "can't set distinct values on 'mem_reservation' and 'deploy.resources.reservations.memory': give one of them");
      }
      const scale = s.scale ?? s.deploy?.replicas ?? 1;
      if (scale > 1 && s.container_name) {
        this.fail(at('container_name'), `can't set container_name and ${s.scale !== undefined ? 'scale' : 'deploy.replicas'} as container name must be unique: remove container_name`);
      }
    }
    this.checkCycles(project);
  }

  /** A dependency cycle among the enabled services, named in order ("a -> b -> a"). */
  private checkCycles(project: Project): void {
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (name: string): void => {
      state.set(name, 'visiting');
      stack.push(name);
      for (const dep of Object.keys(project.services[name].depends_on ?? {}).sort()) {
        if (!project.services[dep]) continue;
        if (state.get(dep) === 'visiting') {
          const cycle = [...stack.slice(stack.indexOf(dep)), dep].join(' -> ');
          this.fail(['services', stack[stack.length - 1], 'depends_on'], `dependency cycle detected: ${cycle}: remove one of these dependencies`);
        }
        if (!state.has(dep)) visit(dep);
      }
      stack.pop();
      state.set(name, 'done');
    };
    for (const name of Object.keys(project.services).sort()) if (!state.has(name)) visit(name);
  }

  /** Compose's WithoutUnnecessaryResources: only what an enabled service uses stays (and is reported). */
  private prune(project: Project): void {
    const used = { networks: new Set<string>(), volumes: new Set<string>(), secrets: new Set<string>(), configs: new Set<string>() };
    for (const s of Object.values(project.services)) {
      for (const n of Object.keys(s.networks ?? {})) used.networks.add(n);
      for (const v of s.volumes ?? []) if (v.type === 'volume' && v.source) used.volumes.add(v.source);
      for (const r of [...(s.secrets ?? []), ...(s.build?.secrets ?? [])]) used.secrets.add(r.source);
      for (const r of s.configs ?? []) used.configs.add(r.source);
    }
    for (const section of ['networks', 'volumes', 'secrets', 'configs'] as const) {
      const table = project[section] as Record<string, unknown>;
      for (const key of Object.keys(table)) if (!used[section].has(key)) delete table[key];
    }
    // What tspod does not act on matters only for the services that run and the resources they use.
    project.unsupported = this.unsupported
      .filter((u) => u.key === undefined || !['services', 'networks', 'volumes', 'secrets', 'configs'].includes(u.section) || Object.hasOwn(project[u.section as 'services'], u.key))
      .map((u) => u.message);
  }
}

/** `env_file: {format: raw}`: KEY=VALUE lines taken as they are (no quotes, no expansion, no comments). */
function rawEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

function keyPath(keys: KeyPath): string {
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}
