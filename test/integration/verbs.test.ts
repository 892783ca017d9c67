// Podman's verbs of issue 19 as the unprivileged user: export (a container's root filesystem as a
// tar that import takes back), container mount and unmount inside `tspod unshare`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Store, mirrorDockerHub, registry, run, tspodBin, userEnv } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('verbs');
let env: Record<string, string> = {};
const tspod = (args: string[], input?: string) => store.tspod(args, { env, input });
const user = userEnv();
let host: string;

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
  host = path.join(store.dir, 'host');
  fs.mkdirSync(host);
  fs.chownSync(host, user.uid, user.gid);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

const tarNames = (file: string) => spawnSync('tar', ['tf', file], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);

describe('export', () => {
  it("writes the container's root filesystem with its changes, which import makes an image of", () => {
    expect(tspod(['run', '--name', 'writer', 'busybox', 'sh', '-c', 'echo exported > /root/note && chown 1000:1000 /root/note && rm /bin/vi']).code).toBe(0);
    const out = tspod(['export', '-o', `${host}/writer.tar`, 'writer']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe('');
    expect(fs.statSync(`${host}/writer.tar`).uid).toBe(user.uid);
    const names = tarNames(`${host}/writer.tar`);
    expect(names).toContain('root/note');
    expect(names).toContain('bin/busybox');
    expect(names).not.toContain('bin/vi'); // deleted in the container: gone, not a whiteout
    expect(names.filter((n) => n.includes('.wh.'))).toEqual([]);
    const owner = spawnSync('tar', ['tvf', `${host}/writer.tar`, '--numeric-owner', 'root/note'], { encoding: 'utf8' }).stdout;
    expect(owner).toMatch(/^-rw-r--r-- 1000\/1000 +9 /);
    // container export to standard output, then import: the file is in the new image.
    const piped = run(['sh', '-c', `"$0" --root "$1" --runroot "$2" container export writer > "$3"`, tspodBin, store.root, store.runroot, `${host}/piped.tar`], { env });
    expect(piped.code, piped.stderr).toBe(0);
    expect(tarNames(`${host}/piped.tar`)).toEqual(names);
    expect(tspod(['import', `${host}/writer.tar`, 'exported']).code).toBe(0);
    expect(tspod(['run', '--rm', 'exported', 'cat', '/root/note']).stdout).toBe('exported\n');
  });

  it('refuses a missing container with exit code 125', () => {
    const r = tspod(['export', '-o', `${host}/none.tar`, 'nosuch']);
    expect(r.code).toBe(125);
    expect(r.stderr).toBe('Error: no container with name or ID "nosuch" found: no such container\n');
    expect(fs.existsSync(`${host}/none.tar`)).toBe(false);
  });
});
