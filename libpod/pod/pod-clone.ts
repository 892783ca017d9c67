// pod clone, as Podman's: a new pod made from the options the original was created with
// (PodSpec.createOptions, with clone's pod options over them), then each of its containers but the
// infra made again into it from its own create options, as container clone makes a copy. Every
// option is checked before anything is made; a copy that fails half-way is removed again, and an
// original stopped for --destroy is started again. --destroy removes the original once the copy
// exists; --start starts the copy.
import fs from 'node:fs';
import { InvalidArgumentError, InvalidStateError } from '../../src/errors';
import type { Runtime } from '../runtime';
import type { PodContainerOps } from './container-ops';
import type { CreateOptions } from '../container/create-spec';
import { isUp, type Container } from '../container/container';
import { isSameProcess } from '../container/container-store';
import type { Pod } from './pod';
import type { PodCreateOptions } from './types';
import { createPod } from './pod-create';
import { removePod, startPod, stopPod } from './pod-lifecycle';

/** The pod create options clone takes: they replace the stored ones; lists are added to them. */
export type PodCloneOverrides = Partial<Pick<PodCreateOptions, 'hostname' | 'labels' | 'labelFiles' | 'volumes' | 'restart' | 'infraName' | 'infraCommand' | 'infraConmonPidFile' | 'shmSize' | 'sysctls' | 'securityOpt'>>;

export interface PodCloneOptions {
  /** The copy's name; by default NAME-clone (then NAME-clone1, -clone2, ... as Podman counts). */
  name?: string;
  destroy: boolean;
  start: boolean;
  overrides: PodCloneOverrides;
  /** A member's create options, from the create command it was made with; undefined when that was no create or run. */
  containerOptions: (c: Container) => CreateOptions | undefined;
  createCommand: string[];
  createCwd?: string;
}

export interface PodCloneReport {
  /** The copy's ID, once it exists. */
  id?: string;
  /** What failed; with an ID, after the copy was made (--destroy, --start), as Podman reports it. */
  error?: Error;
}

/** Podman's name of a copy: NAME-clone when free, else the first free NAME-cloneN (a NAME-cloneN counts on from N). */
export function cloneName(name: string, taken: (n: string) => boolean): string {
  const numbered = /^(.*-clone)(\d*)$/.exec(name);
  if (!numbered && !taken(`${name}-clone`)) return `${name}-clone`;
  const base = numbered ? numbered[1] : `${name}-clone`;
  let n = numbered && numbered[2] ? Number(numbered[2]) + 1 : 1;
  while (taken(`${base}${n}`)) n++;
  return `${base}${n}`;
}

/** The copy's pod create options: the original's, with clone's over them. */
export function clonePodOptions(pod: Pod, name: string, o: PodCloneOptions): PodCreateOptions {
  const stored = pod.spec.createOptions;
  if (!stored) throw new InvalidStateError(`pod ${pod.name} has no record of the options it was created with (made by an older tspod): create the copy with "tspod pod create" instead`);
  const v = o.overrides;
  return {
    ...stored,
    name,
    // A fixed infra name or monitor PID file would be the original's: only clone's own are taken.
    infraName: v.infraName,
    infraConmonPidFile: v.infraConmonPidFile,
    hostname: v.hostname ?? stored.hostname,
    restart: v.restart ?? stored.restart,
    infraCommand: v.infraCommand ?? stored.infraCommand,
    shmSize: v.shmSize ?? stored.shmSize,
    labels: [...stored.labels, ...(v.labels ?? [])],
    labelFiles: [...(stored.labelFiles ?? []), ...(v.labelFiles ?? [])],
    volumes: [...stored.volumes, ...(v.volumes ?? [])],
    sysctls: [...(stored.sysctls ?? []), ...(v.sysctls ?? [])],
    securityOpt: [...(stored.securityOpt ?? []), ...(v.securityOpt ?? [])],
    replace: false,
    podIdFile: undefined,
    createCommand: o.createCommand,
    createCwd: pod.spec.createCwd,
  };
}

/**
 * A member's options for the copy: in the new pod, under its clone name. A container made with
 * --pod new:NAME gave its ports and network options to the pod it made; the copy leaves them to
 * the copied pod too.
 */
