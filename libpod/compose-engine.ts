// engine.compose: `tspod compose` (libpod/compose/). A project's files are found, merged,
// interpolated and validated (load.ts), normalised (normalize.ts); up/down make and remove its
// networks, volumes and containers through ComposeOps, the other engines' operations the facade binds.
import type { Runtime } from './runtime';
import type { ComposeOps } from './compose/compose-ops';
import type { Project, ProjectOptions } from './compose/types';

export type { ComposeOps, ComposeContainer, OpReport } from './compose/compose-ops';

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
  // ---- end compose-up ----

  // ---- verbs (compose-cli) ----
  // ---- end compose-cli ----
}
