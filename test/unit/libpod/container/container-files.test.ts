// cp's path rules and confinement, commit's layer packing, stats' arithmetic and pause's refusal,
// on real directories (the namespace parts are in the integration tests).
import { describe, expect, it, beforeEach } from 'vitest';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar';
import { copy, parseCopyArg, resolveInRoot } from '../../../../libpod/container/container-copy';
import { packLayer } from '../../../../libpod/storage/layer-pack';
import { containerProcesses, cpuPercent, goDuration, sample, statsRow } from '../../../../libpod/container/container-stats';
import { checkFreezer } from '../../../../libpod/container/container-pause';
import type { Container } from '../../../../libpod/container/container';

let tmp: string;
let root: string;
let host: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-files-'));
  root = path.join(tmp, 'rootfs');
  host = path.join(tmp, 'host');
  for (const d of [root, host, `${root}/etc`, `${root}/data/sub`]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(`${root}/etc/motd`, 'hello\n', { mode: 0o640 });
  fs.writeFileSync(`${root}/data/a.txt`, 'a');
  fs.writeFileSync(`${root}/data/sub/b.txt`, 'b');
  fs.symlinkSync('/etc', `${root}/etclink`);
  fs.symlinkSync('../../../../../../..', `${root}/up`);
});

const inC = (p: string) => ({ root, path: p });
const onHost = (p: string) => ({ path: p });

describe('cp paths', () => {
  it('splits CONTAINER:PATH, and keeps host paths and - whole', () => {
    expect(parseCopyArg('web:/etc/motd')).toEqual({ container: 'web', path: '/etc/motd' });
    expect(parseCopyArg('web:')).toEqual({ container: 'web', path: '/' });
    expect(parseCopyArg('./a:b')).toEqual({ path: './a:b' });
    expect(parseCopyArg('/tmp/x:y')).toEqual({ path: '/tmp/x:y' });
    expect(parseCopyArg('-')).toEqual({ path: '-' });
    expect(parseCopyArg('file')).toEqual({ path: 'file' });
  });

  it('resolves symlinks as if the rootfs were /, never above it', () => {
    expect(resolveInRoot(root, '/etclink/motd', false)).toBe(`${root}/etc/motd`);
    expect(resolveInRoot(root, '/up/etc/passwd', false)).toBe(`${root}/etc/passwd`);
    expect(resolveInRoot(root, '/../../etc', false)).toBe(`${root}/etc`);
    expect(resolveInRoot(root, '/etclink', false)).toBe(`${root}/etclink`);
    expect(resolveInRoot(root, '/etclink', true)).toBe(`${root}/etc`);
    fs.symlinkSync('loop', `${root}/loop`);
    expect(() => resolveInRoot(root, '/loop/x', false)).toThrow(/too many levels of symbolic links/);
  });
});

