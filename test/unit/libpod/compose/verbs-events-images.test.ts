import { describe, expect, it } from 'vitest';
import { eventMatches, formatEvent } from '../../../../libpod/compose/verbs-events';
import { pullPlan, pushPlan, repositoryAndTag, selectServices } from '../../../../libpod/compose/verbs-images';
import type { EventRow } from '../../../../libpod/state/state';
import type { Project, ServiceConfig } from '../../../../libpod/compose/types';

const event = (action: string, service: string, project = 'p'): EventRow => ({
  time: BigInt(Date.UTC(2024, 0, 2, 3, 4, 5)) * 1_000_000n + 123_456_789n,
  type: 'container',
  action,
  actorId: 'abc123',
  name: `${project}-${service}-1`,
  image: 'docker.io/library/busybox:latest',
  attributes: { 'com.docker.compose.project': project, 'com.docker.compose.service': service, tier: 'front' },
});

describe('compose events', () => {
  it("prints Compose's text line, without the compose labels", () => {
    const line = formatEvent(event('start', 'web'), false);
    expect(line).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.123456 container start abc123 \(image=docker\.io\/library\/busybox:latest, name=p-web-1, tier=front\)$/);
  });

  it('prints one JSON object with the service', () => {
    expect(JSON.parse(formatEvent(event('die', 'db'), true))).toEqual({
      time: '2024-01-02T03:04:05.123456789Z',
      type: 'container',
      service: 'db',
      id: 'abc123',
      action: 'die',
      attributes: { image: 'docker.io/library/busybox:latest', name: 'p-db-1', tier: 'front' },
    });
  });

  it("keeps the project's events of the services asked", () => {
    expect(eventMatches(event('start', 'web'), 'p', [])).toBe(true);
    expect(eventMatches(event('start', 'web'), 'p', ['db'])).toBe(false);
    expect(eventMatches(event('start', 'web', 'q'), 'p', [])).toBe(false);
  });
});

function project(services: Record<string, Partial<ServiceConfig>>): Project {
  const full = Object.fromEntries(Object.entries(services).map(([name, s]) => [name, { name, ...s } as ServiceConfig]));
  return { name: 'p', workingDir: '/w', files: [], environment: {}, services: full, disabledServices: { tools: { name: 'tools', profiles: ['debug'] } }, networks: {}, volumes: {}, secrets: {}, configs: {}, allProfiles: ['debug'], unsupported: [], extensions: {} };
}

describe('compose pull, push and images', () => {
  const p = project({
    web: { image: 'busybox', depends_on: { db: { condition: 'service_started', required: true, restart: false } } },
    db: { image: 'debian', pull_policy: 'never' },
    app: { build: { context: '/w/app' } },
    api: { image: 'localhost:5000/api:1', build: { context: '/w/api' } },
  });

  it('selects the services named, with their dependencies when asked, and refuses unknown ones', () => {
    expect(selectServices(p, []).map((s) => s.name)).toEqual(['api', 'app', 'db', 'web']);
    expect(selectServices(p, ['web']).map((s) => s.name)).toEqual(['web']);
    expect(selectServices(p, ['web'], true).map((s) => s.name)).toEqual(['db', 'web']);
    expect(() => selectServices(p, ['nope'])).toThrow('no such service: nope');
    expect(() => selectServices(p, ['tools'])).toThrow(/profiles debug/);
  });

  it('pulls services with an image, skipping build-only and pull_policy never/build', () => {
    const plan = pullPlan(selectServices(p, []));
    expect(plan.pull).toEqual([
      { service: 'api', image: 'localhost:5000/api:1', buildable: true },
      { service: 'web', image: 'busybox', buildable: false },
    ]);
    expect(plan.skipped).toEqual(['app', 'db']);
  });

  it('pushes the services that are built and named', () => {
    expect(pushPlan(selectServices(p, []))).toEqual([{ service: 'api', image: 'localhost:5000/api:1' }]);
  });

  it('splits repository and tag', () => {
    expect(repositoryAndTag('localhost:5000/api:1')).toEqual({ repository: 'localhost:5000/api', tag: '1' });
    expect(repositoryAndTag('localhost:5000/api')).toEqual({ repository: 'localhost:5000/api', tag: 'latest' });
    expect(repositoryAndTag('docker.io/library/busybox:latest')).toEqual({ repository: 'docker.io/library/busybox', tag: 'latest' });
  });
});
