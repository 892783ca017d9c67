// pause/unpause need a cgroup freezer that holds the container's processes and nothing else. A
// rootless container has none on this kind of host: with cgroups v1 the freezer hierarchy belongs
// to root, and with cgroups v2 tspod does not (yet) give containers a delegated cgroup of their
// own, so freezing the cgroup they run in would freeze the user's session too. The check says
// which case applies; nothing is frozen with signals (SIGSTOP is visible to the container's own
// processes as job control, unlike the freezer).
import fs from 'node:fs';
import { InvalidStateError } from '../../src/errors';
import type { Container } from './container';

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
  throw new InvalidStateError(`cannot pause ${c.name}: rootless containers run in the cgroup tspod was started from, which holds other processes of your session; tspod does not create per-container cgroups yet, so there is nothing it could freeze safely`);
}
