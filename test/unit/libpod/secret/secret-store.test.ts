import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SecretStore } from '../../../../libpod/secret/secret-store';
import { copySecrets, inspectSecrets, parseSecretFlag, secretsAtStart } from '../../../../libpod/secret/secret-use';

let root: string;
let store: SecretStore;
const opts = { labels: {}, replace: false, ignore: false };

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-'));
  store = new SecretStore(root);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the secret store', () => {
  it('keeps the data in a 0600 file and finds a secret by name, ID or unique prefix', () => {
    const id = store.store('db', Buffer.from('pw'), opts);
    expect(id).toMatch(/^[0-9a-f]{25}$/);
    expect(fs.statSync(path.join(root, 'secrets', 'filedriver', id)).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(root, 'secrets', 'secrets.json'), 'utf8')).not.toContain('pw"');
    for (const ref of ['db', id, id.slice(0, 6)]) expect(store.lookup(ref).id).toBe(id);
    expect(store.data(store.lookup('db')).toString()).toBe('pw');
    expect(() => store.lookup('nope')).toThrow('no secret with name or id "nope": no such secret');
  });

  it("refuses a taken name, empty or oversized data and bad names; --replace keeps the ID, --ignore the data", () => {
    const id = store.store('db', Buffer.from('one'), opts);
    expect(() => store.store('db', Buffer.from('two'), opts)).toThrow(/db: secret name in use/);
    expect(store.store('db', Buffer.from('two'), { ...opts, replace: true })).toBe(id);
    expect(store.data(store.lookup('db')).toString()).toBe('two');
    expect(store.store('db', Buffer.from('three'), { ...opts, ignore: true })).toBe(id);
    expect(store.data(store.lookup('db')).toString()).toBe('two');
    expect(() => store.store('e', Buffer.alloc(0), opts)).toThrow('secret data must be larger than 0 and less than 512000 bytes');
    expect(() => store.store('e', Buffer.alloc(512000), opts)).toThrow(/less than 512000 bytes/);
    for (const bad of ['a/b', 'a=b', 'a,b', '', 'x'.repeat(254)]) expect(() => store.store(bad, Buffer.from('x'), opts)).toThrow(/invalid secret name/);
    expect(() => store.store('f', Buffer.from('x'), { ...opts, replace: true, ignore: true })).toThrow(/cannot be used together/);
  });

  it('removes the record and the data', () => {
    const id = store.store('db', Buffer.from('pw'), opts);
    expect(store.remove('db')).toBe(id);
    expect(store.list()).toEqual([]);
    expect(fs.existsSync(path.join(root, 'secrets', 'filedriver', id))).toBe(false);
    expect(() => store.remove('db')).toThrow(/no such secret/);
  });
});

describe('--secret', () => {
  it('reads Podman\'s forms: mount by default at /run/secrets/NAME, target, uid, gid, mode, env', () => {
    const id = store.store('db', Buffer.from('pw'), opts);
    expect(parseSecretFlag('db', store)).toEqual({ name: 'db', id, type: 'mount', target: '/run/secrets/db', uid: 0, gid: 0, mode: 0o444 });
    expect(parseSecretFlag('db,target=pass,uid=5,gid=6,mode=0400', store)).toMatchObject({ target: '/run/secrets/pass', uid: 5, gid: 6, mode: 0o400 });
    expect(parseSecretFlag('source=db,target=/etc/p', store)).toMatchObject({ target: '/etc/p' });
    expect(parseSecretFlag('db,type=env', store)).toMatchObject({ type: 'env', target: 'db' });
    expect(parseSecretFlag('db,type=env,target=DB_PASS', store)).toMatchObject({ type: 'env', target: 'DB_PASS' });
  });

  it('refuses what Podman refuses', () => {
    store.store('db', Buffer.from('pw'), opts);
    expect(() => parseSecretFlag('db,type=file', store)).toThrow(/^type file is invalid: parsing secret/);
    expect(() => parseSecretFlag('db,type=env,type=mount', store)).toThrow(/cannot set more than one secret type/);
    expect(() => parseSecretFlag('db,mode=9', store)).toThrow(/mode 9 invalid/);
    expect(() => parseSecretFlag('db,uid=-1', store)).toThrow(/UID -1 invalid/);
    expect(() => parseSecretFlag('db,type=env,mode=0400', store)).toThrow(/cannot be set with secret type env/);
    expect(() => parseSecretFlag('db,colour=red', store)).toThrow(/option colour=red invalid/);
    expect(() => parseSecretFlag('type=env', store)).toThrow(/no source found/);
    expect(() => parseSecretFlag('gone', store)).toThrow(/no such secret/);
  });

  it('copies the data into the container, gives it at start, and shows only names in inspect', () => {
    store.store('db', Buffer.from('pw'), opts);
    const uses = [parseSecretFlag('db', store), parseSecretFlag('db,type=env,target=P', store)];
    const ctr = path.join(root, 'ctr');
    const run = path.join(root, 'run');
    copySecrets(store, ctr, uses);
    store.remove('db'); // the container's copy stays
    const atStart = secretsAtStart(ctr, run, [uses[1]]);
    expect(atStart).toEqual({ env: ['P=pw'], mounts: [] });
    expect(inspectSecrets(uses)).toEqual([{ Name: 'db', ID: uses[0].id, UID: 0, GID: 0, Mode: 0o444 }]);
    expect(inspectSecrets([uses[1]])).toBeUndefined();
  });
});
