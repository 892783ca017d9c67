// Volumes, bind mounts and tmpfs as the unprivileged user: data that outlives its container,
// host directories with the right owners, read-only mounts, tmpfs, anonymous volumes from an
// image's VOLUME (pre-filled, removed with the container), refusals that keep data, export/import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Store, mirrorDockerHub, registry, userEnv } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('volumes');
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

const volumes = () => tspod(['volume', 'ls', '-q']).stdout.split('\n').filter(Boolean).sort();

describe('named volumes', () => {
  it('keep data a removed container wrote for the next one, at the mountpoint inspect shows', () => {
    const w = tspod(['run', '--name', 'writer', '-v', 'data:/var/lib/app', 'busybox', 'sh', '-c', 'echo kept > /var/lib/app/file && chown 1000:1000 /var/lib/app/file']);
    expect(w.code, w.stderr).toBe(0);
    expect(tspod(['rm', 'writer']).code).toBe(0);
    expect(tspod(['run', '--rm', '-v', 'data:/var/lib/app', 'busybox', 'cat', '/var/lib/app/file']).stdout).toBe('kept\n');
    const [info] = JSON.parse(tspod(['volume', 'inspect', 'data']).stdout);
    expect(info).toMatchObject({ Name: 'data', Driver: 'local', Scope: 'local' });
    expect(info.Mountpoint).toBe(path.join(store.root, 'volumes', 'data', '_data'));
    expect(fs.readFileSync(path.join(info.Mountpoint, 'file'), 'utf8')).toBe('kept\n');
    // Owned by uid 1000 inside: the user's subordinate ID 999 above the range start on the host.
    const start = Number(fs.readFileSync('/etc/subuid', 'utf8').split('\n').find((l) => l.startsWith(`${user.user}:`))!.split(':')[1]);
    expect(fs.statSync(path.join(info.Mountpoint, 'file')).uid).toBe(start + 999);
    expect(tspod(['volume', 'ls']).stdout).toMatch(/^DRIVER\s+VOLUME NAME\nlocal\s+data\n$/);
    // Podman's widths (tabwriter, columns at least 12), and inspect's templates as Podman runs them.
    expect(tspod(['volume', 'ls']).stdout).toBe('DRIVER      VOLUME NAME\nlocal       data\n');
    expect(tspod(['volume', 'ls', '--format', 'table {{.Name}} {{.Driver}}']).stdout).toBe('VOLUME NAME  DRIVER\ndata         local\n');
    expect(tspod(['volume', 'inspect', '--format', '{{.Name}}\\t{{.Scope}}', 'data']).stdout).toBe('data\tlocal\n');
    expect(tspod(['volume', 'inspect', '--format', '{{range .}}{{.Name}}={{len .Labels}},{{end}}', 'data']).stdout).toBe('data=0,\n');
  });

  it('refuse removal while in use, keeping the data; --force removes the container too; prune asks', () => {
    expect(tspod(['create', '--name', 'user1', '-v', 'data:/d', 'busybox', 'true']).code).toBe(0);
    const rm = tspod(['volume', 'rm', 'data']);
    expect(rm.code).toBe(2); // Podman's code for a volume in use
    expect(rm.stderr).toBe('Error: volume data is being used by container user1: remove it first, or use --force to remove it with the volume\n');
    expect(tspod(['run', '--rm', '-v', 'data:/d', 'busybox', 'cat', '/d/file']).stdout).toBe('kept\n');
    // Removing the container never removes a named volume, even with -v.
    expect(tspod(['rm', '-v', 'user1']).code).toBe(0);
    expect(volumes()).toContain('data');
    expect(tspod(['volume', 'create', 'spare']).stdout).toBe('spare\n');
    expect(tspod(['volume', 'create', 'spare']).stderr).toMatch(/volume with name spare already exists/);
    expect(tspod(['create', '--name', 'user2', '-v', 'spare:/s', 'busybox', 'true']).code).toBe(0);
    const no = tspod(['volume', 'prune'], 'n\n');
    expect(no.stdout).toMatch(/WARNING! This will remove these volumes and their data:\n {2}data\n/);
    expect(volumes()).toEqual(['data', 'spare']);
    expect(tspod(['volume', 'prune'], 'y\n').stdout).toMatch(/\[y\/N\] data\n$/);
    expect(volumes()).toEqual(['spare']);
    expect(tspod(['volume', 'rm', '-f', 'spare']).code).toBe(0);
    expect(tspod(['container', 'exists', 'user2']).code).toBe(1);
    expect(tspod(['volume', 'inspect', 'spare'])).toMatchObject({ code: 125, stdout: '[]\n', stderr: 'Error: no such volume spare\n' }); // Podman 5's words
  });

  it('export and import a volume as tar, with :U giving it to the container user', () => {
    expect(tspod(['run', '--rm', '-v', 'src:/s', 'busybox', 'sh', '-c', 'mkdir /s/dir && echo a > /s/dir/a && chown -R 123:45 /s/dir']).code).toBe(0);
    const tar = path.join(host, 'src.tar');
    const exp = tspod(['volume', 'export', '-o', tar, 'src']);
    expect(exp.code, exp.stderr).toBe(0);
    expect(tspod(['volume', 'create', 'copy']).code).toBe(0);
    expect(tspod(['volume', 'import', 'copy', tar]).code).toBe(0);
    expect(tspod(['run', '--rm', '-v', 'copy:/c', 'busybox', 'stat', '-c', '%u:%g %n', '/c/dir/a']).stdout).toBe('123:45 /c/dir/a\n');
    expect(tspod(['run', '--rm', '--user', '2000:2000', '-v', 'copy:/c:U', 'busybox', 'stat', '-c', '%u:%g', '/c/dir/a']).stdout).toBe('2000:2000\n');
    expect(tspod(['volume', 'import', 'copy', path.join(host, 'missing.tar')]).stderr).toMatch(/no such file/);
  });
});

