// The user namespace holder, the layer store and overlay mounts, as the unprivileged test user:
// ID mapping, one namespace for concurrent first commands, ownership through import, hostile layers,
// recovery after kill -9 of the holder and of an import, and both overlay implementations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Store, asUser, noSubUser, run, runConcurrently, tspodBin, userEnv, userTempDir, removeTree } from './harness';

const fixtures = userTempDir('core-fixtures');
fs.chmodSync(fixtures, 0o755); // the user without subuids reads these tarballs too
afterAll(() => removeTree(fixtures));

function subid(file: string, user: string): { start: number; count: number } {
  const [, start, count] = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${user}:`))!.split(':');
  return { start: Number(start), count: Number(count) };
}

/** A rootfs tarball built as root, so its entries carry the owners we choose. */
function makeTarball(name: string, build: (dir: string) => void): string {
  const dir = path.join(fixtures, `${name}-rootfs`);
  fs.mkdirSync(dir, { recursive: true });
  build(dir);
  const file = path.join(fixtures, `${name}.tar`);
  const r = spawnSync('tar', ['--numeric-owner', '--sort=name', '-C', dir, '-cf', file, '.'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  fs.chmodSync(file, 0o644);
  return file;
}

/** A tarball with hand-made member names and link targets (GNU tar cannot write hostile ones). */
function craftTarball(name: string, members: Array<{ name: string; type?: '0' | '1' | '2' | '5'; link?: string; data?: string }>): string {
  const blocks: Buffer[] = [];
  for (const m of members) {
    const data = Buffer.from(m.data ?? '');
    const h = Buffer.alloc(512);
    h.write(m.name, 0, 100);
    h.write(m.type === '5' ? '0000755\0' : '0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${(m.type && m.type !== '0' ? 0 : data.length).toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write(m.type ?? '0', 156);
    if (m.link) h.write(m.link, 157, 100);
    h.write('ustar\0' + '00', 257);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h);
    if ((!m.type || m.type === '0') && data.length) blocks.push(Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]));
  }
  blocks.push(Buffer.alloc(1024));
  const file = path.join(fixtures, `${name}.tar`);
  fs.writeFileSync(file, Buffer.concat(blocks));
  fs.chmodSync(file, 0o644);
  return file;
}

let ownersTar = '';
beforeAll(() => {
  ownersTar = makeTarball('owners', (d) => {
    fs.mkdirSync(path.join(d, 'etc'));
    fs.writeFileSync(path.join(d, 'etc', 'hostname'), 'fixture\n');
    fs.mkdirSync(path.join(d, 'var', 'www'), { recursive: true });
    fs.writeFileSync(path.join(d, 'var', 'www', 'index.html'), '<h1>hi</h1>\n');
    fs.chownSync(path.join(d, 'var', 'www'), 33, 33);
    fs.chownSync(path.join(d, 'var', 'www', 'index.html'), 33, 33);
    fs.mkdirSync(path.join(d, 'nonexistent'));
    fs.writeFileSync(path.join(d, 'nonexistent', 'owned'), 'n\n');
    fs.chownSync(path.join(d, 'nonexistent', 'owned'), 65534, 65534);
    fs.chmodSync(path.join(d, 'nonexistent', 'owned'), 0o4750);
    fs.symlinkSync('/etc/hostname', path.join(d, 'abs-link'));
    fs.linkSync(path.join(d, 'etc', 'hostname'), path.join(d, 'etc', 'hardlink'));
  });
});

describe('the user namespace', () => {
  it('maps root to the user and 1.. to the /etc/subuid and /etc/subgid ranges', () => {
    const store = new Store('ns-map');
    try {
      const u = userEnv();
      const sub = subid('/etc/subuid', u.user);
      const subg = subid('/etc/subgid', u.user);
      const uid = store.tspod(['unshare', 'cat', '/proc/self/uid_map']);
      expect(uid.stderr).toBe('');
      expect(uid.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number))).toEqual([
        [0, u.uid, 1],
        [1, sub.start, sub.count],
      ]);
      const gid = store.tspod(['unshare', 'cat', '/proc/self/gid_map']);
      expect(gid.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number))).toEqual([
        [0, u.gid, 1],
        [1, subg.start, subg.count],
      ]);
      expect(store.tspod(['unshare', 'id', '-u']).stdout).toBe('0\n');
      expect(store.tspod(['unshare', 'sh', '-c', 'exit 7']).code).toBe(7);
      const missing = store.tspod(['unshare', 'no-such-command']);
      expect(missing.code).toBe(125);
      expect(missing.stderr).toBe('Error: cannot run no-such-command: no such file or directory\n');
    } finally {
      store.cleanup();
    }
  });

  it('gives ten concurrent first commands one namespace', async () => {
    const store = new Store('ns-race');
    try {
      const cmd = [tspodBin, '--root', store.root, '--runroot', store.runroot, 'unshare', 'readlink', '/proc/self/ns/user'];
      const results = await runConcurrently(Array.from({ length: 10 }, () => cmd));
      for (const r of results) expect(r).toMatchObject({ code: 0, stderr: '' });
      const namespaces = new Set(results.map((r) => r.stdout));
      expect(namespaces.size).toBe(1);
      expect([...namespaces][0]).toMatch(/^user:\[\d+\]\n$/);
      const [pid] = fs.readFileSync(path.join(store.runroot, 'pause.pid'), 'utf8').split(' ');
      expect(fs.readlinkSync(`/proc/${pid}/ns/user`)).toBe([...namespaces][0].trim());
      // Only one holder process runs for this runroot.
      const holders = spawnSync('pgrep', ['-u', userEnv().user, '-f', '^sleep infinity$'], { encoding: 'utf8' }).stdout.trim().split('\n');
      const ours = holders.filter((p) => p && fs.readlinkSync(`/proc/${p}/ns/user`) === [...namespaces][0].trim());
      expect(ours).toEqual([pid]);
    } finally {
      store.cleanup();
    }
  });

  it('detects a stale pid file whose pid now belongs to another process', async () => {
    const store = new Store('ns-stale');
    try {
      const first = store.tspod(['unshare', 'readlink', '/proc/self/ns/user']).stdout;
      const pidFile = path.join(store.runroot, 'pause.pid');
      const [oldPid] = fs.readFileSync(pidFile, 'utf8').split(' ');
      process.kill(Number(oldPid), 'SIGKILL');
      // Point the pid file at a live process of the same user that is not a holder: a reused pid.
      const argv = asUser(['sh', '-c', 'echo $$; exec sleep 30']);
      const impostor = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
      try {
        const pid = await new Promise<string>((resolve) => impostor.stdout!.once('data', (d) => resolve(String(d).trim())));
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
        fs.writeFileSync(pidFile, `${pid} ${start}\n`);
        const second = store.tspod(['unshare', 'readlink', '/proc/self/ns/user']);
        expect(second.code).toBe(0);
        expect(second.stdout).not.toBe(first);
        expect(fs.readFileSync(pidFile, 'utf8').split(' ')[0]).not.toBe(pid);
        expect(fs.existsSync(`/proc/${pid}`)).toBe(true);
      } finally {
        impostor.kill('SIGKILL');
      }
    } finally {
      store.cleanup();
    }
  });

  it('warns without subuid ranges and names the file and ID an image needs', () => {
    if (!noSubUser) throw new Error('TSPOD_NOSUB_USER is not set: run the tests through scripts/test.sh as root');
    const store = new Store('ns-nosub', noSubUser);
    try {
      const r = store.tspod(['import', ownersTar, 'owners']);
      expect(r.code).toBe(125);
      expect(r.stderr).toMatch(new RegExp(`^WARN\\[0000\\] no subuid/subgid ranges found for user "${noSubUser}" in /etc/subuid and /etc/subgid: using a single-ID mapping`, 'm'));
      expect(r.stderr).toMatch(/sudo usermod --add-subuids \d+-\d+ --add-subgids \d+-\d+ tspodnosub/);
      expect(r.stderr).toMatch(/^Error: potentially insufficient UIDs or GIDs available in user namespace \(requested 65534:65534 for \/nonexistent\/owned\): check \/etc\/subuid and \/etc\/subgid, then run "tspod system migrate"\n$/m);
      expect(store.tspod(['images', '-q']).stdout).toBe('');
      expect(fs.readdirSync(path.join(store.root, 'tmp'))).toEqual([]);
    } finally {
      store.cleanup();
    }
  });
});

for (const driver of ['native', 'fuse'] as const) {
  describe(`layer store and image mounts (${driver} overlay)`, () => {
    const store = new Store(`core-${driver}`);
    const conf = path.join(store.dir, 'containers.conf');
    const env = { TSPOD_CONF: conf };
    const t = (args: string[]) => store.tspod(args, { env });
    beforeAll(() => {
      fs.writeFileSync(conf, `[storage]\noverlay = "${driver}"\n`);
      fs.chmodSync(conf, 0o644);
    });
    afterAll(() => {
      t(['image', 'unmount', '--all']);
      store.cleanup();
    });

    it('imports a tarball keeping owners 0, 33 and 65534, mapped to subordinate IDs on the host', () => {
      const imp = t(['import', '--change', 'CMD ["/bin/sh"]', '--message', 'fixture', ownersTar, 'owners:1.0']);
      expect(imp.stderr).toBe('');
      expect(imp.code).toBe(0);
      expect(imp.stdout).toMatch(/^[a-f0-9]{64}\n$/);
      const id = imp.stdout.trim();

      const lines = t(['images']).stdout.split('\n');
      expect(lines[0]).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
      expect(lines[1]).toMatch(new RegExp(`^localhost/owners\\s+1\\.0\\s+${id.slice(0, 12)}\\s+.+ ago\\s+[\\d.]+ kB$`));
      expect(lines.slice(2)).toEqual(['']);
      const inspect = JSON.parse(t(['image', 'inspect', 'owners:1.0']).stdout)[0];
      expect(inspect.Id).toBe(id);
      expect(inspect.RepoTags).toEqual(['localhost/owners:1.0']);
      expect(inspect.Config.Cmd).toEqual(['/bin/sh']);
      expect(inspect.Comment).toBe('fixture');
      expect(inspect.RootFS.Layers).toHaveLength(1);
      expect(inspect.Size).toBe(fs.statSync(ownersTar).size);
      // The layer ID is the chain ID, which for one layer is its diffID: the tar's sha256.
      const sha = spawnSync('sha256sum', [ownersTar], { encoding: 'utf8' }).stdout.split(' ')[0];
      expect(inspect.RootFS.Layers[0]).toBe(`sha256:${sha}`);

      const mount = t(['image', 'mount', 'owners:1.0']);
      expect(mount.stderr).toBe('');
      const merged = mount.stdout.trim();
      const inside = t(['unshare', 'stat', '-c', '%u:%g %a %n', `${merged}/etc/hostname`, `${merged}/var/www`, `${merged}/var/www/index.html`, `${merged}/nonexistent/owned`]);
      expect(inside.stdout).toBe(
        [`0:0 644 ${merged}/etc/hostname`, `33:33 755 ${merged}/var/www`, `33:33 644 ${merged}/var/www/index.html`, `65534:65534 4750 ${merged}/nonexistent/owned`].join('\n') + '\n',
      );
      expect(t(['unshare', 'cat', `${merged}/var/www/index.html`]).stdout).toBe('<h1>hi</h1>\n');
      expect(t(['unshare', 'readlink', `${merged}/abs-link`]).stdout).toBe('/etc/hostname\n');
      expect(t(['unshare', 'stat', '-c', '%h %i', `${merged}/etc/hostname`]).stdout.split(' ')[0]).toBe('2');

      // On the host, the same files belong to the matching subordinate IDs.
      const u = userEnv();
      const sub = subid('/etc/subuid', u.user);
      const diff = inspect.GraphDriver.Data.UpperDir;
      expect(fs.statSync(path.join(diff, 'etc', 'hostname')).uid).toBe(u.uid);
      expect(fs.statSync(path.join(diff, 'var', 'www', 'index.html')).uid).toBe(sub.start + 33 - 1);
      expect(fs.statSync(path.join(diff, 'nonexistent', 'owned')).uid).toBe(sub.start + 65534 - 1);
      expect(fs.statSync(path.join(diff, 'nonexistent', 'owned')).gid).toBe(subid('/etc/subgid', u.user).start + 65534 - 1);
    });

    it('stores a layer shared by two images once and removes it with its last image', () => {
      const again = t(['import', '--change', 'ENV A=1', ownersTar, 'owners:2.0']);
      expect(again.code).toBe(0);
      const layers = fs.readdirSync(path.join(store.root, 'overlay')).filter((n) => n !== 'empty');
      expect(layers).toHaveLength(1);
      const rm = t(['rmi', 'owners:2.0']);
      expect(rm.stdout).toBe(`Untagged: localhost/owners:2.0\nDeleted: ${again.stdout.trim()}\n`);
      expect(fs.readdirSync(path.join(store.root, 'overlay')).filter((n) => n !== 'empty')).toEqual(layers);
      expect(t(['images', '--format', '{{.Repository}}:{{.Tag}}']).stdout).toBe('localhost/owners:1.0\n');
    });

    it('refuses to remove a mounted image unless forced', () => {
      const r = t(['rmi', 'owners:1.0']);
      expect(r.code).toBe(2); // Podman's code for an image in use
      expect(r.stderr).toMatch(/^Error: image [a-f0-9]{12} is mounted at .*: unmount it with "tspod image unmount owners:1\.0" or use --force\n$/);
      expect(t(['images', '-q']).stdout).not.toBe('');
    });

    it('keeps working after the holder is killed: images, then mounts remade', () => {
      const pid = Number(fs.readFileSync(path.join(store.runroot, 'pause.pid'), 'utf8').split(' ')[0]);
      const merged = t(['image', 'mount']).stdout.trim().split(' ')[2];
      process.kill(pid, 'SIGKILL');
      const images = t(['images', '--format', '{{.Repository}}:{{.Tag}}']);
      expect(images).toMatchObject({ code: 0, stdout: 'localhost/owners:1.0\n', stderr: '' });
      // The first command in the new namespace remakes the mount the old one took with it.
      expect(t(['unshare', 'cat', `${merged}/etc/hostname`]).stdout).toBe('fixture\n');
      const newPid = Number(fs.readFileSync(path.join(store.runroot, 'pause.pid'), 'utf8').split(' ')[0]);
      expect(newPid).not.toBe(pid);
      expect(t(['image', 'mount', 'owners:1.0']).stdout.trim()).toBe(merged);
      expect(t(['image', 'unmount', 'owners:1.0']).code).toBe(0);
      expect(t(['image', 'unmount', 'owners:1.0']).code).toBe(0);
      const notMounted = t(['image', 'unmount', 'owners:1.0']);
      expect(notMounted).toMatchObject({ code: 125, stderr: 'Error: image owners:1.0 is not mounted\n' });
      expect(t(['unshare', 'mountpoint', '-q', merged]).code).not.toBe(0);
    });

    it('mounts an image once when two mounts of it run at once', async () => {
      const cmd = [tspodBin, '--root', store.root, '--runroot', store.runroot, 'image', 'mount', 'owners:1.0'];
      const [a, b] = await runConcurrently([cmd, cmd], { env });
      expect([a.code, b.code, a.stderr + b.stderr]).toEqual([0, 0, '']);
      expect(a.stdout).toBe(b.stdout);
      const target = a.stdout.trim();
      const mounts = t(['unshare', 'sh', '-c', `grep -c " ${target} " /proc/self/mountinfo`]).stdout.trim();
      expect(mounts).toBe('1');
      expect(t(['image', 'unmount', 'owners:1.0']).code).toBe(0);
      expect(t(['image', 'unmount', 'owners:1.0']).code).toBe(0);
      expect(t(['image', 'mount']).stdout).toBe('');
    });

    it('recovers from kill -9 of an import in progress', async () => {
      const big = path.join(fixtures, `big-${driver}.tar`);
      if (!fs.existsSync(big)) {
        const dir = path.join(fixtures, `big-${driver}`);
        fs.mkdirSync(dir, { recursive: true });
        spawnSync('dd', ['if=/dev/zero', `of=${dir}/zeros`, 'bs=1M', 'count=400'], { stdio: 'ignore' });
        spawnSync('tar', ['-C', dir, '-cf', big, '.']);
        fs.chmodSync(big, 0o644);
      }
      const argv = asUser([tspodBin, '--root', store.root, '--runroot', store.runroot, 'import', big, 'big'], env);
      const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: 'ignore' });
      const tmp = path.join(store.root, 'tmp');
      const deadline = Date.now() + 20_000;
      const staged = () => fs.existsSync(tmp) && fs.readdirSync(tmp).some((n) => n.startsWith('stage-') && fs.existsSync(path.join(tmp, n, 'diff', 'zeros')));
      while (!staged() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(staged()).toBe(true);
      process.kill(-child.pid!, 'SIGKILL');
      await new Promise((r) => child.on('exit', r));
      await new Promise((r) => setTimeout(r, 200));
      expect(t(['images', '--format', '{{.Repository}}']).stdout).toBe('localhost/owners\n');
      const imp = t(['import', big, 'big']);
      expect(imp.stderr).toBe('');
      expect(imp.code).toBe(0);
      expect(fs.readdirSync(tmp)).toEqual([]);
      const rmi = t(['rmi', 'big']);
      expect(rmi.code).toBe(0);
      expect(fs.readdirSync(path.join(store.root, 'overlay')).filter((n) => n !== 'empty')).toHaveLength(1);
      expect(fs.readdirSync(path.join(store.root, 'trash'))).toEqual([]);
    });

    it('rejects hostile layers and writes nothing outside the store', () => {
      const outside = path.join(fixtures, `outside-${driver}`);
      fs.mkdirSync(outside, { recursive: true, mode: 0o777 });
      fs.chmodSync(outside, 0o777);
      fs.writeFileSync(path.join(outside, 'secret'), 'keep\n', { mode: 0o666 });
      const cases: Array<[string, Parameters<typeof craftTarball>[1], string]> = [
        ['traversal', [{ name: 'ok', data: 'x' }, { name: `../../../../../..${outside}/evil`, data: 'pwned' }], `layer entry "../../../../../..${outside}/evil" points outside the layer: refusing to extract it`],
        ['symlink', [{ name: 'escape', type: '2', link: outside }, { name: 'escape/evil', data: 'pwned' }], 'layer entry "escape/evil" would be written through the symbolic link "escape": refusing to extract it'],
        ['hardlink', [{ name: 'hl', type: '1', link: `../../../../../..${outside}/secret` }], `hard link "hl" points outside the layer (to "../../../../../..${outside}/secret"): refusing to extract it`],
        ['hardlink-missing', [{ name: 'hl', type: '1', link: `${outside}/secret` }], `hard link "hl" points to "${outside}/secret", which is not in the layer`],
      ];
      for (const [name, members, message] of cases) {
        const file = craftTarball(`${name}-${driver}`, members);
        const r = t(['import', file, name]);
        expect(r.code, name).toBe(125);
        expect(r.stderr, name).toBe(`Error: ${message}\n`);
      }
      expect(fs.readdirSync(outside).sort()).toEqual(['secret']);
      expect(fs.readFileSync(path.join(outside, 'secret'), 'utf8')).toBe('keep\n');
      expect(t(['images', '--format', '{{.Repository}}']).stdout).toBe('localhost/owners\n');
      expect(fs.readdirSync(path.join(store.root, 'tmp'))).toEqual([]);
      // An absolute member name is taken relative to the layer, as Docker does.
      const abs = craftTarball(`abs-${driver}`, [{ name: `${outside}/abs`, data: 'inside' }]);
      expect(t(['import', abs, 'abs']).code).toBe(0);
      expect(fs.existsSync(path.join(outside, 'abs'))).toBe(false);
      const m = t(['image', 'mount', 'abs']).stdout.trim();
      expect(t(['unshare', 'cat', `${m}${outside}/abs`]).stdout).toBe('inside');
      expect(t(['image', 'unmount', 'abs']).code).toBe(0);
      expect(t(['rmi', 'abs']).code).toBe(0);
    });

    it('turns whiteouts into the format this overlay reads', () => {
      const file = craftTarball(`wh-${driver}`, [
        { name: 'd/', type: '5' },
        { name: 'd/.wh..wh..opq', data: '' },
        { name: 'd/keep', data: 'k' },
        { name: '.wh.gone', data: '' },
      ]);
      const imp = t(['import', file, 'wh']);
      expect(imp.stderr).toBe('');
      const diff = JSON.parse(t(['image', 'inspect', 'wh']).stdout)[0].GraphDriver.Data.UpperDir;
      if (driver === 'native') {
        const st = fs.lstatSync(path.join(diff, 'gone'));
        expect(st.isCharacterDevice()).toBe(true);
        expect(st.rdev).toBe(0);
        expect(spawnSync('getfattr', ['--only-values', '-n', 'user.overlay.opaque', path.join(diff, 'd')], { encoding: 'utf8' }).stdout).toBe('y');
      } else {
        expect(fs.existsSync(path.join(diff, '.wh.gone'))).toBe(true);
        expect(fs.existsSync(path.join(diff, 'd', '.wh..wh..opq'))).toBe(true);
      }
      expect(t(['rmi', 'wh']).code).toBe(0);
    });
  });
}

describe('import and rmi errors', () => {
  const store = new Store('core-errors');
  afterAll(() => {
    store.cleanup();
  });

  it('explains a missing file, a bad name and an unknown image', () => {
    expect(store.tspod(['import', '/nonexistent.tar'])).toMatchObject({ code: 125, stderr: 'Error: cannot read /nonexistent.tar: no such file\n' });
    const bad = store.tspod(['import', ownersTar, 'Bad Name']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toMatch(/^Error: invalid reference format "Bad Name": /);
    expect(store.tspod(['rmi', 'nosuch'])).toMatchObject({ code: 1, stdout: '', stderr: 'Error: nosuch: image not known\n' }); // Podman's code for a name not found
    expect(store.tspod(['rmi'])).toMatchObject({ code: 125, stderr: 'Error: image name or ID must be specified\n' });
    const notTar = path.join(fixtures, 'not-a-tar');
    fs.writeFileSync(notTar, 'hello, this is not a tar archive at all\n'.repeat(20));
    fs.chmodSync(notTar, 0o644);
    const r = store.tspod(['import', notTar]);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/^Error: cannot read the layer: /);
    expect(store.tspod(['images', '-q']).stdout).toBe('');
  });

  it('imports from standard input and finds images by short ID', () => {
    const r = run(['sh', '-c', `${tspodBin} --root ${store.root} --runroot ${store.runroot} import - piped < ${ownersTar}`]);
    expect(r.stderr).toBe('');
    const id = r.stdout.trim();
    expect(store.tspod(['image', 'inspect', '--format', '{{.Id}}', id.slice(0, 5)]).stdout).toBe(`${id}\n`);
    expect(store.tspod(['rmi', id.slice(0, 12)]).stdout).toBe(`Untagged: localhost/piped:latest\nDeleted: ${id}\n`);
  });
});
