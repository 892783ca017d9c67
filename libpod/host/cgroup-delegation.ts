// Whether this user has a cgroup of its own to put containers in (cgroup delegation), and which
// controllers come with it. On cgroups v2 systemd (Delegate=yes on user@.service) or an
// administrator gives a user a subtree: its directories belong to the user, and the controllers
// listed in its cgroup.subtree_control are enabled for the cgroups the user makes below it. On
// cgroups v1 the hierarchies belong to root: never delegated to a rootless user. The cgroup root
// and the /proc/self/cgroup file are parameters so that tests can run this on trees of their own.
import fs from 'node:fs';
import path from 'node:path';

export interface Delegation {
  version: 'v1' | 'v2';
  /** The cgroup this process is in (v2; relative to the root, starting with /). */
  own?: string;
  /** The topmost cgroup, from own upwards, that the user owns and may write; undefined when none. */
  delegated?: string;
  /** Controllers enabled for the delegated cgroup's children (its cgroup.subtree_control). */
  enabled: string[];
  /** Controllers the delegated cgroup has (its cgroup.controllers), enabled for children or not. */
  available: string[];
}

export interface DelegationSource {
  cgroupRoot?: string;
  procCgroup?: string;
  uid?: number;
}

const words = (file: string) => {
  try {
    return fs.readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
};

function mine(dir: string, uid: number): boolean {
  try {
    if (fs.statSync(dir).uid !== uid) return false;
    fs.accessSync(dir, fs.constants.W_OK);
    fs.accessSync(path.join(dir, 'cgroup.procs'), fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The delegation this process has (see Delegation). */
export function detectDelegation(src: DelegationSource = {}): Delegation {
  const root = src.cgroupRoot ?? '/sys/fs/cgroup';
  const uid = src.uid ?? process.getuid?.() ?? 0;
  if (!fs.existsSync(path.join(root, 'cgroup.controllers'))) return { version: 'v1', enabled: [], available: [] };
  let text = '';
  try {
    text = fs.readFileSync(src.procCgroup ?? '/proc/self/cgroup', 'utf8');
  } catch {
    return { version: 'v2', enabled: [], available: [] };
  }
  const own = /^0::(\/.*)$/m.exec(text)?.[1];
  if (!own) return { version: 'v2', enabled: [], available: [] };
  // Walk up from our own cgroup while the user owns each one; the last is the delegated subtree.
  let delegated: string | undefined;
  for (let rel = own; ; rel = path.posix.dirname(rel)) {
    if (rel === '/' || !mine(path.join(root, rel), uid)) break;
    delegated = rel;
  }
  if (!delegated) return { version: 'v2', own, enabled: [], available: [] };
  const dir = path.join(root, delegated);
  return { version: 'v2', own, delegated, enabled: words(path.join(dir, 'cgroup.subtree_control')), available: words(path.join(dir, 'cgroup.controllers')) };
}

/** The cgroup (relative to the root) a container gets under the delegated subtree: runc's linux.cgroupsPath. */
export function containerCgroup(d: Delegation, id: string): string | undefined {
  return d.delegated ? path.posix.join(d.delegated, `tspod-${id}`) : undefined;
}

/** How to get a controller delegated, for messages. */
export function delegateHint(controllers: string[]): string {
  return `delegate it with systemd: "sudo systemctl edit user@.service", add "[Service]" and "Delegate=${controllers.join(' ') || 'yes'}" (or Delegate=yes), then log in again`;
}
