// The one owner of better-sqlite3. Every tspod process opens the same database file, so writes
// are short exclusive transactions and waits for a busy database are long (Podman's sqlite state).
import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { NoSpaceError, StateError, TspodError } from '../../src/errors';
import { isLowOnSpace, noSpaceError } from '../../src/disk-space';
import { ensurePrivateDir } from '../../src/paths';
import { MIGRATIONS, type Migration } from './migrations';
import { storeContents } from './lost-database';

/** How often (in events recorded) the events table is measured against its bound. */
export const EVENTS_CHECK_EVERY = 32;

/** How long a process waits for another one's transaction before giving up, in milliseconds. */
export const BUSY_TIMEOUT_MS = 100_000;

export interface ContainerRow {
  id: string;
  name: string;
  imageId: string | null;
  state: string;
  createdAt: number;
  config: unknown;
  /** What changes while it lives (pid, times, exit code): libpod/container owns its shape. */
  status?: unknown;
}

type ContainerDbRow = { id: string; name: string; image_id: string | null; state: string; created_at: number; config: string; status: string };

function containerRow(r: ContainerDbRow): ContainerRow {
  return { id: r.id, name: r.name, imageId: r.image_id, state: r.state, createdAt: r.created_at, config: JSON.parse(r.config), status: JSON.parse(r.status) };
}

const CONTAINER_COLUMNS = 'id, name, image_id, state, created_at, config, status';

export interface LayerRow {
  id: string;
  parent: string | null;
  diffId: string;
  compressedDigest: string | null;
  size: number;
  whiteouts: string;
  createdAt: number;
}

export interface ImageRow {
  id: string;
  createdAt: number;
  size: number;
  /** The image's record as JSON text: its OCI config bytes and metadata (see libpod/image). */
  record: string;
  names: string[];
  layers: string[];
}

export interface ImageMountRow {
  imageId: string;
  path: string;
  driver: string;
  count: number;
}

export interface EventRow {
  id?: number;
  /** Nanoseconds since the epoch. */
  time: bigint;
  type: string;
  action: string;
  actorId: string;
  name: string;
  image: string;
  attributes: Record<string, string>;
  /** Podman's ContainerExitCode (died, exec_died, remove). */
  exitCode?: number;
  /** The network's name in a network event. */
  network?: string;
  /** What failed, in an event that records an error. */
  error?: string;
  /** The new status in a health_status event. */
  healthStatus?: string;
}

export interface NetworkRow {
  name: string;
  id: string;
  createdAt: number;
  config: unknown;
}

export interface PodRow {
  id: string;
  name: string;
  createdAt: number;
  /** What pod create decided: libpod/pod owns its shape. */
  config: unknown;
}

export interface StateCounts {
  containers: number;
  images: number;
  volumes: number;
  networks: number;
}

/**
 * The addon's path, found once with require.resolve: better-sqlite3's default lookup goes through
 * the bindings package, which tries a dozen locations on every start.
 */
function nativeBinding(): string | undefined {
  try {
    const addon = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
    return fs.existsSync(addon) ? addon : undefined;
  } catch {
    return undefined;
  }
}

/** A SQLite error as the user should read it: what is wrong with the database at file, and what to do. */
export function explainStateError(file: string, err: unknown): TspodError {
  return explain(file, err);
}

