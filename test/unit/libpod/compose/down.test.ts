import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { down } from '../../../../libpod/compose/down';
import { materializer } from '../../../../libpod/compose/service-files';
import { FakeOps, context, project } from './fake-compose';

describe('down and the project files', () => {
  it('keeps the secret files while a container that mounts them could not be removed', async () => {
    const fake = new FakeOps();
    const p = project({ web: {} });
    const ctx = context(p, fake);
    const file = materializer(ctx)('p_token', 's3cret', 'secret');
    fake.containers.push({ id: 'w1', name: 'p-web-1', state: 'exited', health: '', labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': '1', 'com.docker.compose.oneoff': 'False' }, image: 'busybox', created: 1 });
    const ops = ctx.ops;
    ctx.ops = { ...ops, removeContainers: async (ids) => ids.map((id) => ({ id, error: new Error('container is in use') })) };
    await expect(down(ctx, { removeOrphans: false, volumes: false })).rejects.toThrow('container p-web-1: container is in use');
    expect(fs.readFileSync(file, 'utf8')).toBe('s3cret');
    ctx.ops = ops;
    await down(ctx, { removeOrphans: false, volumes: false });
    expect(fs.existsSync(file)).toBe(false);
  });

  it('keeps them while an orphan the user did not ask to remove is left', async () => {
    const fake = new FakeOps();
    const ctx = context(project({ web: {} }), fake);
    const file = materializer(ctx)('p_token', 's3cret', 'secret');
    fake.containers.push({ id: 'o1', name: 'p-old-1', state: 'running', health: '', labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.service': 'old', 'com.docker.compose.container-number': '1', 'com.docker.compose.oneoff': 'False' }, image: 'busybox', created: 1 });
    await down(ctx, { removeOrphans: false, volumes: false });
    expect(fs.existsSync(file)).toBe(true);
    await down(ctx, { removeOrphans: true, volumes: false });
    expect(fs.existsSync(file)).toBe(false);
  });
});