describe('cp', () => {
  it('copies a file out under the name given, keeping its mode', async () => {
    await copy(inC('/etc/motd'), onHost(`${host}/m`), 'web', {});
    expect(fs.readFileSync(`${host}/m`, 'utf8')).toBe('hello\n');
    expect(fs.statSync(`${host}/m`).mode & 0o777).toBe(0o640);
    await copy(inC('/etc/motd'), onHost(host), 'web', {});
    expect(fs.existsSync(`${host}/motd`)).toBe(true);
  });

  it('copies a directory to a new name, into an existing directory, or only its contents with /.', async () => {
    await copy(inC('/data'), onHost(`${host}/new`), 'web', {});
    expect(fs.readFileSync(`${host}/new/sub/b.txt`, 'utf8')).toBe('b');
    await copy(inC('/data'), onHost(`${host}/new`), 'web', {});
    expect(fs.readFileSync(`${host}/new/data/a.txt`, 'utf8')).toBe('a');
    fs.mkdirSync(`${host}/flat`);
    await copy(inC('/data/.'), onHost(`${host}/flat`), 'web', {});
    expect(fs.readdirSync(`${host}/flat`).sort()).toEqual(['a.txt', 'sub']);
  });

  it('writes into the container through its own symlinks, confined to its rootfs', async () => {
    fs.writeFileSync(`${host}/conf`, 'x=1\n');
    await copy(onHost(`${host}/conf`), inC('/etclink/'), 'web', {});
    expect(fs.readFileSync(`${root}/etc/conf`, 'utf8')).toBe('x=1\n');
    await copy(onHost(`${host}/conf`), inC('/up/conf2'), 'web', {});
    expect(fs.existsSync(`${root}/conf2`)).toBe(true);
  });

  it('never writes through a symlink below the destination: a directory replaces it, a crafted stream is refused', async () => {
    fs.mkdirSync(`${host}/src/etclink`, { recursive: true });
    fs.writeFileSync(`${host}/src/etclink/evil`, 'x');
    await copy(onHost(`${host}/src/.`), inC('/'), 'web', {});
    expect(fs.lstatSync(`${root}/etclink`).isDirectory()).toBe(true);
    expect(fs.existsSync(`${root}/etc/evil`)).toBe(false);
    // A stream whose entry goes through the link without a directory entry of its own.
    fs.rmSync(`${root}/etclink`, { recursive: true });
    fs.symlinkSync('/etc', `${root}/etclink`);
    const header = new tar.Header({ path: 'etclink/evil', type: 'File', size: 1, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0 });
    const block = Buffer.alloc(512);
    header.encode(block);
    const stream = Buffer.concat([block, Buffer.from('x'), Buffer.alloc(511), Buffer.alloc(1024)]);
    await expect(copy(onHost('-'), inC('/'), 'web', { stdin: Readable.from([stream]) })).rejects.toThrow(/copy incomplete/);
    expect(fs.existsSync(`${root}/etc/evil`)).toBe(false);
  });

  it('says what is wrong with the paths', async () => {
    await expect(copy(inC('/nope'), onHost(host), 'web', {})).rejects.toThrow('"/nope" in container web could not be found: no such file or directory');
    await expect(copy(inC('/data'), onHost(`${host}/missing/x`), 'web', {})).rejects.toThrow(/parent directory of .* does not exist/);
    fs.writeFileSync(`${host}/file`, '');
    await expect(copy(inC('/data'), onHost(`${host}/file`), 'web', {})).rejects.toThrow(/cannot copy a directory onto the file/);
    await expect(copy(inC('/etc/motd'), onHost(`${host}/nodir/`), 'web', {})).rejects.toThrow(/destination directory .* does not exist/);
    await expect(copy(inC('/etc/motd/'), onHost(host), 'web', {})).rejects.toThrow(/is not a directory/);
  });

  it('packs to and unpacks from tar streams', async () => {
    const chunks: Buffer[] = [];
    const { Writable } = await import('node:stream');
    const out = new Writable({ write: (c, _e, cb) => (chunks.push(c), cb()) });
    await copy(inC('/data'), onHost('-'), 'web', { stdout: out });
    const names: string[] = [];
    await new Promise<void>((resolve, reject) => Readable.from([Buffer.concat(chunks)]).pipe(tar.t({ onReadEntry: (e) => names.push(e.path) })).on('end', resolve).on('error', reject));
    expect(names.sort()).toEqual(['data/', 'data/a.txt', 'data/sub/', 'data/sub/b.txt']);
    await copy(onHost('-'), inC('/etc'), 'web', { stdin: Readable.from([Buffer.concat(chunks)]) });
    expect(fs.readFileSync(`${root}/etc/data/sub/b.txt`, 'utf8')).toBe('b');
    await expect(copy(onHost('-'), inC('/etc/motd'), 'web', { stdin: Readable.from([Buffer.alloc(1024)]) })).rejects.toThrow(/is not a directory/);
  });
});

async function list(stream: Readable): Promise<Array<{ path: string; type: string; linkpath?: string; size: number; mode?: number }>> {
  const out: Array<{ path: string; type: string; linkpath?: string; size: number; mode?: number }> = [];
  const parser = tar.t({ onReadEntry: (e) => out.push({ path: e.path, type: e.type, linkpath: e.linkpath, size: e.size, mode: e.mode }) });
  await new Promise<void>((resolve, reject) => stream.pipe(parser).on('end', resolve).on('error', reject));
  return out;
}

