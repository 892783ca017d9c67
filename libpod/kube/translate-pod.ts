// A pod template (a Pod, or a Deployment's, DaemonSet's or Job's spec.template) as what tspod
// makes of it: the pod's create options (host name, host network, host aliases, DNS, shared PID,
// published hostPorts, restart policy, labels, sysctls) and each container's (init containers
// first), as Podman's kube play makes them. Values tspod cannot honour are reported through
// ctx.warn (errors with ctx.strict); fields are reported by the loader (fields.ts).
import { InvalidArgumentError } from '../../src/errors';
import { reportValue } from './fields';
import { isMap, type EnvSources } from './translate-env';
import { translateContainer } from './translate-container';
import { podVolumes } from './volumes-from-kube';
import type { KubeObject, TranslateContext, TranslatedPod } from './types';

const RESTART: Record<string, string> = { Always: 'always', OnFailure: 'on-failure', Never: 'no' };

/** restartPolicy as --restart (unset: Always). */
export function restartPolicy(v: unknown, where: string): string {
  if (v === undefined || v === null || v === '') return 'always';
  if (typeof v !== 'string' || !RESTART[v]) throw new InvalidArgumentError(`${where}: spec.restartPolicy: unknown policy ${JSON.stringify(v)}: use Always, OnFailure or Never`);
  return RESTART[v];
}

function stringMap(v: unknown, where: string, p: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isMap(v)) throw new InvalidArgumentError(`${where}: ${p} must be a mapping of names to strings`);
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') throw new InvalidArgumentError(`${where}: ${p}.${k} must be a string: quote it ("${String(x)}")`);
  return v as Record<string, string>;
}

function list(v: unknown, where: string, p: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new InvalidArgumentError(`${where}: ${p} must be a list`);
  return v;
}

/** The containers' hostPorts as the pod's -p values, and every containerPort for Services. */
function ports(containers: unknown[], where: string): { publish: string[]; containerPorts: TranslatedPod['containerPorts'] } {
  const publish: string[] = [];
  const containerPorts: TranslatedPod['containerPorts'] = [];
  const names = new Set<string>();
  const hostSeen = new Set<string>();
  containers.forEach((c, i) => {
    if (!isMap(c)) return;
    list(c.ports, where, `spec.containers[${i}].ports`).forEach((port, j) => {
      const p = `spec.containers[${i}].ports[${j}]`;
      if (!isMap(port)) throw new InvalidArgumentError(`${where}: ${p} must be a mapping`);
      const num = (v: unknown, f: string) => {
        if (v === undefined || v === null) return undefined;
        if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 65535) throw new InvalidArgumentError(`${where}: ${p}.${f} must be a port number from 1 to 65535`);
        return v as number;
      };
      const hostPort = num(port.hostPort, 'hostPort');
      const containerPort = num(port.containerPort, 'containerPort') ?? hostPort;
      if (containerPort === undefined) throw new InvalidArgumentError(`${where}: ${p}.containerPort is missing`);
      const protocol = port.protocol === undefined ? 'TCP' : port.protocol;
      if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') throw new InvalidArgumentError(`${where}: ${p}.protocol must be TCP, UDP or SCTP`);
      if (port.name !== undefined) {
        if (typeof port.name !== 'string' || port.name.length > 15 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(port.name) || !/[a-z]/.test(port.name) || port.name.includes('--')) {
          throw new InvalidArgumentError(`${where}: ${p}.name: invalid port name ${JSON.stringify(port.name)}: an IANA service name has at most 15 lower case letters, digits or '-' (not at either end, not two in a row) and at least one letter`);
        }
        if (names.has(port.name)) throw new InvalidArgumentError(`${where}: ${p}.name: port name "${port.name}" is used twice in the pod`);
        names.add(port.name);
      }
      containerPorts.push({ ...(port.name ? { name: port.name as string } : {}), containerPort, protocol });
      if (hostPort === undefined) return;
      if (protocol === 'SCTP') throw new InvalidArgumentError(`${where}: ${p}: SCTP ports cannot be published by tspod's rootless networks`);
      const hostIp = port.hostIP === undefined || port.hostIP === '' ? '' : String(port.hostIP);
      const key = `${hostIp}:${hostPort}/${protocol}`;
      if (hostSeen.has(key)) throw new InvalidArgumentError(`${where}: ${p}.hostPort: ${hostPort}/${protocol} is published twice in the pod`);
      hostSeen.add(key);
      publish.push(`${hostIp ? `${hostIp.includes(':') ? `[${hostIp}]` : hostIp}:` : ''}${hostPort}:${containerPort}/${protocol.toLowerCase()}`);
    });
  });
  return { publish, containerPorts };
}

