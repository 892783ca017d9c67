import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnvFile, readEnvFiles } from '../../../../libpod/compose/env-file';

describe('parseEnvFile', () => {
  it('reads Compose dotenv syntax', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value',
      'SPACED = padded  ',
      'export EXPORTED=yes',
      'COMMENTED=abc # trailing comment',
      'HASH=abc#not-a-comment',
      "SINGLE='lit $PLAIN \\n'",
      'DOUBLE="tab\\tnl\\nquote\\" $PLAIN"',
      'ESCAPED="\\$PLAIN"',
      'REF=${PLAIN}-x',
      'DEF=${NOPE:-fallback}',
      'EMPTY=',
      'EMPTY_COMMENT= # nothing',
      'COLON: yaml-style',
      'MULTI="line1',
      'line2"',
      "AFTER='q' # ok",
      'dotted.key-name=1',
    ].join('\n');
    expect(parseEnvFile(text, '.env')).toEqual({
      PLAIN: 'value',
      SPACED: 'padded',
      EXPORTED: 'yes',
      COMMENTED: 'abc',
      HASH: 'abc#not-a-comment',
      SINGLE: 'lit $PLAIN \\n',
      DOUBLE: 'tab\tnl\nquote" value',
      ESCAPED: '$PLAIN',
      REF: 'value-x',
      DEF: 'fallback',
      EMPTY: '',
      EMPTY_COMMENT: '',
      COLON: 'yaml-style',
      MULTI: 'line1\nline2',
      AFTER: 'q',
      'dotted.key-name': '1',
    });
  });

  it('takes a key given alone from the environment, or leaves it out', () => {
    expect(parseEnvFile('FROM_ENV\nMISSING\n', '.env', (n) => (n === 'FROM_ENV' ? 'e' : undefined))).toEqual({ FROM_ENV: 'e' });
  });

  it('interpolates with earlier variables first, then the lookup', () => {
    expect(parseEnvFile('A=1\nB=$A$HOME\n', '.env', (n) => (n === 'HOME' ? '/h' : n === 'A' ? 'env' : undefined))).toEqual({ A: '1', B: '1/h' });
  });

  it('names file and line for errors', () => {
    expect(() => parseEnvFile('A=1\n1BAD=2\n', '/p/.env')).toThrow(/^\/p\/\.env:2: invalid variable name/);
    expect(() => parseEnvFile('A="open\n', '/p/.env')).toThrow('/p/.env:1: the value of A has no closing double quote');
    expect(() => parseEnvFile("A='x' y\n", '/p/.env')).toThrow('/p/.env:1: unexpected text after the quoted value of A');
    expect(() => parseEnvFile('\nA=${B:?needed}\n', '/p/.env')).toThrow('/p/.env:2: A: required variable B is missing a value: needed');
    expect(() => parseEnvFile('A=${B\n', '/p/.env')).toThrow('/p/.env:1: invalid interpolation format for A');
    expect(() => parseEnvFile('A B\n', '/p/.env')).toThrow('/p/.env:1: unexpected character');
  });
});

describe('readEnvFiles', () => {
  it('reads files in order, later wins, later ones see earlier ones', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-envfile-'));
    fs.writeFileSync(path.join(dir, 'a.env'), 'A=1\nB=2\n');
    fs.writeFileSync(path.join(dir, 'b.env'), 'B=3\nC=$A$P\n');
    expect(readEnvFiles([path.join(dir, 'a.env'), path.join(dir, 'b.env')], { P: 'p' })).toEqual({ A: '1', B: '3', C: '1p' });
  });

  it('fails on a missing file', () => {
    expect(() => readEnvFiles(['/nonexistent/x.env'], {})).toThrow("couldn't find env file: /nonexistent/x.env");
  });
});
