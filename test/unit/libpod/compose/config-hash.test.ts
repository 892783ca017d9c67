import { describe, expect, it } from 'vitest';
import { canonicalJson, serviceConfigHash } from '../../../../libpod/compose/config-hash';
import type { ServiceConfig } from '../../../../libpod/compose/types';

const base: ServiceConfig = {
  name: 'web',
  image: 'busybox',
  command: ['httpd', '-f'],
  environment: { A: '1', B: '2' },
  ports: [{ target: 80, published: '8080', protocol: 'tcp' }],
  deploy: { replicas: 1, resources: { limits: { memory: 64 * 1024 * 1024 } } },
};

describe('serviceConfigHash', () => {
  it('is the sha256 hex of the service, the same each time', () => {
    expect(serviceConfigHash(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(serviceConfigHash(base)).toBe(serviceConfigHash(structuredClone(base)));
  });

  it('does not change with the order keys were written in', () => {
    const reordered: ServiceConfig = {
      deploy: { resources: { limits: { memory: 64 * 1024 * 1024 } }, replicas: 1 },
      ports: [{ protocol: 'tcp', published: '8080', target: 80 }],
      environment: { B: '2', A: '1' },
      command: ['httpd', '-f'],
      image: 'busybox',
      name: 'web',
    };
    expect(serviceConfigHash(reordered)).toBe(serviceConfigHash(base));
  });

  it('changes with the environment, the command, a limit and list order', () => {
    const h = serviceConfigHash(base);
    expect(serviceConfigHash({ ...base, environment: { A: '1', B: '3' } })).not.toBe(h);
    expect(serviceConfigHash({ ...base, environment: { A: '1' } })).not.toBe(h);
    expect(serviceConfigHash({ ...base, command: ['-f', 'httpd'] })).not.toBe(h);
    expect(serviceConfigHash({ ...base, deploy: { replicas: 1, resources: { limits: { memory: 128 * 1024 * 1024 } } } })).not.toBe(h);
  });

  it('does not change with replicas, scale, build, pull_policy, depends_on or profiles (scaling recreates nothing)', () => {
    const h = serviceConfigHash(base);
    expect(serviceConfigHash({ ...base, deploy: { ...base.deploy, replicas: 3 } })).toBe(h);
    expect(serviceConfigHash({ ...base, scale: 5 })).toBe(h);
    expect(serviceConfigHash({ ...base, build: { context: '/srv/demo' } })).toBe(h);
    expect(serviceConfigHash({ ...base, pull_policy: 'always' })).toBe(h);
    expect(serviceConfigHash({ ...base, depends_on: { db: { condition: 'service_healthy', required: true, restart: false } } })).toBe(h);
    expect(serviceConfigHash({ ...base, profiles: ['debug'] })).toBe(h);
  });

  it('leaves out x- extensions, as Compose\'s JSON form of a service has none', () => {
    expect(serviceConfigHash({ ...base, 'x-note': 'anything' })).toBe(serviceConfigHash(base));
  });

  it('takes a deploy holding only replicas as no deploy at all', () => {
    const { deploy: _d, ...none } = base;
    expect(serviceConfigHash({ ...none, deploy: { replicas: 3 } })).toBe(serviceConfigHash(none));
    expect(serviceConfigHash({ ...none, deploy: { replicas: 3, restart_policy: { condition: 'any' } } })).not.toBe(serviceConfigHash(none));
  });

  it('takes an undefined key as an absent one', () => {
    expect(serviceConfigHash({ ...base, user: undefined })).toBe(serviceConfigHash(base));
    expect(serviceConfigHash({ ...base, user: '1000' })).not.toBe(serviceConfigHash(base));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson([{ y: 1, x: 2 }, 'z'])).toBe('[{"x":2,"y":1},"z"]');
  });
});
