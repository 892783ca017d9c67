// A play decided before anything is made: every pod template translated (one per replica), what
// happens to each pod the file's objects made before (kept, made again, rolled, removed), the
// 127.0.0.1 ports each replica publishes for the Services that select it, the images to build,
// and every name and port checked for clashes. Only the pods' configMap/secret files are written
// (under the store, into directories the caller removes when the play fails).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, InvalidStateError } from '../../src/errors';
import { randomHex } from '../../src/random';
import type { Runtime } from '../runtime';
import type { KubeOps } from './kube-ops';
import type { KubeOrigin, Pod } from '../pod/pod';
import type { ContainerPlan, TranslateContext, TranslatedPod } from './types';
import type { KubePlayOptions } from './play-types';
import type { PlayInput, Workload } from './play-input';
import { translatePod } from './translate-pod';
import { allocateEndpoints, planServices, type ServicePlan } from './play-services';
import { checkPorts, mergePublish } from './play-ports';
import { planBuilds } from './play-build';

/**
 * create: a new pod; recreate: the pod of a Pod/DaemonSet/Job made before, removed then made again;
 * keep: a Deployment's replica whose template did not change; roll: one that changed, replaced by
 * a new pod made under a temporary name and renamed once its predecessor is gone.
 */
export type PodAction = 'create' | 'recreate' | 'keep' | 'roll';

export interface PodPlan {
  workload: Workload;
  replica: number;
  /** The pod's name: the Pod's, "<name>-pod" for replica 0 of the others, "<name>-pod-<i>" after. */
  name: string;
  /** The name it is made under (a roll's replacement: a temporary one until it takes name). */
  makeName: string;
  action: PodAction;
  existing?: Pod;
  translated: TranslatedPod;
  origin: KubeOrigin;
  /** Its replica publishes hostPorts of its own: a roll stops the old one before the new one starts. */
  stopFirst: boolean;
}

export interface PlayPlan {
  input: PlayInput;
  pods: PodPlan[];
  /** Pods the file's Deployments made beyond their spec.replicas now. */
  surplus: Pod[];
  services: ServicePlan[];
  builds: Array<{ image: string; context: string }>;
  /** The directories of files written for the plan's pods. */
  filesDirs: string[];
}

export function replicaName(w: Pick<Workload, 'kind' | 'name'>, i: number): string {
  if (w.kind === 'Pod') return w.name;
  return i === 0 ? `${w.name}-pod` : `${w.name}-pod-${i}`;
}

/** The pods a file's object made before (their PodSpec.kube names it). */
export function podsOf(rt: Runtime, kind: string, name: string): Pod[] {
  return rt.pods().list().filter((p) => p.spec.kube?.kind === kind && p.spec.kube.name === name);
}

export async function planPlay(rt: Runtime, ops: KubeOps, input: PlayInput, opts: KubePlayOptions, warn: (m: string) => void, filesDirs: string[]): Promise<PlayPlan> {
  const plan: PlayPlan = { input, pods: [], surplus: [], services: [], builds: [], filesDirs };
  for (const w of input.workloads) planWorkload(rt, plan, w, opts, warn);
  checkPodNames(plan);
  plan.services = planServices(plan.pods, input.services, warn);
  for (const p of plan.pods) finishPlan(p, opts, plan.services);
  await allocateEndpoints(plan.services);
  checkContainerNames(rt, plan);
  await checkPorts(rt, plan);
  plan.builds = planBuilds(ops, plan, opts.build, input.buildDir);
  return plan;
}

