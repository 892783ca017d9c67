import { describe, expect, it } from 'vitest';
import { formatReference, isImageId, localImageName, normalizeReference, parseReference } from '../../../../libpod/image/reference';

const D = 'sha256:' + 'a'.repeat(64);

describe('image references', () => {
  it.each([
    ['ubuntu', 'docker.io/library/ubuntu:latest'],
    ['ubuntu:22.04', 'docker.io/library/ubuntu:22.04'],
    ['library/ubuntu', 'docker.io/library/ubuntu:latest'],
    ['user/app', 'docker.io/user/app:latest'],
    ['quay.io/podman/stable', 'quay.io/podman/stable:latest'],
    ['localhost/app:1', 'localhost/app:1'],
    ['127.0.0.1:5000/a/b/c:tag', '127.0.0.1:5000/a/b/c:tag'],
    ['registry:5000/app', 'registry:5000/app:latest'],
    [`busybox@${D}`, `docker.io/library/busybox@${D}`],
    [`busybox:1.36@${D}`, `docker.io/library/busybox:1.36@${D}`],
    ['a.b-c/d__e-f.g', 'a.b-c/d__e-f.g:latest'],
    ['Example.com/app', 'Example.com/app:latest'],
    ['[::1]:5000/app', '[::1]:5000/app:latest'],
  ])('normalises %s to %s', (input, want) => {
    expect(formatReference(normalizeReference(input))).toBe(want);
  });

  it.each([
    ['', 'it is empty'],
    ['Ubuntu', 'repository name must be lowercase'],
    ['ubuntu:', 'is not a valid tag'],
    ['ubuntu:-x', 'is not a valid tag'],
    ['ubuntu@sha256:abc', 'is not a valid digest'],
    ['a//b', 'is not a valid repository name component'],
    ['-app', 'is not a valid repository name component'],
    ['app_', 'is not a valid repository name component'],
    ['bad_host.com/app', 'is not a valid registry host'],
    [':tag', 'the repository name is missing'],
    ['x'.repeat(256), 'longer than 255'],
  ])('rejects %j', (input, why) => {
    expect(() => parseReference(input)).toThrow(why);
    expect(() => parseReference(input)).toThrow(/^invalid reference format/);
  });

  it('keeps parts apart and names local images under localhost/', () => {
    expect(parseReference('127.0.0.1:5000/x:1')).toEqual({ domain: '127.0.0.1:5000', path: 'x', tag: '1', digest: undefined });
    expect(localImageName('myimg')).toBe('localhost/myimg:latest');
    expect(localImageName('team/img:2')).toBe('localhost/team/img:2');
    expect(localImageName('quay.io/x/y')).toBe('quay.io/x/y:latest');
    expect(isImageId('a'.repeat(64))).toBe(true);
    expect(isImageId(D)).toBe(true);
    expect(isImageId('abc')).toBe(false);
  });
});
