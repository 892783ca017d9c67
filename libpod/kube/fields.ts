// The fields of a Kubernetes object tspod reads, those it accepts and ignores harmlessly (what an
// API server adds: status, uid, resourceVersion...), and those it cannot honour. A walk of the
// object against a tree of these paths reports every other field by its path (a warning, or an
// error with --strict): nothing a file asks for is dropped without a word. Pure.
import { InvalidArgumentError } from '../../src/errors';

/**
 * How a path is taken: read (tspod acts on it), ignored (harmless: set by a cluster, or a default
 * that changes nothing here), or unsupported (valid Kubernetes that tspod cannot honour: the
 * reason is reported).
 */
export type FieldMark = 'read' | 'ignored' | { unsupported: string };

/** One problem a walk found, for a message: "<where>: <path>: <why>". */
export interface FieldReport {
  path: string;
  why: string;
}

interface Node {
  mark?: FieldMark;
  children: Map<string, Node>;
}

/*
 * Paths are dot-separated keys; "[]" is any element of a list, "*" any key of a map. A read path
 * with no children below it takes any value (a list of strings, a free-form map).
 */
const META = ['metadata.name', 'metadata.namespace', 'metadata.labels.*', 'metadata.annotations.*'];
const META_IGNORED = ['metadata.uid', 'metadata.creationTimestamp', 'metadata.resourceVersion', 'metadata.generation', 'metadata.managedFields', 'metadata.selfLink', 'metadata.ownerReferences', 'metadata.finalizers', 'metadata.deletionGracePeriodSeconds', 'metadata.deletionTimestamp'];
const TOP = ['apiVersion', 'kind', ...META];
const TOP_IGNORED = ['status', ...META_IGNORED];

const PROBE = [
  'exec.command',
  'httpGet.path',
  'httpGet.port',
  'httpGet.host',
  'httpGet.scheme',
  'httpGet.httpHeaders[].name',
  'httpGet.httpHeaders[].value',
  'tcpSocket.port',
  'tcpSocket.host',
  'initialDelaySeconds',
  'periodSeconds',
  'timeoutSeconds',
  'failureThreshold',
  'successThreshold',
];
const PROBE_UNSUPPORTED: Record<string, string> = {
  grpc: 'gRPC probes are not run: use exec, httpGet or tcpSocket',
  terminationGracePeriodSeconds: 'the container is stopped with the pod\'s grace period',
};

const CONTAINER = [
  'name',
  'image',
  'imagePullPolicy',
  'command',
  'args',
  'workingDir',
  'stdin',
  'tty',
  'env[].name',
  'env[].value',
  'env[].valueFrom.configMapKeyRef.name',
  'env[].valueFrom.configMapKeyRef.key',
  'env[].valueFrom.configMapKeyRef.optional',
  'env[].valueFrom.secretKeyRef.name',
  'env[].valueFrom.secretKeyRef.key',
  'env[].valueFrom.secretKeyRef.optional',
  'env[].valueFrom.fieldRef.fieldPath',
  'env[].valueFrom.fieldRef.apiVersion',
  'envFrom[].prefix',
  'envFrom[].configMapRef.name',
  'envFrom[].configMapRef.optional',
  'envFrom[].secretRef.name',
  'envFrom[].secretRef.optional',
  'ports[].name',
  'ports[].containerPort',
  'ports[].hostPort',
  'ports[].hostIP',
  'ports[].protocol',
  'volumeMounts[].name',
  'volumeMounts[].mountPath',
  'volumeMounts[].readOnly',
  'volumeMounts[].subPath',
  'securityContext.runAsUser',
  'securityContext.runAsGroup',
  'securityContext.runAsNonRoot',
  'securityContext.capabilities.add',
  'securityContext.capabilities.drop',
  'securityContext.privileged',
  'securityContext.readOnlyRootFilesystem',
  'securityContext.allowPrivilegeEscalation',
  'securityContext.seLinuxOptions.user',
  'securityContext.seLinuxOptions.role',
  'securityContext.seLinuxOptions.type',
  'securityContext.seLinuxOptions.level',
  'securityContext.seccompProfile.type',
  'securityContext.seccompProfile.localhostProfile',
  'securityContext.appArmorProfile.type',
  'securityContext.appArmorProfile.localhostProfile',
  'securityContext.procMount',
  'resources.limits.memory',
  'resources.limits.cpu',
  'resources.requests.memory',
  'resources.requests.cpu',
  'lifecycle.stopSignal',
  ...PROBE.map((p) => `livenessProbe.${p}`),
  ...PROBE.map((p) => `readinessProbe.${p}`),
  ...PROBE.map((p) => `startupProbe.${p}`),
];
const CONTAINER_IGNORED = ['terminationMessagePath', 'terminationMessagePolicy', 'stdinOnce', 'resources.claims'];
const CONTAINER_UNSUPPORTED: Record<string, string> = {
  'lifecycle.postStart': 'lifecycle hooks are not run',
  'lifecycle.preStop': 'lifecycle hooks are not run',
  'env[].valueFrom.resourceFieldRef': 'resource fields are not given to the environment',
  'volumeMounts[].mountPropagation': 'mounts keep tspod\'s propagation (rprivate)',
  'volumeMounts[].subPathExpr': 'subPathExpr is not expanded: use subPath',
  'volumeMounts[].recursiveReadOnly': 'read-only mounts are read-only as bind mounts are',
  'resources.limits.*': 'only cpu and memory are limited',
  'resources.requests.*': 'only cpu and memory are reserved',
  volumeDevices: 'block volumes are not supported: use a hostPath of type BlockDevice',
  resizePolicy: 'resources are not resized in place',
  restartPolicy: 'sidecar init containers are not supported',
  'securityContext.windowsOptions': 'Windows options do not apply on Linux',
  ...Object.fromEntries(['livenessProbe', 'readinessProbe', 'startupProbe'].flatMap((k) => Object.entries(PROBE_UNSUPPORTED).map(([p, why]) => [`${k}.${p}`, why]))),
};

