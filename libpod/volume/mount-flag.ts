// --mount (issue 19) as Podman 5 reads it: type=bind|volume|tmpfs|ramfs|image|devpts|glob with each
// type's own keys; keys of another type, unknown keys and bad values are refused naming the key.
// idmap is refused (rootless, the kernel allows no idmapped mounts to an unprivileged user) and
// no-dereference too; relabel, z and Z are accepted and change nothing (no SELinux here). Pure,
// but for a glob, whose matches are read from the host.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import { destination, PROPAGATIONS, VOLUME_NAME, type MountSpec } from './volume-spec';

const TYPES = ['volume', 'bind', 'tmpfs', 'ramfs', 'image', 'devpts', 'glob'];
const COMMON = ['type', 'target', 'destination', 'dst', 'dest', 'source', 'src'];
const KEYS: Record<string, string[]> = {
  bind: ['readonly', 'ro', 'rw', 'bind-propagation', 'bind-nonrecursive', 'relabel', 'U', 'chown', 'z', 'Z', 'idmap', 'no-dereference'],
  volume: ['readonly', 'ro', 'rw', 'U', 'chown', 'subpath', 'volume-nocopy', 'nocopy', 'idmap', 'z', 'Z', 'relabel'],
  tmpfs: ['readonly', 'ro', 'rw', 'tmpfs-size', 'tmpfs-mode', 'tmpcopyup', 'notmpcopyup', 'noatime', 'noswap', 'U', 'chown'],
  image: ['rw', 'readwrite', 'subpath'],
  devpts: ['uid', 'gid', 'mode', 'max'],
};
KEYS.glob = KEYS.bind;
KEYS.ramfs = KEYS.tmpfs.filter((k) => k !== 'noswap');

/** true, false, or the key alone (true); anything else refused. */
function bool(kv: Map<string, string>, key: string, flag: string): boolean {
  const v = kv.get(key);
  if (v === undefined) return false;
  if (v === 'true' || v === '') return true;
  if (v === 'false') return false;
  throw new InvalidArgumentError(`invalid ${flag}: ${key}=${v}: use ${key}=true or ${key}=false`);
}

function parsePairs(value: string, flag: string): Map<string, string> {
  const kv = new Map<string, string>();
  for (const part of value.split(',')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (kv.has(key)) throw new InvalidArgumentError(`invalid ${flag}: ${key} is given twice`);
    kv.set(key, eq < 0 ? '' : part.slice(eq + 1));
  }
  return kv;
}

/** The mounts one --mount makes. */
export function parseMount(value: string, cwd: string): MountSpec[] {
  const flag = `--mount ${value}`;
  const kv = parsePairs(value, flag);
  const type = kv.get('type') ?? 'volume';
  if (!TYPES.includes(type)) throw new InvalidArgumentError(`invalid ${flag}: type must be volume, bind or tmpfs (or ramfs, image, devpts, glob)`);
  for (const k of kv.keys()) {
    if (!COMMON.includes(k) && !KEYS[type].includes(k)) throw new InvalidArgumentError(`invalid ${flag}: unknown key "${k}" for type=${type} (it takes ${KEYS[type].join(', ')})`);
  }
  if (kv.has('idmap')) throw new InvalidArgumentError(`invalid ${flag}: idmap is not supported: the kernel allows no idmapped mounts to an unprivileged user (Podman supports it only rootful); leave it out`);
  if (kv.has('noswap')) throw new InvalidArgumentError(`invalid ${flag}: noswap is not supported: the kernel turns swap off only for tmpfs mounts of the initial user namespace, never a rootless container's; leave it out`);
  if (kv.has('no-dereference')) throw new InvalidArgumentError(`invalid ${flag}: no-dereference is not supported by tspod: bind the link's target instead`);
  if (kv.has('relabel') && !['shared', 'private'].includes(kv.get('relabel')!)) throw new InvalidArgumentError(`invalid ${flag}: relabel must be shared or private`);
  const target = kv.get('target') ?? kv.get('destination') ?? kv.get('dst') ?? kv.get('dest');
  const source = kv.get('source') ?? kv.get('src') ?? '';
  if (!target && type !== 'glob') throw new InvalidArgumentError(`invalid ${flag}: give target=/path/in/container`);
  const ro = bool(kv, 'readonly', flag) || bool(kv, 'ro', flag) || (kv.has('rw') && type !== 'image' && !bool(kv, 'rw', flag));
  const chown = bool(kv, 'U', flag) || bool(kv, 'chown', flag);
  const base = { readOnly: ro, chown, noCopy: false };
  switch (type) {
    case 'tmpfs':
    case 'ramfs':
      return [memoryMount(type, kv, destination(target!, flag), base, flag)];
    case 'devpts':
      return [devptsMount(kv, destination(target!, flag), flag)];
    case 'image': {
      if (!source) throw new InvalidArgumentError(`invalid ${flag}: an image mount needs source=IMAGE`);
      const rw = bool(kv, 'rw', flag) || bool(kv, 'readwrite', flag);
      return [{ type: 'image', source, destination: destination(target!, flag), readOnly: !rw, chown: false, noCopy: false, ...subpath(kv, flag) }];
    }
    case 'volume': {
      if (source && !VOLUME_NAME.test(source)) throw new InvalidArgumentError(`invalid ${flag}: "${source}" is not a volume name`);
      const noCopy = bool(kv, 'volume-nocopy', flag) || bool(kv, 'nocopy', flag);
      return [{ type: 'volume', source, destination: destination(target!, flag), ...base, noCopy, anonymous: source === '', ...subpath(kv, flag) }];
    }
    default: {
      if (!source) throw new InvalidArgumentError(`invalid ${flag}: a ${type} mount needs source=/host/path`);
      const bind = (src: string, dest: string): MountSpec => ({
        type: 'bind',
        source: src,
        destination: dest,
        ...base,
        ...(kv.has('bind-propagation') ? { propagation: propagation(kv.get('bind-propagation')!, flag) } : {}),
        ...(bool(kv, 'bind-nonrecursive', flag) ? { nonRecursive: true } : {}),
      });
      if (type === 'bind') return [bind(path.resolve(cwd, source), destination(target!, flag))];
      return globMatches(path.resolve(cwd, source), flag).map((f) => bind(f, target ? path.join(destination(target, flag), path.basename(f)) : f));
    }
  }
}

