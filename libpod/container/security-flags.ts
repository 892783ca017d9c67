// create's and run's privilege, device, security, namespace and spec-shaping flags (--privileged,
// --device, --security-opt, --pid/--ipc/--uts/--cgroupns, --systemd, --hosts-file, ...) checked as
// Podman 5 checks them, into the container's spec (SecuritySpec). Rootless there is no device
// cgroup and, on cgroups v1, no cgroup at all: what cannot be applied is refused or recorded with
// Podman's words. The runtime spec is shaped from SecuritySpec in oci/security-spec.ts.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { InvalidArgumentError, InvalidStateError } from '../../src/errors';
import { readIfExists } from '../../src/files';
import { log } from '../../src/log';
import { CGROUP_V1_ROOTLESS_WARNING, cgroupsV2, sizeFlag } from './resource-flags';

/** The flags as given on the command line (--security-opt is CreateOptions.securityOpt). */
export interface SecurityOptions {
  privileged?: boolean;
  devices?: string[];
  deviceCgroupRules?: string[];
  seccompPolicy?: string;
  pid?: string;
  ipc?: string;
  uts?: string;
  cgroupns?: string;
  cgroups?: string;
  cgroupParent?: string;
  cgroupConf?: string[];
  systemd?: string;
  readOnlyTmpfs?: boolean;
  hostsFile?: string;
  noHostname?: boolean;
  imageVolume?: string;
  chrootDirs?: string[];
  initPath?: string;
  personality?: string;
  oomKillDisable?: boolean;
  memorySwappiness?: string;
  cpuRtPeriod?: string;
  cpuRtRuntime?: string;
  rdtClass?: string;
  shmSizeSystemd?: string;
}

/** A --device: the host node, where it appears, and r/w/m. */
export interface DeviceMapping {
  source: string;
  destination: string;
  permissions: string;
}

/** A seccomp profile read at create (so that a later change of the file changes nothing). */
export interface SeccompProfile {
  path: string;
  profile: Record<string, unknown>;
}

/** What the container keeps of these flags; absent fields are Podman's defaults. */
export interface SecuritySpec {
  privileged?: boolean;
  devices?: DeviceMapping[];
  /** 'unconfined': no filter; a profile: that one; absent: tspod's default. */
  seccomp?: 'unconfined' | SeccompProfile;
  seccompPolicy?: 'default' | 'image';
  /** label=... values (no SELinux here: stored and shown, as Podman does with labeling off). */
  labelOpts?: string[];
  labelNested?: boolean;
  apparmor?: string;
  mask?: string[];
  unmask?: string[];
  procOpts?: string[];
  /** host, private, container:<id>, ns:<path>; ipc also shareable, none. */
  pid?: string;
  ipc?: string;
  uts?: string;
  /** With --uts container:NAME: that container's host name, which this one shares. */
  joinedHostname?: string;
  cgroupns?: string;
  cgroups?: string;
  cgroupParent?: string;
  cgroupConf?: Record<string, string>;
  /** --systemd as given, and whether systemd mode is on (decided from the command at create). */
  systemd?: string;
  systemdMode?: boolean;
  readOnlyTmpfs?: boolean;
  hostsFile?: string;
  noHostname?: boolean;
  imageVolume?: 'anonymous' | 'tmpfs' | 'ignore';
  chrootDirs?: string[];
  initPath?: string;
  personality?: string;
  oomKillDisable?: boolean;
  memorySwappiness?: number;
  cpuRtPeriod?: number;
  cpuRtRuntime?: number;
  rdtClass?: string;
  shmSizeSystemd?: number;
}

/** Podman's parse of one --device value: SOURCE[:DEST][:PERMS]. */
export function parseDevice(value: string): DeviceMapping {
  const parts = value.split(':');
  if (parts.length > 3) throw new InvalidArgumentError(`invalid device specification: ${value}: use HOST-DEVICE[:CONTAINER-DEVICE][:PERMISSIONS]`);
  let [source, second, third] = parts;
  let destination = source;
  let permissions = 'rwm';
  if (third !== undefined) {
    if (third === '') throw new InvalidArgumentError(`empty device mode in device specification: ${value}: give r, w and/or m`);
    if (!validDeviceMode(third)) throw new InvalidArgumentError(`invalid device mode "${third}" in device "${value}": give r, w and/or m`);
    permissions = third;
  }
  if (second !== undefined) {
    if (validDeviceMode(second)) permissions = second;
    else if (second !== '' && !second.startsWith('/')) throw new InvalidArgumentError(`invalid device mode "${second}" in device "${value}": give r, w and/or m, or an absolute path in the container`);
    else if (second !== '') destination = second;
  }
  if (!source) throw new InvalidArgumentError(`invalid device specification: ${value}: the host device is missing`);
  source = path.normalize(source);
  return { source, destination, permissions };
}