const VOLUME = [
  'name',
  'hostPath.path',
  'hostPath.type',
  'persistentVolumeClaim.claimName',
  'persistentVolumeClaim.readOnly',
  'configMap.name',
  'configMap.items[].key',
  'configMap.items[].path',
  'configMap.items[].mode',
  'configMap.defaultMode',
  'configMap.optional',
  'secret.secretName',
  'secret.items[].key',
  'secret.items[].path',
  'secret.items[].mode',
  'secret.defaultMode',
  'secret.optional',
  'downwardAPI.items[].path',
  'downwardAPI.items[].fieldRef.fieldPath',
  'downwardAPI.items[].fieldRef.apiVersion',
  'downwardAPI.items[].mode',
  'downwardAPI.defaultMode',
  'emptyDir.medium',
  'emptyDir.sizeLimit',
];
const VOLUME_UNSUPPORTED: Record<string, string> = { 'downwardAPI.items[].resourceFieldRef': 'resource fields are not written to files' };

const POD_SPEC = [
  'hostname',
  'hostNetwork',
  'hostAliases[].ip',
  'hostAliases[].hostnames',
  'dnsConfig.nameservers',
  'dnsConfig.searches',
  'dnsConfig.options[].name',
  'dnsConfig.options[].value',
  'shareProcessNamespace',
  'restartPolicy',
  'terminationGracePeriodSeconds',
  'securityContext.runAsUser',
  'securityContext.runAsGroup',
  'securityContext.runAsNonRoot',
  'securityContext.sysctls[].name',
  'securityContext.sysctls[].value',
  'securityContext.seLinuxOptions.user',
  'securityContext.seLinuxOptions.role',
  'securityContext.seLinuxOptions.type',
  'securityContext.seLinuxOptions.level',
  'securityContext.seccompProfile.type',
  'securityContext.seccompProfile.localhostProfile',
  'securityContext.appArmorProfile.type',
  'securityContext.appArmorProfile.localhostProfile',
  ...CONTAINER.map((p) => `containers[].${p}`),
  ...CONTAINER.map((p) => `initContainers[].${p}`),
  ...VOLUME.map((p) => `volumes[].${p}`),
];
const POD_SPEC_IGNORED = [
  // Cluster scheduling and defaults an API server writes: one host, nothing to schedule.
  'dnsPolicy',
  'schedulerName',
  'nodeName',
  'nodeSelector',
  'affinity',
  'tolerations',
  'priority',
  'priorityClassName',
  'preemptionPolicy',
  'enableServiceLinks',
  'serviceAccount',
  'serviceAccountName',
  'automountServiceAccountToken',
  'topologySpreadConstraints',
  'runtimeClassName',
  'imagePullSecrets',
  ...CONTAINER_IGNORED.map((p) => `containers[].${p}`),
  ...CONTAINER_IGNORED.map((p) => `initContainers[].${p}`),
];
const POD_SPEC_UNSUPPORTED: Record<string, string> = {
  hostPID: 'the pod keeps its own PID namespace',
  hostIPC: 'the pod keeps its own IPC namespace',
  hostUsers: 'the pod runs in tspod\'s user namespace',
  activeDeadlineSeconds: 'pods are not stopped after a deadline',
  ephemeralContainers: 'ephemeral containers are not supported',
  readinessGates: 'readiness gates are not evaluated',
  overhead: 'pod overhead is not accounted',
  os: 'pods run on this host\'s OS',
  setHostnameAsFQDN: 'the host name is the pod\'s own',
  subdomain: 'there is no cluster DNS for a subdomain',
  'securityContext.fsGroup': 'volumes are not chowned to a group',
  'securityContext.fsGroupChangePolicy': 'volumes are not chowned to a group',
  'securityContext.supplementalGroups': 'supplementary groups are not added',
  'securityContext.windowsOptions': 'Windows options do not apply on Linux',
  ...Object.fromEntries(Object.entries(CONTAINER_UNSUPPORTED).flatMap(([p, why]) => [[`containers[].${p}`, why], [`initContainers[].${p}`, why]])),
  ...Object.fromEntries(Object.entries(VOLUME_UNSUPPORTED).map(([p, why]) => [`volumes[].${p}`, why])),
};

