import { describe, expect, it } from 'vitest';
import { dockerHistory, dockerImageSummary, imageFilters, referenceOf, splitReference } from '../../../api/docker/image-summary';
import type { ImageSummary } from '../../../libpod/entities';

const summary = (over: Partial<ImageSummary> = {}): ImageSummary => ({
  Id: 'ab'.repeat(32), ParentId: '', RepoTags: ['docker.io/library/busybox:latest'], RepoDigests: ['docker.io/library/busybox@sha256:1'], Size: 10, SharedSize: 0, VirtualSize: 10,
  Labels: null, Containers: 0, Names: ['docker.io/library/busybox:latest'], Digest: 'sha256:1', Created: 1700000000, CreatedAt: '', ...over,
});

describe('GET /images/json rows', () => {
  it('gives the ID with sha256:, Labels as an object, and -1 for what is not counted', () => {
    expect(dockerImageSummary(summary())).toEqual({
      Id: `sha256:${'ab'.repeat(32)}`, ParentId: '', RepoTags: ['docker.io/library/busybox:latest'], RepoDigests: ['docker.io/library/busybox@sha256:1'],
      Created: 1700000000, Size: 10, SharedSize: -1, VirtualSize: 10, Labels: {}, Containers: -1,
    });
  });
  it('shows an image without names as <none>:<none>', () => {
    const s = dockerImageSummary(summary({ RepoTags: [], RepoDigests: [], Names: [] }));
    expect(s.RepoTags).toEqual(['<none>:<none>']);
    expect(s.RepoDigests).toEqual(['<none>@<none>']);
  });
  it('narrows the digests to the listed names\' repositories when a reference filter chose them', () => {
    const s = summary({ RepoDigests: ['docker.io/library/busybox@sha256:1', 'reg:5000/team/box@sha256:2'] });
    expect(dockerImageSummary(s, true).RepoDigests).toEqual(['docker.io/library/busybox@sha256:1']);
    expect(dockerImageSummary(s).RepoDigests).toHaveLength(2);
  });
  it('translates filters and refuses unknown ones', () => {
    expect(imageFilters({ dangling: ['1'], label: ['a=b'], reference: ['busy*'] })).toEqual(['dangling=true', 'label=a=b', 'reference=busy*']);
    expect(() => imageFilters({ colour: ['red'] })).toThrow(/invalid filter 'colour'/);
    expect(() => imageFilters({ dangling: ['maybe'] })).toThrow(/give true or false/);
  });
});

describe('history', () => {
  it('gives the top row the image ID and tags, the others <missing>', () => {
    const rows = [
      { id: 'x', created: '2024-01-01T00:00:00Z', createdBy: 'CMD', size: 0, comment: '' },
      { id: '', created: '2023-01-01T00:00:00Z', createdBy: 'ADD', size: 5, comment: 'c' },
    ];
    expect(dockerHistory(rows, 'sha256:abc', ['a:1'])).toEqual([
      { Id: 'sha256:abc', Created: 1704067200, CreatedBy: 'CMD', Tags: ['a:1'], Size: 0, Comment: '' },
      { Id: '<missing>', Created: 1672531200, CreatedBy: 'ADD', Tags: null, Size: 5, Comment: 'c' },
    ]);
  });
});

describe('references', () => {
  it('joins fromImage and tag: latest when none, @ for a digest', () => {
    expect(referenceOf('busybox', null)).toBe('busybox:latest');
    expect(referenceOf('busybox', 'musl')).toBe('busybox:musl');
    expect(referenceOf('127.0.0.1:5000/a/b', '')).toBe('127.0.0.1:5000/a/b:latest');
    expect(referenceOf('a/b', `sha256:${'c'.repeat(64)}`)).toBe(`a/b@sha256:${'c'.repeat(64)}`);
    expect(referenceOf('a/b:1', null)).toBe('a/b:1');
    expect(() => referenceOf('a/b:1', '2')).toThrow(/tag in one place/);
    expect(() => referenceOf('', 'x')).toThrow(/fromImage must be given/);
  });
  it('splits a reference into repository and tag or digest', () => {
    expect(splitReference('127.0.0.1:5000/a:1')).toEqual({ repo: '127.0.0.1:5000/a', tag: '1' });
    expect(splitReference('127.0.0.1:5000/a')).toEqual({ repo: '127.0.0.1:5000/a', tag: 'latest' });
    expect(splitReference('a@sha256:1')).toEqual({ repo: 'a', tag: 'sha256:1' });
  });
});
