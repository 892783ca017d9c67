// kube play's input: a file, standard input or an http(s) URL read whole (up to a bound), split into
// its YAML documents (List kinds flattened, empty documents skipped), and every document checked
// before anything is made: kinds, API versions, names, fields, Secrets' base64, and each pod
// template translated once against the file's ConfigMaps and Secrets without writing anything.
import fs from 'node:fs';
import type * as Yaml from 'yaml';
import { InvalidArgumentError } from '../../src/errors';
import { PLAYED_KINDS, reportFields } from './fields';
import { checkClaim, checkConfigMap, checkJobCounts, checkLabels, checkMetadata, checkRestartPolicy, checkSelector, checkStrategy } from './kube-objects';
import { isMap, secretData } from './translate-env';
import { translatePod } from './translate-pod';
import type { KubeDocument, KubeObject, TranslateContext } from './types';

/** The largest file kube play reads (the API server's own limit on a request is 3 MiB). */
export const MAX_KUBE_BYTES = 16 * 1024 * 1024;

/** The API version of each kind tspod plays, as Kubernetes 1.33 serves it. */
export const KIND_API_VERSIONS: Record<string, string> = {
  Pod: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  PersistentVolumeClaim: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
};

/** The kinds whose pod template becomes pods. */
export const WORKLOAD_KINDS = ['Pod', 'Deployment', 'DaemonSet', 'Job'];

/**
 * The text of FILE, "-" (stdin) or an http(s):// URL, and the name messages give it. Refused:
 * a missing file, a directory or device (a FIFO, as from <(...), is read), an HTTP status other
 * than 2xx, anything longer than maxBytes.
 */
