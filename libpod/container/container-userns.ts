// A container's own user namespace, from create to start: the flags checked against tspod's
// namespace (checkUserns, at create before any pull), the maps fixed once the image is there
// (usernsSpec: auto's ranges), and at start the runtime spec's namespace, the maps its root
// filesystem is shown through, and the lines added to its /etc/passwd and /etc/group.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, InvalidStateError } from '../../src/errors';
import { readIfExists } from '../../src/files';
import type { Runtime } from '../runtime';
import type { Image } from '../image/image-store';
import { readSubIdFile, SUBGID_FILE, SUBUID_FILE } from '../rootless/subid';
import type { ContainerSpec } from './container';
import { splitAlong, autoMaps, autoSize, isIdentity, mapStrings, parseIdMapFile, parseIdMaps, resolveUserns, toIntermediate, type IdMap, type NamespaceIds, type ResolvedUserns, type UsernsOptions, type UsernsSpec } from './userns-flags';
import { findUser, groupAddIds, passwdAdditions } from './passwd-entries';

export interface CheckedUserns {
  options: UsernsOptions;
  resolved: ResolvedUserns;
  /** The spec's part once the image is known (usernsSpec). */
  forImage(image: Image): Pick<ContainerSpec, 'userns'> & { defaultUser?: string };
}

/** tspod's namespace: the maps of this process (inside it) and the user they are for. */
export function namespaceIds(): NamespaceIds {
  const uidLines = parseIdMapFile(fs.readFileSync('/proc/self/uid_map', 'utf8'));
  const gidLines = parseIdMapFile(fs.readFileSync('/proc/self/gid_map', 'utf8'));
  const outside = (lines: IdMap[], own: number) => lines.find((l) => l.containerId === 0)?.hostId ?? own;
  return { uid: outside(uidLines, process.getuid?.() ?? 0), gid: outside(gidLines, process.getgid?.() ?? 0), uidLines, gidLines };
}

/** The user-namespace flags checked before any pull; runtime is the OCI runtime's path (keep-groups needs crun). */
export function checkUserns(rt: Runtime, options: UsernsOptions, runtime: string): CheckedUserns {
  const resolved = resolveUserns(options, namespaceIds(), () => ({ uids: readSubIdFile(SUBUID_FILE), gids: readSubIdFile(SUBGID_FILE) }));
  if (resolved.mode.kind === 'ns' && !fs.existsSync(resolved.mode.path)) throw new InvalidArgumentError(`cannot find specified user namespace path: stat ${resolved.mode.path}: no such file or directory`);
  if (resolved.mode.kind === 'container') throw new InvalidArgumentError(`--userns=container:${resolved.mode.name} is not supported: tspod cannot yet join another container's user namespace; use --userns=ns:/proc/PID/ns/user with the PID of that container (tspod inspect --format '{{.State.Pid}}')`);
  const hostPasswd = options.hostuser.length ? readIfExists('/etc/passwd') : '';
  for (const h of options.hostuser) if (!findUser(hostPasswd, h)) throw new InvalidArgumentError(`--hostuser ${h}: user: unknown user ${h}: name a user of the host's /etc/passwd (by name or UID)`);
  // runc sets the process's groups itself, so the user's own supplementary groups cannot be kept:
  // Podman passes keep-groups to crun only (run.oci.keep_original_groups).
  if (options.groupAdd.includes('keep-groups') && path.basename(runtime) !== 'crun') throw new InvalidArgumentError(`--group-add keep-groups needs the crun runtime (--runtime crun): ${path.basename(runtime)} always sets the container's groups itself, so your supplementary groups would be dropped`);
  const checked: CheckedUserns = { options, resolved, forImage: (image) => usernsSpec(rt, checked, image) };
  return checked;
}

/** IDs the other --userns=auto containers hold in tspod's namespace. */
function autoRangesInUse(rt: Runtime): IdMap[] {
  return rt.containers().list().filter((c) => c.spec.userns?.mode.startsWith('auto')).flatMap((c) => c.spec.userns?.uidMap ?? []);
}

/** A file of the image, from its topmost layer that has it. */
function imageFile(rt: Runtime, image: Image, file: string): string {
  const layers = rt.layerStore();
  for (const l of [...image.layers].reverse()) {
    const p = path.join(layers.diffDir(l), file);
    if (fs.existsSync(p)) return readIfExists(p);
  }
  return '';
}

