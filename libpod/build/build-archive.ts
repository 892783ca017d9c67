// Tar archives a build unpacks: a context given as a tar (stdin, a URL) and ADD's local archives.
// The kind is sniffed from the first bytes (gzip, bzip2, xz magic; a tar header's checksum), and a
// compressed file counts as an archive only when what it decompresses to starts with a tar header.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import zlib from 'node:zlib';
import { PrerequisiteError, TspodError } from '../../src/errors';
import { findProgram } from '../host/programs';
import { maxMappedId } from '../rootless/pause-process';
import { extractInto } from '../storage/layer-extract';

export type ArchiveKind = 'tar' | 'gzip' | 'bzip2' | 'xz';

/** Whether a 512-byte block is a tar header: its checksum field matches its bytes (ustar or v7). */
export function isTarHeader(block: Buffer): boolean {
  if (block.length < 512) return false;
  const field = block.subarray(148, 156).toString('latin1').replace(/[\0 ]+$/, '').trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : block[i];
  return sum === parseInt(field, 8) && block[0] !== 0;
}

/** The compression a head of bytes has, by magic number (undefined: none). */
export function compressionOf(head: Buffer): Exclude<ArchiveKind, 'tar'> | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 3 && head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (head.length >= 6 && head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  return undefined;
}

function program(kind: 'bzip2' | 'xz'): string {
  const found = findProgram(kind);
  if (!found) throw new PrerequisiteError(`unpacking a ${kind} archive needs the ${kind} program: install it (apt-get install ${kind === 'xz' ? 'xz-utils' : 'bzip2'})`);
  return found;
}

/** The first bytes a head decompresses to (as far as it can), or undefined. */
function decompressHead(kind: Exclude<ArchiveKind, 'tar'>, head: Buffer): Buffer | undefined {
  try {
    if (kind === 'gzip') return zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const r = spawnSync(program(kind), ['-dc'], { input: head, maxBuffer: 64 * 1024 * 1024 });
    return r.stdout;
  } catch (err) {
    if (err instanceof PrerequisiteError) throw err;
    return undefined;
  }
}

/** What a head of bytes is: a (compressed) tar, or undefined for anything else. */
export function sniffArchive(head: Buffer): ArchiveKind | undefined {
  const kind = compressionOf(head);
  if (!kind) return isTarHeader(head.subarray(0, 512)) ? 'tar' : undefined;
  const plain = decompressHead(kind, head);
  return plain && isTarHeader(plain.subarray(0, 512)) ? kind : undefined;
}

/** The first up-to-n bytes of a file. */
export function readHead(file: string, n = 64 * 1024): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = fs.readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

/** A plain tar stream from a (compressed) one: gzip is left to the extractor, bzip2 and xz go through their programs. */
function plainStream(input: Readable, kind: ArchiveKind): Readable {
  if (kind === 'tar' || kind === 'gzip') return input;
  const child = spawn(program(kind), ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const out = new PassThrough();
  input.pipe(child.stdin);
  input.on('error', (err) => out.destroy(err));
  child.stdin.on('error', () => undefined);
  child.stdout.pipe(out, { end: false });
  child.on('close', (code) => {
    if (code === 0) out.end();
    else out.destroy(new TspodError(`${kind} -dc failed (exit ${code}): ${stderr.trim()}`));
  });
  return out;
}

/**
 * Unpacks a (compressed) tar into an existing directory without writing outside it or through a
 * symlink. owner: every entry's owner (ADD --chown; the context); otherwise the archive's owners,
 * which must be mapped in this user namespace.
 */
export async function unpackArchive(input: Readable, kind: ArchiveKind, target: string, owner?: { uid: number; gid: number }): Promise<void> {
  const maxUid = maxMappedId(fs.readFileSync('/proc/self/uid_map', 'utf8'));
  const maxGid = maxMappedId(fs.readFileSync('/proc/self/gid_map', 'utf8'));
  await extractInto(plainStream(input, kind), { target, maxUid, maxGid, owner });
}

/** A stream that yields head first, then the rest of input (after a head was read off it). */
export function prepend(head: Buffer, rest: AsyncIterable<Buffer>): Readable {
  return Readable.from(
    (async function* () {
      if (head.length > 0) yield head;
      for await (const chunk of rest) yield chunk;
    })(),
  );
}
