// The container side of --pod: a container created in a pod joins the infra container's
// namespaces as the pod shares them (network container:INFRA, --ipc/--uts/--pid container:INFRA),
// requires the infra (so that its start starts the infra first), gets the pod's volumes and its
// restart policy unless it gives its own. Options that would set what it shares are refused in
// Podman's words. Pure but for the pod and --pod-id-file look-ups.
import fs from 'node:fs';
import { InvalidArgumentError } from '../../src/errors';
import type { CreateOptions } from '../container/create-spec';
import type { PodStore } from './pod-store';
import type { Pod } from './pod';

const SHARED_WITH_POD = 'network cannot be configured when it is shared with a pod';

/** --pod-id-file: the pod's ID in the file (as pod create --pod-id-file wrote it). */
export function readPodIdFile(file: string): string {
  try {
    const id = fs.readFileSync(file, 'utf8').trim();
    if (id) return id;
  } catch (err) {
    throw new InvalidArgumentError(`reading pod ID file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}: check the path given to --pod-id-file`);
  }
  throw new InvalidArgumentError(`pod ID file ${file} is empty: create the pod with "tspod pod create --pod-id-file ${file}"`);
}

/** A --network value naming user-defined networks rather than a mode. */
function namesNetworks(value: string): boolean {
  return !/^(none|host|private|slirp4netns|pasta|container|ns)(:|$)/.test(value.trim());
}

/** The create options of a container joining pod p: what it shares set to the infra's, conflicts refused. */
export function joinPod(p: Pod, opts: CreateOptions): CreateOptions {
  const infra = p.spec.infraId;
  const shares = (ns: string) => infra !== undefined && p.spec.share.includes(ns as Pod['spec']['share'][number]);
  const ownNetwork = opts.network !== undefined && opts.network.trim() !== '' && !namesNetworks(opts.network);
  const sharesNet = shares('net') && !ownNetwork;
  if (sharesNet) {
    if (opts.network !== undefined && opts.network.trim() !== '') throw new InvalidArgumentError(`invalid config provided: networks must be defined when the pod is created: ${SHARED_WITH_POD}`);
    if (opts.publish?.length || opts.publishAll) throw new InvalidArgumentError(`invalid config provided: published or exposed ports must be defined when the pod is created: ${SHARED_WITH_POD}`);
    if (opts.addHosts?.length) throw new InvalidArgumentError(`invalid config provided: extra host entries must be specified on the pod: ${SHARED_WITH_POD}`);
    if (opts.dns?.length || opts.dnsSearch?.length || opts.dnsOptions?.length) throw new InvalidArgumentError(`invalid config provided: --dns, --dns-search and --dns-option must be given when the pod is created (tspod pod create --dns ...): ${SHARED_WITH_POD}`);
    if (opts.networkAliases?.length || opts.ip !== undefined || opts.macAddress !== undefined) throw new InvalidArgumentError(`invalid config provided: --network-alias, --ip and --mac-address must be given when the pod is created: ${SHARED_WITH_POD}`);
  }
  const sec = { ...(opts.security ?? {}) };
  const join = (key: 'ipc' | 'uts' | 'pid', ns: string) => {
    if (shares(ns) && sec[key] === undefined) sec[key] = `container:${infra}`;
  };
  join('ipc', 'ipc');
  join('pid', 'pid');
  if (shares('uts') && sec.uts === undefined) {
    if (opts.hostname !== undefined) throw new InvalidArgumentError('invalid config provided: cannot set hostname when joining the pod UTS namespace: invalid configuration');
    sec.uts = `container:${infra}`;
  }
  return {
    ...opts,
    pod: p.id,
    ...(sharesNet ? { network: `container:${infra}` } : {}),
    security: sec,
    requires: [...(opts.requires ?? []), ...(infra !== undefined ? [infra] : [])],
    volumes: [...(p.spec.volumes ?? []), ...(opts.volumes ?? [])],
    ...(opts.restart === undefined && p.spec.restartPolicy !== undefined && !opts.rm ? { restart: p.spec.restartPolicy } : {}),
  };
}

/** The options of a container created with --pod or --pod-id-file: the pod found, joined (see joinPod). */
export function inPod(pods: PodStore, opts: CreateOptions): CreateOptions {
  if (opts.pod !== undefined && opts.podIdFile !== undefined) throw new InvalidArgumentError('--pod and --pod-id-file cannot be given together: give one of them');
  const ref = opts.pod ?? readPodIdFile(opts.podIdFile!);
  if (opts.initCtr !== undefined && opts.initCtr !== 'always' && opts.initCtr !== 'once') throw new InvalidArgumentError(`init container types must be either "always" or "once", not "${opts.initCtr}"`);
  return joinPod(pods.resolve(ref), opts);
}