/** A pod template as it appears at PREFIX (a Pod's top level, or a Deployment's spec.template). */
function template(prefix: string): { read: string[]; ignored: string[]; unsupported: Record<string, string> } {
  return {
    read: [...META, ...POD_SPEC.map((p) => `spec.${p}`)].map((p) => `${prefix}${p}`),
    ignored: [...META_IGNORED, ...POD_SPEC_IGNORED.map((p) => `spec.${p}`)].map((p) => `${prefix}${p}`),
    unsupported: Object.fromEntries(Object.entries(POD_SPEC_UNSUPPORTED).map(([p, why]) => [`${prefix}spec.${p}`, why])),
  };
}

const SELECTOR = ['spec.selector.matchLabels.*'];
const SELECTOR_UNSUPPORTED = { 'spec.selector.matchExpressions': 'replicas are the pods this file makes: selectors are not evaluated' };

/** The paths of each kind tspod plays. */
const KINDS: Record<string, { read: string[]; ignored: string[]; unsupported: Record<string, string> }> = {
  Pod: merge({ read: TOP, ignored: TOP_IGNORED, unsupported: {} }, template('')),
  Deployment: merge(
    { read: [...TOP, 'spec.replicas', ...SELECTOR, 'spec.strategy.type', 'spec.strategy.rollingUpdate.maxSurge', 'spec.strategy.rollingUpdate.maxUnavailable'], ignored: [...TOP_IGNORED, 'spec.revisionHistoryLimit', 'spec.progressDeadlineSeconds'], unsupported: { ...SELECTOR_UNSUPPORTED, 'spec.minReadySeconds': 'a replica counts as ready once it runs (and its probe passes)', 'spec.paused': 'a rollout cannot be paused' } },
    template('spec.template.'),
  ),
  DaemonSet: merge(
    { read: [...TOP, ...SELECTOR], ignored: [...TOP_IGNORED, 'spec.revisionHistoryLimit', 'spec.updateStrategy'], unsupported: { ...SELECTOR_UNSUPPORTED, 'spec.minReadySeconds': 'a pod counts as ready once it runs' } },
    template('spec.template.'),
  ),
  Job: merge(
    { read: [...TOP, ...SELECTOR], ignored: [...TOP_IGNORED, 'spec.manualSelector', 'spec.ttlSecondsAfterFinished'], unsupported: { ...SELECTOR_UNSUPPORTED, 'spec.parallelism': 'a job runs one pod', 'spec.completions': 'a job runs one pod', 'spec.backoffLimit': 'a failed job is not retried', 'spec.activeDeadlineSeconds': 'jobs are not stopped after a deadline', 'spec.suspend': 'a job cannot be suspended', 'spec.completionMode': 'a job runs one pod', 'spec.podFailurePolicy': 'a failed job is not retried', 'spec.backoffLimitPerIndex': 'a job runs one pod', 'spec.maxFailedIndexes': 'a job runs one pod', 'spec.successPolicy': 'a job runs one pod', 'spec.podReplacementPolicy': 'a failed job is not retried' } },
    template('spec.template.'),
  ),
  ConfigMap: { read: [...TOP, 'data.*', 'binaryData.*', 'immutable'], ignored: TOP_IGNORED, unsupported: {} },
  Secret: { read: [...TOP, 'data.*', 'stringData.*', 'type', 'immutable'], ignored: TOP_IGNORED, unsupported: {} },
  PersistentVolumeClaim: {
    read: [...TOP, 'spec.accessModes', 'spec.resources.requests.storage'],
    ignored: [...TOP_IGNORED, 'spec.storageClassName', 'spec.volumeMode', 'spec.volumeName', 'spec.resources.limits'],
    unsupported: { 'spec.selector': 'a claim is a named volume: no persistent volume is selected', 'spec.dataSource': 'a new volume starts empty', 'spec.dataSourceRef': 'a new volume starts empty' },
  },
  Service: {
    read: [...TOP, 'spec.type', 'spec.selector.*', 'spec.ports[].name', 'spec.ports[].port', 'spec.ports[].targetPort', 'spec.ports[].nodePort', 'spec.ports[].protocol'],
    ignored: [...TOP_IGNORED, 'spec.clusterIP', 'spec.clusterIPs', 'spec.ipFamilies', 'spec.ipFamilyPolicy', 'spec.internalTrafficPolicy', 'spec.externalTrafficPolicy', 'spec.sessionAffinity', 'spec.ports[].appProtocol'],
    unsupported: { 'spec.externalIPs': 'ports are published on the host\'s addresses', 'spec.loadBalancerIP': 'there is no load balancer', 'spec.loadBalancerSourceRanges': 'there is no load balancer', 'spec.externalName': 'ExternalName services are not supported', 'spec.sessionAffinityConfig': 'connections are spread round robin', 'spec.healthCheckNodePort': 'there is no load balancer', 'spec.publishNotReadyAddresses': 'only ready replicas get connections' },
  },
};