describe("a volume's subpath", () => {
  it('mounts a directory of the volume, and never one a symbolic link in it leads to outside the volume', () => {
    expect(tspod(['run', '--rm', '-v', 'links:/d', 'busybox', 'sh', '-c', 'mkdir /d/sub && echo in > /d/sub/f && ln -s / /d/esc && ln -s sub /d/inside']).code).toBe(0);
    expect(tspod(['run', '--rm', '--mount', 'type=volume,source=links,target=/x,subpath=sub', 'busybox', 'cat', '/x/f'])).toMatchObject({ code: 0, stdout: 'in\n' });
    // A link that stays inside the volume is followed.
    expect(tspod(['run', '--rm', '--mount', 'type=volume,source=links,target=/x,subpath=inside', 'busybox', 'cat', '/x/f'])).toMatchObject({ code: 0, stdout: 'in\n' });
    const esc = tspod(['run', '--rm', '--mount', 'type=volume,source=links,target=/x,subpath=esc', 'busybox', 'ls', '/x']);
    expect(esc.code).toBe(125);
    expect(esc.stdout).toBe('');
    expect(esc.stderr).toMatch(/^Error: subpath \/?esc of volume links leads out of the volume \(to \/\) through a symbolic link: a mount is never given more than its volume/m);
    tspod(['rm', '-af', '-t', '0']);
    expect(tspod(['volume', 'rm', 'links']).code).toBe(0);
  });
});