describe('commit layer packing', () => {
  it('packs files, links, long names and fuse-overlayfs whiteouts in sorted order, leaving out empty mount points', async () => {
    const up = path.join(tmp, 'upper');
    fs.mkdirSync(`${up}/etc`, { recursive: true });
    fs.writeFileSync(`${up}/etc/hosts`, '');
    fs.writeFileSync(`${up}/etc/new`, 'x'.repeat(1500), { mode: 0o600 });
    fs.linkSync(`${up}/etc/new`, `${up}/etc/new2`);
    fs.symlinkSync('new', `${up}/etc/link`);
    fs.writeFileSync(`${up}/etc/.wh.motd`, '');
    const long = `${'d'.repeat(120)}/${'f'.repeat(120)}`;
    fs.mkdirSync(`${up}/${'d'.repeat(120)}`);
    fs.writeFileSync(`${up}/${long}`, 'deep');
    const entries = await list(packLayer(up, { skipEmpty: new Set(['/etc/hosts']) }));
    expect(entries.map((e) => `${e.type} ${e.path}${e.linkpath ? ` -> ${e.linkpath}` : ''}`)).toEqual([
      `Directory ${'d'.repeat(120)}/`,
      `File ${long}`,
      'Directory etc/',
      'File etc/.wh.motd',
      'SymbolicLink etc/link -> new',
      'File etc/new',
      'Link etc/new2 -> etc/new',
    ]);
    const file = entries.find((e) => e.path === 'etc/new')!;
    expect(file.size).toBe(1500);
    expect(file.mode! & 0o777).toBe(0o600);
  });

  it('reads exactly the recorded size even if a file shrinks, so the archive stays valid', async () => {
    const up = path.join(tmp, 'upper2');
    fs.mkdirSync(up);
    fs.writeFileSync(`${up}/f`, 'abc');
    const stream = packLayer(up);
    const chunks: Buffer[] = [];
    for await (const c of stream) {
      chunks.push(c as Buffer);
      if (chunks.length === 1) fs.truncateSync(`${up}/f`, 1);
    }
    const entries = await list(Readable.from([Buffer.concat(chunks)]));
    expect(entries).toHaveLength(1);
    expect(Buffer.concat(chunks).length % 512).toBe(0);
  });
});

describe('stats arithmetic', () => {
  it('formats durations as Go does', () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(24_123_000)).toBe('24.123ms');
    expect(goDuration(1_500_000_000)).toBe('1.5s');
    expect(goDuration(62_500_000_000)).toBe('1m2.5s');
    expect(goDuration(3_723_000_000_000)).toBe('1h2m3s');
  });

  it('gives CPU percent of one CPU over the wall time between samples', () => {
    const now = { at: 2000, cpuNanos: 500_000_000, memUsage: 0, memLimit: 1, netInput: 0, netOutput: 0, blockInput: 0, blockOutput: 0, pids: 1 };
    expect(cpuPercent(now, { at: 1000, cpuNanos: 0 })).toBe(50);
    expect(cpuPercent(now, { at: 2000, cpuNanos: 0 })).toBe(0);
  });

  it("formats a row in Podman's shapes, with -- for a container without a sample", () => {
    const c = { id: 'f'.repeat(64), name: 'web', status: { startedAt: 0 } } as unknown as Container;
    const s = { at: 2000, cpuNanos: 1_000_000_000, memUsage: 1_540_000, memLimit: 25_300_000_000, netInput: 0, netOutput: 1234, blockInput: 28_700, blockOutput: 4_100, pids: 3 };
    expect(statsRow(c, s, { ...s, at: 1000, cpuNanos: 500_000_000 })).toEqual({ ID: 'ffffffffffff', Name: 'web', CPUPerc: '50.00%', AVGCPU: '50.00%', MemUsage: '1.54MB / 25.3GB', MemUsageBytes: '1.54 MB / 25.3 GB', MemPerc: '0.01%', NetIO: '0B / 1.23kB', BlockIO: '28.7kB / 4.1kB', PIDs: '3', CPUTime: '1s', UpTime: '2s' });
    expect(statsRow(c, undefined, undefined)).toMatchObject({ CPUPerc: '--', MemUsage: '-- / --', PIDs: '--' });
  });

  it('samples a live process tree from /proc', () => {
    const s = sample(process.pid)!;
    expect(containerProcesses(process.pid)).toContain(process.pid);
    expect(s.memUsage).toBeGreaterThan(1_000_000);
    expect(s.memLimit).toBe(os.totalmem());
    expect(s.pids).toBeGreaterThanOrEqual(1);
    expect(s.cpuNanos).toBeGreaterThan(0);
    expect(sample(2 ** 22 + 7)).toBeUndefined();
  });
});

describe('pause', () => {
  const c = { name: 'web' } as Container;
  it('says why a rootless container cannot be frozen on cgroups v1 and v2 hosts', () => {
    const v1 = path.join(tmp, 'v1');
    fs.mkdirSync(`${v1}/freezer`, { recursive: true });
    expect(() => checkFreezer(c, v1)).toThrow(/cgroups v1\) .*freezer belongs to (root|you).*Podman refuses the same/);
    expect(() => checkFreezer(c, path.join(tmp, 'none'))).toThrow(/without a freezer hierarchy/);
    const v2 = path.join(tmp, 'v2');
    fs.mkdirSync(v2);
    fs.writeFileSync(`${v2}/cgroup.controllers`, 'cpu memory pids\n');
    expect(() => checkFreezer(c, v2)).toThrow(/no cgroup v2 subtree is delegated to you, so the container has no cgroup of its own/);
  });
});
