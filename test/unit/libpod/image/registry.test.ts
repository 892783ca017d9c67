import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseChallenge, MANIFEST_TYPES } from '../../../../libpod/image/registry-client';
import { endpointsFor, resolveCandidates } from '../../../../libpod/image/registry-resolver';
import { parseImageManifest, selectFromIndex, wantedPlatform } from '../../../../libpod/image/manifest';
import { authKeys, lookupCredentials, parseCreds, removeCredentials, storeCredentials } from '../../../../libpod/image/auth-file';
import { normalizeReference } from '../../../../libpod/image/reference';
import type { RegistriesConf } from '../../../../libpod/config/registries-conf';

const conf = (over: Partial<RegistriesConf> = {}): RegistriesConf => ({ files: [], unqualifiedSearchRegistries: ['docker.io'], shortNameMode: 'enforcing', aliases: {}, registries: [], ...over });

describe('WWW-Authenticate', () => {
  it('parses Bearer and Basic challenges', () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/debian:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/debian:pull' },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
    expect(parseChallenge('Bearer realm=http://127.0.0.1:5001/t, service=x')).toEqual({ scheme: 'bearer', params: { realm: 'http://127.0.0.1:5001/t', service: 'x' } });
  });
});

describe('short names and endpoints', () => {
  it('resolves aliases first, then the search list', () => {
    expect(resolveCandidates('debian', conf()).map((r) => `${r.domain}/${r.path}:${r.tag}`)).toEqual(['docker.io/library/debian:latest']);
    expect(resolveCandidates('deb:12', conf({ aliases: { deb: 'quay.io/x/debian' } }))[0]).toMatchObject({ domain: 'quay.io', path: 'x/debian', tag: '12' });
    expect(resolveCandidates('quay.io/a/b', conf())[0]).toMatchObject({ domain: 'quay.io', path: 'a/b' });
    expect(() => resolveCandidates('debian', conf({ unqualifiedSearchRegistries: [] }))).toThrow('no unqualified-search registries are defined');
    expect(() => resolveCandidates('debian', conf({ unqualifiedSearchRegistries: ['a.io', 'b.io'] }))).toThrow('is ambiguous');
    expect(resolveCandidates('debian', conf({ unqualifiedSearchRegistries: ['a.io', 'b.io'], shortNameMode: 'permissive' })).map((r) => r.domain)).toEqual(['a.io', 'b.io']);
  });

  it('puts mirrors first and rewrites the location by prefix', () => {
    const c = conf({
      registries: [
        { prefix: 'docker.io', location: 'docker.io', insecure: false, blocked: false, mirrors: [{ location: '127.0.0.1:5000', insecure: true }, { location: 'mirror.example/hub', insecure: false }] },
        { prefix: 'quay.io/team', location: 'internal.example/quay-team', insecure: false, blocked: false, mirrors: [] },
        { prefix: 'evil.example', location: 'evil.example', insecure: false, blocked: true, mirrors: [] },
      ],
    });
    expect(endpointsFor(normalizeReference('debian'), c)).toEqual([
      { host: '127.0.0.1:5000', repo: 'library/debian', insecure: true, mirror: true },
      { host: 'mirror.example', repo: 'hub/library/debian', insecure: false, mirror: true },
      { host: 'registry-1.docker.io', repo: 'library/debian', insecure: false, mirror: false },
    ]);
    expect(endpointsFor(normalizeReference('quay.io/team/app'), c)).toEqual([{ host: 'internal.example', repo: 'quay-team/app', insecure: false, mirror: false }]);
    expect(endpointsFor(normalizeReference('localhost:5000/x'), c)).toEqual([{ host: 'localhost:5000', repo: 'x', insecure: false, mirror: false }]);
    expect(endpointsFor(normalizeReference('ghcr.io/x'), c, false)).toEqual([{ host: 'ghcr.io', repo: 'x', insecure: true, mirror: false }]);
    expect(() => endpointsFor(normalizeReference('evil.example/x'), c)).toThrow('registry evil.example is blocked in registries.conf');
  });
});

describe('manifests', () => {
  const index = {
    mediaType: MANIFEST_TYPES.ociIndex,
    digest: 'sha256:i',
    body: Buffer.from(
      JSON.stringify({
        manifests: [
          { digest: 'sha256:a', size: 1, mediaType: MANIFEST_TYPES.ociManifest, platform: { os: 'linux', architecture: 'amd64' } },
          { digest: 'sha256:b', size: 1, mediaType: MANIFEST_TYPES.ociManifest, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
          { digest: 'sha256:c', size: 1, mediaType: MANIFEST_TYPES.ociManifest, platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
        ],
      }),
    ),
  };

  it('picks the platform asked for', () => {
    expect(selectFromIndex(index, wantedPlatform({}, 'amd64'), 'x').digest).toBe('sha256:a');
    expect(selectFromIndex(index, wantedPlatform({ platform: 'linux/arm64' }, 'amd64'), 'x').digest).toBe('sha256:b');
    expect(selectFromIndex(index, wantedPlatform({ platform: 'linux/arm64/v8' }, 'amd64'), 'x').digest).toBe('sha256:b');
    expect(selectFromIndex(index, wantedPlatform({ arch: 'arm', variant: 'v6' }, 'amd64'), 'x').digest).toBe('sha256:c');
    expect(() => selectFromIndex(index, wantedPlatform({ arch: 'arm' }, 'amd64'), 'x')).not.toThrow();
    expect(() => selectFromIndex(index, wantedPlatform({ platform: 'linux/arm/v7' }, 'amd64'), 'img')).toThrow('img has no image for linux/arm/v7: it offers linux/amd64, linux/arm64/v8, linux/arm/v6');
    expect(() => wantedPlatform({ platform: 'linux' }, 'amd64')).toThrow('invalid platform "linux"');
  });

  it('refuses schema 1 with a reason', () => {
    expect(() => parseImageManifest({ mediaType: MANIFEST_TYPES.dockerSchema1Signed, digest: 'sha256:x', body: Buffer.from('{}') }, 'old:1')).toThrow('old:1 has a Docker schema 1 manifest, which tspod does not support');
  });
});

describe('auth.json', () => {
  it('stores, finds and removes credentials (0600), reading Docker config too', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-auth-'));
    const env = { HOME: dir, XDG_RUNTIME_DIR: path.join(dir, 'run') };
    const file = path.join(dir, 'run', 'containers', 'auth.json');
    storeCredentials('127.0.0.1:5000', { username: 'u', password: 'p:w' }, file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ auths: { '127.0.0.1:5000': { auth: Buffer.from('u:p:w').toString('base64') } } });
    expect(lookupCredentials('127.0.0.1:5000', undefined, env)).toEqual({ username: 'u', password: 'p:w' });
    fs.mkdirSync(path.join(dir, '.docker'));
    fs.writeFileSync(path.join(dir, '.docker', 'config.json'), JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('d:x').toString('base64') } } }));
    expect(lookupCredentials('docker.io', undefined, env)).toEqual({ username: 'd', password: 'x' });
    expect(removeCredentials('127.0.0.1:5000', file)).toBe(true);
    expect(removeCredentials('127.0.0.1:5000', file)).toBe(false);
    expect(lookupCredentials('127.0.0.1:5000', undefined, env)).toBeUndefined();
    expect(authKeys('registry-1.docker.io')[0]).toBe('docker.io');
    expect(parseCreds('a:b:c')).toEqual({ username: 'a', password: 'b:c' });
    expect(() => parseCreds('nopass')).toThrow('--creds must be USERNAME:PASSWORD');
  });
});
