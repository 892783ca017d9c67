// The Kubernetes checks every kube test makes on the YAML tspod writes or reads: each document is
// validated by kubernetes-models (the Kubernetes 1.33 OpenAPI schemas, compiled), then by what the
// schemas leave to the API server: no unknown fields, RFC 1123 names, label and annotation keys,
// references between containers and volumes, and the rules each workload kind adds.
//
// Unknown fields: the compiled validators read every property their schema names (and iterate
// maps such as labels), so the object is handed to them behind a Proxy that records each path read;
// a key that no validator read is a field the schema does not have.
import { parseAllDocuments } from 'yaml';
import * as core from 'kubernetes-models/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as batch from 'kubernetes-models/batch/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as rbac from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { isDnsLabel, isDnsSubdomain } from '../libpod/kube/names';

interface ModelClass {
  apiVersion: string;
  kind: string;
  prototype: { validate(): void };
}

interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const MODELS = new Map<string, ModelClass>();
for (const group of [core, apps, batch, networking, policy, rbac]) {
  for (const value of Object.values(group) as unknown[]) {
    const cls = value as ModelClass;
    if (typeof value === 'function' && typeof cls.kind === 'string' && typeof cls.apiVersion === 'string') MODELS.set(`${cls.apiVersion} ${cls.kind}`, cls);
  }
}

const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The schema's validation of one object, and every path (JSON pointer) its validators read. */
function schemaCheck(model: ModelClass, object: Obj): { errors: SchemaError[]; read: Set<string> } {
  const read = new Set<string>();
  const proxies = new Map<string, unknown>();
  const wrap = (value: unknown, at: string): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    let p = proxies.get(at);
    if (!p) {
      p = new Proxy(value, {
        get(target, key, receiver) {
          const v = Reflect.get(target, key, receiver);
          if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(target, key)) return v;
          const child = `${at}/${escape(key)}`;
          read.add(child);
          return wrap(v, child);
        },
      });
      proxies.set(at, p);
    }
    return p;
  };
  try {
    model.prototype.validate.call(wrap(object, ''));
    return { errors: [], read };
  } catch (err) {
    const errors = (err as { errors?: SchemaError[] }).errors;
    if (!errors) throw err;
    return { errors, read };
  }
}

/** Keys no validator read, below paths where the schema found no error of its own. */
function unknownFields(value: Json, at: string, read: Set<string>, failed: Set<string>, out: string[]): void {
  if (failed.has(at)) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => unknownFields(v, `${at}/${i}`, read, failed, out));
  } else if (isObj(value)) {
    for (const [key, v] of Object.entries(value)) {
      const child = `${at}/${escape(key)}`;
      if (!read.has(child)) out.push(`${child || '/'}: unknown field "${key}"`);
      else unknownFields(v, child, read, failed, out);
    }
  }
}

function schemaMessage(e: SchemaError): string {
  const where = e.instancePath || '/';
  switch (e.keyword) {
    case 'required':
      return `${where}: missing required field "${String(e.params?.missingProperty)}"`;
    case 'enum':
      return `${where}: must be one of ${JSON.stringify(e.params?.allowedValues)}`;
    case 'type':
      return `${where}: must be ${String(e.params?.type)}`;
    case 'format':
      return `${where}: must be a valid ${String(e.params?.format)}`;
    case 'oneOf':
      return `${where}: matches none of the forms the schema allows (the errors above say why)`;
    default:
      return `${where}: ${e.message ?? e.keyword} (${e.keyword} ${JSON.stringify(e.params ?? {})})`;
  }
}

// --- what the API server checks beyond the schemas (k8s.io/apimachinery validation) ---

const QUALIFIED = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A label or annotation key: an optional DNS subdomain prefix and "/", then a name of at most 63. */
function keyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return `prefix "${prefix}" is not a DNS-1123 subdomain`;
  if (name.length === 0 || name.length > 63 || !QUALIFIED.test(name)) return `name part "${name}" must be 1-63 alphanumeric characters, '-', '_' or '.', starting and ending alphanumeric`;
  return undefined;
}

/** An IANA service name (a container port's name, a Service's named targetPort). */
function isIanaSvcName(name: string): boolean {
  return name.length >= 1 && name.length <= 15 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) && !name.includes('--') && /[a-z]/.test(name);
}

