// Generates the OCI runtime config.json (runtime-spec 1.0) for a container, as Podman shapes it
// for a rootless container: tspod's user namespace is already entered, so the spec adds no user
// namespace of its own unless the container asks for one (--userns, --uidmap); Podman's default capabilities, masked and read-only paths, and a
// seccomp profile that refuses what an unprivileged container must not do. Pure: the caller
// resolves the user, prepares the rootfs and writes the file.
import { CannotInvokeError, InvalidArgumentError } from '../../src/errors';
import type { ContainerConfig } from '../image/image-changes';

/** Podman's default capability set (containers.conf default_capabilities). */
export const DEFAULT_CAPABILITIES = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];

const ALL_CAPABILITIES = [
  'AUDIT_CONTROL', 'AUDIT_READ', 'AUDIT_WRITE', 'BLOCK_SUSPEND', 'BPF', 'CHECKPOINT_RESTORE', 'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER',
  'FSETID', 'IPC_LOCK', 'IPC_OWNER', 'KILL', 'LEASE', 'LINUX_IMMUTABLE', 'MAC_ADMIN', 'MAC_OVERRIDE', 'MKNOD', 'NET_ADMIN', 'NET_BIND_SERVICE',
  'NET_BROADCAST', 'NET_RAW', 'PERFMON', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYSLOG', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_CHROOT', 'SYS_MODULE',
  'SYS_NICE', 'SYS_PACCT', 'SYS_PTRACE', 'SYS_RAWIO', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'WAKE_ALARM',
];

export const MASKED_PATHS = ['/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/fs/selinux', '/sys/dev/block'];
export const READONLY_PATHS = ['/proc/asound', '/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/**
 * System calls refused with EPERM: kernel modules, keyrings, clock and reboot, raw kernel memory,
 * NUMA policy, and namespace/mount manipulation without CAP_SYS_ADMIN (Docker's default profile
 * refuses the same family; everything else is allowed).
 */
export const SECCOMP_DENIED = [
  'acct', 'add_key', 'bpf', 'clock_adjtime', 'clock_settime', 'create_module', 'delete_module', 'finit_module', 'fsconfig', 'fsmount', 'fsopen', 'fspick',
  'get_kernel_syms', 'get_mempolicy', 'init_module', 'ioperm', 'iopl', 'kcmp', 'kexec_file_load', 'kexec_load', 'keyctl', 'lookup_dcookie', 'mbind',
  'mount', 'mount_setattr', 'move_mount', 'move_pages', 'name_to_handle_at', 'nfsservctl', 'open_by_handle_at', 'open_tree', 'perf_event_open',
  'pivot_root', 'process_vm_readv', 'process_vm_writev', 'query_module', 'quotactl', 'reboot', 'request_key', 'set_mempolicy', 'setns', 'settimeofday',
  'stime', 'swapoff', 'swapon', 'sysfs', '_sysctl', 'umount', 'umount2', 'unshare', 'uselib', 'userfaultfd', 'ustat', 'vm86', 'vm86old',
];

/**
 * The denied calls a capability gives back, as Podman's default profile allows them to a
 * container holding it (--cap-add SYS_ADMIN may mount, --cap-add SYS_TIME may set the clock).
 */
const ALLOWED_BY_CAPABILITY: Record<string, string[]> = {
  CAP_SYS_ADMIN: ['fsconfig', 'fsmount', 'fsopen', 'fspick', 'lookup_dcookie', 'mount', 'mount_setattr', 'move_mount', 'open_tree', 'perf_event_open', 'quotactl', 'setns', 'umount', 'umount2', 'unshare', 'pivot_root'],
  CAP_SYS_BOOT: ['reboot'],
  CAP_SYS_MODULE: ['delete_module', 'init_module', 'finit_module'],
  CAP_SYS_PACCT: ['acct'],
  CAP_SYS_PTRACE: ['kcmp', 'process_vm_readv', 'process_vm_writev'],
  CAP_SYS_RAWIO: ['iopl', 'ioperm'],
  CAP_SYS_TIME: ['settimeofday', 'stime', 'clock_settime', 'clock_adjtime'],
  CAP_SYS_NICE: ['get_mempolicy', 'mbind', 'set_mempolicy', 'move_pages'],
  CAP_DAC_READ_SEARCH: ['open_by_handle_at', 'name_to_handle_at'],
  CAP_BPF: ['bpf'],
  CAP_PERFMON: ['perf_event_open'],
};

/** SECCOMP_DENIED less what the process's capabilities give back. */
export function deniedSyscalls(caps: string[]): string[] {
  const back = new Set(caps.flatMap((c) => ALLOWED_BY_CAPABILITY[c] ?? []));
  return SECCOMP_DENIED.filter((n) => !back.has(n));
}

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  home: string;
}

