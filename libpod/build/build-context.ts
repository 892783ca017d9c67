// The build's context and Containerfile, as Podman 5 finds them: a directory, stdin ('-': a tar,
// gzipped or not, or a Containerfile) or an http(s) URL (a tarball, or a Containerfile); -f files
// relative to the working directory when they exist there, else to the context; then the ignore
// file: --ignorefile, <Containerfile>.dockerignore/.containerignore, .containerignore, .dockerignore.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { InvalidArgumentError, TspodError } from '../../src/errors';
import { compileIgnore, type IgnoreMatcher } from './ignore';
import { isTarHeader, compressionOf, prepend, unpackArchive, type ArchiveKind } from './build-archive';
import { hostPath, resolveInRoot } from './root-path';

export interface ContextOptions {
  /** A directory, '-' (stdin), an http(s):// URL, or '' (the first local -f file's directory). */
  context: string;
  /** -f values: paths, '-' (stdin) or URLs; several are concatenated in order. */
  files: string[];
  ignoreFile?: string;
  /** Where a context from stdin or a URL is unpacked (a new directory is made under it and removed by close()). */
  tmpDir: string;
  stdin: NodeJS.ReadableStream;
}

export interface OpenedContext {
  /** The context directory (absolute). */
  dir: string;
  /** The Containerfile text (several -f joined) and its name for messages. */
  dockerfile: { text: string; name: string };
  ignore: IgnoreMatcher;
  /** Removes what openContext unpacked or downloaded. */
  close(): void;
}

export class BuildContextError extends TspodError {
  override readonly code = 'EBUILDCONTEXT';
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);
const isGit = (s: string) => /^git:\/\//i.test(s) || /^git@/.test(s) || (isUrl(s) && /\.git(#.*)?$/.test(s));

/** The first bytes of a stream (at least n, unless it ends first) and the iterator for the rest. */
async function peek(stream: AsyncIterable<Buffer | string>, n: number): Promise<{ head: Buffer; rest: AsyncIterator<Buffer | string> }> {
  const it = stream[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  while (size < n) {
    const r = await it.next();
    if (r.done) break;
    const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
    chunks.push(b);
    size += b.length;
  }
  return { head: Buffer.concat(chunks), rest: it };
}

async function* remaining(it: AsyncIterator<Buffer | string>): AsyncGenerator<Buffer> {
  for (;;) {
    const r = await it.next();
    if (r.done) return;
    yield Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
  }
}

async function readAll(head: Buffer, it: AsyncIterator<Buffer | string>): Promise<Buffer> {
  const chunks = [head];
  for await (const c of remaining(it)) chunks.push(c);
  return Buffer.concat(chunks);
}

/** A tar (plain or gzip) or anything else (a Containerfile), from the head of a stream. */
function tarKind(head: Buffer): ArchiveKind | undefined {
  const c = compressionOf(head);
  if (c) return c;
  return isTarHeader(head.subarray(0, 512)) ? 'tar' : undefined;
}

/** Reads a stream (stdin, a download): a tar is unpacked into dir, anything else is returned as text. */
async function tarOrText(stream: AsyncIterable<Buffer | string>, dir: string, what: string): Promise<string | undefined> {
  const { head, rest } = await peek(stream, 512);
  const kind = tarKind(head);
  if (!kind) return (await readAll(head, rest)).toString('utf8');
  try {
    await unpackArchive(prepend(head, remaining(rest)), kind, dir, { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 });
  } catch (err) {
    throw new BuildContextError(`unpacking the build context from ${what}: ${(err as Error).message}`, { cause: err });
  }
  return undefined;
}

async function download(url: string): Promise<Readable> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow' });
  } catch (err) {
    throw new BuildContextError(`reading "${url}": ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`, { cause: err });
  }
  if (!res.ok || !res.body) throw new BuildContextError(`reading "${url}": invalid response status ${res.status}`);
  return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
}

function readFileText(file: string, shown: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new BuildContextError(`the specified Containerfile or Dockerfile does not exist, ${shown}: no such file or directory`);
  }
  if (st.isDirectory()) throw new BuildContextError(`containerfile: "${shown}" cannot be path to a directory`);
  return fs.readFileSync(file, 'utf8');
}

/** The local path of a -f value: as given when it exists from the working directory, else inside the context. */
function localFile(f: string, dir: string): string {
  if (path.isAbsolute(f) || fs.existsSync(f)) return path.resolve(f);
  return path.join(dir, f);
}

