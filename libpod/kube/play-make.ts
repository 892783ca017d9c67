// Makes a checked play, in Podman's order: volumes, secrets, images to build, then the pods (the
// replicas a Deployment no longer has removed first, a Pod played again removed and made anew, new
// ones made and started), the Services' proxies, and last the rolling update of changed replicas.
// Everything made is recorded in Made, so that the caller can remove it when a step fails.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidStateError } from '../../src/errors';
import { toYaml } from '../../src/yaml-output';
import { progressFor } from '../../src/progress';
import type { Runtime } from '../runtime';
import type { KubeOps } from './kube-ops';
import type { CreateOptions } from '../container/create-spec';
import type { Pod } from '../pod/pod';
import type { KubePlayOptions, KubePlayReport, PlayedPod, PlayIo } from './play-types';
import type { Made } from './play-made';
import { containerName, type PlayPlan, type PodPlan } from './play-plan';
import { proxyRunning, publishService, servicesBacked, stopService, type Backend } from './play-services';
import { rollReplicas } from './play-roll';
import { claimVolume, makeHostPaths as makeHostPathsOf } from './volumes-from-kube';
import type { TranslatedPod } from './types';

/** What making one pod needs besides the plan. */
export interface MakeCtx {
  rt: Runtime;
  ops: KubeOps;
  opts: KubePlayOptions;
  made: Made;
  io: PlayIo;
  /** Images this play built (created with --pull=missing, not pulled over). */
  built: Set<string>;
  /** The next --ip / --mac-address to hand out. */
  next: number;
  /** Throws once ctrl-c or SIGTERM came: the caller removes what was made. */
  interrupted(): void;
}

