// Turns HostInfo into a list of checks, each ok / warning / error with the exact fix. Pure, so
// every failure message is unit-tested; `tspod system check` prints them and fails on any error.
import type { Config } from '../config/config';
import type { HostInfo, DeviceInfo } from './host-info';
import { usermodFix } from '../rootless/subid';
import { delegateHint } from './cgroup-delegation';

export type Severity = 'ok' | 'warning' | 'error';

export interface Check {
  name: string;
  severity: Severity;
  message: string;
  fix?: string;
}

const pkg = (name: string) => `sudo apt-get install ${name}   (Debian/Ubuntu; on Fedora: sudo dnf install ${name})`;

function deviceCheck(dev: DeviceInfo, user: string, neededBy: string, pkgName: string): Check {
  const name = dev.path;
  if (!dev.exists) return { name, severity: 'error', message: `${dev.path} does not exist; it is needed by ${neededBy}`, fix: `load the kernel module (sudo modprobe ${pkgName}) or run on a host that has it` };
  if (!dev.usable) {
    return {
      name,
      severity: 'error',
      message: `${dev.path} is not readable and writable by ${user} (mode ${dev.mode}); it is needed by ${neededBy}`,
      fix: `sudo chmod 0666 ${dev.path}   (most distributions ship it 0666; make it last with a udev rule)`,
    };
  }
  return { name, severity: 'ok', message: `${dev.path} usable (mode ${dev.mode})` };
}

function program(name: string, info: { path: string | null; version: string | null }, severity: Severity, why: string, pkgName = name): Check {
  if (info.path) return { name, severity: 'ok', message: `${info.path}${info.version ? ` (${info.version})` : ''}` };
  return { name, severity, message: `${name} not found; ${why}`, fix: pkg(pkgName) };
}

/** The controllers whose limits create and run take. */
const LIMIT_CONTROLLERS = ['cpu', 'cpuset', 'io', 'memory', 'pids'];

/** cgroup v2: which subtree is delegated to the user and which controllers come with it. */
function delegationCheck(h: HostInfo): Check {
  const d = h.cgroupDelegation;
  if (!d?.delegated) {
    return {
      name: 'cgroups',
      severity: 'warning',
      message: `cgroup v2, but no cgroup from ${d?.own ?? 'yours'} upwards is writable by ${h.user}: containers get no cgroup of their own, so resource limits (--memory, --cpus, --pids-limit) are not applied and pause is refused`,
      fix: delegateHint(LIMIT_CONTROLLERS),
    };
  }
  const missing = LIMIT_CONTROLLERS.filter((c) => !d.enabled.includes(c));
  const message = `cgroup v2, ${d.delegated} delegated to ${h.user}; controllers for containers: ${d.enabled.join(' ') || 'none'}`;
  if (!missing.length) return { name: 'cgroups', severity: 'ok', message };
  return { name: 'cgroups', severity: 'warning', message: `${message}; not delegated: ${missing.join(' ')} (limits on them are dropped with a warning)`, fix: delegateHint(missing) };
}

