// A pod's lifecycle is its containers': start starts the infra container first and then the
// others in the order they were made; stop and kill take the others first and the infra last; rm
// removes the containers (the infra last) and then the record. Each verb acts through the container
// engine's operations, so its checks, locks and container events are the containers' own, and
// records the pod's event as Podman does (type pod).
import fs from 'node:fs';
import { InvalidArgumentError, InvalidStateError, NoSuchPodError } from '../../src/errors';
import { recordEvent } from '../event-log';
import { isUp, type Container } from '../container/container';
import type { Runtime } from '../runtime';
import type { PodContainerOps } from './container-ops';
import type { Report } from '../container/container-api';
import { podStatus, type Pod } from './pod';
import { latestPod } from './pod-views';
import { normalizeSignal } from '../oci/runtime';
import type { PodReport } from './types';

/** Which pods a verb acts on: names or IDs, --all, --latest, those in --pod-id-file files. */
export interface PodSelection {
  names: string[];
  all?: boolean;
  latest?: boolean;
  podIdFiles?: string[];
  /** -i/--ignore: names that match no pod are left out of the reports. */
  ignore?: boolean;
}

/** Records a pod event (create, start, stop, kill, pause, unpause, remove), as Podman's: its ID and name. */
export function podEvent(rt: Runtime, p: Pod, action: string): void {
  recordEvent(rt.db(), 'pod', action, { id: p.id, name: p.name });
}

/** The pods a selection names, each resolved, or a report with its error (missing ones dropped with ignore). */
export function selectPods(rt: Runtime, sel: PodSelection): Array<{ name: string; pod?: Pod; error?: Error }> {
  const pods = rt.pods();
  const given = sel.names.length + (sel.podIdFiles?.length ?? 0);
  if ((sel.all || sel.latest) && given) throw new InvalidArgumentError(`${sel.all ? '--all' : '--latest'} takes no pod names: give one or the other`);
  if (sel.all && sel.latest) throw new InvalidArgumentError('--all and --latest cannot be used together');
  if (sel.all) return pods.list().map((p) => ({ name: p.id, pod: p }));
  if (sel.latest) {
    const p = latestPod(rt);
    return [{ name: p.id, pod: p }];
  }
  if (!given) throw new InvalidArgumentError('you must provide at least one pod name or ID, or --all (or --latest)');
  const refs = [...sel.names, ...(sel.podIdFiles ?? []).flatMap((f) => idFromFile(f, sel.ignore))];
  const out: Array<{ name: string; pod?: Pod; error?: Error }> = [];
  for (const name of refs) {
    try {
      out.push({ name, pod: pods.resolve(name) });
    } catch (err) {
      if (!(err instanceof NoSuchPodError && sel.ignore)) out.push({ name, error: err as Error });
    }
  }
  return out;
}

