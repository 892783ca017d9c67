// Podman's verbs of issue 19 as the unprivileged user: export (a container's root filesystem as a
// tar that import takes back), container mount and unmount inside `tspod unshare`, system df,
// system prune and system reset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { goHumanSize } from '../../src/human-units';
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

  it('exports a running container as it is, and refuses to write the tar to a terminal', () => {
    expect(tspod(['run', '-d', '--name', 'livex', 'busybox', 'sh', '-c', 'echo live > /tmp/now && sleep 1000']).code).toBe(0);
    expect(tspod(['exec', 'livex', 'cat', '/tmp/now']).stdout).toBe('live\n');
    const out = tspod(['export', '--output', `${host}/live.tar`, 'livex']);
    expect(out.code, out.stderr).toBe(0);
    expect(spawnSync('tar', ['xOf', `${host}/live.tar`, 'tmp/now'], { encoding: 'utf8' }).stdout).toBe('live\n');
    const tty = run(['script', '-qec', `${tspodBin} --root ${store.root} --runroot ${store.runroot} export livex`, '/dev/null'], { env });
    expect(tty.code).toBe(125);
    expect(tty.stdout).toBe('Error: refusing to export to terminal. Use -o flag or redirect\r\n');
    expect(tspod(['rm', '-f', '-t', '0', 'livex']).code).toBe(0);
  });

  it('refuses a missing container with exit code 125', () => {
    const r = tspod(['export', '-o', `${host}/none.tar`, 'nosuch']);
    expect(r.code).toBe(125);
    expect(r.stderr).toBe('Error: no container with name or ID "nosuch" found: no such container\n');
    expect(fs.existsSync(`${host}/none.tar`)).toBe(false);
  });
});

describe('container mount and unmount', () => {
  const inside = (script: string) => tspod(['unshare', 'sh', '-c', script.replaceAll('TSPOD', `${tspodBin} --root ${store.root} --runroot ${store.runroot}`)]);

  it('mounts a container inside tspod unshare: its files there, written ones seen by its run, until unmount', () => {
    expect(tspod(['create', '--name', 'mnt', 'busybox', 'cat', '/tmp/from-mount']).code).toBe(0);
    const id = tspod(['inspect', '--format', '{{.Id}}', 'mnt']).stdout.trim();
    const merged = path.join(store.root, 'containers', id, 'merged');
    const mounted = inside('p=$(TSPOD mount mnt) && echo "$p" && echo written > "$p/tmp/from-mount" && test -x "$p/bin/busybox"');
    expect(mounted.code, mounted.stderr).toBe(0);
    expect(mounted.stdout).toBe(`${merged}\n`);
    expect(tspod(['start', '-a', 'mnt']).stdout).toBe('written\n');
    // Still mounted after the run: listed, as JSON too; a second mount is counted.
    expect(inside('TSPOD mount').stdout).toBe(`${id.slice(0, 12)}  ${merged}\n`);
    expect(inside('TSPOD container mount --no-trunc').stdout).toBe(`${id}  ${merged}\n`);
    expect(JSON.parse(inside('TSPOD mount --format json').stdout)).toEqual([{ id, Names: ['mnt'], mountpoint: merged }]);
    expect(inside('TSPOD mount mnt').stdout).toBe(`${merged}\n`);
    expect(inside(`TSPOD umount mnt && TSPOD mount && (test -e ${merged}/bin/busybox && echo mounted || echo empty)`).stdout).toBe(`${id}\n${id.slice(0, 12)}  ${merged}\nmounted\n`);
    const last = inside(`TSPOD container unmount mnt; TSPOD mount; (test -e ${merged}/bin/busybox && echo mounted || echo empty)`);
    expect(last.stdout).toBe(`${id}\nempty\n`);
    const again = inside('TSPOD unmount mnt');
    expect([again.code, again.stderr]).toEqual([125, 'Error: container mnt is not mounted: nothing to unmount\n']);
    // Removing a mounted container unmounts it.
    expect(inside('TSPOD mount mnt').code).toBe(0);
    expect(tspod(['rm', 'mnt']).code).toBe(0);
    expect(inside(`(test -e ${merged}/bin/busybox && echo mounted || echo empty)`).stdout).toBe('empty\n');
  });

  it('is refused outside tspod unshare, as Podman refuses it rootless', () => {
    for (const [args, shown] of [[['mount'], 'tspod mount'], [['container', 'umount', '--all'], 'tspod container umount']] as const) {
      const r = tspod([...args]);
      expect([r.code, r.stdout, r.stderr]).toEqual([125, '', `Error: cannot run command "${shown}" in rootless mode, must execute \`tspod unshare\` first\n`]);
    }
  });
});

