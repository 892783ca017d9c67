// Go text/template's lexer: text between actions, and inside {{ }} the tokens of a pipeline.
// One pass over the input; trim markers ({{- and -}}) cut the neighbouring text's white space,
// comments vanish, and each token remembers whether white space preceded it (the parser needs
// that to tell `.A.B` from `.A .B`).
import { TemplateError } from '../errors';

export type TokenKind =
  | 'text' | 'left' | 'right' | 'field' | 'variable' | 'ident' | 'keyword' | 'string' | 'char' | 'number'
  | 'bool' | 'nil' | 'dot' | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The token's text; for strings and chars the value after unquoting. */
  val: string;
  /** Offset in the input, for error positions. */
  pos: number;
  space: boolean;
}

export interface LexOptions {
  /** Applied to each text segment before trimming (Podman's \t and \n escapes, table's tabs). */
  text?: (s: string) => string;
  /** Applied to raw (backquoted) strings: Podman's escapes reach inside them too. */
  raw?: (s: string) => string;
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string) => /[\p{L}\p{Nd}_]/u.test(c);

/** The line of an offset, 1-based, as Go's errors print it. */
export function lineOf(input: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < input.length; i++) if (input.charCodeAt(i) === 10) line++;
  return line;
}

export function lex(name: string, input: string, options: LexOptions = {}): Token[] {
  const tokens: Token[] = [];
  const fail = (pos: number, msg: string): never => {
    throw new TemplateError(`template: ${name}:${lineOf(input, pos)}: ${msg}`);
  };
  const emitText = (from: number, to: number, trimLeftOfNext: boolean, trimStart: boolean) => {
    let s = input.slice(from, to);
    if (options.text) s = options.text(s);
    if (trimStart) s = s.replace(/^[ \t\r\n]+/, '');
    if (trimLeftOfNext) s = s.replace(/[ \t\r\n]+$/, '');
    if (s) tokens.push({ kind: 'text', val: s, pos: from, space: false });
  };
  let i = 0;
  let trimNext = false;
  for (;;) {
    const open = input.indexOf('{{', i);
    if (open < 0) {
      emitText(i, input.length, false, trimNext);
      break;
    }
    const trimLeft = input[open + 2] === '-' && isSpace(input[open + 3] ?? '');
    emitText(i, open, trimLeft, trimNext);
    let p = open + 2 + (trimLeft ? 2 : 0);
    if (input.startsWith('/*', p)) {
      const close = input.indexOf('*/', p + 2);
      if (close < 0) fail(open, 'unclosed comment');
      p = close + 2;
      trimNext = input.startsWith(' -}}', p);
      if (trimNext) p += 4;
      else if (input.startsWith('}}', p)) p += 2;
      else fail(open, 'comment ends before closing delimiter');
      i = p;
      continue;
    }
    tokens.push({ kind: 'left', val: '{{', pos: open, space: false });
    const r = lexAction(input, p, tokens, (pos, msg) => fail(msg === 'unclosed action' ? open : pos, msg), options.raw);
    trimNext = r.trim;
    i = r.end;
  }
  // Go places EOF on the line where the last token began.
  tokens.push({ kind: 'eof', val: '', pos: tokens.length ? tokens[tokens.length - 1].pos : 0, space: false });
  return tokens;
}

