// compose up/down and the lifecycle verbs as the unprivileged user (issue 23): a web service
// (busybox httpd publishing a port) and a db service writing to a named volume on a user network,
// with a one-shot job; up -d, the port, names between services, stop/start, recreation of the
// changed service only, --scale, depends_on service_healthy and service_completed_successfully
// (timestamps), logs' prefixes, run --rm's exit code, down -v; failures that name the service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { Store, asUser, freePort, get, registry, tspodBin, until } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('compose-up');
const busybox = `${registry}/library/busybox`;
const dir = path.join(store.dir, 'proj');
const tspod = (args: string[], env: Record<string, string> = {}) => store.tspod(args, { cwd: dir, env, timeoutMs: 90_000 });
const compose = (args: string[], env: Record<string, string> = {}) => tspod(['compose', ...args], env);
let port = 0;

/** The command succeeded; else its exit code and stderr in the failure. */
function ok(r: { code: number; stderr: string }): void {
  expect(`exit ${r.code}: ${r.stderr}`).toBe(`exit 0: ${r.stderr}`);
}



function writeProject(text: string, file = 'compose.yaml'): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.writeFileSync(path.join(dir, file), text);
  fs.chmodSync(path.join(dir, file), 0o644);
  fs.chownSync(dir, fs.statSync(store.dir).uid, fs.statSync(store.dir).gid);
}

const inspect = (name: string, format: string) => tspod(['inspect', '--format', format, name]).stdout.trim();
const states = () =>
  tspod(['ps', '-a', '--format', '{{.Names}} {{.State}}'])
    .stdout.split('\n')
    .filter(Boolean)
    .sort();

const project = () => `name: cup
services:
  web:
    image: ${busybox}
    environment:
      GREETING: \${GREETING:-one}
    command: ["sh", "-c", "mkdir -p /www && echo hello-$$GREETING > /www/index.html && exec httpd -f -p 80 -h /www"]
    ports: ["${port}:80"]
    networks: [back]
    depends_on:
      db: {condition: service_healthy}
      job: {condition: service_completed_successfully}
  db:
    image: ${busybox}
    command: ["sh", "-c", "date +%s >> /data/starts; sleep 2; touch /ready; exec sleep 1000"]
    volumes: ["data:/data"]
    networks: [back]
    healthcheck:
      test: ["CMD", "test", "-f", "/ready"]
      interval: 1s
      retries: 30
  job:
    image: ${busybox}
    command: ["sh", "-c", "echo job-done"]
    networks: [back]
networks:
  back: {}
volumes:
  data: {}
`;

beforeAll(async () => {
  expect(store.tspod(['pull', '-q', busybox]).code).toBe(0);
  port = await freePort();
  writeProject(project());
});

