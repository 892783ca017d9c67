// docker-compose 1.29 (Debian's, Python, docker-py) against `tspod system service` as the unprivileged
// user (issue 24): a db service writing into a named volume and serving it, a web service publishing a
// port that serves the same volume, both on a user network; up -d, ps, logs, exec -T (the name db
// resolves from web), down -v leaving nothing; and a build through the API (COMPOSE_DOCKER_CLI_BUILD=0).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ApiService } from './api-harness';
import { Store, freePort, registry, run, until, userEnv, get, type RunResult } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('api-compose');
const api = new ApiService(store);
const busybox = `${registry}/library/busybox:latest`;
const dir = path.join(store.dir, 'proj');
const u = userEnv(store.user);
let port = 0;

function ok(r: RunResult): RunResult {
  expect(`exit ${r.code}: ${r.stderr}`).toBe(`exit 0: ${r.stderr}`);
  return r;
}

/** docker-compose as the test user in the project directory, pointed at the service. */
function compose(args: string[], file = 'docker-compose.yml'): RunResult {
  return run(['docker-compose', '-p', 'apiproj', '-f', file, ...args], {
    user: store.user,
    cwd: dir,
    timeoutMs: 120_000,
    env: { DOCKER_HOST: api.host, COMPOSE_DOCKER_CLI_BUILD: '0', DOCKER_BUILDKIT: '0', DOCKER_CONFIG: path.join(store.dir, 'docker-config') },
  });
}



function write(rel: string, text: string): void {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  for (let d = p; d.startsWith(dir); d = path.dirname(d)) fs.chownSync(d, u.uid, u.gid);
}

beforeAll(async () => {
  port = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  fs.chownSync(dir, u.uid, u.gid);
  write(
    'docker-compose.yml',
    `version: "3.8"
services:
  db:
    image: ${busybox}
    command: ["sh", "-c", "echo from-db > /data/index.html && echo db ready && exec httpd -f -p 8080 -h /data"]
    volumes: ["data:/data"]
    networks: ["back"]
  web:
    image: ${busybox}
    depends_on: ["db"]
    command: ["sh", "-c", "echo web starting && exec httpd -f -p 80 -h /www"]
    ports: ["${port}:80"]
    volumes: ["data:/www:ro"]
    networks: ["back"]
    environment:
      GREETING: hello
volumes:
  data: {}
networks:
  back: {}
`,
  );
  write('build.yml', `version: "3.8"\nservices:\n  tool:\n    build: ./tool\n    image: apiproj-tool:latest\n`);
  write('tool/Dockerfile', `FROM ${busybox}\nARG WHO=nobody\nRUN echo built-for-$WHO > /built\nCMD ["cat", "/built"]\n`);
  await api.start();
  const pull = api.docker(['pull', busybox], { timeoutMs: 60_000 });
  if (pull.code !== 0) throw new Error(`docker pull: ${pull.stderr}`);
});

afterAll(async () => {
  compose(['down', '-v', '-t', '1']);
  store.tspod(['rm', '-af', '-t', '0']);
  await api.stop();
  store.cleanup();
});

describe('docker-compose 1.29 against tspod system service', () => {
  it('is the Debian docker-compose 1.29', () => {
    expect(ok(run(['docker-compose', 'version', '--short'], { user: store.user })).stdout.trim()).toMatch(/^1\.29\./);
  });

  it('up -d creates the network, the volume and both services, and the port answers', async () => {
    const up = ok(compose(['up', '-d']));
    expect(up.stderr).toMatch(/Creating network "apiproj_back"/);
    expect(up.stderr).toMatch(/Creating volume "apiproj_data"/);
    expect(up.stderr).toMatch(/Creating apiproj_db_1 \.\.\. done/);
    expect(up.stderr).toMatch(/Creating apiproj_web_1 \.\.\. done/);
    expect(await until('GET on web', () => get(port), (b) => b === '200 from-db', 20_000)).toBe('200 from-db');
    expect(store.tspod(['ps', '--format', '{{.Names}}']).stdout.trim().split('\n').sort()).toEqual(['apiproj_db_1', 'apiproj_web_1']);
    expect(store.tspod(['volume', 'ls', '-q']).stdout.trim()).toBe('apiproj_data');
    expect(store.tspod(['network', 'exists', 'apiproj_back']).code).toBe(0);
  });

  it('ps lists both services up, with the published port', () => {
    const ps = ok(compose(['ps']));
    const lines = ps.stdout.trim().split('\n');
    expect(lines.find((l) => l.startsWith('apiproj_db_1 '))).toMatch(/\sUp\s/);
    expect(lines.find((l) => l.startsWith('apiproj_web_1 '))).toMatch(new RegExp(`\\sUp\\s.*:${port}->80/tcp`));
    expect(ok(compose(['ps', '-q'])).stdout.trim().split('\n')).toHaveLength(2);
  });

  it('logs prints each service with its prefix', () => {
    const logs = ok(compose(['logs', '--no-color']));
    expect(logs.stdout).toMatch(/^db_1\s+\| db ready$/m);
    expect(logs.stdout).toMatch(/^web_1\s+\| web starting$/m);
    expect(ok(compose(['logs', '--no-color', 'web'])).stdout).not.toMatch(/db ready/);
  });

  it('exec -T runs in the service, with its environment and exit code, and db resolves by name on the network', () => {
    expect(ok(compose(['exec', '-T', 'web', 'sh', '-c', 'echo $GREETING; cat /www/index.html'])).stdout).toBe('hello\nfrom-db\n');
    // busybox's own resolver (the static busybox's wget and nc crash in getaddrinfo)
    expect(ok(compose(['exec', '-T', 'web', 'nslookup', 'db'])).stdout).toMatch(/^Name:\s+db(\.\S+)?\nAddress: \d+\.\d+\.\d+\.\d+$/m);
    const failed = compose(['exec', '-T', 'web', 'sh', '-c', 'exit 5']);
    expect(failed.code).toBe(5);
  });

  it('down -v removes the containers, the network and the volume', () => {
    const down = ok(compose(['down', '-v', '-t', '1']));
    expect(down.stderr).toMatch(/Removing apiproj_web_1 \.\.\. done/);
    expect(down.stderr).toMatch(/Removing network apiproj_back/);
    expect(down.stderr).toMatch(/Removing volume apiproj_data/);
    expect(store.tspod(['ps', '-aq']).stdout).toBe('');
    expect(store.tspod(['volume', 'ls', '-q']).stdout).toBe('');
    expect(store.tspod(['network', 'exists', 'apiproj_back']).code).toBe(1);
    expect(ok(compose(['ps', '-q'])).stdout.trim()).toBe('');
  });

  it('build through the API with a build arg, then run the image', () => {
    const b = ok(compose(['build', '--build-arg', 'WHO=compose', 'tool'], 'build.yml'));
    expect(b.stdout + b.stderr).toMatch(/Successfully built [0-9a-f]{12}/);
    expect(b.stdout + b.stderr).toMatch(/Successfully tagged apiproj-tool:latest/);
    expect(ok(api.docker(['run', '--rm', 'apiproj-tool:latest'])).stdout).toBe('built-for-compose\n');
  });
});