/** The spec's userns and (keep-id, nomap) default user, once the image is known: auto's ranges chosen now. */
export function usernsSpec(rt: Runtime, checked: CheckedUserns, image: Image, ns = namespaceIds()): Pick<ContainerSpec, 'userns'> & { defaultUser?: string } {
  const { options: o, resolved: r } = checked;
  const extras = {
    ...(o.groupAdd.length ? { groupAdd: o.groupAdd } : {}),
    ...(o.hostuser.length ? { hostUsers: o.hostuser } : {}),
    ...(o.passwdEntry ? { passwdEntry: o.passwdEntry } : {}),
    ...(o.groupEntry ? { groupEntry: o.groupEntry } : {}),
    ...(o.passwd ? {} : { noPasswd: true }),
  };
  const mode = o.userns ?? (r.uidMap ? 'private' : '');
  let userns: UsernsSpec = { mode, ...(r.uidMap ? { uidMap: r.uidMap, gidMap: r.gidMap } : {}), ...extras };
  let defaultUser: string | undefined;
  const m = r.mode;
  if (m.kind === 'auto') {
    const size = m.size ?? autoSize(imageFile(rt, image, 'etc/passwd'), imageFile(rt, image, 'etc/group'));
    const used = autoRangesInUse(rt);
    const uidMap = autoMaps(size, used, ns.uidLines.reduce((a, l) => Math.max(a, l.containerId + l.size), 0), parseIdMaps(m.uidmapping.map((x) => `+${x}`), 'UID', ns.uidLines));
    const gidMap = autoMaps(size, used, ns.gidLines.reduce((a, l) => Math.max(a, l.containerId + l.size), 0), parseIdMaps(m.gidmapping.map((x) => `+${x}`), 'GID', ns.gidLines));
    userns = { ...userns, uidMap, gidMap };
  } else if (m.kind === 'keep-id') {
    const uid = m.uid ?? ns.uid;
    const gid = m.gid ?? ns.gid;
    userns = { ...userns, ...(m.uid === undefined && m.gid === undefined ? { keepId: { uid, gid } } : {}) };
    defaultUser = `${uid}:${gid}`;
  } else if (m.kind === 'nomap') {
    defaultUser = '0:0';
  } else if (m.kind === 'ns') {
    const maps = mapsOfNamespace(m.path);
    if (!maps.uidMap) throw new InvalidArgumentError(`--userns=ns:${m.path}: cannot read the maps of that user namespace: name it as /proc/PID/ns/user of a process in it (the OCI runtime needs its maps)`);
    userns = { ...userns, path: m.path, ...maps };
  }
  const trimmed = Object.keys(userns).length === 1 && mode === '' ? undefined : userns;
  return { ...(trimmed ? { userns: trimmed } : {}), ...(defaultUser ? { defaultUser } : {}) };
}

/** The maps of a namespace joined by path, when it is a process's (/proc/PID/ns/user), as seen from tspod's. */
function mapsOfNamespace(nsPath: string): { uidMap?: IdMap[]; gidMap?: IdMap[] } {
  const pid = /^\/proc\/(\d+)\/ns\/user$/.exec(nsPath)?.[1];
  if (!pid) return {};
  const uidMap = parseIdMapFile(readIfExists(`/proc/${pid}/uid_map`));
  const gidMap = parseIdMapFile(readIfExists(`/proc/${pid}/gid_map`));
  return uidMap.length && gidMap.length ? { uidMap, gidMap } : {};
}

/** The runtime spec's user namespace for a container: joined by path, or made with its maps; undefined for tspod's own. */
export function specUserNamespace(u: UsernsSpec | undefined): { path?: string; uidMappings?: IdMap[]; gidMappings?: IdMap[] } | undefined {
  if (!u) return undefined;
  if (!u.uidMap || !u.gidMap) return undefined;
  const ns = namespaceIds();
  // runc wants the maps of a namespace it joins too (it reads the IDs of root from them).
  return { ...(u.path ? { path: u.path } : {}), uidMappings: splitAlong(u.uidMap, ns.uidLines), gidMappings: splitAlong(u.gidMap, ns.gidLines) };
}

