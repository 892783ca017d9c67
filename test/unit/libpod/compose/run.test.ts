import { describe, expect, it } from 'vitest';
import { run, type RunOptions } from '../../../../libpod/compose/run';
import { serviceCreateOptions } from '../../../../libpod/compose/translate-service';
import { FakeOps, context, fakeTranslator, project } from './fake-compose';

const base: RunOptions = { service: 'web', command: ['true'], rm: false, detach: true, env: [], volumes: [], publish: [], servicePorts: false, noDeps: true, noTty: true, interactive: false, labels: [], build: false, removeOrphans: false };

describe('run and container_name', () => {
  it("names the one-off container <project>-<service>-run-<id>, not the service's container_name, as Compose does", async () => {
    const fake = new FakeOps();
    fake.images.add('busybox');
    const p = project({ web: { container_name: 'myweb', networks: { default: null } } });
    const ctx = { ...context(p, fake), tr: { ...fakeTranslator, serviceCreateOptions } };
    fake.containers.push({ id: 'w1', name: 'myweb', state: 'running', health: '', labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': '1', 'com.docker.compose.oneoff': 'False' }, image: 'busybox', created: 1 });
    const r = await run(ctx, base);
    expect(r.name).toMatch(/^p-web-run-[0-9a-f]{12}$/);
    expect((await run(ctx, { ...base, name: 'mine' })).name).toBe('mine');
  });
});
