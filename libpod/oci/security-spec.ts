// The runtime spec shaped by a container's SecuritySpec (container/security-flags.ts), as rootless
// Podman 5 shapes it: --privileged (every capability, no seccomp filter, no masked or read-only
// kernel paths, a writable /sys, the host's devices bound in), --device (bound in, as a rootless
// user cannot make device nodes), --security-opt (seccomp, mask, unmask, proc-opts, apparmor),
// the namespaces of --pid/--ipc/--uts/--cgroupns, systemd mode, --read-only's tmpfs,
// --personality and /run/.containerenv. Pure: the caller resolves paths and reads the host.
import os from 'node:os';
import type { SecuritySpec } from '../container/security-flags';
import type { Mount } from './spec';

/** What shaping needs besides the SecuritySpec, found by the caller. */
export interface SecurityContext {
  id: string;
  readOnly: boolean;
  /** Namespace files to join, for container:/ns: modes (container: resolved to /proc/PID/ns/TYPE). */
  nsPaths: Partial<Record<'pid' | 'ipc' | 'uts', string>>;
  /** The host's device nodes a privileged container gets (privilegedDevices()). */
  privilegedDevices: string[];
  /** Whether the host has /dev/mqueue (--ipc host binds it). */
  hostMqueue: boolean;
  /** The file bound at /run/.containerenv. */
  containerEnvFile: string;
  /** AppArmor is enabled on this host (else a profile is only recorded). */
  apparmor: boolean;
  /** Capabilities the process has (a seccomp profile's rules can depend on them). */
  capabilities: string[];
  cgroupsV2: boolean;
}

type Spec = {
  process: { env: string[]; capabilities: Record<string, string[]>; apparmorProfile?: string };
  hostname?: string;
  mounts: Mount[];
  linux: { namespaces: Array<{ type: string; path?: string }>; maskedPaths?: string[]; readonlyPaths?: string[]; seccomp?: unknown; personality?: { domain: string }; resources?: Record<string, unknown>; intelRdt?: { closID: string } };
};

const bind = (source: string, destination: string, options: string[]): Mount => ({ destination, type: 'bind', source, options });
const tmpfs = (destination: string, extra: string[] = []): Mount => ({ destination, type: 'tmpfs', source: 'tmpfs', options: ['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup', ...extra] });

/** Shapes the spec in place. */
export function applySecurity(spec: Record<string, unknown>, sec: SecuritySpec, ctx: SecurityContext): void {
  const s = spec as unknown as Spec;
  if (sec.privileged) privileged(s, ctx);
  if (sec.seccomp === 'unconfined') delete s.linux.seccomp;
  else if (sec.seccomp) s.linux.seccomp = ociSeccomp(sec.seccomp.profile, ctx.capabilities);
  maskPaths(s, sec);
  if (sec.procOpts) replaceMount(s, '/proc', (m) => ({ ...m, options: sec.procOpts! }));
  namespaces(s, sec, ctx);
  const extraTmpfs: Mount[] = [];
  if (sec.systemdMode) {
    extraTmpfs.push(...['/run', '/run/lock', '/tmp', '/var/log/journal'].map((d) => tmpfs(d, sec.shmSizeSystemd ? [`size=${sec.shmSizeSystemd}`] : [])));
    if (!s.process.env.some((e) => e.startsWith('container_uuid='))) s.process.env.push(`container_uuid=${ctx.id.slice(0, 32)}`);
  } else if (ctx.readOnly && sec.readOnlyTmpfs !== false) {
    extraTmpfs.push(...['/run', '/tmp', '/var/tmp'].map((d) => tmpfs(d)));
  }
  // Before every other mount beneath them, and never over a mount of the user's.
  const wanted = extraTmpfs.filter((t) => !s.mounts.some((m) => m.destination === t.destination));
  const at = s.mounts.findIndex((m) => m.destination === '/sys') + 1;
  s.mounts.splice(at, 0, ...wanted);
  for (const d of sec.devices ?? []) s.mounts.push(bind(d.source, d.destination, ['slave', 'nosuid', 'noexec', d.permissions.includes('w') ? 'rw' : 'ro', 'rbind']));
  if (sec.personality) s.linux.personality = { domain: sec.personality };
  if (sec.apparmor && ctx.apparmor) s.process.apparmorProfile = sec.apparmor;
  if (ctx.cgroupsV2) cgroupResources(s, sec);
  // Podman's rule: no .containerenv when the user mounted the file, or a /run of their own that is no tmpfs.
  if (!s.mounts.some((m) => m.destination === '/run/.containerenv' || (m.destination === '/run' && m.type !== 'tmpfs'))) s.mounts.push(bind(ctx.containerEnvFile, '/run/.containerenv', ['bind', 'rprivate']));
  chrootDirs(s, sec.chrootDirs ?? []);
}

