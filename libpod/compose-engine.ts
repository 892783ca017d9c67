// engine.compose: `tspod compose` (libpod/compose/). A project's files are found, merged,
// interpolated and validated (load.ts), normalised (normalize.ts); up/down make and remove its
// networks, volumes and containers through ComposeOps, the other engines' operations the facade binds.
import type { Runtime } from './runtime';
import type { ComposeOps } from './compose/compose-ops';
import type { Project, ProjectOptions } from './compose/types';

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
  // ---- end compose-cli ----
}