/** Tokens of one action from p; returns where the text resumes and whether it is trimmed. */
function lexAction(input: string, p: number, tokens: Token[], fail: (pos: number, msg: string) => never, raw = (s: string) => s): { end: number; trim: boolean } {
  let space = false;
  let parens = 0;
  const push = (kind: TokenKind, val: string, pos: number) => {
    tokens.push({ kind, val, pos, space });
    space = false;
  };
  const atTerminator = (q: number) => {
    const c = input[q];
    return c === undefined || isSpace(c) || '.,|:()'.includes(c) || input.startsWith('}}', q);
  };
  const word = (q: number) => {
    while (q < input.length && isAlnum(input[q])) q++;
    return q;
  };
  for (;;) {
    if (input.startsWith(' -}}', p) || input.startsWith('}}', p)) {
      const trim = input[p] === ' ';
      if (parens > 0) fail(p, 'unclosed left paren');
      push('right', '}}', p);
      return { end: p + (trim ? 4 : 2), trim };
    }
    const c = input[p];
    if (c === undefined) fail(p, 'unclosed action');
    if (isSpace(c)) {
      space = true;
      p++;
      continue;
    }
    const start = p;
    if (c === '=') push('assign', '=', p++);
    else if (c === ':') {
      if (input[p + 1] !== '=') fail(p, 'expected :=');
      push('declare', ':=', p);
      p += 2;
    } else if (c === '|') push('pipe', '|', p++);
    else if (c === ',') push('comma', ',', p++);
    else if (c === '(') {
      parens++;
      push('lparen', '(', p++);
    } else if (c === ')') {
      if (--parens < 0) fail(p, `unexpected right paren`);
      push('rparen', ')', p++);
    } else if (c === '"' || c === '`' || c === "'") {
      const end = scanQuoted(input, p, c, fail);
      const value = unquote(input.slice(p, end), (m) => fail(p, m));
      push(c === "'" ? 'char' : 'string', c === '`' ? raw(value) : value, start);
      p = end;
    } else if (c === '$') {
      p = word(p + 1);
      if (!atTerminator(p)) fail(p, `bad character ${goRune(input[p])}`);
      push('variable', input.slice(start, p), start);
    } else if (c === '.' && !/[0-9]/.test(input[p + 1] ?? '')) {
      p = word(p + 1);
      if (p === start + 1) push('dot', '.', start);
      else {
        if (!atTerminator(p)) fail(p, `bad character ${goRune(input[p])}`);
        push('field', input.slice(start + 1, p), start);
      }
    } else if (/[0-9.+-]/.test(c)) {
      p = scanNumber(input, p);
      if (isAlnum(input[p] ?? '') || input[p] === '.') fail(start, `bad number syntax: "${input.slice(start, word(p))}"`);
      push('number', input.slice(start, p), start);
    } else if (isAlnum(c)) {
      p = word(p);
      if (!atTerminator(p)) fail(p, `bad character ${goRune(input[p])}`);
      const w = input.slice(start, p);
      push(KEYWORDS.has(w) ? 'keyword' : w === 'true' || w === 'false' ? 'bool' : w === 'nil' ? 'nil' : 'ident', w, start);
    } else fail(p, `unrecognized character in action: ${goRune(c)}`);
  }
}

function goRune(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

function scanQuoted(input: string, p: number, q: string, fail: (pos: number, msg: string) => never): number {
  let i = p + 1;
  for (;;) {
    const c = input[i];
    if (c === undefined || (c === '\n' && q !== '`')) fail(p, q === '`' ? 'unterminated raw quoted string' : q === '"' ? 'unterminated quoted string' : 'unterminated character constant');
    if (c === '\\' && q !== '`') i++;
    else if (c === q) return i + 1;
    i++;
  }
}

function scanNumber(input: string, p: number): number {
  if (input[p] === '+' || input[p] === '-') p++;
  let digits = '0123456789_';
  if (input[p] === '0' && /[xXoObB]/.test(input[p + 1] ?? '')) {
    const b = input[p + 1].toLowerCase();
    digits = b === 'x' ? '0123456789abcdefABCDEF_' : b === 'o' ? '01234567_' : '01_';
    p += 2;
  }
  while (p < input.length && digits.includes(input[p])) p++;
  if (input[p] === '.') {
    p++;
    while (p < input.length && digits.includes(input[p])) p++;
  }
  if (digits.length === 11 ? /[eE]/.test(input[p] ?? '') : digits.length > 20 && /[pP]/.test(input[p] ?? '')) {
    p++;
    if (input[p] === '+' || input[p] === '-') p++;
    while (p < input.length && /[0-9_]/.test(input[p])) p++;
  }
  return p;
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };

/** Go's strconv.Unquote for "..." (escapes), `...` (raw) and '.' (one rune). */
export function unquote(lit: string, fail: (msg: string) => never): string {
  const q = lit[0];
  const body = lit.slice(1, -1);
  if (q === '`') return body.replace(/\r/g, '');
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e in SIMPLE_ESCAPES && (e !== "'" || q === "'") && (e !== '"' || q === '"')) out += SIMPLE_ESCAPES[e];
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) fail(`invalid syntax`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += n;
    } else if (/[0-7]/.test(e ?? '')) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) fail('invalid syntax');
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else fail('invalid syntax');
  }
  if (q === "'" && [...out].length !== 1) fail(`malformed character constant: ${lit}`);
  return out;
}
