// How template data (plain JS values shaped like Podman's JSON) behave as Go values: their type
// names in errors, truth, printing with fmt's %v, json.Marshal, and field lookup by Go or JSON name.
// JS has no structs: an object is taken as a Go map when it was reached through a field that
// Podman types as a map (Labels, Annotations, Options, ...) or marked as one, or when it is empty
// or has a key no Go field could have ("80/tcp", "org.label"); a missing key is then "<no value>",
// %v prints map[k:v] and json sorts the keys. Any other object is a struct: an unknown field is an
// error, %v prints {a b} and json keeps the field order.

const knownMaps = new WeakSet<object>();
const nilMaps = new WeakSet<object>();
const MAP_FIELDS = new Set(['labels', 'annotations', 'options', 'data', 'attributes', 'driveropts', 'ipamoptions', 'exposedports', 'volumes', 'ports', 'networks', 'config.labels']);
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isMap(v: Obj): boolean {
  if (knownMaps.has(v)) return true;
  const keys = Object.keys(v);
  return keys.length === 0 || !keys.every((k) => FIELD_NAME.test(k));
}

/** Go's type name of a value, for error messages. */
export function typeName(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'bigint') return 'int64';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'function') return 'func';
  if (Array.isArray(v)) return '[]interface {}';
  if (isObject(v) && !isMap(v)) {
    // Go names the struct's type; JS has none, so its first fields say which object it is.
    const keys = Object.keys(v);
    return `struct {${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', ...' : ''}}`;
  }
  return 'map[string]interface {}';
}

/** Go's truth: false, 0, nil and empty strings, slices and maps are false; structs are true. */
export function truth(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0 || !isMap(v as Obj);
  return true;
}

/**
 * fmt's %v of a number. JS does not tell int from float64: integral values print as Go's ints,
 * others as %g at the shortest precision (exponent form when the exponent is < -4 or >= 6).
 */
export function formatFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  const [mant, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

/** fmt's %v. At the top of an action a nil or missing value is "<no value>"; inside, "<nil>". */
export function printValue(v: unknown, top = true, plus = false): string {
  if (v === undefined || v === null) return top ? '<no value>' : '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatFloat(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'function') return `0x${(v.name || 'func').length.toString(16)}`;
  if (Array.isArray(v)) return `[${v.map((e) => printValue(e, false, plus)).join(' ')}]`;
  if (v instanceof Date) return v.toISOString();
  const o = v as Obj;
  if (!isMap(o)) return `{${Object.keys(o).map((k) => (plus ? `${k}:` : '') + printValue(fieldValue(o, k), false, plus)).join(' ')}}`;
  return `map[${Object.keys(o).sort(goCompare).map((k) => `${k}:${printValue(o[k], false, plus)}`).join(' ')}]`;
}

/** Go compares strings by bytes; for the keys templates see, code points give the same order. */
export function goCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** json.Marshal with SetEscapeHTML(false), as Podman's json function: maps' keys sorted. */
export function goJson(v: unknown): string {
  const walk = (x: unknown): unknown => {
    if (x && typeof (x as { toJSON?: unknown }).toJSON === 'function') return x;
    if (Array.isArray(x)) return x.map(walk);
    if (isObject(x) && nilMaps.has(x)) return null;
    if (isObject(x)) {
      const keys = Object.keys(x);
      const out: Obj = {};
      for (const k of isMap(x) ? keys.sort(goCompare) : keys) out[k] = walk(fieldValue(x, k));
      return out;
    }
    return x;
  };
  return (JSON.stringify(walk(v)) ?? 'null').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const norm = (k: string) => k.toLowerCase().replace(/_/g, '');

/**
 * The key a field name finds on an object: the exact key, else the one equal to it ignoring case
 * and underscores (Go's .ID finds JSON's "Id", .OCIRuntime "ociRuntime", .NetworkInterface
 * "network_interface"). Methods are found too: function-valued own properties, and the methods
 * of a class instance's prototype.
 */
export function findKey(o: Obj, name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(o, name)) return name;
  const want = norm(name);
  const own = Object.getOwnPropertyNames(o).find((k) => norm(k) === want);
  if (own !== undefined) return own;
  const proto = Object.getPrototypeOf(o) as object | null;
  if (!proto || proto === Object.prototype) return undefined;
  return methodNames(o).find((k) => norm(k) === want);
}

/** The methods a class instance's prototype gives it (not Object's). */
export function methodNames(o: object): string[] {
  const proto = Object.getPrototypeOf(o) as Obj | null;
  if (!proto || proto === Object.prototype) return [];
  return Object.getOwnPropertyNames(proto).filter((k) => k !== 'constructor' && typeof proto[k] === 'function');
}

/** The value under a key; an object under a field Podman types as a map is remembered as a map. */
export function fieldValue(o: Obj, key: string): unknown {
  const v = o[key];
  if (isObject(v) && MAP_FIELDS.has(norm(key))) knownMaps.add(v);
  return v;
}

/** The zero value of a map's element type, inferred from its values ("" for map[string]string). */
export function zeroOfElements(o: Obj): unknown {
  const vals = Object.values(o);
  if (vals.every((x) => typeof x === 'string')) return '';
  if (vals.every((x) => typeof x === 'number')) return 0;
  if (vals.every((x) => typeof x === 'boolean')) return false;
  return undefined;
}

/** Marks an object as a Go map for the template (for data whose keys look like Go names). */
export function markMap<T extends object>(o: T): T {
  knownMaps.add(o);
  return o;
}

/** An empty map that json prints as null, as json.Marshal prints Go's nil map (%v prints map[]). */
export function nilMap(): Obj {
  const o = markMap({});
  nilMaps.add(o);
  return o;
}