function validDeviceMode(mode: string): boolean {
  return mode !== '' && /^[rwm]+$/.test(mode) && new Set(mode).size === mode.length;
}

/**
 * The device nodes a --device value names on this host (a directory: every node below it), each
 * checked: it exists, is a device, and this user may open it as asked (rootless, the node is bound
 * into the container, so a node the user cannot open would only fail inside it).
 */
export function hostDevices(value: string): DeviceMapping[] {
  const d = parseDevice(value);
  let real = d.source;
  let st: fs.Stats;
  try {
    real = fs.realpathSync(d.source);
    st = fs.statSync(real);
  } catch (err) {
    throw new InvalidArgumentError(`stat ${d.source}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}: name a device of this host`);
  }
  const out: DeviceMapping[] = [];
  if (st.isDirectory()) {
    for (const node of deviceNodesUnder(real)) out.push({ source: node, destination: path.join(d.destination, path.relative(real, node)), permissions: d.permissions });
    if (!out.length) throw new InvalidArgumentError(`no devices found in ${d.source}: name a device or a directory of devices`);
  } else if (st.isCharacterDevice() || st.isBlockDevice()) {
    out.push({ ...d, source: real });
  } else {
    throw new InvalidArgumentError(`${d.source} is not a valid device: not a device node: name a character or block device`);
  }
  for (const dev of out) {
    const mode = (dev.permissions.includes('r') ? fs.constants.R_OK : 0) | (dev.permissions.includes('w') ? fs.constants.W_OK : 0);
    try {
      if (mode) fs.accessSync(dev.source, mode);
    } catch {
      throw new InvalidArgumentError(`${dev.source} is not a valid device: permission denied: a rootless container can only use the devices its user may open (ls -l ${dev.source}); ask for fewer permissions (:r) or give the user access`);
    }
  }
  return out;
}

/** Device nodes under a directory (recursively; symbolic links not followed). */
function deviceNodesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...deviceNodesUnder(p));
    else if (e.isCharacterDevice() || e.isBlockDevice()) out.push(p);
  }
  return out;
}

/** Directories of /dev that hold no devices to hand a privileged container (Podman skips the same). */
const PRIVILEGED_SKIP = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts']);

/**
 * The host's device nodes a rootless --privileged container gets bound in, as Podman gives them:
 * all of /dev except the console ones (/dev/ptmx, /dev/tty, /dev/ttyN) and what PRIVILEGED_SKIP names.
 */
export function privilegedDevices(dev = '/dev'): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a directory we may not read: its nodes are not ours to give
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!PRIVILEGED_SKIP.has(e.name)) walk(p);
      } else if ((e.isCharacterDevice() || e.isBlockDevice()) && p !== '/dev/ptmx' && p !== '/dev/tty' && !/^\/dev\/tty\d+$/.test(p) && p !== '/dev/console') {
        out.push(p);
      }
    }
  };
  walk(dev);
  return out;
}

/** A namespace flag: host, private, container:NAME, ns:PATH (and for --ipc shareable and none), as Podman parses it. */
function namespaceFlag(flag: string, value: string | undefined, resolve: (name: string) => string, extra: string[] = []): string | undefined {
  if (value === undefined) return undefined;
  if (value === '' || value === 'private') return 'private';
  if (value === 'host' || extra.includes(value)) return value;
  if (value.startsWith('container:')) {
    const name = value.slice('container:'.length);
    if (!name) throw new InvalidArgumentError(`namespace mode container requires a value: use ${flag} container:NAME`);
    return `container:${resolve(name)}`;
  }
  if (value.startsWith('ns:')) {
    const p = value.slice(3);
    if (!p) throw new InvalidArgumentError(`namespace mode path requires a value: use ${flag} ns:PATH`);
    if (!fs.existsSync(p)) throw new InvalidArgumentError(`cannot find specified ${flag.slice(2)} namespace path "${p}": name an existing namespace file such as /proc/PID/ns/${flag.slice(2)}`);
    return value;
  }
  if (['none', 'bridge', 'slirp4netns', 'pasta'].includes(value) || value.startsWith('slirp4netns:') || value.startsWith('pasta:')) throw new InvalidArgumentError(`cannot use network modes with non-network namespace: ${flag} ${value}`);
  throw new InvalidArgumentError(`unrecognized namespace mode ${value} passed: use host, private, container:NAME or ns:PATH${extra.length ? ` (or ${extra.join(', ')})` : ''}`);
}

