// Placeholder until compose-load lands: the contract of loadRaw.
import type { ProjectOptions, RawProject } from './types';

/** Finds the files, reads .env/--env-file, parses YAML (anchors, << merges), interpolates, validates each file against the Compose schema (errors name file, line and key), applies extends and include, merges the files in order. */
export function loadRaw(_opts: ProjectOptions): RawProject {
  throw new Error('compose: loading is not built yet');
}