afterAll(() => {
  compose(['down', '-v', '-t', '0']);
  store.tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

describe('compose up -d of a two-service project with a job', () => {
  it('makes the network and volume, starts db healthy and the job done before web, and serves the port', async () => {
    const r = compose(['up', '-d']);
    expect(r.stderr).toContain('Network cup_back  Created');
    expect(r.stderr).toContain('Volume cup_data  Created');
    expect(r.stderr).toContain('Container cup-db-1  Healthy');
    expect(r.stderr).toContain('Container cup-web-1  Started');
    ok(r);
    expect(states()).toEqual(['cup-db-1 running', 'cup-job-1 exited', 'cup-web-1 running']);
    // web started only once db's healthcheck passed (its /ready comes 2 s after it starts) and the job had exited.
    const dbStart = Date.parse(inspect('cup-db-1', '{{.State.StartedAt}}'));
    const webStart = Date.parse(inspect('cup-web-1', '{{.State.StartedAt}}'));
    const jobEnd = Date.parse(inspect('cup-job-1', '{{.State.FinishedAt}}'));
    expect(webStart - dbStart).toBeGreaterThanOrEqual(2000);
    expect(webStart).toBeGreaterThanOrEqual(jobEnd);
    expect(inspect('cup-job-1', '{{.State.ExitCode}}')).toBe('0');
    expect(await until('the web port', () => get(port), (b) => b === '200 hello-one')).toBe('200 hello-one');
    expect(inspect('cup-web-1', '{{index .Config.Labels "com.docker.compose.project"}} {{index .Config.Labels "com.docker.compose.service"}} {{index .Config.Labels "com.docker.compose.container-number"}}')).toBe('cup web 1');
    expect(tspod(['volume', 'ls', '-q']).stdout).toBe('cup_data\n');
  });

  it('runs a one-off container that reaches web by name, with its exit code, and --rm removes it', () => {
    const r = compose(['run', '--rm', '--no-deps', '-T', 'db', 'wget', '-qO-', 'http://web/']);
    expect(r.stdout).toContain('hello-one');
    ok(r);
    expect(compose(['run', '--rm', '--no-deps', '-T', 'job', 'sh', '-c', 'exit 3']).code).toBe(3);
    expect(states()).toEqual(['cup-db-1 running', 'cup-job-1 exited', 'cup-web-1 running']);
  });

  it('prints logs with the container name as prefix', () => {
    const r = compose(['logs', 'job']);
    expect(r.stdout).toBe('cup-job-1 | job-done\n');
    expect(compose(['logs', '--no-log-prefix', 'job']).stdout).toBe('job-done\n');
    expect(compose(['logs', 'nope']).stderr).toContain('no such service: nope');
  });

  it('stops and starts the services; the volume keeps its data', async () => {
    const stop = compose(['stop', '-t', '0']);
    expect(stop.code).toBe(0);
    expect(stop.stderr.indexOf('Container cup-web-1  Stopped')).toBeLessThan(stop.stderr.indexOf('Container cup-db-1  Stopped'));
    expect(states()).toEqual(['cup-db-1 exited', 'cup-job-1 exited', 'cup-web-1 exited']);
    ok(compose(['start']));
    expect(await until('the web port again', () => get(port), (b) => b === '200 hello-one')).toBe('200 hello-one');
    expect(tspod(['exec', 'cup-db-1', 'sh', '-c', 'wc -l < /data/starts']).stdout.trim()).toBe('2');
  });

  it('recreates only the service whose configuration changed', async () => {
    const before = { web: inspect('cup-web-1', '{{.Id}}'), db: inspect('cup-db-1', '{{.Id}}') };
    const r = compose(['up', '-d', '-t', '0'], { GREETING: 'two' });
    ok(r);
    expect(r.stderr).toContain('Container cup-web-1  Recreated');
    expect(r.stderr).not.toContain('Container cup-db-1  Recreate');
    expect(inspect('cup-db-1', '{{.Id}}')).toBe(before.db);
    expect(inspect('cup-web-1', '{{.Id}}')).not.toBe(before.web);
    expect(await until('the new greeting', () => get(port), (b) => b === '200 hello-two')).toBe('200 hello-two');
  });

  it('scales a service up and back down', () => {
    ok(compose(['up', '-d', '--no-deps', '--scale', 'job=3', 'job']));
    expect(states().filter((s) => s.startsWith('cup-job-'))).toEqual(['cup-job-1 exited', 'cup-job-2 exited', 'cup-job-3 exited']);
    const r = compose(['up', '-d', '--no-deps', 'job']);
    expect(r.stderr).toContain('Container cup-job-3  Removed');
    expect(states().filter((s) => s.startsWith('cup-job-'))).toEqual(['cup-job-1 exited']);
    expect(compose(['up', '-d', '--scale', 'nope=2']).stderr).toContain('no such service: nope');
  });

  it('down -v removes the containers, the network and the volume', () => {
    const r = compose(['down', '-v', '-t', '0']);
    ok(r);
    expect(r.stderr.indexOf('Container cup-web-1  Removed')).toBeLessThan(r.stderr.indexOf('Container cup-db-1  Removed'));
    expect(r.stderr).toContain('Network cup_back  Removed');
    expect(r.stderr).toContain('Volume cup_data  Removed');
    expect(tspod(['ps', '-aq']).stdout).toBe('');
    expect(tspod(['volume', 'ls', '-q']).stdout).toBe('');
    expect(tspod(['network', 'ls', '--format', '{{.Name}}']).stdout).not.toContain('cup_back');
  });
});

describe('compose up failures', () => {
  it('names a job that failed and does not start what depends on it', () => {
    writeProject(`name: cfail
services:
  job:
    image: ${busybox}
    command: ["sh", "-c", "exit 4"]
  app:
    image: ${busybox}
    command: ["sleep", "1000"]
    depends_on:
      job: {condition: service_completed_successfully}
`, 'fail.yaml');
    const r = compose(['up', '-d', '--file', 'fail.yaml']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('service "job" didn\'t complete successfully: exit 4');
    expect(inspect('cfail-app-1', '{{.State.Status}}')).toBe('created');
    ok(compose(['down', '--file', 'fail.yaml', '-t', '0']));
    expect(tspod(['ps', '-aq']).stdout).toBe('');
  });
});

describe('compose up recreate', () => {
  it("keeps an image VOLUME's data across a recreate, and down -v removes that volume", () => {
    const file = (v: string) => `name: cvol
services:
  db:
    build:
      context: .
      dockerfile_inline: |
        FROM ${busybox}
        VOLUME /var/lib/db
    environment: {V: "${v}"}
    command: ["sh", "-c", "echo $$V >> /var/lib/db/boots; exec sleep 1000"]
    stop_signal: SIGKILL
`;
    writeProject(file('one'), 'vol.yaml');
    ok(compose(['up', '-d', '--file', 'vol.yaml']));
    const first = inspect('cvol-db-1', '{{.Id}}');
    writeProject(file('two'), 'vol.yaml');
    ok(compose(['up', '-d', '--file', 'vol.yaml']));
    expect(inspect('cvol-db-1', '{{.Id}}')).not.toBe(first);
    const boots = tspod(['exec', 'cvol-db-1', 'cat', '/var/lib/db/boots']);
    expect(boots.stdout).toBe('one\ntwo\n');
    const volumes = tspod(['volume', 'ls', '-q']).stdout.split('\n').filter(Boolean);
    expect(volumes).toHaveLength(1);
    ok(compose(['down', '-v', '--file', 'vol.yaml', '-t', '0']));
    expect(tspod(['volume', 'ls', '-q']).stdout).toBe('');
    expect(tspod(['ps', '-aq']).stdout).toBe('');
  });
});

describe('compose up attached', () => {
  const attached = () => `name: att
services:
  a:
    image: ${busybox}
    command: ["sh", "-c", "echo a-ready; trap 'exit 0' TERM; sleep 1000 & wait"]
  b:
    image: ${busybox}
    command: ["sh", "-c", "sleep 1; echo b-out; exit 5"]
`;

  it('--exit-code-from prints prefixed lines, stops the others when that service exits, and returns its code', () => {
    writeProject(attached(), 'att.yaml');
    const r = compose(['up', '--file', 'att.yaml', '--exit-code-from', 'b']);
    expect(r.stdout).toContain('att-a-1 | a-ready\n');
    expect(r.stdout).toContain('att-b-1 | b-out\n');
    expect(r.stdout).toContain('att-b-1 exited with code 5\n');
    expect(r.stderr).toContain('Aborting on container exit...');
    expect(r.code).toBe(5);
    expect(inspect('att-a-1', '{{.State.Status}}')).toBe('exited');
  });

  it('ctrl-c stops the containers and exits 130', async () => {
    const argv = asUser([tspodBin, '--root', store.root, '--runroot', store.runroot, 'compose', 'up', '--file', 'att.yaml', 'a']);
    const child = spawn(argv[0], argv.slice(1), { detached: true, cwd: dir });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    await until('the attached output', () => out, (o) => o.includes('att-a-1 | a-ready'), 60_000);
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(130);
    expect(err).toContain('Gracefully stopping... (press Ctrl+C again to force)');
    expect(out).toContain('att-a-1 exited with code 0');
    expect(inspect('att-a-1', '{{.State.Status}}')).toBe('exited');
    ok(compose(['down', '--file', 'att.yaml', '-t', '0']));
  });
});

describe('compose lifecycle verbs', () => {
  it('up --wait, pause/unpause, restart, kill, rm (asks for -f without a terminal)', () => {
    writeProject(`name: verbs
services:
  a:
    image: ${busybox}
    command: ["sh", "-c", "touch /ok; trap 'exit 0' TERM; sleep 1000 & wait"]
    healthcheck:
      test: ["CMD", "test", "-f", "/ok"]
      interval: 1s
`, 'verbs.yaml');
    const f = ['--file', 'verbs.yaml'];
    ok(compose(['up', ...f, '--wait', '--wait-timeout', '60']));
    expect(inspect('verbs-a-1', '{{.State.Health.Status}}')).toBe('healthy');
    // pause needs a freezer cgroup of the user's own (cgroups v2 delegation): elsewhere the engine's refusal comes through, naming the container.
    const pause = compose(['pause', ...f]);
    if (pause.code === 0) {
      expect(inspect('verbs-a-1', '{{.State.Status}}')).toBe('paused');
      ok(compose(['unpause', ...f]));
    } else expect(pause.stderr).toContain('verbs-a-1: cannot pause verbs-a-1: pause needs the cgroup freezer');
    expect(inspect('verbs-a-1', '{{.State.Status}}')).toBe('running');
    const started = inspect('verbs-a-1', '{{.State.StartedAt}}');
    ok(compose(['restart', ...f, '-t', '5']));
    expect(inspect('verbs-a-1', '{{.State.StartedAt}}')).not.toBe(started);
    ok(compose(['kill', ...f, '-s', 'SIGKILL']));
    expect(inspect('verbs-a-1', '{{.State.Status}}')).toBe('exited');
    const asked = compose(['rm', ...f]);
    expect(asked.code).toBe(125);
    expect(asked.stderr).toContain('use -f/--force');
    expect(compose(['kill', ...f, 'nope']).stderr).toContain('no such service: nope');
    const rm = compose(['rm', ...f, '-f']);
    ok(rm);
    expect(rm.stderr).toContain('Container verbs-a-1  Removed');
    expect(tspod(['ps', '-aq', '--filter', 'name=verbs']).stdout).toBe('');
    ok(compose(['down', ...f]));
  });
});