function checkMeta(meta: Json | undefined, at: string, out: string[], nameRule: 'subdomain' | 'dns1035' | 'none'): void {
  if (!isObj(meta)) {
    if (nameRule !== 'none') out.push(`${at}: missing metadata`);
    return;
  }
  const name = meta.name;
  if (nameRule !== 'none') {
    if (typeof name !== 'string' || name === '') out.push(`${at}/name: missing name`);
    else if (nameRule === 'subdomain' && !isDnsSubdomain(name)) out.push(`${at}/name: "${name}" is not a DNS-1123 subdomain`);
    else if (nameRule === 'dns1035' && !(name.length <= 63 && DNS1035.test(name))) out.push(`${at}/name: "${name}" is not a DNS-1035 label`);
  }
  if (typeof meta.namespace === 'string' && !isDnsLabel(meta.namespace)) out.push(`${at}/namespace: "${meta.namespace}" is not a DNS-1123 label`);
  for (const field of ['labels', 'annotations'] as const) {
    const map = meta[field];
    if (!isObj(map)) continue;
    let size = 0;
    for (const [k, v] of Object.entries(map)) {
      const problem = keyProblem(k);
      if (problem) out.push(`${at}/${field}/${escape(k)}: invalid key: ${problem}`);
      if (field === 'labels' && typeof v === 'string' && (v.length > 63 || !LABEL_VALUE.test(v))) out.push(`${at}/labels/${escape(k)}: invalid value "${v}": at most 63 alphanumeric characters, '-', '_' or '.', starting and ending alphanumeric`);
      size += k.length + (typeof v === 'string' ? v.length : 0);
    }
    if (field === 'annotations' && size > 256 * 1024) out.push(`${at}/annotations: total size ${size} is over 262144 bytes`);
  }
}

function checkPodSpec(spec: Json | undefined, at: string, out: string[]): void {
  if (!isObj(spec)) return;
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  const volumeNames = new Set<string>();
  volumes.forEach((v, i) => {
    if (!isObj(v) || typeof v.name !== 'string') return;
    if (!isDnsLabel(v.name)) out.push(`${at}/volumes/${i}/name: "${v.name}" is not a DNS-1123 label`);
    if (volumeNames.has(v.name)) out.push(`${at}/volumes/${i}/name: duplicate volume "${v.name}"`);
    volumeNames.add(v.name);
  });
  const containerNames = new Set<string>();
  for (const list of ['initContainers', 'containers'] as const) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c, i) => {
      if (!isObj(c)) return;
      const here = `${at}/${list}/${i}`;
      if (typeof c.name === 'string') {
        if (!isDnsLabel(c.name)) out.push(`${here}/name: "${c.name}" is not a DNS-1123 label`);
        if (containerNames.has(c.name)) out.push(`${here}/name: duplicate container "${c.name}"`);
        containerNames.add(c.name);
      }
      if (Array.isArray(c.ports)) {
        c.ports.forEach((p, j) => {
          if (isObj(p) && typeof p.name === 'string' && !isIanaSvcName(p.name)) out.push(`${here}/ports/${j}/name: "${p.name}" is not an IANA service name (1-15 lowercase alphanumerics or '-', with a letter)`);
          for (const f of ['containerPort', 'hostPort'] as const) {
            if (isObj(p) && typeof p[f] === 'number' && ((p[f] as number) < 1 || (p[f] as number) > 65535)) out.push(`${here}/ports/${j}/${f}: ${p[f]} is not in 1-65535`);
          }
        });
      }
      if (Array.isArray(c.volumeMounts)) {
        c.volumeMounts.forEach((m, j) => {
          if (isObj(m) && typeof m.name === 'string' && !volumeNames.has(m.name)) out.push(`${here}/volumeMounts/${j}/name: no volume named "${m.name}" in the pod`);
        });
      }
    });
  }
  if (typeof spec.hostname === 'string' && !isDnsLabel(spec.hostname)) out.push(`${at}/hostname: "${spec.hostname}" is not a DNS-1123 label`);
}

function checkSelector(spec: Obj, at: string, out: string[]): void {
  const selector = isObj(spec.selector) ? spec.selector.matchLabels : undefined;
  const template = isObj(spec.template) && isObj(spec.template.metadata) ? spec.template.metadata.labels : undefined;
  if (!isObj(selector)) {
    out.push(`${at}/selector: missing matchLabels`);
    return;
  }
  for (const [k, v] of Object.entries(selector)) {
    if (!isObj(template) || template[k] !== v) out.push(`${at}/selector/matchLabels/${escape(k)}: selector does not match the template's labels`);
  }
}

