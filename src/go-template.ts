// A small subset of Go's text/template, enough for Podman-style --format strings:
// literal text, {{.Field.Sub}}, {{json .Field}}, {{upper .X}}, {{lower .X}}, and "\t"/"\n" escapes.
import { InvalidArgumentError } from './errors';

type Fn = (value: unknown) => string;

const FUNCS: Record<string, Fn> = {
  json: (v) => JSON.stringify(v ?? null),
  upper: (v) => stringify(v).toUpperCase(),
  lower: (v) => stringify(v).toLowerCase(),
};

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '<no value>';
  if (typeof value === 'object') {
    if (Array.isArray(value)) return `[${value.map(stringify).join(' ')}]`;
    return `map[${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}:${stringify(v)}`).join(' ')}]`;
  }
  return String(value);
}

function lookup(data: unknown, dotted: string, template: string): unknown {
  if (dotted === '.') return data;
  let cur: unknown = data;
  for (const key of dotted.slice(1).split('.')) {
    if (cur === null || typeof cur !== 'object' || !(key in (cur as object))) {
      throw new InvalidArgumentError(`template ${JSON.stringify(template)}: can't evaluate field ${key}`);
    }
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Compiles once, renders for each item: `compileTemplate('{{.Names}}\t{{.Status}}')(row)`. */
export function compileTemplate(template: string): (data: unknown) => string {
  const text = template.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  const parts: Array<string | ((d: unknown) => string)> = [];
  const re = /\{\{-?\s*(.*?)\s*-?\}\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    parts.push(text.slice(last, m.index));
    const words = m[1].split(/\s+/).filter(Boolean);
    if (words.length === 1 && words[0].startsWith('.')) {
      const field = words[0];
      parts.push((d) => stringify(lookup(d, field, template)));
    } else if (words.length === 2 && FUNCS[words[0]] && words[1].startsWith('.')) {
      const [fn, field] = words;
      parts.push((d) => FUNCS[fn](lookup(d, field, template)));
    } else {
      throw new InvalidArgumentError(`template ${JSON.stringify(template)}: unsupported action {{${m[1]}}}: use {{.Field}} or {{json .Field}}`);
    }
    last = re.lastIndex;
  }
  parts.push(text.slice(last));
  return (data) => parts.map((p) => (typeof p === 'string' ? p : p(data))).join('');
}

/** Podman's --format: "json" prints JSON, anything else is a template rendered with a trailing newline. */
export function formatOutput(data: unknown, format: string): string {
  if (format === 'json' || format === '{{json .}}') return `${JSON.stringify(data, null, 4)}\n`;
  const out = compileTemplate(format)(data);
  return out.endsWith('\n') ? out : `${out}\n`;
}
