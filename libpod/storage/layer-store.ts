// The on-disk side of the layer store. Layers live in <root>/overlay/<chain-id-hex>/diff. A layer is
// extracted into <root>/tmp/stage-<pid>-*/diff and renamed into place only inside the state
// transaction that records it, so a directory without a database row is garbage, never a layer.
// Removal renames into <root>/trash inside the transaction and deletes after it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Readable } from 'node:stream';
import { extractLayer, type ExtractOptions, type ExtractResult } from './layer-extract';
import { processStartTime } from '../rootless/pause-process';
import { removeLock } from '../lock/file-lock';

export interface StagedLayer {
  dir: string;
  result: ExtractResult;
  /** Set once published: where the content now lives. */
  publishedTo?: string;
  /** The kept blob that holds this content, when it is not the one the manifest names. */
  blobDigest?: string;
}

/** OCI chain IDs: ChainID(L0) = DiffID(L0); ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln)). */
export function chainIds(diffIds: string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) {
    const prev = out[out.length - 1];
    out.push(prev === undefined ? d : `sha256:${crypto.createHash('sha256').update(`${prev} ${d}`).digest('hex')}`);
  }
  return out;
}

const hex = (digest: string) => digest.replace(/^sha256:/, '');

export class LayerStore {
  readonly layersDir: string;
  readonly tmpDir: string;
  readonly trashDir: string;

  /** Compressed layer blobs as they came from the registry or the import, for push and save. */
  readonly blobsDir: string;

  constructor(readonly root: string) {
    this.blobsDir = path.join(root, 'blobs', 'sha256');
    this.layersDir = path.join(root, 'overlay');
    this.tmpDir = path.join(root, 'tmp');
    this.trashDir = path.join(root, 'trash');
  }

  layerDir(chainId: string): string {
    return path.join(this.layersDir, hex(chainId));
  }

  diffDir(chainId: string): string {
    return path.join(this.layerDir(chainId), 'diff');
  }

  blobPath(digest: string): string {
    return path.join(this.blobsDir, hex(digest));
  }

