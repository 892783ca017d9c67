// create's and run's resource flags (--memory, --cpus, --pids-limit, --blkio-weight, ...) parsed
// and checked as Podman checks them, into the container's spec; and the runtime spec's
// linux.resources made from them. Rootless on cgroups v1 there is no cgroup the user may write, so
// the limits are recorded (inspect shows them) but left out of the runtime spec, with Podman's
// warning, as rootless Podman does there.
import fs from 'node:fs';
import { InvalidArgumentError } from '../../src/errors';

export interface DeviceLimit {
  path: string;
  /** A weight (--blkio-weight-device) or a rate (bytes or operations per second). */
  value: number;
}

/** The limits asked for; absent ones are not set. Sizes in bytes, CPU times in microseconds. */
export interface ResourceLimits {
  memory?: number;
  memorySwap?: number;
  memoryReservation?: number;
  cpuShares?: number;
  cpuPeriod?: number;
  cpuQuota?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
  pidsLimit?: number;
  blkioWeight?: number;
  blkioWeightDevice?: DeviceLimit[];
  deviceReadBps?: DeviceLimit[];
  deviceWriteBps?: DeviceLimit[];
  deviceReadIops?: DeviceLimit[];
  deviceWriteIops?: DeviceLimit[];
}

export interface ResourceOptions {
  memory?: string;
  memorySwap?: string;
  memoryReservation?: string;
  cpus?: string;
  cpuShares?: string;
  cpuPeriod?: string;
  cpuQuota?: string;
  cpusetCpus?: string;
  cpusetMems?: string;
  pidsLimit?: string;
  blkioWeight?: string;
  blkioWeightDevice?: string[];
  deviceReadBps?: string[];
  deviceWriteBps?: string[];
  deviceReadIops?: string[];
  deviceWriteIops?: string[];
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** A size as Podman reads one (binary units, b/k/m/g/t/p, optional "i" and "b"): bytes, or undefined. */
export function ramInBytes(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(value);
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * UNITS[(m[2] ?? '').toLowerCase()]);
}

/** A size flag's bytes, or Podman's "invalid size" error naming the flag. */
export function sizeFlag(value: string, what: string): number {
  const n = ramInBytes(value);
  if (n === undefined) throw new InvalidArgumentError(`invalid value for ${what}: invalid size: '${value}': give a number with an optional unit b, k, m or g (e.g. 64m)`);
  return n;
}

function integer(value: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new InvalidArgumentError(`invalid argument "${value}" for "${flag}" flag: give a whole number${min > -Infinity ? ` from ${min}` : ''}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`);
  }
  return Number(value);
}

const CPU_LIST = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;

function deviceLimits(entries: string[] | undefined, flag: string, parse: (v: string) => number | undefined, form: string): DeviceLimit[] | undefined {
  if (!entries?.length) return undefined;
  return entries.map((e) => {
    const colon = e.lastIndexOf(':');
    if (colon <= 0) throw new InvalidArgumentError(`bad format: ${e}: ${flag} takes ${form}`);
    const path = e.slice(0, colon);
    if (!path.startsWith('/dev/')) throw new InvalidArgumentError(`bad format for device path: ${e}: ${flag} takes ${form}`);
    const value = parse(e.slice(colon + 1));
    if (value === undefined) throw new InvalidArgumentError(`invalid value for device: ${e}: ${flag} takes ${form}`);
    return { path, value };
  });
}

