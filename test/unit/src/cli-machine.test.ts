import { describe, expect, it } from 'vitest';
import { Cli, type CommandClass } from 'clipanion';
import { allCommands } from '../../../commands/index';
import { lazyMachine, useLazyMachine } from '../../../src/cli-machine';

const commands = allCommands();
const words = [...new Set(commands.flatMap((c) => (c.paths ?? []).map((p) => p[0])))];

function cliOf(classes: CommandClass[]): Cli {
  const cli = new Cli({ binaryName: 'tspod', enableColors: false });
  for (const c of classes) cli.register(c);
  return cli;
}

const builderOf = (cli: Cli) => (cli as unknown as { builder: { compile(): { machine: unknown }; builders: Parameters<typeof lazyMachine>[0] } }).builder;

describe('the lazily resolved command-line machine', () => {
  it('has, node for node, the transitions clipanion resolves eagerly, for every group of commands and for all of them', () => {
    const groups = [...words.map((w) => commands.filter((c) => (c.paths ?? []).some((p) => p[0] === w))), commands];
    for (const group of groups) {
      const eager = builderOf(cliOf(group)).compile().machine as { nodes: unknown[] };
      const lazy = lazyMachine(builderOf(cliOf(group)).builders);
      lazy.resolveAll();
      expect(lazy.machine.nodes.length).toBe(eager.nodes.length);
      expect(JSON.parse(JSON.stringify([...lazy.machine.nodes]))).toEqual(JSON.parse(JSON.stringify(eager.nodes)));
    }
    // clipanion's eager compile grows faster than linearly with run's ~150 options: minutes on a busy 2-core machine.
  }, 240_000);

  it('parses as clipanion does: the same command and values, the same errors', () => {
    const lines = [
      ['run', '--rm', '-it', '-e', 'A=b', '--name', 'web', 'debian', 'sh', '-c', 'echo --rm'],
      ['container', 'run', '-d', '-p', '8080:80', 'busybox', 'sleep', '1'],
      ['rm', '-f', '-t', '0', 'a', 'b'],
      ['ps', '-a', '--format', '{{.Names}}'],
      ['image', 'rm', '--force', 'x'],
      ['run', '--bogus', 'debian'],
      ['ps', '--filter'],
      ['container', 'frobnicate'],
    ];
    const describeParse = (cli: Cli, argv: string[]) => {
      try {
        const c = cli.process(argv) as unknown as Record<string, unknown>;
        return { command: c.constructor.name, values: JSON.stringify(Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'context' && k !== 'cli'))) };
      } catch (err) {
        return { error: (err as Error).message };
      }
    };
    for (const argv of lines) {
      const lazy = cliOf(commands);
      useLazyMachine(lazy);
      expect(describeParse(lazy, argv)).toEqual(describeParse(cliOf(commands), argv));
    }
  });
});
