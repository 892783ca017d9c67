// Compose's .env syntax: one KEY=VALUE (or KEY: VALUE) a line, an optional `export ` prefix, `#`
// comments; values bare (trimmed, ` #` starts a comment), 'single quoted' (literal) or "double quoted"
// (backslash escapes); bare and double-quoted values are interpolated with the variables set so far.
import fs from 'node:fs';
import { InvalidArgumentError } from '../../src/errors';
import { substitute, TemplateFault, type Lookup } from './interpolate';

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*/;

/**
 * Parses the text of an env file. `lookup` finds variables the file uses that it does not set itself
 * (the process environment, earlier env files); a key given alone takes its value from there, or
 * is left out.
 */
export function parseEnvFile(text: string, file: string, lookup: Lookup = () => undefined): Record<string, string> {
  const vars: Record<string, string> = {};
  const find: Lookup = (name) => (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : lookup(name));
  const src = text.replace(/\r\n?/g, '\n');
  let i = 0;
  let line = 1;
  const fail = (at: number, msg: string): never => {
    throw new InvalidArgumentError(`${file}:${at}: ${msg}`);
  };
  while (i < src.length) {
    // One statement: skip blank space and comment lines first.
    const nl = src.indexOf('\n', i);
    const rawLine = src.slice(i, nl < 0 ? src.length : nl);
    const trimmed = rawLine.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i = nl < 0 ? src.length : nl + 1;
      line++;
      continue;
    }
    const startLine = line;
    let j = i + (rawLine.length - rawLine.trimStart().length);
    if (/^export\s+/.test(src.slice(j, nl < 0 ? src.length : nl))) j += /^export\s+/.exec(src.slice(j))![0].length;
    const km = KEY.exec(src.slice(j));
    if (!km) fail(startLine, `invalid variable name in ${JSON.stringify(trimmed)}: names are letters, digits, "_", "." and "-", not starting with a digit`);
    const key = km![0];
    j += key.length;
    while (src[j] === ' ' || src[j] === '\t') j++;
    if (j >= src.length || src[j] === '\n' || src[j] === '#') {
      // KEY alone: its value is the environment's, when set there.
      const v = lookup(key);
      if (v !== undefined) vars[key] = v;
      i = nl < 0 ? src.length : nl + 1;
      line++;
      continue;
    }
    if (src[j] !== '=' && src[j] !== ':') fail(startLine, `unexpected character ${JSON.stringify(src[j])} after variable name ${key}: write ${key}=VALUE`);
    j++;
    while (src[j] === ' ' || src[j] === '\t') j++;
    let value: string;
    const q = src[j];
    if (q === "'" || q === '"') {
      // A quoted value may span lines; it ends at the first unescaped matching quote.
      let k = j + 1;
      let raw = '';
      for (; k < src.length; k++) {
        const c = src[k];
        if (c === '\\' && q === '"' && k + 1 < src.length) {
          raw += c + src[k + 1];
          k++;
          continue;
        }
        if (c === q) break;
        raw += c;
      }
      if (k >= src.length) fail(startLine, `the value of ${key} has no closing ${q === '"' ? 'double' : 'single'} quote`);
      line += (src.slice(i, k).match(/\n/g) ?? []).length;
      // After the closing quote: only blanks or a comment.
      const end = src.indexOf('\n', k);
      const after = src.slice(k + 1, end < 0 ? src.length : end).trim();
      if (after !== '' && !after.startsWith('#')) fail(line, `unexpected text after the quoted value of ${key}: ${JSON.stringify(after)}`);
      value = q === '"' ? expand(unescape(raw), key, find, file, startLine) : raw;
      i = end < 0 ? src.length : end + 1;
      line++;
    } else {
      let raw = src.slice(j, nl < 0 ? src.length : nl);
      const hash = raw.startsWith('#') ? 0 : raw.search(/\s#/);
      if (hash >= 0) raw = raw.slice(0, hash);
      value = expand(raw.trim(), key, find, file, startLine);
      i = nl < 0 ? src.length : nl + 1;
      line++;
    }
    vars[key] = value;
  }
  return vars;
}

function unescape(raw: string): string {
  return raw.replace(/\\(.)/gs, (all, c: string) => {
    switch (c) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '\\':
        return '\\';
      case '"':
        return '"';
      case '$':
        // An escaped $ stays literal: doubled, so interpolation gives one $ back.
        return '$$';
      default:
        return all;
    }
  });
}

function expand(value: string, key: string, lookup: Lookup, file: string, line: number): string {
  if (!value.includes('$')) return value;
  try {
    return substitute(value, lookup);
  } catch (e) {
    if (!(e instanceof TemplateFault)) throw e;
    if (e.kind === 'required') throw new InvalidArgumentError(`${file}:${line}: ${key}: ${e.message}`);
    throw new InvalidArgumentError(`${file}:${line}: invalid interpolation format for ${key}: ${JSON.stringify(value)}. You may need to escape any '$' with another '$'`);
  }
}

/**
 * Reads env files in order (a later file wins); each may use the variables of the earlier ones and
 * of `processEnv`. A file that does not exist is an error when `required`.
 */
export function readEnvFiles(files: string[], processEnv: NodeJS.ProcessEnv, hint = 'check the --env-file path'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new InvalidArgumentError(`couldn't find env file: ${file}: ${hint}`);
      if (code === 'EISDIR') throw new InvalidArgumentError(`env file ${file} is a directory, not a file`);
      throw new InvalidArgumentError(`reading env file ${file}: ${(e as Error).message}`);
    }
    Object.assign(
      out,
      parseEnvFile(text, file, (name) => (Object.prototype.hasOwnProperty.call(out, name) ? out[name] : processEnv[name])),
    );
  }
  return out;
}
