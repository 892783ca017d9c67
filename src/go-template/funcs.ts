// The functions a template can call: Go's predefined ones (and, or, not, len, index, slice, print,
// printf, println, eq, ne, lt, le, gt, ge, html, js, urlquery, call) and those Podman adds in its
// report package (json, join, split, lower, upper, title, truncate, pad). Each declares its
// parameters so that the evaluator can give Go's arity and type errors before calling it.
import { sprint, sprintf, sprintln } from './printf';
import { goJson, isObject, truth, typeName, zeroOfElements } from './values';

export type Param = 'any' | 'string' | 'int' | 'strings';

export interface GoFunc {
  params: Param[];
  /** The type of any further arguments (Go's ...T). */
  variadic?: Param;
  /** and/or: arguments are evaluated only as far as needed (thunks). */
  lazy?: boolean;
  call(args: unknown[]): unknown;
}

const fn = (params: Param[], call: GoFunc['call'], variadic?: Param): GoFunc => ({ params, call, variadic });

function indexValue(item: unknown, indices: unknown[]): unknown {
  if (item === undefined) throw new Error('index of untyped nil');
  let v: unknown = item;
  for (const ix of indices) {
    if (v === null || v === undefined) return undefined;
    if (Array.isArray(v) || typeof v === 'string') {
      if (typeof ix !== 'number' || !Number.isInteger(ix)) throw new Error(`cannot index slice/array with ${ix === null || ix === undefined ? 'nil' : `type ${typeName(ix)}`}`);
      const bytes = typeof v === 'string' ? Buffer.from(v) : v;
      if (ix < 0 || ix >= bytes.length) throw new Error(`index out of range: ${ix}`);
      v = bytes[ix];
    } else if (isObject(v)) {
      if (typeof ix !== 'string') throw new Error(`value has type ${typeName(ix)}; should be string`);
      v = Object.prototype.hasOwnProperty.call(v, ix) ? (v as Record<string, unknown>)[ix] : zeroOfElements(v);
    } else throw new Error(`can't index item of type ${typeName(v)}`);
  }
  return v;
}

function sliceValue(item: unknown, indices: unknown[]): unknown {
  if (item === undefined || item === null) throw new Error('slice of untyped nil');
  if (indices.length > 3) throw new Error(`too many slice indexes: ${indices.length}`);
  if (typeof item !== 'string' && !Array.isArray(item)) throw new Error(`can't slice item of type ${typeName(item)}`);
  if (typeof item === 'string' && indices.length === 3) throw new Error('cannot 3-index slice a string');
  const seq = typeof item === 'string' ? Buffer.from(item) : item;
  const idx = indices.map((i) => {
    if (typeof i !== 'number' || !Number.isInteger(i)) throw new Error(`cannot index slice/array with type ${typeName(i)}`);
    if (i < 0 || i > seq.length) throw new Error(`index out of range: ${i}`);
    return i;
  });
  const [lo = 0, hi = seq.length] = idx;
  if (lo > hi) throw new Error(`invalid slice index: ${lo} > ${hi}`);
  if (idx.length === 3 && hi > idx[2]) throw new Error(`invalid slice index: ${hi} > ${idx[2]}`);
  return typeof item === 'string' ? (seq as Buffer).subarray(lo, hi).toString() : (seq as unknown[]).slice(lo, hi);
}

function length(v: unknown): number {
  if (v === null) return 0;
  if (v === undefined) throw new Error('len of nil pointer');
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (Array.isArray(v)) return v.length;
  if (isObject(v)) return Object.keys(v).length;
  throw new Error(`len of type ${typeName(v)}`);
}

type Kind = 'invalid' | 'bool' | 'number' | 'string' | 'other';
const kindOf = (v: unknown): Kind =>
  v === undefined || v === null ? 'invalid' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' || typeof v === 'bigint' ? 'number' : typeof v === 'string' ? 'string' : 'other';

function eq(a: unknown, ...others: unknown[]): boolean {
  if (others.length === 0) throw new Error('missing argument for comparison');
  const ka = kindOf(a);
  for (const b of others) {
    const kb = kindOf(b);
    if (ka !== kb) {
      if (ka !== 'invalid' && kb !== 'invalid') throw new Error('incompatible types for comparison');
    } else if (ka === 'other') throw new Error(`non-comparable type ${typeName(a)}`);
    else if (ka === 'invalid' || a === b) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'invalid' || ka === 'other' || kb === 'invalid' || kb === 'other') throw new Error('invalid type for comparison');
  if (ka !== kb) throw new Error('incompatible types for comparison');
  if (ka === 'bool') throw new Error('invalid type for comparison');
  return (a as number | string) < (b as number | string);
}

