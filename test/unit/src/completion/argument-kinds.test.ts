import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../../commands/index';
import { COMMAND_FLAG_VALUES, FORMATS, POSITIONALS } from '../../../../src/completion/argument-kinds';
import { argumentSpec } from '../../../../src/completion/command-specs';

describe('argument kinds', () => {
  const paths = new Set(allCommands().flatMap((c) => (c.paths ?? []).map((p) => p.join(' '))));

  it('names only registered command paths', () => {
    const unknown = [...Object.keys(POSITIONALS), ...Object.keys(FORMATS)].filter((k) => !paths.has(k));
    expect(unknown).toEqual([]);
  });

  it("names only flags the command has in its per-command flag values", () => {
    for (const key of Object.keys(COMMAND_FLAG_VALUES)) {
      const flag = key.split(' ').pop()!;
      const path = key.slice(0, -flag.length - 1);
      const cls = allCommands().find((c) => (c.paths ?? []).some((p) => p.join(' ') === path));
      expect(cls, key).toBeDefined();
      expect(argumentSpec(cls!).options.some((o) => o.names.includes(flag) && o.arity > 0), key).toBe(true);
    }
  });

  it('gives --format keywords only to commands that have --format', () => {
    for (const key of Object.keys(FORMATS)) {
      const cls = allCommands().find((c) => (c.paths ?? []).some((p) => p.join(' ') === key))!;
      expect(argumentSpec(cls).options.some((o) => o.names.includes('--format'))).toBe(true);
    }
  });

  it('offers the project\'s services to every compose verb that takes services', () => {
    const composeVerbs = allCommands().filter((c) => (c.paths ?? []).some((p) => p[0] === 'compose'));
    const takingServices = composeVerbs.filter((c) => {
      const instance = new (c as unknown as new () => Record<string, unknown>)();
      return 'services' in instance || 'service' in instance;
    });
    expect(takingServices.length).toBeGreaterThan(10);
    const missing = takingServices.map((c) => c.paths![0].join(' ')).filter((k) => [POSITIONALS[k]?.[0]].flat()[0] !== 'compose-service');
    expect(missing).toEqual([]);
  });
});
