// Placeholder until compose-model lands: the contract of normalizeProject.
import type { Project, RawProject } from './types';

/** Short forms to long, relative paths absolute, names prefixed, profiles applied, unsupported keys listed. */
export function normalizeProject(_raw: RawProject, _profiles: string[]): Project {
  throw new Error('compose: normalising is not built yet');
}