function merge(a: (typeof KINDS)[string], b: (typeof KINDS)[string]): (typeof KINDS)[string] {
  return { read: [...a.read, ...b.read], ignored: [...a.ignored, ...b.ignored], unsupported: { ...a.unsupported, ...b.unsupported } };
}

const trees = new Map<string, Node>();

function treeOf(kind: string): Node | undefined {
  const known = KINDS[kind];
  if (!known) return undefined;
  let root = trees.get(kind);
  if (root) return root;
  root = { children: new Map() };
  const add = (p: string, mark: FieldMark) => {
    let n = root!;
    for (const seg of p.replace(/\[\]/g, '.[]').split('.')) {
      let next = n.children.get(seg);
      if (!next) n.children.set(seg, (next = { children: new Map() }));
      n = next;
    }
    n.mark ??= mark;
  };
  // Unsupported and ignored first: a more general read path never overrides them.
  for (const [p, why] of Object.entries(known.unsupported)) add(p, { unsupported: why });
  for (const p of known.ignored) add(p, 'ignored');
  for (const p of known.read) add(p, 'read');
  trees.set(kind, root);
  return root;
}

/** The kinds tspod plays. */
export const PLAYED_KINDS = Object.keys(KINDS);

/** How tspod takes PATH of an object of KIND (a path with [] for list elements), or undefined: not a field it knows. */
export function fieldMark(kind: string, path: string): FieldMark | undefined {
  let n = treeOf(kind);
  for (const seg of path.replace(/\[\d*\]/g, '.[]').split('.')) {
    if (!n) return undefined;
    if (n.mark && n.mark !== 'read') return n.mark;
    n = n.children.get(seg) ?? n.children.get('*');
  }
  return n?.mark;
}

/**
 * Every field of OBJ (of a kind tspod plays) that tspod neither reads nor ignores harmlessly:
 * unknown ones (a typo, a newer API) and those it cannot honour, each with its path
 * (spec.containers[0].lifecycle.postStart).
 */
export function unhandledFields(kind: string, obj: unknown): FieldReport[] {
  const root = treeOf(kind);
  if (!root) return [];
  const out: FieldReport[] = [];
  walk(root, obj, '', out);
  return out;
}

function walk(node: Node, value: unknown, path: string, out: FieldReport[]): void {
  if (node.children.size === 0 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    const each = node.children.get('[]');
    if (each) value.forEach((v, i) => walk(each, v, `${path}[${i}]`, out));
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const p = path ? `${path}.${key}` : key;
    const child = node.children.get(key) ?? node.children.get('*');
    if (!child) {
      out.push({ path: p, why: 'unknown field: tspod does not know it (check its spelling and indentation)' });
      continue;
    }
    if (child.mark === 'ignored') continue;
    if (child.mark && typeof child.mark === 'object') {
      out.push({ path: p, why: `not supported by tspod: ${child.mark.unsupported}` });
      continue;
    }
    walk(child, v, p, out);
  }
}

/**
 * Reports the unhandled fields of a document: warnings (returned), or with strict the first as an
 * error. where: "FILE, document N".
 */
export function reportFields(where: string, kind: string, obj: unknown, strict: boolean): string[] {
  const found = unhandledFields(kind, obj);
  if (strict && found.length) throw new InvalidArgumentError(`${where}: ${found[0].path}: ${found[0].why}: remove it, or play without --strict to ignore it with a warning`);
  return found.map((f) => `${where}: ${f.path}: ${f.why}: ignored`);
}

/**
 * A value the translator cannot honour (a field is read, but not this value of it): a warning
 * through warn, or an error with strict.
 */
export function reportValue(where: string, path: string, why: string, strict: boolean, warn: (m: string) => void): void {
  if (strict) throw new InvalidArgumentError(`${where}: ${path}: ${why}: change it, or play without --strict to ignore it with a warning`);
  warn(`${where}: ${path}: ${why}: ignored`);
}
