// A pod spec from tspod containers (a pod's, or containers given together), then the object the
// user asked for around it: a Pod, or a Deployment, DaemonSet or Job with it as the template, a
// NodePort Service for its published ports, a PersistentVolumeClaim for a named volume. What
// cannot be carried over is returned as notes, which the output prints as comments. Pure.
import type { Container } from '../container/container';
import type { ContainerConfig } from '../image/image-changes';
import type { Pod } from '../pod/pod';
import type { Volume } from '../volume/volume-spec';
import { eachPort } from '../network/network-spec';
import { isDnsLabel, toDnsLabel } from './names';
import { kubeContainer, type KubeContainer } from './generate-container';
import { PodVolumes, claimNameOf, type HostPathType } from './generate-volumes';
import { CONTAINER_NAME_ANNOTATION, LabelSet, POD_NAME_ANNOTATION, VOLUME_NAME_ANNOTATION, kubeName, labelWithSuffix, serviceName } from './generate-names';
import { labelsAndAnnotations, podmanOnlyAnnotations, validLabel } from './generate-meta';

export type KubeKind = 'pod' | 'deployment' | 'daemonset' | 'job';

export interface KubeGenerateOptions {
  type: KubeKind;
  /** A Deployment's replicas (1 is left out, as Kubernetes' default). */
  replicas: number;
  service: boolean;
  podmanOnly: boolean;
}

/** A container with what the YAML says of its image. */
export interface Member {
  container: Container;
  /** The image as the YAML names it (a full reference). */
  image: string;
  /** The image's config, when the image is still in the store (env, workdir and user are compared with it). */
  imageConfig?: ContainerConfig;
}

/** What a pod spec is made from: a tspod pod and its containers, or containers given together. */
export interface PodSource {
  members: Member[];
  /** The tspod pod, and its infra container (which holds the pod's ports, network, DNS and hosts). */
  pod?: Pod;
  infra?: Container;
}

export interface Generated {
  /** The objects, in the order they are written: Service before the workload, as Podman orders them. */
  objects: Array<Record<string, unknown>>;
  notes: string[];
}

const POLICIES: Record<string, string> = { always: 'Always', 'unless-stopped': 'Always', 'on-failure': 'OnFailure', no: 'Never' };

/** The pod's restart policy in Kubernetes' words: the pod's --restart, else its first container's. */
function restartPolicy(src: PodSource): string | undefined {
  const name = src.pod?.spec.restartPolicy?.split(':')[0] ?? src.members[0]?.container.spec.restartPolicy.name;
  return name ? POLICIES[name] : undefined;
}

/** --add-host entries grouped by address, in the order given. */
function hostAliases(addHosts: string[]): Array<{ ip: string; hostnames: string[] }> {
  const byIp = new Map<string, string[]>();
  for (const entry of addHosts) {
    const at = entry.lastIndexOf(':');
    if (at <= 0) continue;
    const [host, ip] = [entry.slice(0, at), entry.slice(at + 1)];
    byIp.set(ip, [...(byIp.get(ip) ?? []), host]);
  }
  return [...byIp].map(([ip, hostnames]) => ({ ip, hostnames }));
}

function dnsConfig(sources: Container[]): Record<string, unknown> | undefined {
  const uniq = (xs: string[]) => [...new Set(xs)];
  const nameservers = uniq(sources.flatMap((c) => c.spec.dns ?? []));
  const searches = uniq(sources.flatMap((c) => c.spec.dnsSearch ?? []));
  const options = uniq(sources.flatMap((c) => c.spec.dnsOptions ?? [])).map((o) => {
    const at = o.indexOf(':');
    return at < 0 ? { name: o } : { name: o.slice(0, at), value: o.slice(at + 1) };
  });
  if (!nameservers.length && !searches.length && !options.length) return undefined;
  return { ...(nameservers.length ? { nameservers } : {}), ...(searches.length ? { searches } : {}), ...(options.length ? { options } : {}) };
}

/** Network modes a pod cannot have: its containers share one network namespace with the cluster's network. */
function networkNotes(sources: Container[]): string[] {
  return sources.flatMap((c) => {
    if (c.spec.network === 'none') return [`container ${c.name} has no network (--network none): a Kubernetes pod always has one`];
    if (c.spec.networks?.length) return [`container ${c.name}: its networks (${c.spec.networks.map((n) => n.name).join(', ')}) are not carried over: the containers of a pod reach each other on localhost, other pods through Services`];
    return [];
  });
}