function planWorkload(rt: Runtime, plan: PlayPlan, w: Workload, opts: KubePlayOptions, warn: (m: string) => void): void {
  const before = podsOf(rt, w.kind, w.name);
  if (before.length && !opts.replace) {
    throw new InvalidStateError(`${w.doc.where}: ${w.kind} ${w.name} was played before (pod ${before.map((p) => p.name).join(', ')}): update it with kube play --replace, or remove it with kube down first`);
  }
  // One pod per replica: the one of the replica's name (an interrupted roll may have left a "-next" one, which goes).
  const byReplica = new Map<number, Pod>();
  for (const p of before) {
    const i = p.spec.kube?.replica ?? 0;
    if (!byReplica.has(i) || p.name === replicaName(w, i)) byReplica.set(i, p);
  }
  for (let i = 0; i < w.replicas; i++) {
    const name = replicaName(w, i);
    const existing = byReplica.get(i);
    const dir = path.join(rt.paths.root, 'kube', 'files', randomHex(16));
    plan.filesDirs.push(dir);
    const written: Array<{ path: string; data: Buffer; mode: number }> = [];
    const ctx = translateContext(plan.input, opts, name, dir, written, warn);
    const translated = translatePod(w.template, ctx);
    const digest = templateDigest(translated, dir, name, written);
    // A Deployment's replica is kept or rolled once the Services' part of its digest is known (finishPlan).
    const action: PodAction = !existing ? 'create' : w.kind === 'Deployment' ? 'roll' : 'recreate';
    const origin: KubeOrigin = { kind: w.kind, name: w.name, ...(w.kind === 'Deployment' ? { replica: i } : {}), template: digest, files: dir, emptyDirs: translated.emptyDirs };
    const makeName = action === 'roll' ? `${name}-next` : name;
    plan.pods.push({ workload: w, replica: i, name, makeName, action, existing, translated, origin, stopFirst: false });
  }
  plan.surplus.push(...before.filter((p) => byReplica.get(p.spec.kube?.replica ?? 0) !== p || (p.spec.kube?.replica ?? 0) >= w.replicas));
}

function translateContext(input: PlayInput, opts: KubePlayOptions, podName: string, dir: string, written: Array<{ path: string; data: Buffer; mode: number }>, warn: (m: string) => void): TranslateContext {
  return {
    configMaps: input.configMaps,
    secrets: input.secrets,
    podName,
    strict: opts.strict,
    warn,
    materialize: (_pod, volumeName, files) => writeVolumeFiles(path.join(dir, volumeName), files, written),
    annotations: opts.annotations,
    logDriver: opts.logDriver,
    logOptions: opts.logOptions,
    userns: opts.userns,
    noHosts: opts.noHosts,
  };
}

/** Writes a volume's files (each path kept inside the directory) and returns the directory. */
export function writeVolumeFiles(dir: string, files: Array<{ path: string; data: Buffer; mode: number }>, written: Array<{ path: string; data: Buffer; mode: number }>): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (const f of files) {
    const target = path.resolve(dir, f.path);
    if (!target.startsWith(dir + path.sep)) throw new InvalidArgumentError(`the volume file path "${f.path}" leaves its volume: give a relative path without ".."`);
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
    fs.writeFileSync(target, f.data, { mode: f.mode & 0o777 });
    fs.chmodSync(target, f.mode & 0o777);
    written.push({ ...f, path: path.relative(path.dirname(dir), target) });
  }
  return dir;
}

/** JSON with object keys sorted, so that equal templates give equal digests. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
    return `{${Object.keys(v as object).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * What --replace compares: the translated pod (its files' directory and own name left out, so that
 * two translations of one template are equal) and the contents of its files.
 */
export function templateDigest(t: TranslatedPod, dir: string, name: string, files: Array<{ path: string; data: Buffer; mode: number }>): string {
  const h = crypto.createHash('sha256');
  h.update(stableJson(t).split(dir).join('@files').split(name).join('@pod'));
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) h.update(`\0${f.path}\0${f.mode}\0`).update(f.data);
  return `sha256:${h.digest('hex')}`;
}

/**
 * A rolled replica whose template and Services did not change is kept (its files and endpoints too);
 * the others get --publish; a changed Service counts as a changed template.
 */
