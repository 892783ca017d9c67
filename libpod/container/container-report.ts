// What ps shows of a container, in Podman's shapes: ps's JSON entries (and the row its templates
// see), and ps's filters (inspect's document is container-inspect.ts). Pure.
import fs from 'node:fs';
import { InvalidArgumentError } from '../../src/errors';
import { parseTimeSpec } from '../../src/time-spec';
import { isUp, statusText, type Container } from './container';
import type { PortMapping } from '../network/network-spec';

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : '0001-01-01T00:00:00Z');

/** `ps --format json`: Podman's ListContainer fields. */
export function psEntry(c: Container, health = '', pod?: PodRef) {
  return {
    AutoRemove: c.spec.autoRemove,
    Command: c.spec.args,
    Created: Math.floor(c.createdAt / 1000),
    CreatedAt: iso(c.createdAt),
    Exited: c.state === 'exited',
    ExitedAt: c.status.finishedAt ? Math.floor(c.status.finishedAt / 1000) : -62135596800,
    ExitCode: c.status.exitCode ?? 0,
    Id: c.id,
    Image: c.spec.imageName,
    ImageID: c.spec.imageId.replace(/^sha256:/, ''),
    IsInfra: pod?.infra ?? false,
    Labels: Object.keys(c.spec.labels).length ? c.spec.labels : null,
    Mounts: (c.spec.mounts ?? []).map((m) => m.destination),
    Names: [c.name],
    Namespaces: {},
    Networks: c.spec.network === 'bridge' ? (c.spec.networks ?? []).map((a) => a.name) : [],
    Pid: livePid(c),
    Pod: pod?.id ?? '',
    PodName: pod?.name ?? '',
    Ports: c.spec.ports?.length ? c.spec.ports.map((p) => ({ host_ip: p.hostIp, container_port: p.containerPort, host_port: p.hostPort, range: p.range, protocol: p.protocol })) : null,
    Restarts: c.status.restartCount ?? 0,
    StartedAt: c.status.startedAt ? Math.floor(c.status.startedAt / 1000) : -62135596800,
    State: c.state,
    Status: statusText(c, Date.now(), health),
  };
}

/** The pod a container belongs to, as ps shows it (POD ID, PODNAME; IsInfra for its infra container). */
export interface PodRef {
  id: string;
  name: string;
  infra: boolean;
}

/** `ps --format json`: Podman's ListContainer, as libpod reports it. */
export type ListContainer = ReturnType<typeof psEntry>;

/** What ps's table and Go templates are made from (commands/format/ps-row.ts formats it). */
export interface PsSummary {
  id: string;
  name: string;
  image: string;
  imageId: string;
  args: string[];
  createdAt: number;
  state: string;
  /** "Up 5 seconds", "Exited (0) 2 minutes ago", as at the listing. */
  status: string;
  labels: Record<string, string>;
  ports: PortMapping[];
  pid: number;
  exitCode: number;
  restarts: number;
  autoRemove: boolean;
  startedAt: number;
  /** With ps --size: the bytes the container wrote, and those of its whole root (image + written). */
  size?: { rw: number; rootFs: number };
  /** The pod it belongs to (ps --pod). */
  pod?: PodRef;
  /** With ps --ns: the inode of each namespace of the running container's process ('' when unknown). */
  namespaces?: PsNamespaces;
}

export interface PsNamespaces {
  Cgroup: string;
  IPC: string;
  MNT: string;
  NET: string;
  PIDNS: string;
  User: string;
  UTS: string;
}

const NS_FILES: Record<keyof PsNamespaces, string> = { Cgroup: 'cgroup', IPC: 'ipc', MNT: 'mnt', NET: 'net', PIDNS: 'pid', User: 'user', UTS: 'uts' };

/** `ps --ns`: the namespaces of a process from /proc/PID/ns (`net:[4026532281]` → 4026532281). */
export function processNamespaces(pid: number): PsNamespaces {
  const out = {} as PsNamespaces;
  for (const [key, file] of Object.entries(NS_FILES) as Array<[keyof PsNamespaces, string]>) {
    let inode = '';
    if (pid > 0) {
      try {
        inode = /\[(\d+)\]/.exec(fs.readlinkSync(`/proc/${pid}/ns/${file}`))?.[1] ?? '';
      } catch {
        inode = '';
      }
    }
    out[key] = inode;
  }
  return out;
}

/** The container's PID 1 while the runtime has it (running, stopping, initialized), else 0 as Podman resets it. */
function livePid(c: Container): number {
  return isUp(c.state) || c.state === 'initialized' ? (c.status.pid ?? 0) : 0;
}

/** One container as `ps` reports it: Podman's JSON entry and the facts of its row. */
export interface PsReport {
  entry: ListContainer;
  summary: PsSummary;
}