export interface SpecInput {
  rootfs: string;
  readOnly: boolean;
  image: ContainerConfig;
  /** Arguments after the image on the command line (replace the image's Cmd). */
  command: string[];
  /** --entrypoint: undefined keeps the image's; [] clears it. */
  entrypoint?: string[];
  /** -e/--env-file values, KEY=VALUE, applied over the image's environment. */
  env: string[];
  workdir?: string;
  user: ResolvedUser;
  terminal: boolean;
  hostname: string;
  capAdd: string[];
  capDrop: string[];
  noNewPrivileges: boolean;
  /** 'private': runc makes a network namespace (loopback only); a path: join that one (slirp4netns, pasta, container:); 'host': the host's. */
  network: 'private' | 'host' | { path: string };
  /** Volumes, bind mounts and tmpfs, after tspod's own mounts (ordered parents first). */
  extraMounts?: Mount[];
  /** hosts is undefined with --no-hosts (the image's own /etc/hosts is kept). */
  /** hostname is undefined with --no-hostname (the image's own /etc/hostname is kept). */
  files: { hosts?: string; resolvConf: string; hostname?: string };
  /** Path of catatonit (--init): mounted at /run/tspod-init and run as PID 1. */
  init?: string;
  /**
   * RLIMIT_NOFILE for the container (soft = hard): a rootless user cannot raise its own hard limit,
   * so the caller passes its current one, as Podman does rootless. Omitted: inherited.
   */
  nofile?: number;
  /** linux.resources (cgroup limits), when they can be applied. */
  resources?: Record<string, unknown>;
  /** linux.cgroupsPath: the container's own cgroup (relative to the cgroup root), where one is delegated to the user. */
  cgroupsPath?: string;
  /** --ulimit: process.rlimits (a soft or hard -1 is unlimited); they replace the RLIMIT_NOFILE default when they name it. */
  rlimits?: Array<{ type: string; soft: number; hard: number }>;
  /** --shm-size in bytes (default 64 MiB). */
  shmSize?: number;
  sysctls?: Record<string, string>;
  annotations?: Record<string, string>;
  umask?: string;
  oomScoreAdj?: number;
  /** --tz: the host's zoneinfo file, mounted read-only at /etc/localtime. */
  localtime?: string;
  /** --unsetenv names, and --unsetenv-all (only -e's variables kept). */
  unsetEnv?: string[];
  unsetEnvAll?: boolean;
  /** A user namespace of the container's own (maps: container ID -> ID of tspod's namespace), or one joined by path. */
  userNamespace?: { path?: string; uidMappings?: IdMapping[]; gidMappings?: IdMapping[] };
}

export interface IdMapping {
  containerId: number;
  hostId: number;
  size: number;
}

/** The hard RLIMIT_NOFILE of this process, from the text of /proc/self/limits. */
export function hardNofile(limitsText: string): number | undefined {
  const line = limitsText.split('\n').find((l) => l.startsWith('Max open files'));
  const hard = line?.trim().split(/\s+/)[4];
  return hard && /^\d+$/.test(hard) ? Number(hard) : undefined;
}

function normalizeCap(c: string): string {
  const up = c.toUpperCase().replace(/^CAP_/, '');
  if (up !== 'ALL' && !ALL_CAPABILITIES.includes(up)) throw new InvalidArgumentError(`unknown capability "${c}": use names such as NET_ADMIN or CAP_SYS_TIME`);
  return up;
}

export function capabilities(add: string[], drop: string[]): string[] {
  const a = add.map(normalizeCap);
  const d = drop.map(normalizeCap);
  let caps = a.includes('ALL') ? [...ALL_CAPABILITIES] : [...new Set([...DEFAULT_CAPABILITIES, ...a])];
  caps = d.includes('ALL') ? a.filter((x) => x !== 'ALL') : caps.filter((c) => !d.includes(c));
  return caps.sort().map((c) => `CAP_${c}`);
}

/** Docker's rule: entrypoint + (command, else the image's Cmd unless the entrypoint was replaced). */
export function processArgs(image: ContainerConfig, command: string[], entrypoint?: string[]): string[] {
  const ep = entrypoint ?? image.Entrypoint ?? [];
  const cmd = command.length ? command : entrypoint !== undefined ? [] : (image.Cmd ?? []);
  const args = [...ep, ...cmd];
  if (args.length === 0) throw new InvalidArgumentError('no command specified: the image has neither Cmd nor Entrypoint; give a command after the image name');
  return args;
}

