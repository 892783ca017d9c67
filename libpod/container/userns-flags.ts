// create's and run's user-namespace flags (--userns, --uidmap/--gidmap, --subuidname/--subgidname,
// --group-add, --hostuser, --passwd-entry, --group-entry, --passwd) checked as Podman 5 checks them,
// and the container's own user namespace worked out from them. Rootless, every map is relative to
// tspod's namespace, the "intermediate" one (0 is the user, 1.. the subordinate IDs): a map sends
// container IDs to intermediate IDs, which is what runc's linux.uidMappings take. Pure.
import { InvalidArgumentError } from '../../src/errors';
import type { IdRange, SubIdEntry } from '../rootless/subid';

export interface IdMap {
  containerId: number;
  hostId: number;
  size: number;
}

/** The flags as given. */
export interface UsernsOptions {
  userns?: string;
  uidmap: string[];
  gidmap: string[];
  subuidname?: string;
  subgidname?: string;
  groupAdd: string[];
  hostuser: string[];
  passwdEntry?: string;
  groupEntry?: string;
  passwd: boolean;
}

/** What a container keeps of them (ContainerSpec.userns). */
export interface UsernsSpec {
  /** --userns as given ('' for the default), or 'private' for --uidmap/--gidmap/--subuidname. */
  mode: string;
  /** The container's own namespace: container ID -> intermediate ID. Absent: tspod's namespace itself. */
  uidMap?: IdMap[];
  gidMap?: IdMap[];
  /** ns:PATH: the namespace joined. */
  path?: string;
  /** keep-id: the user the container runs as; the host user is added to /etc/passwd and /etc/group. */
  keepId?: { uid: number; gid: number };
  groupAdd?: string[];
  hostUsers?: string[];
  passwdEntry?: string;
  groupEntry?: string;
  /** --passwd=false: /etc/passwd and /etc/group are left as the image has them. */
  noPasswd?: boolean;
}

/** tspod's namespace as /proc/self/uid_map and gid_map describe it (inside, outside, count), and the user it is for. */
export interface NamespaceIds {
  uid: number;
  gid: number;
  uidLines: IdMap[];
  gidLines: IdMap[];
}

/** /proc/self/uid_map text: containerId = the ID inside, hostId = the one outside. */
export function parseIdMapFile(text: string): IdMap[] {
  return text.split('\n').map((l) => l.trim().split(/\s+/).map(Number)).filter((p) => p.length === 3 && p.every(Number.isFinite)).map(([containerId, hostId, size]) => ({ containerId, hostId, size }));
}

/** The number of IDs the namespace has (0 .. count-1). */
function idCount(lines: IdMap[]): number {
  return lines.reduce((max, l) => Math.max(max, l.containerId + l.size), 0);
}

/** "uint32" as Go's ParseUint(s, 10, 32) reads it, with its error text. */
function uint32(s: string, what = 'an ID'): number {
  const why = !/^\d+$/.test(s) ? 'invalid syntax' : Number(s) > 0xffffffff ? 'value out of range' : '';
  if (why) throw new InvalidArgumentError(`strconv.ParseUint: parsing ${JSON.stringify(s)}: ${why}: ${what} must be a whole number from 0 to 4294967295`);
  return Number(s);
}

/** --userns parsed: its kind and options, or Podman's error. */
export type UsernsMode =
  | { kind: 'host' }
  | { kind: 'private' }
  | { kind: 'nomap' }
  | { kind: 'keep-id'; uid?: number; gid?: number; size?: number }
  | { kind: 'auto'; size?: number; uidmapping: string[]; gidmapping: string[] }
  | { kind: 'ns'; path: string }
  | { kind: 'container'; name: string };

const MODES = 'host, keep-id[:uid=N,gid=N,size=N], auto[:size=N,uidmapping=C:H:N,gidmapping=C:H:N], nomap, private, ns:PATH or container:NAME';

/** key=value options after "keep-id:" or "auto:", with Podman's messages for the bad ones. */
function modeOptions(text: string, known: string[]): Array<[string, string]> {
  return text.split(',').map((o) => {
    const eq = o.indexOf('=');
    if (eq < 0) throw new InvalidArgumentError(`invalid option specified: ${JSON.stringify(o)}`);
    const key = o.slice(0, eq);
    if (!known.includes(key)) throw new InvalidArgumentError(`unknown option specified: ${JSON.stringify(key)}: use ${known.join(', ')}`);
    return [key, o.slice(eq + 1)];
  });
}

