// A pod's spec.volumes as what its containers' volumeMounts mount: hostPath a bind mount (its type
// checked against the host as the kubelet checks it; / and paths with ".." refused), a
// persistentVolumeClaim a named volume, configMap / secret / downwardAPI files written through
// ctx.materialize and bound read-only, emptyDir a volume of the pod's own (tmpfs for medium
// Memory). Nothing is made here: DirectoryOrCreate / FileOrCreate paths are listed for the play.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import { isDnsLabel } from './names';
import { reportValue } from './fields';
import { memoryBytes } from './translate-resources';
import { checkDataKey, configMapData, fieldValue, isMap, resourceFieldValue, secretData, type EnvSources } from './translate-env';
import type { KubeObject, TranslateContext, TranslatedPod } from './types';
import { VOLUME_NAME_ANNOTATION } from './generate-names';

/**
 * The named volume a PersistentVolumeClaim stands for: its name, or the one kube generate kept in
 * its io.tspod.volume-name annotation (a volume whose name is no valid claim name: "my_data").
 */
export function claimVolume(claim: KubeObject): string {
  const kept = claim.metadata?.annotations?.[VOLUME_NAME_ANNOTATION];
  return kept !== undefined && /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(kept) ? kept : (claim.metadata?.name ?? '');
}

/** The named volume a pod template's claimName stands for (its io.tspod.volume-name/<claim> annotation, else the claim's name). */
export function templateClaimVolume(annotations: Record<string, string> | undefined, claimName: string): string {
  return annotations?.[`${VOLUME_NAME_ANNOTATION}/${claimName}`] ?? claimName;
}

/** What a volume of the pod is, for the mounts of its containers. */
export type PodVolume =
  | { kind: 'bind'; source: string; readOnly: boolean }
  | { kind: 'device'; source: string }
  | { kind: 'volume'; source: string; readOnly: boolean }
  | { kind: 'tmpfs'; sizeBytes?: number };

export interface PodVolumes {
  volumes: Map<string, PodVolume>;
  claims: string[];
  /** Named volumes made for emptyDir volumes: the pod's own (kube down removes them with it). */
  emptyDirs: string[];
  hostPaths: TranslatedPod['hostPaths'];
}

/** Name of the volume an emptyDir of a pod is: "<pod>-emptydir-<volume>" (shared by its containers, gone with it). */
export function emptyDirVolumeName(podName: string, volume: string): string {
  return `${podName}-emptydir-${volume}`;
}

const HOST_PATH_TYPES = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];