export function checkHost(h: HostInfo, config: Config): Check[] {
  const checks: Check[] = [];
  const add = (c: Check) => checks.push(c);

  if (!h.userNamespaces.enabled) {
    add({
      name: 'user namespaces',
      severity: 'error',
      message: `unprivileged user namespaces are disabled (user.max_user_namespaces=${h.userNamespaces.maxUserNamespaces}, kernel.unprivileged_userns_clone=${h.userNamespaces.unprivilegedClone})`,
      fix: 'sudo sysctl -w user.max_user_namespaces=28633 kernel.unprivileged_userns_clone=1 (and persist it in /etc/sysctl.d/)',
    });
  } else {
    add({ name: 'user namespaces', severity: 'ok', message: `enabled (max ${h.userNamespaces.maxUserNamespaces ?? 'unknown'})` });
  }

  if (h.rootless) {
    for (const [which, data] of [['subuid', h.subuid], ['subgid', h.subgid]] as const) {
      if (data.ranges.length === 0) {
        add({
          name: `/etc/${which}`,
          severity: 'error',
          message: `no ${which} ranges found for user "${h.user}" in ${data.file}: tspod can map only your own ID, and images with files of other owners will fail`,
          fix: usermodFix(h.user, h.subuid.entries, h.subgid.entries),
        });
      } else {
        const total = data.ranges.reduce((n, r) => n + r.count, 0);
        const severity: Severity = total < 65536 ? 'warning' : 'ok';
        add({
          name: `/etc/${which}`,
          severity,
          message: `${data.ranges.map((r) => `${r.start}:${r.count}`).join(', ')} for ${h.user}${severity === 'warning' ? ` (${total} IDs; images often need 65536)` : ''}`,
          ...(severity === 'warning' ? { fix: usermodFix(h.user, h.subuid.entries, h.subgid.entries) } : {}),
        });
      }
    }
    for (const [name, m] of [['newuidmap', h.newuidmap], ['newgidmap', h.newgidmap]] as const) {
      if (!m.path) add({ name, severity: 'error', message: `${name} not found; it maps your subordinate IDs into the user namespace`, fix: pkg('uidmap') });
      else if (!m.privileged) add({ name, severity: 'error', message: `${m.path} is ${m.how}, so it cannot map subordinate IDs`, fix: `sudo chmod u+s ${m.path}   (or: sudo setcap cap_set${name === 'newuidmap' ? 'uid' : 'gid'}+ep ${m.path})` });
      else add({ name, severity: 'ok', message: `${m.path} (${m.how})` });
    }
  }

  add(program('unshare', h.unshare, 'error', 'it creates the user namespace', 'util-linux'));
  add(program('nsenter', h.nsenter, 'error', 'it enters the user namespace', 'util-linux'));

  if (h.ociRuntime.path) add({ name: 'oci runtime', severity: 'ok', message: `${h.ociRuntime.name} ${h.ociRuntime.path}${h.ociRuntime.version ? ` (${h.ociRuntime.version})` : ''}` });
  else add({ name: 'oci runtime', severity: 'error', message: `no OCI runtime found (tried ${h.ociRuntime.candidates.join(', ')})`, fix: pkg(h.cgroupVersion === 'v2' ? 'crun' : 'runc') });

  if (h.cgroupVersion === 'v1') {
    add({
      name: 'cgroups',
      severity: 'warning',
      message: `cgroup v1 (${h.cgroupMode}): resource limits (--memory, --cpus, --pids-limit) cannot be enforced for rootless containers, and crun refuses this mode; runc is used`,
      fix: 'boot with systemd.unified_cgroup_hierarchy=1 to use cgroup v2',
    });
  } else {
    add(delegationCheck(h));
  }

  const fuseNeeded = config.storage.overlay === 'fuse' ? 'fuse-overlayfs (storage.overlay = "fuse")' : 'fuse-overlayfs, the overlay fallback';
  add(program('fuse-overlayfs', h.fuseOverlayfs, config.storage.overlay === 'native' ? 'warning' : 'error', `it is ${config.storage.overlay === 'fuse' ? 'the configured overlay' : 'the overlay fallback where native overlay fails'}`));
  add(deviceCheck(h.fuseDevice, h.user, fuseNeeded, 'fuse'));
  if (h.nativeOverlay.works) add({ name: 'native overlay', severity: 'ok', message: h.nativeOverlay.detail });
  else add({ name: 'native overlay', severity: config.storage.overlay === 'native' ? 'error' : 'warning', message: `native overlay does not mount in a user namespace here: ${h.nativeOverlay.detail}; fuse-overlayfs is used` });

  if (!h.slirp4netns.path && !h.pasta.path) {
    add({ name: 'network', severity: 'error', message: 'neither pasta nor slirp4netns is installed; rootless containers get no network', fix: pkg('passt') });
  } else {
    add(program('pasta', h.pasta, 'warning', 'the pasta network mode is unavailable', 'passt'));
    add(program('slirp4netns', h.slirp4netns, 'warning', 'the slirp4netns network mode is unavailable'));
    if (!h.networkCmd) add({ name: 'network', severity: 'error', message: `the configured network command (network.default_rootless_network_cmd = "${config.network.defaultRootlessNetworkCmd}") is not installed`, fix: pkg(config.network.defaultRootlessNetworkCmd === 'pasta' ? 'passt' : 'slirp4netns') });
  }
  add(deviceCheck(h.tunDevice, h.user, 'pasta and slirp4netns', 'tun'));
  add(program('catatonit', h.catatonit, 'warning', '--init is unavailable'));

  if (h.rootless && !h.runtimeDirEnv) {
    add({ name: 'XDG_RUNTIME_DIR', severity: 'warning', message: `XDG_RUNTIME_DIR is not set; runtime files go to /run/user/${h.uid} if it is yours, else /tmp/tspod-run-${h.uid}`, fix: 'log in through a session manager (pam_systemd) or export XDG_RUNTIME_DIR=/run/user/$(id -u)' });
  }
  return checks;
}
