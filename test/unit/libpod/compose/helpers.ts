// Hand-built normalised projects for the translator's tests (what normalize.ts gives: long forms,
// absolute paths, real names), and a progress sink that records nothing.
import type { ProgressSink } from '../../../../src/progress';
import type { Project, ServiceConfig } from '../../../../libpod/compose/types';

export const progress: ProgressSink = { line() {}, blobStart() {}, blobBytes() {}, blobDone() {}, finish() {} };

/** A project "demo" in /srv/demo with the given services (each named by its key) and top-level objects. */
export function project(services: Record<string, Omit<ServiceConfig, 'name'>>, over: Partial<Project> = {}): Project {
  return {
    name: 'demo',
    workingDir: '/srv/demo',
    files: ['/srv/demo/compose.yaml', '/srv/demo/compose.override.yaml'],
    environment: {},
    services: Object.fromEntries(Object.entries(services).map(([name, s]) => [name, { name, ...s } as ServiceConfig])),
    disabledServices: {},
    networks: { default: { name: 'demo_default' } },
    volumes: {},
    secrets: {},
    configs: {},
    allProfiles: [],
    unsupported: [],
    extensions: {},
    ...over,
  };
}
