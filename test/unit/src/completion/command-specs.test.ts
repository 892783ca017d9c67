import { describe, expect, it } from 'vitest';
import { Command, Option, type CommandClass } from 'clipanion';
import { allCommands } from '../../../../commands/index';
import { argumentSpec, visibleCommands } from '../../../../src/completion/command-specs';

class Sample extends Command {
  static override paths = [['sample']];
  all = Option.Boolean('-a,--all', false, { description: 'everything' });
  time = Option.String('-t,--time', { description: 'seconds' });
  secret = Option.String('--secret', { hidden: true });
  name = Option.String();
  command = Option.Proxy();
  override async execute() {}
}

describe('argumentSpec', () => {
  it("reads a class's options, positionals and proxy from its option definitions", () => {
    expect(argumentSpec(Sample as unknown as CommandClass)).toEqual({
      options: [
        { names: ['-a', '--all'], arity: 0, description: 'everything', hidden: false },
        { names: ['-t', '--time'], arity: 1, description: 'seconds', hidden: false },
        { names: ['--secret'], arity: 1, description: '', hidden: true },
      ],
      positionals: 1,
      proxy: true,
    });
  });

  it('sees the flags a command inherits (the global ones hidden)', () => {
    const stop = allCommands().find((c) => c.paths?.[0]?.[0] === 'stop')!;
    const names = argumentSpec(stop).options;
    expect(names.find((o) => o.names.includes('--root'))).toMatchObject({ arity: 1, hidden: true });
    expect(names.find((o) => o.names.includes('--time'))).toMatchObject({ arity: 1, hidden: false });
  });

  it('leaves out hidden commands', () => {
    const visible = visibleCommands(allCommands()).flatMap((c) => c.paths ?? []).map((p) => p.join(' '));
    expect(visible).toContain('stop');
    expect(visible).not.toContain('__complete');
    expect(visible).not.toContain('container cleanup');
  });
});
