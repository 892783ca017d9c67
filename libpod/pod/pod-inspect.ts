// `pod inspect`'s document, in Podman 5's shape (InspectPodData): the pod's record, its status from
// its containers', and InfraConfig from what its infra container was made with. Keys Podman
// leaves out when empty (omitempty) are left out here too; those it always writes are there with
// Go's zero values (null for an empty list or map). Pure: the members are handed in.
import { eachPort } from '../network/network-spec';
import { parseVolumeFlag, volumePath } from '../volume/volume-spec';
import type { Container } from '../container/container';
import type { Pod } from './pod';
import { memberNetworks, memberStatus, type PodMember } from './pod-report';

type Doc = Record<string, unknown>;

/** Podman's InspectHostPort map: "80/tcp" → [{HostIp, HostPort}], each port of a range on its own. */
export function portBindings(c: Container): Record<string, Array<{ HostIp: string; HostPort: string }>> {
  const out: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const p of eachPort(c.spec.ports ?? [])) (out[`${p.containerPort}/${p.protocol}`] ??= []).push({ HostIp: p.hostIp || '0.0.0.0', HostPort: String(p.hostPort) });
  return out;
}

const listOrNull = (v: string[] | undefined) => (v?.length ? v : null);

/** A namespace of the infra container as Podman's NamespaceMode names it: host, private, or the path joined. */
function namespaceMode(mode: string | undefined): string {
  if (mode === 'host') return 'host';
  if (mode?.startsWith('ns:')) return mode;
  return 'private';
}

/** InfraConfig: the pod-wide network settings, which are the infra container's. */
export function infraConfig(infra: Container): Doc {
  const s = infra.spec;
  const first = s.network === 'bridge' ? s.networks?.[0] : undefined;
  const networks = memberNetworks(infra);
  const sec = s.security;
  return {
    PortBindings: portBindings(infra),
    HostNetwork: s.network === 'host',
    StaticIP: first?.ip ?? '',
    StaticMAC: first?.mac ?? '',
    NoManageResolvConf: (s.dns ?? []).includes('none'),
    DNSServer: listOrNull(s.dns),
    DNSSearch: listOrNull(s.dnsSearch),
    DNSOption: listOrNull(s.dnsOptions),
    NoManageHostname: false,
    NoManageHosts: s.noHosts ?? false,
    HostAdd: listOrNull(s.addHosts),
    HostsFile: '',
    Networks: listOrNull(networks),
    NetworkOptions: s.networkOptions?.length ? { [s.network]: s.networkOptions } : null,
    pid_ns: namespaceMode(sec?.pid),
    // Rootless: the infra container runs in the user namespace every container shares, as Podman's does.
    userns: 'host',
    uts_ns: namespaceMode(sec?.uts),
  };
}

/**
 * Podman's pod mounts: the pod's -v volumes and bind mounts, which each of its containers gets,
 * named volumes first, as Podman lists them (InspectMount); a value that no longer parses is left out.
 */
export function podMounts(pod: Pod, storeRoot: string): Doc[] {
  const mounts = (pod.spec.volumes ?? []).flatMap((v) => {
    try {
      return [parseVolumeFlag(v, pod.spec.createCwd ?? '/')];
    } catch {
      return [];
    }
  });
  const one = (m: (typeof mounts)[number]) => ({
    Type: m.type,
    ...(m.type === 'volume' ? { Name: m.source } : {}),
    Source: m.type === 'volume' ? volumePath(storeRoot, m.source) : m.source,
    Destination: m.destination,
    Driver: m.type === 'volume' ? 'local' : '',
    Mode: '',
    Options: ['rbind'],
    RW: !m.readOnly,
    Propagation: m.propagation ?? 'rprivate',
  });
  return [...mounts.filter((m) => m.type === 'volume' && !m.anonymous), ...mounts.filter((m) => m.type === 'bind')].map(one);
}

/** The namespaces the pod's containers share, sorted as Podman lists them. */
function sharedNamespaces(pod: Pod): string[] {
  return [...pod.spec.share].sort();
}

/**
 * Podman 5's InspectPodData of a pod whose containers are members (infra included). Containers
 * are sorted by ID, as Podman sorts them; the state counts every container, infra too.
 */
export function inspectPod(pod: Pod, members: PodMember[], storeRoot: string): Doc {
  const mounts = podMounts(pod, storeRoot);
  const infra = members.find((m) => m.container.id === pod.spec.infraId)?.container;
  const containers = [...members].sort((a, b) => (a.container.id < b.container.id ? -1 : 1)).map((m) => ({ Id: m.container.id, Name: m.container.name, State: m.state }));
  const labels = pod.spec.labels ?? {};
  const doc: Doc = {
    Id: pod.id,
    Name: pod.name,
    Created: new Date(pod.createdAt).toISOString(),
    ...(pod.spec.createCommand?.length ? { CreateCommand: pod.spec.createCommand } : {}),
    ExitPolicy: pod.spec.exitPolicy,
    State: memberStatus(members),
    Hostname: pod.spec.hostname ?? '',
    ...(Object.keys(labels).length ? { Labels: labels } : {}),
    // Rootless on cgroups v1 without delegation: no cgroup of the pod's own (Podman makes none there either).
    CreateCgroup: false,
    CreateInfra: infra !== undefined,
    ...(infra ? { InfraContainerID: infra.id, InfraConfig: infraConfig(infra) } : {}),
    ...(infra && pod.spec.share.length ? { SharedNamespaces: sharedNamespaces(pod) } : {}),
    NumContainers: members.length,
    ...(containers.length ? { Containers: containers } : {}),
    ...(mounts.length ? { mounts } : {}),
    ...(pod.spec.restartPolicy ? { RestartPolicy: pod.spec.restartPolicy } : {}),
    LockNumber: 0,
  };
  return doc;
}