export function parseUsernsMode(value: string): UsernsMode {
  const colon = value.indexOf(':');
  const kind = colon < 0 ? value : value.slice(0, colon);
  const rest = colon < 0 ? undefined : value.slice(colon + 1);
  if (kind === 'keep-id') {
    const mode: UsernsMode = { kind: 'keep-id' };
    for (const [k, v] of rest === undefined ? [] : modeOptions(rest, ['uid', 'gid', 'size'])) mode[k as 'uid' | 'gid' | 'size'] = uint32(v, `keep-id's ${k}=`);
    return mode;
  }
  if (kind === 'auto') {
    const mode: UsernsMode = { kind: 'auto', uidmapping: [], gidmapping: [] };
    for (const [k, v] of rest === undefined ? [] : modeOptions(rest, ['gidmapping', 'size', 'uidmapping'])) {
      if (k === 'size') mode.size = uint32(v, "auto's size=");
      else mode[k as 'uidmapping' | 'gidmapping'].push(v);
    }
    return mode;
  }
  if (rest === undefined && (kind === '' || kind === 'host')) return { kind: 'host' };
  if (rest === undefined && (kind === 'private' || kind === 'nomap')) return { kind };
  if (kind === 'ns' && rest) return { kind: 'ns', path: rest };
  if (kind === 'container' && rest) return { kind: 'container', name: rest };
  throw new InvalidArgumentError(`unrecognized namespace mode ${value} passed: use ${MODES}`);
}

interface MapFlags {
  extends: boolean;
  user: boolean;
  group: boolean;
}

/** The intermediate ID of a host ID (the "@" form), or Podman's error. */
function intermediateOf(hostId: number, lines: IdMap[], setting: 'UID' | 'GID'): number {
  const line = lines.find((l) => hostId >= l.hostId && hostId < l.hostId + l.size);
  if (!line) throw new InvalidArgumentError(`parent ID ${setting} ${hostId} is not mapped/delegated: only your own ID and your subordinate IDs (/etc/sub${setting === 'UID' ? 'uid' : 'gid'}) can be mapped`);
  return line.containerId + hostId - line.hostId;
}

/** One "[+ug]container:[@]host[:amount]" value, as the maps it adds and its flags. */
function parseTriple(spec: string, parent: IdMap[], setting: 'UID' | 'GID'): { maps: IdMap[]; flags: MapFlags } {
  const malformed = () => new InvalidArgumentError(`initializing ID mappings: ${setting} setting is malformed expected ["[+ug]uint32:[@]uint32[:uint32]"] : ${JSON.stringify([spec])}`);
  const parts = spec.split(':');
  if (parts.length === 2) parts.push('1');
  if (parts.length !== 3 || parts.some((p) => p === '')) throw malformed();
  const m = /^([+ug]*)(.*)$/.exec(parts[0])!;
  const flags = { extends: m[1].includes('+'), user: m[1].includes('u'), group: m[1].includes('g') };
  if (!flags.user && !flags.group) flags.user = flags.group = true;
  if (!/^\d+$/.test(m[2]) || !/^@?\d+$/.test(parts[1]) || !/^\d+$/.test(parts[2])) throw malformed();
  const [cid, size] = [uint32(m[2]), uint32(parts[2])];
  if (!parts[1].startsWith('@')) return { maps: [{ containerId: cid, hostId: uint32(parts[1]), size }], flags };
  const hid = uint32(parts[1].slice(1));
  // Host IDs need not be contiguous in the intermediate namespace: each is looked up, as Podman does.
  const applies = setting === 'UID' ? flags.user : flags.group;
  const maps: IdMap[] = [];
  for (let i = 0; applies && i < size; i++) {
    const hostId = intermediateOf(hid + i, parent, setting);
    const last = maps[maps.length - 1];
    // Runs of IDs that stay contiguous are one line (the kernel takes 340 lines at most).
    if (last && last.hostId + last.size === hostId) last.size++;
    else maps.push({ containerId: cid + i, hostId, size: 1 });
  }
  return { maps, flags };
}