/** --chrootdirs: tspod's /etc files (hosts, resolv.conf, hostname) mounted in each chroot too, as Podman does. */
function chrootDirs(s: Spec, dirs: string[]): void {
  const ours = s.mounts.filter((m) => m.type === 'bind' && OWN_FILES.includes(m.destination));
  for (const dir of dirs) s.mounts.push(...ours.map((m) => ({ ...m, destination: `${dir.replace(/\/+$/, '')}${m.destination}` })));
}

const OWN_FILES = ['/etc/hosts', '/etc/resolv.conf', '/etc/hostname'];

function replaceMount(s: Spec, destination: string, change: (m: Mount) => Mount | undefined): void {
  const i = s.mounts.findIndex((m) => m.destination === destination);
  if (i < 0) return;
  const next = change(s.mounts[i]);
  if (next) s.mounts[i] = next;
  else s.mounts.splice(i, 1);
}

function privileged(s: Spec, ctx: SecurityContext): void {
  delete s.linux.seccomp;
  s.linux.maskedPaths = [];
  s.linux.readonlyPaths = [];
  replaceMount(s, '/sys', (m) => ({ ...m, options: [...m.options.filter((o) => o !== 'ro'), 'rw'] }));
  const taken = new Set(s.mounts.map((m) => m.destination));
  const devs = ctx.privilegedDevices.filter((d) => !taken.has(d)).map((d) => bind(d, d, ['slave', 'nosuid', 'noexec', 'rw', 'rbind']));
  const afterDev = s.mounts.findIndex((m) => m.destination === '/dev') + 1;
  s.mounts.splice(afterDev, 0, ...devs);
}

/** Podman's filepath.Match: * and ? within one path element, [...] classes. */
function globMatch(pattern: string, p: string): boolean {
  const re = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\[!/g, '[^');
  try {
    return new RegExp(`^${re}$`).test(p);
  } catch {
    return false;
  }
}

function maskPaths(s: Spec, sec: SecuritySpec): void {
  const unmask = sec.unmask ?? [];
  const all = unmask.some((u) => u.toLowerCase() === 'all');
  const keep = (p: string) => !all && !unmask.some((u) => globMatch(u, p));
  if (s.linux.maskedPaths) s.linux.maskedPaths = s.linux.maskedPaths.filter(keep);
  if (s.linux.readonlyPaths) s.linux.readonlyPaths = s.linux.readonlyPaths.filter(keep);
  // Podman rootless with the host's PID namespace masks no more than its defaults (/proc is the host's).
  if (sec.mask?.length && sec.pid !== 'host') s.linux.maskedPaths = [...(s.linux.maskedPaths ?? []), ...sec.mask];
}

function namespaces(s: Spec, sec: SecuritySpec, ctx: SecurityContext): void {
  const ns = s.linux.namespaces;
  const drop = (type: string) => ns.splice(ns.findIndex((n) => n.type === type), 1);
  const join = (type: 'pid' | 'ipc' | 'uts') => {
    const n = ns.find((x) => x.type === type);
    if (n && ctx.nsPaths[type]) n.path = ctx.nsPaths[type];
  };
  if (sec.pid === 'host') {
    drop('pid');
    // A user namespace cannot mount a proc of the host's PID namespace: the host's /proc is bound, as Podman does.
    replaceMount(s, '/proc', () => bind('/proc', '/proc', ['rbind', 'nosuid', 'noexec', 'nodev']));
  } else join('pid');
  if (sec.ipc === 'host') {
    drop('ipc');
    replaceMount(s, '/dev/mqueue', () => (ctx.hostMqueue ? bind('/dev/mqueue', '/dev/mqueue', ['bind', 'nosuid', 'noexec', 'nodev']) : undefined));
    replaceMount(s, '/dev/shm', () => bind('/dev/shm', '/dev/shm', ['rbind', 'nosuid', 'noexec', 'nodev']));
  } else if (sec.ipc === 'none') {
    replaceMount(s, '/dev/shm', () => undefined);
  } else join('ipc');
  if (sec.uts === 'host') {
    drop('uts');
    delete s.hostname;
  } else {
    join('uts');
    // The runtime would set this name in the namespace joined: the other container's own name stays.
    if (ctx.nsPaths.uts) delete s.hostname;
  }
  if (sec.cgroupns === 'private' && ctx.cgroupsV2) ns.push({ type: 'cgroup' });
}

