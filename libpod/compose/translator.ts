// The translator's functions (translate-service.ts, labels.ts, config-hash.ts, translate-resources.ts,
// built on their own branch) as up, run and down use them: one object, so that the lifecycle's
// unit tests can hand in a stand-in and the modules are loaded only when a project is made.
import type { CreateOptions } from '../container/create-spec';
import type { ProgressSink } from '../../src/progress';
import type { Project, ServiceConfig } from './types';
import type { ComposeNetworkCreate } from './ops-types';

export interface Translator {
  serviceCreateOptions(project: Project, service: ServiceConfig, number: number, opts: { oneoff?: boolean; name?: string; configHash: string; progress: ProgressSink; dependsOnLabel?: string }): CreateOptions;
  serviceConfigHash(service: ServiceConfig): string;
  /** The network's real name and what the network engine makes it with (compose labels included). */
  networkCreate(project: Project, key: string): { name: string; create: ComposeNetworkCreate };
  volumeCreate(project: Project, key: string): { name: string; labels: Record<string, string>; options: string[] };
}

/** The translator modules, required on first use. */
export function defaultTranslator(): Translator {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const service = require('./translate-service') as Pick<Translator, 'serviceCreateOptions'>;
  const hash = require('./config-hash') as Pick<Translator, 'serviceConfigHash'>;
  const resources = require('./translate-resources') as Pick<Translator, 'networkCreate' | 'volumeCreate'>;
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    serviceCreateOptions: (...a) => service.serviceCreateOptions(...a),
    serviceConfigHash: (s) => hash.serviceConfigHash(s),
    networkCreate: (p, k) => resources.networkCreate(p, k),
    volumeCreate: (p, k) => resources.volumeCreate(p, k),
  };
}
