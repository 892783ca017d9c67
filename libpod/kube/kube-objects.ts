// The checks of each kind's own fields that the API server makes and tspod repeats before kube play
// makes anything: names, labels and annotations, ConfigMap keys, claims' sizes, workloads' restart
// policies, selectors, strategies and counts. Each throws naming the document and field, or
// reports (a warning, an error with --strict) what tspod takes but a cluster would refuse. Pure.
import { InvalidArgumentError } from '../../src/errors';
import { checkObjectName, isDnsLabel, isDnsSubdomain } from './names';
import { reportValue } from './fields';
import { memoryBytes } from './translate-resources';
import { checkDataKey, decodeBase64Map, isMap } from './translate-env';
import type { KubeObject } from './types';

type Warn = (m: string) => void;

/** A Deployment's strategy: RollingUpdate (maxSurge, maxUnavailable: a count or a percentage, not both 0) or Recreate. */
export function checkStrategy(where: string, strategy: unknown): void {
  if (strategy === undefined || strategy === null) return;
  if (!isMap(strategy)) throw new InvalidArgumentError(`${where}: spec.strategy must be a mapping`);
  const type = strategy.type ?? 'RollingUpdate';
  if (type !== 'RollingUpdate' && type !== 'Recreate') throw new InvalidArgumentError(`${where}: spec.strategy.type must be RollingUpdate or Recreate, not ${JSON.stringify(type)}`);
  const ru = strategy.rollingUpdate;
  if (ru === undefined || ru === null) return;
  if (type === 'Recreate') throw new InvalidArgumentError(`${where}: spec.strategy.rollingUpdate may not be given with type Recreate`);
  if (!isMap(ru)) throw new InvalidArgumentError(`${where}: spec.strategy.rollingUpdate must be a mapping`);
  const zero = (k: 'maxSurge' | 'maxUnavailable') => {
    const v = ru[k];
    if (v === undefined || v === null) return false;
    if (!(Number.isInteger(v) && (v as number) >= 0) && !(typeof v === 'string' && /^\d+%$/.test(v))) throw new InvalidArgumentError(`${where}: spec.strategy.rollingUpdate.${k} must be a whole number or a percentage such as 25%, not ${JSON.stringify(v)}`);
    return v === 0 || v === '0%';
  };
  if (zero('maxSurge') && zero('maxUnavailable')) throw new InvalidArgumentError(`${where}: spec.strategy.rollingUpdate: maxSurge and maxUnavailable cannot both be 0: a rollout could never make progress`);
}

/** spec.selector.matchLabels must select the template's labels (the API server refuses it otherwise); apps/v1 requires a selector. */
export function checkSelector(where: string, object: KubeObject, labels: Record<string, string> | undefined, warn: Warn): void {
  const sel = object.spec?.selector;
  if (sel === undefined || sel === null) {
    if (object.kind !== 'Job') warn(`${where}: spec.selector is missing: tspod plays it, but the API server requires one for a ${object.kind} (matchLabels with the template's labels)`);
    return;
  }
  const match = isMap(sel) && isMap(sel.matchLabels) ? sel.matchLabels : {};
  for (const [k, v] of Object.entries(match)) {
    if (labels?.[k] !== v) throw new InvalidArgumentError(`${where}: spec.selector.matchLabels ${k}: ${JSON.stringify(v)} does not match the template's labels (spec.template.metadata.labels): give the template that label`);
  }
}

/** The restart policies Kubernetes allows each kind: Deployments and DaemonSets Always, Jobs Never or OnFailure. */
export function checkRestartPolicy(where: string, kind: string, policy: unknown): void {
  const p = policy ?? 'Always';
  if ((kind === 'Deployment' || kind === 'DaemonSet') && p !== 'Always') throw new InvalidArgumentError(`${where}: spec.template.spec.restartPolicy: a ${kind}'s pods must have restartPolicy Always, not ${JSON.stringify(policy)}`);
  if (kind === 'Job' && p !== 'Never' && p !== 'OnFailure') throw new InvalidArgumentError(`${where}: spec.template.spec.restartPolicy: a Job's pods need restartPolicy Never or OnFailure${policy === undefined ? ' (it has none: Always is not allowed)' : `, not ${JSON.stringify(policy)}`}`);
}

