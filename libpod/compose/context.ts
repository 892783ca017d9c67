// What every lifecycle operation works with: the project, the other engines' ops, the translator,
// where output goes.
import type { ComposeOps } from './compose-ops';
import type { ComposeIo } from './compose-io';
import type { Translator } from './translator';
import type { Project } from './types';

export interface ComposeContext {
  project: Project;
  ops: ComposeOps;
  tr: Translator;
  io: ComposeIo;
  /** The runtime directory (secrets and configs with content are written under it). */
  runroot: string;
}
