// One container of a pod template as create's options (what `tspod create` takes from its flags,
// so a file passes the checks the CLI's flags pass): name "<pod>-<container>", image and pull
// policy, command/args, env, workingDir, stdin/tty, mounts, securityContext, resources, probes,
// and kube play's flags (annotations, log driver, userns, no-hosts). Pure but for the volumes'
// ctx.materialize.
import { InvalidArgumentError } from '../../src/errors';
import { validName } from '../container/container';
import { checkHealthFlags } from '../container/health-flags';
import { parseResources } from '../container/resource-flags';
import { checkDestinations, parseMountFlag } from '../volume/volume-spec';
import { capabilities, checkUserIds } from '../oci/spec';
import { normalizeSignal } from '../oci/runtime';
import { isDnsLabel } from './names';
import { CONTAINER_NAME_ANNOTATION } from './generate-names';
import { reportValue } from './fields';
import { containerEnv, expandRefs, isMap, type EnvSources } from './translate-env';
import { containerResources } from './translate-resources';
import { containerHealth } from './translate-probe';
import { containerMounts, type PodVolumes } from './volumes-from-kube';
import type { ContainerPlan, TranslateContext } from './types';

const PULL: Record<string, string> = { Always: 'always', Never: 'never', IfNotPresent: 'missing' };

/** imagePullPolicy as --pull; unset: Kubernetes' default (Always for :latest or no tag, else IfNotPresent) as Podman reads it (newer, missing). */
export function pullPolicy(policy: unknown, image: string, where: string, p: string): string {
  if (policy === undefined || policy === null || policy === '') {
    const tail = image.split('@')[0].split('/').pop()!;
    const tagged = image.includes('@') || (tail.includes(':') && !tail.endsWith(':latest'));
    return tagged ? 'missing' : 'newer';
  }
  if (typeof policy !== 'string' || !PULL[policy]) throw new InvalidArgumentError(`${where}: ${p}: unknown imagePullPolicy ${JSON.stringify(policy)}: use Always, IfNotPresent or Never`);
  return PULL[policy];
}

function strings(v: unknown, where: string, p: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((w) => typeof w === 'string')) throw new InvalidArgumentError(`${where}: ${p} must be a list of strings (quote numbers: "8080")`);
  return v as string[];
}

function int(v: unknown, where: string, p: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Number.isInteger(v) || (v as number) < 0) throw new InvalidArgumentError(`${where}: ${p} must be a whole number of 0 or more`);
  return v as number;
}

