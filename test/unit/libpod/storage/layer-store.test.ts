import { describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { chainIds, LayerStore } from '../../../../libpod/storage/layer-store';
import { cleanEntryPath } from '../../../../libpod/storage/layer-extract';
import { buildIdMap, maxMappedId } from '../../../../libpod/rootless/pause-process';

const sha = (s: string) => `sha256:${crypto.createHash('sha256').update(s).digest('hex')}`;

/** A minimal ustar archive with regular files. */
function tarOf(files: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, body] of Object.entries(files)) {
    const h = Buffer.alloc(512);
    h.write(name, 0);
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0' + '00', 257);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    parts.push(h, Buffer.concat([Buffer.from(body), Buffer.alloc((512 - (body.length % 512)) % 512)]));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

describe('chain IDs', () => {
  it('follow the OCI definition', () => {
    const [a, b, c] = [sha('a'), sha('b'), sha('c')];
    const ab = sha(`${a} ${b}`);
    expect(chainIds([a, b, c])).toEqual([a, ab, sha(`${ab} ${c}`)]);
    expect(chainIds([])).toEqual([]);
  });
});

describe('entry paths and ID maps', () => {
  it.each([
    ['etc/passwd', 'etc/passwd'],
    ['./etc/', 'etc'],
    ['/abs/file', 'abs/file'],
    ['a/../b', 'b'],
    ['./', '.'],
    ['../x', null],
    ['a/../../x', null],
    ['..', null],
  ])('cleans %j to %j', (input, want) => {
    expect(cleanEntryPath(input)).toBe(want);
  });

  it('maps root to the user and the ranges after it', () => {
    expect(buildIdMap(1000, [{ start: 100000, count: 65536 }, { start: 300000, count: 10 }])).toEqual([
      { inside: 0, outside: 1000, count: 1 },
      { inside: 1, outside: 100000, count: 65536 },
      { inside: 65537, outside: 300000, count: 10 },
    ]);
    expect(maxMappedId('         0       1001          1\n         1     100000      65536\n')).toBe(65536);
    expect(maxMappedId('0 1000 1\n')).toBe(0);
  });
});

describe('LayerStore staging', () => {
  it('extracts, hashes the uncompressed stream, and publishes by rename', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-layers-'));
    const store = new LayerStore(root);
    const tar = tarOf({ 'hello.txt': 'hello\n', 'dir/x': 'x' });
    const staged = await store.stage(Readable.from([zlib.gzipSync(tar)]), { whiteouts: 'aufs', maxUid: 1 << 30, maxGid: 1 << 30 });
    expect(staged.result).toEqual({ diffId: `sha256:${crypto.createHash('sha256').update(tar).digest('hex')}`, size: tar.length, entries: 2 });
    store.publish(staged, staged.result.diffId);
    expect(fs.readFileSync(path.join(store.diffDir(staged.result.diffId), 'hello.txt'), 'utf8')).toBe('hello\n');
    expect(fs.readdirSync(store.tmpDir)).toEqual([]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('leaves nothing behind when the content does not match its digest', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-layers-'));
    const store = new LayerStore(root);
    const tar = tarOf({ a: 'a' });
    await expect(store.stage(Readable.from([tar]), { whiteouts: 'aufs', maxUid: 1 << 30, maxGid: 1 << 30, diffId: sha('other') })).rejects.toThrow(
      `layer content does not match its digest: expected ${sha('other')}`,
    );
    expect(fs.readdirSync(store.tmpDir)).toEqual([]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it.each([
    ['a small file', 64 * 1024],
    ['a large file', 6 * 1024 * 1024],
  ])('gives up, removing the stage, when the input fails in the middle of %s', async (_what, size) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-layers-'));
    const store = new LayerStore(root);
    const tar = tarOf({ big: 'y'.repeat(size) });
    const input = new Readable({ read() {} });
    input.push(tar.subarray(0, 512 + size / 2));
    setTimeout(() => input.destroy(new Error('read ECONNRESET')), 50);
    await expect(store.stage(input, { whiteouts: 'aufs', maxUid: 1 << 30, maxGid: 1 << 30 })).rejects.toThrow('cannot read the layer: read ECONNRESET');
    expect(fs.readdirSync(store.tmpDir)).toEqual([]);
    fs.rmSync(root, { recursive: true, force: true });
  }, 5000);

  it('refuses an owner the namespace does not map, naming the file and the IDs', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-layers-'));
    const store = new LayerStore(root);
    const tar = tarOf({ f: 'x' });
    tar.write('0000041\0', 108); // uid 33
    let sum = 0;
    tar.write('        ', 148);
    for (const b of tar.subarray(0, 512)) sum += b;
    tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    await expect(store.stage(Readable.from([tar]), { whiteouts: 'aufs', maxUid: 0, maxGid: 0 })).rejects.toThrow('(requested 33:0 for /f)');
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe('LayerStore garbage collection', () => {
  it("removes the API service's spool files of a process that is gone, not of live ones", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-ls-gc-'));
    try {
      const store = new LayerStore(root);
      fs.mkdirSync(store.tmpDir, { recursive: true });
      const dead = 4_194_304; // PID_MAX_LIMIT: never a valid pid, whatever pid_max is
      const names = [`api-${dead}-load-aa.tar`, `api-${process.pid}-save-bb.tar`, `api-${process.ppid}-export-cc.tar`, `partial`];
      for (const n of names) fs.writeFileSync(path.join(store.tmpDir, n), 'x');
      const removed = store.collectGarbage(new Set());
      expect(removed).toEqual([path.join(store.tmpDir, names[0])]);
      expect(fs.readdirSync(store.tmpDir).sort()).toEqual(names.slice(1).sort());
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
