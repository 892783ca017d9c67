// `compose config`: the normalised project as YAML or JSON, or one of its lists (--services,
// --volumes, --profiles, --images, --hash), all rendered by config-output.ts (the model's); -q
// only validates (the project was loaded, so it is valid) and prints nothing.
import { InvalidArgumentError } from '../../src/errors';
import type { Project } from './types';

export interface ConfigFlags {
  quiet: boolean;
  services: boolean;
  volumes: boolean;
  profiles: boolean;
  images: boolean;
  /** --hash "svc1,svc2" or "*". */
  hash?: string;
  format: string;
}

/** config-output.ts's contract (COMMON23.md), loaded when `config` runs. */
interface ConfigOutput {
  renderConfig(project: Project, format: 'yaml' | 'json'): string;
  listServices(project: Project): string[];
  listVolumes(project: Project): string[];
  listProfiles(project: Project): string[];
  listImages(project: Project): string[];
  serviceHashes(project: Project, services: string[]): Array<{ service: string; hash: string }>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const output = (): ConfigOutput => require('./config-output') as ConfigOutput;

/** What `compose config` prints (ending with a newline, or '' for -q). */
export function configOutput(project: Project, flags: ConfigFlags): string {
  if (flags.format !== 'yaml' && flags.format !== 'json') throw new InvalidArgumentError(`invalid --format "${flags.format}": use yaml or json`);
  const lines = (list: string[]) => list.map((l) => `${l}\n`).join('');
  if (flags.quiet) return '';
  const out = output();
  if (flags.services) return lines(out.listServices(project));
  if (flags.volumes) return lines(out.listVolumes(project));
  if (flags.profiles) return lines(out.listProfiles(project));
  if (flags.images) return lines(out.listImages(project));
  if (flags.hash !== undefined) {
    const names = flags.hash.split(',').map((s) => s.trim()).filter(Boolean);
    return lines(out.serviceHashes(project, names).map((h) => `${h.service} ${h.hash}`));
  }
  const text = out.renderConfig(project, flags.format);
  return text.endsWith('\n') ? text : `${text}\n`;
}
