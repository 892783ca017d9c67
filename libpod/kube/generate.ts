// kube generate: each name is looked up as a container, then a pod, then a volume (Podman's order);
// containers given together make one pod, each pod one more, each volume a PersistentVolumeClaim.
// The facts the pure translation needs (image configs, what a host path is) are gathered here.
import fs from 'node:fs';
import { InspectNotFoundError, InvalidArgumentError, InvalidStateError, NoSuchContainerError, NoSuchPodError } from '../../src/errors';
import { toYaml } from '../../src/yaml-output';
import { VERSION } from '../../src/version';
import type { Runtime } from '../runtime';
import type { Container } from '../container/container';
import type { Pod } from '../pod/pod';
import type { Volume } from '../volume/volume-spec';
import { NoSuchVolumeError, getVolume } from '../volume/volume-store';
import { formatReference, isImageId, localImageName, normalizeReference } from '../image/reference';
import { generatePod, persistentVolumeClaim, type Generated, type KubeGenerateOptions, type KubeKind, type Member, type PodSource } from './generate-pod';
import type { HostPathType } from './generate-volumes';

/** kube generate's flags as given: --type and --replicas are checked here. */
export interface KubeGenerateRequest extends Omit<KubeGenerateOptions, 'type' | 'replicas'> {
  type: string;
  replicas: string | number;
  /** -f: write here (refused if it exists, as Podman refuses) instead of returning the text to print. */
  filename?: string;
}

export interface KubeGenerateReport {
  text: string;
  /** The file written with -f. */
  path?: string;
}

const KINDS: KubeKind[] = ['pod', 'deployment', 'daemonset', 'job'];

/** --type, --replicas as Podman checks them. */
export function checkGenerateOptions(req: Pick<KubeGenerateRequest, 'type' | 'replicas' | 'service' | 'podmanOnly'>): KubeGenerateOptions {
  const type = req.type.toLowerCase() as KubeKind;
  if (!KINDS.includes(type)) throw new InvalidArgumentError(`invalid --type "${req.type}": kube generate writes a pod, deployment, daemonset or job`);
  const replicas = Number(req.replicas);
  if (!/^\d+$/.test(String(req.replicas).trim()) || replicas < 1 || replicas > 2147483647) throw new InvalidArgumentError(`invalid --replicas "${req.replicas}": give a whole number of at least 1`);
  if (replicas > 1 && type !== 'deployment') throw new InvalidArgumentError('--replicas can only be set with --type deployment');
  return { type, replicas, service: req.service, podmanOnly: req.podmanOnly };
}

/** What a host path is now: a bind mount of a missing path becomes DirectoryOrCreate, as Podman writes it. */
function hostPathType(p: string): HostPathType {
  try {
    return fs.statSync(p).isDirectory() ? 'Directory' : 'File';
  } catch {
    return 'DirectoryOrCreate';
  }
}

/** The image as the user named it, as a full reference (the store's name for it when the user gave an ID). */
function imageReference(c: Container, names: string[]): string {
  const given = c.spec.image;
  const candidates: string[] = [];
  try {
    if (!isImageId(given)) candidates.push(formatReference(normalizeReference(given)), localImageName(given));
  } catch {
    /* not a reference: an ID or a prefix of one */
  }
  return candidates.find((n) => names.includes(n)) ?? (given.includes('@') ? candidates[0] : undefined) ?? names[0] ?? c.spec.imageName;
}

function member(rt: Runtime, c: Container): Member {
  if (c.spec.rootfs) throw new InvalidArgumentError(`container ${c.name} runs from a directory (--rootfs), not an image: Kubernetes cannot run it`);
  try {
    const img = rt.imageStore().resolve(c.spec.imageId);
    return { container: c, image: imageReference(c, img.names), imageConfig: img.config.config ?? {} };
  } catch {
    // The image was removed: its reference is still known; nothing can be compared with its config.
    return { container: c, image: imageReference(c, [c.spec.imageName]) };
  }
}

type Found = { container: Container } | { pod: Pod } | { volume: Volume };

