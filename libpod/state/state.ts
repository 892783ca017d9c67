// The one owner of better-sqlite3. Every tspod process opens the same database file, so writes
// are short exclusive transactions and waits for a busy database are long (Podman's sqlite state).
import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { StateError } from '../../src/errors';
import { ensurePrivateDir } from '../../src/paths';
import { MIGRATIONS, type Migration } from './migrations';

/** How long a process waits for another one's transaction before giving up, in milliseconds. */
export const BUSY_TIMEOUT_MS = 100_000;

export interface ContainerRow {
  id: string;
  name: string;
  imageId: string | null;
  state: string;
  createdAt: number;
  config: unknown;
}

export interface StateCounts {
  containers: number;
  images: number;
  volumes: number;
  networks: number;
}

function explain(file: string, err: unknown): StateError {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new StateError(
      `state database ${file} is corrupt or not a tspod database (${code}): nothing was changed; move it aside (mv ${file} ${file}.bad) to start with an empty state, or restore it from a backup`,
      { cause: err },
    );
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return new StateError(`cannot open state database ${file} (${code}): check that the directory and file belong to you and are writable`, { cause: err });
  }
  if (code === 'SQLITE_BUSY') {
    return new StateError(`state database ${file} stayed locked by another tspod process for ${BUSY_TIMEOUT_MS / 1000} s (${code}): is a tspod command stuck?`, { cause: err });
  }
  return new StateError(`state database ${file}: ${(err as Error).message}`, { cause: err });
}

export class State {
  private constructor(
    readonly file: string,
    private readonly db: BetterSqlite3.Database,
  ) {}

  /** Opens (creating if needed) the database and brings its schema up to date. */
  static open(file: string, migrations: readonly Migration[] = MIGRATIONS): State {
    ensurePrivateDir(path.dirname(file));
    // Loaded here, not at the top, so that commands which never touch state start faster.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    let db: BetterSqlite3.Database;
    try {
      db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    } catch (err) {
      throw explain(file, err);
    }
    const state = new State(file, db);
    try {
      fs.chmodSync(file, 0o600);
      db.pragma('foreign_keys = ON');
      // WAL lets readers go on while one writer commits; switching needs the write lock once.
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      state.migrate(migrations);
    } catch (err) {
      db.close();
      throw err instanceof StateError ? err : explain(file, err);
    }
    return state;
  }

  private migrate(migrations: readonly Migration[]): void {
    const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
    const current = this.db.pragma('user_version', { simple: true }) as number;
    if (current === latest) return;
    this.exclusive(() => {
      const now = this.db.pragma('user_version', { simple: true }) as number;
      if (now > latest) {
        throw new StateError(
          `state database ${this.file} has schema version ${now}, newer than this tspod understands (${latest}): it was written by a newer tspod; upgrade tspod, nothing was changed`,
        );
      }
      for (const m of migrations) {
        if (m.version <= now) continue;
        this.db.exec(m.sql);
        this.db.pragma(`user_version = ${m.version}`);
      }
    });
  }

  /** Runs fn in an exclusive transaction. fn must be synchronous and short: never await inside. */
  exclusive<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).exclusive();
    } catch (err) {
      if (err instanceof StateError) throw err;
      const code = (err as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_')) throw explain(this.file, err);
      throw err;
    }
  }

  /** The SQLite library version, for `tspod info`. */
  sqliteVersion(): string {
    return this.db.prepare('SELECT sqlite_version()').pluck().get() as string;
  }

  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /** Full integrity check; slow on a large database, so only `system check` calls it. */
  integrityCheck(): string[] {
    const rows = this.db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
  }

  counts(): StateCounts {
    const count = (table: string) => (this.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { containers: count('containers'), images: count('images'), volumes: count('volumes'), networks: count('networks') };
  }

  insertContainer(row: ContainerRow): void {
    this.exclusive(() => {
      this.db
        .prepare('INSERT INTO containers (id, name, image_id, state, created_at, config) VALUES (?, ?, ?, ?, ?, ?)')
        .run(row.id, row.name, row.imageId, row.state, row.createdAt, JSON.stringify(row.config));
    });
  }

  listContainers(): ContainerRow[] {
    const rows = this.db.prepare('SELECT id, name, image_id, state, created_at, config FROM containers ORDER BY created_at, id').all() as Array<{
      id: string;
      name: string;
      image_id: string | null;
      state: string;
      created_at: number;
      config: string;
    }>;
    return rows.map((r) => ({ id: r.id, name: r.name, imageId: r.image_id, state: r.state, createdAt: r.created_at, config: JSON.parse(r.config) }));
  }

  close(): void {
    this.db.close();
  }
}
