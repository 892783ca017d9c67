import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { copyIntoRoot, fetchRemote, hashSources, resolveChown, resolveSources, type SourceMatch } from '../../../../libpod/build/context-files';
import { compileIgnore } from '../../../../libpod/build/ignore';
import { lgetxattrBytes, lsetxattrBytes } from '../../../../src/ffi';

let tmp: string;
let ctx: string;
let root: string;

function write(base: string, files: Record<string, string>): void {
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
    fs.writeFileSync(path.join(base, rel), body);
  }
}

const given = (ms: SourceMatch[]) => ms.map((m) => m.given);
const stat = (rel: string) => fs.lstatSync(path.join(root, rel));
const owner = (rel: string) => `${stat(rel).uid}:${stat(rel).gid}`;
const mode = (rel: string) => (stat(rel).mode & 0o7777).toString(8);

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-ctxfiles-'));
  ctx = path.join(tmp, 'ctx');
  root = path.join(tmp, 'root');
  fs.mkdirSync(ctx);
  fs.mkdirSync(root);
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('resolveSources', () => {
  it('expands globs per segment over the files the ignore rules keep, sorted', () => {
    write(ctx, { 'a.txt': 'a', 'b.txt': 'b', 'c.md': 'c', 'src/x.go': 'x', 'src/y.go': 'y', 'src/sub/z.go': 'z', '.hidden.txt': 'h' });
    expect(given(resolveSources(ctx, ['*.txt']))).toEqual(['.hidden.txt', 'a.txt', 'b.txt']);
    expect(given(resolveSources(ctx, ['src/*.go']))).toEqual(['src/x.go', 'src/y.go']);
    expect(given(resolveSources(ctx, ['*/?.go']))).toEqual(['src/x.go', 'src/y.go']);
    expect(given(resolveSources(ctx, ['[ab].txt', 'c.md']))).toEqual(['a.txt', 'b.txt', 'c.md']);
    expect(given(resolveSources(ctx, ['*.txt'], { ignore: compileIgnore('b.txt') }))).toEqual(['.hidden.txt', 'a.txt']);
    write(ctx, { '*': 'star' });
    expect(resolveSources(ctx, ['\\*']).map((m) => m.rel)).toEqual(['*']);
  });

  it('cleans .. as if the context were /', () => {
    write(ctx, { 'a.txt': 'a' });
    fs.writeFileSync(path.join(tmp, 'outside.txt'), 'secret');
    const [m] = resolveSources(ctx, ['../../a.txt']);
    expect(m.rel).toBe('a.txt');
    expect(() => resolveSources(ctx, ['../outside.txt'])).toThrow(`checking on sources under "${ctx}": copier: stat: "/outside.txt": no such file or directory`);
    expect(resolveSources(ctx, ['.'])[0].rel).toBe('');
  });

  it('resolves symlinks inside the context, never to a host file outside it', () => {
    write(ctx, { 'etc/passwd': 'ctx passwd\n' });
    fs.symlinkSync('/etc/passwd', path.join(ctx, 'abs'));
    fs.symlinkSync('../../../../../etc', path.join(ctx, 'up'));
    fs.symlinkSync('/nonexistent', path.join(ctx, 'dangling'));
    const [abs] = resolveSources(ctx, ['abs']);
    expect(abs.rel).toBe('etc/passwd');
    expect(fs.readFileSync(path.join(abs.root, abs.rel), 'utf8')).toBe('ctx passwd\n');
    expect(resolveSources(ctx, ['up/passwd'])[0].rel).toBe('etc/passwd');
    expect(() => resolveSources(ctx, ['dangling'])).toThrow(/copier: stat: "\/dangling": no such file or directory/);
    // followTop: false keeps the link itself
    expect(resolveSources(ctx, ['abs'], { followTop: false })[0].stat.isSymbolicLink()).toBe(true);
  });

  it('fails as Podman does for a source that matches nothing, or only ignored files', () => {
    write(ctx, { 'a.txt': 'a' });
    expect(() => resolveSources(ctx, ['nosuch'])).toThrow(`checking on sources under "${ctx}": copier: stat: "/nosuch": no such file or directory`);
    expect(() => resolveSources(ctx, ['no*'])).toThrow(/copier: stat: "\/no\*": no such file or directory/);
    expect(() => resolveSources(ctx, ['a.txt'], { ignore: compileIgnore('*.txt', `${ctx}/.dockerignore`) })).toThrow(`no items matching glob "${ctx}/a.txt" copied (1 filtered out using ${ctx}/.dockerignore): no such file or directory`);
    expect(() => resolveSources(ctx, ['a.t?t'], { ignore: compileIgnore('*.txt') })).toThrow(`no items matching glob "${ctx}/a.t?t" copied (1 filtered out using the ignore file): no such file or directory`);
    try {
      resolveSources(ctx, ['nosuch']);
    } catch (err) {
      expect((err as { exitCode: number }).exitCode).toBe(125);
    }
  });
});