/** A hostPath checked: absolute, no "..", not / (nor a link to it), its type as the host has it. */
export function hostPathVolume(hp: unknown, where: string, p: string, out: PodVolumes['hostPaths']): PodVolume {
  if (!isMap(hp) || typeof hp.path !== 'string' || hp.path === '') throw new InvalidArgumentError(`${where}: ${p}.path is missing: give the absolute path of a host file or directory`);
  const host = hp.path;
  const type = hp.type === undefined || hp.type === null ? '' : hp.type;
  if (typeof type !== 'string' || !HOST_PATH_TYPES.includes(type)) throw new InvalidArgumentError(`${where}: ${p}.type: unknown type ${JSON.stringify(type)}: use one of ${HOST_PATH_TYPES.filter(Boolean).join(', ')}`);
  if (!host.startsWith('/')) throw new InvalidArgumentError(`${where}: ${p}.path: "${host}" is relative: a hostPath must be absolute`);
  if (host.split('/').includes('..')) throw new InvalidArgumentError(`${where}: ${p}.path: "${host}" contains "..": give the path without ".." components`);
  if (host.includes(',')) throw new InvalidArgumentError(`${where}: ${p}.path: "${host}" contains a comma, which tspod's mounts cannot carry: use a path without one`);
  const clean = path.normalize(host);
  const refuseRoot = (what: string) => {
    throw new InvalidArgumentError(`${where}: ${p}.path: ${what} the host's root directory: a container is never given the whole host; mount the directory it needs`);
  };
  if (clean === '/') refuseRoot('"/" is');
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(clean);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new InvalidArgumentError(`${where}: ${p}.path: cannot use ${clean}: ${(err as Error).message}`);
  }
  if (st && fs.realpathSync(clean) === '/') refuseRoot(`"${host}" leads to`);
  const want: Record<string, [(s: fs.Stats) => boolean, string]> = {
    Directory: [(s) => s.isDirectory(), 'a directory'],
    DirectoryOrCreate: [(s) => s.isDirectory(), 'a directory'],
    File: [(s) => s.isFile(), 'a regular file'],
    FileOrCreate: [(s) => s.isFile(), 'a regular file'],
    Socket: [(s) => s.isSocket(), 'a socket'],
    CharDevice: [(s) => s.isCharacterDevice(), 'a character device'],
    BlockDevice: [(s) => s.isBlockDevice(), 'a block device'],
  };
  if (!st) {
    if (type === 'DirectoryOrCreate' || type === 'FileOrCreate') {
      if (type === 'FileOrCreate' && !fs.existsSync(path.dirname(clean))) throw new InvalidArgumentError(`${where}: ${p}.path: the directory of ${clean} does not exist: FileOrCreate makes the file, not its directory`);
      out.push({ path: clean, type: type === 'DirectoryOrCreate' ? 'directory' : 'file' });
    } else {
      throw new InvalidArgumentError(`${where}: ${p}.path: ${clean} does not exist${type ? ` (type ${type} needs ${want[type][1]})` : ''}: create it, or use type DirectoryOrCreate`);
    }
  } else if (type && !want[type][0](st)) {
    throw new InvalidArgumentError(`${where}: ${p}.path: ${clean} is not ${want[type][1]}, as type ${type} requires`);
  }
  if (type === 'CharDevice' || type === 'BlockDevice') return { kind: 'device', source: clean };
  return { kind: 'bind', source: clean, readOnly: false };
}

/** Makes the DirectoryOrCreate / FileOrCreate paths a translation listed (0755 and 0644, as the kubelet). */
export function makeHostPaths(list: TranslatedPod['hostPaths']): void {
  for (const h of list) {
    if (h.type === 'directory') fs.mkdirSync(h.path, { recursive: true, mode: 0o755 });
    else fs.closeSync(fs.openSync(h.path, fs.constants.O_RDONLY | fs.constants.O_CREAT, 0o644));
  }
}

function mode(v: unknown, where: string, p: string, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 0o777) throw new InvalidArgumentError(`${where}: ${p} must be a mode from 0 to 0777 (511): YAML reads 0644 as octal, JSON needs 420`);
  return v as number;
}

/** An item's path: relative, no "..", not empty (it becomes a file name under the volume). */
function itemPath(v: unknown, where: string, p: string): string {
  if (typeof v !== 'string' || v === '') throw new InvalidArgumentError(`${where}: ${p} is missing: give the file's path in the volume`);
  if (v.startsWith('/') || v.split('/').includes('..')) throw new InvalidArgumentError(`${where}: ${p}: "${v}" must be a relative path without ".."`);
  return path.normalize(v);
}

type Files = Array<{ path: string; data: Buffer; mode: number }>;

