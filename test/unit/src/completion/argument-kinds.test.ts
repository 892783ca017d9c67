import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../../commands/index';
import { FORMATS, POSITIONALS } from '../../../../src/completion/argument-kinds';
import { argumentSpec } from '../../../../src/completion/command-specs';

describe('argument kinds', () => {
  const paths = new Set(allCommands().flatMap((c) => (c.paths ?? []).map((p) => p.join(' '))));

  it('names only registered command paths', () => {
    const unknown = [...Object.keys(POSITIONALS), ...Object.keys(FORMATS)].filter((k) => !paths.has(k));
    expect(unknown).toEqual([]);
  });

  it('gives --format keywords only to commands that have --format', () => {
    for (const key of Object.keys(FORMATS)) {
      const cls = allCommands().find((c) => (c.paths ?? []).some((p) => p.join(' ') === key))!;
      expect(argumentSpec(cls).options.some((o) => o.names.includes('--format'))).toBe(true);
    }
  });
});
