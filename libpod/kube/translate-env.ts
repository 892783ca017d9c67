// A container's environment from its env and envFrom, as the kubelet makes it: envFrom first (in
// order, with prefix), then env over it; values from ConfigMaps, Secrets (base64 data decoded,
// stringData winning) and the pod's fields; $(VAR) references to variables defined before expanded
// and $$ kept as $. A missing object or key is an error unless marked optional. Pure.
import { InvalidArgumentError } from '../../src/errors';
import type { KubeObject } from './types';

/** What the environment may refer to: the file's objects and the pod's own fields. */
export interface EnvSources {
  configMaps: Map<string, KubeObject>;
  secrets: Map<string, KubeObject>;
  podName: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Where values the translator cannot give are reported (unsupported fieldPaths). */
  where: string;
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Kubernetes' rule for ConfigMap and Secret keys ([-._a-zA-Z0-9]+, not . or ..): they become file names. */
export function checkDataKey(where: string, path: string, key: string): void {
  if (key.length > 253 || !/^[-._a-zA-Z0-9]+$/.test(key) || key === '.' || key === '..') throw new InvalidArgumentError(`${where}: ${path}: invalid key "${key}": a key must consist of alphanumeric characters, '-', '_' or '.', and not be "." or ".."`);
}

/** Standard base64 as Kubernetes decodes data (padding required; line breaks allowed). */
export function decodeBase64(value: string, what: string): Buffer {
  const s = value.replace(/[\r\n]/g, '');
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new InvalidArgumentError(`${what}: invalid base64 data: encode the value with base64 (or give it as text in stringData)`);
  return Buffer.from(s, 'base64');
}

export function decodeBase64Map(m: Record<string, unknown>, what: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(m)) {
    if (typeof v !== 'string') throw new InvalidArgumentError(`${what}.${k} must be a base64 string`);
    out.set(k, decodeBase64(v, `${what}.${k}`));
  }
  return out;
}

/** A Secret's keys and values: data decoded, stringData over it; keys checked as file names. */
export function secretData(secret: KubeObject, where: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const field of ['data', 'stringData'] as const) {
    const m = secret[field];
    if (m === undefined || m === null) continue;
    if (!isMap(m)) throw new InvalidArgumentError(`${where}: ${field} must be a mapping of keys to strings`);
    for (const [k, v] of Object.entries(m)) {
      checkDataKey(where, `${field}.${k}`, k);
      if (typeof v !== 'string') throw new InvalidArgumentError(`${where}: ${field}.${k} must be a string: quote it ("${String(v)}")`);
      out.set(k, field === 'data' ? decodeBase64(v, `${where}: data.${k}`) : Buffer.from(v));
    }
  }
  return out;
}

/** A ConfigMap's keys and values: data as text, binaryData decoded. */
export function configMapData(cm: KubeObject, where: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(isMap(cm.data) ? cm.data : {})) out.set(k, Buffer.from(String(v)));
  if (isMap(cm.binaryData)) for (const [k, v] of decodeBase64Map(cm.binaryData, `${where}: binaryData`)) out.set(k, v);
  return out;
}

/** Text of a ConfigMap's data only (envFrom and configMapKeyRef read data, not binaryData). */
function configMapText(cm: KubeObject): Record<string, string> {
  return isMap(cm.data) ? (cm.data as Record<string, string>) : {};
}

const FIELD_LABEL = /^metadata\.labels\['(.+)'\]$/;
const FIELD_ANNOTATION = /^metadata\.annotations\['(.+)'\]$/;

/** A fieldRef's value (env and downwardAPI volumes); whole labels/annotations as key="value" lines. */
export function fieldValue(fieldPath: unknown, src: EnvSources, path: string, whole: boolean): string {
  if (fieldPath === 'metadata.name') return src.podName;
  // tspod has no namespaces: objects are in Kubernetes' default one.
  if (fieldPath === 'metadata.namespace') return 'default';
  const lines = (m: Record<string, string>) => Object.keys(m).sort().map((k) => `${k}=${JSON.stringify(m[k])}`).join('\n');
  if (whole && fieldPath === 'metadata.labels') return lines(src.labels);
  if (whole && fieldPath === 'metadata.annotations') return lines(src.annotations);
  const l = typeof fieldPath === 'string' ? FIELD_LABEL.exec(fieldPath) : null;
  if (l) return src.labels[l[1]] ?? '';
  const a = typeof fieldPath === 'string' ? FIELD_ANNOTATION.exec(fieldPath) : null;
  if (a) return src.annotations[a[1]] ?? '';
  const known = ['metadata.uid', 'status.podIP', 'status.podIPs', 'status.hostIP', 'status.hostIPs', 'spec.nodeName', 'spec.serviceAccountName'];
  throw new InvalidArgumentError(
    `${src.where}: ${path}: fieldPath ${JSON.stringify(fieldPath)} is not supported: ${known.includes(String(fieldPath)) ? 'its value is only known once the pod runs, and tspod sets the environment when it creates the container' : 'use metadata.name, metadata.namespace, metadata.labels[\'KEY\'] or metadata.annotations[\'KEY\']'}`,
  );
}

