// The state database from many processes at once as the test user, and what tspod does with a
// database it must not touch: a corrupt file and one written by a newer tspod.
import { afterAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Store, appDir, run, runConcurrently } from './harness';

const store = new Store('state');
afterAll(() => store.cleanup());
const writer = path.join(appDir, 'dist', 'test', 'state-writer.js');
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

describe('state database', () => {
  it('takes 16 processes writing at once with no lock error and nothing lost', async () => {
    const db = path.join(store.dir, 'concurrent', 'state.db');
    const procs = 16;
    const each = 25;
    // All 16 start on a database that does not exist yet: creation and migration race too.
    const results = await runConcurrently(Array.from({ length: procs }, (_, i) => ['node', writer, db, 'insert', `w${i}`, String(each)]));
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r).toMatchObject({ code: 0, stdout: `inserted ${each}\n` });
    }
    expect(run(['node', writer, db, 'count']).stdout).toBe(`${procs * each}\n`);
    // tspod itself reads what they wrote.
    const info = run([path.join(appDir, 'bin', 'tspod'), '--root', path.dirname(db), '--runroot', path.join(store.dir, 'run2'), 'info', '--format', '{{.Store.ContainerStore.Number}}']);
    expect(info.stdout).toBe(`${procs * each}\n`);
  });

  it('refuses a corrupt database with a clear error and leaves it as it was', () => {
    const first = store.tspod(['info', '--format', '{{.Store.DatabasePath}} {{.Store.DatabaseSchema}}']);
    expect(first.code).toBe(0);
    const [db, schema] = first.stdout.trim().split(' ');
    run(['sh', '-c', `rm -f ${db}-wal ${db}-shm && head -c 8192 /dev/urandom > ${db}`]);
    const before = sha(db);
    const r = store.tspod(['info']);
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `Error: state database ${db} is corrupt or not a tspod database (SQLITE_NOTADB): nothing was changed; move it aside (mv ${db} ${db}.bad) to start with an empty state, or restore it from a backup\n`,
    );
    expect(sha(db)).toBe(before);
    // The advice works: moved aside, the next command starts afresh and the bad file stays for inspection.
    run(['mv', db, `${db}.bad`]);
    expect(store.tspod(['info', '--format', '{{.Store.DatabaseSchema}}']).stdout).toBe(`${schema}\n`);
    expect(sha(`${db}.bad`)).toBe(before);
  });

  it('refuses a database from a newer tspod and does not change it', () => {
    const other = new Store('newer');
    try {
      const schema = Number(other.tspod(['info', '--format', '{{.Store.DatabaseSchema}}']).stdout);
      expect(schema).toBeGreaterThan(0);
      const db = path.join(other.root, 'state.db');
      // Seen from a future tspod: a schema version this one does not know.
      const bump = run(['node', '-e', `const D=require(${JSON.stringify(path.join(appDir, 'node_modules', 'better-sqlite3'))}); const d=new D(process.argv[1]); d.pragma('wal_checkpoint(TRUNCATE)'); d.pragma('user_version = 99'); d.close()`, db]);
      expect(bump.stderr).toBe('');
      const before = sha(db);
      const r = other.tspod(['info']);
      expect(r.code).toBe(125);
      expect(r.stderr).toBe(`Error: state database ${db} has schema version 99, newer than this tspod understands (${schema}): it was written by a newer tspod; upgrade tspod, nothing was changed\n`);
      expect(sha(db)).toBe(before);
    } finally {
      other.cleanup();
    }
  });
});