/** The files of a configMap or secret volume: all keys, or the items asked for. */
function dataFiles(src: Record<string, unknown>, data: Map<string, Buffer> | undefined, kind: string, name: string, where: string, p: string): Files {
  const dflt = mode(src.defaultMode, where, `${p}.defaultMode`, 0o644);
  const optional = src.optional === true;
  if (!data) {
    if (optional) return []; // an optional missing object: an empty directory, as the kubelet mounts
    throw new InvalidArgumentError(`${where}: ${p}: ${kind} "${name}" is not in the file${kind === 'ConfigMap' ? ' (nor given with --configmap)' : ''}: add it, or mark the volume optional: true`);
  }
  if (src.items === undefined || src.items === null) return [...data].map(([k, v]) => ({ path: k, data: v, mode: dflt }));
  if (!Array.isArray(src.items)) throw new InvalidArgumentError(`${where}: ${p}.items must be a list`);
  const files: Files = [];
  src.items.forEach((item, i) => {
    const ip = `${p}.items[${i}]`;
    if (!isMap(item) || typeof item.key !== 'string') throw new InvalidArgumentError(`${where}: ${ip}.key is missing`);
    checkDataKey(where, `${ip}.key`, item.key);
    const file = itemPath(item.path, where, `${ip}.path`);
    const value = data.get(item.key);
    if (value === undefined) {
      if (optional) return;
      throw new InvalidArgumentError(`${where}: ${ip}.key: key "${item.key}" is not in ${kind} "${name}": add it, or mark the volume optional: true`);
    }
    files.push({ path: file, data: value, mode: mode(item.mode, where, `${ip}.mode`, dflt) });
  });
  return files;
}

