import { describe, expect, it } from 'vitest';
import { compileIgnore } from '../../../../libpod/build/ignore';

// [ignore file, path, ignored?] — Docker's .dockerignore rules.
const corpus: Array<[string, string, boolean]> = [
  ['', 'a', false],
  ['# comment\n\n', 'a', false],
  ['a', 'a', true],
  ['a', 'b', false],
  ['a', 'a/b/c', true], // a directory pattern covers everything below it
  ['a', 'x/a', false], // patterns are anchored at the context root
  ['  a  ', 'a', true], // whitespace trimmed
  [' #a', '#a', true], // only a # at the line's very start is a comment
  ['/a', 'a', true], // leading slash dropped
  ['./a/', 'a', true], // cleaned as filepath.Clean
  ['a/../b', 'b', true],
  ['a/./b', 'a/b', true],
  ['*.md', 'README.md', true],
  ['*.md', 'docs/README.md', false], // * does not cross '/'
  ['**/*.md', 'docs/x/README.md', true],
  ['**/*.md', 'README.md', true], // ** may match no directory at all
  ['docs/**', 'docs/a/b', true],
  ['a/**/b', 'a/b', true],
  ['a/**/b', 'a/x/y/b', true],
  ['a/**/b', 'a/x/y/c', false],
  ['?.txt', 'a.txt', true],
  ['?.txt', 'ab.txt', false],
  ['[a-c].txt', 'b.txt', true],
  ['[a-c].txt', 'd.txt', false],
  ['[^a].txt', 'a.txt', false],
  ['[^a].txt', 'b.txt', true],
  ['\\*.txt', '*.txt', true],
  ['\\*.txt', 'a.txt', false],
  ['a.txt', 'aXtxt', false], // '.' is literal
  ['*\n!keep', 'keep', false],
  ['*\n!keep', 'other', true],
  ['!keep\n*', 'keep', true], // the last matching pattern wins
  ['dir\n!dir/keep', 'dir/keep', false], // re-included below an ignored directory
  ['dir\n!dir/keep', 'dir/other', true],
  ['dir\n!dir/keep', 'dir', true],
  ['*.go\n!main.go', 'main.go', false],
  ['**\n!src/**\nsrc/tmp', 'src/tmp/x', true],
  ['**\n!src/**\nsrc/tmp', 'src/a/b', false],
  ['node_modules', 'node_modules/x/y.js', true],
  ['Dockerfile\n.dockerignore', '.dockerignore', true],
  ['a(b)+c', 'a(b)+c', true], // regex metacharacters are literal
  ['{a,b}', 'a', false], // no brace expansion in Go's Match
];

describe('compileIgnore', () => {
  it.each(corpus)('%j ignores %j: %s', (text, rel, expected) => {
    expect(compileIgnore(text).ignored(rel)).toBe(expected);
  });

  it('cleans the patterns it keeps', () => {
    expect(compileIgnore('# c\n /a/ \n!./b/../c\n\n').patterns).toEqual(['a', '!c']);
  });

  it('says when an ignored directory may still hold re-included files', () => {
    const m = compileIgnore('dir\nother\n!dir/sub/keep\n!**/*.keep');
    expect(m.mayContainIncluded('notignored')).toBe(true);
    expect(m.mayContainIncluded('dir')).toBe(true);
    expect(m.mayContainIncluded('dir/sub')).toBe(true);
    expect(m.mayContainIncluded('other')).toBe(true); // **/*.keep could match under it
    expect(compileIgnore('dir\n!dir/sub/keep').mayContainIncluded('dir/elsewhere')).toBe(false);
    expect(compileIgnore('dir\n!x/keep').mayContainIncluded('dir')).toBe(false);
    expect(compileIgnore('dir').mayContainIncluded('dir')).toBe(false);
    expect(compileIgnore('d*\n!d?/k').mayContainIncluded('dx')).toBe(true);
  });

  it('refuses a pattern Go cannot compile', () => {
    expect(() => compileIgnore('[abc')).toThrow(/syntax error in pattern/);
  });
});
