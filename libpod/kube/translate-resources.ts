// Kubernetes quantities (512Mi, 1G, 250m, 1e3) and a container's resources as run's flags:
// limits.memory --memory, limits.cpu --cpus, requests.memory --memory-reservation, requests.cpu
// --cpu-shares (the kubelet's 1024 shares per CPU, at least 2). Pure.
import { InvalidArgumentError } from '../../src/errors';
import type { ResourceOptions } from '../container/resource-flags';
import { isMap } from './translate-env';

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A quantity's value (a number or a string such as 512Mi, 0.5, 250m, 1e3), or an error naming where. */
export function parseQuantity(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  const m = typeof value === 'string' ? /^\+?((?:\d+(?:\.\d*)?)|(?:\.\d+))(?:([eE][-+]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E))?$/.exec(value.trim()) : null;
  if (!m) throw new InvalidArgumentError(`${what}: invalid quantity ${JSON.stringify(value)}: give a number with an optional suffix, such as 512Mi, 1G or 250m`);
  const n = Number(m[1]) * (m[2] ? 10 ** Number(m[2].slice(1)) : SUFFIX[m[3] ?? '']);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`${what}: quantity ${JSON.stringify(value)} is too large`);
  return n;
}

/** A memory quantity in whole bytes (rounded up, as the kubelet rounds). */
export function memoryBytes(value: unknown, what: string): number {
  return Math.ceil(parseQuantity(value, what));
}

/** A CPU quantity in millicores (rounded up; Kubernetes' precision is 1m). */
export function milliCpu(value: unknown, what: string): number {
  return Math.ceil(Math.round(parseQuantity(value, what) * 1e6) / 1e3);
}

/** resources: limits and requests of memory and cpu as --memory, --cpus, --memory-reservation, --cpu-shares; undefined when none. */
export function containerResources(resources: unknown, where: string, path: string): ResourceOptions | undefined {
  if (resources === undefined || resources === null) return undefined;
  if (!isMap(resources)) throw new InvalidArgumentError(`${where}: ${path} must be a mapping`);
  const limits = isMap(resources.limits) ? resources.limits : {};
  const requests = isMap(resources.requests) ? resources.requests : {};
  const out: ResourceOptions = {};
  const mem = limits.memory !== undefined ? memoryBytes(limits.memory, `${where}: ${path}.limits.memory`) : undefined;
  const memReq = requests.memory !== undefined ? memoryBytes(requests.memory, `${where}: ${path}.requests.memory`) : undefined;
  const cpu = limits.cpu !== undefined ? milliCpu(limits.cpu, `${where}: ${path}.limits.cpu`) : undefined;
  const cpuReq = requests.cpu !== undefined ? milliCpu(requests.cpu, `${where}: ${path}.requests.cpu`) : undefined;
  if (mem !== undefined && memReq !== undefined && memReq > mem) throw new InvalidArgumentError(`${where}: ${path}.requests.memory (${requests.memory}) must be less than or equal to limits.memory (${limits.memory})`);
  if (cpu !== undefined && cpuReq !== undefined && cpuReq > cpu) throw new InvalidArgumentError(`${where}: ${path}.requests.cpu (${requests.cpu}) must be less than or equal to limits.cpu (${limits.cpu})`);
  if (mem) out.memory = String(mem);
  if (memReq) out.memoryReservation = String(memReq);
  if (cpu) out.cpus = String(cpu / 1000);
  if (cpuReq) out.cpuShares = String(Math.max(2, Math.floor((cpuReq * 1024) / 1000)));
  return Object.keys(out).length ? out : undefined;
}
