// Dotenv files as Compose reads them (.env, --env-file, a service's env_file): one KEY=VALUE per
// statement, `export ` and `#` comments allowed; single quotes literal, double quotes with escapes
// and ${VAR} expansion, unquoted values cut at " #" and expanded; a bare KEY takes the lookup's value.
import { InvalidArgumentError } from '../../src/errors';

const KEY_CHAR = /[\p{L}\p{N}_.\-[\]]/u;
const SPACE = /[\t\v\f\r \u0085\u00a0]/;

/** The variables of a dotenv file's text. `lookup` answers ${VAR} not set earlier in the file and bare `KEY` lines. */
export function parseEnvFile(text: string, lookup?: (name: string) => string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const find = (name: string): string | undefined => (Object.hasOwn(out, name) ? out[name] : lookup?.(name));
  let src = text.replace(/^\ufeff/, '');
  let line = 1;
  for (;;) {
    // The next statement: skip blank space and whole-line comments.
    const start = src.search(/\S/);
    if (start < 0) break;
    line += count(src.slice(0, start), '\n');
    src = src.slice(start);
    if (src[0] === '#') {
      const nl = src.indexOf('\n');
      if (nl < 0) break;
      src = src.slice(nl);
      continue;
    }
    if (/^export\s+/.test(src)) src = src.replace(/^export[\t\v\f\r \u0085\u00a0]*/, '');
    let i = 0;
    let sep = '';
    for (; i < src.length; i++) {
      const c = src[i];
      if (c === '=' || c === ':' || c === '\n') {
        sep = c;
        break;
      }
      if (SPACE.test(c) || KEY_CHAR.test(c)) continue;
      throw new InvalidArgumentError(`line ${line}: unexpected character "${c}" in variable name "${src.split('\n')[0]}"`);
    }
    const key = src.slice(0, i).trimEnd();
    if (key.includes(' ')) throw new InvalidArgumentError(`line ${line}: key cannot contain a space`);
    if (sep === '\n' || sep === '') {
      // A bare KEY: inherited from the lookup when set there.
      const v = lookup?.(key);
      if (v !== undefined && key !== '') out[key] = v;
      if (sep === '') break;
      src = src.slice(i + 1);
      line++;
      continue;
    }
    src = src.slice(i + 1).replace(/^[\t\v\f\r \u0085\u00a0]*/, '');
    const quote = src[0] === '"' || src[0] === "'" ? src[0] : undefined;
    if (!quote) {
      const nl = src.indexOf('\n');
      let value = nl < 0 ? src : src.slice(0, nl);
      src = nl < 0 ? '' : src.slice(nl + 1);
      const hash = value.indexOf(' #');
      if (hash >= 0) value = value.slice(0, hash);
      out[key] = expand(value.trimEnd(), find, line);
      line++;
      continue;
    }
    let chars = '';
    let escaped = false;
    let end = -1;
    for (let j = 1; j < src.length; j++) {
      const c = src[j];
      if (c !== quote) {
        if (!escaped && c === '\\') {
          escaped = true;
          continue;
        }
        if (escaped) {
          escaped = false;
          chars += '\\';
        }
        chars += c;
        continue;
      }
      if (escaped) {
        escaped = false;
        chars += c;
        continue;
      }
      end = j;
      break;
    }
    if (end < 0) throw new InvalidArgumentError(`line ${line}: unterminated quoted value ${src.split('\n')[0]}`);
    out[key] = quote === '"' ? expand(unescape(chars), find, line) : chars;
    line += count(src.slice(0, end), '\n');
    src = src.slice(end + 1);
  }
  return out;
}

function count(s: string, c: string): number {
  return s.split(c).length - 1;
}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', c: 'c', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', '\\': '\\' };

/** Double-quoted escapes (\n, \t, \", \\, \0NNN octal); `\$` stays a literal dollar. */
function unescape(s: string): string {
  return s.replace(/\\([abcfnrtv$"\\]|0[0-7]{0,3})/g, (m, c: string) => {
    if (c === '$') return '$$';
    if (c[0] === '0') return String.fromCharCode(parseInt(c.length > 1 ? c.slice(1) : '0', 8));
    return c === 'c' ? m : ESCAPES[c];
  });
}

/** $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:+alt}, ${VAR+alt}, ${VAR:?err}, ${VAR?err}; $$ is a dollar. Unset is "". */
function expand(s: string, find: (name: string) => string | undefined, line: number): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    if (next === '{') {
      // Find the matching brace (defaults may nest ${...}).
      let depth = 1;
      let j = i + 2;
      for (; j < s.length && depth > 0; j++) {
        if (s[j] === '{' && s[j - 1] === '$') depth++;
        else if (s[j] === '}') depth--;
      }
      if (depth > 0) throw new InvalidArgumentError(`line ${line}: invalid interpolation format for "${s}": close the \${ with }`);
      const body = s.slice(i + 2, j - 1);
      out += substitute(body, find, line);
      i = j - 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i + 1));
    if (!m) {
      out += c;
      continue;
    }
    out += find(m[0]) ?? '';
    i += m[0].length;
  }
  return out;
}

function substitute(body: string, find: (name: string) => string | undefined, line: number): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])([\s\S]*))?$/.exec(body);
  if (!m) throw new InvalidArgumentError(`line ${line}: invalid interpolation format for "\${${body}}": name a variable, e.g. \${NAME:-default}`);
  const [, name, op, arg = ''] = m;
  const value = find(name);
  const unsetOrEmpty = value === undefined || (op?.startsWith(':') && value === '');
  switch (op) {
    case undefined:
      return value ?? '';
    case ':-':
    case '-':
      return unsetOrEmpty ? expand(arg, find, line) : value!;
    case ':+':
    case '+':
      return unsetOrEmpty ? '' : expand(arg, find, line);
    default: // ':?' and '?'
      if (unsetOrEmpty) throw new InvalidArgumentError(`line ${line}: required variable ${name} is missing a value: ${expand(arg, find, line)}`);
      return value!;
  }
}