export function psSummary(c: Container, now = Date.now(), health = '', pod?: PodRef): PsSummary {
  return {
    ...(pod ? { pod } : {}),
    id: c.id,
    name: c.name,
    image: c.spec.imageName,
    imageId: c.spec.imageId.replace(/^sha256:/, ''),
    args: c.spec.args,
    createdAt: c.createdAt,
    state: c.state,
    status: statusText(c, now, health),
    labels: c.spec.labels,
    ports: c.spec.ports ?? [],
    pid: livePid(c),
    exitCode: c.status.exitCode ?? 0,
    restarts: c.status.restartCount ?? 0,
    autoRemove: c.spec.autoRemove,
    startedAt: c.status.startedAt ?? 0,
  };
}

const PS_FILTER_KEYS = ['status', 'name', 'label', 'label!', 'ancestor', 'id', 'exited', 'before', 'since', 'until', 'volume', 'network', 'restart-policy', 'command', 'should-start-on-boot', 'pod', 'health'];

/**
 * ps --filter (and stop/rm/restart/start --filter): Podman's keys. Same key ORs (label and label!
 * AND, as Podman 5's and Docker's: each label must match),
 * keys AND. before=/since= name a container (lookup finds it); pod= a pod's name or ID (podIds
 * finds the pods it names; without it, an ID prefix); health= is the healthcheck's status (none: no healthcheck).
 */
export function psFilter(filters: string[], imageMatches: (c: Container, ref: string) => boolean, lookup?: (ref: string) => Container, health: (c: Container) => string = () => '', podIds?: (ref: string) => string[]): (c: Container) => boolean {
  const byKey = new Map<string, string[]>();
  for (const f of filters) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`invalid filter "${f}": use key=value, e.g. status=running`);
    const key = f.slice(0, eq);
    if (!PS_FILTER_KEYS.includes(key)) throw new InvalidArgumentError(`invalid filter "${key}": use ${PS_FILTER_KEYS.join(', ')}`);
    if (key === 'health' && !['starting', 'healthy', 'unhealthy', 'none'].includes(f.slice(eq + 1))) throw new InvalidArgumentError(`invalid health "${f.slice(eq + 1)}": use starting, healthy, unhealthy or none`);
    const value = f.slice(eq + 1);
    if (key === 'status' && !['created', 'initialized', 'running', 'paused', 'stopping', 'exited', 'removing', 'restarting', 'unknown'].includes(value)) {
      throw new InvalidArgumentError(`invalid status "${value}": use created, initialized, running, paused, stopping, exited, removing or restarting`);
    }
    byKey.set(key, [...(byKey.get(key) ?? []), value]);
  }
  const created = (ref: string): number => {
    if (!lookup) throw new InvalidArgumentError('before= and since= filters are not taken here: name the containers instead');
    return lookup(ref).createdAt;
  };
  const times = new Map<string, number>();
  for (const key of ['before', 'since']) for (const v of byKey.get(key) ?? []) times.set(`${key}=${v}`, created(v));
  for (const v of byKey.get('until') ?? []) times.set(`until=${v}`, parseTimeSpec(v));
  const labelled = (c: Container, v: string) => {
    const eq = v.indexOf('=');
    return eq < 0 ? v in c.spec.labels : c.spec.labels[v.slice(0, eq)] === v.slice(eq + 1);
  };
  const test = (c: Container, key: string, v: string): boolean => {
    switch (key) {
      case 'label!':
        return !labelled(c, v);
      case 'before':
      case 'until':
        return c.createdAt < times.get(`${key}=${v}`)!;
      case 'since':
        return c.createdAt > times.get(`since=${v}`)!;
      case 'volume':
        return (c.spec.mounts ?? []).some((m) => (m.type === 'volume' && m.source === v) || m.destination === v);
      case 'network':
        return c.spec.network === v || (c.spec.network === 'bridge' && (c.spec.networks ?? []).some((a) => a.name === v));
      case 'restart-policy':
        return c.spec.restartPolicy.name === v;
      case 'command':
        return c.spec.args[0] === v;
      case 'should-start-on-boot':
        return (c.spec.restartPolicy.name === 'always' || (c.spec.restartPolicy.name === 'unless-stopped' && !c.status.stoppedByUser)) === (v === 'true');
      case 'pod':
        return c.spec.pod !== undefined && (podIds ? podIds(v).includes(c.spec.pod) : /^[0-9a-f]+$/.test(v) && c.spec.pod.startsWith(v));
      case 'health':
        return (health(c) || 'none') === v;
      case 'status':
        return c.state === v;
      case 'name':
        return new RegExp(v).test(c.name);
      case 'id':
        return c.id.startsWith(v);
      case 'exited':
        return c.state === 'exited' && c.status.exitCode === Number(v);
      case 'ancestor':
        return imageMatches(c, v);
      default: {
        const eq = v.indexOf('=');
        return eq < 0 ? v in c.spec.labels : c.spec.labels[v.slice(0, eq)] === v.slice(eq + 1);
      }
    }
  };
  return (c) => [...byKey.entries()].every(([key, values]) => (key === 'label!' || key === 'label' ? values.every((v) => test(c, key, v)) : values.some((v) => test(c, key, v))));
}