/** Image environment, then the user's; PATH defaulted, HOSTNAME and TERM set as Podman does. */
export function processEnv(image: ContainerConfig, env: string[], hostname: string, terminal: boolean, unset: { names?: string[]; all?: boolean } = {}): string[] {
  const map = new Map<string, string>();
  const put = (e: string) => {
    const eq = e.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`invalid environment entry "${e}": use KEY=VALUE`);
    map.set(e.slice(0, eq), e.slice(eq + 1));
  };
  if (!unset.all) {
    map.set('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    if (terminal) map.set('TERM', 'xterm');
    map.set('container', 'tspod');
    for (const e of image.Env ?? []) put(e);
    map.set('HOSTNAME', hostname);
  }
  for (const e of env) put(e);
  for (const n of unset.names ?? []) map.delete(n);
  return [...map.entries()].map(([k, v]) => `${k}=${v}`);
}

/** The largest user or group ID the runtime accepts. */
const MAX_ID = 2147483647;

/**
 * Numeric IDs in "user[:group]" out of the runtime's range (-1, 4294967295) are refused before
 * anything is made, with Podman's exit code (its runtime refuses them at start).
 */
export function checkUserIds(spec: string | undefined): void {
  for (const part of (spec ?? '').split(':').slice(0, 2)) {
    if (/^[-+]?\d+$/.test(part) && !(/^\d+$/.test(part) && Number(part) <= MAX_ID)) {
      throw new CannotInvokeError(`invalid user "${spec}": uids and gids must be in range 0-${MAX_ID}`);
    }
  }
}

/** Resolves "user[:group]" (names or numbers) against the rootfs's /etc/passwd and /etc/group texts. */
export function resolveUser(spec: string | undefined, passwd: string, group: string): ResolvedUser {
  checkUserIds(spec);
  const [u = '', g] = (spec ?? '').split(':');
  const users = passwd.split('\n').filter(Boolean).map((l) => l.split(':'));
  const groups = group.split('\n').filter(Boolean).map((l) => l.split(':'));
  let uid = 0;
  let gid = 0;
  let home = '/';
  let name = 'root';
  const byName = users.find((p) => p[0] === (u || 'root'));
  if (u === '' || byName) {
    if (byName) {
      uid = Number(byName[2]);
      gid = Number(byName[3]);
      home = byName[5] || '/';
      name = byName[0];
    }
  } else if (/^\d+$/.test(u)) {
    uid = Number(u);
    const byUid = users.find((p) => Number(p[2]) === uid);
    gid = byUid ? Number(byUid[3]) : uid;
    home = byUid?.[5] || '/';
    name = byUid?.[0] ?? '';
  } else {
    throw new CannotInvokeError(`unable to find user ${u}: no matching entries in the image's /etc/passwd`);
  }
  if (g !== undefined && g !== '') {
    if (/^\d+$/.test(g)) gid = Number(g);
    else {
      const grp = groups.find((x) => x[0] === g);
      if (!grp) throw new CannotInvokeError(`unable to find group ${g}: no matching entries in the image's /etc/group`);
      gid = Number(grp[2]);
    }
  }
  // As Podman and Docker: the primary group is a supplementary group too (id prints groups=GID(NAME)).
  const additionalGids = [...new Set([gid, ...(name ? groups.filter((x) => (x[3] ?? '').split(',').includes(name)).map((x) => Number(x[2])) : [])])];
  return { uid, gid, additionalGids, home };
}

export type Mount = { destination: string; type: string; source: string; options: string[] };

