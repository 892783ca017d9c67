// The other implementation users have: Debian's podman-compose (1.0.3) runs the seeds' project
// with --podman-path pointing at tspod (a wrapper adding the test store's --root/--runroot), as the
// unprivileged user. podman-compose turns each service into `podman network exists/create`,
// `podman volume inspect/create`, `podman run -d --name=<project>_<service>_<n> --net ... --network-alias ...`,
// and `down` into `podman stop -t 1`, `podman rm`; tspod must accept every one of those calls.
// The differences from `tspod compose` are in docs/compose.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Store, freePort, mirrorDockerHub, registry, runConcurrently, tspodBin } from './harness';
import { get, projectDir, seedProject, until } from './compose-files';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');
const podmanCompose = '/usr/bin/podman-compose';
if (!fs.existsSync(podmanCompose)) throw new Error('podman-compose is not installed: sudo scripts/setup-host.sh --test-users');

const store = new Store('compose-podman-compose');
let env: Record<string, string> = {};
let dir = '';
let wrapper = '';
let port = 0;
const tspod = (args: string[]) => store.tspod(args, { env });

/** podman-compose as the user in the project directory, driving tspod through the wrapper. */
async function pc(args: string[]) {
  // Not spawnSync: podman-compose takes seconds per call (it sleeps 1 s after each `podman run`),
  // and a worker blocked that long loses vitest's RPC.
  const [r] = await runConcurrently([['sh', '-c', 'cd "$0" && exec "$@"', dir, podmanCompose, '--podman-path', wrapper, ...args]], { env: { WEB_PORT: String(port) } });
  // podman-compose 1.0.3 exits 0 even when a podman call failed: each failed call prints "exit code: N".
  const failed = r.stdout.split('\n').filter((l) => /^exit code: [1-9]/.test(l));
  return { ...r, failed };
}


const projectContainers = () =>
  tspod(['ps', '-a', '--filter', 'label=io.podman.compose.project=seed', '--format', '{{.Names}} {{.State}}']).stdout.split('\n').filter(Boolean).sort();

