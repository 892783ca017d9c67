// The translator's functions (translate-service.ts, config-hash.ts, translate-resources.ts) as up,
// run and down use them: one object, so that the lifecycle's
// unit tests can hand in a stand-in and the modules are loaded only when a project is made.
import type { CreateOptions } from '../container/create-spec';
import type { ProgressSink } from '../../src/progress';
import type { Project, ServiceConfig } from './types';
import type { ComposeNetworkCreate, ComposeVolumeCreate } from './ops-types';

export type { Materialize } from './translate-resources';
import type { Materialize } from './translate-resources';

export interface Translator {
  serviceCreateOptions(
    project: Project,
    service: ServiceConfig,
    number: number,
    opts: { oneoff?: boolean; name?: string; configHash: string; progress: ProgressSink; dependsOnLabel?: string; materialize?: Materialize; replace?: string; warn?: (message: string) => void },
  ): CreateOptions;
  serviceConfigHash(service: ServiceConfig): string;
  /** The network's real name and what the network engine makes it with (compose labels included). */
  networkCreate(project: Project, key: string): { name: string; options: ComposeNetworkCreate };
  volumeCreate(project: Project, key: string): { name: string; options: ComposeVolumeCreate; bindDevice?: string };
  /** The host directories of the service's binds that up makes when missing (create_host_path). */
  bindSourcesToCreate(project: Project, service: ServiceConfig): string[];
}

/** The translator modules, required on first use. */
export function defaultTranslator(): Translator {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const service = require('./translate-service') as typeof import('./translate-service');
  const hash = require('./config-hash') as typeof import('./config-hash');
  const resources = require('./translate-resources') as typeof import('./translate-resources');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    serviceCreateOptions: (...a) => service.serviceCreateOptions(...a),
    serviceConfigHash: (s) => hash.serviceConfigHash(s),
    networkCreate: (p, k) => resources.networkCreate(p, k),
    volumeCreate: (p, k) => resources.volumeCreate(p, k),
    bindSourcesToCreate: (p, s) => service.bindSourcesToCreate(p, s),
  };
}