describe('bind mounts and tmpfs', () => {
  it('let the container write a host directory as the user, and :ro refuses writes', () => {
    const dir = path.join(host, 'shared');
    fs.mkdirSync(dir);
    fs.chownSync(dir, user.uid, user.gid);
    const w = tspod(['run', '--rm', '-v', `${dir}:/shared`, 'busybox', 'sh', '-c', 'echo from-container > /shared/out']);
    expect(w.code, w.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out'), 'utf8')).toBe('from-container\n');
    expect(fs.statSync(path.join(dir, 'out')).uid).toBe(user.uid);
    const ro = tspod(['run', '--rm', '--mount', `type=bind,source=${dir},target=/shared,readonly`, 'busybox', 'sh', '-c', 'echo x > /shared/out2']);
    expect(ro.code).not.toBe(0);
    expect(ro.stderr).toMatch(/Read-only file system/);
    expect(tspod(['run', '--rm', '-v', `${dir}:/shared:ro`, 'busybox', 'touch', '/shared/x']).stderr).toMatch(/Read-only file system/);
    expect(fs.existsSync(path.join(dir, 'out2'))).toBe(false);
    const missing = tspod(['run', '--rm', '-v', `${host}/nowhere:/x`, 'busybox', 'true']);
    expect(missing.code).toBe(125);
    expect(missing.stderr).toMatch(/bind source .*nowhere does not exist: create it first/);
    expect(fs.existsSync(path.join(host, 'nowhere'))).toBe(false);
  });

  it('--tmpfs is a tmpfs inside, and its files are gone once the container stops', () => {
    expect(tspod(['run', '-d', '--name', 'tmp', '--tmpfs', '/scratch:size=8m', 'busybox', 'sleep', '1000']).code).toBe(0);
    expect(tspod(['exec', 'tmp', 'sh', '-c', 'grep " /scratch " /proc/mounts | cut -d" " -f3']).stdout).toBe('tmpfs\n');
    expect(tspod(['exec', 'tmp', 'sh', '-c', 'echo x > /scratch/f && ls /scratch']).stdout).toBe('f\n');
    expect(tspod(['stop', '-t', '0', 'tmp']).code).toBe(0);
    expect(tspod(['start', 'tmp']).code).toBe(0);
    expect(tspod(['exec', 'tmp', 'ls', '/scratch']).stdout).toBe('');
    expect(tspod(['rm', '-f', 'tmp']).code).toBe(0);
  });

  it('explains bad -v, --mount and --tmpfs values', () => {
    expect(tspod(['run', '--rm', '-v', 'data:relative', 'busybox', 'true']).stderr).toMatch(/the container path "relative" must be absolute/);
    expect(tspod(['run', '--rm', '-v', 'data:/x:bogus', 'busybox', 'true']).stderr).toMatch(/invalid option "bogus"/);
    expect(tspod(['run', '--rm', '--mount', 'type=nfs,target=/x', 'busybox', 'true']).stderr).toMatch(/type must be volume, bind or tmpfs/);
    expect(tspod(['run', '--rm', '--tmpfs', '/x:size=lots', 'busybox', 'true']).stderr).toMatch(/invalid option "size=lots"/);
    expect(tspod(['run', '--rm', '-v', 'a:/x', '-v', 'b:/x', 'busybox', 'true']).stderr).toMatch(/\/x: duplicate mount destination/);
  });
});

describe("an image's VOLUME", () => {
  it('becomes an anonymous volume filled from the image, removed by run --rm and rm -v', () => {
    expect(tspod(['run', '--name', 'seeder', 'busybox', 'sh', '-c', 'mkdir /data && echo seed > /data/seed && chown -R 7:7 /data']).code).toBe(0);
    expect(tspod(['commit', '-c', 'VOLUME /data', 'seeder', 'localhost/seeded']).code).toBe(0);
    expect(tspod(['rm', 'seeder']).code).toBe(0);
    const before = volumes();
    expect(tspod(['run', '--rm', 'localhost/seeded', 'sh', '-c', 'cat /data/seed; stat -c %u /data/seed; grep " /data " /proc/mounts | wc -l']).stdout).toBe('seed\n7\n1\n');
    expect(volumes()).toEqual(before);
    expect(tspod(['run', '-d', '--name', 'anon', 'localhost/seeded', 'sleep', '1000']).code).toBe(0);
    const added = volumes().filter((v) => !before.includes(v));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(tspod(['inspect', 'anon']).stdout)[0].Mounts).toEqual([expect.objectContaining({ Type: 'volume', Name: added[0], Destination: '/data', RW: true })]);
    // nocopy leaves a new volume empty; a named one over /data is used instead of an anonymous one.
    expect(tspod(['run', '--rm', '-v', 'empty:/data:nocopy', 'localhost/seeded', 'ls', '/data']).stdout).toBe('');
    expect(tspod(['rm', '-f', '-v', 'anon']).code).toBe(0);
    expect(volumes()).toEqual([...before, 'empty'].sort());
  });
});
