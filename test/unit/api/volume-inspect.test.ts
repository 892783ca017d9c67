import { describe, expect, it } from 'vitest';
import { dockerVolume, pruneFilters, volumeCreateOptions, volumeFilters } from '../../../api/docker/volume-inspect';

describe('volume objects', () => {
  it("gives Docker's shape, null for no labels or options", () => {
    expect(dockerVolume({ Name: 'v', Driver: 'local', Mountpoint: '/m', CreatedAt: 't', Labels: {}, Scope: 'local', Options: {} })).toEqual({ CreatedAt: 't', Driver: 'local', Labels: null, Mountpoint: '/m', Name: 'v', Options: null, Scope: 'local' });
    expect(dockerVolume({ Name: 'v', Driver: 'local', Mountpoint: '/m', CreatedAt: 't', Labels: { a: 'b' }, Options: { o: '1' } })).toMatchObject({ Labels: { a: 'b' }, Options: { o: '1' } });
  });
  it('takes the create body, an empty name for a generated one', () => {
    expect(volumeCreateOptions({ Name: 'v', Driver: 'local', Labels: { a: 'b' }, DriverOpts: { type: 'tmpfs' } })).toEqual({ name: 'v', opts: { labels: ['a=b'], options: ['type=tmpfs'] } });
    expect(volumeCreateOptions({ Name: '' }).name).toBeUndefined();
    expect(() => volumeCreateOptions({ Driver: 'nfs-plugin' })).toThrow(/use local/);
  });
  it('translates list and prune filters, the name as a plain part', () => {
    expect(volumeFilters({ name: ['a.b'], dangling: ['1'], label: ['x=y'] })).toEqual(['name=a\\.b', 'dangling=true', 'label=x=y']);
    expect(() => volumeFilters({ size: ['1'] })).toThrow(/invalid filter 'size'/);
    expect(pruneFilters({ label: ['a'], until: ['1h'] }, ['label', 'until'])).toEqual(['label=a', 'until=1h']);
    expect(() => pruneFilters({ dangling: ['1'] }, ['label'])).toThrow(/invalid filter 'dangling'/);
  });
});
