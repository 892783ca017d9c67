// A service's image before its containers are made: built (build: and the image missing, or
// --build; never with --no-build) or pulled per --pull or pull_policy (always; missing and
// if_not_present, daily and weekly when it is not stored; never; build: always build).
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import { QuietProgress } from '../../src/progress';
import type { BuildOptions } from '../build/types';
import type { ComposeContext } from './context';
import { progress } from './compose-io';
import type { Project, ServiceConfig } from './types';
import { serviceImage as imageOf } from './labels';

export interface ImageOptions {
  build: boolean;
  noBuild: boolean;
  /** --pull: always, missing, never, build; undefined: each service's pull_policy. */
  pull?: string;
}

/** The image a service's containers run: its image:, else the one compose builds, `<project>-<service>` (labels.ts). */
export function serviceImage(project: Project, service: ServiceConfig): string {
  return imageOf(project.name, service);
}

/** build's options from a service's build: section (tags: the service's image and build.tags). */
export function composeBuildOptions(project: Project, service: ServiceConfig): BuildOptions {
  const b = service.build!;
  const args: Record<string, string> = {};
  for (const [k, v] of Object.entries(b.args ?? {})) {
    const value = v ?? project.environment[k];
    if (value !== undefined) args[k] = value;
  }
  return {
    context: b.context,
    files: b.dockerfile ? [path.resolve(b.context, b.dockerfile)] : [],
    tags: [serviceImage(project, service), ...(b.tags ?? [])],
    format: 'oci',
    buildArgs: args,
    target: b.target,
    labels: Object.entries(b.labels ?? {}).map(([k, v]) => `${k}=${v}`),
    annotations: [],
    env: [],
    unsetEnv: [],
    unsetLabels: [],
    noCache: b.no_cache ?? false,
    pull: b.pull ? 'always' : 'missing',
    layers: true,
    squash: false,
    squashAll: false,
    quiet: false,
    network: b.network,
    noHosts: false,
    addHosts: Object.entries(b.extra_hosts ?? {}).flatMap(([h, ips]) => ips.map((ip) => `${h}:${ip}`)),
    dns: [],
    dnsSearch: [],
    dnsOptions: [],
    capAdd: [],
    capDrop: [],
    securityOpt: [],
    ulimits: [],
    devices: [],
    volumes: [],
    shmSize: b.shm_size === undefined ? undefined : `${b.shm_size}b`,
    rm: true,
    forceRm: false,
    secrets: [],
    omitHistory: false,
    identityLabel: true,
    skipUnusedStages: true,
    stdin: false,
    inheritLabels: true,
    inheritAnnotations: true,
  };
}

/** Builds or pulls what the service needs; its dockerfile_inline is refused (tspod's build reads files). */
export async function prepareImage(ctx: ComposeContext, service: ServiceConfig, opts: ImageOptions): Promise<void> {
  const { ops, io, project } = ctx;
  const image = serviceImage(project, service);
  const policy = opts.pull ?? service.pull_policy ?? 'missing';
  const stored = () => ops.imageExists(image);
  if (service.build && !opts.noBuild && (opts.build || policy === 'build' || !stored())) {
    if (service.build.dockerfile_inline !== undefined) throw new InvalidArgumentError(`service "${service.name}": build.dockerfile_inline is not supported by tspod: put the Dockerfile in the build context and name it with build.dockerfile`);
    progress(io, 'Service', service.name, 'Building');
    try {
      await ops.buildImage(composeBuildOptions(project, service), io.stderr);
    } catch (err) {
      throw new InvalidArgumentError(`service "${service.name}" failed to build: ${(err as Error).message}`);
    }
    progress(io, 'Service', service.name, 'Built');
    return;
  }
  if (service.build && opts.noBuild && !stored()) throw new InvalidArgumentError(`service "${service.name}" has neither an image nor a build context specified: image ${image} is not stored and --no-build forbids building it`);
  if (!service.image) return;
  const pull = policy === 'always' || ((policy === 'missing' || policy === 'if_not_present' || policy === 'daily' || policy === 'weekly') && !stored());
  if (policy === 'never' && !stored()) throw new InvalidArgumentError(`service "${service.name}": image ${image} is not stored and pull_policy is never: pull it first (tspod pull ${image})`);
  if (!pull) return;
  progress(io, 'Image', image, 'Pulling');
  try {
    await ops.pullImage(image, new QuietProgress());
  } catch (err) {
    throw new InvalidArgumentError(`service "${service.name}": pulling ${image}: ${(err as Error).message}`);
  }
  progress(io, 'Image', image, 'Pulled');
}
