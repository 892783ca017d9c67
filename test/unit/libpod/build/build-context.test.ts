import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { openContext, type ContextOptions } from '../../../../libpod/build/build-context';

let tmp: string;
let ctx: string;
let scratch: string;
const cwd = process.cwd();

function write(base: string, files: Record<string, string>): void {
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
    fs.writeFileSync(path.join(base, rel), body);
  }
}

const open = (o: Partial<ContextOptions>) => openContext({ context: ctx, files: [], tmpDir: scratch, stdin: Readable.from([]), ...o });

/** A tar of a directory's contents (gzipped with z), as a stream in small chunks, as stdin delivers it. */
function tarStream(dir: string, z: boolean): Readable {
  const buf = execFileSync('tar', [z ? '-czf' : '-cf', '-', '-C', dir, '.']);
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += 100) chunks.push(buf.subarray(i, i + 100));
  return Readable.from(chunks);
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-ctx-'));
  ctx = path.join(tmp, 'ctx');
  scratch = path.join(tmp, 'scratch');
  fs.mkdirSync(ctx);
});
afterEach(() => {
  process.chdir(cwd);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('openContext from a directory', () => {
  it('prefers Containerfile over Dockerfile, and says what is missing as Podman does', async () => {
    write(ctx, { Dockerfile: 'FROM d\n' });
    expect((await open({})).dockerfile).toEqual({ text: 'FROM d\n', name: path.join(ctx, 'Dockerfile') });
    write(ctx, { Containerfile: 'FROM c\n' });
    expect((await open({})).dockerfile.text).toBe('FROM c\n');
    fs.rmSync(path.join(ctx, 'Containerfile'));
    fs.rmSync(path.join(ctx, 'Dockerfile'));
    await expect(open({})).rejects.toMatchObject({ message: `no Containerfile or Dockerfile specified or found in context directory, ${ctx}: no such file or directory`, exitCode: 125 });
    await expect(open({ context: path.join(tmp, 'nosuch') })).rejects.toThrow(`context must be a directory: "${path.join(tmp, 'nosuch')}"`);
  });

  it('finds -f from the working directory first, else in the context; joins several; reads - from stdin', async () => {
    write(ctx, { 'sub/A': 'FROM a', 'B': 'RUN b\n' });
    write(tmp, { 'here/B': 'RUN cwd-b\n' });
    process.chdir(path.join(tmp, 'here'));
    const c = await open({ files: ['sub/A', 'B', '-'], stdin: Readable.from([Buffer.from('RUN stdin\n')]) });
    expect(c.dockerfile.text).toBe('FROM a\nRUN cwd-b\nRUN stdin\n');
    await expect(open({ files: ['nosuch'] })).rejects.toThrow(`the specified Containerfile or Dockerfile does not exist, ${path.join(ctx, 'nosuch')}: no such file or directory`);
    await expect(open({ files: ['sub'] })).rejects.toThrow(`containerfile: "${path.join(ctx, 'sub')}" cannot be path to a directory`);
    // no context: the first -f file's directory
    expect((await open({ context: '', files: [path.join(ctx, 'sub/A')] })).dir).toBe(path.join(ctx, 'sub'));
  });

  it('reads the ignore file in Podman 5 order', async () => {
    write(ctx, { Containerfile: 'FROM x\n', '.dockerignore': 'docker', '.containerignore': 'container', 'other.ignore': 'other' });
    const ignores = async (o: Partial<ContextOptions> = {}) => (await open(o)).ignore.patterns;
    expect(await ignores()).toEqual(['container']);
    expect((await open({})).ignore.source).toBe(path.join(ctx, '.containerignore'));
    fs.rmSync(path.join(ctx, '.containerignore'));
    expect(await ignores()).toEqual(['docker']);
    write(ctx, { 'Containerfile.containerignore': 'cf-container' });
    expect(await ignores()).toEqual(['cf-container']);
    write(ctx, { 'Containerfile.dockerignore': 'cf-docker' });
    expect(await ignores()).toEqual(['cf-docker']);
    expect(await ignores({ ignoreFile: path.join(ctx, 'other.ignore') })).toEqual(['other']);
    await expect(open({ ignoreFile: path.join(ctx, 'nosuch') })).rejects.toThrow(/nosuch: no such file or directory/);
  });
});

describe('openContext from stdin', () => {
  beforeEach(() => write(path.join(tmp, 'src'), { Containerfile: 'FROM tar\n', 'app/main.txt': 'main', '.dockerignore': '*.log' }));

  it.each([false, true])('unpacks a tar (gzip: %s) into a temporary directory that close() removes', async (z) => {
    const c = await open({ context: '-', stdin: tarStream(path.join(tmp, 'src'), z) });
    expect(c.dir.startsWith(scratch)).toBe(true);
    expect(c.dockerfile.text).toBe('FROM tar\n');
    expect(fs.readFileSync(path.join(c.dir, 'app/main.txt'), 'utf8')).toBe('main');
    expect(c.ignore.ignored('x.log')).toBe(true);
    c.close();
    expect(fs.readdirSync(scratch)).toEqual([]);
  });

  it('takes text on stdin as the Containerfile, with an empty context', async () => {
    const c = await open({ context: '-', stdin: Readable.from([Buffer.from('FROM x\nRUN true')]) });
    expect(c.dockerfile).toEqual({ text: 'FROM x\nRUN true\n', name: '-' });
    expect(fs.readdirSync(c.dir)).toEqual([]);
    c.close();
  });

  it('refuses stdin for both context and Containerfile, text with -f, and a tar that escapes', async () => {
    write(ctx, { Containerfile: 'FROM x\n' });
    await expect(open({ context: '-', files: [path.join(ctx, 'Containerfile')], stdin: Readable.from([Buffer.from('FROM y\n')]) })).rejects.toThrow(
      'the build context from standard input is not a tar archive, and -f names the Containerfile: give the context as a tar (plain or gzip), or leave out -f',
    );
    expect(fs.readdirSync(scratch)).toEqual([]);
    await expect(open({ context: '-', files: ['-'] })).rejects.toThrow(/cannot read both the build context and the Containerfile from standard input/);
    const evil = execFileSync('tar', ['-cf', '-', '-C', tmp, '--transform', 's,^src/Containerfile,../../evil,', 'src/Containerfile']);
    await expect(open({ context: '-', stdin: Readable.from([evil]) })).rejects.toThrow(/points outside the destination/);
    expect(fs.existsSync(path.join(scratch, '..', 'evil'))).toBe(false);
  });
});

describe('openContext from a URL', () => {
  it('unpacks a tarball, or takes a Containerfile as the only file of the context', async () => {
    write(path.join(tmp, 'src'), { Containerfile: 'FROM url-tar\n', 'data/x': 'x' });
    const tgz = execFileSync('tar', ['-czf', '-', '-C', path.join(tmp, 'src'), '.']);
    const server = http.createServer((req, res) => {
      if (req.url === '/ctx.tar.gz') res.end(tgz);
      else if (req.url === '/Containerfile') res.end('FROM url-file\n');
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const a = await open({ context: `${base}/ctx.tar.gz` });
      expect(a.dockerfile.text).toBe('FROM url-tar\n');
      expect(fs.readFileSync(path.join(a.dir, 'data/x'), 'utf8')).toBe('x');
      a.close();
      const b = await open({ context: `${base}/Containerfile` });
      expect(b.dockerfile.text).toBe('FROM url-file\n');
      expect(fs.readdirSync(b.dir)).toEqual([]);
      b.close();
      await expect(open({ context: `${base}/missing` })).rejects.toThrow(`reading "${base}/missing": invalid response status 404`);
      expect(fs.readdirSync(scratch)).toEqual([]);
    } finally {
      server.close();
    }
  });
});