export async function makePlay(rt: Runtime, ops: KubeOps, plan: PlayPlan, opts: KubePlayOptions, made: Made, io: PlayIo, interrupted: () => void): Promise<KubePlayReport> {
  const report: KubePlayReport = { volumes: [], secrets: [], pods: [], services: [] };
  const ctx: MakeCtx = { rt, ops, opts, made, io, built: new Set(), next: 0, interrupted };
  // The Services the file's pods backed before this play: one the file no longer has is stopped below.
  const backedBefore = servicesBacked([...plan.pods.map((p) => p.existing), ...plan.surplus]);
  makeVolumes(ctx, plan, report);
  await makeSecrets(ctx, plan, report);
  for (const b of plan.builds) {
    interrupted();
    await ops.build(b.context, b.image, opts.quiet);
    ctx.built.add(b.image);
  }
  // Replicas beyond spec.replicas leave the Services first, then go.
  for (const s of plan.services) if (s.backends.some((b) => b.live !== undefined)) await publishService(rt, s);
  if (plan.surplus.length) await removeOld(ops, plan.surplus);
  for (const p of plan.pods.filter((x) => x.action === 'recreate')) {
    for (const b of backendsOf(plan, p)) b.live = undefined;
    await removeOld(ops, [p.existing!]);
  }
  for (const p of plan.pods.filter((x) => x.action === 'create' || x.action === 'recreate')) {
    p.existing = undefined;
    await makePod(ctx, p);
    for (const b of backendsOf(plan, p)) b.live = opts.start ? b.hostPort : undefined;
  }
  for (const s of plan.services) {
    const running = proxyRunning(rt, s.name);
    await publishService(rt, s);
    if (!running) made.other(`the proxy of Service ${s.name}`, async () => void (await stopService(rt, s.name)));
    report.services.push(`${s.name} ${s.ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.key.split(':')[0]}/${p.protocol}`).join(', ')}`);
  }
  interrupted();
  await rollReplicas(ctx, plan);
  const kept = new Set(plan.services.map((s) => s.name));
  for (const name of backedBefore) if (!kept.has(name)) await stopService(rt, name);
  for (const p of plan.pods) report.pods.push(played(rt, p));
  return report;
}

/** Pods of an earlier play removed, with their files and emptyDir volumes. */
export async function removeOld(ops: KubeOps, pods: Pod[]): Promise<void> {
  failed(await ops.removePods(pods.map((p) => p.id)));
  for (const p of pods) await removeOwn(ops, p.spec.kube);
}

/** A removed pod's files and emptyDir volumes. */
export async function removeOwn(ops: KubeOps, origin: Pod['spec']['kube']): Promise<void> {
  if (origin?.files) fs.rmSync(origin.files, { recursive: true, force: true });
  const vols = (origin?.emptyDirs ?? []).filter((v) => ops.volumeExists(v));
  if (vols.length) failed(await ops.removeVolumes(vols));
}

function failed(reports: Array<{ error?: Error }>): void {
  const err = reports.find((r) => r.error)?.error;
  if (err) throw err;
}

export function backendsOf(plan: PlayPlan, p: PodPlan): Backend[] {
  return plan.services.flatMap((s) => s.backends.filter((b) => b.pod === p));
}

/** The file's PersistentVolumeClaims and the claims its templates name: made when missing (with the claim's labels). */
function makeVolumes(ctx: MakeCtx, plan: PlayPlan, report: KubePlayReport): void {
  const labelsOf = new Map(plan.input.claims.map((d) => [claimVolume(d.object), Object.entries(d.object.metadata?.labels ?? {}).map(([k, v]) => `${k}=${v}`)]));
  const names = [...labelsOf.keys(), ...plan.pods.flatMap((p) => (p.action === 'keep' ? [] : p.translated.claims))];
  for (const name of new Set(names)) {
    if (!ctx.ops.volumeExists(name)) {
      ctx.ops.createVolume(name, labelsOf.get(name) ?? []);
      ctx.made.volume(name);
    }
    if (labelsOf.has(name)) report.volumes.push(name);
  }
}

/** Each Secret also stored in tspod's secret store, as a whole (its YAML), under its name (Podman's). */
async function makeSecrets(ctx: MakeCtx, plan: PlayPlan, report: KubePlayReport): Promise<void> {
  for (const doc of plan.input.secretDocs) {
    const name = doc.object.metadata!.name!;
    const before = ctx.ops.secretExists(name);
    report.secrets.push(await ctx.ops.storeSecret(name, Buffer.from(toYaml(doc.object))));
    if (!before) ctx.made.secret(name);
  }
}

/** Makes the pod and its containers under p.makeName, and starts it unless --start=false. */
export async function makePod(ctx: MakeCtx, p: PodPlan, start = ctx.opts.start): Promise<string> {
  const { ops, opts } = ctx;
  const t = p.translated;
  ctx.interrupted();
  const i = ctx.next++;
  const pod = await ops.createPod({
    ...t.pod,
    name: p.makeName,
    hostname: t.pod.hostname ?? p.name,
    network: opts.networks.length ? opts.networks.join(',') : t.pod.network,
    ip: opts.ips[i] ?? t.pod.ip,
    macAddress: opts.macs[i] ?? t.pod.macAddress,
    userns: opts.userns ?? t.pod.userns,
    noHosts: opts.noHosts || t.pod.noHosts,
    exitPolicy: t.pod.exitPolicy ?? 'stop',
    kube: p.origin,
    replace: false,
    createCommand: opts.createCommand,
  });
  // Undone after the pod is gone (recorded before it, so removed after it), and kept with it: the
  // emptyDir volumes its containers' creates make.
  if (p.origin.emptyDirs?.length) ctx.made.other(`volume ${p.origin.emptyDirs.join(', volume ')}`, () => removeOwn(ops, { ...p.origin, files: undefined }), pod.id);
  ctx.made.pod(pod.id, p.makeName);
  makeHostPaths(ctx, t.hostPaths);
  const progress = progressFor(ctx.io.stderr as NodeJS.WriteStream, opts.quiet);
  for (const c of t.containers) {
    const create: CreateOptions & { pod?: string; initCtr?: string } = {
      ...c.create,
      name: containerName(p, c),
      pod: pod.id,
      ...(c.init ? { initCtr: c.initType ?? 'once' } : {}),
      pull: ctx.built.has(c.create.image) ? 'missing' : c.create.pull,
      pulling: { ...c.create.pulling, ...opts.pulling },
      createCommand: opts.createCommand,
      progress,
    };
    const made = await ops.createContainer(create);
    if (c.runAsNonRoot && isRoot(ops.containerUser(made.id))) {
      throw new InvalidStateError(`${p.workload.doc.where}: container ${c.name} has runAsNonRoot but no runAsUser, and its image runs as root: give securityContext.runAsUser (the kubelet refuses it too)`);
    }
  }
  if (start) {
    const [r] = await ops.startPods([pod.id]);
    if (r?.errors.length || r?.error) throw new InvalidStateError(`starting pod ${p.makeName}: ${[...(r.errors ?? []), ...(r.error ? [r.error.message] : [])].join('; ')}`);
  }
  return pod.id;
}

/** A user that is root: "", "0", "root", "0:..." or "root:...". */
function isRoot(user: string): boolean {
  const u = user.split(':')[0];
  return u === '' || u === '0' || u === 'root';
}

/** DirectoryOrCreate / FileOrCreate hostPaths made (those this play made are removed again when it fails, if still empty). */
function makeHostPaths(ctx: MakeCtx, list: TranslatedPod['hostPaths']): void {
  for (const h of list) {
    if (fs.existsSync(h.path)) continue;
    const top = firstMissing(h.path);
    makeHostPathsOf([h]);
    ctx.made.other(`${h.path}`, () => removeIfEmpty(top));
  }
}

function firstMissing(p: string): string {
  let cur = p;
  while (!fs.existsSync(path.dirname(cur))) cur = path.dirname(cur);
  return cur;
}

function removeIfEmpty(p: string): void {
  try {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) removeIfEmpty(path.join(p, e));
      fs.rmdirSync(p);
    } else if (st.size === 0) fs.rmSync(p);
  } catch {
    // not empty, or gone: it stays
  }
}

/** Podman's "Pod:" block of a pod of the play: its containers (the infra container left out). */
function played(rt: Runtime, p: PodPlan): PlayedPod {
  const pod = rt.pods().list().find((x) => x.name === p.name);
  if (!pod) return { id: '', name: p.name, containers: [], initContainers: [], errors: [] };
  const all = rt.pods().containersOf(pod, rt.containers().list()).filter((c) => c.id !== pod.spec.infraId);
  const inits = new Set(p.translated.containers.filter((c) => c.init).map((c) => containerName(p, c)));
  return { id: pod.id, name: pod.name, containers: all.filter((c) => !inits.has(c.name)).map((c) => c.id), initContainers: all.filter((c) => inits.has(c.name)).map((c) => c.id), errors: [] };
}
