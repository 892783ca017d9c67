import { describe, expect, it } from 'vitest';
import { up, type UpOptions } from '../../../../libpod/compose/up';
import { down } from '../../../../libpod/compose/down';
import { dependencyOrder, withDependencies } from '../../../../libpod/compose/depends';
import { LABEL } from '../../../../libpod/compose/types';
import { FakeOps, context, project } from './fake-compose';

const defaults: UpOptions = {
  services: [], detach: true, build: false, noBuild: false, forceRecreate: false, noRecreate: false, noDeps: false, removeOrphans: false, scale: {},
  noStart: false, wait: false, abortOnContainerExit: false, noLogPrefix: false, noColor: true, timestamps: false,
};

const healthy = { condition: 'service_healthy' as const, required: true, restart: false };
const started = { condition: 'service_started' as const, required: true, restart: false };
const completed = { condition: 'service_completed_successfully' as const, required: true, restart: false };

describe('depends', () => {
  it('orders services after their dependencies and adds them unless --no-deps', () => {
    const p = project({ web: { depends_on: { db: started } }, db: { depends_on: { cache: started } }, cache: {}, other: {} });
    expect(dependencyOrder(p, Object.keys(p.services))).toEqual(['cache', 'db', 'other', 'web']);
    expect(withDependencies(p, ['web']).sort()).toEqual(['cache', 'db', 'web']);
  });
});

