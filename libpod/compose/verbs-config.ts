// `compose config`: the normalised project as YAML or JSON, or one of its lists (--services,
// --volumes, --profiles, --images, --hash), all rendered by config-output.ts (the model's); -q
// only validates (the project was loaded, so it is valid) and prints nothing.
import { InvalidArgumentError } from '../../src/errors';
import type { Project } from './types';
import { listImages, listProfiles, listServices, listVolumes, renderConfig, serviceHashes } from './config-output';

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

/** What `compose config` prints (ending with a newline, or '' for -q). */
export function configOutput(project: Project, flags: ConfigFlags): string {
  if (flags.format !== 'yaml' && flags.format !== 'json') throw new InvalidArgumentError(`invalid --format "${flags.format}": use yaml or json`);
  const lines = (list: string[]) => list.map((l) => `${l}\n`).join('');
  if (flags.quiet) return '';
  if (flags.services) return lines(listServices(project));
  if (flags.volumes) return lines(listVolumes(project));
  if (flags.profiles) return lines(listProfiles(project));
  if (flags.images) return lines(listImages(project));
  if (flags.hash !== undefined) {
    const names = flags.hash.split(',').map((s) => s.trim()).filter(Boolean);
    return lines(serviceHashes(project, names).map((h) => `${h.service} ${h.hash}`));
  }
  const text = renderConfig(project, flags.format);
  return text.endsWith('\n') ? text : `${text}\n`;
}
