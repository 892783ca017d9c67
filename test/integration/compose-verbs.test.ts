// The compose verbs besides up/down (issue 23) as the unprivileged user, on one small project: a
// busybox httpd publishing a port, a sleeping worker, a one-shot job and a service built from a
// Dockerfile; ps (table, -q, --services, json), ls, exec, port, cp both ways, top, images,
// config, version, pull, build, push, wait and events, with their errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Store, freePort, registry } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('compose-verbs');
const busybox = `${registry}/library/busybox`;
const project = path.join(store.dir, 'shop');
const compose = (args: string[], input?: string) => store.tspod(['compose', ...args], { cwd: project, input });
const lines = (text: string) => text.split('\n').filter(Boolean);
let port = 0;
let t0 = 0;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  fs.writeFileSync(file, text);
  fs.chmodSync(file, 0o644);
}

beforeAll(async () => {
  port = await freePort();
  t0 = Math.floor(Date.now() / 1000) - 1;
  fs.mkdirSync(project, { mode: 0o755 });
  fs.chmodSync(store.dir, 0o755);
  write(path.join(project, 'app', 'Dockerfile'), `FROM ${busybox}\nARG GREETING=none\nRUN echo "$GREETING" > /greeting\nLABEL made.by=compose\n`);
  write(
    path.join(project, 'compose.yaml'),
    `services:
  web:
    image: ${busybox}
    command: ["sh", "-c", "mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 80 -h /www"]
    ports: ["${port}:80"]
  worker:
    image: ${busybox}
    command: ["sleep", "600"]
    environment:
      ROLE: worker
  app:
    build:
      context: ./app
      args:
        GREETING: hi
    image: ${registry}/compose-verbs/app:1
    command: ["sleep", "600"]
  job:
    image: ${busybox}
    command: ["sh", "-c", "sleep 6; exit 3"]
    profiles: ["jobs"]
`,
  );
}, 60_000);

afterAll(() => {
  compose(['--profile', 'jobs', 'down', '-t', '0']);
  store.cleanup();
});