describe('up', () => {
  it('makes the network, pulls a missing image, creates and starts in dependency order', async () => {
    const fake = new FakeOps();
    const ctx = context(project({ web: { depends_on: { db: started } }, db: { image: 'postgres' } }), fake);
    expect(await up(ctx, defaults)).toBe(0);
    expect(fake.calls).toEqual(['network p_default', 'pull postgres', 'pull busybox', 'create p-db-1', 'create p-web-1', 'start p-db-1', 'start p-web-1']);
    expect(ctx.err.join('')).toContain('Container p-web-1  Started\n');
    expect(ctx.err.join('')).toContain('Network p_default  Created\n');
  });

  it('keeps containers whose hash is unchanged and recreates only the changed service', async () => {
    const fake = new FakeOps();
    const p = project({ web: { environment: { A: '1' } }, db: {} });
    await up(context(p, fake), defaults);
    fake.calls = [];
    const oldId = fake.containers.find((c) => c.name === 'p-web-1')!.id;
    p.services.web.environment = { A: '2' };
    await up(context(p, fake), defaults);
    expect(fake.calls).toEqual(['stop p-web-1', 'cleanup p-web-1', `rename p-web-1 ${oldId.slice(0, 12)}_p-web-1`, 'create p-web-1', `rm ${oldId.slice(0, 12)}_p-web-1`, 'start p-web-1']);
    expect(fake.containers.find((c) => c.name === 'p-web-1')?.labels[LABEL.configHash]).toBe('{"A":"2"}');
  });

  it("carries the replaced container's anonymous volumes over to the new one (an image's VOLUME keeps its data)", async () => {
    const fake = new FakeOps();
    const p = project({ db: { environment: { A: '1' }, volumes: [{ type: 'volume', target: '/named', source: 'data' }] } });
    await up(context(p, fake), defaults);
    fake.anonymous.set('p-db-1', [{ name: 'f00d', destination: '/var/lib/db' }, { name: 'beef', destination: '/named' }]);
    p.services.db.environment = { A: '2' };
    await up(context(p, fake), defaults);
    // The one the service now names itself is not carried over; the image's is.
    expect(fake.created.get('p-db-1')?.volumes).toEqual(['f00d:/var/lib/db']);
  });

  it('leaves the old container when the changed service cannot be translated, and names a failed create', async () => {
    const fake = new FakeOps();
    const p = project({ web: { environment: { A: '1' } } });
    await up(context(p, fake), defaults);
    p.services.web.environment = { A: '2' };
    const ctx = context(p, fake);
    ctx.tr = { ...ctx.tr, serviceCreateOptions: () => { throw new Error('services.web.ports[0]: bad port'); } };
    fake.calls = [];
    await expect(up(ctx, defaults)).rejects.toThrow('services.web.ports[0]: bad port');
    expect(fake.calls).toEqual([]);
    expect(fake.containers[0].labels[LABEL.configHash]).toBe('{"A":"1"}');
    fake.failCreate = 'p-web-1';
    const oldId = fake.containers[0].id;
    await expect(up(context(p, fake), defaults)).rejects.toThrow('service "web": creating container p-web-1: image not known');
    // The service keeps its container, stopped, under its own name.
    expect(fake.containers.map((c) => [c.id, c.name, c.state])).toEqual([[oldId, 'p-web-1', 'exited']]);
  });

  it('scales up and down, highest numbers first', async () => {
    const fake = new FakeOps();
    const p = project({ web: { deploy: { replicas: 3 } } });
    await up(context(p, fake), defaults);
    expect(fake.containers.map((c) => c.name)).toEqual(['p-web-1', 'p-web-2', 'p-web-3']);
    fake.calls = [];
    await up(context(p, fake), { ...defaults, scale: { web: 1 } });
    expect(fake.calls).toEqual(['stop p-web-3', 'rm p-web-3', 'stop p-web-2', 'rm p-web-2']);
    await expect(up(context(p, fake), { ...defaults, scale: { nope: 1 } })).rejects.toThrow('no such service: nope');
  });

  it('waits for service_healthy and fails on unhealthy', async () => {
    const fake = new FakeOps();
    let polls = 0;
    fake.onStart = (c) => {
      if (c.name === 'p-db-1') c.health = 'starting';
    };
    const ctx = context(project({ web: { depends_on: { db: healthy } }, db: {} }), fake);
    const timer = setInterval(() => {
      if (++polls === 3) fake.containers.find((c) => c.name === 'p-db-1')!.health = 'healthy';
    }, 100);
    await up(ctx, defaults);
    clearInterval(timer);
    expect(polls).toBeGreaterThanOrEqual(3);
    expect(fake.calls.slice(-2)).toEqual(['start p-db-1', 'start p-web-1']);
    expect(ctx.err.join('')).toContain('Container p-db-1  Healthy');

    const bad = new FakeOps();
    bad.onStart = (c) => {
      if (c.name === 'p-db-1') c.health = 'unhealthy';
    };
    await expect(up(context(project({ web: { depends_on: { db: healthy } }, db: {} }), bad), defaults)).rejects.toThrow('dependency failed to start: container p-db-1 is unhealthy');
    expect(bad.calls).not.toContain('start p-web-1');
  });

  it('waits for service_completed_successfully and fails on a non-zero exit', async () => {
    for (const code of [0, 1]) {
      const fake = new FakeOps();
      fake.onStart = (c) => {
        if (c.name === 'p-job-1') [c.state, c.exitCode] = ['exited', code];
      };
      const run = up(context(project({ web: { depends_on: { job: completed } }, job: {} }), fake), defaults);
      if (code === 0) {
        await run;
        expect(fake.calls).toContain('start p-web-1');
      } else await expect(run).rejects.toThrow('service "job" didn\'t complete successfully: exit 1');
    }
  });

  it('refuses a missing external network and warns about orphans', async () => {
    const fake = new FakeOps();
    const p = project({ web: { networks: { front: null } } }, { networks: { front: { name: 'shared', external: true } } });
    await expect(up(context(p, fake), defaults)).rejects.toThrow('network shared declared as external, but could not be found');
    fake.networks.set('shared', {});
    await up(context(p, fake), defaults);
    const p2 = project({ api: {} }, { networks: p.networks });
    const ctx = context(p2, fake);
    await up(ctx, defaults);
    expect(ctx.err.join('')).toContain('Found orphan containers ([p-web-1]) for this project.');
    await up(context(p2, fake), { ...defaults, removeOrphans: true });
    expect(fake.containers.map((c) => c.name)).toEqual(['p-api-1']);
  });

  it('builds a service with build: when its image is missing, never with --no-build', async () => {
    const fake = new FakeOps();
    const p = project({ app: { image: undefined, build: { context: '/w/app' } } });
    await expect(up(context(p, fake), { ...defaults, noBuild: true })).rejects.toThrow('--no-build');
    await up(context(p, fake), defaults);
    expect(fake.calls).toContain('build p-app');
    fake.calls = [];
    await up(context(p, fake), defaults);
    expect(fake.calls).not.toContain('build p-app');
  });

  it('checks flags against each other', async () => {
    const ctx = context(project({ web: {} }), new FakeOps());
    await expect(up(ctx, { ...defaults, build: true, noBuild: true })).rejects.toThrow('--build and --no-build are incompatible');
    await expect(up(ctx, { ...defaults, services: ['nope'] })).rejects.toThrow('no such service: nope');
  });

  it('attached: prints prefixed logs and the exits', async () => {
    const fake = new FakeOps();
    const ctx = context(project({ web: {}, db: {} }), fake);
    expect(await up(ctx, { ...defaults, detach: false })).toBe(0);
    expect(ctx.out.join('')).toContain('p-web-1 | hello from p-web-1\n');
    expect(ctx.out.join('')).toContain('p-db-1  | hello from p-db-1\n');
    expect(ctx.out.join('')).toContain('p-web-1 exited with code 0\n');
  });
});

