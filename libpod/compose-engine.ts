// engine.compose: `tspod compose` (libpod/compose/). A project's files are found, merged,
// interpolated and validated (load.ts), normalised (normalize.ts); up/down make and remove its
// networks, volumes and containers through ComposeOps, the other engines' operations the facade binds.
import type { Runtime } from './runtime';
import type { ComposeOps } from './compose/compose-ops';
import type { Project, ProjectOptions } from './compose/types';
// ---- verbs imports (compose-cli) ----
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../src/errors';
import { progressFor } from '../src/progress';
import type { ExecOptions } from './container/container-api';
import { LABEL } from './compose/types';
import { listProjects, lsNames, psRow, psStatuses, selectPsRows, type ComposePsRow, type ComposeProjectSummary } from './compose/verbs-ps';
import { parseCopyArg, pickContainer, publishedAt } from './compose/verbs-containers';
import { eventMatches, formatEvent } from './compose/verbs-events';
import { pullPlan, pushPlan, repositoryAndTag, selectServices } from './compose/verbs-images';
import type { ComposeBuildFlags } from './compose/verbs-build';
import type { ConfigFlags } from './compose/verbs-config';

// build and config load the build defaults and the YAML renderer: only when they run.
/* eslint-disable @typescript-eslint/no-require-imports */
const verbsLazy = {
  build: () => require('./compose/verbs-build') as typeof import('./compose/verbs-build'),
  config: () => require('./compose/verbs-config') as typeof import('./compose/verbs-config'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The project a verb works on: its name, and the loaded project when its files were found (services are then checked). */
export interface ComposeTarget {
  name: string;
  project?: Project;
}

/** A row of `compose images`. */
export interface ComposeImageRow {
  container: string;
  repository: string;
  tag: string;
  /** sha256:... */
  id: string;
  size: number;
}
// ---- end verbs imports (compose-cli) ----

export type { ComposeOps, ComposeContainer, OpReport } from './compose/compose-ops';

// ---- lazy modules of the project lifecycle (compose-up) ----
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyLifecycle = {
  up: () => require('./compose/up') as typeof import('./compose/up'),
  down: () => require('./compose/down') as typeof import('./compose/down'),
  lifecycle: () => require('./compose/lifecycle') as typeof import('./compose/lifecycle'),
  run: () => require('./compose/run') as typeof import('./compose/run'),
  logs: () => require('./compose/logs') as typeof import('./compose/logs'),
};
/* eslint-enable @typescript-eslint/no-require-imports */
// ---- end lazy modules (compose-up) ----

export class ComposeEngine {
  constructor(
    protected readonly rt: Runtime,
    protected readonly ops: ComposeOps,
  ) {}

  /** The project the options name: found, loaded, validated, normalised (libpod/compose/project.ts). */
  loadProject(opts: ProjectOptions): Project {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./compose/project') as typeof import('./compose/project')).loadProject(opts);
  }

  // ---- project lifecycle (compose-up) ----
  /** What the lifecycle's operations work with (the translator loaded on first use). */
  private lifecycleContext(project: Project, io: import('./compose/compose-io').ComposeIo): import('./compose/context').ComposeContext {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tr = this.translator ?? (require('./compose/translator') as typeof import('./compose/translator')).defaultTranslator();
    return { project, ops: this.ops, tr, io, runroot: this.rt.paths.runroot };
  }

  /** A stand-in translator (unit tests); undefined: translate-*.ts. */
  translator?: import('./compose/translator').Translator;

  /** `up`: networks, volumes, images, containers converged and started in dependency order; its exit code. Inside the namespace. */
  up(project: Project, opts: import('./compose/up').UpOptions, io: import('./compose/compose-io').ComposeIo): Promise<number> {
    return lazyLifecycle.up().up(this.lifecycleContext(project, io), opts);
  }

  /** `create`: as up --no-start. Inside the namespace. */
  async create(project: Project, opts: import('./compose/up').UpOptions, io: import('./compose/compose-io').ComposeIo): Promise<void> {
    await lazyLifecycle.up().up(this.lifecycleContext(project, io), { ...opts, noStart: true, detach: true });
  }

  /** `down`: containers in reverse dependency order, networks, -v volumes, --rmi images. Inside the namespace. */
  down(project: Project, opts: import('./compose/down').DownOptions, io: import('./compose/compose-io').ComposeIo): Promise<void> {
    return lazyLifecycle.down().down(this.lifecycleContext(project, io), opts);
  }

  /** `start`: the services' existing containers in dependency order, each after its dependencies meet their condition. */
  start(project: Project, services: string[], io: import('./compose/compose-io').ComposeIo): Promise<void> {
    return lazyLifecycle.lifecycle().start(this.lifecycleContext(project, io), services);
  }

  /** `stop`: in reverse dependency order; timeout in seconds (undefined: each container's own). */
  stop(project: Project, services: string[], timeout: number | undefined, io: import('./compose/compose-io').ComposeIo): Promise<void> {
    return lazyLifecycle.lifecycle().stop(this.lifecycleContext(project, io), services, timeout);
  }

  restart(project: Project, services: string[], timeout: number | undefined, io: import('./compose/compose-io').ComposeIo): Promise<void> {
    return lazyLifecycle.lifecycle().restart(this.lifecycleContext(project, io), services, timeout);
  }

  kill(project: Project, services: string[], signal: string, io: import('./compose/compose-io').ComposeIo): Promise<void> {
    return lazyLifecycle.lifecycle().kill(this.lifecycleContext(project, io), services, signal);
  }

  /** `pause` (on) and `unpause` (off). */
  pause(project: Project, services: string[], on: boolean, io: import('./compose/compose-io').ComposeIo): Promise<void> {
    return lazyLifecycle.lifecycle().pause(this.lifecycleContext(project, io), services, on);
  }

  /** `rm`: stopped containers (-s: stopped first); without force the confirm callback is asked. Inside the namespace. */
  rm(project: Project, services: string[], opts: import('./compose/lifecycle').RmOptions, io: import('./compose/compose-io').ComposeIo): Promise<void> {
    return lazyLifecycle.lifecycle().rm(this.lifecycleContext(project, io), services, opts);
  }

  /** `run`: a one-off container of a service, its exit code (or, detached, its name). Inside the namespace. */
  run(project: Project, opts: import('./compose/run').RunOptions, io: import('./compose/compose-io').ComposeIo): Promise<import('./compose/run').RunReport> {
    return lazyLifecycle.run().run(this.lifecycleContext(project, io), opts);
  }

  /** `logs`: the services' containers' logs with Compose's prefixes; -f until ctrl-c or all stopped. */
  logs(project: Project, opts: import('./compose/logs').LogsOptions, io: import('./compose/compose-io').ComposeIo): Promise<void> {
    return lazyLifecycle.logs().logs(this.lifecycleContext(project, io), opts);
  }
  // ---- end compose-up ----

  // ---- verbs (compose-cli) ----
  /** The project's containers (stopped ones with all), as `compose ps` sees them. */
  private containersOf(name: string, all: boolean): ComposePsRow[] {
    return this.ops.containerSummaries({ [LABEL.project]: name }, all).map(psRow);
  }

  /** Service names given on the command line, checked against the project when it was loaded. */
  private checkServices(target: ComposeTarget, services: string[]): void {
    if (!target.project) return;
    for (const s of services) if (!target.project.services[s] && !target.project.disabledServices[s]) throw new InvalidArgumentError(`no such service: ${s}`);
  }

  /** `compose ps`: the project's containers (running ones unless all or a status is asked), sorted by name. */
  ps(target: ComposeTarget, opts: { all: boolean; services: string[]; status: string[]; filters?: string[] }): ComposePsRow[] {
    const status = psStatuses(opts.status, opts.filters ?? []);
    this.checkServices(target, opts.services);
    return selectPsRows(this.containersOf(target.name, opts.all || status.length > 0), { services: opts.services, status });
  }

  /** `compose ls`: every project with a running container (with all, any container), from the labels alone. */
  ls(opts: { all: boolean; filters: string[] }): ComposeProjectSummary[] {
    const names = lsNames(opts.filters);
    const summaries = this.ops.containerSummaries({ [LABEL.project]: '' }, opts.all);
    return listProjects(summaries, names);
  }

  /** The container a service-level verb uses (exec, port, cp): number index, else the lowest-numbered running one. */
  serviceContainer(target: ComposeTarget, service: string, opts: { index?: number; stopped?: boolean }): ComposePsRow {
    this.checkServices(target, [service]);
    return pickContainer(this.containersOf(target.name, opts.stopped ?? false), service, opts);
  }

  /** `compose exec`: the command in the service's container; its exit code. Inside the user namespace. */
  exec(target: ComposeTarget, service: string, cmd: string[], opts: ExecOptions & { index?: number }): Promise<number> {
    if (cmd.length === 0) throw new InvalidArgumentError('give the command to run after the service name, e.g. "compose exec web sh"');
    const c = this.serviceContainer(target, service, { index: opts.index });
    const { index: _index, ...exec } = opts;
    return this.ops.exec(c.summary.id, cmd, exec);
  }

  /** `compose top`: the processes of each running container of the services (all when none), by container name. */
  top(target: ComposeTarget, services: string[]): Array<{ name: string; rows: string[][] }> {
    this.checkServices(target, services);
    const rows = selectPsRows(this.containersOf(target.name, false), { services, status: ['running'] });
    return rows.map((r) => ({ name: r.summary.name, rows: this.ops.top(r.summary.id, []) }));
  }

  /** `compose port`: where a service container's private port is published ("0.0.0.0:8080"). */
  port(target: ComposeTarget, service: string, port: number, opts: { protocol: string; index?: number }): string {
    if (opts.protocol !== 'tcp' && opts.protocol !== 'udp') throw new InvalidArgumentError(`invalid --protocol "${opts.protocol}": use tcp or udp`);
    return publishedAt(this.serviceContainer(target, service, { index: opts.index, stopped: true }), port, opts.protocol);
  }

  /** The containers `compose cp` copies to or from: SERVICE:PATH on one side (to: every container of the service unless index). */
  private copyTargets(target: ComposeTarget, src: string, dest: string, opts: { index?: number; all: boolean }): { ids: string[]; toService: boolean; path: { from: string; to: string } } {
    const from = parseCopyArg(src);
    const to = parseCopyArg(dest);
    if (from.service && to.service) throw new InvalidArgumentError('copying between services is not supported: copy to the host first');
    const service = from.service ?? to.service;
    if (!service) throw new InvalidArgumentError('one of the paths must be SERVICE:PATH, e.g. "compose cp web:/etc/hosts ." or "compose cp ./f web:/tmp/"');
    this.checkServices(target, [service]);
    const rows = this.containersOf(target.name, true).filter((r) => r.service === service && (opts.all || !r.oneoff));
    let ids: string[];
    if (opts.index !== undefined || from.service) ids = [pickContainer(rows, service, { index: opts.index, stopped: true, oneoff: opts.all }).summary.id];
    else {
      ids = rows.map((r) => r.summary.id);
      if (ids.length === 0) throw new InvalidArgumentError(`service "${service}" has no container: run "compose up" first`);
    }
    return { ids, toService: !from.service, path: { from: from.path, to: to.path } };
  }

  /** The container `compose cp` works in first, for entering its namespace (undefined when there is none yet). */
  copyContainer(target: ComposeTarget, src: string, dest: string, opts: { index?: number; all: boolean }): string | undefined {
    try {
      return this.copyTargets(target, src, dest, opts).ids[0];
    } catch {
      return undefined;
    }
  }

  /** `compose cp`: between the host and a service's container (into every one of its containers unless index). Inside the user namespace. */
  async copy(target: ComposeTarget, src: string, dest: string, opts: { index?: number; all: boolean; archive: boolean; followLink: boolean }): Promise<void> {
    const t = this.copyTargets(target, src, dest, opts);
    for (const id of t.ids) {
      if (t.toService) await this.ops.copy(t.path.from, `${id}:${t.path.to}`, opts);
      else await this.ops.copy(`${id}:${t.path.from}`, t.path.to, opts);
    }
  }

  /** `compose wait`: until the first running container of the services stops; its exit code. */
  async wait(target: ComposeTarget, services: string[]): Promise<number> {
    if (services.length === 0) throw new InvalidArgumentError('give at least one service to wait for, e.g. "compose wait job"');
    this.checkServices(target, services);
    const rows = selectPsRows(this.containersOf(target.name, false), { services, status: [] }).filter((r) => !r.oneoff);
    if (rows.length === 0) throw new InvalidArgumentError(`no running containers of ${services.map((s) => `"${s}"`).join(', ')} in project "${target.name}" to wait for`);
    return (await this.ops.waitFirst(rows.map((r) => r.summary.id))).exitCode;
  }

  /** `compose events`: the project's container events from now on (or since), each as a line, until interrupted or until. */
  events(target: ComposeTarget, services: string[], opts: { json: boolean; since?: number; until?: number }, write: (line: string) => void): Promise<void> {
    this.checkServices(target, services);
    const filters = ['type=container', `label=${LABEL.project}=${target.name}`];
    return this.ops.events({ since: opts.since, until: opts.until, filters, stream: true }, (e) => {
      if (eventMatches(e, target.name, services)) write(`${formatEvent(e, opts.json)}\n`);
    });
  }

  /** `compose images`: the image of each of the project's containers (stopped ones too), by container name. */
  images(target: ComposeTarget, services: string[]): ComposeImageRow[] {
    this.checkServices(target, services);
    const rows = selectPsRows(this.containersOf(target.name, true), { services, status: [] });
    return rows.map((r) => {
      const info = this.ops.imageInfo(r.summary.imageId) ?? this.ops.imageInfo(r.summary.image);
      const ref = info?.names.find((n) => n === r.summary.image) ?? info?.names[0] ?? r.summary.image;
      const id = info?.id ?? `sha256:${r.summary.imageId}`;
      return { container: r.summary.name, ...repositoryAndTag(ref), id: id.startsWith('sha256:') ? id : `sha256:${id}`, size: info?.size ?? 0 };
    });
  }

  /** `compose pull`: the services' images (build-only ones skipped); failures reported on err, the exit code. Inside the user namespace. */
  async pull(project: Project, services: string[], opts: { ignoreFailures: boolean; includeDeps: boolean; quiet: boolean }, err: NodeJS.WriteStream): Promise<number> {
    const plan = pullPlan(selectServices(project, services, opts.includeDeps));
    let code = 0;
    for (const item of plan.pull) {
      if (!opts.quiet) err.write(` ${item.service} Pulling\n`);
      try {
        await this.ops.pullImage(item.image, progressFor(err, opts.quiet));
        if (!opts.quiet) err.write(` ${item.service} Pulled\n`);
      } catch (e) {
        if (item.buildable || opts.ignoreFailures) {
          err.write(`Warning: ${item.service}: pulling ${item.image} failed: ${(e as Error).message}${item.buildable ? ' (it can be built: run "compose build")' : ''}\n`);
          continue;
        }
        err.write(`Error: ${item.service}: ${(e as Error).message}\n`);
        code = (e as { exitCode?: number }).exitCode ?? 125;
      }
    }
    return code;
  }

  /** `compose push`: the images of the services that are built and named. Inside the user namespace. */
  async push(project: Project, services: string[], opts: { ignoreFailures: boolean; quiet: boolean }, err: NodeJS.WriteStream): Promise<number> {
    let code = 0;
    for (const item of pushPlan(selectServices(project, services))) {
      if (!opts.quiet) err.write(` ${item.service} Pushing\n`);
      try {
        await this.ops.pushImage(item.image, progressFor(err, opts.quiet));
        if (!opts.quiet) err.write(` ${item.service} Pushed\n`);
      } catch (e) {
        err.write(`${opts.ignoreFailures ? 'Warning' : 'Error'}: ${item.service}: ${(e as Error).message}\n`);
        if (!opts.ignoreFailures) code = (e as { exitCode?: number }).exitCode ?? 125;
      }
    }
    return code;
  }

  /**
   * `compose build` (and up --build): each service with build: (all when none are named), its image
   * tagged with the service's image: or `<project>-<service>`. Build output on out (none with
   * quiet), notes on err. Inside the user namespace.
   */
  async build(project: Project, services: string[], flags: ComposeBuildFlags, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<Array<{ service: string; image: string }>> {
    const built: Array<{ service: string; image: string }> = [];
    for (const service of selectServices(project, services).filter((s) => s.build)) {
      let tmp: string | undefined;
      try {
        let inline: string | undefined;
        if (service.build!.dockerfile_inline !== undefined) {
          const base = path.join(this.rt.paths.root, 'tmp');
          fs.mkdirSync(base, { recursive: true, mode: 0o700 });
          tmp = fs.mkdtempSync(path.join(base, 'compose-build-'));
          inline = path.join(tmp, 'Dockerfile');
          fs.writeFileSync(inline, service.build!.dockerfile_inline);
        }
        const { options, notes } = verbsLazy.build().serviceBuildOptions(project, service, flags, inline);
        for (const n of notes) err.write(`Warning: ${n}\n`);
        await this.ops.buildImage(options, out);
        built.push({ service: service.name, image: options.tags[0] });
      } finally {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
      }
    }
    return built;
  }

  /** `compose config`: the normalised project, or one of its lists. */
  config(project: Project, flags: ConfigFlags): string {
    return verbsLazy.config().configOutput(project, flags);
  }
  // ---- end compose-cli ----
}
