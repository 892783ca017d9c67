// Dotenv parsing as compose-go's dotenv package reads .env and env_file files.
import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../../../libpod/compose/env-file';

describe('parseEnvFile', () => {
  it('reads KEY=VALUE lines, comments, export and blank lines', () => {
    expect(parseEnvFile('# top\n\nA=1\nexport B=two\n  C = spaced  \nD=\nE: colon\n')).toEqual({ A: '1', B: 'two', C: 'spaced', D: '', E: 'colon' });
  });

  it('cuts unquoted values at " #" but keeps a # inside', () => {
    expect(parseEnvFile('A=x # note\nB=x#y\n')).toEqual({ A: 'x', B: 'x#y' });
  });

  it('keeps single quotes literal and reads escapes and variables in double quotes', () => {
    const env = parseEnvFile(`S='a $B \\n'\nD="l1\\nl2 \\"q\\" \\$lit \${B}"\nM="multi\nline"\n`, (n) => (n === 'B' ? 'bee' : undefined));
    expect(env).toEqual({ S: 'a $B \\n', D: 'l1\nl2 "q" $lit bee', M: 'multi\nline' });
  });

  it('expands variables from earlier lines, then the lookup, with defaults', () => {
    const lookup = (n: string) => ({ OUT: 'o', EMPTY: '' })[n];
    expect(parseEnvFile('A=1\nB=$A-${OUT}\nC=${NONE:-def}\nD=${EMPTY:-e}\nE=${EMPTY-e}\nF=${A:+set}\nG=$$A\n', lookup)).toEqual({
      A: '1', B: '1-o', C: 'def', D: 'e', E: '', F: 'set', G: '$A',
    });
  });

  it('takes a bare KEY from the lookup, or leaves it out', () => {
    expect(parseEnvFile('HOME\nNOPE\nA=1', (n) => (n === 'HOME' ? '/h' : undefined))).toEqual({ HOME: '/h', A: '1' });
  });

  it('refuses bad names, unterminated quotes and missing required variables with the line', () => {
    expect(() => parseEnvFile('A=1\nB C=2\n')).toThrow('line 2: key cannot contain a space');
    expect(() => parseEnvFile('A=1\nB!=2\n')).toThrow('line 2: unexpected character "!" in variable name "B!=2"');
    expect(() => parseEnvFile('A="open\n')).toThrow('line 1: unterminated quoted value "open');
    expect(() => parseEnvFile('A=${NEED:?set it}\n')).toThrow('line 1: required variable NEED is missing a value: set it');
  });
});