/** --security-opt, as Podman 5 reads it (KEY=VALUE, or Docker's KEY:VALUE). */
function securityOpts(values: string[], sec: SecuritySpec): boolean {
  let noNewPrivileges = false;
  for (const opt of values) {
    const sep = opt.includes('=') ? '=' : ':';
    const at = opt.indexOf(sep);
    const key = at < 0 ? opt : opt.slice(0, at);
    const val = at < 0 ? undefined : opt.slice(at + 1);
    if (val === undefined && key !== 'no-new-privileges') throw new InvalidArgumentError(`invalid --security-opt 1: "${opt}": use KEY=VALUE (seccomp=, label=, apparmor=, mask=, unmask=, proc-opts=, systempaths=unconfined, no-new-privileges)`);
    switch (key) {
      case 'apparmor':
        sec.apparmor = val;
        break;
      case 'label':
        if (val === 'nested') sec.labelNested = true;
        else if (val === 'disable' || /^(user|role|type|level|filetype):./.test(val!)) sec.labelOpts = [...(sec.labelOpts ?? []), val!];
        else throw new InvalidArgumentError(`invalid --security-opt label=${val}: use label=disable, label=nested, or label=user:|role:|type:|level:|filetype:VALUE`);
        break;
      case 'mask':
        sec.mask = [...(sec.mask ?? []), ...absolutePaths(val!, opt)];
        break;
      case 'unmask':
        sec.unmask = [...(sec.unmask ?? []), ...val!.split(':').filter(Boolean)];
        break;
      case 'proc-opts':
        sec.procOpts = val!.split(',');
        break;
      case 'seccomp':
        sec.seccomp = val === 'unconfined' ? 'unconfined' : readSeccompProfile(val!);
        break;
      case 'systempaths':
        if (val !== 'unconfined') throw new InvalidArgumentError(`invalid systempaths option "${val}", only \`unconfined\` is supported`);
        sec.unmask = [...(sec.unmask ?? []), 'ALL'];
        break;
      case 'no-new-privileges':
        if (val === undefined || ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(val)) noNewPrivileges = true;
        else if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(val)) noNewPrivileges = false;
        else throw new InvalidArgumentError(`invalid --security-opt 2: "${opt}": no-new-privileges takes true or false`);
        break;
      default:
        throw new InvalidArgumentError(`invalid --security-opt 2: "${opt}": use seccomp=, label=, apparmor=, mask=, unmask=, proc-opts=, systempaths=unconfined or no-new-privileges`);
    }
  }
  return noNewPrivileges;
}

function absolutePaths(value: string, opt: string): string[] {
  const paths = value.split(':').filter(Boolean);
  const bad = paths.find((p) => !p.startsWith('/'));
  if (bad !== undefined) throw new InvalidArgumentError(`invalid --security-opt ${opt}: path "${bad}" is not an absolute path`);
  return paths;
}

/** A seccomp profile file read and checked now (Docker's format, as containers/common writes it, or the runtime spec's). */
export function readSeccompProfile(file: string): SeccompProfile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidArgumentError(`opening seccomp profile failed: open ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}: give the path of a JSON profile, or seccomp=unconfined`);
  }
  let profile: unknown;
  try {
    profile = JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError(`decoding seccomp profile failed: ${file}: ${(err as Error).message}`);
  }
  if (!profile || typeof profile !== 'object' || Array.isArray(profile) || typeof (profile as { defaultAction?: unknown }).defaultAction !== 'string') {
    throw new InvalidArgumentError(`decoding seccomp profile failed: ${file}: a profile is a JSON object with a defaultAction`);
  }
  return { path: path.resolve(file), profile: profile as Record<string, unknown> };
}

function wholeNumber(value: string | undefined, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`invalid argument "${value}" for "${flag}" flag: give a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`);
  return Number(value);
}

