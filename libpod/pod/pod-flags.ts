// pod create's options checked against each other before anything is made (Podman's pod spec
// validation): the name, --share, --exit-policy, --restart, the labels, and what an infra-less pod
// cannot take. Pure but for reading --label-file files.
import { InvalidArgumentError } from '../../src/errors';
import { parseRestartPolicy, validName } from '../container/container';
import { labelFileLines, parseLabels } from '../container/create-spec';
import { DEFAULT_SHARE, type PodNamespace } from './pod';
import type { PodCreateOptions } from './types';

const NAMESPACES: readonly PodNamespace[] = ['net', 'ipc', 'uts', 'pid', 'cgroup'];

/** What pod create decided from its options. */
export interface CheckedPodCreate {
  share: PodNamespace[];
  labels: Record<string, string>;
  exitPolicy: 'continue' | 'stop';
  restartPolicy?: string;
}

/**
 * --share as given: undefined is Podman's default (net,ipc,uts), "" or none shares nothing, a
 * leading + adds to the default; every name must be one tspod can share.
 */
export function parseShare(value: string | undefined): PodNamespace[] {
  if (value === undefined) return [...DEFAULT_SHARE];
  let v = value.trim();
  if (v === '' || v === 'none') return [];
  const out: PodNamespace[] = [];
  if (v.startsWith('+')) {
    out.push(...DEFAULT_SHARE);
    v = v.slice(1);
  }
  for (const n of v.split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!NAMESPACES.includes(n as PodNamespace)) throw new InvalidArgumentError(`invalid kernel namespace to share: ${n}: options are cgroup, ipc, net, pid or uts`);
    if (!out.includes(n as PodNamespace)) out.push(n as PodNamespace);
  }
  return out;
}

/** An exclusive pair of pod options, in Podman's words. */
function exclusive(a: string, b: string): InvalidArgumentError {
  return new InvalidArgumentError(`${a} and ${b} are mutually exclusive pod options: invalid pod spec`);
}

/** Every option checked (name, share, exit policy, restart, labels; what --infra=false excludes), before anything is made. */
export function checkPodCreate(o: PodCreateOptions): CheckedPodCreate {
  if (o.name !== undefined && !validName(o.name)) throw new InvalidArgumentError(`invalid pod name "${o.name}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
  if (o.replace && o.name === undefined) throw new InvalidArgumentError('cannot replace pod without --name being set');
  if (!o.infra) checkNoInfra(o);
  const share = o.infra ? parseShare(o.share) : [];
  const exitPolicy = o.exitPolicy ?? 'continue';
  if (exitPolicy !== 'continue' && exitPolicy !== 'stop') throw new InvalidArgumentError(`invalid pod exit policy: "${exitPolicy}": use continue or stop`);
  if (o.restart !== undefined) parseRestartPolicy(o.restart);
  const labels = parseLabels([...labelFileLines(o.labelFiles ?? []), ...o.labels]);
  if (o.noHosts && o.addHosts.length) throw new InvalidArgumentError('--no-hosts and --add-host cannot be set together: drop one of them');
  return { share, labels, exitPolicy, ...(o.restart !== undefined ? { restartPolicy: o.restart } : {}) };
}

/** A pod without an infra container has no namespaces to share: the options that set them are refused, as Podman refuses them. */
function checkNoInfra(o: PodCreateOptions): void {
  if (o.infraCommand !== undefined) throw exclusive('NoInfra', 'InfraCommand');
  if (o.infraImage !== undefined) throw exclusive('NoInfra', 'InfraImage');
  if (o.infraName !== undefined) throw new InvalidArgumentError('cannot set infra-name without an infra container');
  if (o.share !== undefined && o.share.trim() !== '' && o.share.trim() !== 'none') throw new InvalidArgumentError(`cannot set share(${o.share}) namespaces without an infra container`);
  if (o.noHosts) throw new InvalidArgumentError('cannot specify --no-hosts without an infra container');
  if (o.publish.length) throw new InvalidArgumentError('you must have an infra container to publish port bindings to the host');
  if (o.network !== undefined) throw new InvalidArgumentError('NoInfra and network modes cannot be used together');
  if (o.networkAliases?.length || o.ip !== undefined || o.macAddress !== undefined) throw new InvalidArgumentError('cannot set networks options without infra container');
  if (o.dnsOptions.length) throw exclusive('NoInfra', 'DNSOption');
  if (o.dnsSearch.length) throw exclusive('NoInfra', 'DNSSearch');
  if (o.dns.length) throw exclusive('NoInfra', 'DNSServer');
  if (o.addHosts.length) throw exclusive('NoInfra', 'HostAdd');
  if (o.hostname !== undefined) throw new InvalidArgumentError('cannot set a hostname without an infra container: the pod has no UTS namespace to name (drop --hostname, or give each container --hostname)');
  if (o.userns !== undefined || o.sysctls?.length || o.shmSize !== undefined) throw new InvalidArgumentError('--userns, --sysctl and --shm-size apply to the infra container: drop them with --infra=false, or give them to each container');
}