/** The parts of map outside ext's container and host ranges, then ext (Podman's "+" flag). */
function breakInsert(map: IdMap[], ext: IdMap): IdMap[] {
  const out: IdMap[] = [];
  for (const piece of map) {
    // Offsets in piece that ext takes, by container ID and by host ID.
    const cut = (start: number) => [Math.max(0, start), Math.min(piece.size, start + ext.size)] as const;
    const spans = [cut(ext.containerId - piece.containerId), cut(ext.hostId - piece.hostId)].filter(([a, b]) => a < b).sort((x, y) => x[0] - y[0]);
    let at = 0;
    for (const [a, b] of spans) {
      if (a > at) out.push({ containerId: piece.containerId + at, hostId: piece.hostId + at, size: a - at });
      at = Math.max(at, b);
    }
    if (at < piece.size) out.push({ containerId: piece.containerId + at, hostId: piece.hostId + at, size: piece.size - at });
  }
  return [...out, ext];
}

/** Container IDs in the gaps of map given the intermediate IDs no map uses, from container ID 0 up. */
function fillGaps(map: IdMap[], total: number): IdMap[] {
  const used = [...map].sort((a, b) => a.hostId - b.hostId);
  const free: Array<[number, number]> = [];
  let at = 0;
  for (const m of used) {
    if (m.hostId > at) free.push([at, m.hostId]);
    at = Math.max(at, m.hostId + m.size);
  }
  if (at < total) free.push([at, total]);
  const out: IdMap[] = [];
  let cid = 0;
  const take = (upTo: number) => {
    while (cid < upTo && free.length) {
      const [s, e] = free[0];
      const size = Math.min(upTo - cid, e - s);
      out.push({ containerId: cid, hostId: s, size });
      cid += size;
      if (s + size < e) free[0] = [s + size, e];
      else free.shift();
    }
  };
  for (const m of [...map].sort((a, b) => a.containerId - b.containerId)) {
    take(m.containerId);
    out.push(m);
    cid = Math.max(cid, m.containerId + m.size);
  }
  take(Infinity);
  return out;
}

/** --uidmap or --gidmap values as one map (u/g flags choose which), extended and filled as Podman 5 does rootless. */
export function parseIdMaps(specs: string[], setting: 'UID' | 'GID', parent: IdMap[]): IdMap[] {
  let map: IdMap[] = [];
  let fill = false;
  for (const spec of specs.filter((s) => s !== '')) {
    const { maps, flags } = parseTriple(spec, parent, setting);
    if (setting === 'UID' ? !flags.user : !flags.group) continue;
    for (const m of maps.filter((x) => x.size > 0)) {
      if (!flags.extends) map.push(m);
      else {
        if (map.length === 0) fill = true;
        map = breakInsert(map, m);
      }
    }
  }
  return fill ? fillGaps(map, idCount(parent)) : map;
}

/** The intermediate IDs a map uses must exist in tspod's namespace, or runc fails with less to go on. */
function checkInside(map: IdMap[], parent: IdMap[], setting: 'UID' | 'GID'): void {
  const count = idCount(parent);
  const over = map.find((m) => m.hostId + m.size > count);
  if (over) throw new InvalidArgumentError(`the ${setting} mapping ${over.containerId}:${over.hostId}:${over.size} needs intermediate IDs up to ${over.hostId + over.size - 1}, but your user namespace has IDs 0-${count - 1} (your own ID, then your ranges in /etc/sub${setting === 'UID' ? 'uid' : 'gid'}): use smaller IDs, or add subordinate IDs with "sudo usermod --add-sub${setting === 'UID' ? 'uids' : 'gids'}"`);
}

/** keep-id's maps, as Podman 5 makes them rootless: the user is container ID `id`, the subordinate IDs fill around it. */
export function keepIdMap(id: number, subordinate: number, maxSize?: number): IdMap[] {
  const max = maxSize !== undefined && maxSize > 0 ? Math.min(subordinate, maxSize - 1) : subordinate;
  return [...(id !== 0 && subordinate > 0 ? [{ containerId: 0, hostId: 1, size: Math.min(id, max) }] : []), { containerId: id, hostId: 0, size: 1 }, ...(max > id ? [{ containerId: id + 1, hostId: id + 1, size: max - id }] : [])];
}

/** nomap: every subordinate ID from container ID 0 up, the user's own left out. */
export function nomapMap(subordinate: number, setting: 'UID' | 'GID'): IdMap[] {
  if (subordinate === 0) throw new InvalidArgumentError(`nomap requires additional UIDs or GIDs defined in /etc/subuid and /etc/subgid to function correctly: none are mapped for ${setting === 'UID' ? 'your user' : 'your group'}`);
  return [{ containerId: 0, hostId: 1, size: subordinate }];
}

