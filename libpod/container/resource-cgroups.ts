// Resource limits on a cgroups v2 host: a limit is applied only when its controller is delegated
// to the user (see host/cgroup-delegation.ts); one whose controller is missing is dropped with the
// warning Podman gives for it, followed by which controller is missing and how to delegate it.
import type { Delegation } from '../host/cgroup-delegation';
import { containerCgroup, delegateHint } from '../host/cgroup-delegation';
import { ociResources, type ResourceLimits } from './resource-flags';

type Key = keyof ResourceLimits;

/** Each controller, the limits it carries, and Podman's warning when it is not available. */
const CONTROLLERS: Array<{ name: string; keys: Key[]; warning: string }> = [
  { name: 'memory', keys: ['memory', 'memorySwap', 'memoryReservation'], warning: 'Your kernel does not support memory limit capabilities or the cgroup is not mounted. Limitation discarded.' },
  { name: 'cpu', keys: ['cpuShares', 'cpuPeriod', 'cpuQuota'], warning: 'Your kernel does not support CPU cfs period/quota or the cgroup is not mounted. Period/quota discarded.' },
  { name: 'cpuset', keys: ['cpusetCpus', 'cpusetMems'], warning: 'Your kernel does not support cpuset or the cgroup is not mounted. CPUset discarded.' },
  { name: 'pids', keys: ['pidsLimit'], warning: 'Your kernel does not support pids limit capabilities or the cgroup is not mounted. PIDs limit discarded.' },
  { name: 'io', keys: ['blkioWeight', 'blkioWeightDevice', 'deviceReadBps', 'deviceWriteBps', 'deviceReadIops', 'deviceWriteIops'], warning: 'Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.' },
];

export interface AppliedLimits {
  /** The limits whose controllers are delegated (undefined when none is). */
  applied?: ResourceLimits;
  warnings: string[];
}

/** The limits that can be applied under the delegation d, and a warning for each controller that cannot. */
export function applicableLimits(r: ResourceLimits, d: Delegation): AppliedLimits {
  if (!d.delegated) {
    return { warnings: [`Resource limits are not applied: no cgroup from ${d.own ?? 'yours'} upwards is writable by you, so rootless containers get no cgroup of their own (cgroups v2 without delegation); ${delegateHint(['cpu', 'cpuset', 'io', 'memory', 'pids'])}`] };
  }
  const applied: ResourceLimits = {};
  const warnings: string[] = [];
  for (const ctl of CONTROLLERS) {
    const given = ctl.keys.filter((k) => r[k] !== undefined);
    if (!given.length) continue;
    if (d.enabled.includes(ctl.name)) {
      for (const k of given) (applied as Record<string, unknown>)[k] = r[k];
      continue;
    }
    const state = d.available.includes(ctl.name) ? 'available but not enabled in cgroup.subtree_control of' : 'not delegated to';
    warnings.push(`${ctl.warning} The ${ctl.name} controller is ${state} ${d.delegated}: ${delegateHint([ctl.name])}`);
  }
  return { applied: Object.keys(applied).length ? applied : undefined, warnings };
}

/**
 * The runtime spec's linux.cgroupsPath and linux.resources of container id under the delegation d:
 * a cgroup of its own below the delegated subtree, with the limits whose controllers are
 * delegated; nothing without delegation.
 */
export function cgroupSpec(id: string, r: ResourceLimits | undefined, d: Delegation): { cgroupsPath?: string; resources?: Record<string, unknown> } {
  const cgroupsPath = containerCgroup(d, id);
  if (!cgroupsPath) return {};
  const applied = r && applicableLimits(r, d).applied;
  return { cgroupsPath, resources: applied ? ociResources(applied) : undefined };
}