export function checkMetadata(where: string, kind: string, object: KubeObject, strict: boolean, warn: Warn): void {
  const md = object.metadata;
  if (!isMap(md)) throw new InvalidArgumentError(`${where}: metadata is missing: a ${kind} needs metadata.name`);
  if (md.name === undefined && typeof md.generateName === 'string') throw new InvalidArgumentError(`${where}: ${kind}: metadata.generateName is not supported by tspod (the name is a file path and a container name of its own): give metadata.name`);
  const name = checkObjectName(md.name, `${where}: ${kind}`, 'subdomain');
  // Services are DNS-1035 labels (they become host names): a letter first, no dots.
  if (kind === 'Service' && (!isDnsLabel(name) || !/^[a-z]/.test(name))) throw new InvalidArgumentError(`${where}: Service: invalid name "${name}": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with a letter, end with an alphanumeric character, and be at most 63 characters`);
  checkLabels(where, 'metadata', md, strict, warn);
}

const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** A label or annotation key as the API server takes it: [DNS subdomain "/"] a name of at most 63. */
export function validMetadataKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = key.slice(slash + 1);
  return (slash < 0 || isDnsSubdomain(key.slice(0, slash))) && name.length <= 63 && QUALIFIED_NAME.test(name);
}

/**
 * Labels and annotations: string values (else refused), keys and label values as the API server
 * takes them (else reported: tspod itself takes any, the cluster would refuse the file).
 */
export function checkLabels(where: string, at: string, md: Record<string, unknown>, strict: boolean, warn: Warn): void {
  // tspod keeps such a label or annotation: only a cluster would refuse the file.
  const refused = (path: string, why: string) => {
    if (strict) throw new InvalidArgumentError(`${where}: ${path}: ${why}: change it, or play without --strict to keep it with a warning`);
    warn(`${where}: ${path}: ${why}: kept, but a cluster would refuse the file`);
  };
  for (const field of ['labels', 'annotations'] as const) {
    const m = md[field];
    if (m === undefined || m === null) continue;
    if (!isMap(m)) throw new InvalidArgumentError(`${where}: ${at}.${field} must be a mapping of names to strings`);
    for (const [k, v] of Object.entries(m)) {
      if (typeof v !== 'string') throw new InvalidArgumentError(`${where}: ${at}.${field}.${k} must be a string: quote it ("${String(v)}")`);
      if (k === '') throw new InvalidArgumentError(`${where}: ${at}.${field}: a key is empty: give each a name`);
      if (!validMetadataKey(k)) refused(`${at}.${field}.${k}`, 'the API server refuses this key (a name of at most 63 letters, digits, "-", "_" or ".", with an optional lower-case DNS-subdomain prefix and "/")');
      else if (field === 'labels' && v !== '' && (v.length > 63 || !QUALIFIED_NAME.test(v))) refused(`${at}.labels.${k}`, `the API server refuses the value "${v}" (at most 63 letters, digits, "-", "_" or ".", beginning and ending with a letter or digit)`);
    }
  }
}

/** A ConfigMap's keys are file names in its volumes: Kubernetes' key rule, and string values. */
export function checkConfigMap(where: string, object: KubeObject): void {
  for (const field of ['data', 'binaryData'] as const) {
    const m = object[field];
    if (m === undefined || m === null) continue;
    if (!isMap(m)) throw new InvalidArgumentError(`${where}: ${field} must be a mapping of keys to strings`);
    for (const [k, v] of Object.entries(m)) {
      checkDataKey(where, `${field}.${k}`, k);
      if (typeof v !== 'string') throw new InvalidArgumentError(`${where}: ${field}.${k} must be a string: quote it ("${String(v)}")`);
      if (field === 'data' && object.binaryData && isMap(object.binaryData) && k in object.binaryData) throw new InvalidArgumentError(`${where}: key "${k}" is in both data and binaryData: give it once`);
    }
  }
  if (object.binaryData) decodeBase64Map(object.binaryData as Record<string, string>, `${where}: binaryData`);
}


/** A claim's storage request, when given, is a quantity. */
export function checkClaim(where: string, object: KubeObject): void {
  const spec = object.spec;
  if (isMap(spec) && isMap(spec.resources) && isMap(spec.resources.requests) && spec.resources.requests.storage !== undefined) memoryBytes(spec.resources.requests.storage, `${where}: spec.resources.requests.storage`);
}

/** A Job runs one pod: completions and parallelism of 1 (or none) are read, more are reported. */
export function checkJobCounts(where: string, object: KubeObject, strict: boolean, warn: Warn): void {
  for (const k of ['parallelism', 'completions']) {
    const v = object.spec?.[k];
    if (v === undefined || v === null || v === 1) continue;
    if (!Number.isInteger(v) || (v as number) < 0) throw new InvalidArgumentError(`${where}: spec.${k} must be a whole number of 0 or more`);
    reportValue(where, `spec.${k}`, `a Job runs one pod in tspod, not ${v}`, strict, warn);
  }
}