/** --subuidname: the name's ranges in /etc/subuid, as intermediate IDs (they must be among the user's own), from container ID 0 up. */
export function subIdMap(name: string, entries: SubIdEntry[], parent: IdMap[], setting: 'UID' | 'GID'): IdMap[] {
  const file = setting === 'UID' ? '/etc/subuid' : '/etc/subgid';
  const ranges: IdRange[] = entries.filter((e) => e.owner === name);
  if (!ranges.length) throw new InvalidArgumentError(`no sub${setting === 'UID' ? 'uid' : 'gid'} ranges found for user ${JSON.stringify(name)} in ${file}`);
  let cid = 0;
  return ranges.map((r) => {
    const start = intermediateOf(r.start, parent, setting);
    if (!parent.some((l) => r.start >= l.hostId && r.start + r.count <= l.hostId + l.size)) throw new InvalidArgumentError(`the ${file} range ${r.start}-${r.start + r.count - 1} of ${name} is not all delegated to you: rootless, only your own subordinate IDs can be mapped`);
    const m = { containerId: cid, hostId: start, size: r.count };
    cid += r.count;
    return m;
  });
}

/** --group-add: keep-groups alone, as Podman requires. */
export function checkGroupAdd(groups: string[]): void {
  if (groups.includes('keep-groups') && groups.length > 1) throw new InvalidArgumentError("the '--group-add keep-groups' option is not allowed with any other --group-add options");
  for (const g of groups) if (g === '' || g.includes(':')) throw new InvalidArgumentError(`invalid --group-add ${JSON.stringify(g)}: give a group name or number (or keep-groups)`);
}

/** The maps of a container with a namespace of its own, and its keep-id user; undefined maps for the host's (tspod's). */
export interface ResolvedUserns {
  mode: UsernsMode;
  uidMap?: IdMap[];
  gidMap?: IdMap[];
}

/**
 * The flags checked against each other and against tspod's namespace (auto's ranges are chosen
 * later, once the image and the other containers are known: see autoMaps).
 */
export function resolveUserns(o: UsernsOptions, ns: NamespaceIds, subIds: () => { uids: SubIdEntry[]; gids: SubIdEntry[] }): ResolvedUserns {
  const explicit = o.uidmap.length || o.gidmap.length || o.subuidname !== undefined || o.subgidname !== undefined;
  if (explicit && o.userns !== undefined && o.userns !== '' && o.userns !== 'host') throw new InvalidArgumentError('--userns and --uidmap/--gidmap/--subuidname/--subgidname are mutually exclusive');
  checkGroupAdd(o.groupAdd);
  const subUid = idCount(ns.uidLines) - 1;
  const subGid = idCount(ns.gidLines) - 1;
  if (explicit) {
    if ((o.uidmap.length && o.subuidname !== undefined) || (o.gidmap.length && o.subgidname !== undefined)) throw new InvalidArgumentError('--uidmap conflicts with --subuidname, and --gidmap with --subgidname: use one of each pair');
    // One of --uidmap/--gidmap alone applies to both (its u/g flags aside), as Podman does.
    const uidSpecs = o.uidmap.length ? o.uidmap : o.gidmap;
    const gidSpecs = o.gidmap.length ? o.gidmap : o.uidmap;
    let uidMap = o.subuidname !== undefined ? subIdMap(o.subuidname, subIds().uids, ns.uidLines, 'UID') : parseIdMaps(uidSpecs, 'UID', ns.uidLines);
    let gidMap = o.subgidname !== undefined ? subIdMap(o.subgidname, subIds().gids, ns.gidLines, 'GID') : parseIdMaps(gidSpecs, 'GID', ns.gidLines);
    if (!uidMap.length && o.subgidname !== undefined && !o.uidmap.length) uidMap = gidMap;
    if (!gidMap.length && o.subuidname !== undefined && !o.gidmap.length) gidMap = uidMap;
    if (!uidMap.length || !gidMap.length) throw new InvalidArgumentError('must provide at least one UID or GID mapping to configure a user namespace');
    checkInside(uidMap, ns.uidLines, 'UID');
    checkInside(gidMap, ns.gidLines, 'GID');
    return { mode: { kind: 'private' }, uidMap, gidMap };
  }
  const mode = parseUsernsMode(o.userns ?? '');
  switch (mode.kind) {
    case 'keep-id':
      return { mode, uidMap: keepIdMap(mode.uid ?? ns.uid, subUid, mode.size), gidMap: keepIdMap(mode.gid ?? ns.gid, subGid, mode.size) };
    case 'nomap':
      return { mode, uidMap: nomapMap(subUid, 'UID'), gidMap: nomapMap(subGid, 'GID') };
    case 'private':
      // Podman refuses it rootless without maps; tspod gives the container a namespace of its own
      // with every ID of tspod's, unchanged (its root is still the user).
      return { mode, uidMap: [{ containerId: 0, hostId: 0, size: subUid + 1 }], gidMap: [{ containerId: 0, hostId: 0, size: subGid + 1 }] };
    case 'auto':
      for (const s of [...mode.uidmapping.map((x) => ['UID', x]), ...mode.gidmapping.map((x) => ['GID', x])]) parseIdMaps([s[1]], s[0] as 'UID', s[0] === 'UID' ? ns.uidLines : ns.gidLines);
      return { mode };
    default:
      return { mode };
  }
}