/** The container's and the pod's securityContext as user, capabilities and security options. */
function security(c: Record<string, unknown>, podSc: Record<string, unknown>, ctx: TranslateContext, where: string, p: string) {
  const sc = isMap(c.securityContext) ? c.securityContext : {};
  const uid = int(sc.runAsUser ?? podSc.runAsUser, where, `${p}.securityContext.runAsUser`);
  const gid = int(sc.runAsGroup ?? podSc.runAsGroup, where, `${p}.securityContext.runAsGroup`);
  const nonRoot = (sc.runAsNonRoot ?? podSc.runAsNonRoot) === true;
  if (nonRoot && uid === 0) throw new InvalidArgumentError(`${where}: ${p}.securityContext: runAsNonRoot is true but runAsUser is 0 (root): the kubelet refuses to start it; give another runAsUser`);
  const opt: string[] = [];
  const caps = isMap(sc.capabilities) ? sc.capabilities : {};
  const capAdd = strings(caps.add, where, `${p}.securityContext.capabilities.add`) ?? [];
  const capDrop = strings(caps.drop, where, `${p}.securityContext.capabilities.drop`) ?? [];
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) throw new InvalidArgumentError(`${where}: ${p}.securityContext: allowPrivilegeEscalation cannot be false when privileged is true`);
    opt.push('no-new-privileges');
  }
  if (sc.procMount === 'Unmasked') opt.push('unmask=ALL');
  else if (sc.procMount !== undefined && sc.procMount !== 'Default') throw new InvalidArgumentError(`${where}: ${p}.securityContext.procMount must be Default or Unmasked`);
  // No SELinux here: label= is stored and shown, as Podman does with labeling off.
  const se = isMap(sc.seLinuxOptions) ? sc.seLinuxOptions : isMap(podSc.seLinuxOptions) ? podSc.seLinuxOptions : undefined;
  for (const k of ['user', 'role', 'type', 'level'] as const) if (se && typeof se[k] === 'string' && se[k]) opt.push(`label=${k}:${se[k]}`);
  const scPath = (k: string) => (isMap(sc[k]) ? `${p}.securityContext.${k}` : `spec.securityContext.${k}`);
  const seccomp = isMap(sc.seccompProfile) ? sc.seccompProfile : isMap(podSc.seccompProfile) ? podSc.seccompProfile : undefined;
  if (seccomp?.type === 'Unconfined') opt.push('seccomp=unconfined');
  else if (seccomp?.type === 'Localhost') reportValue(where, `${scPath('seccompProfile')}.type`, 'Localhost profiles live in the kubelet\'s directory, which tspod does not have: the default profile is used', ctx.strict, ctx.warn);
  else if (seccomp && seccomp.type !== 'RuntimeDefault') throw new InvalidArgumentError(`${where}: ${scPath('seccompProfile')}.type must be RuntimeDefault, Unconfined or Localhost`);
  const aa = isMap(sc.appArmorProfile) ? sc.appArmorProfile : isMap(podSc.appArmorProfile) ? podSc.appArmorProfile : undefined;
  if (aa?.type === 'Unconfined') opt.push('apparmor=unconfined');
  else if (aa?.type === 'Localhost') {
    if (typeof aa.localhostProfile !== 'string' || !aa.localhostProfile) throw new InvalidArgumentError(`${where}: ${scPath('appArmorProfile')}.localhostProfile is missing: name the host's profile`);
    opt.push(`apparmor=${aa.localhostProfile}`);
  } else if (aa && aa.type !== 'RuntimeDefault') throw new InvalidArgumentError(`${where}: ${scPath('appArmorProfile')}.type must be RuntimeDefault, Unconfined or Localhost`);
  // runAsGroup alone: user 0 with that group, as Podman gives it (--user takes no group without a user).
  const user = uid !== undefined ? `${uid}${gid !== undefined ? `:${gid}` : ''}` : gid !== undefined ? `0:${gid}` : undefined;
  return { user, capAdd, capDrop, securityOpt: opt, privileged: sc.privileged === true, readOnly: sc.readOnlyRootFilesystem === true, runAsNonRoot: nonRoot && uid === undefined };
}


/**
 * The container's name: "<pod>-<container>", as Podman names them; or, in a Pod (a template with
 * a name of its own: a Deployment's replicas would all get it), the name kube generate kept in
 * io.tspod.container-name/<container>, so that a round trip gives containers their names back.
 */
