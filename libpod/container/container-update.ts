// `update`: a container's resource limits, restart policy, environment and ulimits changed after
// create, as Podman 5's update changes them: checked as create checks them, merged into what the
// container has, and saved in its spec (inspect shows them). The environment and ulimits apply from
// the next start, as in Podman; resource limits of a running container go to the runtime's update
// where the user may write cgroups (cgroups v2), and elsewhere are recorded with the warning create
// gives.
import fs from 'node:fs';
import { InvalidArgumentError } from '../../src/errors';
import { parseRestartPolicy, type ContainerSpec } from './container';
import { parseResources, type DeviceLimit, type ResourceLimits, type ResourceOptions } from './resource-flags';
import { parseUlimits } from './process-flags';
import { parseEnv } from './create-spec';

export interface UpdateOptions {
  resources: ResourceOptions;
  restart?: string;
  env: string[];
  unsetEnv: string[];
  ulimits: string[];
}

/** Whether any resource flag was given. */
export function resourcesGiven(o: ResourceOptions): boolean {
  return Object.values(o).some((v) => (Array.isArray(v) ? v.length > 0 : v !== undefined));
}

const devices = (l: DeviceLimit[] | undefined) => l?.map((d) => `${d.path}:${d.value}`);
const str = (n: number | undefined) => (n === undefined ? undefined : String(n));

/**
 * The limits after the update: the flags given replace the container's values of the same kind
 * (--cpus its period and quota, --memory its swap unless --memory-swap is given too), the others
 * stay; the whole is checked as create checks it.
 */
export function mergeResources(old: ResourceLimits = {}, o: ResourceOptions): ResourceLimits | undefined {
  const cpuGiven = o.cpus !== undefined;
  const memoryGiven = o.memory !== undefined;
  const pick = <T>(given: T | undefined, kept: T | undefined) => (given === undefined || (Array.isArray(given) && given.length === 0) ? kept : given);
  const merged: ResourceOptions = {
    memory: pick(o.memory, str(old.memory)),
    memorySwap: pick(o.memorySwap, memoryGiven ? undefined : str(old.memorySwap)),
    memoryReservation: pick(o.memoryReservation, str(old.memoryReservation)),
    cpus: o.cpus,
    cpuShares: pick(o.cpuShares, str(old.cpuShares)),
    cpuPeriod: cpuGiven ? o.cpuPeriod : pick(o.cpuPeriod, str(old.cpuPeriod)),
    cpuQuota: cpuGiven ? o.cpuQuota : pick(o.cpuQuota, str(old.cpuQuota)),
    cpusetCpus: pick(o.cpusetCpus, old.cpusetCpus),
    cpusetMems: pick(o.cpusetMems, old.cpusetMems),
    pidsLimit: pick(o.pidsLimit, str(old.pidsLimit)),
    blkioWeight: pick(o.blkioWeight, str(old.blkioWeight)),
    blkioWeightDevice: pick(o.blkioWeightDevice, devices(old.blkioWeightDevice)),
    deviceReadBps: pick(o.deviceReadBps, devices(old.deviceReadBps)),
    deviceWriteBps: pick(o.deviceWriteBps, devices(old.deviceWriteBps)),
    deviceReadIops: pick(o.deviceReadIops, devices(old.deviceReadIops)),
    deviceWriteIops: pick(o.deviceWriteIops, devices(old.deviceWriteIops)),
  };
  return parseResources(merged);
}

/** The environment after --env (added or replaced) and --unsetenv (removed), in the container's order. */
export function mergeEnv(env: string[], add: string[], unset: string[]): string[] {
  const key = (e: string) => (e.includes('=') ? e.slice(0, e.indexOf('=')) : e);
  const added = parseEnv(add, []);
  const replaced = new Map(added.map((e) => [key(e), e]));
  const out = env.map((e) => replaced.get(key(e)) ?? e);
  const have = new Set(env.map(key));
  out.push(...added.filter((e) => !have.has(key(e))));
  const gone = new Set(unset);
  return out.filter((e) => !gone.has(key(e)));
}

/** The spec after the update; throws Podman's error when nothing is asked or a value is bad. */
export function updatedSpec(spec: ContainerSpec, o: UpdateOptions): ContainerSpec {
  const next: ContainerSpec = { ...spec };
  if (resourcesGiven(o.resources)) {
    const resources = mergeResources(spec.resources, o.resources);
    if (resources) next.resources = resources;
    else delete next.resources;
  }
  if (o.restart !== undefined) next.restartPolicy = parseRestartPolicy(o.restart === 'never' ? 'no' : o.restart);
  if (o.env.length || o.unsetEnv.length) next.env = mergeEnv(spec.env, o.env, o.unsetEnv);
  if (o.ulimits.length) next.ulimits = parseUlimits(o.ulimits, () => fs.readFileSync('/proc/self/limits', 'utf8'));
  return next;
}

/** update with no option: Podman's words. */
export function checkSomethingToUpdate(o: UpdateOptions): void {
  if (!resourcesGiven(o.resources) && o.restart === undefined && !o.env.length && !o.unsetEnv.length && !o.ulimits.length) {
    throw new InvalidArgumentError('must provide at least one of resources and restartPolicy to update a container: give --memory, --cpus, --pids-limit, --restart, --env or another option of "tspod update --help"');
  }
}