describe('hashSources', () => {
  beforeEach(() => write(ctx, { 'd/a': 'aaa', 'd/b/c': 'ccc', 'f': 'fff' }));
  const hash = (opts = {}) => hashSources(resolveSources(ctx, ['d', 'f']), opts);

  it('ignores mtimes and sees one changed byte, a mode, an owner, a link target, a hard link', () => {
    const h0 = hash();
    expect(h0).toMatch(/^[0-9a-f]{64}$/);
    fs.utimesSync(path.join(ctx, 'd/a'), new Date(1000), new Date(1000));
    expect(hash()).toBe(h0);
    fs.writeFileSync(path.join(ctx, 'd/a'), 'aab');
    const h1 = hash();
    expect(h1).not.toBe(h0);
    fs.chmodSync(path.join(ctx, 'd/a'), 0o600);
    const h2 = hash();
    expect(h2).not.toBe(h1);
    expect(hash({ chmod: 0o755 })).not.toBe(h2);
    expect(hash({ chown: { uid: 1, gid: 1 } })).not.toBe(h2);
    fs.chownSync(path.join(ctx, 'd/a'), 5, 5);
    expect(hash()).toBe(h2); // context files are written as 0:0
    expect(hash({ keepOwners: true })).not.toBe(h2);
    fs.symlinkSync('x', path.join(ctx, 'd/l'));
    const h3 = hash();
    fs.unlinkSync(path.join(ctx, 'd/l'));
    fs.symlinkSync('y', path.join(ctx, 'd/l'));
    expect(hash()).not.toBe(h3);
    fs.writeFileSync(path.join(ctx, 'd/h2'), 'fff');
    const h4 = hash();
    fs.rmSync(path.join(ctx, 'd/h2'));
    fs.linkSync(path.join(ctx, 'f'), path.join(ctx, 'd/h2'));
    expect(hash()).not.toBe(h4);
    expect(hash({ ignore: compileIgnore('d/b') })).not.toBe(hash());
  });

  it('hashes a tree of many files the same way twice, and sees one file among them change (timing: bench/build-copy.ts)', () => {
    for (let i = 0; i < 20; i++) {
      fs.mkdirSync(path.join(ctx, `many/${i}`), { recursive: true });
      for (let j = 0; j < 50; j++) fs.writeFileSync(path.join(ctx, `many/${i}/${j}.txt`), `file ${i} ${j}\n`);
    }
    const h = hashSources(resolveSources(ctx, ['many']));
    expect(hashSources(resolveSources(ctx, ['many']))).toBe(h);
    fs.writeFileSync(path.join(ctx, 'many/19/49.txt'), 'changed');
    expect(hashSources(resolveSources(ctx, ['many']))).not.toBe(h);
  });
});

