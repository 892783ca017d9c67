import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index';
import { commandHelp, nounHelp, suggestCommands, topLevelHelp } from '../../../src/help';

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

describe('build in the help pages (issue 21)', () => {
  it('lists build and the builder noun at the top level, and not buildx (hidden, as in Podman)', () => {
    const page = topLevelHelp(commands);
    expect(page).toContain('  build         Build an image using instructions from Containerfiles\n');
    expect(page).toContain('  builder       Build images and manage the build cache\n');
    expect(page).not.toContain('buildx');
  });

  it('gives buildx and builder noun pages with their verbs', () => {
    expect(nounHelp('buildx', commands)).toBe('Build images\n\nUsage:\n  tspod buildx [command]\n\nAvailable Commands:\n  build         Build an image using instructions from Containerfiles\n');
    expect(nounHelp('builder', commands)).toBe(
      'Build images and manage the build cache\n\nUsage:\n  tspod builder [command]\n\nAvailable Commands:\n  build         Build an image using instructions from Containerfiles\n  prune         Remove build cache\n',
    );
  });

  it("shows build's --help as Podman lays it out: usage with its context, --pull's optional value, numbers as int", () => {
    const page = commandHelp(commands, ['build'])!;
    expect(page.startsWith('Build an image using instructions from Containerfiles\n\nDescription:\n')).toBe(true);
    expect(page).toContain('Usage:\n  tspod build [options] [CONTEXT...]\n\nAliases:\n  tspod image build, tspod buildx build, tspod builder build\n');
    expect(page).toContain('\n      --pull string[="always"]      pull the FROM images');
    expect(page).toContain('\n      --jobs int ');
    expect(page).toContain('\n      --timestamp int ');
    expect(page).not.toContain('--ssh'); // refused options are hidden
  });
});
