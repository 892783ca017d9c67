// One tspod container as a Kubernetes container: only what the user asked for beyond the image
// (command and args, env, working directory, user), its published ports, limits, healthcheck as a
// livenessProbe, and a securityContext of what differs from the default capabilities and rights.
// Pure: the image's config and the host paths' types come in as facts.
import type { Container } from '../container/container';
import type { ContainerConfig } from '../image/image-changes';
import type { HealthCheck } from '../../conmon/health';
import { checkArgv } from '../../conmon/health';
import { eachPort } from '../network/network-spec';
import { DEFAULT_CAPABILITIES, capabilities } from '../oci/spec';
import { bytesQuantity, cpuQuantity } from './generate-quantity';
import type { KubeVolumeMount } from './generate-volumes';

export interface KubeContainerPort {
  containerPort: number;
  hostPort?: number;
  hostIP?: string;
  protocol: 'TCP' | 'UDP';
}

export interface KubeProbe {
  exec: { command: string[] };
  initialDelaySeconds?: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

/** The fields of a Kubernetes container kube generate writes, in the order it writes them. */
export interface KubeContainer {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: Array<{ name: string; value: string }>;
  workingDir?: string;
  ports?: KubeContainerPort[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  volumeMounts?: KubeVolumeMount[];
  livenessProbe?: KubeProbe;
  startupProbe?: KubeProbe;
  securityContext?: Record<string, unknown>;
  tty?: boolean;
  stdin?: boolean;
}

const seconds = (ms: number, min: number) => Math.max(min, Math.ceil(ms / 1000));

/** Entrypoint and command as Kubernetes splits them: command replaces ENTRYPOINT, args replaces CMD. */
export function commandAndArgs(spec: Container['spec']): Pick<KubeContainer, 'command' | 'args'> {
  const ep = spec.entrypoint;
  if (ep === undefined) return spec.command.length ? { args: spec.command } : {};
  // An empty --entrypoint leaves the command alone as the process (Kubernetes reads an empty command as "the image's").
  if (ep.length === 0) return { command: spec.command };
  return { command: ep, ...(spec.command.length ? { args: spec.command } : {}) };
}

/** The env entries the user gave that the image does not already set to the same value. */
export function envBeyondImage(env: string[], imageEnv: string[]): Array<{ name: string; value: string }> {
  const image = new Set(imageEnv);
  return env.filter((e) => !image.has(e)).map((e) => {
    const eq = e.indexOf('=');
    return { name: e.slice(0, eq), value: e.slice(eq + 1) };
  });
}

/** Published ports; with a Service (which publishes them) without hostPort, as Podman does. */
export function containerPorts(c: Container, withService: boolean): KubeContainerPort[] {
  return eachPort(c.spec.ports ?? []).map((p) => ({
    containerPort: p.containerPort,
    ...(withService ? {} : { hostPort: p.hostPort }),
    ...(p.hostIp && !withService ? { hostIP: p.hostIp } : {}),
    protocol: p.protocol === 'udp' ? 'UDP' : 'TCP',
  }));
}

/** --memory, --memory-reservation and --cpus as limits and requests. */
export function resources(c: Container): KubeContainer['resources'] {
  const r = c.spec.resources ?? {};
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  const cpu = r.cpuQuota !== undefined ? cpuQuantity(r.cpuQuota, r.cpuPeriod ?? 100_000) : undefined;
  if (cpu) limits.cpu = cpu;
  if (r.memory) limits.memory = bytesQuantity(r.memory);
  // A request above the limit is refused by the API server.
  if (r.memoryReservation && (!r.memory || r.memoryReservation <= r.memory)) requests.memory = bytesQuantity(r.memoryReservation);
  if (!Object.keys(limits).length && !Object.keys(requests).length) return undefined;
  return { ...(Object.keys(limits).length ? { limits } : {}), ...(Object.keys(requests).length ? { requests } : {}) };
}

/** A healthcheck as an exec probe; undefined for none, or one that runs only on demand (no interval). */
export function probe(h: HealthCheck | undefined): KubeProbe | undefined {
  if (!h || h.test[0] === 'NONE' || h.intervalMs <= 0) return undefined;
  return {
    exec: { command: checkArgv(h.test) },
    ...(h.startPeriodMs > 0 ? { initialDelaySeconds: seconds(h.startPeriodMs, 0) } : {}),
    periodSeconds: seconds(h.intervalMs, 1),
    timeoutSeconds: seconds(h.timeoutMs, 1),
    failureThreshold: Math.max(1, h.retries),
  };
}

/** --health-startup-*: a startupProbe (Kubernetes holds the liveness probe back until it passes, as tspod does). */
export function startupProbe(h: HealthCheck | undefined): KubeProbe | undefined {
  const s = h?.startup;
  if (!s || s.intervalMs <= 0 || s.test[0] === 'NONE') return undefined;
  return { exec: { command: checkArgv(s.test) }, periodSeconds: seconds(s.intervalMs, 1), timeoutSeconds: seconds(s.timeoutMs, 1), failureThreshold: Math.max(1, s.retries || 3) };
}

/** --user as runAsUser/runAsGroup when numeric and not the image's own user. */
function runAs(user: string | undefined, imageUser: string | undefined): Record<string, number> {
  if (!user || user === imageUser) return {};
  const m = /^(\d+)(?::(\d+))?$/.exec(user);
  if (!m) return {};
  return { runAsUser: Number(m[1]), ...(m[2] !== undefined ? { runAsGroup: Number(m[2]) } : {}) };
}

/** What the container may do beyond (or short of) the defaults; undefined when nothing differs. */
export function securityContext(c: Container, imageUser: string | undefined): Record<string, unknown> | undefined {
  const s = c.spec;
  const privileged = s.security?.privileged === true;
  const sc: Record<string, unknown> = {};
  if (!privileged) {
    const have = capabilities(s.capAdd, s.capDrop).map((x) => x.replace(/^CAP_/, ''));
    const add = have.filter((x) => !DEFAULT_CAPABILITIES.includes(x));
    const drop = DEFAULT_CAPABILITIES.filter((x) => !have.includes(x));
    if (add.length || drop.length) sc.capabilities = { ...(add.length ? { add } : {}), ...(drop.length ? { drop } : {}) };
  }
  if (privileged) sc.privileged = true;
  if (s.noNewPrivileges) sc.allowPrivilegeEscalation = false;
  if (s.readOnly) sc.readOnlyRootFilesystem = true;
  Object.assign(sc, runAs(s.user, imageUser));
  return Object.keys(sc).length ? sc : undefined;
}

export interface ContainerPlace {
  /** Its name in the pod, unique there. */
  name: string;
  /** The image reference to write, and its config when the image is in the store. */
  image: string;
  imageConfig?: ContainerConfig;
  withService: boolean;
  /** The pod's volumes it mounts (named by the pod: they are shared). */
  volumeMounts: KubeVolumeMount[];
  /** Whose published ports it lists: its own, the pod's infra container's, or none. */
  portsOf?: Container;
}

/** One container of the pod. */
export function kubeContainer(c: Container, place: ContainerPlace): KubeContainer {
  const { name, image, withService, volumeMounts } = place;
  const cfg = place.imageConfig ?? {};
  const env = envBeyondImage(c.spec.env, cfg.Env ?? []);
  const ports = place.portsOf ? containerPorts(place.portsOf, withService) : [];
  const res = resources(c);
  const liveness = probe(c.spec.healthcheck);
  const startup = startupProbe(c.spec.healthcheck);
  const sc = securityContext(c, cfg.User);
  return {
    name,
    image,
    ...commandAndArgs(c.spec),
    ...(env.length ? { env } : {}),
    ...(c.spec.workdir && c.spec.workdir !== (cfg.WorkingDir || '/') ? { workingDir: c.spec.workdir } : {}),
    ...(ports.length ? { ports } : {}),
    ...(res ? { resources: res } : {}),
    ...(volumeMounts.length ? { volumeMounts } : {}),
    ...(liveness ? { livenessProbe: liveness } : {}),
    ...(startup ? { startupProbe: startup } : {}),
    ...(sc ? { securityContext: sc } : {}),
    ...(c.spec.terminal ? { tty: true } : {}),
    ...(c.spec.stdin ? { stdin: true } : {}),
  };
}
