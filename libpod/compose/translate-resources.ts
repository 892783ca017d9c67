// A project's top-level networks and volumes as the network and volume engines' create options
// (Compose's labels on each), and the secrets and configs a service uses as files to bind
// read-only into its containers. Pure: content to be written to a file goes through the caller's
// materialize callback (up writes it under the runroot).
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import { parseBridgeOptions, type NetworkCreateOptions } from '../network/user-network';
import { labelFlags, networkLabels, volumeLabels } from './labels';
import type { FileReference, Project, ServiceConfig } from './types';

/** What NetworkEngine.create takes after the name (libpod/network-engine.ts). */
export type NetworkEngineCreateOptions = Omit<NetworkCreateOptions, 'labels'> & { labels: string[]; driver?: string; ipamDriver?: string; ignore: boolean };

/** What VolumeEngine.create takes after the name (libpod/volume-engine.ts). */
export interface VolumeEngineCreateOptions {
  labels: string[];
  options: string[];
  ignore: boolean;
}

/**
 * networks.<key> as `network create`: its real name, bridge only, internal, the one IPv4 subnet
 * (gateway, ip_range) of ipam.config, driver_opts (Docker's bridge mtu and name keys taken as
 * tspod's mtu= and --interface-name), Compose's labels. ignore: an existing network of that name
 * is used, as Docker Compose uses it (up may warn when its labels name no or another project).
 */
export function networkCreate(project: Project, key: string): { name: string; options: NetworkEngineCreateOptions } {
  const net = project.networks[key];
  const at = `networks.${key}`;
  if (!net) throw new InvalidArgumentError(`${at}: no such network in the project: declare it under the top-level networks`);
  if (net.external) throw new InvalidArgumentError(`${at}: network ${net.name} is external: compose does not create it; create it yourself (tspod network create ${net.name})`);
  if (net.driver !== undefined && net.driver !== 'bridge') throw new InvalidArgumentError(`${at}.driver: "${net.driver}" is not supported: tspod makes bridge networks only; use driver: bridge (or leave it out)`);
  if (net.enable_ipv6) throw new InvalidArgumentError(`${at}.enable_ipv6: tspod's networks have no IPv6 subnets: drop enable_ipv6`);
  const ipamDriver = net.ipam?.driver === undefined || net.ipam.driver === 'default' ? undefined : net.ipam.driver;
  const pools = net.ipam?.config ?? [];
  if (pools.length > 1) throw new InvalidArgumentError(`${at}.ipam.config: tspod gives a network one subnet: keep one entry (${pools.length} given)`);
  const pool = pools[0] ?? {};
  if (pool.subnet?.includes(':')) throw new InvalidArgumentError(`${at}.ipam.config[0].subnet: ${pool.subnet} is IPv6: tspod's networks take an IPv4 subnet`);
  const options: string[] = [];
  let interfaceName: string | undefined;
  for (const [k, v] of Object.entries(net.driver_opts ?? {})) {
    if (k === 'com.docker.network.driver.mtu') options.push(`mtu=${v}`);
    else if (k === 'com.docker.network.bridge.name') interfaceName = v;
    else options.push(`${k}=${v}`);
  }
  try {
    parseBridgeOptions(options);
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw new InvalidArgumentError(`${at}.driver_opts: ${err.message.replace(/--opt /g, '')}`);
    throw err;
  }
  return {
    name: net.name,
    options: {
      internal: net.internal === true,
      labels: labelFlags(networkLabels(project, key)),
      ...(pool.subnet ? { subnet: pool.subnet } : {}),
      ...(pool.gateway ? { gateway: pool.gateway } : {}),
      ...(pool.ip_range ? { ipRange: pool.ip_range } : {}),
      ...(options.length ? { options } : {}),
      ...(interfaceName ? { interfaceName } : {}),
      ...(ipamDriver ? { ipamDriver } : {}),
      driver: 'bridge',
      ignore: true,
    },
  };
}

/**
 * The host directory of a local volume declared as a bind (driver_opts type: none, o: bind,
 * device: /path), Docker's local driver's idiom; undefined for a plain volume. Rootless tspod
 * cannot mount as a volume driver does (volume create refuses type/o/device), so a service's use
 * of such a volume becomes a bind mount of the device (translate-service.ts).
 */
export function localBindDevice(project: Project, key: string): string | undefined {
  const opts = project.volumes[key]?.driver_opts;
  if (!opts || (opts.type === undefined && opts.o === undefined && opts.device === undefined)) return undefined;
  const o = (opts.o ?? '').split(',');
  if ((opts.type ?? 'none') !== 'none' || !o.includes('bind') || !opts.device) {
    throw new InvalidArgumentError(`volumes.${key}.driver_opts: only a bind of a host directory is supported (type: none, o: bind, device: /path): mounting a device or NFS as a volume needs root`);
  }
  const extra = o.filter((x) => x !== 'bind' && x !== 'rbind' && x !== '');
  if (extra.length) throw new InvalidArgumentError(`volumes.${key}.driver_opts.o: "${extra.join(',')}" is not supported with o: bind: use read_only on the service's volume instead`);
  return path.resolve(project.workingDir, opts.device);
}

