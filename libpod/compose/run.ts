// `compose run`: a one-off container of a service (labels oneoff True, named
// `<project>-<service>-run-<hex>`), after its dependencies are up (detached, as up makes them,
// unless --no-deps); the service's ports only with --service-ports (or those -p gives). Attached,
// its exit code is run's; --rm removes it afterwards.
import { QuietProgress } from '../../src/progress';
import { InvalidArgumentError, TspodError } from '../../src/errors';
import type { ComposeContext } from './context';
import { progress, warn } from './compose-io';
import { waitDependencies } from './converge';
import { dependencyOrder, dependsOnLabel, selectServices, withDependencies } from './depends';
import { prepareImage } from './images';
import { containerNumber, projectContainers } from './project-containers';
import { createServices, startServices } from './up';
import { ensureNetworks, ensureVolumes, networksUsed, volumesUsed } from './resources';
import { LABEL } from './types';
import { createBindSources, materializer } from './service-files';

export interface RunOptions {
  service: string;
  command: string[];
  rm: boolean;
  detach: boolean;
  env: string[];
  volumes: string[];
  publish: string[];
  servicePorts: boolean;
  noDeps: boolean;
  entrypoint?: string;
  name?: string;
  user?: string;
  workdir?: string;
  /** -T: no pseudo-terminal. */
  noTty: boolean;
  interactive: boolean;
  labels: string[];
  build: boolean;
  pull?: string;
  removeOrphans: boolean;
}

export interface RunReport {
  exitCode: number;
  /** -d: the container's name (printed on stdout). */
  name?: string;
}

export async function run(ctx: ComposeContext, opts: RunOptions): Promise<RunReport> {
  const { project, ops } = ctx;
  selectServices(project, [opts.service]);
  if (opts.detach && opts.rm) throw new InvalidArgumentError('-d and --rm are incompatible: a detached one-off container is removed with "tspod compose rm" or "down"');
  for (const u of project.unsupported) warn(ctx.io, u);
  const service = project.services[opts.service];
  if (!opts.noDeps) {
    const deps = dependencyOrder(project, withDependencies(project, [opts.service]).filter((s) => s !== opts.service));
    if (deps.length) {
      await createServices(ctx, deps, { forceRecreate: false, noRecreate: false, scale: {}, build: opts.build, noBuild: false, pull: opts.pull, detach: true, noDeps: false, removeOrphans: opts.removeOrphans, noStart: false, wait: false, abortOnContainerExit: false, noLogPrefix: false, noColor: false, timestamps: false });
      await startServices(ctx, deps);
      await waitDependencies(ctx, opts.service, new Set(deps));
    }
  }
  ensureNetworks(ctx, networksUsed(ctx, [opts.service]));
  ensureVolumes(ctx, volumesUsed(ctx, [opts.service]));
  await prepareImage(ctx, service, { build: opts.build, noBuild: false, pull: opts.pull });
  const number = 1 + Math.max(0, ...projectContainers(ops, project.name, { oneoff: true }).filter((c) => c.labels[LABEL.service] === opts.service).map(containerNumber));
  createBindSources(ctx, service);
  // A one-off container is --name or <project>-<service>-run-<id>, never the service's
  // container_name (Compose's run replaces it): that name is its up container's, which may exist.
  const oneoff = { ...service, container_name: undefined };
  const base = ctx.tr.serviceCreateOptions(project, oneoff, number, { oneoff: true, name: opts.name, configHash: ctx.tr.serviceConfigHash(service), progress: new QuietProgress(), dependsOnLabel: dependsOnLabel(service), materialize: materializer(ctx), warn: (m) => warn(ctx.io, m) });
  const tty = !opts.noTty && !opts.detach && ctx.io.stdinTty && (service.tty ?? true);
  const create = {
    ...base,
    command: opts.command.length ? opts.command : base.command,
    entrypoint: opts.entrypoint ?? base.entrypoint,
    env: [...base.env, ...opts.env],
    volumes: [...(base.volumes ?? []), ...opts.volumes],
    publish: opts.servicePorts ? [...(base.publish ?? []), ...opts.publish] : opts.publish,
    user: opts.user ?? base.user,
    workdir: opts.workdir ?? base.workdir,
    labels: [...base.labels, ...opts.labels],
    tty,
    interactive: opts.interactive && !opts.detach,
    // A one-off container is not restarted (Compose drops the policy) nor removed by the monitor: run removes it.
    restart: undefined,
    rm: false,
  };
  const c = await ops.createContainer(create);
  progress(ctx.io, 'Container', c.name, 'Created');
  if (opts.detach) {
    const [r] = await ops.startContainers([c.id]);
    if (r?.error) throw new TspodError(`starting container ${c.name}: ${r.error.message}`, { cause: r.error });
    return { exitCode: 0, name: c.name };
  }
  let code: number;
  try {
    code = await ops.startAttached(c.id, { interactive: create.interactive });
  } finally {
    if (opts.rm) {
      const [r] = await ops.removeContainers([c.id], { force: true, volumes: true });
      if (r?.error) warn(ctx.io, `removing container ${c.name}: ${r.error.message}`);
    }
  }
  return { exitCode: code };
}