  /** Whether a kept blob is gzip-compressed (imported tarballs may be plain tar). */
  blobIsGzip(file: string): boolean {
    const head = Buffer.alloc(2);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, head, 0, 2, 0);
    } finally {
      fs.closeSync(fd);
    }
    return head[0] === 0x1f && head[1] === 0x8b;
  }

  /** Moves a verified blob file into the blob store (a no-op if the same blob is there already). */
  keepBlob(file: string, digest: string): void {
    fs.mkdirSync(this.blobsDir, { recursive: true, mode: 0o700 });
    fs.renameSync(file, this.blobPath(digest));
  }

  /** Synchronous, inside the transaction that deleted the last layer using this blob. */
  trashBlob(digest: string): void {
    const p = this.blobPath(digest);
    if (fs.existsSync(p)) this.moveToTrash(p);
  }

  /** An empty directory used as the extra lower of single-layer read-only mounts. */
  emptyDir(): string {
    const dir = path.join(this.layersDir, 'empty');
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    return dir;
  }

  /** Extracts a layer stream into a fresh staging directory; on failure nothing of it remains. */
  async stage(input: Readable, opts: Omit<ExtractOptions, 'target'>): Promise<StagedLayer> {
    fs.mkdirSync(this.tmpDir, { recursive: true, mode: 0o700 });
    const dir = fs.mkdtempSync(path.join(this.tmpDir, `stage-${process.pid}-`));
    const target = path.join(dir, 'diff');
    fs.mkdirSync(target, { mode: 0o755 });
    try {
      return { dir, result: await extractLayer(input, { ...opts, target }) };
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** A staged copy of a stored layer's content (same diffID at another chain position). */
  stageCopy(fromChainId: string, result: ExtractResult): StagedLayer {
    fs.mkdirSync(this.tmpDir, { recursive: true, mode: 0o700 });
    const dir = fs.mkdtempSync(path.join(this.tmpDir, `stage-${process.pid}-`));
    const r = spawnSync('cp', ['-a', this.diffDir(fromChainId), path.join(dir, 'diff')]);
    if (r.status !== 0) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`cannot copy layer ${fromChainId}: ${String(r.stderr).trim()}`);
    }
    return { dir, result };
  }

  /** Synchronous, for use inside the state transaction that records the layer. */
  publish(staged: StagedLayer, chainId: string): void {
    const final = this.layerDir(chainId);
    fs.mkdirSync(this.layersDir, { recursive: true, mode: 0o700 });
    // A directory here without a row is left by a crash: it is not trusted.
    if (fs.existsSync(final)) this.moveToTrash(final);
    fs.renameSync(staged.dir, final);
    staged.publishedTo = final;
  }

  /**
   * Like publish, but one staged layer may serve several chain IDs of a pull (the same layer at
   * two positions): after the first rename, later ones get a copy that keeps owners and xattrs.
   */
  publishCopy(staged: StagedLayer, chainId: string): void {
    if (!staged.publishedTo) return this.publish(staged, chainId);
    const copy = fs.mkdtempSync(path.join(this.tmpDir, `stage-${process.pid}-`));
    fs.rmdirSync(copy);
    const r = spawnSync('cp', ['-a', staged.publishedTo, copy]);
    if (r.status !== 0) throw new Error(`cannot copy layer ${staged.publishedTo}: ${String(r.stderr).trim()}`);
    const final = this.layerDir(chainId);
    if (fs.existsSync(final)) this.moveToTrash(final);
    fs.renameSync(copy, final);
  }

  discard(staged: StagedLayer): void {
    if (staged.publishedTo) return;
    fs.rmSync(staged.dir, { recursive: true, force: true });
  }

  /** Synchronous, inside the transaction that deletes the layer's row. */
  trashLayer(chainId: string): void {
    const dir = this.layerDir(chainId);
    if (fs.existsSync(dir)) this.moveToTrash(dir);
  }

  /** Moves to the trash made inside withUndoableTrash, to be put back if its transaction fails. */
  private trashJournal?: Array<{ from: string; to: string }>;

  private moveToTrash(dir: string): void {
    fs.mkdirSync(this.trashDir, { recursive: true, mode: 0o700 });
    const to = path.join(this.trashDir, `${path.basename(dir)}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
    fs.renameSync(dir, to);
    this.trashJournal?.push({ from: dir, to });
  }

  /**
   * Runs fn, a state transaction that deletes rows and moves their files to the trash. If it
   * throws (a commit refused on a full disk), the rows stay, so the files are put back: nothing
   * recorded may lose its files. A rename back needs no free space.
   */
  withUndoableTrash<T>(fn: () => T): T {
    const journal: Array<{ from: string; to: string }> = [];
    this.trashJournal = journal;
    try {
      return fn();
    } catch (err) {
      for (const m of journal.reverse()) fs.renameSync(m.to, m.from);
      throw err;
    } finally {
      this.trashJournal = undefined;
    }
  }

  /**
   * Deletes what this process and processes that are gone put in the trash; another live
   * process's entries may still be put back by its withUndoableTrash, and it empties them itself.
   */
  emptyTrash(): void {
    for (const name of safeReaddir(this.trashDir)) {
      const pid = Number(/-(\d+)-[0-9a-f]{8}$/.exec(name)?.[1]);
      if (pid && pid !== process.pid && processStartTime(pid) !== null) continue;
      fs.rmSync(path.join(this.trashDir, name), { recursive: true, force: true });
    }
  }

  /**
   * Removes staging directories, import blobs and the API service's spooled bodies of processes that are gone (a killed import or service) and layer directories
   * that no row names. Call inside an exclusive transaction, with the set of recorded layer IDs.
   */
  collectGarbage(recorded: Set<string>): string[] {
    const removed: string[] = [];
    for (const name of safeReaddir(this.tmpDir)) {
      const m = /^(?:stage|import|api)-(\d+)-/.exec(name);
      if (!m || Number(m[1]) === process.pid || processStartTime(Number(m[1])) !== null) continue;
      this.moveToTrash(path.join(this.tmpDir, name));
      removed.push(path.join(this.tmpDir, name));
    }
    for (const name of safeReaddir(this.layersDir)) {
      if (name === 'empty' || !/^[a-f0-9]{64}$/.test(name) || recorded.has(`sha256:${name}`)) continue;
      this.moveToTrash(path.join(this.layersDir, name));
      removed.push(path.join(this.layersDir, name));
    }
    return removed;
  }

  /**
   * Partial downloads (<tmp>/partial/*.partial) that no pull is writing now (busy says which
   * are), with their lock directories. The bytes of a killed pull stay for the next pull to
   * resume from until this runs. Returns the files removed.
   */
  collectPartials(busy: (file: string) => boolean): string[] {
    const dir = path.join(this.tmpDir, 'partial');
    const removed: string[] = [];
    for (const name of safeReaddir(dir)) {
      if (!name.endsWith('.partial')) continue;
      const file = path.join(dir, name);
      if (busy(file) || !removeLock(file)) continue; // the lock of a killed pull (gone stale), with its owner file
      fs.rmSync(file, { force: true });
      removed.push(file);
    }
    return removed;
  }

  /**
   * Blobs that no layer row names, older than an hour (a pull keeps its blob before it commits
   * the layer; the hour keeps this from racing it). Call inside an exclusive transaction.
   */
  collectBlobs(usedDigests: Set<string>): void {
    const cutoff = Date.now() - 3600_000;
    for (const name of safeReaddir(this.blobsDir)) {
      if (usedDigests.has(`sha256:${name}`)) continue;
      const p = path.join(this.blobsDir, name);
      try {
        if (fs.statSync(p).mtimeMs < cutoff) this.moveToTrash(p);
      } catch {
        /* gone already */
      }
    }
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