/** Every flag of this area checked (nothing is pulled or written yet); resolve names a container by name or ID. */
export function checkSecurity(o: SecurityOptions, securityOpt: string[], resolve: (name: string) => string, hostnameOf: (id: string) => string, others: { hostname?: string; shmSize?: string; noHosts?: boolean; runtime?: string } = {}): { security: SecuritySpec; noNewPrivileges: boolean } {
  const sec: SecuritySpec = {};
  const noNewPrivileges = securityOpts(securityOpt, sec);
  if (o.privileged) sec.privileged = true;
  if (o.deviceCgroupRules?.length) throw new InvalidArgumentError('device cgroup rules are not supported in rootless mode or in a user namespace: pass the device itself with --device');
  const devices = (o.devices ?? []).flatMap(hostDevices);
  if (devices.length) sec.devices = devices;
  if (o.seccompPolicy !== undefined) {
    if (o.seccompPolicy !== 'default' && o.seccompPolicy !== 'image') throw new InvalidArgumentError(`invalid seccomp policy "${o.seccompPolicy}": valid policies are ["default" "image"]`);
    sec.seccompPolicy = o.seccompPolicy;
  }
  sec.pid = namespaceFlag('--pid', o.pid, resolve);
  sec.ipc = namespaceFlag('--ipc', o.ipc, resolve, ['shareable', 'none']);
  sec.uts = namespaceFlag('--uts', o.uts, resolve);
  if (sec.uts?.startsWith('container:')) sec.joinedHostname = hostnameOf(sec.uts.slice('container:'.length));
  if (o.cgroupns !== undefined) {
    if (!['host', 'private', ''].includes(o.cgroupns)) throw new InvalidArgumentError(`unrecognized cgroup namespace mode ${o.cgroupns} passed: use host or private`);
    // Podman: on cgroups v1 the cgroup namespace is always the host's.
    sec.cgroupns = cgroupsV2() ? o.cgroupns || 'private' : 'host';
  }
  if (o.cgroups !== undefined) {
    if (!['enabled', 'disabled', 'no-conmon', 'split'].includes(o.cgroups)) throw new InvalidArgumentError(`invalid cgroup mode "${o.cgroups}": use enabled, disabled, no-conmon or split`);
    sec.cgroups = o.cgroups;
  }
  if (o.cgroupParent !== undefined) sec.cgroupParent = o.cgroupParent;
  if (o.cgroupConf?.length) {
    sec.cgroupConf = {};
    for (const kv of o.cgroupConf) {
      const eq = kv.indexOf('=');
      if (eq < 0) throw new InvalidArgumentError(`--cgroup-conf must be formatted KEY=VALUE: "${kv}"`);
      sec.cgroupConf[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
  }
  if (o.systemd !== undefined) {
    if (!['true', 'false', 'always'].includes(o.systemd.toLowerCase())) throw new InvalidArgumentError('--systemd values must be one of "true, false, always": invalid configuration');
    sec.systemd = o.systemd.toLowerCase();
  }
  if (o.readOnlyTmpfs === false) sec.readOnlyTmpfs = false;
  if (others.hostname !== undefined && sec.uts && sec.uts !== 'private') throw new InvalidArgumentError(`cannot set hostname when running in the ${sec.uts === 'host' ? 'host UTS namespace' : "UTS namespace of another"}: drop --hostname or --uts`);
  if (others.shmSize !== undefined && (sec.ipc === 'host' || sec.ipc === 'none')) throw new InvalidArgumentError(`cannot set shmsize when running in the ${sec.ipc} IPC Namespace: drop --shm-size or --ipc ${sec.ipc}`);
  if (others.noHosts && o.hostsFile !== undefined) throw new InvalidArgumentError('--no-hosts and --hosts-file cannot be set together: drop one of them');
  checkFiles(o, sec);
  if (sec.personality && others.runtime) checkPersonalityRuntime(others.runtime);
  checkCgroupish(o, sec);
  for (const k of Object.keys(sec) as Array<keyof SecuritySpec>) if (sec[k] === undefined) delete sec[k];
  return { security: sec, noNewPrivileges };
}

/** --hosts-file, --no-hostname, --image-volume, --chrootdirs, --init-path, --personality. */
function checkFiles(o: SecurityOptions, sec: SecuritySpec): void {
  if (o.hostsFile !== undefined) {
    if (o.hostsFile !== 'none' && o.hostsFile !== 'image' && o.hostsFile !== '') {
      if (!path.isAbsolute(o.hostsFile) && !fs.existsSync(o.hostsFile)) throw new InvalidArgumentError(`invalid --hosts-file "${o.hostsFile}": give a path, none or image`);
      if (!fs.existsSync(o.hostsFile)) throw new InvalidArgumentError(`--hosts-file ${o.hostsFile}: no such file or directory: give an existing file, none or image`);
      sec.hostsFile = path.resolve(o.hostsFile);
    } else if (o.hostsFile) sec.hostsFile = o.hostsFile;
  }
  if (o.noHostname) sec.noHostname = true;
  if (o.imageVolume !== undefined) {
    const mode = o.imageVolume.toLowerCase() === 'bind' ? 'anonymous' : o.imageVolume.toLowerCase();
    if (!['anonymous', 'tmpfs', 'ignore'].includes(mode)) throw new InvalidArgumentError(`invalid ImageVolumeMode "${o.imageVolume}", value must be one of ignore,tmpfs,anonymous (or bind)`);
    sec.imageVolume = mode as SecuritySpec['imageVolume'];
  }
  if (o.chrootDirs?.length) {
    const bad = o.chrootDirs.find((d) => !d.startsWith('/'));
    if (bad !== undefined) throw new InvalidArgumentError(`invalid --chrootdirs "${bad}": give an absolute path inside the container`);
    sec.chrootDirs = o.chrootDirs;
  }
  if (o.initPath !== undefined) {
    if (!fs.existsSync(o.initPath)) throw new InvalidArgumentError(`--init-path ${o.initPath}: no such file or directory: give the path of an init binary such as catatonit`);
    sec.initPath = path.resolve(o.initPath);
  }
  if (o.personality !== undefined) {
    if (o.personality !== 'LINUX' && o.personality !== 'LINUX32') throw new InvalidArgumentError(`invalid --personality "${o.personality}": use LINUX or LINUX32`);
    sec.personality = o.personality;
  }
}

/** runc before 1.2 ignores linux.personality without a word: refused rather than silently not applied. */
function checkPersonalityRuntime(runtime: string): void {
  if (path.basename(runtime) !== 'runc') return;
  const out = spawnSync(runtime, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  const m = /runc version (\d+)\.(\d+)/.exec(out);
  if (m && (Number(m[1]) < 1 || (Number(m[1]) === 1 && Number(m[2]) < 2))) {
    throw new InvalidArgumentError(`--personality is not supported by runc ${out.split('\n')[0].replace('runc version ', '')}: it ignores the execution domain (runc 1.2 or crun set it): use --runtime crun, or drop --personality`);
  }
}

/** The cgroup settings of this area: checked and kept; rootless on cgroups v1 they cannot apply (Podman's warning). */
function checkCgroupish(o: SecurityOptions, sec: SecuritySpec): void {
  if (o.oomKillDisable) sec.oomKillDisable = true;
  const swappiness = wholeNumber(o.memorySwappiness, '--memory-swappiness', -1, 100);
  if (swappiness !== undefined && swappiness >= 0) sec.memorySwappiness = swappiness;
  sec.cpuRtPeriod = wholeNumber(o.cpuRtPeriod, '--cpu-rt-period', 0);
  sec.cpuRtRuntime = wholeNumber(o.cpuRtRuntime, '--cpu-rt-runtime', -1);
  if (o.rdtClass !== undefined) {
    if (!fs.existsSync('/sys/fs/resctrl')) throw new InvalidArgumentError(`--rdt-class ${o.rdtClass}: this host has no Intel RDT (no /sys/fs/resctrl): drop --rdt-class`);
    sec.rdtClass = o.rdtClass;
  }
  if (o.shmSizeSystemd !== undefined) sec.shmSizeSystemd = sizeFlag(o.shmSizeSystemd, 'shm-size-systemd');
  const cgroupish = sec.oomKillDisable || sec.memorySwappiness !== undefined || sec.cpuRtPeriod !== undefined || sec.cpuRtRuntime !== undefined || sec.cgroupConf;
  if (cgroupish && !cgroupsV2()) log.warn(CGROUP_V1_ROOTLESS_WARNING);
}

/** Podman's systemd mode: always; or true (the default) with init or systemd as the command. */
export function systemdMode(setting: string | undefined, args: string[]): boolean {
  if (setting === 'always') return true;
  if (setting === 'false' || !args.length) return false;
  const cmd = args.length > 2 && args[0] === '/bin/sh' && args[1] === '-c' ? args.slice(2) : args;
  return ['/sbin/init', '/usr/sbin/init', '/usr/local/sbin/init'].includes(cmd[0]) || path.basename(cmd[0]) === 'systemd';
}

/** The container's SecuritySpec once its image and command are known: systemd mode, --seccomp-policy=image. */
export function finishSecurity(sec: SecuritySpec, args: string[], imageLabels: Record<string, string> | undefined): SecuritySpec | undefined {
  const out: SecuritySpec = { ...sec };
  if (systemdMode(sec.systemd, args)) out.systemdMode = true;
  const fromImage = imageLabels?.['io.containers.seccomp.profile'];
  if (sec.seccompPolicy === 'image' && fromImage && sec.seccomp === undefined) {
    try {
      out.seccomp = { path: 'image', profile: JSON.parse(fromImage) as Record<string, unknown> };
    } catch (err) {
      throw new InvalidArgumentError(`decoding the image's seccomp profile (label io.containers.seccomp.profile) failed: ${(err as Error).message}: use --seccomp-policy=default`);
    }
  }
  return Object.keys(out).length ? out : undefined;
}

/** What namespace joining needs to know of another container. */
export interface NamespaceOwner {
  name: string;
  state: string;
  pid?: number;
}

/**
 * The namespace files a container joins at start: ns:PATH as given, container:ID as that
 * container's /proc/PID/ns/TYPE (it must be running, as for --network container:).
 */
export function namespacePaths(sec: SecuritySpec | undefined, owner: (id: string) => NamespaceOwner, self: string): Partial<Record<'pid' | 'ipc' | 'uts', string>> {
  const out: Partial<Record<'pid' | 'ipc' | 'uts', string>> = {};
  for (const type of ['pid', 'ipc', 'uts'] as const) {
    const mode = sec?.[type];
    if (mode?.startsWith('ns:')) out[type] = mode.slice(3);
    else if (mode?.startsWith('container:')) {
      const other = owner(mode.slice('container:'.length));
      if (other.state !== 'running' || !other.pid) throw new InvalidStateError(`${self} joins the ${type} namespace of ${other.name}, which is ${other.state}: start ${other.name} first`);
      out[type] = `/proc/${other.pid}/ns/${type}`;
    }
  }
  return out;
}

/** The base of /etc/hosts for --hosts-file: a file's text, nothing (none), the image's own (image); undefined: tspod's default. */
export function baseHosts(hostsFile: string | undefined, rootfs: string): string | undefined {
  if (hostsFile === undefined) return undefined;
  if (hostsFile === 'none') return '';
  return readIfExists(hostsFile === 'image' ? path.join(rootfs, 'etc/hosts') : hostsFile);
}

/** inspect's HostConfig fields of this area, where Podman 5 shows them. */
export function inspectSecurity(sec: SecuritySpec = {}, noNewPrivileges = false): Record<string, unknown> {
  const securityOpt = [
    ...(noNewPrivileges ? ['no-new-privileges'] : []),
    ...(sec.labelOpts?.length ? [`label=${sec.labelOpts.join(',label=')}`] : []),
    // The image's profile (--seccomp-policy=image) is no --security-opt: Podman shows none for it.
    ...(sec.seccomp && (sec.seccomp === 'unconfined' || sec.seccomp.path !== 'image') ? [`seccomp=${sec.seccomp === 'unconfined' ? 'unconfined' : sec.seccomp.path}`] : []),
    ...(sec.apparmor ? [`apparmor=${sec.apparmor}`] : []),
    ...(sec.privileged || sec.unmask?.some((u) => u.toLowerCase() === 'all') ? ['unmask=all'] : []),
  ];
  return {
    SecurityOpt: securityOpt,
    Privileged: sec.privileged ?? false,
    Devices: (sec.devices ?? []).map((d) => ({ PathOnHost: d.source, PathInContainer: d.destination, CgroupPermissions: d.permissions })),
    PidMode: sec.pid ?? 'private',
    IpcMode: sec.ipc ?? 'shareable',
    UTSMode: sec.uts ?? 'private',
    CgroupMode: sec.cgroupns ?? (cgroupsV2() ? 'private' : 'host'),
    Cgroups: sec.cgroups === 'disabled' ? 'disabled' : 'default',
    CgroupParent: sec.cgroupParent ?? '',
    HostsFile: sec.hostsFile ?? '',
    MemorySwappiness: sec.memorySwappiness ?? 0,
    OomKillDisable: sec.oomKillDisable ?? false,
    CpuRealtimePeriod: sec.cpuRtPeriod ?? 0,
    CpuRealtimeRuntime: sec.cpuRtRuntime ?? 0,
    CgroupConf: sec.cgroupConf ?? null,
  };
}
