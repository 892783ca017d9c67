import { describe, expect, it } from 'vitest';
import { containerLabels, defaultImageName, dependsOnLabel, labelFlags, networkLabels, serviceImage, volumeLabels } from '../../../../libpod/compose/labels';
import { COMPOSE_VERSION } from '../../../../libpod/compose/types';
import { project } from './helpers';

describe('containerLabels', () => {
  const p = project({
    web: {
      image: 'busybox',
      labels: { tier: 'front', 'com.docker.compose.project': 'spoofed' },
      depends_on: {
        db: { condition: 'service_healthy', required: true, restart: false },
        cache: { condition: 'service_started', required: false, restart: true },
      },
    },
  });

  it("gives a service's replica Docker Compose's labels over the service's own", () => {
    const l = containerLabels(p, p.services.web, 2, { oneoff: false, configHash: 'abc123' });
    expect(l).toEqual({
      tier: 'front',
      'com.docker.compose.project': 'demo',
      'com.docker.compose.service': 'web',
      'com.docker.compose.version': COMPOSE_VERSION,
      'com.docker.compose.project.working_dir': '/srv/demo',
      'com.docker.compose.project.config_files': '/srv/demo/compose.yaml,/srv/demo/compose.override.yaml',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.config-hash': 'abc123',
      'com.docker.compose.depends_on': 'cache:service_started:true,db:service_healthy:false',
      'com.docker.compose.container-number': '2',
    });
  });

  it('marks a one-off container True, with its slug and no container number', () => {
    const l = containerLabels(p, p.services.web, 1, { oneoff: true, configHash: 'h', slug: 'f'.repeat(64) });
    expect(l['com.docker.compose.oneoff']).toBe('True');
    expect(l['com.docker.compose.slug']).toBe('f'.repeat(64));
    expect(l['com.docker.compose.container-number']).toBeUndefined();
  });

  it('records the image digest and the replaced container only when given, and a depends_on the caller computed', () => {
    const plain = containerLabels(p, p.services.web, 1, { oneoff: false, configHash: 'h' });
    expect(plain['com.docker.compose.image']).toBeUndefined();
    expect(plain['com.docker.compose.replace']).toBeUndefined();
    const l = containerLabels(p, p.services.web, 1, { oneoff: false, configHash: 'h', imageDigest: 'sha256:1234', replace: 'web-1', dependsOnLabel: 'db:service_started:false' });
    expect(l['com.docker.compose.image']).toBe('sha256:1234');
    expect(l['com.docker.compose.replace']).toBe('web-1');
    expect(l['com.docker.compose.depends_on']).toBe('db:service_started:false');
  });

  it('gives a service without dependencies an empty depends_on, as Compose does', () => {
    const q = project({ db: { image: 'busybox' } });
    expect(dependsOnLabel(q.services.db)).toBe('');
    expect(containerLabels(q, q.services.db, 1, { oneoff: false, configHash: 'h' })['com.docker.compose.depends_on']).toBe('');
  });

  it('writes labels as --label key=value strings', () => {
    expect(labelFlags({ a: '1', 'b.c': 'x=y', e: '' })).toEqual(['a=1', 'b.c=x=y', 'e=']);
  });
});

describe('network and volume labels', () => {
  const p = project(
    {},
    {
      networks: { back: { name: 'demo_back', labels: { team: 'ops', 'com.docker.compose.network': 'nope' } } },
      volumes: { data: { name: 'demo_data', labels: { keep: 'yes' } }, bare: { name: 'demo_bare' } },
    },
  );

  it("puts the project, the key and the version over the user's labels", () => {
    expect(networkLabels(p, 'back')).toEqual({ team: 'ops', 'com.docker.compose.project': 'demo', 'com.docker.compose.network': 'back', 'com.docker.compose.version': COMPOSE_VERSION });
    expect(volumeLabels(p, 'data')).toEqual({ keep: 'yes', 'com.docker.compose.project': 'demo', 'com.docker.compose.volume': 'data', 'com.docker.compose.version': COMPOSE_VERSION });
    expect(volumeLabels(p, 'bare')).toEqual({ 'com.docker.compose.project': 'demo', 'com.docker.compose.volume': 'bare', 'com.docker.compose.version': COMPOSE_VERSION });
  });
});

describe('image names', () => {
  it("names a build-only service's image <project>-<service>", () => {
    expect(defaultImageName('demo', 'api')).toBe('demo-api');
    const p = project({ api: { build: { context: '/srv/demo/api' } }, db: { image: 'postgres:16', build: { context: '/srv/demo/db' } } });
    expect(serviceImage('demo', p.services.api)).toBe('demo-api');
    expect(serviceImage('demo', p.services.db)).toBe('postgres:16');
  });
});