function lookUp(rt: Runtime, name: string): Found {
  try {
    const c = rt.containers().resolve(name);
    if (c.spec.pod) {
      const pod = rt.pods().reload(c.spec.pod);
      throw new InvalidStateError(`container ${c.name} belongs to pod ${pod?.name ?? c.spec.pod}: generate the pod itself (tspod kube generate ${pod?.name ?? c.spec.pod})`);
    }
    return { container: c };
  } catch (err) {
    if (!(err instanceof NoSuchContainerError)) throw err;
  }
  try {
    return { pod: rt.pods().resolve(name) };
  } catch (err) {
    if (!(err instanceof NoSuchPodError)) throw err;
  }
  try {
    return { volume: getVolume(rt, name) };
  } catch (err) {
    if (!(err instanceof NoSuchVolumeError)) throw err;
  }
  throw new InspectNotFoundError(`name or ID "${name}" not found: no container, pod or volume has it (see tspod ps -a, tspod pod ps, tspod volume ls)`);
}

/** A pod's containers without its infra container, oldest first. */
function podSource(rt: Runtime, pod: Pod, all: Container[]): PodSource {
  const mine = rt.pods().containersOf(pod, all);
  const infra = mine.find((c) => c.id === pod.spec.infraId);
  const members = mine.filter((c) => c !== infra).sort((a, b) => a.createdAt - b.createdAt);
  if (!members.length) throw new InvalidStateError(`pod ${pod.name} has no containers${infra ? ' besides its infra container' : ''}: add one (tspod run --pod ${pod.name} ...) before generating its YAML`);
  return { pod, infra, members: members.map((c) => member(rt, c)) };
}

/** The header, each object's notes as comments, then the objects as YAML documents. */
export function kubeOutput(parts: Generated[], opts: KubeGenerateOptions): string {
  const lines = [
    `# Kubernetes YAML written by tspod ${VERSION} (tspod kube generate).`,
    '# Run it with "kubectl apply -f FILE" on a cluster, or with "tspod kube play FILE" here.',
  ];
  if (opts.podmanOnly) lines.push('# --podman-only: the io.podman.annotations.* annotations mean something only to Podman and tspod.');
  const notes = parts.flatMap((p) => p.notes);
  if (notes.length) lines.push('#', '# Notes:', ...notes.map((n) => `# - ${n}`));
  const docs = parts.flatMap((p) => p.objects).map((o) => toYaml(o));
  return `${lines.join('\n')}\n---\n${docs.join('---\n')}`;
}

/** kube generate: the YAML text, written to opts.filename when given. */
export function generateKube(rt: Runtime, namesOrIds: string[], req: KubeGenerateRequest): KubeGenerateReport {
  const opts = checkGenerateOptions(req);
  if (!namesOrIds.length) throw new InvalidArgumentError('kube generate needs the name or ID of at least one container, pod or volume');
  const found = namesOrIds.map((n) => lookUp(rt, n));
  const all = found.some((f) => 'pod' in f) ? rt.containers().list() : [];
  const volumes: Generated[] = [];
  const pods: Generated[] = [];
  const containers: Container[] = [];
  for (const f of found) {
    if ('volume' in f) volumes.push(persistentVolumeClaim(f.volume));
    else if ('pod' in f) pods.push(generatePod(podSource(rt, f.pod, all), opts, hostPathType));
    else if (!containers.some((c) => c.id === f.container.id)) containers.push(f.container);
  }
  if (containers.length) pods.push(generatePod({ members: containers.map((c) => member(rt, c)) }, opts, hostPathType));
  // Claims first, then each pod's Service and workload (Helm's install order, which Podman follows).
  const text = kubeOutput([...volumes, ...pods], opts);
  if (req.filename === undefined) return { text };
  try {
    fs.writeFileSync(req.filename, text, { flag: 'wx', mode: 0o644 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new InvalidArgumentError(`cannot write to "${req.filename}": the file exists; remove it or name another file`);
    throw new InvalidArgumentError(`cannot write to "${req.filename}": ${code ?? (err as Error).message}`);
  }
  return { text, path: req.filename };
}
