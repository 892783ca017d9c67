// Go's fmt.Sprintf, Sprint and Sprintln over template values: verbs, flags (- + # 0 space), width
// and precision (digits or *), and fmt's inline complaints (%!d(string=x), %!s(MISSING), %!(EXTRA ...)).
import { fieldValue, formatFloat, isMap, isObject, printValue, typeName, type Obj } from './values';

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  zero: boolean;
  space: boolean;
  width?: number;
  prec?: number;
}

const runeLen = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

function pad(s: string, f: Spec, numeric = false): string {
  const w = f.width ?? 0;
  const n = runeLen(s);
  if (n >= w) return s;
  if (f.minus) return s + ' '.repeat(w - n);
  if (f.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? s[0] : '';
    return sign + '0'.repeat(w - n) + s.slice(sign.length);
  }
  return ' '.repeat(w - n) + s;
}

function bad(verb: string, v: unknown): string {
  return v === undefined || v === null ? `%!${verb}(<nil>)` : `%!${verb}(${typeName(v)}=${printValue(v, false)})`;
}

function signed(s: string, neg: boolean, f: Spec): string {
  return (neg ? '-' : f.plus ? '+' : f.space ? ' ' : '') + s;
}

function fmtInt(n: number, verb: string, f: Spec): string {
  const neg = n < 0;
  const a = Math.abs(n);
  let digits: string;
  switch (verb) {
    case 'd':
    case 'v':
      digits = String(a);
      break;
    case 'x':
      digits = a.toString(16);
      if (f.sharp) digits = `0x${digits}`;
      break;
    case 'X':
      digits = a.toString(16).toUpperCase();
      if (f.sharp) digits = `0X${digits}`;
      break;
    case 'o':
      digits = (f.sharp ? '0' : '') + a.toString(8);
      break;
    case 'O':
      digits = `0o${a.toString(8)}`;
      break;
    case 'b':
      digits = a.toString(2);
      break;
    case 'c':
      return pad(String.fromCodePoint(n), f);
    case 'q':
      return pad(`'${quoteBody(String.fromCodePoint(n), "'")}'`, f);
    case 'U':
      return pad(`U+${a.toString(16).toUpperCase().padStart(4, '0')}`, f);
    default:
      return fmtFloatVerb(n, verb, f) ?? bad(verb, n);
  }
  if (f.prec !== undefined) digits = digits.padStart(f.prec, '0');
  return pad(signed(digits, neg, f), f, f.prec === undefined);
}

