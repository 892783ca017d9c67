import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SecretEngine } from '../../../../libpod/secret-engine';
import { SecretStore } from '../../../../libpod/secret/secret-store';
import type { Runtime } from '../../../../libpod/runtime';

let root: string;
let engine: SecretEngine;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-engine-'));
  engine = new SecretEngine({ paths: { root } } as unknown as Runtime);
  const store = new SecretStore(root);
  store.store('db_pass', Buffer.from('a'), { labels: { env: 'prod' }, replace: false, ignore: false });
  store.store('db_user', Buffer.from('b'), { labels: { env: 'test' }, replace: false, ignore: false });
  store.store('tls', Buffer.from('c'), { labels: {}, replace: false, ignore: false });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const names = (filters: string[]) => engine.list(filters).map((s) => s.name).sort();

describe('secret ls --filter', () => {
  it('matches name= and id= as regular expressions, as Podman, and label=KEY[=VALUE]', () => {
    expect(names(['name=^db_'])).toEqual(['db_pass', 'db_user']);
    expect(names(['name=pass$', 'name=tls'])).toEqual(['db_pass', 'tls']); // one key: any value
    expect(names(['name=db', 'label=env=prod'])).toEqual(['db_pass']); // two keys: both
    expect(names(['label=env'])).toEqual(['db_pass', 'db_user']);
    const id = engine.list(['name=tls'])[0].id;
    expect(names([`id=${id.slice(0, 8)}`])).toEqual(['tls']);
    expect(names(['name=[bad'])).toEqual([]); // not a regular expression: compared as it is
    expect(() => names(['driver=file'])).toThrow('invalid filter "driver=file"');
  });
});