function propagation(v: string, flag: string): string {
  if (![...PROPAGATIONS, 'unbindable', 'runbindable'].includes(v)) throw new InvalidArgumentError(`invalid ${flag}: bind-propagation must be one of ${[...PROPAGATIONS, 'unbindable', 'runbindable'].join(', ')}`);
  return v;
}

function subpath(kv: Map<string, string>, flag: string): { subpath?: string } {
  const v = kv.get('subpath');
  if (v === undefined) return {};
  const clean = path.normalize(`/${v}`);
  if (v === '' || clean === '/' || v.split('/').includes('..')) throw new InvalidArgumentError(`invalid ${flag}: subpath must name a path inside the volume or image, without ".."`);
  return { subpath: clean };
}

function memoryMount(type: 'tmpfs' | 'ramfs', kv: Map<string, string>, dest: string, base: Pick<MountSpec, 'readOnly' | 'chown' | 'noCopy'>, flag: string): MountSpec {
  const opts: string[] = [];
  const size = kv.get('tmpfs-size');
  if (size !== undefined) {
    if (!/^\d+[kmgKMG]?$/.test(size)) throw new InvalidArgumentError(`invalid ${flag}: tmpfs-size=${size}: give bytes or a size such as 512m`);
    opts.push(`size=${size}`);
  }
  const mode = kv.get('tmpfs-mode');
  if (mode !== undefined) {
    if (!/^[0-7]{1,4}$/.test(mode)) throw new InvalidArgumentError(`invalid ${flag}: tmpfs-mode=${mode}: give an octal mode such as 1777`);
    opts.push(`mode=${mode}`);
  }
  for (const k of ['tmpcopyup', 'noatime']) if (kv.has(k)) opts.push(k);
  return { type, source: '', destination: dest, ...base, tmpfsOptions: opts };
}

function devptsMount(kv: Map<string, string>, dest: string, flag: string): MountSpec {
  const opts: string[] = [];
  for (const [k, re] of [['uid', /^\d+$/], ['gid', /^\d+$/], ['mode', /^[0-7]{1,4}$/], ['max', /^\d+$/]] as const) {
    const v = kv.get(k);
    if (v === undefined) continue;
    if (!re.test(v)) throw new InvalidArgumentError(`invalid ${flag}: ${k}=${v}: give ${k === 'mode' ? 'an octal mode' : 'a number'}`);
    opts.push(`${k}=${v}`);
  }
  return { type: 'devpts', source: '', destination: dest, readOnly: false, chown: false, noCopy: false, devptsOptions: opts };
}

/** The host files a glob names: * and ? in the last component (Go's filepath.Glob there); none is an error. */
function globMatches(pattern: string, flag: string): string[] {
  const dir = path.dirname(pattern);
  const base = path.basename(pattern);
  const re = new RegExp(`^${base.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((n) => re.test(n)).sort();
  } catch {
    names = [];
  }
  if (!names.length) throw new InvalidArgumentError(`invalid ${flag}: no files match ${pattern}`);
  return names.map((n) => path.join(dir, n));
}