/**
 * fuse-overlayfs's uidmapping=/gidmapping= values that show the image's files with the owners they
 * have in the container (root's files owned by the container's root, not by nobody); undefined when
 * no shift is needed. The layers stay as they are: one store serves every mapping.
 */
export function rootfsMapping(u: UsernsSpec | undefined): { uid: string; gid: string } | undefined {
  if (!u?.uidMap || !u.gidMap || (isIdentity(u.uidMap) && isIdentity(u.gidMap))) return undefined;
  return { uid: mapStrings(u.uidMap).join(':'), gid: mapStrings(u.gidMap).join(':') };
}

/** Container user and group IDs as tspod's namespace has them (for chown of :U sources): unmapped ones stay. */
export function intermediateOwner(u: UsernsSpec | undefined, uid: number, gid: number): { uid: number; gid: number } {
  return { uid: toIntermediate(u?.uidMap, uid) ?? uid, gid: toIntermediate(u?.gidMap, gid) ?? gid };
}

/**
 * Appends the host user (keep-id, --hostuser) and a numeric --user the image lacks to the mounted
 * rootfs's /etc/passwd and /etc/group, as Podman does at each start (nothing twice: a user the
 * file has is not added). Returns the files' texts as the container sees them.
 */
export function addPasswdEntries(rootfs: string, c: { id: string; spec: ContainerSpec }, user: string | undefined, workdir: string): { passwd: string; group: string } {
  const files = { passwd: path.join(rootfs, 'etc/passwd'), group: path.join(rootfs, 'etc/group') };
  const texts = { passwd: readIfExists(files.passwd), group: readIfExists(files.group) };
  const u = c.spec.userns;
  if (u?.noPasswd) return texts;
  const add = passwdAdditions({
    ...texts,
    hostPasswd: readIfExists('/etc/passwd'),
    hostGroup: readIfExists('/etc/group'),
    currentUser: u?.keepId,
    hostUsers: u?.hostUsers ?? [],
    user,
    passwdEntry: u?.passwdEntry,
    groupEntry: u?.groupEntry,
    workdir,
    mounts: (c.spec.mounts ?? []).map((m) => m.destination),
  });
  for (const k of ['passwd', 'group'] as const) {
    if (!add[k]) continue;
    const sep = texts[k] && !texts[k].endsWith('\n') ? '\n' : '';
    if (fs.existsSync(path.dirname(files[k]))) fs.appendFileSync(files[k], sep + add[k], { mode: 0o644 });
    texts[k] += sep + add[k];
  }
  return texts;
}

/** The process's extra groups: keep-id's own group, then --group-add's (keep-groups is the runtime's). */
export function extraGroups(c: { id: string; spec: ContainerSpec }, groupText: string, gid: number): number[] {
  const wanted = (c.spec.userns?.groupAdd ?? []).filter((g) => g !== 'keep-groups');
  return [...(c.spec.userns?.keepId || c.spec.userns?.mode.startsWith('keep-id') ? [gid] : []), ...groupAddIds(wanted, groupText, c.id)];
}

/**
 * A container whose namespace leaves the user's own ID out (auto, nomap, most --uidmap) reaches its
 * root filesystem and its bind sources as "others": every directory on the way must be searchable
 * by others. tspod's own directories under root are opened for search only (never for listing, as
 * Podman keeps its storage 0711); any other says how to open it. Inside the namespace (we are 0).
 */
export function openWayIn(u: UsernsSpec | undefined, root: string, targets: string[]): void {
  if (!u?.uidMap || toIntermediate(u.uidMap.map((m) => ({ containerId: m.hostId, hostId: m.containerId, size: m.size })), 0) !== undefined) return;
  const seen = new Set<string>();
  for (const target of targets) {
    for (let d = path.dirname(target); !seen.has(d); d = path.dirname(d)) {
      seen.add(d);
      const st = fs.statSync(d);
      if ((st.mode & 0o001) === 0) {
        if (st.uid === 0 && (d === root || d.startsWith(`${root}/`))) fs.chmodSync(d, (st.mode & 0o7777) | 0o001);
        else throw new InvalidStateError(`the container's user namespace (--userns=${u.mode}) does not map your own user ID, so it cannot reach ${target}: ${d} is not searchable by other users (mode ${(st.mode & 0o777).toString(8)}): allow it with "chmod o+x ${d}", or use --userns=keep-id`);
      }
      if (d === '/') break;
    }
  }
}