/** text/template's evalArgs: one string is used as is, anything else as fmt.Sprint prints it. */
const asText = (args: unknown[]) => (args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args));

const HTML: Record<string, string> = { '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' };

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === "'" || ch === '"') out += `\\${ch}`;
    else if ('<>&='.includes(ch)) out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (c < 0x20 || /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/u.test(ch)) out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s)) {
    const ch = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** strings.Title: the first letter of each word upper-cased; letters, digits and _ make words. */
function title(s: string): string {
  let prevSep = true;
  let out = '';
  for (const ch of s) {
    out += prevSep ? ch.toUpperCase() : ch;
    prevSep = !/[\p{L}\p{N}_'’]/u.test(ch) && (ch.codePointAt(0)! < 0x80 || /\s/u.test(ch));
  }
  return out;
}

export const BUILTINS: Record<string, GoFunc> = {
  and: { params: ['any'], variadic: 'any', lazy: true, call: (thunks) => {
    let v: unknown;
    for (const t of thunks as Array<() => unknown>) if (!truth((v = t()))) return v;
    return v;
  } },
  or: { params: ['any'], variadic: 'any', lazy: true, call: (thunks) => {
    let v: unknown;
    for (const t of thunks as Array<() => unknown>) if (truth((v = t()))) return v;
    return v;
  } },
  not: fn(['any'], ([v]) => !truth(v)),
  len: fn(['any'], ([v]) => length(v)),
  index: fn(['any'], ([item, ...ix]) => indexValue(item, ix), 'any'),
  slice: fn(['any'], ([item, ...ix]) => sliceValue(item, ix), 'any'),
  print: fn([], (args) => sprint(args), 'any'),
  printf: fn(['string'], ([f, ...args]) => sprintf(f as string, args), 'any'),
  println: fn([], (args) => sprintln(args), 'any'),
  eq: fn(['any'], ([a, ...b]) => eq(a, ...b), 'any'),
  ne: fn(['any', 'any'], ([a, b]) => !eq(a, b)),
  lt: fn(['any', 'any'], ([a, b]) => lt(a, b)),
  le: fn(['any', 'any'], ([a, b]) => lt(a, b) || eq(a, b)),
  gt: fn(['any', 'any'], ([a, b]) => !(lt(a, b) || eq(a, b))),
  ge: fn(['any', 'any'], ([a, b]) => !lt(a, b)),
  html: fn([], (args) => asText(args).replace(/[&'<>"\0]/g, (c) => HTML[c]), 'any'),
  js: fn([], (args) => jsEscape(asText(args)), 'any'),
  urlquery: fn([], (args) => queryEscape(asText(args)), 'any'),
  call: fn(['any'], ([f, ...args]) => {
    if (f === undefined || f === null) throw new Error('call of nil');
    if (typeof f !== 'function') throw new Error(`non-function of type ${typeName(f)}`);
    return (f as (...a: unknown[]) => unknown)(...args);
  }, 'any'),
};

/** Podman's additions (go.podman.io/common/pkg/report DefaultFuncs). */
export const PODMAN_FUNCS: Record<string, GoFunc> = {
  json: fn(['any'], ([v]) => goJson(v)),
  join: fn(['strings', 'string'], ([elems, sep]) => (elems as string[]).join(sep as string)),
  split: fn(['string', 'string'], ([s, sep]) => (s as string).split(sep as string)),
  lower: fn(['string'], ([s]) => (s as string).toLowerCase()),
  upper: fn(['string'], ([s]) => (s as string).toUpperCase()),
  title: fn(['string'], ([s]) => title(s as string)),
  truncate: fn(['string', 'int'], ([s, n]) => {
    const b = Buffer.from(s as string);
    return b.length < (n as number) ? s : b.subarray(0, n as number).toString();
  }),
  pad: fn(['string', 'int', 'int'], ([s, pre, post]) => (s === '' ? s : ' '.repeat(pre as number) + s + ' '.repeat(post as number))),
};

export const FUNCS: Record<string, GoFunc> = { ...BUILTINS, ...PODMAN_FUNCS };

/** Checks one argument against its parameter type: Go's complaint when it does not fit, else null. */
export function checkArg(v: unknown, p: Param): { want: string; message: string } | null {
  if (p === 'any') return null;
  const want = p === 'strings' ? '[]string' : p;
  if (v === undefined || v === null) return { want, message: `invalid value; expected ${want}` };
  const ok = p === 'string' ? typeof v === 'string' : p === 'int' ? typeof v === 'number' && Number.isInteger(v) : Array.isArray(v) && v.every((e) => typeof e === 'string');
  return ok ? null : { want, message: `wrong type for value; expected ${want}; got ${typeName(v)}` };
}
