import { describe, expect, it } from 'vitest';
import { buildPruneText } from '../../../../commands/builder/prune';

describe('builder prune output', () => {
  it("lists the removed objects, a blank line, then the space freed, as Docker prints them", () => {
    expect(buildPruneText({ removed: ['3f1c2a9e0b7d', '8d4e6f0a1b2c'], reclaimedBytes: 3_458_000 })).toBe(
      'Deleted build cache objects:\n3f1c2a9e0b7d\n8d4e6f0a1b2c\n\nTotal reclaimed space: 3.458MB\n',
    );
  });

  it('prints the engine\'s sha256: IDs as image prune does, without the prefix', () => {
    expect(buildPruneText({ removed: [`sha256:${'a'.repeat(64)}`], reclaimedBytes: 1_000 })).toBe(`Deleted build cache objects:\n${'a'.repeat(64)}\n\nTotal reclaimed space: 1kB\n`);
  });

  it('prints only the total when nothing was removed', () => {
    expect(buildPruneText({ removed: [], reclaimedBytes: 0 })).toBe('Total reclaimed space: 0B\n');
  });
});