function ignoreOf(dir: string, localFiles: string[], ignoreFile: string | undefined): IgnoreMatcher {
  if (ignoreFile !== undefined) {
    try {
      return compileIgnore(fs.readFileSync(ignoreFile, 'utf8'), path.resolve(ignoreFile));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BuildContextError(`open ${ignoreFile}: no such file or directory: check --ignorefile`);
      throw err;
    }
  }
  // Podman 5: the first Containerfile that has one decides, .dockerignore beside it winning over .containerignore.
  for (const f of localFiles) {
    for (const suffix of ['.dockerignore', '.containerignore']) if (fs.existsSync(f + suffix)) return compileIgnore(fs.readFileSync(f + suffix, 'utf8'), f + suffix);
  }
  for (const name of ['.containerignore', '.dockerignore']) {
    const r = resolveInRoot(dir, name, true);
    if (r.exists && fs.statSync(hostPath(dir, r.rel)).isFile()) return compileIgnore(fs.readFileSync(hostPath(dir, r.rel), 'utf8'), path.join(dir, name));
  }
  return compileIgnore('');
}

/** Opens the build's context, Containerfile(s) and ignore rules (see the file's opening comment). */
export async function openContext(opts: ContextOptions): Promise<OpenedContext> {
  const files = opts.files;
  if (opts.context === '-' && files.includes('-')) throw new InvalidArgumentError('cannot read both the build context and the Containerfile from standard input: give one of them as a file');
  if (isGit(opts.context)) throw new InvalidArgumentError(`building from a git repository ("${opts.context}") is not supported: clone it and give its directory as the context`);
  let tmp: string | undefined;
  const close = () => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    tmp = undefined;
  };
  try {
    let dir: string;
    let fromStream: string | undefined; // a Containerfile read from stdin or a URL in place of a context
    if (opts.context === '-' || isUrl(opts.context)) {
      fs.mkdirSync(opts.tmpDir, { recursive: true });
      tmp = fs.mkdtempSync(path.join(opts.tmpDir, 'tspod-build-context-'));
      dir = path.join(tmp, 'context');
      fs.mkdirSync(dir);
      const stream = opts.context === '-' ? (opts.stdin as AsyncIterable<Buffer | string>) : await download(opts.context);
      fromStream = await tarOrText(stream, dir, opts.context === '-' ? 'standard input' : `"${opts.context}"`);
    } else if (opts.context === '') {
      const first = files.find((f) => f !== '-' && !isUrl(f));
      if (!first) throw new InvalidArgumentError('no context directory and no Containerfile specified');
      dir = path.dirname(path.resolve(first));
    } else {
      dir = path.resolve(opts.context);
      if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new BuildContextError(`context must be a directory: "${dir}"`);
    }
    if (fromStream !== undefined && files.length > 0) {
      const where = opts.context === '-' ? 'standard input' : `"${opts.context}"`;
      throw new InvalidArgumentError(`the build context from ${where} is not a tar archive, and -f names the Containerfile: give the context as a tar (plain or gzip), or leave out -f`);
    }
    const texts: string[] = [];
    const localFiles: string[] = [];
    for (const f of files) {
      if (f === '-') texts.push((await readAll(Buffer.alloc(0), (opts.stdin as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]())).toString('utf8'));
      else if (isUrl(f)) texts.push((await readAll(Buffer.alloc(0), (await download(f))[Symbol.asyncIterator]())).toString('utf8'));
      else {
        const file = localFile(f, dir);
        texts.push(readFileText(file, file));
        localFiles.push(file);
      }
    }
    let name = files[0] ?? '';
    if (files.length === 0) {
      if (fromStream !== undefined) {
        texts.push(fromStream);
        name = opts.context === '-' ? '-' : opts.context;
      } else {
        const found = ['Containerfile', 'Dockerfile'].map((n) => path.join(dir, n)).find((p) => fs.existsSync(p));
        if (!found) throw new BuildContextError(`no Containerfile or Dockerfile specified or found in context directory, ${dir}: no such file or directory`);
        texts.push(readFileText(found, found));
        localFiles.push(found);
        name = found;
      }
    }
    const text = texts.map((t) => (t.endsWith('\n') || t === '' ? t : `${t}\n`)).join('');
    return { dir, dockerfile: { text, name }, ignore: ignoreOf(dir, localFiles, opts.ignoreFile), close };
  } catch (err) {
    close();
    throw err;
  }
}