/** The rules of each kind the API server adds to the schema. */
function checkKind(object: Obj, out: string[]): void {
  const kind = object.kind;
  const spec = isObj(object.spec) ? object.spec : undefined;
  checkMeta(object.metadata, '/metadata', out, kind === 'Service' ? 'dns1035' : 'subdomain');
  if (!spec) return;
  const template = isObj(spec.template) ? spec.template : undefined;
  const restart = template && isObj(template.spec) ? template.spec.restartPolicy : undefined;
  switch (kind) {
    case 'Pod':
      checkPodSpec(spec, '/spec', out);
      break;
    case 'Deployment':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'StatefulSet':
      checkSelector(spec, '/spec', out);
      if (restart !== undefined && restart !== 'Always') out.push(`/spec/template/spec/restartPolicy: a ${kind} allows only "Always"`);
      break;
    case 'Job':
      if (restart !== 'Never' && restart !== 'OnFailure') out.push(`/spec/template/spec/restartPolicy: a Job needs "Never" or "OnFailure"`);
      break;
    case 'Service':
      checkService(spec, out);
      break;
    case 'PersistentVolumeClaim':
      if (!Array.isArray(spec.accessModes) || spec.accessModes.length === 0) out.push('/spec/accessModes: at least one access mode is required');
      if (!(isObj(spec.resources) && isObj(spec.resources.requests) && spec.resources.requests.storage !== undefined)) out.push('/spec/resources/requests/storage: required');
      break;
  }
  if (template) {
    checkMeta(template.metadata, '/spec/template/metadata', out, 'none');
    checkPodSpec(template.spec, '/spec/template/spec', out);
  }
}

function checkService(spec: Obj, out: string[]): void {
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  const names = new Set<string>();
  const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
  if (!ports.length && type !== 'ExternalName' && spec.clusterIP !== 'None') out.push('/spec/ports: a Service needs at least one port');
  ports.forEach((p, i) => {
    if (!isObj(p)) return;
    if (typeof p.name === 'string') {
      if (!isDnsLabel(p.name)) out.push(`/spec/ports/${i}/name: "${p.name}" is not a DNS-1123 label`);
      if (names.has(p.name)) out.push(`/spec/ports/${i}/name: duplicate port name "${p.name}"`);
      names.add(p.name);
    } else if (ports.length > 1) {
      out.push(`/spec/ports/${i}/name: required when a Service has more than one port`);
    }
    if (typeof p.targetPort === 'string' && !isIanaSvcName(p.targetPort)) out.push(`/spec/ports/${i}/targetPort: "${p.targetPort}" is not an IANA service name`);
    if (typeof p.nodePort === 'number') {
      if (type !== 'NodePort' && type !== 'LoadBalancer') out.push(`/spec/ports/${i}/nodePort: may not be used when type is "${type}"`);
      // The range a cluster's API server allocates node ports from by default (--service-node-port-range).
      else if (p.nodePort < 30000 || p.nodePort > 32767) out.push(`/spec/ports/${i}/nodePort: ${p.nodePort} is not in the default node port range 30000-32767`);
    }
  });
}

/**
 * Every problem of every document of a (multi-document) YAML text, as "document N (Kind name):
 * /json/pointer: what is wrong"; an empty list when Kubernetes 1.33 would accept all of them.
 */
export function validateKubeYaml(text: string): string[] {
  const problems: string[] = [];
  let n = 0;
  for (const doc of parseAllDocuments(text)) {
    n += 1;
    const label = () => `document ${n}`;
    if (doc.errors.length) {
      problems.push(...doc.errors.map((e) => `${label()}: YAML: ${e.message}`));
      continue;
    }
    const object = doc.toJS() as Json;
    if (object === null || object === undefined) continue;
    if (!isObj(object)) {
      problems.push(`${label()}: not an object`);
      continue;
    }
    const name = isObj(object.metadata) ? String(object.metadata.name) : '?';
    const prefix = `document ${n} (${String(object.kind)} ${name})`;
    const model = MODELS.get(`${String(object.apiVersion)} ${String(object.kind)}`);
    if (!model) {
      problems.push(`${prefix}: unknown apiVersion/kind "${String(object.apiVersion)}" "${String(object.kind)}"`);
      continue;
    }
    const { errors, read } = schemaCheck(model, object);
    const found = errors.map(schemaMessage);
    unknownFields(object, '', read, new Set(errors.map((e) => e.instancePath)), found);
    checkKind(object, found);
    problems.push(...[...new Set(found)].map((p) => `${prefix}: ${p}`));
  }
  return problems;
}