describe('copyIntoRoot', () => {
  const copy = (srcs: string[], dest: string, opts: Partial<Parameters<typeof copyIntoRoot>[3]> = {}) =>
    copyIntoRoot(root, resolveSources(ctx, srcs, { ignore: opts.ignore }), dest, { workdir: '/', extractArchives: false, ...opts });

  beforeEach(() => {
    write(ctx, { 'a.txt': 'A', 'b.txt': 'B', 'd/sub/s': 'S', 'd/top': 'T' });
    fs.chmodSync(path.join(ctx, 'a.txt'), 0o640);
    fs.utimesSync(path.join(ctx, 'a.txt'), new Date('2020-01-02T03:04:05Z'), new Date('2020-01-02T03:04:05Z'));
    fs.chownSync(path.join(ctx, 'a.txt'), 7, 7);
    write(root, { 'etc/passwd': 'root:x:0:0::/root:/bin/sh\nbob:x:1234:1235::/home/bob:/bin/sh\n', 'etc/group': 'root:x:0:\nstaff:x:50:\n' });
  });

  it('copies a file to a file path, relative to the workdir, keeping mode and mtime, as 0:0', async () => {
    fs.mkdirSync(path.join(root, 'work'));
    await copy(['a.txt'], 'renamed', { workdir: '/work' });
    expect(fs.readFileSync(path.join(root, 'work/renamed'), 'utf8')).toBe('A');
    expect(mode('work/renamed')).toBe('640');
    expect(owner('work/renamed')).toBe('0:0');
    expect(stat('work/renamed').mtime.toISOString()).toBe('2020-01-02T03:04:05.000Z');
  });

  it('drops setuid and setgid from context files, keeps them with keepOwners (COPY --from), as Podman', async () => {
    fs.chmodSync(path.join(ctx, 'b.txt'), 0o6755);
    await copy(['b.txt'], '/ctx-suid');
    expect(mode('ctx-suid')).toBe('755');
    await copy(['b.txt'], '/stage-suid', { keepOwners: true });
    expect(mode('stage-suid')).toBe('6755');
    fs.mkdirSync(path.join(root, 'existing'), { mode: 0o711 });
    fs.chmodSync(path.join(root, 'existing'), 0o711);
    await copy(['d'], '/existing');
    expect(mode('existing')).toBe('711'); // an existing destination keeps its mode
  });

  it('treats a trailing slash, an existing directory and several sources as a directory', async () => {
    await copy(['a.txt'], '/dir/');
    expect(fs.readFileSync(path.join(root, 'dir/a.txt'), 'utf8')).toBe('A');
    await copy(['b.txt'], '/dir');
    expect(fs.readFileSync(path.join(root, 'dir/b.txt'), 'utf8')).toBe('B');
    await copy(['a.txt', 'b.txt'], '/multi');
    expect(fs.readdirSync(path.join(root, 'multi')).sort()).toEqual(['a.txt', 'b.txt']);
    await copy(['a.txt'], '/newwork', { workdir: '/newwork' });
    expect(fs.readFileSync(path.join(root, 'newwork/a.txt'), 'utf8')).toBe('A');
    fs.writeFileSync(path.join(root, 'file'), 'x');
    await expect(copy(['a.txt', 'b.txt'], '/file')).rejects.toThrow('When using COPY with more than one source file, the destination must be a directory and end with a /');
  });

  it('copies a directory source by its contents, and keeps paths with --parents', async () => {
    await copy(['d'], '/x');
    expect(fs.readdirSync(path.join(root, 'x')).sort()).toEqual(['sub', 'top']);
    await copy(['d/sub/s', 'd/top'], '/p/', { parents: true });
    expect(fs.readFileSync(path.join(root, 'p/d/sub/s'), 'utf8')).toBe('S');
    expect(fs.readFileSync(path.join(root, 'p/d/top'), 'utf8')).toBe('T');
  });

  it('gives created parents the --chown owner, --chmod to what is copied', async () => {
    await copy(['d'], '/deep/er/', { chown: resolveChown(root, 'bob:staff'), chmod: 0o700 });
    expect(owner('deep')).toBe('1234:50');
    expect(mode('deep')).toBe('755');
    expect(owner('deep/er/sub/s')).toBe('1234:50');
    expect(mode('deep/er/sub/s')).toBe('700');
    expect(mode('deep/er/sub')).toBe('700');
    await copy(['a.txt'], '/plain/new/');
    expect(owner('plain')).toBe('0:0');
  });

  it('follows the image symlinks of dest inside the root, never out of it', async () => {
    fs.mkdirSync(path.join(root, 'usr/lib'), { recursive: true });
    fs.symlinkSync('usr/lib', path.join(root, 'lib'));
    fs.symlinkSync('/../../../../tmp', path.join(root, 'escape'));
    await copy(['a.txt'], '/lib/');
    expect(fs.existsSync(path.join(root, 'usr/lib/a.txt'))).toBe(true);
    await copy(['b.txt'], '/escape/b.txt');
    expect(fs.readFileSync(path.join(root, 'tmp/b.txt'), 'utf8')).toBe('B');
    fs.symlinkSync('/opt/app/app.conf', path.join(root, 'cfg')); // dangling: its target is written, inside root
    await copy(['a.txt'], '/cfg');
    expect(fs.readFileSync(path.join(root, 'opt/app/app.conf'), 'utf8')).toBe('A');
    expect(fs.lstatSync(path.join(root, 'cfg')).isSymbolicLink()).toBe(true);
  });

  it('keeps hard links as links and symlinks as links, and skips ignored files', async () => {
    fs.linkSync(path.join(ctx, 'd/top'), path.join(ctx, 'd/top2'));
    fs.symlinkSync('top', path.join(ctx, 'd/ln'));
    fs.writeFileSync(path.join(ctx, 'd/skip.log'), 'no');
    await copy(['d'], '/h', { ignore: compileIgnore('**/*.log') });
    expect(stat('h/top').ino).toBe(stat('h/top2').ino);
    expect(stat('h/top').nlink).toBe(2);
    expect(fs.readlinkSync(path.join(root, 'h/ln'))).toBe('top');
    expect(fs.existsSync(path.join(root, 'h/skip.log'))).toBe(false);
  });

  it('copies what Podman 4.3.1 copied for "dir, !dir/keep, *.log" (checked by hand), and no empty ignored directory', async () => {
    write(ctx, { 'dir/keep': 'k', 'dir/other': 'o', 'other/x': 'x', 'y.log': 'y', 'logs/a.log': 'l', '.dockerignore': 'dir\n!dir/keep\n*.log\nlogs\n!**/*.keep\n' });
    const ignore = compileIgnore(fs.readFileSync(path.join(ctx, '.dockerignore'), 'utf8'));
    await copy(['.'], '/x/', { ignore });
    const found: string[] = [];
    const walk = (d: string, rel: string) => {
      for (const n of fs.readdirSync(d).sort()) {
        found.push(`${rel}${n}`);
        if (fs.lstatSync(path.join(d, n)).isDirectory()) walk(path.join(d, n), `${rel}${n}/`);
      }
    };
    walk(path.join(root, 'x'), '');
    expect(found).toEqual(['.dockerignore', 'a.txt', 'b.txt', 'd', 'd/sub', 'd/sub/s', 'd/top', 'dir', 'dir/keep', 'other', 'other/x']);
  });

  it('carries security.capability and user.* xattrs', async () => {
    const cap = Buffer.from('0100000200200000000000000000000000000000', 'hex');
    try {
      lsetxattrBytes(path.join(ctx, 'b.txt'), 'user.note', Buffer.from('hello'));
      lsetxattrBytes(path.join(ctx, 'b.txt'), 'security.capability', cap);
    } catch (err) {
      throw new Error(`this filesystem (${os.tmpdir()}) must support xattrs for this test: ${(err as Error).message}`);
    }
    await copy(['b.txt'], '/x/', { chown: { uid: 3, gid: 3 } });
    expect(lgetxattrBytes(path.join(root, 'x/b.txt'), 'user.note')?.toString()).toBe('hello');
    expect(lgetxattrBytes(path.join(root, 'x/b.txt'), 'security.capability')?.equals(cap)).toBe(true);
  });

  it('ADD unpacks a local tar (gzip, bzip2, xz) into dest, keeping its owners unless --chown', async () => {
    write(tmp, { 'src/in/file': 'inner' });
    fs.chownSync(path.join(tmp, 'src/in/file'), 42, 43);
    execFileSync('tar', ['-C', path.join(tmp, 'src'), '-cf', path.join(ctx, 'plain.tar'), 'in']);
    execFileSync('tar', ['-C', path.join(tmp, 'src'), '-czf', path.join(ctx, 'g.tgz'), 'in']);
    execFileSync('tar', ['-C', path.join(tmp, 'src'), '-cjf', path.join(ctx, 'b.tar.bz2'), 'in']);
    execFileSync('tar', ['-C', path.join(tmp, 'src'), '-cJf', path.join(ctx, 'x.tar.xz'), 'in']);
    for (const [f, d] of [['plain.tar', 'p'], ['g.tgz', 'g'], ['b.tar.bz2', 'b'], ['x.tar.xz', 'x']]) {
      await copy([f], `/${d}/`, { extractArchives: true });
      expect(fs.readFileSync(path.join(root, d, 'in/file'), 'utf8')).toBe('inner');
      expect(owner(`${d}/in/file`)).toBe('42:43');
    }
    await copy(['g.tgz'], '/c/', { extractArchives: true, chown: { uid: 9, gid: 9 } });
    expect(owner('c/in/file')).toBe('9:9');
    await copy(['g.tgz'], '/asfile/');
    expect(fs.existsSync(path.join(root, 'asfile/g.tgz'))).toBe(true);
    // a gzip file that is not a tar is copied as it is
    fs.writeFileSync(path.join(ctx, 'notar.gz'), execFileSync('gzip', ['-c'], { input: 'just text' }));
    await copy(['notar.gz'], '/ng/', { extractArchives: true });
    expect(fs.existsSync(path.join(root, 'ng/notar.gz'))).toBe(true);
  });
});