/** The pod's host name: spec.hostname, else its name cut to 63 characters (as the kubelet cuts it). */
function hostnameOf(spec: Record<string, unknown>, podName: string, where: string): string {
  if (spec.hostname !== undefined) {
    if (typeof spec.hostname !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(spec.hostname) || spec.hostname.length > 63) throw new InvalidArgumentError(`${where}: spec.hostname: invalid host name ${JSON.stringify(spec.hostname)}: a DNS-1123 label`);
    return spec.hostname;
  }
  return podName.slice(0, 63).replace(/[-.]+$/, '');
}

/** A pod template as the pod's and its containers' create options. */
export function translatePod(template: { metadata?: KubeObject['metadata']; spec?: Record<string, unknown> }, ctx: TranslateContext): TranslatedPod {
  const where = ctx.where ?? `pod ${ctx.podName}`;
  const spec = template.spec;
  if (!isMap(spec)) throw new InvalidArgumentError(`${where}: spec is missing: a pod needs spec.containers`);
  const md = isMap(template.metadata) ? template.metadata : {};
  const labels = stringMap(md.labels, where, 'metadata.labels');
  const annotations: Record<string, string> = { ...stringMap(md.annotations, where, 'metadata.annotations') };
  for (const a of ctx.annotations) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`invalid --annotation "${a}": use KEY=VALUE`);
    annotations[a.slice(0, eq)] = a.slice(eq + 1);
  }
  const containers = list(spec.containers, where, 'spec.containers');
  if (containers.length === 0) throw new InvalidArgumentError(`${where}: spec.containers is empty: a pod needs at least one container`);
  const inits = list(spec.initContainers, where, 'spec.initContainers');
  const restart = restartPolicy(spec.restartPolicy, where);
  const grace = spec.terminationGracePeriodSeconds;
  if (grace !== undefined && grace !== null && (!Number.isInteger(grace) || (grace as number) < 0)) throw new InvalidArgumentError(`${where}: spec.terminationGracePeriodSeconds must be a whole number of 0 or more`);
  const hostNetwork = spec.hostNetwork === true;
  const env: EnvSources = { configMaps: ctx.configMaps, secrets: ctx.secrets, podName: ctx.podName, labels, annotations, where };
  const vols = podVolumes(spec.volumes, ctx, env, where);
  const { publish, containerPorts } = ports(containers, where);
  if (hostNetwork && publish.length) reportValue(where, 'spec.containers[].ports[].hostPort', 'with hostNetwork the containers use the host\'s ports directly: nothing is published', ctx.strict, ctx.warn);
  const addHosts = hostAliases(spec.hostAliases, where);
  if (addHosts.length && ctx.noHosts) throw new InvalidArgumentError(`${where}: spec.hostAliases cannot be written with --no-hosts: drop one of them`);
  const dns = isMap(spec.dnsConfig) ? spec.dnsConfig : {};
  const sysctls = isMap(spec.securityContext) ? list(spec.securityContext.sysctls, where, 'spec.securityContext.sysctls').map((s, i) => {
    if (!isMap(s) || typeof s.name !== 'string' || typeof s.value !== 'string') throw new InvalidArgumentError(`${where}: spec.securityContext.sysctls[${i}] needs a name and a string value`);
    return `${s.name}=${s.value}`;
  }) : [];
  const names = new Set<string>();
  const labelList = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  const annotationList = Object.entries(annotations).map(([k, v]) => `${k}=${v}`);
  const podSc = isMap(spec.securityContext) ? spec.securityContext : {};
  const plans = [...inits.map((c, i) => ({ c, path: `spec.initContainers[${i}]`, init: true })), ...containers.map((c, i) => ({ c, path: `spec.containers[${i}]`, init: false }))].map(({ c, path, init }) => {
    const plan = translateContainer({ c, path, init, restart: init ? 'no' : restart, labels: labelList, annotations: annotationList, stopTimeout: grace as number | undefined, podSc, vols, env }, ctx, where);
    if (names.has(plan.name)) throw new InvalidArgumentError(`${where}: ${path}.name: container name "${plan.name}" is used twice in the pod`);
    names.add(plan.name);
    return plan;
  });
  tmpfsShared(spec, vols, ctx, where);
  const readiness: TranslatedPod['readiness'] = {};
  containers.forEach((c, i) => {
    if (isMap(c) && c.readinessProbe != null && plans[inits.length + i].create.health) readiness[plans[inits.length + i].name] = plans[inits.length + i].create.health!;
  });
  return {
    pod: {
      name: ctx.podName,
      infra: true,
      ...(spec.shareProcessNamespace === true ? { share: '+pid' } : {}),
      ...(hostNetwork ? { network: 'host' } : { hostname: hostnameOf(spec, ctx.podName, where) }),
      labels: labelList,
      publish: hostNetwork ? [] : publish,
      addHosts,
      dns: strList(dns.nameservers, where, 'spec.dnsConfig.nameservers'),
      dnsSearch: strList(dns.searches, where, 'spec.dnsConfig.searches'),
      dnsOptions: list(dns.options, where, 'spec.dnsConfig.options').map((o, i) => {
        if (!isMap(o) || typeof o.name !== 'string' || o.name === '') throw new InvalidArgumentError(`${where}: spec.dnsConfig.options[${i}].name is missing`);
        return o.value === undefined || o.value === null ? o.name : `${o.name}:${String(o.value)}`;
      }),
      ...(ctx.noHosts ? { noHosts: true } : {}),
      volumes: [],
      exitPolicy: 'stop',
      restart,
      ...(ctx.userns !== undefined ? { userns: ctx.userns } : {}),
      ...(sysctls.length ? { sysctls } : {}),
    },
    containers: plans,
    claims: vols.claims,
    containerPorts,
    hostPaths: vols.hostPaths,
    emptyDirs: vols.emptyDirs,
    readiness,
  };
}

