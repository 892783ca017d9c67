import { describe, expect, it } from 'vitest';
import { Cli, type CommandClass } from 'clipanion';
import ComposeRunCommand from '../../../../commands/compose/run';
import ComposeLogsCommand from '../../../../commands/compose/logs';
import ComposeUpCommand from '../../../../commands/compose/up';
import ComposeRmCommand from '../../../../commands/compose/rm';
import { parseScale, parseTimeout } from '../../../../commands/compose/lifecycle-flags';

function parse<T>(cls: unknown, argv: string[]): T {
  const cli = new Cli({ binaryName: 'tspod', enableColors: false });
  cli.register(cls as CommandClass);
  return cli.process(argv, {}) as T;
}

describe('compose lifecycle commands', () => {
  it('run: -p is --publish, the service and its command come after the flags', () => {
    const cmd = parse<ComposeRunCommand>(ComposeRunCommand, ['compose', 'run', '--rm', '-p', '8080:80', '-e', 'A=1', '-T', 'web', 'sh', '-c', 'echo -e hi']);
    expect(cmd.rm).toBe(true);
    expect(cmd.publish).toEqual(['8080:80']);
    expect(cmd.env).toEqual(['A=1']);
    expect(cmd.noTty).toBe(true);
    expect(cmd.service).toBe('web');
    expect(cmd.command).toEqual(['sh', '-c', 'echo -e hi']);
    expect(parse<ComposeRunCommand>(ComposeRunCommand, ['compose', 'run', '--project-name', 'x', 'web']).projectName).toBe('x');
  });

  it('logs: -f is --follow, the file is --file', () => {
    const cmd = parse<ComposeLogsCommand>(ComposeLogsCommand, ['compose', 'logs', '-f', '--tail', '3', '--file', 'c.yml', 'web']);
    expect(cmd.follow).toBe(true);
    expect(cmd.files).toEqual(['c.yml']);
    expect(cmd.services).toEqual(['web']);
  });

  it('rm: -f is --force', () => {
    const cmd = parse<ComposeRmCommand>(ComposeRmCommand, ['compose', 'rm', '-s', '-f', '--file', 'c.yml', 'web']);
    expect([cmd.force, cmd.stop, cmd.files, cmd.services]).toEqual([true, true, ['c.yml'], ['web']]);
  });

  it('up: several --scale, -t, services', () => {
    const cmd = parse<ComposeUpCommand>(ComposeUpCommand, ['compose', 'up', '-d', '--scale', 'web=3', '--scale', 'db=1', '-t', '2', 'web']);
    expect(parseScale(cmd.scale)).toEqual({ web: 3, db: 1 });
    expect(parseTimeout(cmd.timeout)).toBe(2);
    expect(cmd.services).toEqual(['web']);
    expect(() => parseScale(['web'])).toThrow('invalid --scale "web": give SERVICE=NUM');
    expect(() => parseTimeout('1.5')).toThrow('invalid --timeout "1.5"');
  });
});