describe('resolveChown', () => {
  beforeEach(() => write(root, { 'etc/passwd': 'root:x:0:0::/root:/bin/sh\nbob:x:1234:1235::/home/bob:/bin/sh\n', 'etc/group': 'root:x:0:\nstaff:x:50:\n' }));
  it('reads names from the root, a lone UID is also the GID', () => {
    expect(resolveChown(root, 'bob')).toEqual({ uid: 1234, gid: 1235 });
    expect(resolveChown(root, 'bob:staff')).toEqual({ uid: 1234, gid: 50 });
    expect(resolveChown(root, '1234')).toEqual({ uid: 1234, gid: 1234 });
    expect(resolveChown(root, '7:staff')).toEqual({ uid: 7, gid: 50 });
    expect(resolveChown(root, '7:8')).toEqual({ uid: 7, gid: 8 });
    expect(() => resolveChown(root, 'nosuchuser')).toThrow('looking up UID/GID for "nosuchuser": determining run uid: user: unknown user error looking up user "nosuchuser"');
    expect(() => resolveChown(root, 'bob:nosuch')).toThrow('looking up UID/GID for "bob:nosuch": determining run gid: group: unknown group error looking up group "nosuch"');
  });
});

describe('fetchRemote', () => {
  it('downloads with the URL name, mode 0600, Last-Modified as mtime, and checks --checksum', async () => {
    const body = 'remote body\n';
    const server = http.createServer((req, res) => {
      if (req.url?.startsWith('/missing')) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Last-Modified': 'Thu, 02 Jan 2020 03:04:05 GMT' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const m = await fetchRemote(`${base}/dir/r.txt?x=1`, tmp);
      expect(m.given).toBe('r.txt');
      const file = path.join(m.root, m.rel);
      expect(fs.readFileSync(file, 'utf8')).toBe(body);
      expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
      expect(fs.statSync(file).mtime.toISOString()).toBe('2020-01-02T03:04:05.000Z');
      const good = `sha256:${crypto.createHash('sha256').update(body).digest('hex')}`;
      await expect(fetchRemote(`${base}/r.txt`, tmp, good)).resolves.toMatchObject({ given: 'r.txt' });
      await expect(fetchRemote(`${base}/r.txt`, tmp, `sha256:${'0'.repeat(64)}`)).rejects.toThrow(`checksum mismatch for "${base}/r.txt": expected sha256:${'0'.repeat(64)}, got ${good}`);
      await expect(fetchRemote(`${base}/missing`, tmp)).rejects.toThrow('invalid response status 404');
    } finally {
      server.close();
    }
  });
});