/** The pod's volumes; configMap, secret and downwardAPI files written through ctx.materialize. */
export function podVolumes(specVolumes: unknown, ctx: TranslateContext, env: EnvSources, where: string): PodVolumes {
  const out: PodVolumes = { volumes: new Map(), claims: [], emptyDirs: [], hostPaths: [] };
  if (specVolumes === undefined || specVolumes === null) return out;
  if (!Array.isArray(specVolumes)) throw new InvalidArgumentError(`${where}: spec.volumes must be a list`);
  specVolumes.forEach((v, i) => {
    const p = `spec.volumes[${i}]`;
    if (!isMap(v) || typeof v.name !== 'string') throw new InvalidArgumentError(`${where}: ${p}.name is missing: every volume needs a name`);
    if (!isDnsLabel(v.name)) throw new InvalidArgumentError(`${where}: ${p}.name: invalid volume name "${v.name}": a DNS-1123 label must consist of lower case alphanumeric characters or '-', start and end with an alphanumeric character, and be at most 63 characters`);
    if (out.volumes.has(v.name)) throw new InvalidArgumentError(`${where}: ${p}.name: volume "${v.name}" is defined twice`);
    const sources = ['hostPath', 'persistentVolumeClaim', 'configMap', 'secret', 'downwardAPI', 'emptyDir'].filter((k) => v[k] !== undefined);
    const other = Object.keys(v).filter((k) => k !== 'name' && !sources.includes(k));
    if (sources.length > 1) throw new InvalidArgumentError(`${where}: ${p}: give one volume source, not ${sources.join(' and ')}`);
    if (sources.length === 0) {
      // An unknown source was reported by fields.ts; with none at all the mounts have nothing to mount.
      reportValue(where, `${p}${other.length ? `.${other[0]}` : ''}`, `volume source ${other.length ? `"${other[0]}" ` : ''}not supported by tspod (it takes hostPath, persistentVolumeClaim, configMap, secret, downwardAPI and emptyDir): the volume is an empty one of the pod's own`, ctx.strict, ctx.warn);
    }
    out.volumes.set(v.name, volume(v, sources[0], p));
  });
  // kube down removes a pod's emptyDirs: one may never be a claim's volume, whose data it keeps.
  const clash = out.emptyDirs.find((e) => out.claims.includes(e));
  if (clash) throw new InvalidArgumentError(`${where}: spec.volumes: the emptyDir volume of the pod is named ${clash}, as a persistentVolumeClaim of it is: rename the claim or the volume`);
  return out;

  function volume(v: Record<string, unknown>, source: string | undefined, p: string): PodVolume {
    const name = v.name as string;
    const src = v[source ?? ''];
    switch (source) {
      case 'hostPath':
        return hostPathVolume(src, where, `${p}.hostPath`, out.hostPaths);
      case 'persistentVolumeClaim': {
        if (!isMap(src) || typeof src.claimName !== 'string' || src.claimName === '') throw new InvalidArgumentError(`${where}: ${p}.persistentVolumeClaim.claimName is missing`);
        // kube generate keeps a volume's tspod name ("my_data") where the claim's had to change.
        const kept = env.annotations[`${VOLUME_NAME_ANNOTATION}/${src.claimName}`];
        const volume = kept ?? src.claimName;
        if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(volume)) throw new InvalidArgumentError(`${where}: ${kept !== undefined ? `annotation ${VOLUME_NAME_ANNOTATION}/${src.claimName}` : `${p}.persistentVolumeClaim.claimName`}: invalid volume name "${volume}"`);
        if (!out.claims.includes(volume)) out.claims.push(volume);
        return { kind: 'volume', source: volume, readOnly: src.readOnly === true };
      }
      case 'configMap':
      case 'secret': {
        if (!isMap(src)) throw new InvalidArgumentError(`${where}: ${p}.${source} must be a mapping`);
        const kind = source === 'configMap' ? 'ConfigMap' : 'Secret';
        const objName = source === 'configMap' ? src.name : src.secretName;
        if (typeof objName !== 'string' || objName === '') throw new InvalidArgumentError(`${where}: ${p}.${source}.${source === 'configMap' ? 'name' : 'secretName'} is missing`);
        const obj = (source === 'configMap' ? ctx.configMaps : ctx.secrets).get(objName);
        const data = obj && (source === 'configMap' ? configMapData(obj, `${kind} ${objName}`) : secretData(obj, `${kind} ${objName}`));
        const files = dataFiles(src, data, kind, objName, where, `${p}.${source}`);
        return { kind: 'bind', source: ctx.materialize(ctx.podName, name, files), readOnly: true };
      }
      case 'downwardAPI': {
        if (!isMap(src) || !Array.isArray(src.items)) throw new InvalidArgumentError(`${where}: ${p}.downwardAPI.items must be a list`);
        const dflt = mode(src.defaultMode, where, `${p}.downwardAPI.defaultMode`, 0o644);
        const files: Files = src.items.flatMap((item, j) => {
          const ip = `${p}.downwardAPI.items[${j}]`;
          if (!isMap(item)) throw new InvalidArgumentError(`${where}: ${ip} must be a mapping`);
          const file = itemPath(item.path, where, `${ip}.path`);
          const itemMode = mode(item.mode, where, `${ip}.mode`, dflt);
          if (isMap(item.resourceFieldRef)) {
            // A volume belongs to no container: the item names one.
            if (typeof item.resourceFieldRef.containerName !== 'string' || !item.resourceFieldRef.containerName) throw new InvalidArgumentError(`${where}: ${ip}.resourceFieldRef.containerName is missing: name the container whose resources it gives`);
            return [{ path: file, data: Buffer.from(resourceFieldValue(item.resourceFieldRef, '', { ...env, where }, `${ip}.resourceFieldRef`)), mode: itemMode }];
          }
          if (!isMap(item.fieldRef)) throw new InvalidArgumentError(`${where}: ${ip} needs fieldRef or resourceFieldRef`);
          return [{ path: file, data: Buffer.from(fieldValue(item.fieldRef.fieldPath, { ...env, where }, `${ip}.fieldRef.fieldPath`, true)), mode: itemMode }];
        });
        return { kind: 'bind', source: ctx.materialize(ctx.podName, name, files), readOnly: true };
      }
      case 'emptyDir': {
        const e = isMap(src) ? src : {};
        const size = e.sizeLimit !== undefined ? memoryBytes(e.sizeLimit, `${where}: ${p}.emptyDir.sizeLimit`) : undefined;
        if (e.medium === 'Memory') return { kind: 'tmpfs', sizeBytes: size };
        if (e.medium !== undefined && e.medium !== '') throw new InvalidArgumentError(`${where}: ${p}.emptyDir.medium: unknown medium ${JSON.stringify(e.medium)}: use Memory, or leave it out for disk`);
        if (size !== undefined) reportValue(where, `${p}.emptyDir.sizeLimit`, 'a volume on disk has no size limit in tspod (a Memory one does)', ctx.strict, ctx.warn);
        const vol = emptyDirVolumeName(ctx.podName, name);
        out.emptyDirs.push(vol);
        return { kind: 'volume', source: vol, readOnly: false };
      }
      default: {
        const vol = emptyDirVolumeName(ctx.podName, name);
        out.emptyDirs.push(vol);
        return { kind: 'volume', source: vol, readOnly: false };
      }
    }
  }
}