/** $(VAR) of variables defined so far, $$(VAR) kept as $(VAR); unknown references left as they are. */
export function expandRefs(value: string, vars: Map<string, string>): string {
  return value.replace(/\$\$|\$\(([^)]*)\)/g, (m, name: string | undefined) => (m === '$$' ? '$' : vars.has(name!) ? vars.get(name!)! : m));
}

/** The container's env and envFrom as KEY=VALUE entries, in the order the kubelet sets them. */
export function containerEnv(c: Record<string, unknown>, src: EnvSources, path: string): string[] {
  const vars = new Map<string, string>();
  const envFrom = c.envFrom ?? [];
  if (!Array.isArray(envFrom)) throw new InvalidArgumentError(`${src.where}: ${path}.envFrom must be a list`);
  envFrom.forEach((e, i) => {
    const p = `${path}.envFrom[${i}]`;
    if (!isMap(e)) throw new InvalidArgumentError(`${src.where}: ${p} must be a mapping`);
    const prefix = e.prefix === undefined ? '' : String(e.prefix);
    for (const [kind, ref] of [['ConfigMap', e.configMapRef], ['Secret', e.secretRef]] as const) {
      if (ref === undefined) continue;
      if (!isMap(ref) || typeof ref.name !== 'string') throw new InvalidArgumentError(`${src.where}: ${p}.${kind === 'ConfigMap' ? 'configMapRef' : 'secretRef'}.name is missing`);
      const obj = (kind === 'ConfigMap' ? src.configMaps : src.secrets).get(ref.name);
      if (!obj) {
        if (ref.optional === true) continue;
        throw new InvalidArgumentError(`${src.where}: ${p}: ${kind} "${ref.name}" is not in the file (nor given with --configmap): add it, or mark the reference optional: true`);
      }
      const entries = kind === 'ConfigMap' ? Object.entries(configMapText(obj)) : [...secretData(obj, `${kind} ${ref.name}`)].map(([k, v]) => [k, v.toString('utf8')] as const);
      for (const [k, v] of entries) vars.set(`${prefix}${k}`, String(v));
    }
  });
  const env = c.env ?? [];
  if (!Array.isArray(env)) throw new InvalidArgumentError(`${src.where}: ${path}.env must be a list`);
  env.forEach((e, i) => {
    const p = `${path}.env[${i}]`;
    if (!isMap(e) || typeof e.name !== 'string' || e.name === '') throw new InvalidArgumentError(`${src.where}: ${p}.name is missing: every variable needs a name`);
    if (e.name.includes('=')) throw new InvalidArgumentError(`${src.where}: ${p}.name: invalid variable name "${e.name}": a name cannot contain "="`);
    const value = envValue(e, src, p);
    if (value !== undefined) vars.set(e.name, value);
  });
  return [...vars].map(([k, v]) => `${k}=${v}`);

  function envValue(e: Record<string, unknown>, s: EnvSources, p: string): string | undefined {
    if (e.valueFrom === undefined) {
      if (e.value === undefined || e.value === null) return '';
      if (typeof e.value !== 'string') throw new InvalidArgumentError(`${s.where}: ${p}.value must be a string: quote it (value: "${String(e.value)}")`);
      return expandRefs(e.value, vars);
    }
    const vf = e.valueFrom;
    if (!isMap(vf)) throw new InvalidArgumentError(`${s.where}: ${p}.valueFrom must be a mapping`);
    if (isMap(vf.fieldRef)) return fieldValue(vf.fieldRef.fieldPath, s, `${p}.valueFrom.fieldRef.fieldPath`, false);
    for (const [kind, ref] of [['ConfigMap', vf.configMapKeyRef], ['Secret', vf.secretKeyRef]] as const) {
      if (ref === undefined) continue;
      const field = kind === 'ConfigMap' ? 'configMapKeyRef' : 'secretKeyRef';
      if (!isMap(ref) || typeof ref.name !== 'string' || typeof ref.key !== 'string') throw new InvalidArgumentError(`${s.where}: ${p}.valueFrom.${field} needs name and key`);
      const obj = (kind === 'ConfigMap' ? s.configMaps : s.secrets).get(ref.name);
      const data = obj && (kind === 'ConfigMap' ? new Map(Object.entries(configMapText(obj)).map(([k, v]) => [k, String(v)])) : new Map([...secretData(obj, `${kind} ${ref.name}`)].map(([k, v]) => [k, v.toString('utf8')])));
      if (data?.has(ref.key)) return data.get(ref.key);
      if (ref.optional === true) return undefined;
      throw new InvalidArgumentError(
        `${s.where}: ${p}.valueFrom.${field}: ${obj ? `key "${ref.key}" is not in ${kind} "${ref.name}"` : `${kind} "${ref.name}" is not in the file (nor given with --configmap)`}: add it, or mark the reference optional: true`,
      );
    }
    if (vf.resourceFieldRef !== undefined) return undefined; // reported by fields.ts
    throw new InvalidArgumentError(`${s.where}: ${p}.valueFrom needs configMapKeyRef, secretKeyRef or fieldRef`);
  }
}
