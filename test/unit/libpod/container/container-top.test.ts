import { describe, expect, it } from 'vitest';
import { insideId } from '../../../../libpod/container/container-top';

describe('top from outside the user namespace', () => {
  const map = '         0       1001          1\n         1     100000      65536\n';
  it('maps host IDs back to the container’s through its uid_map', () => {
    expect(insideId(map, 1001)).toBe(0);
    expect(insideId(map, 100000)).toBe(1);
    expect(insideId(map, 100032)).toBe(33);
    expect(insideId(map, 165535)).toBe(65536);
  });
  it('leaves an ID the map does not hold as it is', () => {
    expect(insideId(map, 165536)).toBe(165536);
    expect(insideId('', 5)).toBe(5);
  });
});
