// `tspod compose` as a new user meets it (issue 23's "Done when"), as the unprivileged user: the
// seeds' WordPress + MySQL project with busybox stand-ins through up/ps/logs/exec/stop/start/down and
// its volume kept and removed; depends_on conditions read from tspod's own health state (timestamps);
// deploy.replicas and --scale; an edited service recreated alone; `config`; invalid files refused
// with file, line and key before anything is made. One store per describe.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Store, freePort, mirrorDockerHub, registry } from './harness';
import { get, projectDir, seedProject, until } from './compose-files';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

/** A store with busybox pulled through the Docker Hub mirror (so `image: busybox` resolves as a user's does). */
function composeStore(name: string) {
  const store = new Store(name);
  let env: Record<string, string> = {};
  const ctx = {
    store,
    dir: '',
    /** `tspod compose ...` in the project directory. */
    compose: (args: string[], extra: Record<string, string> = {}) =>
      store.tspod(['compose', ...args], { cwd: ctx.dir, env: { ...env, ...extra }, timeoutMs: 120_000 }),
    tspod: (args: string[]) => store.tspod(args, { env }),
    /** "name state" of the project's containers, found by their compose labels, sorted. */
    containers: (project: string) =>
      store
        .tspod(['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}} {{.State}}'], { env })
        .stdout.split('\n')
        .filter(Boolean)
        .sort(),
    id: (name: string) => store.tspod(['inspect', '--format', '{{.Id}}', name], { env }).stdout.trim(),
    inspect: (name: string, format: string) => store.tspod(['inspect', '--format', format, name], { env }).stdout.trim(),
    /** Nothing the project could have made: no containers, no networks but the default, no volumes. */
    nothingMade: () => {
      expect(store.tspod(['ps', '-a', '-q']).stdout).toBe('');
      expect(store.tspod(['network', 'ls', '--format', '{{.Name}}']).stdout.split('\n').filter(Boolean)).toEqual(['podman']);
      expect(store.tspod(['volume', 'ls', '-q']).stdout).toBe('');
    },
  };
  beforeAll(() => {
    env = mirrorDockerHub(store, ['busybox']);
  });
  afterAll(() => {
    store.tspod(['rm', '-af', '-t', '0']);
    store.cleanup();
  });
  return ctx;
}


const page = '200 wordpress on mysql:3306 as wordpress';

// The tests run tspod synchronously; a turn of the event loop after each lets the worker answer
// vitest's RPC in time (minutes of blocking in a row lost it: "Timeout calling onTaskUpdate").
afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