/** The smallest auto size Podman gives (containers.conf's auto_userns_min_size). */
export const AUTO_MIN_SIZE = 1024;

/** auto's size when not given: room for the highest ID in the image's /etc/passwd and /etc/group (nobody's 65534 aside), at least AUTO_MIN_SIZE. */
export function autoSize(passwd: string, group: string): number {
  const ids = [...passwd.split('\n').flatMap((l) => l.split(':').slice(2, 4)), ...group.split('\n').map((l) => l.split(':')[2])].filter((x) => x && /^\d+$/.test(x)).map(Number).filter((n) => n < 65534);
  return Math.max(AUTO_MIN_SIZE, ids.length ? Math.max(...ids) + 1 : 0);
}

/**
 * auto's maps: the first `size` intermediate IDs from 1 up that no other auto container's maps
 * use (the user's own ID 0 is never given out), with uidmapping=/gidmapping= put over them as
 * Podman's "+" flag does.
 */
export function autoMaps(size: number, used: IdMap[], total: number, forced: IdMap[]): IdMap[] {
  const taken = [...used].sort((a, b) => a.hostId - b.hostId);
  let start = 1;
  for (const t of taken) {
    if (t.hostId >= start + size) break;
    start = Math.max(start, t.hostId + t.size);
  }
  if (start + size > total) throw new InvalidArgumentError(`not enough unused IDs are available for --userns=auto with size ${size}: other --userns=auto containers use the rest of your ${total - 1} subordinate IDs; remove some, or ask for less with auto:size=N`);
  let map = [{ containerId: 0, hostId: start, size }];
  for (const f of forced) map = breakInsert(map, f);
  return map;
}

/**
 * A map cut where tspod's own extents meet: the kernel takes a line of a child namespace's map
 * only when its IDs lie within one line of the parent's (0:0:65537 fails, 0:0:1 and 1:1:65536 pass).
 */
export function splitAlong(map: IdMap[], parent: IdMap[]): IdMap[] {
  const cuts = parent.map((l) => l.containerId).sort((a, b) => a - b);
  return map.flatMap((m) => {
    const out: IdMap[] = [];
    let at = 0;
    for (const c of cuts) {
      const off = c - m.hostId;
      if (off > at && off < m.size) {
        out.push({ containerId: m.containerId + at, hostId: m.hostId + at, size: off - at });
        at = off;
      }
    }
    out.push({ containerId: m.containerId + at, hostId: m.hostId + at, size: m.size - at });
    return out;
  });
}

/** "C:H:N" strings as inspect and fuse-overlayfs write a map. */
export function mapStrings(map: IdMap[]): string[] {
  return map.map((m) => `${m.containerId}:${m.hostId}:${m.size}`);
}

/** The intermediate ID of container ID id under map (undefined: not mapped). */
export function toIntermediate(map: IdMap[] | undefined, id: number): number | undefined {
  if (!map) return id;
  const m = map.find((x) => id >= x.containerId && id < x.containerId + x.size);
  return m ? m.hostId + id - m.containerId : undefined;
}

/** Whether a map shifts any ID (an identity map needs no remapped root filesystem). */
export function isIdentity(map: IdMap[] | undefined): boolean {
  return !map || map.every((m) => m.containerId === m.hostId);
}
