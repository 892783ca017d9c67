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

describe('down and resources another project still uses', () => {
  it('warns, as Compose does, and exits 0 when a volume, network or image is in use elsewhere', async () => {
    const { InvalidStateError } = await import('../../../../src/errors');
    const fake = new FakeOps();
    const p = project({ web: { build: { context: '.' }, image: undefined } }, { volumes: { data: { name: 'p_data' } } });
    fake.networks.set('p_default', { 'com.docker.compose.project': 'p' });
    fake.volumes.set('p_data', { 'com.docker.compose.project': 'p' });
    fake.images.add('p-web');
    const ctx = context(p, fake);
    const inUse = (what: string) => ({ id: what, error: new InvalidStateError(`${what} is in use by container q-app-1: remove it first`) });
    ctx.ops = { ...ctx.ops, removeVolume: async (n) => inUse(`volume ${n}`), removeNetwork: async (n) => inUse(`network ${n}`), removeImage: async (r) => inUse(`image ${r}`) };
    await down(ctx, { removeOrphans: false, volumes: true, rmi: 'local' });
    const err = ctx.err.join('');
    expect(err).toContain('Volume p_data  Resource is still in use\n');
    expect(err).toContain('Network p_default  Resource is still in use\n');
    expect(err).toContain('Image p-web  Resource is still in use\n');
  });

  it('still fails on any other error', async () => {
    const fake = new FakeOps();
    const p = project({ web: {} }, { volumes: { data: { name: 'p_data' } } });
    fake.volumes.set('p_data', { 'com.docker.compose.project': 'p' });
    const ctx = context(p, fake);
    ctx.ops = { ...ctx.ops, removeVolume: async (n) => ({ id: n, error: new Error('permission denied') }) };
    await expect(down(ctx, { removeOrphans: false, volumes: true })).rejects.toThrow('down left one thing: volume p_data: permission denied');
  });
});