describe('the seeds\' project (web + mysql, a named volume, the new_bridge network)', () => {
  const t = composeStore('compose-seed');
  let port = 0;
  const boots = () => t.compose(['exec', '-T', 'mysql', 'cat', '/var/lib/mysql/boots']).stdout.split('\n').filter(Boolean);
  beforeAll(async () => {
    port = await freePort();
    t.dir = projectDir(t.store.dir, 'seed', { 'docker-compose.yml': seedProject });
  });

  it('up -d finds docker-compose.yml, makes the network, the volume and both containers; the web port answers from the host', async () => {
    const up = t.compose(['up', '-d'], { WEB_PORT: String(port) });
    expect(up.code, up.stderr).toBe(0);
    expect(t.containers('seed')).toEqual(['seed-mysql-1 running', 'seed-web-1 running']);
    expect(t.tspod(['network', 'exists', 'seed_new_bridge']).code).toBe(0);
    expect(t.tspod(['volume', 'exists', 'seed_db_data']).code).toBe(0);
    expect(t.inspect('seed-web-1', '{{index .Config.Labels "com.docker.compose.service"}} {{index .Config.Labels "com.docker.compose.container-number"}} {{index .Config.Labels "com.docker.compose.oneoff"}}')).toBe('web 1 False');
    expect(await until('the web port', () => get(port), (v) => v.startsWith('200'))).toBe(page);
  });

  it('the web container reaches mysql by its service name', () => {
    const ip = t.inspect('seed-mysql-1', '{{(index .NetworkSettings.Networks "seed_new_bridge").IPAddress}}');
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // Docker Compose's aliases: the service name and the container name.
    for (const name of ['mysql', 'seed-mysql-1']) {
      const ns = t.compose(['exec', '-T', 'web', 'nslookup', '-type=a', name]);
      expect(ns.stdout.split('\n').filter((l) => l.startsWith('Address: ')), `${name}: ${ns.stdout}${ns.stderr}`).toEqual([`Address: ${ip}`]);
    }
    const byName = t.compose(['exec', '-T', 'web', 'wget', '-qO-', 'http://mysql:3306/boots']);
    expect(byName.code, byName.stderr).toBe(0);
    expect(byName.stdout).toMatch(/^\d+\n$/);
  });

  it('ps lists both services, logs shows mysql\'s line, exec mysql sh runs in it with its environment', () => {
    const ps = t.compose(['ps']);
    expect(ps.code, ps.stderr).toBe(0);
    expect(ps.stdout).toMatch(/seed-web-1\s/);
    expect(ps.stdout).toMatch(/seed-mysql-1\s/);
    expect(ps.stdout).toContain(`:${port}->80/tcp`);
    expect(t.compose(['ps', '--services']).stdout.split('\n').filter(Boolean).sort()).toEqual(['mysql', 'web']);

    const logs = t.compose(['logs', 'mysql']);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/mysql.*\| mysql ready/);
    expect(logs.stdout).not.toMatch(/web.*\|/);

    const sh = t.compose(['exec', '-T', 'mysql', 'sh', '-c', 'echo $MYSQL_ROOT_PASSWORD; ls /var/lib/mysql']);
    expect(sh.code, sh.stderr).toBe(0);
    expect(sh.stdout).toBe('somewordpress\nboots\n');
    expect(boots()).toHaveLength(1);
  });

  it('stop stops both, start starts them again (the volume sees a second start), restart web alone keeps its port', async () => {
    const stop = t.compose(['stop', '-t', '1']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(t.containers('seed')).toEqual(['seed-mysql-1 exited', 'seed-web-1 exited']);
    expect(await get(port)).not.toMatch(/^200/);
    const start = t.compose(['start']);
    expect(start.code, start.stderr).toBe(0);
    expect(t.containers('seed')).toEqual(['seed-mysql-1 running', 'seed-web-1 running']);
    expect(await until('the web port after start', () => get(port), (v) => v.startsWith('200'))).toBe(page);
    expect(boots()).toHaveLength(2);
    // web alone, while mysql keeps the project's network up: its host port must be free again.
    const restart = t.compose(['restart', '-t', '1', 'web']);
    expect(restart.code, restart.stderr).toBe(0);
    expect(await until('the web port after restart', () => get(port), (v) => v.startsWith('200'))).toBe(page);
  });

  it('down removes containers and the network but keeps the volume; up -d finds its data; down -v removes it', async () => {
    const down = t.compose(['down', '-t', '1']);
    expect(down.code, down.stderr).toBe(0);
    expect(t.containers('seed')).toEqual([]);
    expect(t.tspod(['network', 'exists', 'seed_new_bridge']).code).toBe(1);
    expect(t.tspod(['volume', 'exists', 'seed_db_data']).code).toBe(0);

    const up = t.compose(['up', '-d'], { WEB_PORT: String(port) });
    expect(up.code, up.stderr).toBe(0);
    expect(boots()).toHaveLength(3);
    expect(await until('the web port after up again', () => get(port), (v) => v.startsWith('200'))).toBe(page);

    const downV = t.compose(['down', '-v', '-t', '1']);
    expect(downV.code, downV.stderr).toBe(0);
    t.nothingMade();
  });
});

