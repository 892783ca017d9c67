// containers.conf [containers] keyring = false: the runtime's create gets --no-new-keyring, so a
// container keeps its monitor's session keyring instead of a new one named after its ID, and
// running containers no longer count against the user's kernel key quota (kernel.keys.maxkeys).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Store, registry, userEnv } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

describe('containers.conf keyring', () => {
  const store = new Store('keyring');
  const image = `${registry}/library/busybox`;
  const conf = path.join(store.dir, 'containers.conf');
  beforeAll(() => {
    fs.writeFileSync(conf, '[containers]\nkeyring = false\n');
    fs.chmodSync(conf, 0o644);
    expect(store.tspod(['pull', '-q', image]).code).toBe(0);
  });
  afterAll(async () => {
    store.tspod(['rm', '-af', '-t', '0']);
    // The monitors finish their own cleanup after rm has returned (it opens the store again).
    const left = () => spawnSync('pgrep', ['-u', String(userEnv().uid), '-f', store.dir], { encoding: 'utf8' }).stdout;
    const deadline = Date.now() + 20_000;
    while (left() !== '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    store.cleanup();
  });
  // The host's /proc/keys lists the keys its reader can see: a session keyring of the container's
  // own is a keyring named with the container's ID (the path itself is masked inside).
  const keysSeen = (env: Record<string, string>) => {
    const r = store.tspod(['run', '-d', '-v', '/proc/keys:/run/hostkeys:ro', image, 'sh', '-c', 'cat /run/hostkeys; sleep 60'], { env });
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    let logs = '';
    for (let i = 0; i < 100 && !logs.includes('keyring'); i++) logs = store.tspod(['logs', id]).stdout;
    return { id, logs };
  };

  it('gives each container a session keyring of its own by default, as Podman does', () => {
    const { id, logs } = keysSeen({});
    expect(logs).toContain(`keyring   _ses.${id}: empty`);
  });

  it('with keyring = false the container runs in the session keyring it was started in', () => {
    const { id, logs } = keysSeen({ TSPOD_CONF: conf });
    expect(logs).toMatch(/keyring/);
    expect(logs).not.toContain(id);
    const inspect = store.tspod(['inspect', '--format', '{{.State.Status}}', id]);
    expect(inspect.stdout).toBe('running\n');
  });
});