function strList(v: unknown, where: string, p: string): string[] {
  const l = list(v, where, p);
  if (!l.every((x) => typeof x === 'string')) throw new InvalidArgumentError(`${where}: ${p} must be a list of strings`);
  return l as string[];
}

/** hostAliases as --add-host HOST:IP, one per host name. */
function hostAliases(v: unknown, where: string): string[] {
  return list(v, where, 'spec.hostAliases').flatMap((a, i) => {
    if (!isMap(a) || typeof a.ip !== 'string' || a.ip === '') throw new InvalidArgumentError(`${where}: spec.hostAliases[${i}].ip is missing`);
    return strList(a.hostnames, where, `spec.hostAliases[${i}].hostnames`).map((h) => `${h}:${a.ip}`);
  });
}

/** A Memory emptyDir is a tmpfs of each container's own: said when several containers mount it. */
function tmpfsShared(spec: Record<string, unknown>, vols: ReturnType<typeof podVolumes>, ctx: TranslateContext, where: string): void {
  const users = new Map<string, number>();
  for (const c of [...list(spec.initContainers, where, ''), ...list(spec.containers, where, '')]) {
    if (!isMap(c) || !Array.isArray(c.volumeMounts)) continue;
    for (const m of new Set(c.volumeMounts.filter(isMap).map((m) => m.name as string))) if (vols.volumes.get(m)?.kind === 'tmpfs') users.set(m, (users.get(m) ?? 0) + 1);
  }
  for (const [name, n] of users) if (n > 1) reportValue(where, `spec.volumes[name=${name}].emptyDir.medium`, 'each container gets a tmpfs of its own: the files are not shared between its containers', ctx.strict, ctx.warn);
}
