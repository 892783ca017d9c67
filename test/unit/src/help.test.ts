import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index';
import { suggestCommands } from '../../../src/help';

const commands = allCommands();

describe('suggestions for a mistyped command', () => {
  it('offers the words two edits away or starting with what was typed, in the order of tspod --help', () => {
    expect(suggestCommands('rn', commands)).toEqual(['cp', 'ps', 'rm', 'rmi', 'run']);
    expect(suggestCommands('volumes', commands)).toEqual(['volume']);
    expect(suggestCommands('netw', commands)).toEqual(['network']);
    expect(suggestCommands('Run', commands)).toContain('run');
  });

  it('offers nothing for a word far from every command, and never tspod\'s hidden ones', () => {
    expect(suggestCommands('frobnicate', commands)).toEqual([]);
    expect(suggestCommands('__complet', commands)).toEqual([]);
  });

  it('offers a noun\'s own verbs for a mistyped one after it', () => {
    expect(suggestCommands('craete', commands, 'volume')).toEqual(['create']);
    expect(suggestCommands('lss', commands, 'network')).toEqual(['list', 'ls']);
    expect(suggestCommands('frobnicate', commands, 'image')).toEqual([]);
  });
});