describe('up attached', () => {
  it('--exit-code-from returns that service\'s exit code and stops the others', async () => {
    const fake = new FakeOps();
    fake.onStart = (c) => {
      if (c.name === 'p-web-1') c.exitCode = 7;
    };
    const ctx = context(project({ web: {}, db: {} }), fake);
    expect(await up(ctx, { ...defaults, detach: false, exitCodeFrom: 'web' })).toBe(7);
    expect(ctx.err.join('')).toContain('Aborting on container exit...');
    expect(fake.calls.filter((c) => c.startsWith('stop'))).toEqual(['stop p-db-1', 'stop p-web-1']);
    await expect(up(ctx, { ...defaults, detach: false, exitCodeFrom: 'nope' })).rejects.toThrow('no such service: nope');
    await expect(up(ctx, { ...defaults, detach: true, abortOnContainerExit: true })).rejects.toThrow('-d and --abort-on-container-exit are incompatible');
  });
});

describe('down', () => {
  it('removes containers in reverse dependency order, then networks, and with -v volumes', async () => {
    const fake = new FakeOps();
    const p = project({ web: { depends_on: { db: started } }, db: { volumes: [{ type: 'volume', source: 'data', target: '/data' }] } }, { volumes: { data: { name: 'p_data' } } });
    await up(context(p, fake), defaults);
    fake.calls = [];
    const ctx = context(p, fake);
    await down(ctx, { removeOrphans: false, volumes: true });
    expect(fake.calls).toEqual(['stop p-web-1', 'rm p-web-1', 'stop p-db-1', 'rm p-db-1', 'network rm p_default', 'volume rm p_data']);
    expect(ctx.err.join('')).toContain('Volume p_data  Removed\n');
    const again = context(p, fake);
    await down(again, { removeOrphans: false, volumes: true });
    expect(again.err.join('')).toContain('No resource found to remove for project "p".');
  });

  it('leaves external networks and volumes', async () => {
    const fake = new FakeOps();
    const p = project({ web: { networks: { ext: null } } }, { networks: { ext: { name: 'ext', external: true } } });
    fake.networks.set('ext', {});
    await up(context(p, fake), defaults);
    await down(context(p, fake), { removeOrphans: false, volumes: true });
    expect(fake.networks.has('ext')).toBe(true);
  });
});