export function cloneMemberOptions(opts: CreateOptions, podId: string, name: string): CreateOptions {
  const madeThePod = opts.pod?.startsWith('new:') ?? false;
  return {
    ...opts,
    name,
    pod: podId,
    podIdFile: undefined,
    replace: false,
    cidFile: undefined,
    ...(madeThePod ? { publish: [], network: undefined, networkAliases: [], ip: undefined, macAddress: undefined, addHosts: [], dns: [], dnsSearch: [], dnsOptions: [] } : {}),
  };
}

/** Runs fn in dir (where a member's create command ran: its relative paths are relative to it). */
async function inDirectory<T>(dir: string | undefined, fn: () => Promise<T>): Promise<T> {
  const back = process.cwd();
  const go = dir !== undefined && dir !== back && fs.existsSync(dir);
  if (go) process.chdir(dir);
  try {
    return await fn();
  } finally {
    if (go) process.chdir(back);
  }
}

/**
 * Waits (up to 10 s) until the monitors of the stopped containers have ended: their port helpers
 * end with them, and only then are the host ports free for the copy.
 */
async function monitorsGone(rt: Runtime, containers: Container[]): Promise<void> {
  const alive = () =>
    containers.some((c) => {
      const now = rt.containers().reload(c.id);
      return now !== undefined && isSameProcess(now.status.monitorPid, now.status.monitorStart);
    });
  for (const end = Date.now() + 10_000; alive() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
}

/** `pod clone`. Inside the namespace. */
export async function clonePod(rt: Runtime, ops: PodContainerOps, nameOrId: string, o: PodCloneOptions): Promise<PodCloneReport> {
  const pod = rt.pods().resolve(nameOrId);
  if (pod.spec.kube) throw new InvalidStateError(`pod ${pod.name} was made by kube play from ${pod.spec.kube.kind} ${pod.spec.kube.name}: play the file again (tspod kube play) instead of cloning the pod`);
  // Pods and containers share one namespace of names.
  const taken = (n: string) => rt.pods().nameTaken(n) || rt.containers().nameTaken(n);
  const name = o.name ?? cloneName(pod.name, taken);
  if (taken(name)) throw new InvalidStateError(`the name "${name}" is already in use by a pod or a container: choose another name for the copy`);
  const podOpts = clonePodOptions(pod, name, o);
  const all = rt.pods().containersOf(pod, rt.containers().list());
  const members = all.filter((c) => c.id !== pod.spec.infraId);
  const made = members.map((c) => {
    const opts = o.containerOptions(c);
    if (!opts) throw new InvalidArgumentError(`container ${c.name} of pod ${pod.name} was not made by "tspod create" or "tspod run" (${c.spec.createCommand.join(' ') || 'no command recorded'}): pod clone can only make such containers again`);
    return { c, opts };
  });
  // The original's ports and addresses are free for the copy once it is stopped (--destroy removes it anyway).
  const wasUp = o.destroy && all.some((c) => isUp(c.state));
  if (wasUp) {
    const error = await stopPod(rt, ops, pod);
    if (error) throw error;
    await monitorsGone(rt, all);
  }
  let copy: Pod | undefined;
  try {
    copy = await inDirectory(podOpts.createCwd, () => createPod(rt, ops, podOpts));
    for (const { c, opts } of made) {
      const memberName = cloneName(c.name, taken);
      await inDirectory(opts.createCwd, () => ops.create(cloneMemberOptions(opts, copy!.id, memberName)));
    }
  } catch (err) {
    // Nothing half-made stays; the original runs again as it did.
    if (copy) await removePod(rt, ops, copy, { force: true });
    if (wasUp) await startPod(rt, ops, pod);
    const running = !o.destroy && all.some((c) => isUp(c.state));
    throw new InvalidStateError(`cannot make the copy of pod ${pod.name}, nothing was made: ${(err as Error).message}${running ? ` (pod ${pod.name} runs: stop it first, or clone it with --destroy)` : ''}`);
  }
  const done = copy as Pod;
  if (o.destroy) {
    const error = await removePod(rt, ops, pod, { force: true });
    if (error) return { id: done.id, error };
  }
  if (o.start) {
    const error = await startPod(rt, ops, done);
    if (error) return { id: done.id, error };
  }
  return { id: done.id };
}
