import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { State } from '../../../../libpod/state/state';
import { StateNames } from '../../../../libpod/completion/state-names';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-names-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('StateNames', () => {
  it('reads names and container states without writing', () => {
    const file = path.join(tempDir(), 'state.db');
    const s = State.open(file);
    s.insertContainer({ id: 'a'.repeat(64), name: 'web', imageId: null, state: 'running', createdAt: 1, config: {} });
    s.insertContainer({ id: 'b'.repeat(64), name: 'idle', imageId: null, state: 'created', createdAt: 2, config: {} });
    s.insertVolume({ name: 'myvol', createdAt: 1, config: {} });
    s.insertNetwork({ name: 'mynet', id: 'c'.repeat(64), createdAt: 1, config: {} });
    s.exclusive(() => s.insertImage({ id: 'sha256:1', createdAt: 1, size: 0, record: '{}' }, [], ['docker.io/library/busybox:latest']));
    s.close();
    const before = fs.statSync(file).mtimeMs;
    const names = new StateNames(file);
    expect(names.containers()).toEqual([
      { name: 'idle', state: 'created' },
      { name: 'web', state: 'running' },
    ]);
    expect(names.images()).toEqual(['docker.io/library/busybox:latest']);
    expect(names.volumes()).toEqual(['myvol']);
    expect(names.networks()).toEqual(['mynet']);
    names.close();
    expect(fs.statSync(file).mtimeMs).toBe(before);
  });

  it('throws for a missing database, creating nothing, and remembers the failure', () => {
    const dir = path.join(tempDir(), 'root');
    const names = new StateNames(path.join(dir, 'state.db'));
    expect(() => names.containers()).toThrow();
    expect(() => names.images()).toThrow();
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('throws for a file that is not a database', () => {
    const file = path.join(tempDir(), 'state.db');
    fs.writeFileSync(file, 'not sqlite at all, but long enough to have a header of sorts.........');
    expect(() => new StateNames(file).containers()).toThrow();
  });
});
