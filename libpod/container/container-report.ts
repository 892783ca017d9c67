// What ps shows of a container, in Podman's shapes: ps's JSON entries (and the row its templates
// see), and ps's filters (inspect's document is container-inspect.ts). Pure.
import { InvalidArgumentError } from '../../src/errors';
import { statusText, type Container } from './container';
import type { PortMapping } from '../network/network-spec';

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : '0001-01-01T00:00:00Z');

/** `ps --format json`: Podman's ListContainer fields. */
export function psEntry(c: Container) {
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
    IsInfra: false,
    Labels: Object.keys(c.spec.labels).length ? c.spec.labels : null,
    Mounts: (c.spec.mounts ?? []).map((m) => m.destination),
    Names: [c.name],
    Namespaces: {},
    Networks: c.spec.network === 'bridge' ? (c.spec.networks ?? []).map((a) => a.name) : [],
    Pid: c.state === 'running' ? (c.status.pid ?? 0) : 0,
    Pod: '',
    PodName: '',
    Ports: c.spec.ports?.length ? c.spec.ports.map((p) => ({ host_ip: p.hostIp, container_port: p.containerPort, host_port: p.hostPort, range: p.range, protocol: p.protocol })) : null,
    Restarts: c.status.restartCount ?? 0,
    StartedAt: c.status.startedAt ? Math.floor(c.status.startedAt / 1000) : -62135596800,
    State: c.state,
    Status: statusText(c),
  };
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
}

/** One container as `ps` reports it: Podman's JSON entry and the facts of its row. */
export interface PsReport {
  entry: ListContainer;
  summary: PsSummary;
}

export function psSummary(c: Container, now = Date.now()): PsSummary {
  return {
    id: c.id,
    name: c.name,
    image: c.spec.imageName,
    imageId: c.spec.imageId.replace(/^sha256:/, ''),
    args: c.spec.args,
    createdAt: c.createdAt,
    state: c.state,
    status: statusText(c, now),
    labels: c.spec.labels,
    ports: c.spec.ports ?? [],
    pid: c.status.pid ?? 0,
    exitCode: c.status.exitCode ?? 0,
    restarts: c.status.restartCount ?? 0,
    autoRemove: c.spec.autoRemove,
  };
}

/** ps --filter: status=, name= (a regular expression), label=key[=value], ancestor=, id=, exited=. Same key ORs, keys AND. */
export function psFilter(filters: string[], imageMatches: (c: Container, ref: string) => boolean): (c: Container) => boolean {
  const byKey = new Map<string, string[]>();
  for (const f of filters) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`invalid filter "${f}": use key=value, e.g. status=running`);
    const key = f.slice(0, eq);
    if (!['status', 'name', 'label', 'ancestor', 'id', 'exited'].includes(key)) throw new InvalidArgumentError(`invalid filter "${key}": use status, name, label, ancestor, id or exited`);
    const value = f.slice(eq + 1);
    if (key === 'status' && !['created', 'running', 'paused', 'stopping', 'exited', 'removing', 'restarting', 'unknown'].includes(value)) {
      throw new InvalidArgumentError(`invalid status "${value}": use created, running, paused, stopping, exited, removing or restarting`);
    }
    byKey.set(key, [...(byKey.get(key) ?? []), value]);
  }
  const test = (c: Container, key: string, v: string): boolean => {
    switch (key) {
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
  return (c) => [...byKey.entries()].every(([key, values]) => values.some((v) => test(c, key, v)));
}