/** The cgroup settings of this area in linux.resources (cgroups v2 only: v1 rootless has no cgroup to write). */
function cgroupResources(s: Spec, sec: SecuritySpec): void {
  const r = (s.linux.resources ??= {});
  const memory = { ...((r.memory as object) ?? {}), ...(sec.memorySwappiness !== undefined ? { swappiness: sec.memorySwappiness } : {}), ...(sec.oomKillDisable ? { disableOOMKiller: true } : {}) };
  if (Object.keys(memory).length) r.memory = memory;
  const cpu = { ...((r.cpu as object) ?? {}), ...(sec.cpuRtPeriod !== undefined ? { realtimePeriod: sec.cpuRtPeriod } : {}), ...(sec.cpuRtRuntime !== undefined ? { realtimeRuntime: sec.cpuRtRuntime } : {}) };
  if (Object.keys(cpu).length) r.cpu = cpu;
  if (sec.cgroupConf) r.unified = { ...((r.unified as object) ?? {}), ...sec.cgroupConf };
  if (sec.rdtClass) s.linux.intelRdt = { closID: sec.rdtClass };
  if (!Object.keys(r).length) delete s.linux.resources;
}

const NATIVE_ARCH: Record<string, string> = { x64: 'SCMP_ARCH_X86_64', arm64: 'SCMP_ARCH_AARCH64', arm: 'SCMP_ARCH_ARM', ia32: 'SCMP_ARCH_X86', ppc64: 'SCMP_ARCH_PPC64LE', s390x: 'SCMP_ARCH_S390X', riscv64: 'SCMP_ARCH_RISCV64' };

type Rule = { names?: string[]; name?: string; action: string; errnoRet?: number; args?: unknown[]; includes?: Cond; excludes?: Cond };
type Cond = { caps?: string[]; arches?: string[]; minKernel?: string };

function kernelAtLeast(min: string): boolean {
  const [a, b] = os.release().split('.').map((x) => parseInt(x, 10));
  const [c, d] = min.split('.').map((x) => parseInt(x, 10));
  return a > c || (a === c && b >= (d || 0));
}

/**
 * A seccomp profile as the runtime takes it. Docker's format (containers/common's seccomp.json)
 * names architectures through archMap and makes rules depend on capabilities, architectures and
 * the kernel: only the rules that hold here are kept. A profile already in the runtime's form passes.
 */
export function ociSeccomp(profile: Record<string, unknown>, caps: string[], arch = process.arch): Record<string, unknown> {
  const native = NATIVE_ARCH[arch] ?? 'SCMP_ARCH_X86_64';
  const archMap = profile.archMap as Array<{ architecture: string; subArchitectures?: string[] }> | undefined;
  const architectures = archMap ? archMap.filter((a) => a.architecture === native).flatMap((a) => [a.architecture, ...(a.subArchitectures ?? [])]) : (profile.architectures as string[] | undefined);
  const short = (c: string) => c.replace(/^CAP_/, '');
  const have = new Set(caps.map(short));
  const applies = (r: Rule) => {
    const inc = r.includes ?? {};
    const exc = r.excludes ?? {};
    if (inc.arches?.length && !inc.arches.some((a) => native.endsWith(a.toUpperCase().replace(/^AMD64$/, 'X86_64')) || a === native)) return false;
    if (inc.caps?.length && !inc.caps.every((c) => have.has(short(c)))) return false;
    if (inc.minKernel && !kernelAtLeast(inc.minKernel)) return false;
    if (exc.arches?.some((a) => native.endsWith(a.toUpperCase().replace(/^AMD64$/, 'X86_64')) || a === native)) return false;
    if (exc.caps?.some((c) => have.has(short(c)))) return false;
    return true;
  };
  const syscalls = ((profile.syscalls as Rule[] | undefined) ?? []).filter(applies).map((r) => ({
    names: r.names ?? (r.name ? [r.name] : []),
    action: r.action,
    ...(r.errnoRet !== undefined ? { errnoRet: r.errnoRet } : {}),
    ...(r.args?.length ? { args: r.args } : {}),
  }));
  return {
    defaultAction: profile.defaultAction,
    ...(profile.defaultErrnoRet !== undefined ? { defaultErrnoRet: profile.defaultErrnoRet } : {}),
    ...(architectures?.length ? { architectures } : {}),
    ...(Array.isArray(profile.flags) && profile.flags.length ? { flags: profile.flags } : {}),
    syscalls,
  };
}

/** /run/.containerenv as Podman 5 writes it: empty unless privileged; graphRootMounted=1 when a mount holds the store. */
export function containerEnvText(privilegedInfo: { engine: string; name: string; id: string; image: string; imageId: string } | undefined, graphRootMounted: boolean): string {
  const flag = graphRootMounted ? 'graphRootMounted=1' : '';
  if (!privilegedInfo) return flag;
  const q = JSON.stringify;
  return `engine=${q(privilegedInfo.engine)}\nname=${q(privilegedInfo.name)}\nid=${q(privilegedInfo.id)}\nimage=${q(privilegedInfo.image)}\nimageid=${q(privilegedInfo.imageId)}\nrootless=1\n${flag}`;
}