describe('system df and system prune', () => {
  const df = () => {
    const r = tspod(['system', 'df', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Array<{ Type: string; Total: number; Active: number; RawSize: number; RawReclaimable: number; Size: string; Reclaimable: string }>;
  };

  it('measures what images, containers and volumes take, and prune frees the unused ones', () => {
    tspod(['rm', '-af', '-t', '0']);
    tspod(['image', 'rm', '-f', 'exported']);
    expect(tspod(['volume', 'create', 'dfdata']).code).toBe(0);
    expect(tspod(['network', 'create', 'dfnet']).code).toBe(0);
    const wrote = tspod(['run', '--name', 'dfw', '-v', 'dfdata:/data', 'busybox', 'sh', '-c', 'head -c 100000 /dev/zero > /data/x && head -c 20000 /dev/zero > /y']);
    expect(wrote.code, wrote.stderr).toBe(0);
    expect(tspod(['run', '-d', '--name', 'dflive', 'busybox', 'sleep', '1000']).code).toBe(0);
    const imageSize = JSON.parse(tspod(['image', 'inspect', 'busybox']).stdout)[0].Size as number;
    const rows = df();
    expect(rows.map((r) => [r.Type, r.Total, r.Active, r.RawSize, r.RawReclaimable])).toEqual([
      ['Images', 1, 1, imageSize, 0],
      ['Containers', 2, 1, 20000, 20000],
      ['Local Volumes', 1, 1, 100000, 0],
    ]);
    expect(rows[1].Size).toBe('20kB');
    expect(rows[1].Reclaimable).toBe('20kB (100%)');
    const table = tspod(['system', 'df']).stdout.split('\n');
    expect(table[0]).toBe('TYPE           TOTAL       ACTIVE      SIZE        RECLAIMABLE');
    expect(table[2]).toBe('Containers     2           1           20kB        20kB (100%)');
    const verbose = tspod(['system', 'df', '-v']).stdout;
    expect(verbose).toMatch(/^Images space usage:\n\nREPOSITORY +TAG +IMAGE ID +CREATED +SIZE +SHARED SIZE +UNIQUE SIZE +CONTAINERS\n/);
    expect(verbose).toMatch(/\nLocal Volumes space usage:\n\nVOLUME NAME +LINKS +SIZE\ndfdata +1 +100kB\n$/);
    const both = tspod(['system', 'df', '-v', '--format', 'json']);
    expect([both.code, both.stderr]).toEqual([125, 'Error: cannot combine --format and --verbose flags\n']);

    // Without -f it asks; anything but y keeps everything.
    const asked = tspod(['system', 'prune'], 'n\n');
    expect(asked.code).toBe(0);
    expect(asked.stdout).toBe('WARNING! This command removes:\n\t- all stopped containers\n\t- all networks not used by at least one container\n\t- all dangling images\n\t- all dangling build cache\nAre you sure you want to continue? [y/N] ');
    expect(tspod(['container', 'exists', 'dfw']).code).toBe(0);

    const dfwId = tspod(['inspect', '--format', '{{.Id}}', 'dfw']).stdout.trim();
    const pruned = tspod(['system', 'prune', '--volumes'], 'y\n');
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain('\t- all volumes not used by at least one container\n');
    expect(pruned.stdout.split('[y/N] ')[1]).toBe(`Deleted Containers\n${dfwId}\nDeleted Volumes\ndfdata\nDeleted Networks\ndfnet\nTotal reclaimed space: 120kB\n`);
    expect(tspod(['ps', '-a', '--format', '{{.Names}}']).stdout).toBe('dflive\n');
    expect(tspod(['volume', 'ls', '-q']).stdout).toBe('');
    // The running container keeps its image even with -a; once it is gone, -a removes the image.
    expect(tspod(['system', 'prune', '-a', '-f']).stdout).toBe('Total reclaimed space: 0B\n');
    expect(tspod(['rm', '-f', '-t', '0', 'dflive']).code).toBe(0);
    const imageId = tspod(['image', 'inspect', '--format', '{{.Id}}', 'busybox']).stdout.trim();
    const all = tspod(['system', 'prune', '-a', '-f']);
    expect(all.stdout).toBe(`Deleted Images\n${imageId}\nTotal reclaimed space: ${goHumanSize(imageSize)}\n`);
    expect(df().map((r) => [r.Total, r.RawSize])).toEqual([[0, 0], [0, 0], [0, 0]]);
  });
});

describe('system reset', () => {
  it('asks first, then removes everything the store holds and ends the namespace; the next command starts afresh', () => {
    expect(tspod(['pull', '-q', 'busybox']).code).toBe(0);
    expect(tspod(['volume', 'create', 'resetvol']).code).toBe(0);
    expect(tspod(['network', 'create', 'resetnet']).code).toBe(0);
    expect(tspod(['run', '-d', '--name', 'resetlive', '-v', 'resetvol:/data', 'busybox', 'sleep', '1000']).code).toBe(0);
    const asked = tspod(['system', 'reset'], 'n\n');
    expect(asked.code).toBe(0);
    expect(asked.stdout).toBe(
      `WARNING! This will remove:\n        - all containers\n        - all images\n        - all networks\n        - all volumes\n        - the graphRoot directory: "${store.root}"\n        - the runRoot directory: "${store.runroot}"\nAre you sure you want to continue? [y/N] `,
    );
    expect(tspod(['container', 'exists', 'resetlive']).code).toBe(0);
    const holder = Number(fs.readFileSync(path.join(store.runroot, 'pause.pid'), 'utf8').split(' ')[0]);
    const reset = tspod(['system', 'reset', '-f']);
    expect([reset.code, reset.stdout, reset.stderr]).toEqual([0, '', '']);
    expect(fs.existsSync(store.root)).toBe(false);
    expect(fs.existsSync(store.runroot)).toBe(false);
    const state = spawnSync('ps', ['-o', 'stat=', '-p', String(holder)], { encoding: 'utf8' }).stdout.trim();
    expect(state === '' || state.startsWith('Z')).toBe(true); // killed (maybe not yet reaped)
    // A fresh store: empty lists, and it pulls and runs again.
    expect(tspod(['ps', '-aq']).stdout).toBe('');
    expect(tspod(['volume', 'ls', '-q']).stdout).toBe('');
    expect(tspod(['pull', '-q', 'busybox']).code).toBe(0);
    expect(tspod(['run', '--rm', 'busybox', 'echo', 'fresh']).stdout).toBe('fresh\n');
  });

  it("refuses a root that is not tspod's alone, before removing anything", () => {
    const r = store.tspod(['--root', '/', 'system', 'reset', '-f'], { env });
    expect([r.code, r.stderr]).toEqual([125, "Error: refusing to remove the root directory /: it is not tspod's alone (give --root a directory of its own)\n"]);
    expect(tspod(['image', 'exists', 'busybox']).code).toBe(0);
  });
});