describe('depends_on conditions, read from tspod\'s own health state', () => {
  const t = composeStore('compose-depends');
  const file = `services:
  db:
    image: busybox
    command: ["sh", "-c", "sleep 3; touch /ready; exec sleep 1000"]
    stop_signal: SIGKILL
    healthcheck:
      test: ["CMD", "test", "-f", "/ready"]
      interval: 1s
      retries: 30
  migrate:
    image: busybox
    command: ["sh", "-c", "sleep 2; echo migrated; exit \${MIGRATE_EXIT:-0}"]
  web:
    image: busybox
    command: ["sleep", "1000"]
    stop_signal: SIGKILL
    depends_on:
      db:
        condition: service_healthy
      migrate:
        condition: service_completed_successfully
`;
  beforeAll(() => {
    t.dir = projectDir(t.store.dir, 'deps', { 'compose.yaml': file });
  });
  const time = (name: string, field: 'StartedAt' | 'FinishedAt') => Date.parse(t.inspect(name, `{{.State.${field}}}`));

  it('web starts only after db is healthy and the one-shot migrate job has exited 0', () => {
    const up = t.compose(['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    expect(t.containers('deps')).toEqual(['deps-db-1 running', 'deps-migrate-1 exited', 'deps-web-1 running']);
    expect(t.inspect('deps-db-1', '{{.State.Health.Status}}')).toBe('healthy');
    expect(t.inspect('deps-migrate-1', '{{.State.ExitCode}}')).toBe('0');
    const dbStarted = time('deps-db-1', 'StartedAt');
    const migrateFinished = time('deps-migrate-1', 'FinishedAt');
    const webStarted = time('deps-web-1', 'StartedAt');
    // db touches /ready 3 s after it starts; its healthcheck can pass no earlier.
    expect(webStarted - dbStarted).toBeGreaterThanOrEqual(3000);
    expect(webStarted).toBeGreaterThanOrEqual(migrateFinished);
    expect(t.inspect('deps-web-1', '{{index .Config.Labels "com.docker.compose.depends_on"}}').split(',').sort()).toEqual([
      'db:service_healthy:false',
      'migrate:service_completed_successfully:false',
    ]);
    expect(t.compose(['down', '-t', '0']).code).toBe(0);
  });

  it('a one-shot job that fails stops up with an error naming it, and web is not started', () => {
    const up = t.compose(['up', '-d'], { MIGRATE_EXIT: '3' });
    expect(up.code).not.toBe(0);
    // Docker Compose: service "migrate" didn't complete successfully: exit 3
    expect(up.stderr).toMatch(/migrate.*complete.*\b3\b/i);
    expect(t.containers('deps').filter((c) => c.startsWith('deps-web-1 '))).not.toContain('deps-web-1 running');
    expect(t.compose(['down', '-t', '0']).code).toBe(0);
    t.nothingMade();
  });
});

describe('replicas, --scale and recreating only what changed', () => {
  const t = composeStore('compose-scale');
  const file = (color: string) => `services:
  web:
    image: busybox
    command: ["httpd", "-f", "-p", "80", "-h", "/var/www"]
    stop_signal: SIGKILL
    deploy:
      replicas: 3
  other:
    image: busybox
    command: ["sleep", "1000"]
    stop_signal: SIGKILL
    environment:
      COLOR: ${color}
`;
  const webs = () => t.containers('scale').filter((c) => c.startsWith('scale-web-'));
  beforeAll(() => {
    t.dir = projectDir(t.store.dir, 'scale', { 'compose.yaml': file('blue') });
  });

  it('deploy.replicas 3 runs three web containers', () => {
    const up = t.compose(['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    expect(webs()).toEqual(['scale-web-1 running', 'scale-web-2 running', 'scale-web-3 running']);
    expect(t.containers('scale')).toContain('scale-other-1 running');
  });

  it('changing one service\'s environment and up -d recreates that service only', () => {
    const before = Object.fromEntries(['scale-web-1', 'scale-web-2', 'scale-web-3', 'scale-other-1'].map((n) => [n, t.id(n)]));
    const same = t.compose(['up', '-d']);
    expect(same.code, same.stderr).toBe(0);
    for (const [n, id] of Object.entries(before)) expect(t.id(n), `${n} kept when nothing changed`).toBe(id);

    fs.writeFileSync(path.join(t.dir, 'compose.yaml'), file('red'));
    const up = t.compose(['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    expect(t.id('scale-other-1')).not.toBe(before['scale-other-1']);
    expect(t.compose(['exec', '-T', 'other', 'sh', '-c', 'echo $COLOR']).stdout).toBe('red\n');
    for (const n of ['scale-web-1', 'scale-web-2', 'scale-web-3']) expect(t.id(n), `${n} kept`).toBe(before[n]);
  });

  it('up --scale web=1 brings it to one, keeping the first', () => {
    const web1 = t.id('scale-web-1');
    const up = t.compose(['up', '-d', '--scale', 'web=1']);
    expect(up.code, up.stderr).toBe(0);
    expect(webs()).toEqual(['scale-web-1 running']);
    expect(t.id('scale-web-1')).toBe(web1);
    expect(t.compose(['down', '-t', '0']).code).toBe(0);
    t.nothingMade();
  });
});

describe('config, and invalid files refused before anything is made', () => {
  const t = composeStore('compose-config');
  beforeAll(() => {
    t.dir = projectDir(t.store.dir, 'cfg', {
      'compose.yaml': `name: cfg
services:
  web:
    image: busybox
    command: httpd -f -p 80
    environment:
      - GREETING=\${GREETING:-hello}
      - EMPTY
    ports:
      - "8080:80"
    volumes:
      - data:/data
      - ./site:/var/www:ro
volumes:
  data:
`,
      '.env': 'GREETING=from-dotenv\n',
    });
  });

  it('config prints the normalised project (long forms, interpolated, .env read) as YAML and JSON', () => {
    const yaml = t.compose(['config']);
    expect(yaml.code, yaml.stderr).toBe(0);
    expect(yaml.stdout).toMatch(/^name: cfg$/m);
    expect(yaml.stdout).toMatch(/target: 80$/m);
    expect(yaml.stdout).toMatch(/published: "8080"$/m);
    expect(yaml.stdout).toMatch(/GREETING: from-dotenv$/m);

    const json = t.compose(['config', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const p = JSON.parse(json.stdout);
    const web = p.services.web;
    expect(web.command).toEqual(['httpd', '-f', '-p', '80']);
    expect(web.environment.GREETING).toBe('from-dotenv');
    expect(web.ports).toEqual([expect.objectContaining({ target: 80, published: '8080', protocol: 'tcp' })]);
    expect(web.volumes).toEqual([
      expect.objectContaining({ type: 'volume', source: 'data', target: '/data' }),
      expect.objectContaining({ type: 'bind', source: path.join(t.dir, 'site'), target: '/var/www', read_only: true }),
    ]);
    expect(web.networks).toHaveProperty('default');
    expect(p.networks.default.name).toBe('cfg_default');
    expect(p.volumes.data.name).toBe('cfg_data');

    expect(t.compose(['config', '--services']).stdout).toBe('web\n');
    expect(t.compose(['config', '--volumes']).stdout).toBe('data\n');
    const q = t.compose(['config', '-q']);
    expect(q.code).toBe(0);
    expect(q.stdout).toBe('');
    expect(t.compose(['config'], { GREETING: 'from-env' }).stdout).toMatch(/GREETING: from-env$/m);
    t.nothingMade();
  });

  /** A file `bad.yaml` in the project; the line (1-based) of the first line containing marker. */
  function bad(text: string, marker: string): number {
    fs.writeFileSync(path.join(t.dir, 'bad.yaml'), text);
    fs.chmodSync(path.join(t.dir, 'bad.yaml'), 0o644);
    return text.split('\n').findIndex((l) => l.includes(marker)) + 1;
  }
  const cases: Array<[string, string, string, RegExp]> = [
    ['an unknown key', 'services:\n  web:\n    image: busybox\n    imagee: busybox\n', 'imagee', /services\.web.*imagee|imagee.*services\.web/],
    ['a wrong type', 'services:\n  web:\n    image: busybox\n    ports: 8080\n', 'ports', /services\.web\.ports/],
    ['a required variable unset', 'services:\n  web:\n    image: ${NO_SUCH_IMAGE_VAR:?set it to the image}\n', 'NO_SUCH', /services\.web\.image.*NO_SUCH_IMAGE_VAR|NO_SUCH_IMAGE_VAR.*services\.web\.image/],
    ['a malformed interpolation', 'services:\n  web:\n    image: busybox\n    environment:\n      A: "${A"\n', '${A', /services\.web\.environment/],
  ];
  for (const [what, text, marker, key] of cases) {
    it(`${what}: up -d and config fail naming the file, line and key, and nothing is made`, () => {
      const line = bad(text, marker);
      for (const args of [['-f', 'bad.yaml', 'up', '-d'], ['-f', 'bad.yaml', 'config']]) {
        const r = t.compose(args);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).not.toBe(0);
        expect(r.stderr).toMatch(new RegExp(`bad\\.yaml:${line}\\b`));
        expect(r.stderr).toMatch(key);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
      t.nothingMade();
    });
  }
});
