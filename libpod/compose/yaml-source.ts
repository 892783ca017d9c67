// A compose file's YAML as plain values that remember where each key was written: the document is
// parsed with the `yaml` package (line counter, YAML 1.1 `<<` merge keys, unique keys), then walked
// node by node so that every map key and sequence item records its file and line (origins below).
import type * as Yaml from 'yaml';
import { InvalidArgumentError } from '../../src/errors';
import type { SourceRef } from './types';

/** Origins of the keys of each map/sequence made from YAML (or merged from such): container -> key -> where it was written. */
const ORIGINS = new WeakMap<object, Map<string, SourceRef>>();

export function setOrigin(container: object, key: string | number, ref: SourceRef | undefined): void {
  if (!ref) return;
  let m = ORIGINS.get(container);
  if (!m) ORIGINS.set(container, (m = new Map()));
  m.set(String(key), ref);
}

export function originOf(container: object, key: string | number): SourceRef | undefined {
  return ORIGINS.get(container)?.get(String(key));
}

/** Where `path` was written: the deepest key along the path that has an origin (a key a later step adds resolves to its parent). */
export function whereIn(root: unknown, path: Array<string | number>, fallback?: SourceRef): SourceRef | undefined {
  let node: unknown = root;
  let found = fallback;
  for (const key of path) {
    if (node === null || typeof node !== 'object') break;
    const ref = originOf(node, key);
    if (ref) found = ref;
    node = (node as Record<string, unknown>)[String(key)];
  }
  return found;
}

/** A deep copy of a tree of plain values with the origins of its keys: no object in it is shared. */
export function cloneWithOrigins<T>(value: T): T {
  if (Array.isArray(value)) {
    const out = value.map((v) => cloneWithOrigins(v));
    value.forEach((_, i) => setOrigin(out, i, originOf(value, i)));
    return out as T;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = cloneWithOrigins(v);
      setOrigin(out, k, originOf(value, k));
    }
    return out as T;
  }
  return value;
}

/** A key path as Compose prints it: services.web.ports[0]. */
export function formatPath(path: Array<string | number>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number' || /^\d+$/.test(String(p))) out += `[${p}]`;
    else out += out ? `.${p}` : String(p);
  }
  return out;
}

export interface ParsedFile {
  /** The absolute path ("-" for stdin). */
  file: string;
  /** The top level mapping (an empty file is an empty mapping). */
  value: Record<string, unknown>;
  /** Key paths written with `!reset` (removed from value): the merge removes what earlier files set there. */
  resets: Array<Array<string | number>>;
  /** Key paths written with `!override`: the merge replaces what earlier files set there instead of merging. */
  overrides: Array<Array<string | number>>;
}

/** The most values a file may expand to (aliases copied in). */
const MAX_NODES = 200_000;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function yamlModule(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml') as typeof Yaml;
}

