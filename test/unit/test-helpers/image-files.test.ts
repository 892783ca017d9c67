// The build corpus's image flattener (test/integration/image-files.ts): layers made here byte by byte,
// so that what the corpus reports as "the same files" is known to see whiteouts, opaque directories,
// hard links, xattrs, owners and modes.
import { describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { flattenLayers, readTar } from '../../integration/image-files';

interface Spec {
  name: string;
  type?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  body?: string;
  link?: string;
  pax?: Record<string, string>;
}

const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function header(s: Spec, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(s.name, 0, 100, 'utf8');
  h.write(octal(s.mode ?? 0o644, 8), 100, 'ascii');
  h.write(octal(s.uid ?? 0, 8), 108, 'ascii');
  h.write(octal(s.gid ?? 0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(0, 12), 136, 'ascii');
  h.write(s.type ?? '0', 156, 'ascii');
  h.write(s.link ?? '', 157, 100, 'utf8');
  h.write('ustar\x0000', 257, 'binary');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

function padded(b: Buffer): Buffer {
  return Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);
}

function tar(entries: Spec[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (e.pax) {
      const recs = Object.entries(e.pax).map(([k, v]) => {
        const body = ` ${k}=${v}\n`;
        let len = body.length + 1;
        while (`${len}${body}`.length !== len) len++;
        return `${len}${body}`;
      });
      const data = Buffer.from(recs.join(''), 'latin1');
      parts.push(header({ name: 'PaxHeader', type: 'x' }, data.length), padded(data));
    }
    const data = Buffer.from(e.body ?? '');
    parts.push(header(e, data.length), padded(data));
  }
  return Buffer.concat([...parts, Buffer.alloc(1024)]);
}

describe('image-files', () => {
  it('reads names, owners, modes, links, pax paths and xattrs, gzip or not', () => {
    const t = tar([
      { name: './etc/', type: '5', mode: 0o755 },
      { name: './etc/app.conf', mode: 0o640, uid: 1000, gid: 33, body: 'x=1\n' },
      { name: './etc/link', type: '2', mode: 0o777, link: 'app.conf' },
      { name: 'short', pax: { path: 'a/very/long/name/from/pax', 'SCHILY.xattr.security.capability': '\x01\x00\x00\x02' }, mode: 0o4755, body: 'cap' },
    ]);
    for (const buf of [t, zlib.gzipSync(t)]) {
      const e = readTar(buf);
      expect(e.map((x) => [x.name, x.type, x.mode.toString(8), x.uid, x.gid, x.linkname])).toEqual([
        ['etc', '5', '755', 0, 0, ''],
        ['etc/app.conf', '0', '640', 1000, 33, ''],
        ['etc/link', '2', '777', 0, 0, 'app.conf'],
        ['a/very/long/name/from/pax', '0', '4755', 0, 0, ''],
      ]);
      expect(e[1].data.toString()).toBe('x=1\n');
    }
  });

  it('applies whiteouts, opaque directories, replacements and hard links as an overlay would', () => {
    const lower = readTar(tar([
      { name: 'd/', type: '5', mode: 0o755 },
      { name: 'd/a', body: 'a' },
      { name: 'd/sub/', type: '5' },
      { name: 'd/sub/b', body: 'b' },
      { name: 'gone', body: 'gone' },
      { name: 'tree/', type: '5' },
      { name: 'tree/x', body: 'x' },
      { name: 'kept', body: 'kept' },
    ]));
    const upper = readTar(tar([
      { name: 'd/', type: '5', mode: 0o750 },
      { name: 'd/new', body: 'new' },
      { name: 'd/.wh..wh..opq' },
      { name: '.wh.gone' },
      { name: 'tree', body: 'now a file' },
      { name: 'h1', mode: 0o755, body: 'linked' },
      { name: 'h2', type: '1', link: 'h1', mode: 0o755 },
      { name: 'cap', pax: { 'SCHILY.xattr.security.capability': '\x01\x00\x00\x02', 'SCHILY.xattr.user.overlay.origin': '' }, body: '' },
    ]));
    const contents = new Map<string, Buffer>();
    const files = flattenLayers([lower, upper], contents);
    expect([...files.keys()].sort()).toEqual(['/cap', '/d', '/d/new', '/h1', '/h2', '/kept', '/tree']);
    expect(files.get('/d')).toEqual({ type: 'dir', uid: 0, gid: 0, mode: '0750' });
    expect(files.get('/tree')).toEqual({ type: 'file', uid: 0, gid: 0, mode: '0644', sha256: sha('now a file') });
    expect(contents.get('/tree')?.toString()).toBe('now a file');
    expect(files.get('/h1')?.hardLinks).toEqual(['/h2']);
    expect(files.get('/h2')).toMatchObject({ type: 'file', mode: '0755', hardLinks: ['/h1'], sha256: files.get('/h1')?.sha256 });
    expect(contents.get('/h2')?.toString()).toBe('linked');
    expect(files.get('/cap')?.xattrs).toEqual({ 'security.capability': '01000002', 'user.overlay.origin': '' });
    expect(files.get('/kept')?.sha256).toBe(sha('kept'));
  });

  it('refuses a hard link to a path no layer has', () => {
    expect(() => flattenLayers([readTar(tar([{ name: 'h2', type: '1', link: 'nowhere' }]))])).toThrow('hard link /h2 to /nowhere, which no layer so far has');
  });
});
