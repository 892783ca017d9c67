// A service's image before its containers are made: built (build: and the image missing, or
// --build; never with --no-build) or pulled per --pull or pull_policy (always; missing and
// if_not_present, daily and weekly when it is not stored; never; build: always build).
import { InvalidArgumentError } from '../../src/errors';
import { QuietProgress } from '../../src/progress';
import type { ComposeContext } from './context';
import { progress } from './compose-io';
import type { Project, ServiceConfig } from './types';
import { serviceImage as imageOf } from './labels';
import { buildService } from './verbs-build';

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

/** Builds or pulls what the service needs (a build as `compose build` makes it, its notes on stderr). */
export async function prepareImage(ctx: ComposeContext, service: ServiceConfig, opts: ImageOptions): Promise<void> {
  const { ops, io, project } = ctx;
  const image = serviceImage(project, service);
  const policy = opts.pull ?? service.pull_policy ?? 'missing';
  const stored = () => ops.imageExists(image);
  if (service.build && !opts.noBuild && (opts.build || policy === 'build' || !stored())) {
    progress(io, 'Service', service.name, 'Building');
    try {
      await buildService(ops, ctx.runroot, project, service, { noCache: false, pull: false, buildArgs: [], quiet: false }, io.stderr, io.stderr);
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
