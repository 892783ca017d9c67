// A compose project from its options: loadRaw (files, interpolation, schema, extends, include,
// merge) then normalizeProject (long forms, names, profiles).
import { loadRaw } from './load';
import { normalizeProject } from './normalize';
import type { Project, ProjectOptions } from './types';

export function loadProject(opts: ProjectOptions): Project {
  const raw = loadRaw(opts);
  return normalizeProject(raw, raw.profiles ?? opts.profiles);
}