function explain(file: string, err: unknown): TspodError {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_FULL' || (code.startsWith('SQLITE_IOERR') && isLowOnSpace(path.dirname(file)))) {
    return noSpaceError([path.dirname(file)], `writing the state database ${file}`, err);
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    const root = path.dirname(file);
    const held = storeContents(root);
    // With containers or layers on disk, a new database alone would be refused (lost-database.ts).
    if (held) {
      return new StateError(
        `state database ${file} is corrupt or not a tspod database (${code}): nothing was changed; restore it from a backup, or move the whole store aside (mv ${root} ${root}.old) to start with an empty one (it holds ${held} that a new database would not know)`,
        { cause: err },
      );
    }
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

function layerRow(r: Record<string, unknown>): LayerRow {
  return {
    id: r.id as string,
    parent: (r.parent as string | null) ?? null,
    diffId: r.diff_id as string,
    compressedDigest: (r.compressed_digest as string | null) ?? null,
    size: r.size as number,
    whiteouts: r.whiteouts as string,
    createdAt: r.created_at as number,
  };
}

export class State {
  private conn?: BetterSqlite3.Database;

  private constructor(
    readonly file: string,
    db: BetterSqlite3.Database,
    /** Set on a full disk (exclusive locking): makes the connection again after releaseLock(). */
    private readonly reconnect?: () => BetterSqlite3.Database,
  ) {
    this.conn = db;
  }

  private get db(): BetterSqlite3.Database {
    this.conn ??= this.reconnect!();
    return this.conn;
  }

  /**
   * With exclusive locking (a full disk) the connection holds the database's lock while it is
   * open: a long-lived reader (`events --stream`) lets go of it between looks with this, so that
   * other tspod processes are not kept waiting. Otherwise it does nothing.
   */
  releaseLock(): void {
    if (!this.reconnect || !this.conn) return;
    this.conn.close();
    this.conn = undefined;
  }

  /**
   * Opens (creating if needed) the database and brings its schema up to date. On a full
   * filesystem the connection keeps WAL's index in its own memory (exclusive locking: no -shm
   * file to create), so that reading still works and a write that frees space can still commit.
   */
  static open(file: string, migrations: readonly Migration[] = MIGRATIONS): State {
    ensurePrivateDir(path.dirname(file));
    const full = isLowOnSpace(path.dirname(file));
    try {
      return State.openWith(file, migrations, full);
    } catch (err) {
      // The space may have run out between the check and the open (the -shm file could not grow).
      if (full || !(err instanceof NoSpaceError)) throw err;
      return State.openWith(file, migrations, true);
    }
  }

  private static openWith(file: string, migrations: readonly Migration[], exclusiveLocking: boolean): State {
    // Loaded here, not at the top, so that commands which never touch state start faster.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    // Per-connection settings; none of them reads the file.
    const connect = (): BetterSqlite3.Database => {
      let c: BetterSqlite3.Database | undefined;
      try {
        c = new Database(file, { timeout: BUSY_TIMEOUT_MS, nativeBinding: nativeBinding() });
        // Before the first access, or SQLite maps the -shm file (which needs free space).
        if (exclusiveLocking) c.pragma('locking_mode = EXCLUSIVE');
        c.pragma('foreign_keys = ON');
        c.pragma('synchronous = NORMAL');
        return c;
      } catch (err) {
        c?.close();
        throw explain(file, err);
      }
    };
    const db = connect();
    const state = new State(file, db, exclusiveLocking ? connect : undefined);
    try {
      fs.chmodSync(file, 0o600);
      // WAL lets readers go on while one writer commits; switching needs the write lock once.
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      state.migrate(migrations);
    } catch (err) {
      db.close();
      throw err instanceof TspodError ? err : explain(file, err);
    }
    return state;
  }

  /**
   * Opens an existing database for reading only: no directory or file is made, no schema change,
   * and a short wait for a busy database. For shell completion, which must answer at once and
   * never alter the store; callers treat any throw as "nothing to offer".
   */
  static openReadOnly(file: string, busyTimeoutMs = 250): State {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    return new State(file, new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs, nativeBinding: nativeBinding() }));
  }

  /** Names and states of the containers, by name: only the two columns, no JSON decoded. */
  containerNames(): Array<{ name: string; state: string }> {
    return this.db.prepare('SELECT name, state FROM containers ORDER BY name').all() as Array<{ name: string; state: string }>;
  }

  /** Every name of every image (`docker.io/library/busybox:latest`), by name. */
  imageNames(): string[] {
    return this.db.prepare('SELECT name FROM image_names ORDER BY name').pluck().all() as string[];
  }

  volumeNames(): string[] {
    return this.db.prepare('SELECT name FROM volumes ORDER BY name').pluck().all() as string[];
  }

  /** Pod names (completion); a database from before schema 7 has no pods table and throws. */
  podNames(): string[] {
    return this.db.prepare('SELECT name FROM pods ORDER BY name').pluck().all() as string[];
  }

  networkNames(): string[] {
    return this.db.prepare('SELECT name FROM networks ORDER BY name').pluck().all() as string[];
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
      if (err instanceof TspodError) throw err;
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
        .prepare('INSERT INTO containers (id, name, image_id, state, created_at, config, status) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(row.id, row.name, row.imageId, row.state, row.createdAt, JSON.stringify(row.config), JSON.stringify(row.status ?? {}));
    });
  }

  listContainers(): ContainerRow[] {
    return (this.db.prepare(`SELECT ${CONTAINER_COLUMNS} FROM containers ORDER BY created_at, id`).all() as ContainerDbRow[]).map(containerRow);
  }

  /** Every container's ID, without reading the rows (the orphan collection's one pass). */
  containerIds(): string[] {
    return this.db.prepare('SELECT id FROM containers').pluck().all() as string[];
  }

  getContainer(id: string): ContainerRow | undefined {
    const r = this.db.prepare(`SELECT ${CONTAINER_COLUMNS} FROM containers WHERE id = ?`).get(id) as ContainerDbRow | undefined;
    return r && containerRow(r);
  }

  /** IDs of the containers a name, a full ID or an ID prefix names (a name wins over a prefix). */
  findContainerIds(nameOrId: string): string[] {
    const byName = this.db.prepare('SELECT id FROM containers WHERE name = ? OR id = ?').pluck().all(nameOrId, nameOrId) as string[];
    if (byName.length || !/^[0-9a-f]{1,64}$/.test(nameOrId)) return byName;
    return this.db.prepare("SELECT id FROM containers WHERE id LIKE ? || '%'").pluck().all(nameOrId) as string[];
  }

  /**
   * Saves state and status; with expectedState, only if the stored state is still that one
   * (compare-and-set, so two processes that noticed the same exit do not both record it).
   */
  updateContainer(id: string, state: string, status: unknown, expectedState?: string): boolean {
    return this.exclusive(() => {
      const sql = expectedState === undefined ? 'UPDATE containers SET state = ?, status = ? WHERE id = ?' : 'UPDATE containers SET state = ?, status = ? WHERE id = ? AND state = ?';
      const args: unknown[] = [state, JSON.stringify(status), id];
      if (expectedState !== undefined) args.push(expectedState);
      return this.db.prepare(sql).run(...args).changes === 1;
    });
  }

  /**
   * Bytes of event text the events table may hold (containers.conf's events_logfile_max_size);
   * 0 for no bound. Past it, the oldest events go until about half of it remains.
   */
  eventsMaxBytes = 0;

  /** --events-backend none (events_logger = "none"): nothing is recorded. */
  eventsOff = false;

  insertEvent(e: EventRow): void {
    if (this.eventsOff) return;
    this.exclusive(() => {
      const r = this.db
        .prepare('INSERT INTO events (time, type, action, actor_id, name, image, attributes, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(e.time, e.type, e.action, e.actorId, e.name, e.image, JSON.stringify(e.attributes), JSON.stringify({ exitCode: e.exitCode, network: e.network, error: e.error, healthStatus: e.healthStatus }));
      // Measured only every EVENTS_CHECK_EVERY events: one scan of a bounded table, amortised.
      if (this.eventsMaxBytes > 0 && Number(r.lastInsertRowid) % EVENTS_CHECK_EVERY === 0) this.trimEvents(this.eventsMaxBytes);
    });
  }

  /** The events' count and the bytes of their text (the ID and time counted as 16). */
  eventsSize(): { count: number; bytes: number } {
    return this.db
      .prepare('SELECT count(*) AS count, coalesce(sum(length(type) + length(action) + length(actor_id) + length(name) + length(image) + length(attributes) + length(details) + 16), 0) AS bytes FROM events')
      .get() as { count: number; bytes: number };
  }

  /** Once the events exceed maxBytes, deletes the oldest so that about half of maxBytes remains; returns how many went. */
  trimEvents(maxBytes: number): number {
    return this.exclusive(() => {
      const { count, bytes } = this.eventsSize();
      if (bytes <= maxBytes) return 0;
      const keep = Math.max(1, Math.floor((count * maxBytes) / 2 / bytes));
      return this.db.prepare('DELETE FROM events WHERE id <= (SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET ?)').run(keep).changes;
    });
  }

  /** Events after afterId, in the order they were recorded. */
  listEvents(afterId = 0): EventRow[] {
    const rows = this.db.prepare('SELECT id, time, type, action, actor_id, name, image, attributes, details FROM events WHERE id > ? ORDER BY id').safeIntegers(true).all(BigInt(afterId)) as Array<Record<string, unknown>>;
    return rows.map((r) => ({ id: Number(r.id), time: r.time as bigint, type: r.type as string, action: r.action as string, actorId: r.actor_id as string, name: r.name as string, image: r.image as string, attributes: JSON.parse(r.attributes as string), ...JSON.parse(r.details as string) }));
  }

  /** The ID of the last event recorded (0 when none): `events` without --since follows from there. */
  lastEventId(): number {
    return Number(this.db.prepare('SELECT coalesce(max(id), 0) FROM events').pluck().get());
  }

  /** Replaces a container's spec (network connect/disconnect of a stopped container). */
  updateContainerConfig(id: string, config: unknown): boolean {
    return this.exclusive(() => this.db.prepare('UPDATE containers SET config = ? WHERE id = ?').run(JSON.stringify(config), id).changes === 1);
  }

  /** Renames; throws SQLite's UNIQUE error when the name is taken. */
  renameContainer(id: string, name: string): void {
    this.exclusive(() => this.db.prepare('UPDATE containers SET name = ? WHERE id = ?').run(name, id));
  }

  deleteContainer(id: string): boolean {
    return this.exclusive(() => this.db.prepare('DELETE FROM containers WHERE id = ?').run(id).changes === 1);
  }

  /** How many containers use each image (for `images` and for refusing rmi of a used image). */
  containersOfImage(imageId: string): string[] {
    return this.db.prepare('SELECT name FROM containers WHERE image_id = ?').pluck().all(imageId) as string[];
  }

  /** Inserts a volume; false when the name is taken. */
  insertVolume(row: { name: string; createdAt: number; config: unknown }): boolean {
    return this.exclusive(() => this.db.prepare('INSERT OR IGNORE INTO volumes (name, created_at, config) VALUES (?, ?, ?)').run(row.name, row.createdAt, JSON.stringify(row.config)).changes === 1);
  }

  listVolumes(): Array<{ name: string; createdAt: number; config: unknown }> {
    const rows = this.db.prepare('SELECT name, created_at, config FROM volumes ORDER BY created_at, name').all() as Array<{ name: string; created_at: number; config: string }>;
    return rows.map((r) => ({ name: r.name, createdAt: r.created_at, config: JSON.parse(r.config) }));
  }

  deleteVolume(name: string): boolean {
    return this.exclusive(() => this.db.prepare('DELETE FROM volumes WHERE name = ?').run(name).changes === 1);
  }

  /** Inserts a network; false when the name is taken. */
  insertNetwork(row: NetworkRow): boolean {
    return this.exclusive(() => this.db.prepare('INSERT OR IGNORE INTO networks (name, id, created_at, config) VALUES (?, ?, ?, ?)').run(row.name, row.id, row.createdAt, JSON.stringify(row.config)).changes === 1);
  }

  listNetworks(): NetworkRow[] {
    const rows = this.db.prepare('SELECT name, id, created_at, config FROM networks ORDER BY created_at, name').all() as Array<{ name: string; id: string; created_at: number; config: string }>;
    return rows.map((r) => ({ name: r.name, id: r.id, createdAt: r.created_at, config: JSON.parse(r.config) }));
  }

  /** Replaces a network's config (network update); false when it is gone. */
  updateNetworkConfig(name: string, config: unknown): boolean {
    return this.exclusive(() => this.db.prepare('UPDATE networks SET config = ? WHERE name = ?').run(JSON.stringify(config), name).changes === 1);
  }

  deleteNetwork(name: string): boolean {
    return this.exclusive(() => this.db.prepare('DELETE FROM networks WHERE name = ?').run(name).changes === 1);
  }

  /** Inserts a pod; false when the name is taken. */
  insertPod(row: PodRow): boolean {
    return this.exclusive(() => this.db.prepare('INSERT OR IGNORE INTO pods (id, name, created_at, config) VALUES (?, ?, ?, ?)').run(row.id, row.name, row.createdAt, JSON.stringify(row.config)).changes === 1);
  }

  listPods(): PodRow[] {
    const rows = this.db.prepare('SELECT id, name, created_at, config FROM pods ORDER BY created_at, id').all() as Array<{ id: string; name: string; created_at: number; config: string }>;
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, config: JSON.parse(r.config) }));
  }

  /** IDs of the pods a name, a full ID or an ID prefix names (a name wins over a prefix). */
  findPodIds(nameOrId: string): string[] {
    const byName = this.db.prepare('SELECT id FROM pods WHERE name = ? OR id = ?').pluck().all(nameOrId, nameOrId) as string[];
    if (byName.length || !/^[0-9a-f]{1,64}$/.test(nameOrId)) return byName;
    return this.db.prepare("SELECT id FROM pods WHERE id LIKE ? || '%'").pluck().all(nameOrId) as string[];
  }

  getPod(id: string): PodRow | undefined {
    const r = this.db.prepare('SELECT id, name, created_at, config FROM pods WHERE id = ?').get(id) as { id: string; name: string; created_at: number; config: string } | undefined;
    return r && { id: r.id, name: r.name, createdAt: r.created_at, config: JSON.parse(r.config) };
  }

  /** Replaces a pod's config (its infra container's ID once made); false when it is gone. */
  updatePodConfig(id: string, config: unknown): boolean {
    return this.exclusive(() => this.db.prepare('UPDATE pods SET config = ? WHERE id = ?').run(JSON.stringify(config), id).changes === 1);
  }

  /** Renames a pod; false when the name is taken or the pod is gone. */
  renamePod(id: string, name: string): boolean {
    return this.exclusive(() => {
      if (this.db.prepare('SELECT 1 FROM pods WHERE name = ? AND id != ?').get(name, id)) return false;
      return this.db.prepare('UPDATE pods SET name = ? WHERE id = ?').run(name, id).changes === 1;
    });
  }

  deletePod(id: string): boolean {
    return this.exclusive(() => this.db.prepare('DELETE FROM pods WHERE id = ?').run(id).changes === 1);
  }

  getSetting(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  /** Sets key only if unset; returns the value now stored (another process may have won). */
  initSetting(key: string, value: string): string {
    return this.exclusive(() => {
      this.db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(key, value);
      return this.getSetting(key)!;
    });
  }

  getLayer(id: string): LayerRow | undefined {
    const r = this.db.prepare('SELECT * FROM layers WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? layerRow(r) : undefined;
  }

  /** Any stored layer with this uncompressed digest (at whatever chain position). */
  layerByDiffId(diffId: string): LayerRow | undefined {
    const r = this.db.prepare('SELECT * FROM layers WHERE diff_id = ? LIMIT 1').get(diffId) as Record<string, unknown> | undefined;
    return r ? layerRow(r) : undefined;
  }

  /** Call inside exclusive(): inserts the layer unless another process already stored it. */
  insertLayer(row: LayerRow): boolean {
    const r = this.db
      .prepare('INSERT OR IGNORE INTO layers (id, parent, diff_id, compressed_digest, size, whiteouts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(row.id, row.parent, row.diffId, row.compressedDigest, row.size, row.whiteouts, row.createdAt);
    return r.changes === 1;
  }

  /** Call inside exclusive(): the image, its layer list, and its names (taken from other images). */
  insertImage(image: Omit<ImageRow, 'names' | 'layers'>, layers: string[], names: string[]): void {
    this.db.prepare('INSERT OR IGNORE INTO images (id, created_at, size, config) VALUES (?, ?, ?, ?)').run(image.id, image.createdAt, image.size, image.record);
    const hasLayers = this.db.prepare('SELECT count(*) AS n FROM image_layers WHERE image_id = ?').get(image.id) as { n: number };
    if (hasLayers.n === 0) {
      const add = this.db.prepare('INSERT INTO image_layers (image_id, position, layer_id) VALUES (?, ?, ?)');
      layers.forEach((l, i) => add.run(image.id, i, l));
    }
    const name = this.db.prepare('INSERT INTO image_names (name, image_id) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id');
    for (const n of names) name.run(n, image.id);
    if (names.length) this.recordNames(image.id);
  }

  /**
   * After the image's names changed: its names now, then those it had before (Podman's
   * NamesHistory, which `images --history` shows; like containers/storage, the current names go
   * first, the last given first). Kept in the record, so that they outlive an untag or a name
   * that moves to another image.
   */
  private recordNames(id: string): void {
    const row = this.db.prepare('SELECT config FROM images WHERE id = ?').get(id) as { config: string } | undefined;
    if (!row) return;
    const current = (this.db.prepare('SELECT name FROM image_names WHERE image_id = ? ORDER BY rowid').all(id) as Array<{ name: string }>).map((r) => r.name).reverse();
    const record = JSON.parse(row.config) as { namesHistory?: string[] };
    record.namesHistory = [...current, ...(record.namesHistory ?? []).filter((h) => !current.includes(h))];
    this.db.prepare('UPDATE images SET config = ? WHERE id = ?').run(JSON.stringify(record), id);
  }

  /** Call inside exclusive(): replaces the image's record (its JSON blob). */
  updateImageRecord(id: string, record: string): void {
    this.db.prepare('UPDATE images SET config = ? WHERE id = ?').run(record, id);
  }

  /** One image with its names and layers, or undefined. */
  getImage(id: string): ImageRow | undefined {
    const i = this.db.prepare('SELECT id, created_at, size, config FROM images WHERE id = ?').get(id) as { id: string; created_at: number; size: number; config: string } | undefined;
    if (!i) return undefined;
    const names = (this.db.prepare('SELECT name FROM image_names WHERE image_id = ? ORDER BY rowid').all(id) as Array<{ name: string }>).map((r) => r.name);
    const layers = (this.db.prepare('SELECT layer_id FROM image_layers WHERE image_id = ? ORDER BY position').all(id) as Array<{ layer_id: string }>).map((r) => r.layer_id);
    return { id: i.id, createdAt: i.created_at, size: i.size, record: i.config, names, layers };
  }

  listImages(): ImageRow[] {
    const images = this.db.prepare('SELECT id, created_at, size, config FROM images ORDER BY created_at DESC, id').all() as Array<{ id: string; created_at: number; size: number; config: string }>;
    const names = this.db.prepare('SELECT name, image_id FROM image_names ORDER BY rowid').all() as Array<{ name: string; image_id: string }>;
    const layers = this.db.prepare('SELECT image_id, layer_id FROM image_layers ORDER BY image_id, position').all() as Array<{ image_id: string; layer_id: string }>;
    const byImage = <T>(rows: Array<{ image_id: string } & T>, pick: (r: T) => string) => {
      const m = new Map<string, string[]>();
      for (const r of rows) m.set(r.image_id, [...(m.get(r.image_id) ?? []), pick(r)]);
      return m;
    };
    const n = byImage(names, (r) => r.name);
    const l = byImage(layers, (r) => r.layer_id);
    return images.map((i) => ({ id: i.id, createdAt: i.created_at, size: i.size, record: i.config, names: n.get(i.id) ?? [], layers: l.get(i.id) ?? [] }));
  }

  /** Image IDs whose ID starts with prefix (for short IDs), or that carry this exact name. */
  findImageIds(nameOrPrefix: string): string[] {
    const byName = this.db.prepare('SELECT image_id FROM image_names WHERE name = ?').all(nameOrPrefix) as Array<{ image_id: string }>;
    if (byName.length) return byName.map((r) => r.image_id);
    if (!/^(sha256:)?[a-f0-9]{3,64}$/.test(nameOrPrefix)) return [];
    const prefix = nameOrPrefix.startsWith('sha256:') ? nameOrPrefix : `sha256:${nameOrPrefix}`;
    return (this.db.prepare("SELECT id FROM images WHERE substr(id, 1, ?) = ?").all(prefix.length, prefix) as Array<{ id: string }>).map((r) => r.id);
  }

  /** The image a build step with this key made, if it is still there (and made after notBefore). */
  buildCacheHit(key: string, notBefore = 0): string | undefined {
    const row = this.db.prepare('SELECT image_id FROM build_cache WHERE key = ? AND created_at >= ?').get(key, notBefore) as { image_id: string } | undefined;
    return row?.image_id;
  }

  /** Records what a build step made (a later build with the same key uses it). */
  recordBuildStep(key: string, imageId: string): void {
    this.db.prepare('INSERT INTO build_cache (key, image_id, created_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET image_id = excluded.image_id, created_at = excluded.created_at').run(key, imageId, Date.now());
  }

  /** Call inside exclusive(): drops one name; returns true if the image had it. */
  removeImageName(name: string): boolean {
    const owner = this.db.prepare('SELECT image_id FROM image_names WHERE name = ?').pluck().get(name) as string | undefined;
    const removed = this.db.prepare('DELETE FROM image_names WHERE name = ?').run(name).changes === 1;
    if (removed && owner) this.recordNames(owner);
    return removed;
  }

  /**
   * Call inside exclusive(): deletes the image and returns the layers no other image uses any more,
   * already deleted from the table, so the caller removes their directories.
   */
  deleteImage(id: string): LayerRow[] {
    const used = this.db.prepare('SELECT layer_id FROM image_layers WHERE image_id = ?').all(id) as Array<{ layer_id: string }>;
    this.db.prepare('DELETE FROM images WHERE id = ?').run(id);
    return this.deleteUnusedLayers(used.map((u) => u.layer_id));
  }

  /** Call inside exclusive(): removes candidate layers that no image references, children first. */
  deleteUnusedLayers(candidates: string[]): LayerRow[] {
    const refs = this.db.prepare('SELECT count(*) AS n FROM image_layers WHERE layer_id = ?');
    const children = this.db.prepare('SELECT count(*) AS n FROM layers WHERE parent = ?');
    const removed: LayerRow[] = [];
    for (const id of [...candidates].reverse()) {
      if ((refs.get(id) as { n: number }).n > 0 || (children.get(id) as { n: number }).n > 0) continue;
      const row = this.getLayer(id);
      if (!row) continue;
      this.db.prepare('DELETE FROM layers WHERE id = ?').run(id);
      removed.push(row);
    }
    return removed;
  }

  /** Layers that no image references (left by a crash between layer and image commits). */
  unusedLayers(): string[] {
    return (this.db.prepare('SELECT id FROM layers WHERE id NOT IN (SELECT layer_id FROM image_layers) AND id NOT IN (SELECT parent FROM layers WHERE parent IS NOT NULL)').all() as Array<{ id: string }>).map((r) => r.id);
  }

  /** Compressed digests still named by some layer row. */
  usedBlobDigests(): Set<string> {
    return new Set((this.db.prepare('SELECT compressed_digest FROM layers WHERE compressed_digest IS NOT NULL').all() as Array<{ compressed_digest: string }>).map((r) => r.compressed_digest));
  }

  allLayerIds(): Set<string> {
    return new Set((this.db.prepare('SELECT id FROM layers').all() as Array<{ id: string }>).map((r) => r.id));
  }

  getImageMount(imageId: string): ImageMountRow | undefined {
    const r = this.db.prepare('SELECT image_id, path, driver, count FROM image_mounts WHERE image_id = ?').get(imageId) as { image_id: string; path: string; driver: string; count: number } | undefined;
    return r && { imageId: r.image_id, path: r.path, driver: r.driver, count: r.count };
  }

  listImageMounts(): ImageMountRow[] {
    return (this.db.prepare('SELECT image_id, path, driver, count FROM image_mounts').all() as Array<{ image_id: string; path: string; driver: string; count: number }>).map((r) => ({ imageId: r.image_id, path: r.path, driver: r.driver, count: r.count }));
  }

  /** Call inside exclusive(): count 0 removes the record. */
  setImageMount(row: ImageMountRow): void {
    if (row.count <= 0) this.db.prepare('DELETE FROM image_mounts WHERE image_id = ?').run(row.imageId);
    else this.db.prepare('INSERT INTO image_mounts (image_id, path, driver, count) VALUES (?, ?, ?, ?) ON CONFLICT(image_id) DO UPDATE SET path = excluded.path, driver = excluded.driver, count = excluded.count').run(row.imageId, row.path, row.driver, row.count);
  }

  close(): void {
    this.conn?.close();
    this.conn = undefined;
  }
}