export async function readKubeSource(source: string, stdin: NodeJS.ReadableStream, opts: { maxBytes?: number; timeoutMs?: number } = {}): Promise<{ name: string; text: string }> {
  const max = opts.maxBytes ?? MAX_KUBE_BYTES;
  if (source === '-') return { name: 'stdin', text: await readBounded(stdin, max, 'stdin') };
  if (/^https?:\/\//i.test(source)) return { name: source, text: await fetchBounded(source, max, opts.timeoutMs ?? 30_000) };
  let st: fs.Stats;
  try {
    st = fs.statSync(source);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InvalidArgumentError(`${source}: no such file or directory: give the path of a Kubernetes YAML file, - for standard input, or an http(s) URL`);
    throw new InvalidArgumentError(`${source}: cannot read the file: ${(err as Error).message}`);
  }
  if (st.isDirectory()) throw new InvalidArgumentError(`${source}: is a directory, not a regular file: give the path of a Kubernetes YAML file`);
  if (!st.isFile() && !st.isFIFO()) throw new InvalidArgumentError(`${source}: not a regular file: give the path of a Kubernetes YAML file`);
  if (st.isFile() && st.size > max) throw tooLarge(source, max);
  let stream: fs.ReadStream;
  try {
    stream = fs.createReadStream(source);
    return { name: source, text: await readBounded(stream, max, source) };
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err;
    throw new InvalidArgumentError(`${source}: cannot read the file: ${(err as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (err as Error).message}`);
  }
}

function tooLarge(name: string, max: number): InvalidArgumentError {
  return new InvalidArgumentError(`${name}: the file is larger than ${max / 1024 / 1024} MiB, which kube play reads at most: split it into smaller files`);
}

async function readBounded(stream: NodeJS.ReadableStream | AsyncIterable<Uint8Array>, max: number, name: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Uint8Array | string>) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    size += b.length;
    if (size > max) {
      (stream as { destroy?: () => void }).destroy?.();
      throw tooLarge(name, max);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function fetchBounded(url: string, max: number, timeoutMs: number): Promise<string> {
  let res: Response;
  try {
    // Node's global fetch: the registry client owns undici itself.
    res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = (err as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs / 1000} s` : (cause?.code ?? cause?.message ?? (err as Error).message);
    throw new InvalidArgumentError(`${url}: cannot fetch the file: ${why}: check the URL and that the server is up`);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new InvalidArgumentError(`${url}: cannot fetch the file: HTTP ${res.status} ${res.statusText}`.trimEnd());
  }
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (length > max) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(url, max);
  }
  if (!res.body) return '';
  return readBounded(res.body as unknown as AsyncIterable<Uint8Array>, max, url);
}

/**
 * YAML 1.1's octal integers (0644), which Kubernetes' parser reads and manifests use for modes;
 * YAML 1.2 (the yaml package's default) would read 0644 as 644. Merge keys (<<: *anchor), which
 * it also reads, are turned on where the documents are parsed.
 */
const OCTAL_1_1: Yaml.ScalarTag = { identify: (v) => typeof v === 'number' && Number.isInteger(v), default: true, tag: 'tag:yaml.org,2002:int', format: 'OCT', test: /^0[0-7]+$/, resolve: (s) => parseInt(s, 8) };

function yamlModule(): typeof Yaml {
  // Loaded on use: only kube play parses YAML.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml') as typeof Yaml;
}

/**
 * The documents of a (multi-document) YAML text: empty ones skipped, a List's items each a
 * document of its own ("FILE, document N, item M"). Refused with the document and line: text
 * that is not YAML, a document that is not a mapping, one without kind or apiVersion.
 */
export function parseKubeDocuments(text: string, name: string): KubeDocument[] {
  if (Buffer.byteLength(text) > MAX_KUBE_BYTES) throw tooLarge(name, MAX_KUBE_BYTES);
  const yaml = yamlModule();
  const lines = new yaml.LineCounter();
  const parsed = yaml.parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, merge: true, customTags: (tags) => [OCTAL_1_1, ...(tags as Yaml.ScalarTag[])] });
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  const out: KubeDocument[] = [];
  docs.forEach((doc, i) => {
    const where = `${name}, document ${i + 1}`;
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0] ?? lines.linePos(err.pos[0]);
      const why = err.message.includes('Maximum call stack size exceeded') ? 'it is nested too deeply' : err.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
      throw new InvalidArgumentError(`${where}: not valid YAML at line ${pos.line}, column ${pos.col}: ${why}`);
    }
    if (doc.contents === null) return; // an empty document, or one of comments only
    const line = lines.linePos(doc.contents.range?.[0] ?? doc.range[0]).line;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      throw new InvalidArgumentError(`${where}: cannot read the document at line ${line}: ${(e as Error).message}`);
    }
    if (value === null || value === undefined) return;
    out.push(...objectsOf(value, where, line));
  });
  return out;
}

function objectsOf(value: unknown, where: string, line: number): KubeDocument[] {
  if (!isMap(value)) throw new InvalidArgumentError(`${where}: line ${line}: a Kubernetes object must be a mapping (apiVersion:, kind:, metadata: ...), not ${Array.isArray(value) ? 'a list' : `a ${typeof value === 'string' ? 'string' : typeof value} ("${String(value).slice(0, 40)}")`}`);
  for (const field of ['apiVersion', 'kind'] as const) {
    if (value[field] === undefined || value[field] === null || value[field] === '') throw new InvalidArgumentError(`${where}: line ${line}: the object has no ${field}: every Kubernetes object needs apiVersion and kind`);
    if (typeof value[field] !== 'string') throw new InvalidArgumentError(`${where}: line ${line}: ${field} must be a string`);
  }
  const kind = value.kind as string;
  if (kind !== 'List' && !kind.endsWith('List')) return [{ where, object: value as KubeObject }];
  // v1 List (kubectl get -o yaml), or PodList and kin: each item an object of its own.
  const items = value.items ?? [];
  if (!Array.isArray(items)) throw new InvalidArgumentError(`${where}: line ${line}: items of a ${kind} must be a list`);
  const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
  return items.flatMap((item, j) => {
    const w = `${where}, item ${j + 1}`;
    const withKind = isMap(item) && itemKind ? { kind: itemKind, apiVersion: value.apiVersion, ...item } : item;
    return objectsOf(withKind, w, line);
  });
}

/** checkDocuments' options: kube play's --strict, its --configmap files' objects, and where warnings go too. */
export interface CheckOptions {
  strict: boolean;
  configMaps?: KubeObject[];
  warn?: (message: string) => void;
  /** kube play's flags that reach the translation (--annotation, --no-hosts, --userns, --log-*), checked with it. */
  flags?: Pick<TranslateContext, 'annotations' | 'noHosts' | 'userns' | 'logDriver' | 'logOptions'>;
}

/**
 * Everything about the documents that can be known before anything is made (kube play leaves
 * nothing half-made): each throws the first fatal problem, naming the document and the field, and
 * returns the warnings (also given to opts.warn). Pod templates are translated against the file's
 * ConfigMaps and Secrets, with nothing written.
 */
export function checkDocuments(docs: KubeDocument[], opts: CheckOptions): string[] {
  const warnings: string[] = [];
  const warn = (m: string) => {
    if (warnings.includes(m)) return;
    warnings.push(m);
    opts.warn?.(m);
  };
  const seen = new Map<string, string>();
  for (const { where, object } of docs) {
    const kind = object.kind!;
    if (!PLAYED_KINDS.includes(kind)) {
      const msg = `${where}: kind ${kind} is not supported by tspod (it plays ${PLAYED_KINDS.join(', ')})`;
      if (opts.strict) throw new InvalidArgumentError(`${msg}: remove the document, or play without --strict to skip it with a warning`);
      warn(`${msg}: skipped`);
      continue;
    }
    if (object.apiVersion !== KIND_API_VERSIONS[kind]) throw new InvalidArgumentError(`${where}: ${kind} is served as apiVersion ${KIND_API_VERSIONS[kind]}, not "${object.apiVersion}": change apiVersion to ${KIND_API_VERSIONS[kind]}`);
    checkMetadata(where, kind, object, opts.strict, warn);
    // Names are per kind, as the API server keeps them (a Pod and a Deployment may share one).
    const key = `${kind}/${object.metadata!.name}`;
    if (seen.has(key)) throw new InvalidArgumentError(`${where}: ${kind} "${object.metadata!.name}" is already defined in ${seen.get(key)}: give each object a name of its own`);
    seen.set(key, where);
    if (object.metadata!.namespace !== undefined) warn(`${where}: metadata.namespace "${object.metadata!.namespace}" is ignored: tspod has no namespaces`);
    for (const w of reportFields(where, kind, object, opts.strict)) warn(w);
    if (kind === 'Secret') secretData(object, where);
    if (kind === 'ConfigMap') checkConfigMap(where, object);
    if (kind === 'PersistentVolumeClaim') checkClaim(where, object);
  }
  const ctx = dryContext(docs, opts, warn);
  for (const { where, object } of docs) {
    if (!WORKLOAD_KINDS.includes(object.kind!)) continue;
    const tpl = object.kind === 'Pod' ? { metadata: object.metadata, spec: object.spec } : templateOf(where, object);
    const podName = object.kind === 'Pod' ? object.metadata!.name! : `${object.metadata!.name}-pod-0`;
    if (object.kind !== 'Pod' && isMap(tpl.metadata)) checkLabels(where, 'spec.template.metadata', tpl.metadata, opts.strict, warn);
    checkRestartPolicy(where, object.kind!, tpl.spec?.restartPolicy);
    if (object.kind === 'Job') checkJobCounts(where, object, opts.strict, warn);
    if (object.kind !== 'Pod') checkSelector(where, object, tpl.metadata?.labels, warn);
    translatePod(tpl, { ...ctx, podName, where });
  }
  return warnings;
}

/** A Deployment's, DaemonSet's or Job's spec.template, refused when missing. */
/** The most replicas a Deployment may ask for here (Podman runs one). */
export const MAX_REPLICAS = 100;

export function templateOf(where: string, object: KubeObject): { metadata?: KubeObject['metadata']; spec?: Record<string, unknown> } {
  const tpl = object.spec?.template;
  if (!isMap(tpl) || !isMap(tpl.spec)) throw new InvalidArgumentError(`${where}: spec.template.spec is missing: a ${object.kind} needs a pod template`);
  if (object.kind === 'Deployment') {
    const r = object.spec!.replicas;
    if (r !== undefined && (!Number.isInteger(r) || (r as number) < 0)) throw new InvalidArgumentError(`${where}: spec.replicas must be a whole number of 0 or more, not ${JSON.stringify(r)}`);
    // Each replica is a pod with its own network, monitors and files on this one machine.
    if ((r as number) > MAX_REPLICAS) throw new InvalidArgumentError(`${where}: spec.replicas is ${r as number}: tspod runs at most ${MAX_REPLICAS} replicas of a Deployment on one machine; lower it (a cluster runs more)`);
    checkStrategy(where, object.spec!.strategy);
  }
  return { metadata: tpl.metadata as KubeObject['metadata'], spec: tpl.spec };
}

/** The ConfigMaps and Secrets of the file (and --configmap files', the file's winning) by name. */
export function objectMaps(docs: KubeDocument[], extraConfigMaps: KubeObject[] = []): Pick<TranslateContext, 'configMaps' | 'secrets'> {
  const configMaps = new Map<string, KubeObject>();
  const secrets = new Map<string, KubeObject>();
  for (const cm of extraConfigMaps) if (cm.metadata?.name) configMaps.set(cm.metadata.name, cm);
  for (const { object } of docs) {
    if (object.kind === 'ConfigMap' && object.metadata?.name) configMaps.set(object.metadata.name, object);
    if (object.kind === 'Secret' && object.metadata?.name) secrets.set(object.metadata.name, object);
  }
  return { configMaps, secrets };
}

function dryContext(docs: KubeDocument[], opts: CheckOptions, warn: (m: string) => void): Omit<TranslateContext, 'podName'> {
  return {
    ...objectMaps(docs, opts.configMaps),
    strict: opts.strict,
    warn,
    // Nothing is written in the check: the path only has to look like the play's.
    materialize: (podName, volumeName) => `/nonexistent/kube-check/${podName}/${volumeName}`,
    annotations: [],
    ...opts.flags,
  };
}
