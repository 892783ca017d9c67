// Gathers the facts about this host that rootless containers depend on (kernel, cgroups, OCI
// runtime, ID mapping tools and ranges, FUSE and TUN devices, overlay support, network helpers).
// Probes run in parallel; each one is a short subprocess or a file read.
import { detectDelegation, type Delegation } from './cgroup-delegation';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config/config';
import type { Paths } from '../../src/paths';
import { ARCH_NAMES } from '../../src/arch';
import { findProgram, programInfo, runQuiet, type ProgramInfo } from './programs';
import { readSubIdFile, rangesFor, SUBGID_FILE, SUBUID_FILE, type IdRange, type SubIdEntry } from '../rootless/subid';

export type CgroupMode = 'unified' | 'hybrid' | 'legacy';

export interface IdMapper {
  path: string | null;
  /** setuid root or carrying file capabilities: what newuidmap needs to map other IDs. */
  privileged: boolean;
  how: string;
}

export interface DeviceInfo {
  path: string;
  exists: boolean;
  usable: boolean;
  mode: string | null;
}

export interface HostInfo {
  arch: string;
  os: string;
  kernel: string;
  hostname: string;
  distribution: { distribution: string; version: string; codename: string };
  cpus: number;
  memTotal: number;
  memFree: number;
  uid: number;
  gid: number;
  user: string;
  rootless: boolean;
  cgroupVersion: 'v1' | 'v2';
  cgroupMode: CgroupMode;
  /** The cgroup v2 subtree delegated to the user and its controllers (system check reports them). */
  cgroupDelegation?: Delegation;
  userNamespaces: { enabled: boolean; maxUserNamespaces: number | null; unprivilegedClone: number | null };
  subuid: { file: string; ranges: IdRange[]; entries: SubIdEntry[] };
  subgid: { file: string; ranges: IdRange[]; entries: SubIdEntry[] };
  newuidmap: IdMapper;
  newgidmap: IdMapper;
  unshare: ProgramInfo;
  nsenter: ProgramInfo;
  ociRuntime: ProgramInfo & { candidates: string[] };
  fuseOverlayfs: ProgramInfo;
  nativeOverlay: { works: boolean; detail: string };
  fuseDevice: DeviceInfo;
  tunDevice: DeviceInfo;
  slirp4netns: ProgramInfo;
  pasta: ProgramInfo;
  networkCmd: string | null;
  catatonit: ProgramInfo;
  runtimeDirEnv: string | null;
}


function readNumber(file: string): number | null {
  try {
    return Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    return null;
  }
}

function osRelease(): HostInfo['distribution'] {
  const out = { distribution: 'unknown', version: '', codename: '' };
  try {
    for (const line of fs.readFileSync('/etc/os-release', 'utf8').split('\n')) {
      const m = /^(\w+)=(.*)$/.exec(line);
      if (!m) continue;
      const value = m[2].replace(/^"(.*)"$/, '$1');
      if (m[1] === 'ID') out.distribution = value;
      if (m[1] === 'VERSION_ID') out.version = value;
      if (m[1] === 'VERSION_CODENAME') out.codename = value;
    }
  } catch {
    /* no os-release: leave unknown */
  }
  return out;
}

const CGROUP2_MAGIC = 0x63677270;

export function cgroupMode(root = '/sys/fs/cgroup'): CgroupMode {
  try {
    if (fs.statfsSync(root).type === CGROUP2_MAGIC) return 'unified';
  } catch {
    return 'legacy';
  }
  try {
    if (fs.statfsSync(path.join(root, 'unified')).type === CGROUP2_MAGIC) return 'hybrid';
  } catch {
    /* no unified hierarchy */
  }
  return 'legacy';
}

function device(file: string): DeviceInfo {
  try {
    const st = fs.statSync(file);
    let usable = true;
    try {
      fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
    } catch {
      usable = false;
    }
    return { path: file, exists: true, usable, mode: (st.mode & 0o7777).toString(8).padStart(4, '0') };
  } catch {
    return { path: file, exists: false, usable: false, mode: null };
  }
}

async function idMapper(name: string): Promise<IdMapper> {
  const found = findProgram(name);
  if (!found) return { path: null, privileged: false, how: 'missing' };
  const st = fs.statSync(found);
  if ((st.mode & 0o4000) !== 0 && st.uid === 0) return { path: found, privileged: true, how: 'setuid root' };
  const getcap = findProgram('getcap');
  if (getcap) {
    const r = await runQuiet(getcap, [found]);
    const caps = r?.output.trim() ?? '';
    const want = name === 'newuidmap' ? 'cap_setuid' : 'cap_setgid';
    if (caps.includes(want)) return { path: found, privileged: true, how: caps.replace(found, '').trim() };
  }
  return { path: found, privileged: false, how: 'neither setuid root nor file capabilities' };
}

/** The runtimes to try, in order: the configured one, else the one that works with this cgroup mode. */
export function runtimeCandidates(config: Config, mode: CgroupMode): string[] {
  if (config.engine.runtime) {
    const configured = config.engine.runtimePaths[config.engine.runtime];
    return configured && configured.length ? configured : [config.engine.runtime];
  }
  // crun refuses cgroup v1/hybrid hosts ("cgroups in hybrid mode not supported"); runc works there.
  return mode === 'unified' ? ['crun', 'runc'] : ['runc', 'crun'];
}

