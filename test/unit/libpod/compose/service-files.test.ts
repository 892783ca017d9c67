import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { materializer } from '../../../../libpod/compose/service-files';
import { FakeOps, context, project } from './fake-compose';

describe('secret and config files (service-files.ts)', () => {
  it('keeps two secrets whose names differ only in characters a file name cannot hold apart', () => {
    const ctx = context(project({ web: {} }), new FakeOps());
    const write = materializer(ctx);
    const a = write('db password', 'first', 'secret');
    const b = write('db_password', 'second', 'secret');
    expect(a).not.toBe(b);
    expect(fs.readFileSync(a, 'utf8')).toBe('first');
    expect(fs.readFileSync(b, 'utf8')).toBe('second');
  });

  it('writes a secret named "." or ".." inside the project\'s secrets directory', () => {
    const ctx = context(project({ web: {} }), new FakeOps());
    const dir = path.join(ctx.runroot, 'compose', 'p', 'secrets');
    const write = materializer(ctx);
    for (const name of ['.', '..']) {
      const file = write(name, `content of ${name}`, 'secret');
      expect(path.dirname(file)).toBe(dir);
      expect(fs.readFileSync(file, 'utf8')).toBe(`content of ${name}`);
    }
    expect(fs.readdirSync(path.join(ctx.runroot, 'compose')).sort()).toEqual(['p']);
  });
});