function containerName(name: string, md: { name?: unknown }, annotations: Record<string, string>, podName: string, where: string): string {
  const kept = annotations[`${CONTAINER_NAME_ANNOTATION}/${name}`];
  if (kept === undefined || md.name === undefined) return `${podName}-${name}`;
  if (!validName(kept)) throw new InvalidArgumentError(`${where}: annotation ${CONTAINER_NAME_ANNOTATION}/${name}: invalid container name "${kept}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
  return kept;
}

/** Podman's per-container annotations TRUE/FALSE (io.podman.annotations.init/<container>...). */
function podmanFlag(annotations: Record<string, string>, key: string, name: string, where: string): boolean | undefined {
  const v = annotations[`io.podman.annotations.${key}/${name}`];
  if (v === undefined) return undefined;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  throw new InvalidArgumentError(`${where}: annotation io.podman.annotations.${key}/${name}: "${v}" must be TRUE or FALSE`);
}

export interface ContainerInput {
  c: unknown;
  /** The template's metadata (its name tells a Pod from a replica's template). */
  metadata: { name?: unknown };
  /** spec.hostPID: each container sees the host's processes (--pid host). */
  hostPid?: boolean;
  /** The pod's --userns (kube play's flag, Podman's annotation, or hostUsers: false). */
  userns?: string;
  /** spec.containers[i] or spec.initContainers[i]. */
  path: string;
  init: boolean;
  restart: string;
  labels: string[];
  annotations: string[];
  stopTimeout?: number;
  podSc: Record<string, unknown>;
  vols: PodVolumes;
  env: EnvSources;
}

/** One container of the template as create's options. */
export function translateContainer(input: ContainerInput, ctx: TranslateContext, where: string): ContainerPlan {
  const { c, path: p } = input;
  if (!isMap(c)) throw new InvalidArgumentError(`${where}: ${p} must be a mapping`);
  const name = c.name;
  if (typeof name !== 'string' || !isDnsLabel(name)) throw new InvalidArgumentError(`${where}: ${p}.name: invalid container name ${JSON.stringify(name ?? '')}: a DNS-1123 label must consist of lower case alphanumeric characters or '-', start and end with an alphanumeric character, and be at most 63 characters`);
  if (typeof c.image !== 'string' || c.image.trim() === '') throw new InvalidArgumentError(`${where}: ${p}.image: container "${name}" has no image: give one`);
  const ports = (Array.isArray(c.ports) ? c.ports : []).filter(isMap).map((x) => ({ name: typeof x.name === 'string' ? x.name : undefined, containerPort: Number(x.containerPort) }));
  const env = containerEnv(c, input.env, p);
  const vars = new Map(env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  const command = strings(c.command, where, `${p}.command`)?.map((w) => expandRefs(w, vars));
  const args = strings(c.args, where, `${p}.args`)?.map((w) => expandRefs(w, vars));
  const { mounts, devices } = containerMounts(c.volumeMounts, input.vols, where, `${p}.volumeMounts`);
  const sec = security(c, input.podSc, ctx, where, p);
  const health = input.init ? undefined : containerHealth(c, ports, input.restart, where, p);
  const resources = containerResources(c.resources, where, `${p}.resources`);
  if (input.init && ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'].some((k) => c[k] != null)) throw new InvalidArgumentError(`${where}: ${p}: an init container cannot have lifecycle, livenessProbe, readinessProbe or startupProbe`);
  if (c.workingDir !== undefined && (typeof c.workingDir !== 'string' || !c.workingDir.startsWith('/'))) throw new InvalidArgumentError(`${where}: ${p}.workingDir must be an absolute path`);
  // The pod's supplementalGroups: --group-add of each container, as the kubelet adds them.
  const groups = (Array.isArray(input.podSc.supplementalGroups) ? input.podSc.supplementalGroups : input.podSc.supplementalGroups === undefined ? [] : [null]).map((g, i) => {
    if (!Number.isInteger(g) || (g as number) < 0) throw new InvalidArgumentError(`${where}: spec.securityContext.supplementalGroups[${i}] must be a group number`);
    return String(g);
  });
  const stopSignal = isMap(c.lifecycle) && typeof c.lifecycle.stopSignal === 'string' ? c.lifecycle.stopSignal : undefined;
  const annotations = input.env.annotations;
  const autoremove = podmanFlag(annotations, 'autoremove', name, where) === true;
  if (autoremove && input.restart !== 'no') reportValue(where, `annotation io.podman.annotations.autoremove/${name}`, `a container with restart policy ${input.restart} is not removed when it exits`, ctx.strict, ctx.warn);
  const create: ContainerPlan['create'] = {
    image: c.image.trim(),
    name: containerName(name, input.metadata, annotations, ctx.podName, where),
    command: args ?? [],
    ...(command && command.length ? { entrypoint: JSON.stringify(command) } : {}),
    env,
    envFiles: [],
    ...(typeof c.workingDir === 'string' ? { workdir: c.workingDir } : {}),
    ...(sec.user !== undefined ? { user: sec.user } : {}),
    labels: input.labels,
    annotations: input.annotations,
    readOnly: sec.readOnly,
    init: podmanFlag(annotations, 'init', name, where) === true,
    replace: false,
    pull: pullPolicy(c.imagePullPolicy, c.image.trim(), where, `${p}.imagePullPolicy`),
    capAdd: sec.capAdd,
    capDrop: sec.capDrop,
    securityOpt: sec.securityOpt,
    interactive: c.stdin === true,
    tty: c.tty === true,
    rm: autoremove && input.restart === 'no',
    restart: input.restart,
    mounts,
    ...(input.stopTimeout !== undefined ? { stopTimeout: input.stopTimeout } : {}),
    ...(stopSignal ? { stopSignal } : {}),
    ...(health ? { health } : {}),
    ...(resources ? { resources } : {}),
    ...(sec.privileged || devices.length || input.hostPid ? { security: { ...(sec.privileged ? { privileged: true } : {}), ...(devices.length ? { devices } : {}), ...(input.hostPid ? { pid: 'host' } : {}) } } : {}),
    ...(ctx.logDriver !== undefined || ctx.logOptions?.length ? { logsSecrets: { logDriver: ctx.logDriver, logOpts: ctx.logOptions ?? [], secrets: [], rootfs: false, envMerge: [], httpProxy: true } } : {}),
    ...(input.userns !== undefined || groups.length ? { userns: { ...(input.userns !== undefined ? { userns: input.userns } : {}), uidmap: [], gidmap: [], groupAdd: groups, hostuser: [], passwd: true } } : {}),
    ...(ctx.noHosts ? { noHosts: true } : {}),
  };
  checkedAsCreate(create, where, p);
  const initType = input.init ? initContainerType(annotations, where) : undefined;
  return { name, init: input.init, ...(initType ? { initType } : {}), create, ...(sec.runAsNonRoot ? { runAsNonRoot: true } : {}) };
}

/**
 * The options create's own parsers check (capabilities, mounts, healthcheck, limits, user, stop
 * signal), run now so that a file they refuse is refused before the play makes anything; their
 * message is prefixed with the container's place in the file.
 */
function checkedAsCreate(create: ContainerPlan['create'], where: string, p: string): void {
  const at = (field: string, check: () => unknown) => {
    try {
      check();
    } catch (err) {
      if (err instanceof InvalidArgumentError) throw new InvalidArgumentError(`${where}: ${p}.${field}: ${err.message}`);
      throw err;
    }
  };
  at('securityContext.capabilities', () => capabilities(create.capAdd, create.capDrop));
  at('volumeMounts', () => checkDestinations((create.mounts ?? []).map((m) => parseMountFlag(m))));
  if (create.health) at('probes', () => checkHealthFlags(create.health));
  if (create.resources) at('resources', () => parseResources(create.resources!));
  at('securityContext', () => checkUserIds(create.user));
  if (create.stopSignal) at('lifecycle.stopSignal', () => normalizeSignal(create.stopSignal!));
}

/**
 * runAsNonRoot without runAsUser (ContainerPlan.runAsNonRoot), checked as the kubelet checks it
 * once the image is there: its USER must be a user number other than 0 (a name cannot be
 * verified without the image's /etc/passwd, so the kubelet refuses it too).
 */
export function checkNonRootImage(plan: ContainerPlan, imageUser: string | undefined, where: string): void {
  if (!plan.runAsNonRoot) return;
  const user = (imageUser ?? '').split(':')[0];
  const what = `${where}: container ${plan.name}: securityContext.runAsNonRoot`;
  if (user === '' || user === '0' || user === 'root') throw new InvalidArgumentError(`${what}: the image runs as root${user ? ` (USER ${imageUser})` : ' (it has no USER)'}: give runAsUser a user number other than 0`);
  if (!/^\d+$/.test(user)) throw new InvalidArgumentError(`${what}: the image's USER ${imageUser} is a name, which cannot be verified as non-root: give runAsUser a user number`);
}

/** Podman's annotation io.podman.annotations.init.container.type: once (its default) or always. */
function initContainerType(annotations: Record<string, string>, where: string): 'once' | 'always' {
  const v = annotations['io.podman.annotations.init.container.type'];
  if (v === undefined || v === 'once') return 'once';
  if (v === 'always') return 'always';
  throw new InvalidArgumentError(`${where}: annotation io.podman.annotations.init.container.type: "${v}" must be once or always`);
}
