// What `pod ps` shows of a pod, in Podman 5's shapes: the list entry (its JSON is Podman's
// ListPodsReport), the filters Podman's man page lists, and the sort keys. Pure: the containers
// and their states are handed in by the pod engine.
import { InvalidArgumentError } from '../../src/errors';
import { parseTimeSpec } from '../../src/time-spec';
import type { Container } from '../container/container';
import { podStatus, type Pod } from './pod';

/** A container's state as Podman's pod verbs name it (created, running, paused, exited, ...). */
export type MemberState = Container['state'] | 'paused';

/** One of the pod's containers, with the state seen now. */
export interface PodMember {
  container: Container;
  state: MemberState;
}

/** Podman's ListPodContainer. */
export interface ListPodContainer {
  Id: string;
  Names: string;
  Status: string;
  RestartCount: number;
}

/** `pod ps --format json`: Podman's ListPodsReport, field for field. */
export interface ListPodsReport {
  Cgroup: string;
  Containers: ListPodContainer[];
  Created: string;
  Id: string;
  InfraId: string;
  Name: string;
  Namespace: string;
  /** The infra container's networks (user-defined ones; none with slirp4netns or pasta). */
  Networks: string[];
  Status: string;
  Labels: Record<string, string> | null;
}

/** The pod's status as Podman derives it: from every container's state but its init containers' (they exit by design). */
export function memberStatus(members: PodMember[]): string {
  return podStatus(members.filter((m) => m.container.spec.initCtr === undefined).map((m) => m.state));
}

/** The networks the pod's infra container joined by name (Podman's infra.Networks()). */
export function memberNetworks(c: Container | undefined): string[] {
  return c?.spec.network === 'bridge' ? (c.spec.networks ?? []).map((a) => a.name) : [];
}

/** The list entry of a pod whose containers (infra first) are members. */
export function listPodsReport(pod: Pod, members: PodMember[]): ListPodsReport {
  const infra = members.find((m) => m.container.id === pod.spec.infraId)?.container;
  return {
    Cgroup: '',
    Containers: members.map((m) => ({ Id: m.container.id, Names: m.container.name, Status: m.state, RestartCount: m.container.status.restartCount ?? 0 })),
    Created: new Date(pod.createdAt).toISOString(),
    Id: pod.id,
    InfraId: pod.spec.infraId ?? '',
    Name: pod.name,
    Namespace: '',
    Networks: memberNetworks(infra),
    Status: memberStatus(members),
    Labels: Object.keys(pod.spec.labels ?? {}).length ? pod.spec.labels : null,
  };
}

export const POD_FILTER_KEYS = ['id', 'name', 'label', 'label!', 'status', 'ctr-names', 'ctr-ids', 'ctr-status', 'ctr-number', 'network', 'until'];
const POD_STATES = ['stopped', 'running', 'paused', 'exited', 'dead', 'created', 'degraded'];
const CTR_STATES = ['created', 'running', 'paused', 'stopped', 'exited', 'unknown'];

/** Podman's label filter: every value must match (key, or key=value). */
function labelsMatch(labels: Record<string, string>, values: string[]): boolean {
  return values.every((v) => {
    const eq = v.indexOf('=');
    return eq < 0 ? v in labels : labels[v.slice(0, eq)] === v.slice(eq + 1);
  });
}

function regexps(key: string, values: string[]): RegExp[] {
  return values.map((v) => {
    try {
      return new RegExp(v);
    } catch {
      throw new InvalidArgumentError(`invalid ${key} filter "${v}": give a regular expression`);
    }
  });
}

/**
 * `pod ps --filter`: Podman's keys, checked before anything is listed. Values of one key OR
 * (label and label! AND, as Podman's label matching does), keys AND. network= names a network
 * (an unknown one matches nothing, as Podman); ctr-names matches any of the pod's containers.
 */
export function podFilter(filters: string[], knownNetwork: (name: string) => string | undefined = (n) => n): (e: ListPodsReport) => boolean {
  const byKey = new Map<string, string[]>();
  for (const f of filters) {
    const eq = f.indexOf('=');
    if (eq < 0) throw new InvalidArgumentError(`filter input must be in the form of filter=value: ${f} is invalid`);
    const key = f.slice(0, eq);
    const value = f.slice(eq + 1);
    if (!POD_FILTER_KEYS.includes(key)) throw new InvalidArgumentError(`${key} is an invalid filter: use ${POD_FILTER_KEYS.join(', ')}`);
    if (key === 'status' && !POD_STATES.includes(value)) throw new InvalidArgumentError(`${value} is not a valid pod status: use ${POD_STATES.join(', ')}`);
    if (key === 'ctr-status' && !CTR_STATES.includes(value)) throw new InvalidArgumentError(`${value} is not a valid status: use ${CTR_STATES.join(', ')}`);
    if (key === 'ctr-number' && !/^\d+$/.test(value)) throw new InvalidArgumentError(`invalid ctr-number filter "${value}": give a number of containers`);
    byKey.set(key, [...(byKey.get(key) ?? []), value]);
  }
  const tests: Array<(e: ListPodsReport) => boolean> = [];
  for (const [key, values] of byKey) {
    switch (key) {
      case 'id':
        tests.push((e) => values.some((v) => e.Id.startsWith(v)));
        break;
      case 'name': {
        const res = regexps(key, values);
        tests.push((e) => res.some((r) => r.test(e.Name)));
        break;
      }
      case 'label':
        tests.push((e) => labelsMatch(e.Labels ?? {}, values));
        break;
      case 'label!':
        tests.push((e) => !labelsMatch(e.Labels ?? {}, values));
        break;
      case 'status':
        tests.push((e) => values.includes(e.Status.toLowerCase()));
        break;
      case 'ctr-names': {
        const res = regexps(key, values);
        tests.push((e) => e.Containers.some((c) => res.some((r) => r.test(c.Names))));
        break;
      }
      case 'ctr-ids':
        tests.push((e) => e.Containers.some((c) => values.some((v) => c.Id.startsWith(v))));
        break;
      case 'ctr-status': {
        // Podman names a stopped container exited; stopped= asks for those.
        const wanted = values.map((v) => (v === 'stopped' ? 'exited' : v));
        tests.push((e) => e.Containers.some((c) => wanted.includes(c.Status)));
        break;
      }
      case 'ctr-number':
        tests.push((e) => values.some((v) => e.Containers.length === Number(v)));
        break;
      case 'network': {
        const names = values.map(knownNetwork).filter((n): n is string => n !== undefined);
        tests.push((e) => e.Networks.some((n) => names.includes(n)));
        break;
      }
      default: {
        const times = values.map((v) => parseTimeSpec(v));
        tests.push((e) => times.some((t) => Date.parse(e.Created) < t));
      }
    }
  }
  return (e) => tests.every((t) => t(e));
}

export const POD_SORT_KEYS = ['created', 'id', 'name', 'number', 'status'];

/** `pod ps --sort`: created is newest first (Podman's default), the others ascending. */
export function sortPods(entries: ListPodsReport[], key: string): ListPodsReport[] {
  if (!POD_SORT_KEYS.includes(key)) throw new InvalidArgumentError(`invalid option for --sort, options are: ${POD_SORT_KEYS.join(', ')}`);
  const by: Record<string, (e: ListPodsReport) => string | number> = {
    created: (e) => -Date.parse(e.Created),
    id: (e) => e.Id,
    name: (e) => e.Name,
    number: (e) => e.Containers.length,
    status: (e) => e.Status,
  };
  const get = by[key];
  return [...entries].sort((a, b) => {
    const x = get(a);
    const y = get(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
