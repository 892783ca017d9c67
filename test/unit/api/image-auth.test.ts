import { describe, expect, it } from 'vitest';
import { registryAuthCreds, registryConfigCreds } from '../../../api/docker/image-auth';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('X-Registry-Auth', () => {
  it('gives USERNAME:PASSWORD from username and password, in either base64', () => {
    expect(registryAuthCreds(b64({ username: 'al', password: 'p:w', serveraddress: 'r' }))).toBe('al:p:w');
    expect(registryAuthCreds(b64url({ username: 'al', password: '??>>' }))).toBe('al:??>>');
  });
  it('reads the auth field', () => {
    expect(registryAuthCreds(b64({ auth: Buffer.from('bo:secret').toString('base64') }))).toBe('bo:secret');
  });
  it('gives nothing for an absent or empty header or {}', () => {
    expect(registryAuthCreds(undefined)).toBeUndefined();
    expect(registryAuthCreds('')).toBeUndefined();
    expect(registryAuthCreds(b64({}))).toBeUndefined();
    expect(registryAuthCreds(b64({ username: '', password: '' }))).toBeUndefined();
  });
  it('refuses a header that is no JSON, and tokens', () => {
    expect(() => registryAuthCreds('!!!notjson')).toThrow(/invalid X-Registry-Auth header/);
    expect(() => registryAuthCreds(b64({ identitytoken: 'tok' }))).toThrow(/tokens are not supported/);
  });
});

describe('X-Registry-Config', () => {
  it('picks the entry of the host, or the first with credentials', () => {
    const h = b64({ 'https://index.docker.io/v1/': { username: 'a', password: '1' }, 'reg:5000': { username: 'b', password: '2' } });
    expect(registryConfigCreds(h, 'reg:5000')).toBe('b:2');
    expect(registryConfigCreds(h)).toBe('a:1');
    expect(registryConfigCreds(h, 'other')).toBeUndefined();
    expect(registryConfigCreds(b64({}))).toBeUndefined();
    expect(() => registryConfigCreds(b64([1]))).toThrow(/object of registries/);
  });
});