/**
 * volumes.<key> as `volume create`: its real name, the local driver, uid/gid driver_opts, Compose's
 * labels; bindDevice for a bind-declared volume (see localBindDevice): the record is made all the
 * same (ls and down -v see it), its containers bind the device. ignore: an existing volume is used.
 */
export function volumeCreate(project: Project, key: string): { name: string; options: VolumeEngineCreateOptions; bindDevice?: string } {
  const vol = project.volumes[key];
  const at = `volumes.${key}`;
  if (!vol) throw new InvalidArgumentError(`${at}: no such volume in the project: declare it under the top-level volumes`);
  if (vol.external) throw new InvalidArgumentError(`${at}: volume ${vol.name} is external: compose does not create it; create it yourself (tspod volume create ${vol.name})`);
  if (vol.driver !== undefined && vol.driver !== 'local') throw new InvalidArgumentError(`${at}.driver: "${vol.driver}" is not supported: tspod has the local driver only; leave driver out`);
  const bindDevice = localBindDevice(project, key);
  const options: string[] = [];
  for (const [k, v] of Object.entries(vol.driver_opts ?? {})) {
    if (k === 'type' || k === 'o' || k === 'device') continue; // the bind, above
    if (k !== 'uid' && k !== 'gid') throw new InvalidArgumentError(`${at}.driver_opts.${k}: not supported: the local driver takes uid and gid (or type: none, o: bind, device: /path)`);
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`${at}.driver_opts.${k}: "${v}" must be a number (the ${k === 'uid' ? 'user' : 'group'} inside containers)`);
    options.push(`${k}=${v}`);
  }
  return { name: vol.name, options: { labels: labelFlags(volumeLabels(project, key)), options, ignore: true }, ...(bindDevice ? { bindDevice } : {}) };
}

/** One secret or config a service's containers get as a read-only file. */
export interface SecretFile {
  kind: 'secret' | 'config';
  /** The project's key (services.<svc>.secrets[].source). */
  source: string;
  /** Where it appears in the container (absolute). */
  target: string;
  /** file: the host file; content and environment ones: what materialize returned. */
  hostPath?: string;
  /** content:, or environment: the variable's value. */
  content?: string;
  /** external secrets: the name in tspod's secret store (tspod secret create), given to create as --secret. */
  store?: string;
  mode?: number;
  uid?: string;
  gid?: string;
}

/** Writes content to a file the container can bind, returning its host path (name: the object's real name; kind tells secrets from configs). */
export type Materialize = (name: string, content: string, kind: 'secret' | 'config') => string;

/** A reference's target: secrets under /run/secrets unless absolute, configs at /<source> unless given (relative ones under /). */
export function fileTarget(kind: 'secret' | 'config', ref: FileReference): string {
  const base = kind === 'secret' ? '/run/secrets/' : '/';
  if (!ref.target) return `${base}${ref.source}`;
  return ref.target.startsWith('/') ? ref.target : `${base}${ref.target}`;
}

/**
 * The service's secrets and configs as files: file: ones bound from the host, content: and
 * environment: ones written by materialize (when given; else left with content only), external
 * secrets taken from tspod's secret store. External configs are refused, as Docker Compose does.
 */
export function secretFiles(project: Project, service: ServiceConfig, materialize?: Materialize): SecretFile[] {
  const out: SecretFile[] = [];
  for (const kind of ['secret', 'config'] as const) {
    const refs = (kind === 'secret' ? service.secrets : service.configs) ?? [];
    const defs = kind === 'secret' ? project.secrets : project.configs;
    for (const [i, ref] of refs.entries()) {
      const at = `services.${service.name}.${kind}s[${i}]`;
      const def = defs[ref.source];
      if (!def) throw new InvalidArgumentError(`${at}: ${kind} "${ref.source}" is not declared: add it under the top-level ${kind}s`);
      const entry: SecretFile = {
        kind,
        source: ref.source,
        target: fileTarget(kind, ref),
        ...(ref.mode !== undefined ? { mode: ref.mode } : {}),
        ...(ref.uid !== undefined ? { uid: ref.uid } : {}),
        ...(ref.gid !== undefined ? { gid: ref.gid } : {}),
      };
      if (def.external) {
        if (kind === 'config') throw new InvalidArgumentError(`${at}: config ${def.name} is external: external configs are not supported (as in Docker Compose); give it a file, content or environment`);
        out.push({ ...entry, store: def.name });
        continue;
      }
      if (def.file !== undefined) {
        out.push({ ...entry, hostPath: def.file });
        continue;
      }
      let content: string;
      if (def.content !== undefined) content = def.content;
      else if (def.environment !== undefined) {
        const v = project.environment[def.environment];
        if (v === undefined) throw new InvalidArgumentError(`${kind}s.${ref.source}: environment variable "${def.environment}" is not set: set it (or put it in .env)`);
        content = v;
      } else throw new InvalidArgumentError(`${kind}s.${ref.source}: give one of file, environment${kind === 'config' ? ', content' : ''} or external`);
      out.push({ ...entry, content, ...(materialize ? { hostPath: materialize(def.name, content, kind) } : {}) });
    }
  }
  return out;
}
