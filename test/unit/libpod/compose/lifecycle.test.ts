import { describe, expect, it } from 'vitest';
import { up, type UpOptions } from '../../../../libpod/compose/up';
import { kill, rm, start, stop } from '../../../../libpod/compose/lifecycle';
import { run } from '../../../../libpod/compose/run';
import { logs } from '../../../../libpod/compose/logs';
import { LogPrinter } from '../../../../libpod/compose/log-printer';
import { LABEL } from '../../../../libpod/compose/types';
import { FakeOps, context, fakeTranslator, project } from './fake-compose';

const fakeTranslatorCreate = fakeTranslator.serviceCreateOptions;

const defaults: UpOptions = {
  services: [], detach: true, build: false, noBuild: false, forceRecreate: false, noRecreate: false, noDeps: false, removeOrphans: false, scale: {},
  noStart: false, wait: false, abortOnContainerExit: false, noLogPrefix: false, noColor: true, timestamps: false,
};
const started = { condition: 'service_started' as const, required: true, restart: false };

async function upProject() {
  const fake = new FakeOps();
  const p = project({ web: { depends_on: { db: started } }, db: {} });
  await up(context(p, fake), defaults);
  fake.calls = [];
  return { fake, p };
}

describe('lifecycle verbs', () => {
  it('stop goes in reverse order, start in dependency order', async () => {
    const { fake, p } = await upProject();
    await stop(context(p, fake), []);
    await start(context(p, fake), []);
    expect(fake.calls).toEqual(['stop p-web-1', 'stop p-db-1', 'start p-db-1', 'start p-web-1']);
  });

  it('names a service that does not exist as Compose does', async () => {
    const { fake, p } = await upProject();
    await expect(stop(context(p, fake), ['nope'])).rejects.toThrow('no such service: nope');
    await expect(kill(context(p, fake), ['nope'], 'KILL')).rejects.toThrow('no such service: nope');
  });

  it('rm takes stopped containers only unless -s, and asks without -f', async () => {
    const { fake, p } = await upProject();
    const ctx = context(p, fake);
    await rm(ctx, [], { force: true, stop: false, volumes: false, confirm: async () => true });
    expect(ctx.err.join('')).toContain('No stopped containers');
    let asked: string[] = [];
    await rm(context(p, fake), ['web'], { force: false, stop: true, volumes: false, confirm: async (n) => ((asked = n), false) });
    expect(asked).toEqual(['p-web-1']);
    expect(fake.containers.map((c) => c.name).sort()).toEqual(['p-db-1', 'p-web-1']);
    await rm(context(p, fake), ['web'], { force: true, stop: false, volumes: false, confirm: async () => false });
    expect(fake.containers.map((c) => c.name)).toEqual(['p-db-1']);
  });

  it('run makes a one-off container after its dependencies and removes it with --rm', async () => {
    const fake = new FakeOps();
    const p = project({ web: { depends_on: { db: started } }, db: {} });
    const r = await run(context(p, fake), { service: 'web', command: ['echo', 'hi'], rm: true, detach: false, env: ['A=1'], volumes: [], publish: [], servicePorts: false, noDeps: false, noTty: true, interactive: false, labels: [], build: false, removeOrphans: false });
    expect(r.exitCode).toBe(3);
    expect(fake.calls).toEqual(['network p_default', 'pull busybox', 'create p-db-1', 'start p-db-1', 'create p-web-run-0123456789ab', 'run p-web-run-0123456789ab', 'rm p-web-run-0123456789ab']);
    expect(fake.containers.map((c) => c.name)).toEqual(['p-db-1']);
  });

  it('run publishes the service ports only with --service-ports', async () => {
    const fake = new FakeOps();
    const seen: string[][] = [];
    const ops = fake.ops();
    const p = project({ web: {} });
    const ctx = { ...context(p, fake), ops: { ...ops, createContainer: async (o: Parameters<typeof ops.createContainer>[0]) => (seen.push(o.publish ?? []), ops.createContainer(o)) } };
    const base = { service: 'web', command: [], rm: true, detach: false, env: [], volumes: [], publish: [], noDeps: true, noTty: true, interactive: false, labels: [], build: false, removeOrphans: false };
    await run(ctx, { ...base, servicePorts: false });
    await run(ctx, { ...base, servicePorts: true });
    expect(seen).toEqual([[], ['8080:80']]);
  });
});

describe('logs', () => {
  it('prefixes each line with the container name padded to the longest', async () => {
    const { fake, p } = await upProject();
    fake.containers.push({ id: 'x', name: 'p-web-run-abc', state: 'exited', health: '', labels: { [LABEL.project]: 'p', [LABEL.service]: 'web', [LABEL.oneoff]: 'True' }, image: 'busybox', created: 9 });
    const ctx = context(p, fake);
    await logs(ctx, { services: ['db'], follow: false, timestamps: false, noLogPrefix: false, noColor: true });
    expect(ctx.out).toEqual(['p-db-1 | hello from p-db-1\n']);
    const all = context(p, fake);
    await logs(all, { services: [], follow: false, timestamps: false, noLogPrefix: false, noColor: true });
    expect(all.out.sort()).toEqual(['p-db-1        | hello from p-db-1\n', 'p-web-1       | hello from p-web-1\n', 'p-web-run-abc | hello from p-web-run-abc\n']);
    await expect(logs(ctx, { services: [], tail: 'x', follow: false, timestamps: false, noLogPrefix: false, noColor: true })).rejects.toThrow('invalid --tail "x"');
  });

  it('colours prefixes in turn and leaves them out with --no-log-prefix', () => {
    const out: string[] = [];
    const w = { write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream;
    const pr = new LogPrinter({ stdout: w, stderr: w }, ['a-1', 'bb-1'], { prefix: true, color: true });
    pr.line('a-1', 'stdout', 'x');
    pr.line('bb-1', 'stdout', 'y');
    expect(out).toEqual(['\x1b[36ma-1  | \x1b[0mx\n', '\x1b[33mbb-1 | \x1b[0my\n']);
    expect(new LogPrinter({ stdout: w, stderr: w }, ['a'], { prefix: false, color: true }).prefix('a')).toBe('');
  });
});

describe('service files', () => {
  it('makes missing bind sources and writes content secrets under the runroot, removed by down', async () => {
    const { down } = await import('../../../../libpod/compose/down');
    const fs = await import('node:fs');
    const path = await import('node:path');
    const fake = new FakeOps();
    const p = project({ web: {} });
    const ctx = context(p, fake);
    const bind = path.join(ctx.runroot, 'host', 'data');
    p.services.web.volumes = [{ type: 'bind', source: bind, target: '/data', bind: { create_host_path: true } }];
    let written = '';
    ctx.tr = { ...ctx.tr, serviceCreateOptions: (pr, s, n, o) => ((written = o.materialize!('p_token', 's3cret', 'secret')), fakeTranslatorCreate(pr, s, n, o)) };
    await up(ctx, defaults);
    expect(fs.statSync(bind).isDirectory()).toBe(true);
    expect(written).toBe(path.join(ctx.runroot, 'compose', 'p', 'secrets', 'p_token'));
    expect(fs.readFileSync(written, 'utf8')).toBe('s3cret');
    await down(ctx, { removeOrphans: false, volumes: false });
    expect(fs.existsSync(written)).toBe(false);
  });
});