/** The host name the user gave (not the short ID tspod names a container by, nor the host's). */
function hostname(src: PodSource, notes: string[]): string | undefined {
  let name = src.pod?.spec.hostname;
  if (!name && !src.pod) {
    const c = src.members.find((m) => m.container.spec.network !== 'host' && m.container.spec.security?.uts !== 'host' && m.container.spec.hostname !== m.container.id.slice(0, 12))?.container;
    name = c?.spec.hostname;
  }
  if (!name || isDnsLabel(name)) return name;
  notes.push(`hostname "${name}" is not a DNS-1123 label: written as "${toDnsLabel(name)}"`);
  return toDnsLabel(name);
}

/** The pod spec and the pod's own metadata (name, labels, annotations) from its containers. */
export function podSpec(src: PodSource, podName: string, opts: KubeGenerateOptions, hostPathType: (p: string) => HostPathType): { spec: Record<string, unknown>; labels: Record<string, string>; annotations: Record<string, string>; notes: string[] } {
  const notes: string[] = [];
  const names = new LabelSet();
  const volumes = new PodVolumes(hostPathType);
  const annotations: Record<string, string> = {};
  const containers: KubeContainer[] = [];
  // Ports, network, DNS and hosts are the infra container's in a pod: on the first container, as Podman writes them.
  const netSource = src.infra ? [src.infra] : src.members.map((m) => m.container);
  src.members.forEach((m, i) => {
    const c = m.container;
    const { name: wanted, renamed } = kubeName(c.name);
    const name = names.take(wanted);
    if (renamed || name !== wanted) annotations[`${CONTAINER_NAME_ANNOTATION}/${name}`] = c.name;
    const { volumeMounts, skipped } = volumes.mounts(c.spec.mounts ?? [], Object.keys(m.imageConfig?.Volumes ?? {}));
    for (const s of skipped) notes.push(`container ${c.name}: the ${s} has no Kubernetes volume type and is left out`);
    // In a pod the infra container publishes the ports: they go on the first container, as Podman writes them.
    const portsOf = src.infra ? (i === 0 ? src.infra : undefined) : c;
    containers.push(kubeContainer(c, { name, image: m.image, imageConfig: m.imageConfig, withService: opts.service, volumeMounts, portsOf }));
    Object.assign(annotations, podmanOnlyAnnotations(c, name, opts.podmanOnly));
    if (c.spec.security?.devices?.length) notes.push(`container ${c.name}: its devices (--device) have no Kubernetes equivalent and are left out`);
    if (c.spec.healthcheck && c.spec.healthcheck.test[0] !== 'NONE' && c.spec.healthcheck.intervalMs <= 0) notes.push(`container ${c.name}: its healthcheck runs only on demand (no interval): no livenessProbe`);
  });
  const meta = labelsAndAnnotations(src, podName, containers.map((c) => c.name), opts.podmanOnly, notes);
  Object.assign(annotations, meta.annotations, volumes.annotations);
  const hosts = hostAliases(src.infra ? (src.infra.spec.addHosts ?? []) : src.members.flatMap((m) => m.container.spec.addHosts ?? []));
  const dns = dnsConfig(netSource);
  const host = hostname(src, notes);
  notes.push(...networkNotes(netSource));
  const stop = src.members.find((m) => m.container.spec.stopTimeout !== 10)?.container.spec.stopTimeout;
  const hostNs = (ns: 'pid' | 'ipc') => src.members.some((m) => m.container.spec.security?.[ns] === 'host');
  const policy = restartPolicy(src);
  const spec: Record<string, unknown> = {
    ...(policy ? { restartPolicy: policy } : {}),
    ...(host ? { hostname: host } : {}),
    ...(netSource.length && netSource.every((c) => c.spec.network === 'host') ? { hostNetwork: true } : {}),
    ...(hostNs('pid') ? { hostPID: true } : {}),
    ...(hostNs('ipc') ? { hostIPC: true } : {}),
    ...(src.pod?.spec.share.includes('pid') ? { shareProcessNamespace: true } : {}),
    ...(hosts.length ? { hostAliases: hosts } : {}),
    ...(dns ? { dnsConfig: dns } : {}),
    ...(stop !== undefined ? { terminationGracePeriodSeconds: stop } : {}),
    containers,
    ...(volumes.volumes.length ? { volumes: volumes.volumes } : {}),
  };
  return { spec, labels: meta.labels, annotations, notes };
}

/** The pod's name in the YAML: the pod's (valid), or "<first container>-pod" as Podman names it. */
export function podNameOf(src: PodSource): { name: string; original?: string } {
  if (!src.pod) return { name: labelWithSuffix(src.members[0].container.name, '-pod') };
  const { name, renamed } = kubeName(src.pod.name);
  return renamed ? { name, original: src.pod.name } : { name };
}

