// A file's Services as tspod publishes them: each replica a Service selects publishes the
// Service's targetPort on 127.0.0.1 at a port tspod chooses, and a proxy of the Service's own
// (libpod/kube/service-proxy.ts) listens on the nodePort, else the port, on every address of the
// host, and forwards each connection to a ready replica. Which replicas are in service ("live")
// changes during a rolling update; the endpoints file is rewritten at each change.
import net from 'node:net';
import { InvalidArgumentError } from '../../src/errors';
import type { Runtime } from '../runtime';
import type { Pod } from '../pod/pod';
import type { KubeDocument, ServiceEndpoints } from './types';
import type { PodPlan } from './play-plan';
import * as proxy from './service-proxy';

export interface ServicePort {
  /** "SERVICE:HOSTPORT/PROTO": the key of a replica's endpoint in its KubeOrigin.endpoints. */
  key: string;
  name?: string;
  hostIp: string;
  hostPort: number;
  protocol: 'tcp' | 'udp';
}

export interface Backend {
  pod: PodPlan;
  key: string;
  /** The container port it forwards to. */
  target: number;
  /** The 127.0.0.1 port the replica made by this play publishes it on. */
  hostPort?: number;
  /** The port in service now (the old replica's until a roll swaps it; none before the replica runs). */
  live?: number;
}

export interface ServicePlan {
  name: string;
  where: string;
  ports: ServicePort[];
  backends: Backend[];
}

function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels?.[k] === selector[k]);
}

/** Each Service's ports and the replicas it selects (by their template's labels), checked. */
export function planServices(pods: PodPlan[], docs: KubeDocument[], warn: (m: string) => void): ServicePlan[] {
  const plans: ServicePlan[] = [];
  for (const doc of docs) {
    const name = doc.object.metadata!.name!;
    const spec = (doc.object.spec ?? {}) as { selector?: Record<string, string>; ports?: Array<Record<string, unknown>>; type?: string };
    if (spec.type === 'ExternalName') {
      warn(`${doc.where}: Service ${name} of type ExternalName names another host: nothing is published for it`);
      continue;
    }
    const ports = (spec.ports ?? []).map((p, i) => servicePort(doc, name, p, i));
    const chosen = pods.filter((p) => selects(spec.selector ?? {}, p.workload.template.metadata?.labels));
    if (!chosen.length) warn(`${doc.where}: Service ${name} selects no pod of this file (spec.selector ${JSON.stringify(spec.selector ?? {})}): its ports are published when pods with those labels are played with it`);
    const backends: Backend[] = [];
    for (const pod of chosen) {
      for (const [i, port] of ports.entries()) {
        const given = (spec.ports![i].targetPort ?? spec.ports![i].port) as number | string;
        backends.push({ pod, key: port.key, target: targetPort(doc, name, pod, given), live: pod.action === 'create' ? undefined : pod.existing?.spec.kube?.endpoints?.[port.key] });
      }
    }
    plans.push({ name, where: doc.where, ports, backends });
  }
  return plans;
}

function servicePort(doc: KubeDocument, name: string, p: Record<string, unknown>, i: number): ServicePort {
  const what = `${doc.where}: Service ${name} spec.ports[${i}]`;
  const protocol = String(p.protocol ?? 'TCP').toLowerCase();
  if (protocol !== 'tcp' && protocol !== 'udp') throw new InvalidArgumentError(`${what}: protocol ${String(p.protocol)} is not supported: use TCP or UDP`);
  const hostPort = (p.nodePort ?? p.port) as number;
  if (!Number.isInteger(hostPort) || hostPort < 1 || hostPort > 65535) throw new InvalidArgumentError(`${what}: ${p.nodePort !== undefined ? 'nodePort' : 'port'} must be a port number (1-65535), not ${JSON.stringify(hostPort)}`);
  return { key: `${name}:${hostPort}/${protocol}`, name: p.name as string | undefined, hostIp: '0.0.0.0', hostPort, protocol: protocol as 'tcp' | 'udp' };
}

/** A targetPort as a number: a name is looked up among the template's containerPorts. */
function targetPort(doc: KubeDocument, service: string, pod: PodPlan, given: number | string): number {
  if (typeof given === 'number') return given;
  if (/^\d+$/.test(given)) return Number(given);
  const found = pod.translated.containerPorts.find((c) => c.name === given);
  if (!found) throw new InvalidArgumentError(`${doc.where}: Service ${service} targetPort "${given}" names no containerPort of ${pod.workload.kind} ${pod.workload.name}: name one of its ports so, or give the number`);
  return found.containerPort;
}

/** A port on 127.0.0.1 free now (the kernel's choice), none of those already taken by this play. */
async function freePort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    if (!taken.has(port)) {
      taken.add(port);
      return port;
    }
  }
}

/** The 127.0.0.1 port of each backend a new replica of this play makes, published by its pod. */
export async function allocateEndpoints(services: ServicePlan[]): Promise<void> {
  const taken = new Set<number>();
  for (const s of services) {
    for (const b of s.backends) {
      if (b.pod.action === 'keep') {
        b.hostPort = b.live;
        continue;
      }
      b.hostPort = await freePort(taken);
      const proto = s.ports.find((p) => p.key === b.key)!.protocol;
      b.pod.translated.pod.publish = [...(b.pod.translated.pod.publish ?? []), `127.0.0.1:${b.hostPort}:${b.target}/${proto}`];
      b.pod.origin.endpoints = { ...b.pod.origin.endpoints, [b.key]: b.hostPort };
    }
  }
}

/** The endpoints file's content: each port's live replicas. */
export function endpointsOf(s: ServicePlan): ServiceEndpoints {
  return {
    service: s.name,
    ports: s.ports.map((p) => ({ hostIp: p.hostIp, hostPort: p.hostPort, protocol: p.protocol, endpoints: s.backends.filter((b) => b.key === p.key && b.live !== undefined).map((b) => b.live!) })),
  };
}

/** Starts the Service's proxy, or hands a running one its new endpoints. */
export async function publishService(rt: Runtime, s: ServicePlan): Promise<void> {
  await proxy.startServiceProxy(rt.paths, endpointsOf(s));
}

/** The endpoints of a Service whose proxy runs, rewritten now (a rolling update's steps). */
export function updateServiceNow(rt: Runtime, s: ServicePlan): void {
  proxy.updateServiceEndpoints(rt.paths, endpointsOf(s));
}

/** The Services the given pods backed, by what each recorded (KubeOrigin.endpoints: "SERVICE:PORT/PROTO"). */
export function servicesBacked(pods: Array<Pod | undefined>): Set<string> {
  return new Set(pods.flatMap((p) => Object.keys(p?.spec.kube?.endpoints ?? {})).map((k) => k.slice(0, k.indexOf(':'))));
}

export async function stopService(rt: Runtime, name: string): Promise<boolean> {
  return proxy.stopServiceProxy(rt.paths, name);
}

function proxyOf(rt: Runtime, name: string) {
  return proxy.listServiceProxies(rt.paths).find((p) => p.service === name);
}

/** Whether a proxy of this name runs now. */
export function proxyRunning(rt: Runtime, name: string): boolean {
  return proxyOf(rt, name)?.pid !== undefined;
}

/** Whether a proxy of this name publishes that port now (a --replace of the file keeps it). */
export function publishedByProxy(rt: Runtime, name: string, port: ServicePort): boolean {
  const now = proxyOf(rt, name);
  return !!now?.pid && now.endpoints.ports.some((p) => p.hostPort === port.hostPort && p.protocol === port.protocol);
}