async function pickRuntime(candidates: string[]): Promise<ProgramInfo & { candidates: string[] }> {
  for (const c of candidates) {
    if (findProgram(c)) return { ...(await programInfo(c)), candidates };
  }
  return { name: path.basename(candidates[0] ?? 'runc'), path: null, version: null, candidates };
}

/**
 * Mounts a native overlay inside a throw-away user+mount namespace (util-linux unshare does the
 * namespace work: Node cannot). userxattr is what the kernel needs for overlay in a user namespace.
 */
async function probeNativeOverlay(unshare: string | null, scratchParent: string): Promise<{ works: boolean; detail: string }> {
  if (!unshare) return { works: false, detail: 'util-linux unshare not found' };
  let dir: string | null = null;
  try {
    fs.mkdirSync(scratchParent, { recursive: true, mode: 0o700 });
    dir = fs.mkdtempSync(path.join(scratchParent, 'overlay-probe-'));
    for (const d of ['l', 'u', 'w', 'm']) fs.mkdirSync(path.join(dir, d));
    fs.writeFileSync(path.join(dir, 'l', 'f'), 'x');
    const script = 'mount -t overlay overlay -o "lowerdir=$1/l,upperdir=$1/u,workdir=$1/w,userxattr" "$1/m" && test -f "$1/m/f"';
    const r = await runQuiet(unshare, ['--user', '--map-root-user', '--mount', 'sh', '-c', script, 'probe', dir]);
    if (!r) return { works: false, detail: 'unshare could not run' };
    return r.code === 0 ? { works: true, detail: 'overlay with userxattr mounts in a user namespace' } : { works: false, detail: r.output.trim() || `exit ${r.code}` };
  } catch (err) {
    return { works: false, detail: (err as Error).message };
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function chooseNetworkCmd(config: Config, slirp: ProgramInfo, pasta: ProgramInfo): string | null {
  const want = config.network.defaultRootlessNetworkCmd;
  if (want === 'pasta') return pasta.path ? 'pasta' : null;
  if (want === 'slirp4netns') return slirp.path ? 'slirp4netns' : null;
  return pasta.path ? 'pasta' : slirp.path ? 'slirp4netns' : null;
}

export async function gatherHostInfo(config: Config, paths: Paths): Promise<HostInfo> {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  let user = String(uid);
  try {
    user = os.userInfo().username;
  } catch {
    /* uid without a passwd entry: use the number */
  }
  const mode = cgroupMode();
  const uidEntries = readSubIdFile(SUBUID_FILE);
  const gidEntries = readSubIdFile(SUBGID_FILE);
  const unshareProgram = findProgram('unshare');
  const [newuidmap, newgidmap, unshare, nsenter, ociRuntime, fuseOverlayfs, slirp4netns, pasta, catatonit, nativeOverlay] = await Promise.all([
    idMapper('newuidmap'),
    idMapper('newgidmap'),
    programInfo('unshare'),
    programInfo('nsenter'),
    pickRuntime(runtimeCandidates(config, mode)),
    programInfo(config.storage.mountProgram || 'fuse-overlayfs'),
    programInfo('slirp4netns'),
    programInfo('pasta'),
    programInfo('catatonit'),
    probeNativeOverlay(unshareProgram, path.join(paths.runroot, 'tmp')),
  ]);
  const maxUserNamespaces = readNumber('/proc/sys/user/max_user_namespaces');
  const unprivilegedClone = readNumber('/proc/sys/kernel/unprivileged_userns_clone');
  return {
    arch: ARCH_NAMES[process.arch] ?? process.arch,
    os: process.platform,
    kernel: os.release(),
    hostname: os.hostname(),
    distribution: osRelease(),
    cpus: os.cpus().length,
    memTotal: os.totalmem(),
    memFree: os.freemem(),
    uid,
    gid,
    user,
    rootless: uid !== 0,
    cgroupVersion: mode === 'unified' ? 'v2' : 'v1',
    cgroupMode: mode,
    cgroupDelegation: detectDelegation(),
    userNamespaces: { enabled: (maxUserNamespaces ?? 1) > 0 && unprivilegedClone !== 0, maxUserNamespaces, unprivilegedClone },
    subuid: { file: SUBUID_FILE, ranges: rangesFor(uidEntries, user, uid), entries: uidEntries },
    subgid: { file: SUBGID_FILE, ranges: rangesFor(gidEntries, user, uid), entries: gidEntries },
    newuidmap,
    newgidmap,
    unshare,
    nsenter,
    ociRuntime,
    fuseOverlayfs,
    nativeOverlay,
    fuseDevice: device('/dev/fuse'),
    tunDevice: device('/dev/net/tun'),
    slirp4netns,
    pasta,
    networkCmd: chooseNetworkCmd(config, slirp4netns, pasta),
    catatonit,
    runtimeDirEnv: process.env.XDG_RUNTIME_DIR ?? null,
  };
}
