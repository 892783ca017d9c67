import { describe, expect, it } from 'vitest';
import { configOutput } from '../../../../libpod/compose/verbs-config';
import { serviceConfigHash } from '../../../../libpod/compose/config-hash';
import type { Project, ServiceConfig } from '../../../../libpod/compose/types';

const svc = (name: string, s: Partial<ServiceConfig> = {}) => ({ name, ...s }) as ServiceConfig;
const project: Project = {
  name: 'p', workingDir: '/w', files: ['/w/compose.yaml'], environment: {},
  services: { web: svc('web', { image: 'busybox' }), app: svc('app', { build: { context: '/w/app' } }) },
  disabledServices: { tool: svc('tool', { profiles: ['debug'] }) },
  networks: {}, volumes: { data: { name: 'p_data' } }, secrets: {}, configs: {}, allProfiles: ['debug'], unsupported: [], extensions: {},
};
const flags = { quiet: false, services: false, volumes: false, profiles: false, images: false, format: 'yaml' };

describe('compose config output', () => {
  it('prints the lists one per line, and nothing with -q', () => {
    expect(configOutput(project, { ...flags, quiet: true })).toBe('');
    expect(configOutput(project, { ...flags, services: true })).toBe('app\nweb\n');
    expect(configOutput(project, { ...flags, volumes: true })).toBe('data\n');
    expect(configOutput(project, { ...flags, profiles: true })).toBe('debug\n');
    expect(configOutput(project, { ...flags, images: true })).toBe('p-app\nbusybox\n');
  });

  it('prints hashes of the services asked, or all with *', () => {
    expect(configOutput(project, { ...flags, hash: 'web' })).toBe(`web ${serviceConfigHash(project.services.web)}\n`);
    expect(configOutput(project, { ...flags, hash: '*' }).split('\n').filter(Boolean).map((l) => l.split(' ')[0])).toEqual(['app', 'web']);
    expect(() => configOutput(project, { ...flags, hash: 'nope' })).toThrow(/no such service: nope/);
  });

  it('renders YAML or JSON, and refuses other formats', () => {
    expect(JSON.parse(configOutput(project, { ...flags, format: 'json' })).name).toBe('p');
    expect(configOutput(project, flags)).toMatch(/^name: p\n/);
    expect(() => configOutput(project, { ...flags, format: 'toml' })).toThrow('invalid --format "toml": use yaml or json');
  });
});