beforeAll(async () => {
  env = mirrorDockerHub(store, ['busybox']);
  port = await freePort();
  dir = projectDir(store.dir, 'seed', { 'docker-compose.yml': seedProject });
  wrapper = path.join(store.dir, 'podman');
  fs.writeFileSync(
    wrapper,
    `#!/bin/sh\nexec env CONTAINERS_REGISTRIES_CONF=${env.CONTAINERS_REGISTRIES_CONF} ${tspodBin} --root ${store.root} --runroot ${store.runroot} "$@"\n`,
  );
  fs.chmodSync(wrapper, 0o755);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

describe('podman-compose --podman-path tspod with the seeds\' project', () => {
  it('up -d makes the network, the volume and both containers, the web port answers and web reaches mysql by name', async () => {
    const up = await pc(['-f', 'docker-compose.yml', 'up', '-d']);
    expect(up.failed, up.stdout + up.stderr).toEqual([]);
    expect(up.code).toBe(0);
    // podman-compose's own calls, as it printed them: tspod took each.
    expect(up.stdout).toContain("'network', 'exists', 'seed_new_bridge'");
    expect(up.stdout).toContain('--network-alias');

    expect(projectContainers()).toEqual(['seed_mysql_1 running', 'seed_web_1 running']);
    expect(tspod(['network', 'inspect', 'seed_new_bridge', '--format', '{{index .Labels "com.docker.compose.project"}}']).stdout.trim()).toBe('seed');
    expect(tspod(['volume', 'inspect', 'seed_db_data', '--format', '{{index .Labels "io.podman.compose.project"}}']).stdout.trim()).toBe('seed');
    expect(tspod(['inspect', 'seed_web_1', '--format', '{{index .Config.Labels "com.docker.compose.service"}}']).stdout.trim()).toBe('web');
    expect(tspod(['port', 'seed_web_1']).stdout).toBe(`80/tcp -> 0.0.0.0:${port}\n`);

    expect(await until('the web port', () => get(port), (v) => v.startsWith('200'))).toBe('200 wordpress on mysql:3306 as wordpress');
    const byName = tspod(['exec', 'seed_web_1', 'wget', '-qO-', 'http://mysql:3306/boots']);
    expect(byName.stderr).toBe('');
    expect(byName.stdout).toMatch(/^\d+\n$/);
  });

  it('ps lists the project\'s containers through tspod ps', async () => {
    const ps = await pc(['ps']);
    expect(ps.failed).toEqual([]);
    expect(ps.stdout).toMatch(/seed_web_1/);
    expect(ps.stdout).toMatch(/seed_mysql_1/);
  });

  it('exec, logs, run --rm, restart, pull, stop and start go through tspod too', async () => {
    const exec = await pc(['exec', '-T', 'mysql', 'cat', '/var/lib/mysql/boots']);
    expect(exec.failed, exec.stdout + exec.stderr).toEqual([]);
    expect(exec.stdout).toMatch(/^\d+$/m);
    const logs = await pc(['logs', 'mysql']);
    expect(logs.failed, logs.stdout + logs.stderr).toEqual([]);

    const oneOff = await pc(['run', '--rm', '--no-deps', '-T', 'mysql', 'cat', '/var/lib/mysql/boots']);
    expect(oneOff.failed, oneOff.stdout + oneOff.stderr).toEqual([]);
    expect(oneOff.stdout).toMatch(/^\d+$/m);
    expect(projectContainers()).toEqual(['seed_mysql_1 running', 'seed_web_1 running']); // --rm removed it
    const restart = await pc(['restart', 'web']);
    expect(restart.failed, restart.stdout + restart.stderr).toEqual([]);
    const pull = await pc(['pull']);
    expect(pull.failed, pull.stdout + pull.stderr).toEqual([]);

    const stop = await pc(['stop']);
    expect(stop.failed, stop.stdout + stop.stderr).toEqual([]);
    expect(projectContainers()).toEqual(['seed_mysql_1 exited', 'seed_web_1 exited']);
    const start = await pc(['start']);
    expect(start.failed, start.stdout + start.stderr).toEqual([]);
    expect(projectContainers()).toEqual(['seed_mysql_1 running', 'seed_web_1 running']);
    expect(tspod(['exec', 'seed_mysql_1', 'cat', '/var/lib/mysql/boots']).stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect(await until('the web port after start', () => get(port), (v) => v.startsWith('200'))).toBe('200 wordpress on mysql:3306 as wordpress');
  });

  it('down removes the containers and keeps the volume (and, as podman-compose 1.0.3 does, the network); up -d again finds the volume\'s data; down -v removes it', async () => {
    const down = await pc(['down']);
    expect(down.failed, down.stdout + down.stderr).toEqual([]);
    expect(projectContainers()).toEqual([]);
    expect(tspod(['volume', 'exists', 'seed_db_data']).code).toBe(0);
    expect(tspod(['network', 'exists', 'seed_new_bridge']).code).toBe(0);

    const up = await pc(['up', '-d']);
    expect(up.failed, up.stdout + up.stderr).toEqual([]);
    expect(projectContainers()).toEqual(['seed_mysql_1 running', 'seed_web_1 running']);
    const boots = tspod(['exec', 'seed_mysql_1', 'cat', '/var/lib/mysql/boots']).stdout.split('\n').filter(Boolean);
    expect(boots).toHaveLength(3);
    expect(await until('the web port after up again', () => get(port), (v) => v.startsWith('200'))).toBe('200 wordpress on mysql:3306 as wordpress');

    const downV = await pc(['down', '-v']);
    expect(downV.failed, downV.stdout + downV.stderr).toEqual([]);
    expect(projectContainers()).toEqual([]);
    expect(tspod(['volume', 'exists', 'seed_db_data']).code).toBe(1);
    expect(tspod(['network', 'rm', 'seed_new_bridge']).code).toBe(0);
  });
});
