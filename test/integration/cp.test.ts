// cp sees what the container sees, as the unprivileged user: files under its named volumes, bind
// mounts and tmpfs, its generated /etc/hostname, /etc/hosts and /etc/resolv.conf, in both
// directions, running and stopped; symlinks kept exactly as they are (an absolute target stays
// absolute, on the host too); a hostile archive or symlink never writes outside the container or
// the volume; and what a start would throw away (a stopped container's tmpfs, its generated files)
// is refused with a clear error instead of being written where nobody will see it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { Store, mirrorDockerHub, registry, userEnv } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('cp');
let env: Record<string, string> = {};
const tspod = (args: string[], input?: string | Buffer) => store.tspod(args, { env, input: input as string });
const user = userEnv();
let host: string;
let bind: string;

/** Files on the host that the test user owns, as files of theirs would be. */
function own(...ps: string[]): void {
  for (const p of ps) fs.lchownSync(p, user.uid, user.gid);
}

function hostFile(name: string, text: string): string {
  const p = path.join(host, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  own(path.dirname(p), p);
  return p;
}

/** What `cp CONTAINER:PATH -` printed: the tar's listing (type, name, link target) and one member's content. */
function tarOut(stdout: string, member?: string): { list: string[]; content?: string } {
  const input = Buffer.from(stdout, 'latin1');
  const list = spawnSync('tar', ['tvf', '-'], { input, encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map((l) => {
    const f = l.split(/\s+/);
    return `${f[0][0]} ${f.slice(5).join(' ')}`;
  });
  const content = member ? spawnSync('tar', ['xOf', '-', member], { input, encoding: 'utf8' }).stdout : undefined;
  return { list, content };
}

/** A tar stream of header+data blocks made by hand, as a hostile archive would be. */
function craftedTar(entries: Array<{ path: string; type: 'File' | 'SymbolicLink' | 'Directory'; linkpath?: string; data?: string }>): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data ?? '');
    const block = Buffer.alloc(512);
    new tar.Header({ path: e.path, type: e.type, linkpath: e.linkpath ?? '', size: data.length, mode: e.type === 'File' ? 0o644 : 0o755, mtime: new Date(0), uid: 0, gid: 0 }).encode(block);
    blocks.push(block, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  return Buffer.concat([...blocks, Buffer.alloc(1024)]);
}

beforeAll(() => {
  env = mirrorDockerHub(store, ['debian']);
  host = path.join(store.dir, 'host');
  bind = path.join(store.dir, 'bind');
  fs.mkdirSync(host);
  fs.mkdirSync(bind);
  own(host, bind);
  fs.writeFileSync(`${bind}/b.txt`, 'on the bind mount\n');
  own(`${bind}/b.txt`);
  expect(tspod(['volume', 'create', 'data']).code).toBe(0);
  const started = tspod(['run', '-d', '--name', 'web', '--hostname', 'webhost', '--add-host', 'db.local:10.1.2.3', '-v', 'data:/vol', '-v', `${bind}:/bnd`, '--tmpfs', '/scratch', 'debian', 'sh', '-c', 'ln -s /vol /vlink; echo in the volume > /vol/f; echo in the tmpfs > /scratch/t; sleep 1000']);
  expect(started.code, started.stderr).toBe(0);
  for (let i = 0; i < 50 && tspod(['exec', 'web', 'test', '-e', '/scratch/t']).code !== 0; i++) spawnSync('sleep', ['0.1']);
});

afterAll(() => {
  tspod(['rm', '-af']);
  store.cleanup();
});

describe('cp of a running container', () => {
  it('reads files under its volume, bind mount and tmpfs', () => {
    const vol = tspod(['cp', 'web:/vol/f', '-']);
    expect([vol.code, vol.stderr]).toEqual([0, '']);
    expect(tarOut(vol.stdout, 'f').content).toBe('in the volume\n');
    expect(tarOut(tspod(['cp', 'web:/scratch/t', '-']).stdout, 't').content).toBe('in the tmpfs\n');
    const out = tspod(['cp', 'web:/bnd/b.txt', `${host}/b-copy`]);
    expect([out.code, out.stderr]).toEqual([0, '']);
    expect(fs.readFileSync(`${host}/b-copy`, 'utf8')).toBe('on the bind mount\n');
  });

  it('writes files into its volume, bind mount and tmpfs, where it sees them', () => {
    const note = hostFile('note.txt', 'from the host\n');
    for (const dir of ['/vol', '/bnd', '/scratch']) {
      const r = tspod(['cp', note, `web:${dir}/`]);
      expect([r.code, r.stderr], dir).toEqual([0, '']);
      expect(tspod(['exec', 'web', 'cat', `${dir}/note.txt`]).stdout, dir).toBe('from the host\n');
    }
    expect(fs.readFileSync(`${bind}/note.txt`, 'utf8')).toBe('from the host\n');
    // A directory into the volume, by Docker's rules (a new name).
    hostFile('site/index.html', '<h1>hi</h1>\n');
    expect(tspod(['cp', `${host}/site`, 'web:/vol/site']).code).toBe(0);
    expect(tspod(['exec', 'web', 'cat', '/vol/site/index.html']).stdout).toBe('<h1>hi</h1>\n');
  });

  it('reads its generated hostname, hosts and resolv.conf, not the image\'s empty files', () => {
    for (const f of ['/etc/hostname', '/etc/hosts', '/etc/resolv.conf']) {
      const seen = tspod(['exec', 'web', 'cat', f]).stdout;
      expect(seen.length, f).toBeGreaterThan(0);
      const r = tspod(['cp', `web:${f}`, '-']);
      expect([r.code, r.stderr], f).toEqual([0, '']);
      expect(tarOut(r.stdout, path.basename(f)).content, f).toBe(seen);
    }
    expect(tarOut(tspod(['cp', 'web:/etc/hostname', '-']).stdout, 'hostname').content).toBe('webhost\n');
    expect(tarOut(tspod(['cp', 'web:/etc/hosts', '-']).stdout, 'hosts').content).toMatch(/^10\.1\.2\.3\s+db\.local$/m);
  });

  it('keeps symlinks as they are: an absolute target stays absolute, in the archive and on the host', () => {
    const target = tspod(['exec', 'web', 'readlink', '/etc/localtime']).stdout.trim();
    expect(target).toMatch(/^\/usr\/share\/zoneinfo\//);
    const one = tspod(['cp', 'web:/etc/localtime', `${host}/`]);
    expect([one.code, one.stderr]).toEqual([0, '']);
    expect(fs.readlinkSync(`${host}/localtime`)).toBe(target);
    expect(tarOut(tspod(['cp', 'web:/etc/localtime', '-']).stdout).list).toEqual([`l localtime -> ${target}`]);
  });

  it('copies an ordinary directory out whole, exit 0, links and generated files included', () => {
    const r = tspod(['cp', 'web:/etc', `${host}/etc-copy`]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(fs.readlinkSync(`${host}/etc-copy/localtime`)).toMatch(/^\/usr\/share\/zoneinfo\//);
    expect(fs.readlinkSync(`${host}/etc-copy/os-release`)).toBe(tspod(['exec', 'web', 'readlink', '/etc/os-release']).stdout.trim());
    expect(fs.readFileSync(`${host}/etc-copy/hostname`, 'utf8')).toBe('webhost\n');
    expect(fs.readFileSync(`${host}/etc-copy/passwd`, 'utf8')).toBe(tspod(['exec', 'web', 'cat', '/etc/passwd']).stdout);
    // And back in, under another name: the links arrive as they left.
    const back = tspod(['cp', `${host}/etc-copy`, 'web:/root/etc2']);
    expect([back.code, back.stderr]).toEqual([0, '']);
    expect(tspod(['exec', 'web', 'readlink', '/root/etc2/localtime', '/root/etc2/os-release']).stdout).toBe(tspod(['exec', 'web', 'readlink', '/etc/localtime', '/etc/os-release']).stdout);
  });

  it('writes a host symlink into the container as it is, and resolves links inside the container only', () => {
    fs.symlinkSync('/etc/passwd', `${host}/abs-link`);
    own(`${host}/abs-link`);
    expect(tspod(['cp', `${host}/abs-link`, 'web:/root/']).code).toBe(0);
    expect(tspod(['exec', 'web', 'readlink', '/root/abs-link']).stdout).toBe('/etc/passwd\n');
    // Copying onto a link writes the file it names, as cp does, and that name is the container's:
    // /tmp/NAME inside it, never the host's /tmp/NAME.
    const name = `tspod-cp-${path.basename(store.dir)}`;
    fs.symlinkSync(`/tmp/${name}`, `${host}/tmp-link`);
    own(`${host}/tmp-link`);
    expect(tspod(['cp', `${host}/tmp-link`, 'web:/root/']).code).toBe(0);
    const onto = tspod(['cp', hostFile('plain', 'plain\n'), 'web:/root/tmp-link']);
    expect([onto.code, onto.stderr]).toEqual([0, '']);
    expect(tspod(['exec', 'web', 'cat', `/tmp/${name}`]).stdout).toBe('plain\n');
    expect(fs.existsSync(`/tmp/${name}`)).toBe(false);
  });

  it('refuses a hostile stream that goes through a symlink it planted, and writes nothing outside', () => {
    const outside = path.join(store.dir, 'pwned');
    const evil = craftedTar([
      { path: 'esc', type: 'SymbolicLink', linkpath: store.dir },
      { path: 'esc/pwned', type: 'File', data: 'x' },
    ]);
    const r = tspod(['cp', '-', 'web:/root'], evil);
    expect(r.code).toBe(125);
    expect(r.stderr.trim()).toBe('Error: copy incomplete: archive entry "esc/pwned" would be written through the symbolic link "esc": refusing to extract it');
    expect(fs.existsSync(outside)).toBe(false);
    expect(tspod(['exec', 'web', 'readlink', '/root/esc']).stdout).toBe(`${store.dir}\n`);
    const dotdot = tspod(['cp', '-', 'web:/root'], craftedTar([{ path: '../../../../pwned', type: 'File', data: 'x' }]));
    expect([dotdot.code, dotdot.stderr.trim()]).toEqual([125, 'Error: copy incomplete: archive entry "../../../../pwned" points outside the destination: refusing to extract it']);
    expect(fs.existsSync(outside)).toBe(false);
  });
});

describe('cp of a stopped container', () => {
  beforeAll(() => {
    expect(tspod(['stop', '-t', '0', 'web']).code).toBe(0);
  });

  it('reads its volume, bind mount and last generated files', () => {
    expect(tarOut(tspod(['cp', 'web:/vol/f', '-']).stdout, 'f').content).toBe('in the volume\n');
    expect(tarOut(tspod(['cp', 'web:/bnd/b.txt', '-']).stdout, 'b.txt').content).toBe('on the bind mount\n');
    expect(tarOut(tspod(['cp', 'web:/etc/hostname', '-']).stdout, 'hostname').content).toBe('webhost\n');
    // Through the container's own absolute link into its volume.
    expect(tarOut(tspod(['cp', 'web:/vlink/f', '-']).stdout, 'f').content).toBe('in the volume\n');
    const etc = tspod(['cp', 'web:/etc', '-']);
    expect([etc.code, etc.stderr]).toEqual([0, '']);
    expect(tarOut(etc.stdout, 'etc/hosts').content).toMatch(/^10\.1\.2\.3\s+db\.local$/m);
    // Its tmpfs is gone with it: the mount point is there, empty.
    const gone = tspod(['cp', 'web:/scratch/t', '-']);
    expect([gone.code, gone.stderr.trim()]).toEqual([125, 'Error: "/scratch/t" in container web could not be found: no such file or directory: it would be on the tmpfs mounted at /scratch, which is empty while web is not running']);
  });

  it('writes into its volume and bind mount, file and directory, so that it sees them when it starts', () => {
    expect(tspod(['cp', hostFile('late.txt', 'while stopped\n'), 'web:/vol/']).code).toBe(0);
    hostFile('tree/vol/deep/x', 'x\n');
    hostFile('tree/bnd/y', 'y\n');
    const tree = tspod(['cp', `${host}/tree/.`, 'web:/']);
    expect([tree.code, tree.stderr]).toEqual([0, '']);
    expect(fs.readFileSync(`${bind}/y`, 'utf8')).toBe('y\n');
    expect(tspod(['start', 'web']).code).toBe(0);
    expect(tspod(['exec', 'web', 'cat', '/vol/late.txt', '/vol/deep/x', '/bnd/y']).stdout).toBe('while stopped\nx\ny\n');
    expect(tspod(['stop', '-t', '0', 'web']).code).toBe(0);
  });

  it('refuses to write what its next start would throw away: its tmpfs and generated files', () => {
    const note = hostFile('refused.txt', 'lost?\n');
    const tmpfs = tspod(['cp', note, 'web:/scratch/']);
    expect([tmpfs.code, tmpfs.stderr.trim()]).toEqual([125, 'Error: "/scratch" in container web is on the tmpfs mounted at /scratch, which starts empty each time web starts: start the container and copy again, or mount a volume there instead']);
    const hosts = tspod(['cp', note, 'web:/etc/hosts']);
    expect([hosts.code, hosts.stderr.trim()]).toEqual([125, 'Error: "/etc/hosts" in container web is written by tspod each time web starts: start the container and copy again, or set it with --hostname, --add-host or --dns']);
    const viaTree = tspod(['cp', '-', 'web:/'], craftedTar([{ path: 'scratch/a', type: 'File', data: 'a' }]));
    expect([viaTree.code, viaTree.stderr.trim()]).toEqual([125, 'Error: copy incomplete: "/scratch/a" in container web is on the tmpfs mounted at /scratch, which starts empty each time web starts: start the container and copy again, or mount a volume there instead']);
    expect(tspod(['start', 'web']).code).toBe(0);
    expect(tspod(['exec', 'web', 'ls', '-A', '/scratch']).stdout).toBe('t\n'); // only what its command wrote there
    expect(tspod(['exec', 'web', 'cat', '/etc/hostname']).stdout).toBe('webhost\n');
  });

  it('fills an empty volume from the image before copying into it, as the first start would', () => {
    expect(tspod(['create', '--name', 'fresh', '-v', 'aptvol:/etc/apt', 'debian', 'ls', '/etc/apt']).code).toBe(0);
    expect(tspod(['cp', hostFile('extra.list', 'deb x y\n'), 'fresh:/etc/apt/']).code).toBe(0);
    const seen = tspod(['start', '-a', 'fresh']);
    expect(seen.stdout.split('\n')).toEqual(expect.arrayContaining(['extra.list', 'sources.list.d', 'apt.conf.d']));
  });

  it('keeps a read-only mount read-only', () => {
    expect(tspod(['create', '--name', 'ro', '-v', 'data:/vol:ro', 'debian', 'true']).code).toBe(0);
    const r = tspod(['cp', hostFile('ro.txt', 'no\n'), 'ro:/vol/']);
    expect([r.code, r.stderr.trim()]).toEqual([125, 'Error: "/vol" in container ro is on a read-only mount (volume data at /vol): mount it read-write to copy into it']);
    expect(tarOut(tspod(['cp', 'ro:/vol/f', '-']).stdout, 'f').content).toBe('in the volume\n');
    // Running, the kernel says so; the error names the container's path, not /proc/PID/root.
    expect(tspod(['run', '-d', '--name', 'rorun', '-v', 'data:/vol:ro', 'debian', 'sleep', '1000']).code).toBe(0);
    const live = tspod(['cp', `${host}/ro.txt`, 'rorun:/vol/']);
    expect([live.code, live.stderr.trim()]).toEqual([125, "Error: copy incomplete: EROFS: read-only file system, open '/vol/ro.txt': it is mounted read-only in container rorun"]);
  });
});

describe('volume export and import', () => {
  it('carries symlinks as they are, an absolute target included', () => {
    expect(tspod(['volume', 'create', 'links']).code).toBe(0);
    expect(tspod(['run', '--rm', '-v', 'links:/d', 'debian', 'sh', '-c', 'ln -s /usr/share/zoneinfo/UTC /d/abs && ln -s ../up /d/rel && echo a > /d/a']).code).toBe(0);
    const exported = tspod(['volume', 'export', 'links']);
    expect(exported.code).toBe(0);
    expect(tarOut(exported.stdout).list).toEqual(['- a', 'l abs -> /usr/share/zoneinfo/UTC', 'l rel -> ../up']);
    expect(tspod(['volume', 'create', 'copy']).code).toBe(0);
    const imported = tspod(['volume', 'import', 'copy', '-'], Buffer.from(exported.stdout, 'latin1'));
    expect([imported.code, imported.stderr]).toEqual([0, '']);
    expect(tspod(['run', '--rm', '-v', 'copy:/d', 'debian', 'readlink', '/d/abs', '/d/rel']).stdout).toBe('/usr/share/zoneinfo/UTC\n../up\n');
    const evil = tspod(['volume', 'import', 'copy', '-'], craftedTar([{ path: 'abs/x', type: 'File', data: 'x' }]));
    expect([evil.code, evil.stderr.trim()]).toEqual([125, 'Error: import into volume copy incomplete: archive entry "abs/x" would be written through the symbolic link "abs": refusing to extract it']);
  });
});
