// A play's input: the files (or stdin, or a URL) read, split into documents, checked (kinds,
// fields, names) and sorted by what each kind becomes: workloads (pods), claims (volumes),
// ConfigMaps and Secrets (what the templates read), Services (proxies). Nothing is made here.
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import type { KubeDocument, KubeObject } from './types';
import { checkDocuments, parseKubeDocuments, readKubeSource, templateOf } from './kube-input';

export type WorkloadKind = 'Pod' | 'Deployment' | 'DaemonSet' | 'Job';

/** A Pod, or an object with a pod template, and how many pods it makes. */
export interface Workload {
  doc: KubeDocument;
  kind: WorkloadKind;
  name: string;
  /** The pod template: a Pod's metadata and spec, or the object's spec.template. */
  template: KubeObject;
  replicas: number;
}

export interface PlayInput {
  docs: KubeDocument[];
  /** Where the images of --build are looked for: --context-dir, else the first file's directory, else the current one. */
  buildDir: string;
  workloads: Workload[];
  claims: KubeDocument[];
  services: KubeDocument[];
  secretDocs: KubeDocument[];
  configMaps: Map<string, KubeObject>;
  secrets: Map<string, KubeObject>;
}

const WORKLOADS = new Set(['Pod', 'Deployment', 'DaemonSet', 'Job']);

/** Reads every source into one list of documents (a source's documents keep their order). */
export async function readDocuments(sources: string[], stdin: NodeJS.ReadableStream): Promise<KubeDocument[]> {
  if (sources.length > 1 && sources.includes('-')) throw new InvalidArgumentError('"-" (stdin) cannot be given with other files: give it alone');
  const docs: KubeDocument[] = [];
  for (const source of sources) {
    const { name, text } = await readKubeSource(source, stdin);
    docs.push(...parseKubeDocuments(text, name));
  }
  return docs;
}

/** The input of `kube play`: read, checked (--strict: unsupported kinds and fields are errors), sorted. */
export async function loadPlayInput(
  opts: { sources: string[]; configMaps: string[]; contextDir?: string; strict: boolean },
  stdin: NodeJS.ReadableStream,
  warn: (m: string) => void,
): Promise<PlayInput> {
  const docs = await readDocuments(opts.sources, stdin);
  const extra = await configMapFiles(docs, opts.configMaps, stdin, opts.strict, warn);
  checkDocuments(docs, { strict: opts.strict, configMaps: extra, warn });
  const input = sortDocuments(docs, opts.contextDir ?? buildDirOf(opts.sources));
  for (const cm of extra) input.configMaps.set(cm.metadata!.name!, cm);
  if (input.workloads.length + input.claims.length + input.secretDocs.length === 0) {
    if (input.configMaps.size > 0) throw new InvalidArgumentError('the file has only ConfigMaps, which are not objects of their own: they are read by the Pods and Deployments that name them, so play them in one file (or with --configmap)');
    throw new InvalidArgumentError('the file has no kind kube play makes anything of: give a Pod, Deployment, DaemonSet, Job, PersistentVolumeClaim or Secret');
  }
  return input;
}

function buildDirOf(sources: string[]): string {
  const file = sources.find((s) => s !== '-' && !/^https?:\/\//.test(s));
  return file ? path.dirname(path.resolve(file)) : process.cwd();
}

/** The documents by what they become; names already checked by checkDocuments. */
export function sortDocuments(docs: KubeDocument[], buildDir: string): PlayInput {
  const input: PlayInput = { docs, buildDir, workloads: [], claims: [], services: [], secretDocs: [], configMaps: new Map(), secrets: new Map() };
  for (const doc of docs) {
    const o = doc.object;
    const name = o.metadata?.name ?? '';
    if (o.kind && WORKLOADS.has(o.kind)) input.workloads.push(workloadOf(doc, o.kind as WorkloadKind, name));
    else if (o.kind === 'PersistentVolumeClaim') input.claims.push(doc);
    else if (o.kind === 'Service') input.services.push(doc);
    else if (o.kind === 'ConfigMap') input.configMaps.set(name, o);
    else if (o.kind === 'Secret') {
      input.secretDocs.push(doc);
      input.secrets.set(name, o);
    }
  }
  return input;
}

function workloadOf(doc: KubeDocument, kind: WorkloadKind, name: string): Workload {
  const o = doc.object;
  if (kind === 'Pod') return { doc, kind, name, template: { metadata: o.metadata, spec: o.spec }, replicas: 1 };
  const template = templateOf(doc.where, o) as KubeObject;
  const replicas = kind === 'Deployment' ? ((o.spec?.replicas as number | undefined) ?? 1) : 1;
  return { doc, kind, name, template, replicas };
}

/** --configmap FILE (repeatable, comma-separated): ConfigMaps only; one the file also has is ambiguous (Podman's rule). */
async function configMapFiles(docs: KubeDocument[], files: string[], stdin: NodeJS.ReadableStream, strict: boolean, warn: (m: string) => void): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  const inFile = new Set(docs.filter((d) => d.object.kind === 'ConfigMap').map((d) => d.object.metadata?.name));
  for (const file of files.flatMap((f) => f.split(',')).filter(Boolean)) {
    const cms = await readDocuments([file], stdin);
    checkDocuments(cms, { strict, warn });
    for (const doc of cms) {
      const name = doc.object.metadata?.name ?? '';
      if (doc.object.kind !== 'ConfigMap') throw new InvalidArgumentError(`${doc.where}: --configmap files hold ConfigMaps only, not ${doc.object.kind}: play it as part of the file instead`);
      if (inFile.has(name) || out.some((o) => o.metadata?.name === name)) throw new InvalidArgumentError(`ambiguous configuration: the ConfigMap ${name} is given twice (in the file and in --configmap ${file}, or in two --configmap files): keep one`);
      out.push(doc.object);
    }
  }
  return out;
}
