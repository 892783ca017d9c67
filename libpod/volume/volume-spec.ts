// What -v, --mount and --tmpfs mean, decided at create time, and how volumes are recorded. Pure.
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
// mount-flag.ts takes destination() and the names below from here; only called at run time, so the cycle is harmless.
import { parseMount } from './mount-flag';

export interface MountSpec {
  type: 'volume' | 'bind' | 'tmpfs' | 'image' | 'devpts' | 'ramfs';
  /** Volume name, host path (absolute), or '' for tmpfs. */
  source: string;
  destination: string;
  readOnly: boolean;
  /** :U: chown the source to the container's user. */
  chown: boolean;
  /** nocopy: do not fill an empty volume from the image's directory. */
  noCopy: boolean;
  /** bind propagation (rprivate by default), tmpfs options (size=, mode=). */
  propagation?: string;
  tmpfsOptions?: string[];
  /** Made for the image's VOLUME or an unnamed -v: removed with rm -v / run --rm. */
  anonymous?: boolean;
  // --mount's other types and options (issue 19)
  /** volume and image: mount only this path inside it. */
  subpath?: string;
  /** bind-nonrecursive: a plain bind, the mounts below the source left out. */
  nonRecursive?: boolean;
  /** image: its ID and layers, resolved at create (source is the name given). */
  imageId?: string;
  layers?: string[];
  /** devpts: uid=, gid=, mode=, max=. */
  devptsOptions?: string[];
}

export interface VolumeConfig {
  driver: 'local';
  labels: Record<string, string>;
  options: Record<string, string>;
  anonymous: boolean;
}

export interface Volume {
  name: string;
  createdAt: number;
  config: VolumeConfig;
}

/** Where a volume's files are: <root>/volumes/NAME/_data, as Podman lays them out. */
export function volumePath(root: string, name: string): string {
  return path.join(root, 'volumes', name, '_data');
}

export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
export const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'];

export function destination(d: string, flag: string): string {
  if (!d.startsWith('/')) throw new InvalidArgumentError(`invalid ${flag}: the container path "${d}" must be absolute`);
  if (path.normalize(d) === '/') throw new InvalidArgumentError(`invalid ${flag}: cannot mount over the container's / itself`);
  return path.normalize(d).replace(/\/$/, '');
}

export function applyOptions(m: MountSpec, options: string[], flag: string): MountSpec {
  for (const o of options) {
    if (o === 'ro' || o === 'readonly') m.readOnly = true;
    else if (o === 'rw') m.readOnly = false;
    else if (o === 'U') m.chown = true;
    else if (o === 'nocopy') m.noCopy = true;
    else if (o === 'z' || o === 'Z') continue; // SELinux relabelling: this host has no SELinux
    else if (PROPAGATIONS.includes(o)) {
      if (m.type !== 'bind') throw new InvalidArgumentError(`invalid ${flag}: propagation "${o}" applies to bind mounts only`);
      m.propagation = o;
    } else if (o === 'copy') m.noCopy = false;
    else throw new InvalidArgumentError(`invalid option "${o}" in ${flag}: use ro, rw, U, z, Z, nocopy, or a propagation (${PROPAGATIONS.join(', ')})`);
  }
  return m;
}