function finishPlan(p: PodPlan, opts: KubePlayOptions, services: ServicePlan[]): void {
  const keys: string[] = [];
  for (const s of services) for (const b of s.backends) if (b.pod === p) keys.push(`${b.key}->${b.target}`);
  if (keys.length) p.origin.template = `${p.origin.template}+${crypto.createHash('sha256').update(keys.sort().join(',')).digest('hex').slice(0, 16)}`;
  if (p.action === 'roll' && p.existing!.spec.kube?.template === p.origin.template) {
    fs.rmSync(p.origin.files!, { recursive: true, force: true }); // the running replica keeps its own
    p.action = 'keep';
    p.makeName = p.name;
    p.origin = { ...p.origin, files: p.existing!.spec.kube?.files, endpoints: p.existing!.spec.kube?.endpoints, emptyDirs: p.existing!.spec.kube?.emptyDirs };
    return;
  }
  if (p.action === 'roll') renameEmptyDirs(p);
  p.translated.pod.publish = mergePublish(p.translated.pod.publish ?? [], opts.publish);
  p.stopFirst = p.action === 'roll' && p.translated.pod.publish.length > 0;
}

/**
 * A replacement made beside its predecessor gets emptyDir volumes of its own (the old one's go with
 * it), under a name no earlier replacement had: the predecessor may itself be a replacement whose
 * volumes a name made from the pod's would meet again.
 */
function renameEmptyDirs(p: PodPlan): void {
  const tag = randomHex(4);
  const renamed = new Map(p.translated.emptyDirs.map((e) => [e, `${p.name}-${tag}${e.slice(p.name.length)}`]));
  for (const c of p.translated.containers) {
    c.create.mounts = c.create.mounts?.map((m) => m.replace(/(^|,)source=([^,]*)/, (all, pre: string, src: string) => (renamed.has(src) ? `${pre}source=${renamed.get(src)}` : all)));
  }
  p.origin.emptyDirs = [...renamed.values()];
}

function checkPodNames(plan: PlayPlan): void {
  const seen = new Map<string, string>();
  for (const p of plan.pods) {
    const other = seen.get(p.name);
    if (other) throw new InvalidArgumentError(`${p.workload.doc.where}: its pod would be named ${p.name}, as ${other}'s: rename one of them`);
    seen.set(p.name, p.workload.doc.where);
  }
}

/** Pod and container names free, but for those of pods this play replaces. */
function checkContainerNames(rt: Runtime, plan: PlayPlan): void {
  const leaving = new Set([...plan.pods.filter((p) => p.action === 'recreate' || p.action === 'roll').map((p) => p.existing!.id), ...plan.surplus.map((p) => p.id)]);
  const pods = rt.pods().list();
  const containers = rt.containers().list();
  for (const p of plan.pods) {
    if (p.action === 'keep') continue;
    const pod = pods.find((x) => x.name === p.makeName);
    if (pod && !leaving.has(pod.id)) {
      throw new InvalidStateError(`${p.workload.doc.where}: the pod name ${p.makeName} is in use by pod ${pod.id.slice(0, 12)}, which this file did not make: remove it (tspod pod rm ${p.makeName}) or rename the object`);
    }
    for (const c of p.translated.containers) {
      const name = containerName(p, c);
      const taken = containers.find((x) => x.name === name);
      if (taken && !(taken.spec.pod && leaving.has(taken.spec.pod))) {
        throw new InvalidStateError(`${p.workload.doc.where}: the container name ${name} is in use by container ${taken.id.slice(0, 12)}: remove it (tspod rm -f ${name}) or rename the object`);
      }
    }
  }
}

/**
 * A container's name in its pod: "<pod>-<container>" (Podman's) under the name the pod is made
 * with, or the name kube generate kept for it (io.tspod.container-name/, a Pod's only), which the
 * translation gave it instead.
 */
export function containerName(p: Pick<PodPlan, 'makeName' | 'name'>, c: Pick<ContainerPlan, 'name' | 'create'>): string {
  const own = c.create.name;
  return own && own !== `${p.name}-${c.name}` ? own : `${p.makeName}-${c.name}`;
}