/** Parses one compose file; YAML errors (syntax, duplicate keys, a bad alias) name the file and line. */
export function parseComposeYaml(text: string, file: string): ParsedFile {
  const Y = yamlModule();
  const lineCounter = new Y.LineCounter();
  const doc = Y.parseDocument(text, { merge: true, uniqueKeys: true, lineCounter, prettyErrors: false });
  const display = file;
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line ?? (e.pos ? lineCounter.linePos(e.pos[0]).line : undefined);
    const msg = e.code === 'DUPLICATE_KEY' ? duplicateKeyMessage(text, line) : firstLine(e.message);
    throw new InvalidArgumentError(`${display}${line ? `:${line}` : ''}: ${msg}: fix the YAML of the compose file`);
  }
  const resets: ParsedFile['resets'] = [];
  const overrides: ParsedFile['overrides'] = [];
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined): number | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;

  // Aliases are expanded into copies: a file of aliases of aliases could grow without end (a "billion laughs").
  let budget = MAX_NODES;
  const convert = (node: unknown, path: Array<string | number>, depth: number): unknown => {
    if (depth > 200) throw new InvalidArgumentError(`${display}: ${formatPath(path)}: the YAML nests too deep (a recursive alias?)`);
    if (--budget < 0) throw new InvalidArgumentError(`${display}: the YAML expands to more than ${MAX_NODES} values through its aliases: use fewer nested aliases`);
    if (node === null || node === undefined) return null;
    if (Y.isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) throw new InvalidArgumentError(`${display}:${lineOf(node)}: ${formatPath(path)}: unknown alias "${node.source}"`);
      return convert(target, path, depth + 1);
    }
    if (Y.isScalar(node)) {
      const v = node.value;
      if (typeof v === 'symbol') return String(v.description);
      // Compose (Go's yaml.v3) reads a plain 0440 as octal and 0b101 as binary, as Go's integer syntax
      // does; YAML 1.2 alone would make 0440 the decimal 440 (a secret's mode: 0440 must be 288).
      if (node.type === 'PLAIN' && typeof node.source === 'string') {
        const m = /^([-+]?)0([0-7_]+)$/.exec(node.source) ?? /^([-+]?)0b([01_]+)$/.exec(node.source);
        if (m) {
          const n = parseInt(m[2].replace(/_/g, ''), node.source.includes('0b') ? 2 : 8);
          return m[1] === '-' ? -n : n;
        }
      }
      return v instanceof Date ? node.source : v;
    }
    if (Y.isMap(node)) {
      const out: Record<string, unknown> = {};
      const merged: Array<Yaml.YAMLMap> = [];
      for (const pair of node.items) {
        const key = pair.key;
        if (Y.isScalar(key) && typeof key.value === 'symbol') {
          // << merge key: a mapping, an alias of one, or a sequence of them; explicit keys win.
          const sources = Y.isSeq(pair.value) ? pair.value.items : [pair.value];
          for (const s of sources) {
            const m = Y.isAlias(s) ? s.resolve(doc) : s;
            if (!Y.isMap(m)) throw new InvalidArgumentError(`${display}:${lineOf(key as never)}: ${formatPath(path)}: a << merge key takes a mapping or a list of mappings`);
            merged.push(m as Yaml.YAMLMap);
          }
          continue;
        }
        const k = Y.isScalar(key) ? String(key.value) : key === null ? '' : String(Y.isNode(key) ? key.toJSON() : key);
        const value = pair.value as Yaml.Node | null;
        const tag = value && (Y.isScalar(value) || Y.isCollection(value)) ? value.tag : undefined;
        const here = [...path, k];
        const ref: SourceRef = { file: display, line: lineOf(key as never) };
        if (tag === '!reset') {
          resets.push(here);
          continue;
        }
        if (tag === '!override') overrides.push(here);
        out[k] = convert(value, here, depth + 1);
        setOrigin(out, k, ref);
      }
      for (const m of merged) {
        const from = convert(m, path, depth + 1) as Record<string, unknown>;
        for (const [k, v] of Object.entries(from)) {
          if (k in out) continue;
          out[k] = v;
          setOrigin(out, k, originOf(from, k));
        }
      }
      return out;
    }
    if (Y.isSeq(node)) {
      const out: unknown[] = [];
      node.items.forEach((item) => {
        const tag = item && (Y.isScalar(item) || Y.isCollection(item)) ? item.tag : undefined;
        if (tag === '!reset') return;
        out.push(convert(item, [...path, out.length], depth + 1));
        setOrigin(out, out.length - 1, { file: display, line: lineOf(item as never) });
      });
      return out;
    }
    if (Y.isPair(node)) return convert(node.value, path, depth + 1);
    return null;
  };

  const value = convert(doc.contents, [], 0);
  if (value === null) return { file, value: {}, resets, overrides };
  if (!isPlainObject(value)) throw new InvalidArgumentError(`${display}: the top level must be a mapping (services:, networks:, ...), not a ${Array.isArray(value) ? 'list' : 'scalar'}`);
  return { file, value, resets, overrides };
}

function firstLine(message: string): string {
  const line = message.split('\n')[0];
  const lower = line.charAt(0).toLowerCase() + line.slice(1);
  return lower.replace(/ at line \d+, column \d+:?$/, '');
}

function duplicateKeyMessage(text: string, line: number | undefined): string {
  const src = line ? (text.split('\n')[line - 1] ?? '') : '';
  const key = /^\s*(?:-\s+)?["']?([^"':]+?)["']?\s*:/.exec(src)?.[1];
  return `${key ? `key "${key}"` : 'a mapping key'} is already defined (YAML keys must be unique)`;
}
