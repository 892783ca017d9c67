// The lines tspod adds to a container's /etc/passwd and /etc/group when it starts, as Podman does:
// the host user with --userns=keep-id and each --hostuser (unless the image has them), and a
// numeric --user the image does not know; --passwd-entry and --group-entry replace their format.
// Pure: the caller reads the image's files and the host's, and appends what this returns.
import { CannotInvokeError } from '../../src/errors';

export interface HostUser {
  name: string;
  uid: number;
  gid: number;
  /** The GECOS field up to its first comma (Go's user.Name). */
  gecos: string;
  home: string;
}

type Row = string[];
const rows = (text: string): Row[] => text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'));

/** A user of a passwd text by name or by number. */
export function findUser(passwd: string, nameOrId: string): HostUser | undefined {
  const r = rows(passwd).find((p) => p[0] === nameOrId) ?? (/^\d+$/.test(nameOrId) ? rows(passwd).find((p) => p[2] === nameOrId) : undefined);
  return r ? { name: r[0], uid: Number(r[2]), gid: Number(r[3]), gecos: (r[4] ?? '').split(',')[0], home: r[5] || '/' } : undefined;
}

/** A group of a group text by name or by number: [name, gid, members]. */
export function findGroup(group: string, nameOrId: string): { name: string; gid: number; members: string[] } | undefined {
  const r = rows(group).find((g) => g[0] === nameOrId) ?? (/^\d+$/.test(nameOrId) ? rows(group).find((g) => g[2] === nameOrId) : undefined);
  return r ? { name: r[0], gid: Number(r[2]), members: (r[3] ?? '').split(',').filter(Boolean) } : undefined;
}

export interface PasswdInput {
  /** The image's /etc/passwd and /etc/group, and the host's. */
  passwd: string;
  group: string;
  hostPasswd: string;
  hostGroup: string;
  /** keep-id without uid=/gid=: the user running tspod (looked up in the host's files). */
  currentUser?: { uid: number; gid: number };
  hostUsers: string[];
  /** --user as the container has it (keep-id's "UID:GID" when none was given). */
  user?: string;
  passwdEntry?: string;
  groupEntry?: string;
  /** The directory the container starts in: the home of users whose own home is not mounted. */
  workdir: string;
  /** The container's mount destinations. */
  mounts: string[];
}

function template(t: string, vars: Record<string, string>): string {
  return Object.entries(vars).reduce((s, [k, v]) => s.split(`$${k}`).join(v), t);
}

/** Podman's home for an added user: its own when it (or a directory above it) is mounted, else the workdir. */
function homeFor(u: HostUser, input: PasswdInput): string {
  for (let d = u.home; d !== '/' && d !== '.'; d = d.slice(0, d.lastIndexOf('/')) || '/') if (input.mounts.includes(d)) return u.home;
  return input.workdir;
}

/** The host user's line, unless the image has a user of that name or number. */
function userLine(u: HostUser, input: PasswdInput): string {
  if (findUser(input.passwd, u.name) || findUser(input.passwd, String(u.uid))) return '';
  const home = homeFor(u, input);
  if (input.passwdEntry) return `${template(input.passwdEntry, { USERNAME: u.name, UID: String(u.uid), GID: String(u.gid), NAME: u.gecos, HOME: home })}\n`;
  return `${u.name}:*:${u.uid}:${u.gid}:${u.gecos}:${home}:/bin/sh\n`;
}

function hostUser(input: PasswdInput, nameOrId: string): HostUser {
  const u = findUser(input.hostPasswd, nameOrId);
  if (!u) throw new CannotInvokeError(`--hostuser ${nameOrId}: user: unknown user ${nameOrId}: name a user of the host's /etc/passwd (by name or UID)`);
  return u;
}

/** The lines to append to /etc/passwd and /etc/group (either may be ''). */
export function passwdAdditions(input: PasswdInput): { passwd: string; group: string } {
  let passwd = input.hostUsers.map((h) => userLine(hostUser(input, h), input)).join('');
  let group = '';
  let addedUid = -1;
  let addedGid = -1;
  if (input.currentUser) {
    const me = findUser(input.hostPasswd, String(input.currentUser.uid)) ?? { name: String(input.currentUser.uid), uid: input.currentUser.uid, gid: input.currentUser.gid, gecos: '', home: '/' };
    passwd += userLine({ ...me, gid: input.currentUser.gid }, input);
    addedUid = input.currentUser.uid;
    const g = findGroup(input.hostGroup, String(input.currentUser.gid)) ?? { name: String(input.currentUser.gid), gid: input.currentUser.gid, members: [] };
    if (!findGroup(input.group, g.name) && !findGroup(input.group, String(g.gid))) group += `${g.name}:x:${g.gid}:${me.name}\n`;
    addedGid = input.currentUser.gid;
  }
  const [u = '', gspec] = (input.user ?? '').split(':');
  // A numeric --user the image lacks gets a line, so that id -un, ls and ssh find it.
  if (/^\d+$/.test(u) && Number(u) !== addedUid && !findUser(input.passwd, u)) {
    let gid = 0;
    if (gspec !== undefined && gspec !== '') {
      const g = /^\d+$/.test(gspec) ? { gid: Number(gspec) } : findGroup(input.group, gspec);
      if (!g) throw new CannotInvokeError(`unable to get gid ${gspec} from group file: no matching entries in the image's /etc/group`);
      gid = g.gid;
    }
    const hostName = findUser(input.hostPasswd, u);
    passwd += input.passwdEntry
      ? `${template(input.passwdEntry, { USERNAME: u, UID: u, GID: String(gid), NAME: 'container user', HOME: input.workdir })}\n`
      : `${hostName?.uid === Number(u) ? hostName.name : u}:*:${u}:${gid}:${hostName?.uid === Number(u) ? hostName.gecos : 'container user'}:${input.workdir}:/bin/sh\n`;
  }
  // A numeric group (of --user) the image lacks gets a line too.
  if ((input.user || input.groupEntry) && /^\d+$/.test(gspec ?? '0') && Number(gspec ?? 0) !== addedGid && !findGroup(input.group, gspec ?? '0')) {
    const gid = gspec ?? '0';
    group += input.groupEntry ? `${template(input.groupEntry, { GROUPNAME: gid, GID: gid, USERLIST: u })}\n` : `${gid}:x:${gid}:${u}\n`;
  }
  return { passwd, group };
}

/** --group-add values as GIDs: numbers as they are, names from the container's /etc/group. */
export function groupAddIds(groups: string[], groupText: string, containerId: string): number[] {
  return groups.map((g) => {
    if (/^\d+$/.test(g)) return Number(g);
    const found = findGroup(groupText, g);
    if (!found) throw new CannotInvokeError(`looking up supplemental groups for container ${containerId}: unable to find group ${g}: no matching entries in group file: add the group to the image, or give its number`);
    return found.gid;
  });
}