/** A subPath: relative, no "..". */
function subPath(v: unknown, where: string, p: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || v.startsWith('/') || v.split('/').includes('..')) throw new InvalidArgumentError(`${where}: ${p}: must be a relative path without ".."`);
  if (v.includes(',')) throw new InvalidArgumentError(`${where}: ${p}: "${v}" contains a comma, which tspod's mounts cannot carry`);
  return path.normalize(v);
}

/** A container's volumeMounts as --mount values and --device values. */
export function containerMounts(mounts: unknown, vols: PodVolumes, where: string, p: string): { mounts: string[]; devices: string[] } {
  const out = { mounts: [] as string[], devices: [] as string[] };
  if (mounts === undefined || mounts === null) return out;
  if (!Array.isArray(mounts)) throw new InvalidArgumentError(`${where}: ${p} must be a list`);
  const seen = new Set<string>();
  mounts.forEach((m, i) => {
    const mp = `${p}[${i}]`;
    if (!isMap(m) || typeof m.name !== 'string') throw new InvalidArgumentError(`${where}: ${mp}.name is missing`);
    const vol = vols.volumes.get(m.name);
    if (!vol) throw new InvalidArgumentError(`${where}: ${mp}.name: no volume "${m.name}" in spec.volumes: add it there`);
    const target = m.mountPath;
    if (typeof target !== 'string' || !target.startsWith('/')) throw new InvalidArgumentError(`${where}: ${mp}.mountPath must be an absolute path in the container`);
    if (target.includes(',') || target.includes(':')) throw new InvalidArgumentError(`${where}: ${mp}.mountPath: "${target}" contains a comma or colon, which tspod's mounts cannot carry`);
    const dest = path.normalize(target).replace(/(.)\/$/, '$1');
    if (dest === '/') throw new InvalidArgumentError(`${where}: ${mp}.mountPath: cannot mount over the container's /`);
    if (seen.has(dest)) throw new InvalidArgumentError(`${where}: ${mp}.mountPath: ${dest} is mounted twice: give each volumeMount its own mountPath`);
    seen.add(dest);
    const sub = subPath(m.subPath, where, `${mp}.subPath`);
    const ro = m.readOnly === true;
    switch (vol.kind) {
      case 'device':
        if (sub) throw new InvalidArgumentError(`${where}: ${mp}.subPath: a device has no sub paths`);
        out.devices.push(`${vol.source}:${dest}`);
        break;
      case 'bind':
        // The kubelet makes a missing subPath of a hostPath; a ConfigMap's or Secret's must name one of its files.
        if (sub && !vol.readOnly && !fs.existsSync(path.join(vol.source, sub)) && !vols.hostPaths.some((h) => h.path === path.join(vol.source, sub))) vols.hostPaths.push({ path: path.join(vol.source, sub), type: 'directory' });
        out.mounts.push(`type=bind,source=${sub ? path.join(vol.source, sub) : vol.source},target=${dest}${ro || vol.readOnly ? ',ro=true' : ''}`);
        break;
      case 'volume':
        out.mounts.push(`type=volume,source=${vol.source},target=${dest}${ro || vol.readOnly ? ',ro=true' : ''}${sub ? `,subpath=${sub}` : ''}`);
        break;
      case 'tmpfs':
        if (sub) throw new InvalidArgumentError(`${where}: ${mp}.subPath: a Memory emptyDir is a tmpfs of each container's own: subPath is not supported there`);
        out.mounts.push(`type=tmpfs,target=${dest}${vol.sizeBytes !== undefined ? `,tmpfs-size=${vol.sizeBytes}` : ''}${ro ? ',ro=true' : ''}`);
        break;
    }
  });
  return out;
}
