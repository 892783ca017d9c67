import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EVENTS_CHECK_EVERY, State } from '../../../../libpod/state/state';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../../libpod/state/migrations';
import { StateError } from '../../../../src/errors';

const dirs: string[] = [];
function dbFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-state-'));
  dirs.push(dir);
  return path.join(dir, 'data', 'state.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('State', () => {
  it('creates the database with the latest schema, private modes and foreign keys', () => {
    const file = dbFile();
    const s = State.open(file);
    expect(s.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(s.counts()).toEqual({ containers: 0, images: 0, volumes: 0, networks: 0 });
    s.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  it('applies only the missing migrations and keeps existing rows', () => {
    const file = dbFile();
    const v1 = State.open(file, MIGRATIONS.slice(0, 2));
    v1.initSetting('kept', 'yes');
    v1.close();
    const extra = [...MIGRATIONS, { version: SCHEMA_VERSION + 1, description: 'test', sql: 'CREATE TABLE extra (k TEXT PRIMARY KEY);' }];
    const v2 = State.open(file, extra);
    expect(v2.schemaVersion()).toBe(SCHEMA_VERSION + 1);
    expect(v2.getSetting('kept')).toBe('yes');
    // Migration 3 added the status column with its default to existing and new rows.
    v2.insertContainer({ id: 'a', name: 'one', imageId: null, state: 'configured', createdAt: 1, config: { x: 1 } });
    expect(v2.listContainers()).toEqual([{ id: 'a', name: 'one', imageId: null, state: 'configured', createdAt: 1, config: { x: 1 }, status: {} }]);
    v2.close();
    // Reopening with the same list changes nothing.
    expect(State.open(file, extra).schemaVersion()).toBe(SCHEMA_VERSION + 1);
  });

  it('refuses a newer schema without changing it', () => {
    const file = dbFile();
    const extra = [...MIGRATIONS, { version: SCHEMA_VERSION + 1, description: 'future', sql: 'CREATE TABLE future (k TEXT);' }];
    State.open(file, extra).close();
    expect(() => State.open(file)).toThrow(StateError);
    expect(() => State.open(file)).toThrow(`has schema version ${SCHEMA_VERSION + 1}, newer than this tspod understands (${SCHEMA_VERSION})`);
    expect(State.open(file, extra).schemaVersion()).toBe(SCHEMA_VERSION + 1);
  });

  it('rolls back a failed transaction and keeps unique names unique', () => {
    const s = State.open(dbFile());
    s.insertContainer({ id: 'a', name: 'web', imageId: null, state: 'configured', createdAt: 1, config: {} });
    expect(() => s.insertContainer({ id: 'b', name: 'web', imageId: null, state: 'configured', createdAt: 2, config: {} })).toThrow(/UNIQUE constraint failed: containers.name/);
    expect(() =>
      s.exclusive(() => {
        s.insertContainer({ id: 'c', name: 'other', imageId: null, state: 'configured', createdAt: 3, config: {} });
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(s.listContainers().map((c) => c.id)).toEqual(['a']);
    s.close();
  });

  it('explains a file that is not a database', () => {
    const file = dbFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'this is not sqlite, just text that is long enough to be read as a header block.'.repeat(100));
    const before = fs.readFileSync(file);
    expect(() => State.open(file)).toThrow(`state database ${file} is corrupt or not a tspod database (SQLITE_NOTADB)`);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('keeps the events within their bound, dropping the oldest, and measures them only now and then', () => {
    const s = State.open(dbFile());
    s.eventsMaxBytes = 20_000;
    const event = (i: number) => ({ time: BigInt(i), type: 'container', action: 'start', actorId: 'a'.repeat(64), name: `c${i}`, image: 'docker.io/library/busybox:latest', attributes: { i: String(i) } });
    for (let i = 1; i <= 2000; i++) {
      s.insertEvent(event(i));
      expect(s.eventsSize().bytes).toBeLessThanOrEqual(20_000 + EVENTS_CHECK_EVERY * 200);
    }
    const kept = s.listEvents();
    // The newest are kept, in order, without a gap; the oldest went.
    expect(kept[kept.length - 1].name).toBe('c2000');
    expect(kept.map((e) => Number(e.time))).toEqual(kept.map((_, i) => 2001 - kept.length + i));
    expect(kept.length).toBeGreaterThan(50);
    expect(kept.length).toBeLessThan(200);
    // With no bound nothing goes.
    s.eventsMaxBytes = 0;
    for (let i = 2001; i <= 2100; i++) s.insertEvent(event(i));
    expect(s.listEvents()).toHaveLength(kept.length + 100);
    s.close();
  });
});
