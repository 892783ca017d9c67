// The X-Docker-Container-Path-Stat header of the archive endpoints: what is at the path, as
// base64 of JSON {name, size, mode, mtime, linkTarget}, mode in Go's os.FileMode bits (the type
// in the high bits, the permissions and setuid/setgid/sticky as Go places them).
import path from 'node:path';

const GO_MODE = { dir: 2 ** 31, symlink: 2 ** 27, device: 2 ** 26, namedPipe: 2 ** 25, socket: 2 ** 24, setuid: 2 ** 23, setgid: 2 ** 22, charDevice: 2 ** 21, sticky: 2 ** 20 };

/** A Unix st_mode as Go's os.FileMode. */
export function goFileMode(mode: number): number {
  const type = mode & 0o170000;
  let m = mode & 0o777;
  if (type === 0o040000) m += GO_MODE.dir;
  else if (type === 0o120000) m += GO_MODE.symlink;
  else if (type === 0o060000) m += GO_MODE.device;
  else if (type === 0o020000) m += GO_MODE.device + GO_MODE.charDevice;
  else if (type === 0o010000) m += GO_MODE.namedPipe;
  else if (type === 0o140000) m += GO_MODE.socket;
  if (mode & 0o4000) m += GO_MODE.setuid;
  if (mode & 0o2000) m += GO_MODE.setgid;
  if (mode & 0o1000) m += GO_MODE.sticky;
  return m;
}

export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** The stat Docker sends for a path in a container (name: its last component; linkTarget: a symlink's target). */
export function pathStat(cpath: string, st: { size: number; mode: number; mtime: Date }, linkTarget?: string): PathStat {
  return { name: path.posix.basename(cpath) || '/', size: st.size, mode: goFileMode(st.mode), mtime: st.mtime.toISOString(), linkTarget: linkTarget ?? '' };
}

/** The header's value. */
export function statHeader(s: PathStat): string {
  return Buffer.from(JSON.stringify(s)).toString('base64');
}