/** -v SOURCE:DEST[:OPTIONS] or -v DEST (an anonymous volume). A source with a / is a host path. */
export function parseVolumeFlag(value: string, cwd = process.cwd()): MountSpec {
  const flag = `-v ${value}`;
  const parts = value.split(':');
  if (parts.length === 1) return { type: 'volume', source: '', destination: destination(parts[0], flag), readOnly: false, chown: false, noCopy: false, anonymous: true };
  if (parts.length > 3) throw new InvalidArgumentError(`invalid ${flag}: use SOURCE:DESTINATION[:OPTIONS], e.g. -v data:/var/lib/app or -v ./site:/srv:ro`);
  const [source, dest, opts = ''] = parts;
  const options = opts ? opts.split(',') : [];
  if (source.includes('/') || source.startsWith('.') || source === '~') {
    const host = path.resolve(cwd, source.replace(/^~(?=\/|$)/, process.env.HOME ?? '~'));
    return applyOptions({ type: 'bind', source: host, destination: destination(dest, flag), readOnly: false, chown: false, noCopy: false }, options, flag);
  }
  if (!VOLUME_NAME.test(source)) throw new InvalidArgumentError(`invalid ${flag}: "${source}" is neither a volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]*) nor a host path (give ./${source} for a relative one)`);
  return applyOptions({ type: 'volume', source, destination: destination(dest, flag), readOnly: false, chown: false, noCopy: false }, options, flag);
}

/** --tmpfs DEST[:OPTIONS] (size=64m, mode=1777, ro, ...). */
export function parseTmpfsFlag(value: string): MountSpec {
  const i = value.indexOf(':');
  const dest = destination(i < 0 ? value : value.slice(0, i), `--tmpfs ${value}`);
  const options = i < 0 ? [] : value.slice(i + 1).split(',').filter(Boolean);
  for (const o of options) {
    if (!/^(size=\d+[kmgKMG%]?|mode=[0-7]{3,4}|uid=\d+|gid=\d+|ro|rw|noexec|exec|nosuid|suid|nodev|dev|nr_inodes=\d+[kmg]?)$/.test(o)) throw new InvalidArgumentError(`invalid option "${o}" in --tmpfs ${value}: use size=, mode=, uid=, gid=, ro, rw, noexec, nosuid, nodev`);
  }
  return { type: 'tmpfs', source: '', destination: dest, readOnly: options.includes('ro'), chown: false, noCopy: false, tmpfsOptions: options.filter((o) => o !== 'ro' && o !== 'rw') };
}

/** --mount TYPE-SPECIFIC,...: one mount (a glob's first match; see parseMountFlags for all). */
export function parseMountFlag(value: string, cwd = process.cwd()): MountSpec {
  return parseMountFlags(value, cwd)[0];
}

/** --mount type=bind|volume|tmpfs|image|devpts|ramfs|glob,...: the mounts it makes (a glob one per match). See mount-flag.ts. */
export function parseMountFlags(value: string, cwd = process.cwd()): MountSpec[] {
  return parseMount(value, cwd);
}

/** Two mounts on one destination are an error, as in Podman. */
export function checkDestinations(mounts: MountSpec[]): void {
  const seen = new Set<string>();
  for (const m of mounts) {
    if (seen.has(m.destination)) throw new InvalidArgumentError(`${m.destination}: duplicate mount destination: give each container path one -v, --mount or --tmpfs`);
    seen.add(m.destination);
  }
}

/**
 * Podman 5's `volume inspect` document, its keys in Podman's order (empty UID, GID, Anonymous,
 * NeedsCopyUp and NeedsChown left out, as Podman leaves them). mountCount: the running containers
 * that mount it; needsCopyUp: it is empty, so the next container mounting it over a non-empty
 * image directory fills it (tspod copies up into any empty volume, not only a new one). tspod
 * never chowns a volume on first use (only with :U), so NeedsChown is never set; volumes have no
 * lock numbers (LockNumber 0).
 */
export function inspectVolume(v: Volume, mountpoint: string, mountCount: number, needsCopyUp: boolean) {
  return {
    Name: v.name,
    Driver: v.config.driver,
    Mountpoint: mountpoint,
    CreatedAt: new Date(v.createdAt).toISOString(),
    Labels: v.config.labels,
    Scope: 'local',
    Options: v.config.options,
    ...(v.config.anonymous ? { Anonymous: true } : {}),
    MountCount: mountCount,
    ...(needsCopyUp ? { NeedsCopyUp: true } : {}),
    LockNumber: 0,
  };
}
