// Secrets (issue 19), kept under the store root as Podman's file driver keeps them: the records in
// <root>/secrets/secrets.json, each secret's data in <root>/secrets/filedriver/<ID>, mode 0600.
// The data is read only to copy it into a container (run --secret) or for inspect --showsecret.
// Writes go through a temporary file and a rename under a lock, so that a crash or two creates at
// once never leave a half-written record. Used by the secret engine and by create.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, InvalidStateError, NoSuchSecretError } from '../../src/errors';

export interface Secret {
  /** 25 hex digits, as Podman's. */
  id: string;
  name: string;
  driver: 'file';
  driverOptions: Record<string, string>;
  labels: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

/** Podman's limit: more than nothing, less than 512000 bytes. */
export const MAX_SECRET_SIZE = 512000;

export function checkSecretName(name: string): void {
  if (name.length < 1 || name.length > 253 || /[=/,\0]/.test(name)) {
    throw new InvalidArgumentError(`secret name "${name}" can not include '=', '/', ',', or the '\\0' (NULL) and be between 1 and 253 characters: invalid secret name`);
  }
}

export class SecretStore {
  readonly dir: string;
  private readonly dataDir: string;
  private readonly index: string;

  constructor(root: string) {
    this.dir = path.join(root, 'secrets');
    this.dataDir = path.join(this.dir, 'filedriver');
    this.index = path.join(this.dir, 'secrets.json');
  }

  list(): Secret[] {
    try {
      return JSON.parse(fs.readFileSync(this.index, 'utf8')) as Secret[];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new InvalidStateError(`the secrets index ${this.index} cannot be read: ${(err as Error).message}`);
    }
  }

  /** By full name, full ID, or a unique ID prefix. */
  lookup(nameOrId: string): Secret {
    const all = this.list();
    const exact = all.find((s) => s.name === nameOrId || s.id === nameOrId);
    if (exact) return exact;
    const byPrefix = nameOrId ? all.filter((s) => s.id.startsWith(nameOrId)) : [];
    if (byPrefix.length > 1) throw new InvalidArgumentError(`more than one result secret with prefix ${nameOrId}: secret is ambiguous`);
    if (byPrefix.length === 0) throw new NoSuchSecretError(nameOrId);
    return byPrefix[0];
  }

  data(s: Secret): Buffer {
    return fs.readFileSync(path.join(this.dataDir, s.id));
  }

  /** Stores a new secret (or replaces one of that name's data); its ID. */
  store(name: string, data: Buffer, opts: { labels: Record<string, string>; replace: boolean; ignore: boolean }): string {
    checkSecretName(name);
    if (data.length === 0 || data.length >= MAX_SECRET_SIZE) throw new InvalidArgumentError(`secret data must be larger than 0 and less than ${MAX_SECRET_SIZE} bytes`);
    if (opts.replace && opts.ignore) throw new InvalidArgumentError('ignoreIfExists and replace cannot be used together: give --replace or --ignore');
    fs.mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    return this.locked(() => {
      const all = this.list();
      const old = all.find((s) => s.name === name);
      if (old && opts.ignore) return old.id;
      if (old && !opts.replace) throw new InvalidArgumentError(`${name}: secret name in use: remove it (tspod secret rm ${name}) or use --replace`);
      const now = Date.now();
      const s: Secret = old ? { ...old, labels: opts.labels, updatedAt: now } : { id: this.newId(all), name, driver: 'file', driverOptions: { path: this.dataDir }, labels: opts.labels, createdAt: now, updatedAt: now };
      writeAtomic(path.join(this.dataDir, s.id), data);
      this.save(old ? all.map((x) => (x.id === s.id ? s : x)) : [...all, s]);
      return s.id;
    });
  }

  /** Deletes the record and the data; the ID. */
  remove(nameOrId: string): string {
    return this.locked(() => {
      const s = this.lookup(nameOrId);
      this.save(this.list().filter((x) => x.id !== s.id));
      fs.rmSync(path.join(this.dataDir, s.id), { force: true });
      return s.id;
    });
  }

  private newId(all: Secret[]): string {
    for (;;) {
      const id = crypto.randomBytes(13).toString('hex').slice(0, 25);
      if (!all.some((s) => s.id === id)) return id;
    }
  }

  private save(all: Secret[]): void {
    writeAtomic(this.index, Buffer.from(JSON.stringify(all, null, 1)));
  }

  /**
   * fn with <root>/secrets/lock held (made with O_EXCL). Each holder keeps it for a few file writes;
   * one older than 10 s was left by a process that died holding it, and is taken over.
   */
  private locked<T>(fn: () => T): T {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const lock = path.join(this.dir, 'lock');
    for (;;) {
      try {
        fs.closeSync(fs.openSync(lock, 'wx', 0o600));
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
        if (age > 10_000) fs.rmSync(lock, { force: true });
        else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      }
    }
    try {
      return fn();
    } finally {
      fs.rmSync(lock, { force: true });
    }
  }
}

/** A file written whole or not at all, mode 0600. */
function writeAtomic(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data, { mode: 0o600 });
  fs.renameSync(tmp, file);
}