/** The Deployment, DaemonSet or Job around a pod template; restart policies are what each allows. */
function workload(kind: KubeKind, podName: string, meta: { labels: Record<string, string>; annotations: Record<string, string> }, spec: Record<string, unknown>, replicas: number, notes: string[]): Record<string, unknown> {
  const annotations = Object.keys(meta.annotations).length ? { annotations: meta.annotations } : {};
  if (kind === 'pod') return { apiVersion: 'v1', kind: 'Pod', metadata: { name: podName, labels: meta.labels, ...annotations }, spec };
  const was = spec.restartPolicy as string | undefined;
  const allowed = kind === 'job' ? (was === 'OnFailure' ? 'OnFailure' : 'Never') : 'Always';
  if (was && was !== allowed) notes.push(`restartPolicy ${was} of the containers is ${allowed} in a ${kind === 'job' ? 'Job' : kind === 'deployment' ? 'Deployment' : 'DaemonSet'}, the only policy it allows${kind === 'job' ? ' besides OnFailure' : ''}`);
  const template = { metadata: { labels: meta.labels, ...annotations }, spec: { ...spec, restartPolicy: allowed } };
  const selector = { matchLabels: { app: meta.labels.app } };
  switch (kind) {
    case 'deployment':
      return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${podName}-deployment`, labels: meta.labels }, spec: { ...(replicas > 1 ? { replicas } : {}), selector, template } };
    case 'daemonset':
      return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: `${podName}-daemonset`, labels: meta.labels }, spec: { selector, template } };
    default:
      return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: `${podName}-job`, labels: meta.labels }, spec: { completions: 1, parallelism: 1, template } };
  }
}

/**
 * A NodePort Service for the pod's published ports. A host port in the node port range
 * (30000-32767) is the nodePort; any other gets a free one from the range at random, as Podman
 * does, and a note saying so.
 */
export function service(src: PodSource, podName: string, app: string, random: () => number, notes: string[]): Record<string, unknown> | undefined {
  const published = eachPort(src.infra ? (src.infra.spec.ports ?? []) : src.members.flatMap((m) => m.container.spec.ports ?? []));
  if (!published.length) {
    notes.push('--service: no port is published, so no Service is written (Kubernetes needs at least one port)');
    return undefined;
  }
  const taken = new Set(published.filter((p) => p.hostPort >= 30000 && p.hostPort <= 32767).map((p) => p.hostPort));
  const ports = published.map((p) => {
    let nodePort = p.hostPort;
    if (nodePort < 30000 || nodePort > 32767) {
      do nodePort = 30000 + Math.floor(random() * 2768);
      while (taken.has(nodePort));
      taken.add(nodePort);
      notes.push(`Service port ${p.containerPort}/${p.protocol}: host port ${p.hostPort} is outside the node port range 30000-32767, so nodePort ${nodePort} was chosen at random (as Podman does); delete it to let the cluster choose`);
    }
    return { name: `${p.containerPort}-${p.protocol}`, port: p.containerPort, targetPort: p.containerPort, protocol: p.protocol.toUpperCase(), nodePort };
  });
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: serviceName(podName), labels: { app } }, spec: { type: 'NodePort', selector: { app }, ports } };
}

/** The objects for one pod source: its workload, and its Service with --service. */
export function generatePod(src: PodSource, opts: KubeGenerateOptions, hostPathType: (p: string) => HostPathType, random: () => number = Math.random): Generated {
  const { name: podName, original } = podNameOf(src);
  const { spec, labels, annotations, notes } = podSpec(src, podName, opts, hostPathType);
  if (original) annotations[POD_NAME_ANNOTATION] = original;
  const objects: Array<Record<string, unknown>> = [];
  if (opts.service) {
    const svc = service(src, podName, labels.app, random, notes);
    if (svc) objects.push(svc);
  }
  objects.push(workload(opts.type, podName, { labels, annotations }, spec, opts.replicas, notes));
  return { objects, notes };
}

/** A named volume as a PersistentVolumeClaim (1Gi, ReadWriteOnce, as Podman writes one), its options as Podman's annotations. */
export function persistentVolumeClaim(v: Volume): Generated {
  const notes: string[] = [];
  const name = claimNameOf(v.name);
  const annotations: Record<string, string> = { 'volume.podman.io/driver': v.config.driver };
  const keys: Record<string, string> = { o: 'mount-options', device: 'device', type: 'type', UID: 'uid', GID: 'gid' };
  for (const [k, value] of Object.entries(v.config.options)) if (keys[k]) annotations[`volume.podman.io/${keys[k]}`] = value;
  if (name !== v.name) annotations[VOLUME_NAME_ANNOTATION] = v.name;
  const labels = Object.fromEntries(Object.entries(v.config.labels).filter(([k, val]) => {
    const ok = validLabel(k, val);
    if (!ok) notes.push(`volume ${v.name}: label ${k}=${val} is not a valid Kubernetes label and is left out`);
    return ok;
  }));
  return {
    objects: [{ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, ...(Object.keys(labels).length ? { labels } : {}), annotations }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    notes,
  };
}
