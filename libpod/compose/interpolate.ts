// Compose's variable interpolation: `$V`, `${V}`, the shell-style operators `:-` `-` `:?` `?` `:+` `+`
// (their operands interpolated in turn, so defaults nest), and `$$` for a literal `$`. A left-to-right
// scan: each `${` reads its operand up to the matching `}`, counting the `${` ... `}` pairs inside it.
import { InvalidArgumentError } from '../../src/errors';
import { log } from '../../src/log';
import { formatPath, isPlainObject, whereIn } from './yaml-source';

/** A variable's value, or undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

/** Why a template could not be expanded: `syntax` (bad format) or `required` (a `?` operator's variable is missing). */
export class TemplateFault extends Error {
  constructor(
    readonly kind: 'syntax' | 'required',
    message: string,
  ) {
    super(message);
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export interface SubstituteOptions {
  /** Called for `$V`/`${V}` with V unset (Compose warns and uses ""). */
  onUnset?: (name: string) => void;
}

/** Expands one string; throws TemplateFault. */
export function substitute(template: string, lookup: Lookup, opts: SubstituteOptions = {}): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = matchingBrace(template, i + 2);
      if (end < 0) throw new TemplateFault('syntax', 'invalid interpolation format');
      out += expandBraced(template.slice(i + 2, end), lookup, opts);
      i = end + 1;
      continue;
    }
    const m = NAME.exec(template.slice(i + 1));
    if (!m) throw new TemplateFault('syntax', 'invalid interpolation format');
    out += valueOf(m[0], lookup, opts);
    i += 1 + m[0].length;
  }
  return out;
}

/** The index of the `}` closing a `${` whose body starts at `from`, or -1. */
function matchingBrace(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '$') {
      i++;
      continue;
    }
    if (s[i] === '$' && s[i + 1] === '{') {
      depth++;
      i++;
      continue;
    }
    if (s[i] === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function valueOf(name: string, lookup: Lookup, opts: SubstituteOptions): string {
  const v = lookup(name);
  if (v === undefined) {
    opts.onUnset?.(name);
    return '';
  }
  return v;
}

function expandBraced(body: string, lookup: Lookup, opts: SubstituteOptions): string {
  const m = NAME.exec(body);
  if (!m) throw new TemplateFault('syntax', 'invalid interpolation format');
  const name = m[0];
  const rest = body.slice(name.length);
  if (rest === '') return valueOf(name, lookup, opts);
  const op = /^(:-|:\?|:\+|-|\?|\+)/.exec(rest)?.[1];
  if (!op) throw new TemplateFault('syntax', 'invalid interpolation format');
  const operand = rest.slice(op.length);
  const value = lookup(name);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  const expand = () => substitute(operand, lookup, opts);
  switch (op) {
    case ':-':
      return nonEmpty ? value : expand();
    case '-':
      return set ? value : expand();
    case ':+':
      return nonEmpty ? expand() : '';
    case '+':
      return set ? expand() : '';
    case ':?':
    case '?': {
      if (op === ':?' ? nonEmpty : set) return value as string;
      const text = expand();
      throw new TemplateFault('required', `required variable ${name} is missing a value${text ? `: ${text}` : ''}`);
    }
  }
  throw new TemplateFault('syntax', 'invalid interpolation format');
}

export interface InterpolateContext {
  /** The file shown in errors. */
  file: string;
  /** The interpolation environment. */
  env: Record<string, string>;
  /** Warned-about variables (shared across a project's files so each is warned about once). */
  warned?: Set<string>;
}

/**
 * Interpolates every string scalar value of `root` in place (map keys are left as they are);
 * errors name the file, the line and the key path.
 */
export function interpolateTree(root: Record<string, unknown>, ctx: InterpolateContext): void {
  const lookup: Lookup = (name) => (Object.prototype.hasOwnProperty.call(ctx.env, name) ? ctx.env[name] : undefined);
  const warned = ctx.warned ?? new Set<string>();
  const onUnset = (name: string) => {
    if (warned.has(name)) return;
    warned.add(name);
    log.warn(`The "${name}" variable is not set. Defaulting to a blank string.`);
  };
  const walk = (node: Record<string, unknown> | unknown[], path: Array<string | number>) => {
    const keys: Array<string | number> = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    for (const key of keys) {
      const v = (node as Record<string, unknown>)[key as string];
      const here = [...path, key];
      if (typeof v === 'string') {
        if (!v.includes('$')) continue;
        try {
          (node as Record<string, unknown>)[key as string] = substitute(v, lookup, { onUnset });
        } catch (e) {
          if (!(e instanceof TemplateFault)) throw e;
          const ref = whereIn(root, here);
          const at = `${ctx.file}${ref?.line ? `:${ref.line}` : ''}`;
          if (e.kind === 'required') throw new InvalidArgumentError(`${at}: ${formatPath(here)}: ${e.message}`);
          throw new InvalidArgumentError(
            `${at}: invalid interpolation format for ${formatPath(here)}: ${JSON.stringify(v)}. You may need to escape any '$' with another '$'`,
          );
        }
      } else if (Array.isArray(v) || isPlainObject(v)) {
        walk(v, here);
      }
    }
  };
  walk(root, []);
}