/** The resource flags checked; undefined when none was given. */
export function parseResources(o: ResourceOptions): ResourceLimits | undefined {
  const r: ResourceLimits = {};
  if (o.memory !== undefined) {
    r.memory = sizeFlag(o.memory, 'memory');
    // Podman: with a limit and no --memory-swap, swap is twice the limit.
    if (o.memorySwap === undefined && r.memory > 0) r.memorySwap = 2 * r.memory;
  }
  if (o.memorySwap !== undefined) r.memorySwap = o.memorySwap === '-1' ? -1 : sizeFlag(o.memorySwap, 'memory-swap');
  if (o.memoryReservation !== undefined) r.memoryReservation = sizeFlag(o.memoryReservation, 'memory-reservation');
  if (r.memorySwap !== undefined && r.memory === undefined && o.memorySwap !== '-1') throw new InvalidArgumentError('you should always set a memory limit when using a memoryswap limit: add --memory');
  if (r.memory && r.memorySwap !== undefined && r.memorySwap !== -1 && r.memorySwap < r.memory) throw new InvalidArgumentError('minimum memoryswap limit should be larger than memory limit: make --memory-swap at least --memory');
  if (r.memory && r.memoryReservation !== undefined && r.memory < r.memoryReservation) throw new InvalidArgumentError('minimum memory limit cannot be less than memory reservation limit: make --memory at least --memory-reservation');
  if (o.cpus !== undefined) {
    if (!/^\d*\.?\d+$/.test(o.cpus) || Number(o.cpus) <= 0) throw new InvalidArgumentError(`invalid argument "${o.cpus}" for "--cpus" flag: give a positive number of CPUs, e.g. 1.5`);
    if (o.cpuPeriod !== undefined || o.cpuQuota !== undefined) throw new InvalidArgumentError('--cpus and --cpu-period/--cpu-quota cannot be set together: use one or the other');
    r.cpuPeriod = 100000;
    r.cpuQuota = Math.round(Number(o.cpus) * 100000);
  }
  if (o.cpuShares !== undefined) r.cpuShares = integer(o.cpuShares, '--cpu-shares', 0);
  if (o.cpuPeriod !== undefined) r.cpuPeriod = integer(o.cpuPeriod, '--cpu-period', 0);
  if (o.cpuQuota !== undefined) r.cpuQuota = integer(o.cpuQuota, '--cpu-quota', -1);
  for (const [flag, v] of [['--cpuset-cpus', o.cpusetCpus], ['--cpuset-mems', o.cpusetMems]] as const) {
    if (v !== undefined && v !== '' && !CPU_LIST.test(v)) throw new InvalidArgumentError(`invalid value "${v}" for ${flag}: give a list such as 0-3 or 0,2`);
  }
  if (o.cpusetCpus) r.cpusetCpus = o.cpusetCpus;
  if (o.cpusetMems) r.cpusetMems = o.cpusetMems;
  if (o.pidsLimit !== undefined) r.pidsLimit = integer(o.pidsLimit, '--pids-limit', -1);
  if (o.blkioWeight !== undefined) {
    const w = integer(o.blkioWeight, '--blkio-weight', 0, 1000);
    if (w !== 0 && w < 10) throw new InvalidArgumentError(`invalid value for blkio-weight: ${w}: give 10 to 1000 (or 0)`);
    r.blkioWeight = w;
  }
  const weight = (v: string) => (/^\d+$/.test(v) && Number(v) >= 10 && Number(v) <= 1000 ? Number(v) : undefined);
  const rate = (v: string) => (/^\d+$/.test(v) ? Number(v) : undefined);
  r.blkioWeightDevice = deviceLimits(o.blkioWeightDevice, '--blkio-weight-device', weight, 'DEVICE:WEIGHT, a weight from 10 to 1000');
  r.deviceReadBps = deviceLimits(o.deviceReadBps, '--device-read-bps', ramInBytes, 'DEVICE:RATE, a rate with an optional unit kb, mb or gb');
  r.deviceWriteBps = deviceLimits(o.deviceWriteBps, '--device-write-bps', ramInBytes, 'DEVICE:RATE, a rate with an optional unit kb, mb or gb');
  r.deviceReadIops = deviceLimits(o.deviceReadIops, '--device-read-iops', rate, 'DEVICE:RATE, a whole number of operations per second');
  r.deviceWriteIops = deviceLimits(o.deviceWriteIops, '--device-write-iops', rate, 'DEVICE:RATE, a whole number of operations per second');
  for (const k of Object.keys(r) as Array<keyof ResourceLimits>) if (r[k] === undefined) delete r[k];
  return Object.keys(r).length ? r : undefined;
}

