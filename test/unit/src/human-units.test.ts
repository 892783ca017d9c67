import { describe, expect, it } from 'vitest';
import { ago, formatTable, goHumanSize, goHumanSize3, humanDuration, humanSize } from '../../../src/human-units';

describe('human units', () => {
  it('prints sizes as Podman does', () => {
    expect(humanSize(0)).toBe('0 B');
    expect(humanSize(999)).toBe('999 B');
    expect(humanSize(10240)).toBe('10.2 kB');
    expect(humanSize(5_830_000)).toBe('5.83 MB');
    expect(humanSize(206_000_000)).toBe('206 MB');
    expect(humanSize(1_500_000_000)).toBe('1.5 GB');
  });

  it('prints system df and prune sizes as go-units HumanSize does: four digits, no space', () => {
    expect(goHumanSize(0)).toBe('0B');
    expect(goHumanSize(999)).toBe('999B');
    expect(goHumanSize(20000)).toBe('20kB');
    expect(goHumanSize(1_996_800)).toBe('1.997MB');
    expect(goHumanSize(123_456_789)).toBe('123.5MB');
    expect(goHumanSize(1_500_000_000)).toBe('1.5GB');
  });

  it('prints durations as go-units does', () => {
    expect(humanDuration(0.5)).toBe('Less than a second');
    expect(humanDuration(1)).toBe('1 second');
    expect(humanDuration(45)).toBe('45 seconds');
    expect(humanDuration(90)).toBe('About a minute');
    expect(humanDuration(600)).toBe('10 minutes');
    expect(humanDuration(3600)).toBe('About an hour');
    expect(humanDuration(5 * 3600)).toBe('5 hours');
    expect(humanDuration(3 * 86400)).toBe('3 days');
    expect(humanDuration(30 * 86400)).toBe('4 weeks');
    expect(humanDuration(100 * 86400)).toBe('3 months');
    expect(humanDuration(800 * 86400)).toBe('2 years');
    expect(ago(1000, 61_000)).toBe('About a minute ago');
  });

  it('aligns table columns with two spaces', () => {
    expect(formatTable(['A', 'LONGER'], [['xyz', '1'], ['q', '22']])).toBe('A    LONGER\nxyz  1\nq    22\n');
  });
});

describe('goHumanSize3', () => {
  it("is go-units' HumanSizeWithPrecision(n, 3), as Podman's ps --size prints it (no space, unlike the images list)", () => {
    // Podman 4.3.1, same go-units v0.5.0 as 5.8.2: "14B (virtual 1.99MB)".
    expect(goHumanSize3(14)).toBe('14B');
    expect(goHumanSize3(1_994_000)).toBe('1.99MB');
    expect(goHumanSize3(5000)).toBe('5kB');
    expect(goHumanSize3(2_145_000)).toBe('2.15MB');
  });
});
