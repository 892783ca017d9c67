import { describe, expect, it } from 'vitest';
import { parseBuildArgs, serviceBuildOptions } from '../../../../libpod/compose/verbs-build';
import { COMPOSE_VERSION } from '../../../../libpod/compose/types';
import { COMPOSE_VERSION_SHOWN } from '../../../../commands/compose/version';
import type { Project, ServiceConfig } from '../../../../libpod/compose/types';

const flags = { noCache: false, pull: false, buildArgs: [], quiet: true };

function project(service: Partial<ServiceConfig>): { p: Project; s: ServiceConfig } {
  const s = { name: 'web', ...service } as ServiceConfig;
  const p: Project = { name: 'shop', workingDir: '/w', files: [], environment: { FROM_ENV: 'e', TOKEN_VAR: 't' }, services: { web: s }, disabledServices: {}, networks: {}, volumes: {}, secrets: { token: { name: 'shop_token', file: '/w/token.txt' }, envsecret: { name: 'shop_envsecret', environment: 'TOKEN_VAR' } }, configs: {}, allProfiles: [], unsupported: [], extensions: {} };
  return { p, s };
}

describe('compose build options', () => {
  it("tags the image with the service's image, else <project>-<service>", () => {
    expect(serviceBuildOptions(project({ build: { context: '/w' } }).p, project({ build: { context: '/w' } }).s, flags).options.tags).toEqual(['shop-web']);
    const named = project({ image: 'r/web:2', build: { context: '/w', tags: ['r/web:2', 'r/web:latest'] } });
    expect(serviceBuildOptions(named.p, named.s, flags).options.tags).toEqual(['r/web:2', 'r/web:latest']);
  });

  it('maps the build section onto build options', () => {
    const { p, s } = project({
      build: { context: '/w/app', dockerfile: 'Dockerfile.dev', args: { A: '1', FROM_ENV: null, UNSET: null }, target: 'prod', labels: { l: 'v' }, tags: ['r/web:extra'], secrets: [{ source: 'token', target: 'token' }, { source: 'envsecret', target: 'es' }], cache_from: ['r/cache'], extra_hosts: { h: ['1.2.3.4'] }, no_cache: true },
    });
    const { options, notes } = serviceBuildOptions(p, s, { ...flags, buildArgs: ['B=2', 'TOKEN_VAR', 'NOPE'] });
    expect(options.context).toBe('/w/app');
    expect(options.files).toEqual(['/w/app/Dockerfile.dev']);
    expect(options.tags).toEqual(['shop-web', 'r/web:extra']);
    expect(options.buildArgs).toEqual({ A: '1', FROM_ENV: 'e', B: '2', TOKEN_VAR: 't' });
    expect(options.target).toBe('prod');
    expect(options.labels).toEqual(['l=v']);
    expect(options.noCache).toBe(true);
    expect(options.pull).toBe('missing');
    expect(options.secrets).toEqual([{ id: 'token', source: { file: '/w/token.txt' } }, { id: 'es', source: { env: 'TOKEN_VAR' } }]);
    expect(options.addHosts).toEqual(['h:1.2.3.4']);
    expect(notes).toEqual(['service "web": build.cache_from is ignored: tspod builds use their own layer cache only']);
  });

  it('uses the file dockerfile_inline was written to, and --pull', () => {
    const { p, s } = project({ build: { context: '/w', dockerfile_inline: 'FROM busybox\n' } });
    const { options } = serviceBuildOptions(p, s, { ...flags, pull: true }, '/tmp/x/Dockerfile');
    expect(options.files).toEqual(['/tmp/x/Dockerfile']);
    expect(options.pull).toBe('always');
    expect(() => serviceBuildOptions(p, s, flags)).toThrow(/dockerfile_inline/);
  });

  it('refuses a service without build: and an undefined secret', () => {
    const { p, s } = project({ image: 'busybox' });
    expect(() => serviceBuildOptions(p, s, flags)).toThrow(/has no build: section/);
    const bad = project({ build: { context: '/w', secrets: [{ source: 'nope', target: 'nope' }] } });
    expect(() => serviceBuildOptions(bad.p, bad.s, flags)).toThrow(/undefined build secret nope/);
  });

  it('reads --build-arg words', () => {
    expect(parseBuildArgs(['A=1', 'B=', 'C'], { C: 'c' })).toEqual({ A: '1', B: '', C: 'c' });
    expect(() => parseBuildArgs(['=x'], {})).toThrow(/invalid --build-arg/);
  });

  it('shows the Compose version the model reports', () => {
    expect(COMPOSE_VERSION_SHOWN).toBe(COMPOSE_VERSION);
  });
});