/** The warning rootless Podman gives on cgroups v1, where the limits are not applied. */
export const CGROUP_V1_ROOTLESS_WARNING = 'Resource limits are not supported and ignored on cgroups V1 rootless systems';

/** True when the host runs the unified cgroup hierarchy (cgroups v2). */
export function cgroupsV2(): boolean {
  v2 ??= fs.existsSync('/sys/fs/cgroup/cgroup.controllers');
  return v2;
}
let v2: boolean | undefined;

function majorMinor(path: string): { major: number; minor: number } {
  let rdev: number;
  try {
    rdev = fs.statSync(path).rdev;
  } catch {
    throw new InvalidArgumentError(`device ${path} does not exist: name a block device of this host`);
  }
  return { major: Number((BigInt(rdev) >> 8n) & 0xfffn), minor: Number((BigInt(rdev) & 0xffn) | ((BigInt(rdev) >> 12n) & 0xfff00n)) };
}

/** The runtime spec's linux.resources for the limits (devices named by major:minor). */
export function ociResources(r: ResourceLimits): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const memory = { limit: r.memory, swap: r.memorySwap, reservation: r.memoryReservation };
  if (Object.values(memory).some((v) => v !== undefined)) out.memory = memory;
  const cpu = { shares: r.cpuShares, quota: r.cpuQuota, period: r.cpuPeriod, cpus: r.cpusetCpus, mems: r.cpusetMems };
  if (Object.values(cpu).some((v) => v !== undefined)) out.cpu = cpu;
  if (r.pidsLimit !== undefined) out.pids = { limit: r.pidsLimit };
  const dev = (l: DeviceLimit[] | undefined, key: 'weight' | 'rate') => l?.map((d) => ({ ...majorMinor(d.path), [key]: d.value }));
  const blockIO = {
    weight: r.blkioWeight,
    weightDevice: dev(r.blkioWeightDevice, 'weight'),
    throttleReadBpsDevice: dev(r.deviceReadBps, 'rate'),
    throttleWriteBpsDevice: dev(r.deviceWriteBps, 'rate'),
    throttleReadIOPSDevice: dev(r.deviceReadIops, 'rate'),
    throttleWriteIOPSDevice: dev(r.deviceWriteIops, 'rate'),
  };
  if (Object.values(blockIO).some((v) => v !== undefined)) out.blockIO = blockIO;
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}

/** inspect's HostConfig resource fields, from the limits asked for. */
export function inspectResources(r: ResourceLimits = {}): Record<string, unknown> {
  const devs = (l: DeviceLimit[] | undefined, key: 'Weight' | 'Rate') => (l?.length ? l.map((d) => ({ Path: d.path, [key]: d.value })) : null);
  return {
    CpuShares: r.cpuShares ?? 0,
    Memory: r.memory ?? 0,
    NanoCpus: r.cpuPeriod && r.cpuQuota && r.cpuQuota > 0 ? Math.round((r.cpuQuota * 1e9) / r.cpuPeriod) : 0,
    BlkioWeight: r.blkioWeight ?? 0,
    BlkioWeightDevice: devs(r.blkioWeightDevice, 'Weight'),
    BlkioDeviceReadBps: devs(r.deviceReadBps, 'Rate'),
    BlkioDeviceWriteBps: devs(r.deviceWriteBps, 'Rate'),
    BlkioDeviceReadIOps: devs(r.deviceReadIops, 'Rate'),
    BlkioDeviceWriteIOps: devs(r.deviceWriteIops, 'Rate'),
    CpuPeriod: r.cpuPeriod ?? 0,
    CpuQuota: r.cpuQuota ?? 0,
    CpusetCpus: r.cpusetCpus ?? '',
    CpusetMems: r.cpusetMems ?? '',
    MemoryReservation: r.memoryReservation ?? 0,
    MemorySwap: r.memorySwap ?? 0,
    PidsLimit: r.pidsLimit ?? 0,
  };
}
