// A pod's infra container: catatonit in pause mode (catatonit -P), as Podman's, holding the pod's
// namespaces, published ports and network settings. Its root is a directory of the store
// (<root>/pause/rootfs) holding only a copy of the static catatonit and the empty files and
// directories the runtime mounts over, shared read-only by every infra container of the store:
// no image to pull or build, nothing to unpack.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidStateError } from '../../src/errors';
import { QuietProgress } from '../../src/progress';
import { findProgram } from '../host/programs';
import type { CreateOptions } from '../container/create-spec';
import { infraName, type Pod } from './pod';
import type { PodCreateOptions } from './types';

/** What the root holds besides catatonit: the mount points runc would otherwise make in it. */
const DIRS = ['proc', 'sys', 'dev', 'etc', 'run', 'tmp', 'var/tmp'];
const FILES = ['etc/hosts', 'etc/resolv.conf', 'etc/hostname', 'etc/passwd', 'etc/group'];

/** The static catatonit of the host: on PATH, or Podman's /usr/libexec/podman/catatonit. */
export function findCatatonit(): string {
  const found = findProgram('catatonit') ?? findProgram('/usr/libexec/podman/catatonit');
  if (!found) throw new InvalidStateError('catatonit was not found (on PATH or in /usr/libexec/podman): a pod\'s infra container runs it as its pause process; install it (sudo apt-get install catatonit), or create the pod with --infra=false');
  return found;
}

/**
 * The infra containers' root directory, made once per store (a copy of catatonit and its mount
 * points), atomically: a half-made one is never seen by another pod create. Inside the namespace.
 */
export function pauseRootfs(root: string): string {
  const dir = path.join(root, 'pause', 'rootfs');
  if (fs.existsSync(path.join(dir, 'catatonit'))) return dir;
  const source = findCatatonit();
  const tmp = `${dir}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true, mode: 0o755 });
  for (const d of DIRS) fs.mkdirSync(path.join(tmp, d), { recursive: true, mode: 0o755 });
  for (const f of FILES) fs.writeFileSync(path.join(tmp, f), '', { mode: 0o644 });
  fs.copyFileSync(source, path.join(tmp, 'catatonit'));
  fs.chmodSync(path.join(tmp, 'catatonit'), 0o755);
  try {
    fs.renameSync(tmp, dir);
  } catch (err) {
    // Another pod create made it first: theirs is as good as ours.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, 'catatonit'))) throw err;
  }
  return dir;
}

/** The infra container's create options: the pod's network and namespaces, its name and host name, catatonit -P (or --infra-command / --infra-image). */
export function infraCreateOptions(pod: Pod, o: PodCreateOptions, rootfs: string | undefined): CreateOptions {
  const command = o.infraCommand !== undefined ? [] : rootfs ? ['/catatonit', '-P'] : [];
  return {
    image: rootfs ?? o.infraImage!,
    command,
    ...(o.infraCommand !== undefined ? { entrypoint: o.infraCommand } : {}),
    name: o.infraName ?? infraName(pod.id),
    env: [],
    envFiles: [],
    hostname: o.hostname ?? pod.name,
    labels: [],
    // The root is shared by every infra container of the store: nothing may write to it.
    readOnly: rootfs !== undefined,
    init: false,
    replace: false,
    pull: 'missing',
    capAdd: [],
    capDrop: [],
    securityOpt: o.securityOpt ?? [],
    interactive: false,
    tty: false,
    rm: false,
    network: o.network,
    publish: o.publish,
    networkAliases: o.networkAliases ?? [],
    ip: o.ip,
    macAddress: o.macAddress,
    dns: o.dns,
    dnsSearch: o.dnsSearch,
    dnsOptions: o.dnsOptions,
    addHosts: o.addHosts,
    noHosts: o.noHosts,
    sysctls: o.sysctls,
    shmSize: o.shmSize,
    restart: o.restart,
    ...(o.userns !== undefined ? { userns: { userns: o.userns, uidmap: [], gidmap: [], groupAdd: [], hostuser: [], passwd: false } } : {}),
    logsSecrets: { logOpts: [], conmonPidFile: o.infraConmonPidFile, secrets: [], rootfs: rootfs !== undefined, envMerge: [], httpProxy: false },
    pod: pod.id,
    podInfra: true,
    createCommand: o.createCommand,
    ...(o.createCwd ? { createCwd: o.createCwd } : {}),
    progress: new QuietProgress(),
  };
}
