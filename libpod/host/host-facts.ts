// The facts `podman info` reports beyond what containers need to run: the CPU's use since boot,
// swap, uptime, the cgroup controllers delegated to the user, AppArmor/SELinux/seccomp, the
// Debian or RPM package a program came from, and the store's filesystem. Each is a file read
// or one short subprocess; a fact this host does not have is reported empty, never made up.
import fs from 'node:fs';
import path from 'node:path';
import { findProgram, runQuiet } from './programs';

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Percentages of CPU time since boot, from /proc/stat's cpu line (as Podman computes them). */
export function cpuUtilization(stat = read('/proc/stat')): { userPercent: number; systemPercent: number; idlePercent: number } {
  const f = (/^cpu\s+(.*)$/m.exec(stat)?.[1] ?? '').trim().split(/\s+/).map(Number);
  const total = f.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  const pct = (n: number) => (total > 0 ? Math.round((n / total) * 10000) / 100 : 0);
  return { userPercent: pct((f[0] ?? 0) + (f[1] ?? 0)), systemPercent: pct(f[2] ?? 0), idlePercent: pct(f[3] ?? 0) };
}

/** SwapFree and SwapTotal in bytes, from /proc/meminfo. */
export function swap(meminfo = read('/proc/meminfo')): { swapFree: number; swapTotal: number } {
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(meminfo)?.[1] ?? 0) * 1024;
  return { swapFree: kb('SwapFree'), swapTotal: kb('SwapTotal') };
}

/** Podman's uptime text: `5h 12m 29.00s (Approximately 0.21 days)`, from /proc/uptime. */
export function uptime(text = read('/proc/uptime')): string {
  const secs = Number.parseFloat(text);
  if (!Number.isFinite(secs)) return '';
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  return `${h}h ${m}m ${(secs % 60).toFixed(2)}s (Approximately ${(secs / 86400).toFixed(2)} days)`;
}

/**
 * The cgroup controllers this user can use: with cgroups v2 those of the cgroup it runs in
 * (what was delegated); with v1 none, for a rootless user, as Podman reports.
 */
export function cgroupControllers(version: 'v1' | 'v2', rootless: boolean, cgroupRoot = '/sys/fs/cgroup'): string[] {
  if (version === 'v1') return rootless ? [] : read('/proc/cgroups').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t')[0]);
  const own = /^0::(.*)$/m.exec(read('/proc/self/cgroup'))?.[1] ?? '/';
  const text = read(path.join(cgroupRoot, own, 'cgroup.controllers')) || read(path.join(cgroupRoot, 'cgroup.controllers'));
  return text.trim().split(/\s+/).filter(Boolean);
}

/** AppArmor (never for a rootless user, as Podman's check says), SELinux, and seccomp as this kernel has them. */
export function securityFacts(rootless: boolean): { apparmorEnabled: boolean; selinuxEnabled: boolean; seccompEnabled: boolean } {
  return {
    apparmorEnabled: !rootless && read('/sys/module/apparmor/parameters/enabled').trim() === 'Y',
    selinuxEnabled: fs.existsSync('/sys/fs/selinux/enforce'),
    seccompEnabled: /^Seccomp:\s*\d/m.test(read('/proc/self/status')),
  };
}

/** The package that installed a file, as Podman names it: `runc_1.1.5+ds1-1_amd64` (dpkg) or rpm's NVRA; '' when none owns it. */
export function packageOf(file: string | null): Promise<string> {
  if (!file) return Promise.resolve('');
  // Once per file and process: the API service answers /info often (testcontainers asks at each
  // start) and the package database is slow to ask (2-4 s for the four programs).
  let known = PACKAGES.get(file);
  if (!known) PACKAGES.set(file, (known = lookUpPackage(file)));
  return known;
}

const PACKAGES = new Map<string, Promise<string>>();

async function lookUpPackage(file: string): Promise<string> {
  const real = fs.realpathSync.native(file);
  const rpm = findProgram('rpm');
  if (rpm) {
    const r = await runQuiet(rpm, ['-qf', '--queryformat', '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}', real]);
    if (r?.code === 0) return r.output.trim();
  }
  const dpkg = findProgram('dpkg-query');
  if (!dpkg) return '';
  for (const candidate of [...new Set([file, real])]) {
    const owner = await runQuiet(dpkg, ['-S', candidate]);
    const name = owner?.code === 0 ? owner.output.split(':')[0].trim() : '';
    if (!name) continue;
    const v = await runQuiet(dpkg, ['-W', '-f', '${Package}_${Version}_${Architecture}', name]);
    if (v?.code === 0) return v.output.trim();
  }
  return '';
}

const FS_NAMES: Record<number, string> = { 0xef53: 'extfs', 0x58465342: 'xfs', 0x9123683e: 'btrfs', 0x01021994: 'tmpfs', 0x65735546: 'fuseblk', 0x794c7630: 'overlayfs', 0x2fc12fc1: 'zfs', 0x6969: 'nfs' };

/** The store's filesystem: its size and use in bytes, and Podman's name for its type. */
export function storeFilesystem(dir: string): { allocated: number; used: number; backing: string } {
  try {
    const s = fs.statfsSync(dir);
    return { allocated: s.blocks * s.bsize, used: (s.blocks - s.bfree) * s.bsize, backing: FS_NAMES[s.type] ?? `0x${s.type.toString(16)}` };
  } catch {
    return { allocated: 0, used: 0, backing: '' };
  }
}

export interface InfoFacts {
  cgroupControllers: string[];
  cpuUtilization: ReturnType<typeof cpuUtilization>;
  swap: ReturnType<typeof swap>;
  uptime: string;
  security: ReturnType<typeof securityFacts>;
  packages: { ociRuntime: string; slirp4netns: string; pasta: string; monitor: string };
  storeFs: ReturnType<typeof storeFilesystem>;
}

/** What `info` adds to the host facts: the programs' packages looked up in parallel. */
export async function gatherInfoFacts(host: { cgroupVersion: 'v1' | 'v2'; rootless: boolean; ociRuntime: { path: string | null }; slirp4netns: { path: string | null }; pasta: { path: string | null } }, monitor: string, storeDir: string): Promise<InfoFacts> {
  const [ociRuntime, slirp4netns, pasta, monitorPackage] = await Promise.all([packageOf(host.ociRuntime.path), packageOf(host.slirp4netns.path), packageOf(host.pasta.path), packageOf(fs.existsSync(monitor) ? monitor : null)]);
  return {
    cgroupControllers: cgroupControllers(host.cgroupVersion, host.rootless),
    cpuUtilization: cpuUtilization(),
    swap: swap(),
    uptime: uptime(),
    security: securityFacts(host.rootless),
    packages: { ociRuntime, slirp4netns, pasta, monitor: monitorPackage },
    storeFs: storeFilesystem(storeDir),
  };
}