export function generateSpec(input: SpecInput): Record<string, unknown> {
  const caps = capabilities(input.capAdd, input.capDrop);
  const mounts: Mount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', shmSizeOption(input.shmSize ?? 65536 * 1024)] },
    // sysfs can be mounted only with a network namespace owned by the container's user namespace; otherwise bind the host's.
    input.network === 'private' || (input.network !== 'host' && !input.userNamespace)
      ? { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] }
      : { destination: '/sys', type: 'bind', source: '/sys', options: ['rbind', 'nosuid', 'noexec', 'nodev', 'ro'] },
    ...(input.files.hosts ? [{ destination: '/etc/hosts', type: 'bind', source: input.files.hosts, options: ['bind', 'rprivate'] }] : []),
    ...(input.localtime ? [{ destination: '/etc/localtime', type: 'bind', source: input.localtime, options: ['bind', 'rprivate', 'ro'] }] : []),
    { destination: '/etc/resolv.conf', type: 'bind', source: input.files.resolvConf, options: ['bind', 'rprivate'] },
    ...(input.files.hostname ? [{ destination: '/etc/hostname', type: 'bind', source: input.files.hostname, options: ['bind', 'rprivate'] }] : []),
  ];
  // A user's mount on a path of ours (/etc/hosts, say) replaces ours.
  const extra = input.extraMounts ?? [];
  const kept = mounts.filter((m) => !extra.some((e) => e.destination === m.destination));
  mounts.length = 0;
  mounts.push(...kept, ...[...extra].sort((a, b) => a.destination.split('/').length - b.destination.split('/').length));
  let args = processArgs(input.image, input.command, input.entrypoint);
  if (input.init) {
    mounts.push({ destination: '/run/tspod-init', type: 'bind', source: input.init, options: ['bind', 'ro'] });
    args = ['/run/tspod-init', '--', ...args];
  }
  const userns = input.userNamespace;
  // devpts's gid=5 (tty) must exist in the container's namespace, or the runtime cannot mount it.
  const devpts = mounts.find((m) => m.type === 'devpts');
  if (devpts && userns?.gidMappings && !userns.gidMappings.some((m) => m.containerId <= 5 && 5 < m.containerId + m.size)) devpts.options = devpts.options.filter((o) => o !== 'gid=5');
  const namespaces = [...(userns ? [{ type: 'user', ...(userns.path ? { path: userns.path } : {}) }] : []), { type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, ...(input.network === 'host' ? [] : [{ type: 'network', ...(typeof input.network === 'object' ? { path: input.network.path } : {}) }])];
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: input.terminal,
      user: { uid: input.user.uid, gid: input.user.gid, ...(input.user.additionalGids.length ? { additionalGids: input.user.additionalGids } : {}), ...(input.umask ? { umask: parseInt(input.umask, 8) } : {}) },
      args,
      env: processEnv(input.image, input.env, input.hostname, input.terminal, { names: input.unsetEnv, all: input.unsetEnvAll }),
      cwd: input.workdir || input.image.WorkingDir || '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      ...rlimits(input),
      ...(input.oomScoreAdj !== undefined ? { oomScoreAdj: input.oomScoreAdj } : {}),
      noNewPrivileges: input.noNewPrivileges,
    },
    root: { path: input.rootfs, readonly: input.readOnly },
    hostname: input.hostname,
    ...(input.annotations ? { annotations: input.annotations } : {}),
    mounts,
    linux: {
      ...(input.resources && Object.keys(input.resources).length ? { resources: input.resources } : {}),
      ...(input.cgroupsPath ? { cgroupsPath: input.cgroupsPath } : {}),
      namespaces,
      ...(userns?.uidMappings ? { uidMappings: ociIdMappings(userns.uidMappings), gidMappings: ociIdMappings(userns.gidMappings ?? []) } : {}),
      ...(input.sysctls && Object.keys(input.sysctls).length ? { sysctl: input.sysctls } : {}),
      maskedPaths: MASKED_PATHS,
      readonlyPaths: READONLY_PATHS,
      seccomp: {
        defaultAction: 'SCMP_ACT_ALLOW',
        architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32', 'SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
        syscalls: [{ names: deniedSyscalls(caps), action: 'SCMP_ACT_ERRNO', errnoRet: 1 }],
      },
    },
  };
}

function ociIdMappings(maps: IdMapping[]): Array<{ containerID: number; hostID: number; size: number }> {
  return maps.map((m) => ({ containerID: m.containerId, hostID: m.hostId, size: m.size }));
}

/** process.rlimits: the RLIMIT_NOFILE default, then --ulimit's (which replace it when they name it). */
function rlimits(input: SpecInput): { rlimits?: Array<{ type: string; soft: number; hard: number }> } {
  const given = input.rlimits ?? [];
  const out = [...(input.nofile && !given.some((r) => r.type === 'RLIMIT_NOFILE') ? [{ type: 'RLIMIT_NOFILE', hard: input.nofile, soft: input.nofile }] : []), ...given];
  return out.length ? { rlimits: out } : {};
}

/** /dev/shm's tmpfs size option for a size in bytes. */
export function shmSizeOption(bytes: number): string {
  return bytes % 1024 === 0 ? `size=${bytes / 1024}k` : `size=${bytes}`;
}

/** RLIM_INFINITY as the runtime reads it (an unsigned 64-bit number JSON numbers cannot carry). */
const RLIM_INFINITY = '18446744073709551615';

/** The spec as config.json text: an rlimit of -1 (unlimited) is written as RLIM_INFINITY. */
export function specJson(spec: Record<string, unknown>): string {
  return JSON.stringify(spec).replace(/"(soft|hard)":-1(?=[,}])/g, `"$1":${RLIM_INFINITY}`);
}

/** config.json text read back, RLIM_INFINITY as -1 again (exec writes the process back with specJson). */
export function parseSpecJson(text: string): unknown {
  return JSON.parse(text.replace(new RegExp(`"(soft|hard)":${RLIM_INFINITY}(?=[,}])`, 'g'), '"$1":-1'));
}