function expForm(mant: string, exp: number, upper: boolean): string {
  return `${mant}${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function fmtFloatVerb(n: number, verb: string, f: Spec): string | null {
  if (!'eEfFgGv'.includes(verb)) return null;
  if (!Number.isFinite(n)) return pad(Number.isNaN(n) ? 'NaN' : signed('Inf', n < 0, { ...f, plus: f.plus || n > 0 }), f);
  const neg = n < 0 || Object.is(n, -0);
  const a = Math.abs(n);
  let s: string;
  if (verb === 'f' || verb === 'F') s = a.toFixed(f.prec ?? 6);
  else if (verb === 'e' || verb === 'E') {
    const [m, e] = a.toExponential(f.prec ?? 6).split('e');
    s = expForm(m, Number(e), verb === 'E');
  } else if (verb === 'v' && f.prec === undefined) s = formatFloat(a);
  else {
    // %g: shortest (or prec significant digits), exponent form when exp < -4 or exp >= precision.
    const p = f.prec === undefined ? undefined : Math.max(f.prec, 1);
    const [m0, e0] = (p === undefined ? a.toExponential() : a.toExponential(p - 1)).split('e');
    const exp = Number(e0);
    const digits = m0.replace('.', '').replace(/0+$/, '') || '0';
    const eprec = p === undefined ? 6 : p > digits.length && digits.length >= exp + 1 ? digits.length : p;
    if (exp < -4 || exp >= eprec) s = expForm(digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits, exp, verb === 'G');
    else s = exp >= digits.length - 1 ? digits + '0'.repeat(exp - digits.length + 1) : exp >= 0 ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}` : `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return pad(signed(s, neg, f), f, true);
}

/** strconv.Quote's body: Go escapes for quotes, backslash and non-printable characters. */
export function quoteBody(s: string, q: '"' | "'"): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/u.test(ch)) out += c > 0xffff ? `\\U${c.toString(16).padStart(8, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

function fmtString(s: string, verb: string, f: Spec): string {
  switch (verb) {
    case 's':
    case 'v':
      return pad(f.prec === undefined ? s : [...s].slice(0, f.prec).join(''), f);
    case 'q':
      return pad(f.sharp && !s.includes('`') && !/[\x00-\x08\x0a-\x1f\x7f]/.test(s) ? `\`${s}\`` : `"${quoteBody(s, '"')}"`, f);
    case 'x':
    case 'X': {
      let hex = Buffer.from(s).toString('hex');
      if (verb === 'X') hex = hex.toUpperCase();
      return pad(hex, f);
    }
    default:
      return bad(verb, s);
  }
}

function fmtValue(v: unknown, verb: string, f: Spec): string {
  if (verb === 'T') return pad(typeName(v) === '<nil>' ? '<nil>' : typeName(v), f);
  if (v === undefined || v === null) return verb === 'v' || verb === 's' ? (verb === 'v' ? pad('<nil>', f) : '%!s(<nil>)') : bad(verb, v);
  if (typeof v === 'string') return fmtString(v, verb, f);
  if (typeof v === 'number') return Number.isInteger(v) && !'eEfFgG'.includes(verb) ? fmtInt(v, verb, f) : (fmtFloatVerb(v, verb, f) ?? bad(verb, v));
  if (typeof v === 'boolean') return verb === 't' || verb === 'v' ? pad(String(v), f) : bad(verb, v);
  if (Array.isArray(v)) return `[${v.map((e) => fmtValue(e, verb, { ...f, width: f.width })).join(' ')}]`;
  if (isObject(v)) {
    const o = v as Obj;
    if (isMap(o)) return `map[${Object.keys(o).sort().map((k) => `${fmtValue(k, verb, f)}:${fmtValue(o[k], verb, f)}`).join(' ')}]`;
    return `{${Object.keys(o).map((k) => (f.plus && verb === 'v' ? `${k}:` : '') + fmtValue(fieldValue(o, k), verb, f)).join(' ')}}`;
  }
  return pad(printValue(v, false), f);
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f: Spec = { minus: false, plus: false, sharp: false, zero: false, space: false };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') f.minus = true;
      else if (c === '+') f.plus = true;
      else if (c === '#') f.sharp = true;
      else if (c === '0') f.zero = !f.minus;
      else if (c === ' ') f.space = true;
      else break;
    }
    const num = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const v = args[argi++];
        return typeof v === 'number' ? v : undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    f.width = num();
    if (f.width !== undefined && f.width < 0) {
      f.minus = true;
      f.width = -f.width;
    }
    if (format[i] === '.') {
      i++;
      f.prec = num() ?? 0;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += fmtValue(args[argi++], verb, f);
  }
  if (argi < args.length) out += `%!(EXTRA ${args.slice(argi).map((a) => `${typeName(a)}=${printValue(a, false)}`).join(', ')})`;
  return out;
}

/** fmt.Sprint: operands' %v, with a space between two operands when neither is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  args.forEach((a, k) => {
    if (k > 0 && typeof a !== 'string' && typeof args[k - 1] !== 'string') out += ' ';
    out += printValue(a, false);
  });
  return out;
}

/** fmt.Sprintln: spaces between all operands, and a newline. */
export function sprintln(args: unknown[]): string {
  return `${args.map((a) => printValue(a, false)).join(' ')}\n`;
}