describe('compose verbs', () => {
  it('config prints the project, validates it quietly and lists its parts', () => {
    expect(compose(['config', '-q'])).toMatchObject({ code: 0, stdout: '' });
    expect(compose(['config', '--services'])).toMatchObject({ code: 0, stdout: 'app\nweb\nworker\n' });
    expect(compose(['config', '--profiles']).stdout).toBe('jobs\n');
    expect(compose(['config', '--images']).stdout).toBe(`${registry}/compose-verbs/app:1\n${busybox}\n${busybox}\n`);
    const json = JSON.parse(compose(['config', '--format', 'json']).stdout);
    expect(json.name).toBe('shop');
    expect(Object.keys(json.services).sort()).toEqual(['app', 'web', 'worker']);
    expect(json.services.worker.environment).toEqual({ ROLE: 'worker' });
    expect(compose(['config']).stdout).toMatch(/^name: shop\n/);
    expect(lines(compose(['config', '--hash', '*']).stdout).map((l) => l.split(' ')[0])).toEqual(['app', 'web', 'worker']);
    // Compose's global options before the verb.
    expect(store.tspod(['compose', '-f', path.join(project, 'compose.yaml'), '-p', 'other', 'config', '--format', 'json'])).toMatchObject({ code: 0 });
    expect(JSON.parse(store.tspod(['compose', '-f', path.join(project, 'compose.yaml'), '-p', 'other', 'config', '--format', 'json']).stdout).name).toBe('other');
    expect(compose(['config', '--format', 'toml'])).toMatchObject({ code: 125, stderr: 'Error: invalid --format "toml": use yaml or json\n' });
  });

  it('version and the verbs list', () => {
    expect(compose(['version'])).toMatchObject({ code: 0, stdout: 'tspod compose version 2.24.0\n' });
    expect(compose(['version', '--short']).stdout).toBe('2.24.0\n');
    expect(JSON.parse(compose(['version', '--format', 'json']).stdout)).toEqual({ version: 'v2.24.0' });
    const help = store.tspod(['compose']);
    expect(help.code).toBe(0);
    for (const verb of ['ps', 'ls', 'exec', 'cp', 'config', 'version', 'up', 'down']) expect(help.stdout).toMatch(new RegExp(`\\n  ${verb} `));
    expect(store.tspod(['compose', '-p', 'x', '--help']).stdout).toBe(help.stdout);
  });

  it('pull fetches the services’ images, build builds the build: service', () => {
    const pull = compose(['pull', '-q']);
    expect(pull.stderr).toMatch(/^Warning: app: pulling .*compose-verbs\/app:1 failed/m);
    expect(pull.code).toBe(0);
    expect(store.tspod(['image', 'exists', busybox]).code).toBe(0);
    const build = compose(['build', '--build-arg', 'GREETING=built', 'app']);
    expect(build.code).toBe(0);
    expect(build.stderr).toContain(' app Built');
    expect(store.tspod(['image', 'inspect', '--format', '{{index .Labels "made.by"}}', `${registry}/compose-verbs/app:1`]).stdout).toBe('compose\n');
    expect(compose(['build', 'nope'])).toMatchObject({ code: 125, stderr: 'Error: no such service: nope\n' });
    expect(compose(['push', '-q'])).toMatchObject({ code: 0 });
    expect(store.tspod(['image', 'rm', `${registry}/compose-verbs/app:1`]).code).toBe(0);
    expect(compose(['pull', '-q', 'app'])).toMatchObject({ code: 0, stderr: '' });
    // dockerfile_inline, through global options given before the verb.
    const inline = path.join(store.dir, 'inline.yaml');
    write(inline, `name: inl\nservices:\n  tool:\n    build:\n      context: .\n      dockerfile_inline: |\n        FROM ${busybox}\n        RUN echo inline > /inline\n`);
    expect(store.tspod(['compose', '-f', inline, 'build', '-q'], { cwd: store.dir })).toMatchObject({ code: 0, stdout: '' });
    expect(store.tspod(['run', '--rm', 'inl-tool', 'cat', '/inline'])).toMatchObject({ code: 0, stdout: 'inline\n' });
  }, 120_000);

  it('ps lists the running containers: table, -q, --services, json; ls the project', () => {
    expect(compose(['up', '-d'])).toMatchObject({ code: 0 });
    const table = lines(compose(['ps']).stdout);
    expect(table[0]).toMatch(/^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS$/);
    expect(table.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['shop-app-1', 'shop-web-1', 'shop-worker-1']);
    expect(table[2]).toContain(`0.0.0.0:${port}->80/tcp`);
    expect(table[2]).toMatch(/ web +.* Up /);
    const ids = lines(compose(['ps', '-q']).stdout);
    expect(ids).toHaveLength(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(compose(['ps', '--services']).stdout).toBe('app\nweb\nworker\n');
    const json = lines(compose(['ps', '--format', 'json']).stdout).map((l) => JSON.parse(l));
    expect(json.map((c) => [c.Name, c.Service, c.State, c.Project])).toEqual([
      ['shop-app-1', 'app', 'running', 'shop'],
      ['shop-web-1', 'web', 'running', 'shop'],
      ['shop-worker-1', 'worker', 'running', 'shop'],
    ]);
    expect(json[1].Publishers).toEqual([{ URL: '0.0.0.0', TargetPort: 80, PublishedPort: port, Protocol: 'tcp' }]);
    expect(compose(['ps', 'nope'])).toMatchObject({ code: 125, stderr: 'Error: no such service: nope\n' });
    expect(compose(['ps', '--status', 'exited']).stdout).toBe('NAME  IMAGE  COMMAND  SERVICE  CREATED  STATUS  PORTS\n');
    // ls reads no file: from another directory.
    const ls = store.tspod(['compose', 'ls']);
    expect(lines(ls.stdout)).toEqual([expect.stringMatching(/^NAME\s+STATUS\s+CONFIG FILES$/), expect.stringMatching(new RegExp(`^shop\\s+running\\(3\\)\\s+${path.join(project, 'compose.yaml')}$`))]);
    expect(JSON.parse(store.tspod(['compose', 'ls', '--format', 'json']).stdout)).toEqual([{ Name: 'shop', Status: 'running(3)', ConfigFiles: path.join(project, 'compose.yaml') }]);
    expect(store.tspod(['compose', 'ls', '-q', '--filter', 'name=nomatch']).stdout).toBe('');
    // -p alone, where there is no project file: the containers' labels are enough.
    expect(store.tspod(['compose', '-p', 'shop', 'ps', '--services'], { cwd: store.dir })).toMatchObject({ code: 0, stdout: 'app\nweb\nworker\n' });
  }, 120_000);

  it('exec runs in the service container: exit code, -T, -e, -u, -w; a stopped service is refused', () => {
    expect(compose(['exec', '-T', 'worker', 'sh', '-c', 'exit 7'])).toMatchObject({ code: 7 });
    expect(compose(['exec', '-T', '-e', 'EXTRA=1', 'worker', 'sh', '-c', 'echo $ROLE $EXTRA'])).toMatchObject({ code: 0, stdout: 'worker 1\n' });
    expect(compose(['exec', '-T', '-u', 'nobody', '-w', '/etc', 'worker', 'sh', '-c', 'id -un; pwd'])).toMatchObject({ code: 0, stdout: 'nobody\n/etc\n' });
    expect(compose(['exec', '-T', 'app', 'cat', '/greeting'])).toMatchObject({ code: 0, stdout: 'built\n' });
    expect(compose(['exec', '-T', 'worker', 'nosuchcommand']).code).toBe(127);
    expect(compose(['exec', '-T', '--index', '2', 'worker', 'true'])).toMatchObject({ code: 125, stderr: 'Error: service "worker" is not running container #2\n' });
    expect(compose(['exec', 'nope', 'true'])).toMatchObject({ code: 125, stderr: 'Error: no such service: nope\n' });
  }, 60_000);

  it('port, top, images', async () => {
    expect(compose(['port', 'web', '80'])).toMatchObject({ code: 0, stdout: `0.0.0.0:${port}\n` });
    expect(compose(['port', 'web', '81'])).toMatchObject({ code: 125, stderr: expect.stringContaining('no port 81/tcp for container shop-web-1') });
    expect(compose(['port', '--protocol', 'udp', 'web', '80']).code).toBe(125);
    const top = compose(['top', 'worker']);
    expect(top.code).toBe(0);
    expect(lines(top.stdout)[0]).toBe('shop-worker-1');
    expect(top.stdout).toMatch(/PID/);
    expect(top.stdout).toContain('sleep 600');
    const images = lines(compose(['images']).stdout);
    expect(images[0]).toMatch(/^CONTAINER\s+REPOSITORY\s+TAG\s+IMAGE ID\s+SIZE$/);
    expect(images.slice(1).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      ['shop-app-1', `${registry}/compose-verbs/app`, '1'],
      ['shop-web-1', busybox, 'latest'],
      ['shop-worker-1', busybox, 'latest'],
    ]);
    const q = lines(compose(['images', '-q']).stdout);
    expect(q).toHaveLength(2);
    for (const id of q) expect(id).toMatch(/^[0-9a-f]{64}$/);
    const json = JSON.parse(compose(['images', '--format', 'json', 'web']).stdout);
    expect(json).toEqual([{ ID: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), ContainerName: 'shop-web-1', Repository: busybox, Tag: 'latest', Size: expect.any(Number) }]);
  }, 60_000);

  it('cp copies into a service container and out of it', () => {
    const local = path.join(store.dir, 'note.txt');
    write(local, 'from the host\n');
    expect(compose(['cp', local, 'worker:/note.txt'])).toMatchObject({ code: 0 });
    expect(compose(['exec', '-T', 'worker', 'cat', '/note.txt']).stdout).toBe('from the host\n');
    const out = path.join(store.dir, 'out');
    fs.mkdirSync(out, { mode: 0o777 });
    fs.chmodSync(out, 0o777);
    expect(compose(['cp', 'web:/www/index.html', path.join(out, 'index.html')])).toMatchObject({ code: 0 });
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toBe('hello\n');
    expect(compose(['cp', local, './nowhere'])).toMatchObject({ code: 125, stderr: expect.stringContaining('SERVICE:PATH') });
  }, 60_000);

  it('wait exits with the first container’s exit code; events shows what happened', () => {
    expect(compose(['--profile', 'jobs', 'up', '-d', 'job'])).toMatchObject({ code: 0 });
    expect(compose(['--profile', 'jobs', 'wait', 'job'])).toMatchObject({ code: 3, stdout: '' });
    expect(compose(['wait', 'worker', 'nope'])).toMatchObject({ code: 125, stderr: 'Error: no such service: nope\n' });
    const until = String(Math.floor(Date.now() / 1000) + 1);
    const text = lines(compose(['events', '--since', String(t0), '--until', until]).stdout);
    expect(text.some((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} container start [0-9a-f]{64} \(.*name=shop-web-1.*\)$/.test(l))).toBe(true);
    const json = lines(compose(['events', '--json', '--since', String(t0), '--until', until, 'job']).stdout).map((l) => JSON.parse(l));
    expect(json.length).toBeGreaterThan(0);
    expect(new Set(json.map((e) => e.service))).toEqual(new Set(['job']));
    expect(json.map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'start', 'died']));
    expect(json[0]).toMatchObject({ type: 'container', id: expect.stringMatching(/^[0-9a-f]{64}$/), attributes: { name: 'shop-job-1', image: expect.stringContaining(busybox) } });
  }, 60_000);
});
