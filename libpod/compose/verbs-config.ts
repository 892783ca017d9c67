// `compose config`: the normalised project as YAML or JSON (config-output.ts renders it), or one
// of its lists: --services, --volumes, --profiles, --images, --hash. -q only validates (the
// project was loaded, so it is valid) and prints nothing.
import { InvalidArgumentError } from '../../src/errors';
import type { Project, ServiceConfig } from './types';
import { serviceImageName } from './verbs-build';

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

// The renderer and the hash belong to the model and translate helpers' modules, loaded when used.
type ConfigOutput = { renderConfig(project: Project, format: 'yaml' | 'json'): string };
type ConfigHash = { serviceConfigHash(service: ServiceConfig): string };
/* eslint-disable @typescript-eslint/no-require-imports */
const render = (): ConfigOutput => require('./config-output') as ConfigOutput;
const hasher = (): ConfigHash => require('./config-hash') as ConfigHash;
/* eslint-enable @typescript-eslint/no-require-imports */

/** What `compose config` prints (ending with a newline, or '' for -q). */
export function configOutput(project: Project, flags: ConfigFlags): string {
  if (flags.format !== 'yaml' && flags.format !== 'json') throw new InvalidArgumentError(`invalid --format "${flags.format}": use yaml or json`);
  const lines = (list: string[]) => list.map((l) => `${l}\n`).join('');
  if (flags.quiet) return '';
  if (flags.services) return lines(Object.keys(project.services).sort());
  if (flags.volumes) return lines(Object.keys(project.volumes).sort());
  if (flags.profiles) return lines([...project.allProfiles].sort());
  if (flags.images) return lines(Object.keys(project.services).sort().map((n) => serviceImageName(project, project.services[n])));
  if (flags.hash !== undefined) {
    const names = flags.hash.trim() === '*' ? Object.keys(project.services).sort() : flags.hash.split(',').map((s) => s.trim()).filter(Boolean);
    for (const n of names) if (!project.services[n]) throw new InvalidArgumentError(`no such service: ${n}`);
    const { serviceConfigHash } = hasher();
    return lines(names.map((n) => `${n} ${serviceConfigHash(project.services[n])}`));
  }
  const text = render().renderConfig(project, flags.format);
  return text.endsWith('\n') ? text : `${text}\n`;
}