function idFromFile(file: string, ignore?: boolean): string[] {
  try {
    const id = fs.readFileSync(file, 'utf8').trim();
    return id ? [id] : [];
  } catch (err) {
    if (ignore && (err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new InvalidArgumentError(`reading pod ID file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
  }
}

/** The pod's containers, the infra container first, then the others by creation. */
export function podContainers(rt: Runtime, p: Pod): { infra?: Container; others: Container[] } {
  const all = rt.pods().containersOf(p, rt.containers().list());
  const infra = all.find((c) => c.id === p.spec.infraId);
  return { infra, others: all.filter((c) => c !== infra).sort((a, b) => a.createdAt - b.createdAt) };
}

/** The first error among container reports, prefixed with what was being done (Podman's pod verbs say which container failed). */
function firstError(reports: Report[], doing: string): Error | undefined {
  const failed = reports.filter((r) => r.error);
  if (!failed.length) return undefined;
  const msg = failed.map((r) => `${doing} container ${r.id || r.name}: ${r.error!.message}`).join('; ');
  const err = new InvalidStateError(msg);
  const code = (failed[failed.length - 1].error as { exitCode?: number }).exitCode;
  if (code !== undefined && code !== 125) Object.defineProperty(err, 'exitCode', { value: code });
  return err;
}

/** Runs one verb over the selected pods: a report each, the verb's error inside it. */
export async function eachPod(rt: Runtime, sel: PodSelection, verb: (p: Pod) => Promise<Error | undefined>): Promise<PodReport[]> {
  const reports: PodReport[] = [];
  for (const s of selectPods(rt, sel)) {
    if (!s.pod) {
      reports.push({ name: s.name, error: s.error });
      continue;
    }
    try {
      const error = await verb(s.pod);
      reports.push({ name: s.name, id: s.pod.id, ...(error ? { error } : {}) });
    } catch (err) {
      reports.push({ name: s.name, id: s.pod.id, error: err as Error });
    }
  }
  return reports;
}

/**
 * pod start: the infra container, then the init containers (each run to its end; a once one is
 * then removed), then the others in creation order. Accepts any state; running ones stay.
 */
export async function startPod(rt: Runtime, ops: PodContainerOps, p: Pod): Promise<Error | undefined> {
  const { infra, others } = podContainers(rt, p);
  if (!infra && !others.length) throw new InvalidStateError(`no containers in pod ${p.id} have no dependencies, cannot start pod: no such container: create one with "tspod create --pod ${p.name} IMAGE"`);
  if (infra && !isUp(infra.state)) {
    const error = firstError(await ops.start([infra.id]), 'starting');
    if (error) return error;
  }
  const inits = others.filter((c) => c.spec.initCtr);
  for (const c of inits) {
    const error = await runInit(rt, ops, c);
    if (error) return error;
  }
  const rest = others.filter((c) => !c.spec.initCtr && !isUp(c.state));
  const error = rest.length ? firstError(await ops.start(rest.map((c) => c.id)), 'starting') : undefined;
  podEvent(rt, p, 'start');
  return error;
}

/** An init container run to its end before the others start; a once one is removed after its run. */
async function runInit(rt: Runtime, ops: PodContainerOps, c: Container): Promise<Error | undefined> {
  const error = firstError(await ops.start([c.id]), 'starting init');
  if (error) return error;
  for (let n = 0; ; n++) {
    const fresh = rt.containers().reload(c.id);
    if (!fresh || fresh.state === 'exited') {
      if (fresh && fresh.status.exitCode !== 0) return new InvalidStateError(`init container ${c.id} exited with code ${fresh.status.exitCode}: the pod's other containers were not started; see "tspod logs ${c.name}"`);
      break;
    }
    await new Promise((r) => setTimeout(r, Math.min(200, 10 * 1.3 ** n)));
  }
  if (c.spec.initCtr === 'once') return firstError(await ops.remove([c.id], { force: true }), 'removing init');
  return undefined;
}

/** pod stop: the others (at once), then the infra container. Stopped ones stay stopped. */
export async function stopPod(rt: Runtime, ops: PodContainerOps, p: Pod, timeout?: number): Promise<Error | undefined> {
  const { infra, others } = podContainers(rt, p);
  const up = others.filter((c) => isUp(c.state) || c.state === 'initialized');
  let error = up.length ? firstError(await ops.stop(up.map((c) => c.id), timeout), 'stopping') : undefined;
  if (!error && infra && (isUp(infra.state) || infra.state === 'initialized')) error = firstError(await ops.stop([infra.id], timeout), 'stopping');
  podEvent(rt, p, 'stop');
  return error;
}

/** pod kill: the signal to each running container, the others first and the infra last. */
export async function killPod(rt: Runtime, ops: PodContainerOps, p: Pod, signal: string): Promise<Error | undefined> {
  normalizeSignal(signal); // a bad signal is refused even when nothing runs, as Podman parses it first
  const { infra, others } = podContainers(rt, p);
  const running = [...others, ...(infra ? [infra] : [])].filter((c) => c.state === 'running');
  if (!running.length) {
    podEvent(rt, p, 'kill');
    return undefined;
  }
  const error = firstError(await ops.kill(running.map((c) => c.id), signal), 'killing');
  podEvent(rt, p, 'kill');
  return error;
}

/** pod pause/unpause: each of its containers through the container pause (cgroups v1 rootless: refused with its reason). */
export async function pausePod(rt: Runtime, ops: PodContainerOps, p: Pod, pause: boolean): Promise<Error | undefined> {
  const { infra, others } = podContainers(rt, p);
  const targets = [...others, ...(infra ? [infra] : [])].filter((c) => c.state === 'running');
  // Nothing running: nothing to do, and no error (Podman skips containers in other states).
  if (!targets.length) return undefined;
  const error = firstError(await ops.pause(targets.map((c) => c.id), pause), pause ? 'pausing' : 'unpausing');
  if (!error) podEvent(rt, p, pause ? 'pause' : 'unpause');
  return error;
}

/**
 * pod rm: a pod with running containers is refused without force; else its containers go (the
 * others, then the infra container, which they require), then the record.
 */
export async function removePod(rt: Runtime, ops: PodContainerOps, p: Pod, opts: { force: boolean; timeout?: number }): Promise<Error | undefined> {
  const { infra, others } = podContainers(rt, p);
  const all = [...others, ...(infra ? [infra] : [])];
  const running = all.filter((c) => isUp(c.state));
  if (running.length && !opts.force) {
    return new InvalidStateError(`pod ${p.id} has running containers and cannot be removed without force (${running.map((c) => c.name).join(', ')}): stop the pod first (tspod pod stop ${p.name}), or use tspod pod rm -f ${p.name}`);
  }
  const rm = async (list: Container[]) => (list.length ? firstError(await ops.remove(list.map((c) => c.id), { force: opts.force, timeout: opts.timeout, removingPod: true }), 'removing') : undefined);
  const error = (await rm(others)) ?? (await rm(infra ? [infra] : []));
  if (error) return error;
  rt.pods().remove(p.id);
  podEvent(rt, p, 'remove');
  return undefined;
}

/**
 * The pods pod prune removes: those whose status is Stopped or Exited (Podman's rule: a pod never
 * started, or an empty one, is Created and stays), init containers left out of the status.
 */
export function prunablePods(rt: Runtime): Pod[] {
  const containers = rt.containers().list();
  return rt.pods().list().filter((p) => {
    const states = rt.pods().containersOf(p, containers).filter((c) => c.spec.initCtr === undefined).map((c) => c.state);
    const status = podStatus(states);
    return status === 'Stopped' || status === 'Exited';
  });
}
