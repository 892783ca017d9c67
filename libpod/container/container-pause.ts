// pause/unpause need a cgroup freezer that holds the container's processes and nothing else. A
// container has one where the host delegates a cgroup v2 subtree to the user: each container then
// gets a cgroup of its own (ContainerRunner.cgroupOf), which the runtime's pause freezes. Elsewhere
// it has none: with cgroups v1 the freezer hierarchy belongs to root, and with cgroups v2 without
// delegation the container runs in the cgroup tspod was started from, whose freezing would freeze
// the user's session too. The check says which case applies; nothing is frozen with signals
// (SIGSTOP is visible to the container's own processes as job control, unlike the freezer).
import fs from 'node:fs';
import { InvalidStateError } from '../../src/errors';
import type { Container } from './container';
import { frozen, ownCgroupDir } from './container-cgroup';

/** The container's own cgroup, which pause freezes; otherwise throws why it has none (checkFreezer). */
export function freezerOf(c: Container, cgroupRoot = '/sys/fs/cgroup'): string {
  return ownCgroupDir(c.id, c.status.pid, cgroupRoot) ?? checkFreezer(c, cgroupRoot);
}

/** Whether the container's own cgroup is frozen. */
export function isPaused(c: Container, cgroupRoot = '/sys/fs/cgroup'): boolean {
  const dir = c.state === 'running' ? ownCgroupDir(c.id, c.status.pid, cgroupRoot) : undefined;
  return dir !== undefined && frozen(dir);
}

export function checkFreezer(c: Container, cgroupRoot = '/sys/fs/cgroup'): never {
  const v2 = fs.existsSync(`${cgroupRoot}/cgroup.controllers`);
  if (!v2) {
    let owner = 'root';
    try {
      owner = fs.statSync(`${cgroupRoot}/freezer`).uid === process.getuid?.() ? 'you' : 'root';
    } catch {
      throw new InvalidStateError(`cannot pause ${c.name}: this host has cgroups v1 without a freezer hierarchy (${cgroupRoot}/freezer), which pause needs`);
    }
    throw new InvalidStateError(`cannot pause ${c.name}: pause needs the cgroup freezer, and on this host (cgroups v1) ${cgroupRoot}/freezer belongs to ${owner}, so a rootless container has no freezer cgroup of its own; Podman refuses the same`);
  }
  throw new InvalidStateError(`cannot pause ${c.name}: rootless containers run in the cgroup tspod was started from, which holds other processes of your session; no cgroup v2 subtree is delegated to you, so the container has no cgroup of its own that could be frozen safely (tspod system check says which controllers are delegated)`);
}
