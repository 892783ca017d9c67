// The one way list commands print (ps, images, volume ls, network ls, history, search, stats):
// --format json, a Go template per row ("table ..." adds headings and aligned columns, "table"
// alone is the default table), -q's one value per line, or the aligned table with its headings
// unless --noheading.
import { compileFormat, fieldHeading, isJsonFormat, markMap, methodNames, tabwrite } from '../../src/go-template';

export interface ListSpec<R> {
  /** The table: each column's heading and how a row fills it. */
  columns: Array<[heading: string, cell: (row: R) => string]>;
  /** --format: "json" (or "{{json .}}"), or a Go template rendered per row. */
  format?: string;
  noHeading?: boolean;
  /** -q: the one value printed per row. */
  quiet?: (row: R) => string;
  /** What --format json prints, when it is not the rows themselves (Podman's JSON field names). */
  json?: () => unknown[];
  /** Headings of fields no default column shows, where Podman names them its own way ("# OF CONTAINERS"). */
  headings?: Record<string, string>;
}

/**
 * The field a column's cell reads, found by running the cell on a row that records what is read
 * (`(r) => r.ID` reads "ID"): so that `table {{.ID}}` is headed CONTAINER ID as the default table is.
 */
function columnField<R>(cell: (row: R) => string): string | undefined {
  const read: string[] = [];
  const probe = new Proxy({}, { get: (_t, k) => (typeof k === 'string' ? (read.push(k), '') : undefined) });
  try {
    cell(probe as R);
  } catch {
    return undefined;
  }
  return read.length === 1 ? read[0] : undefined;
}

/**
 * What the template sees for the heading line: each field's heading, from the command's columns
 * where a column shows that field, else Podman's rule (camel case split, upper case). Methods
 * (ps's .Label "k") give their heading whatever their arguments.
 */
function headingRow<R>(columns: ListSpec<R>['columns'], sample: R | undefined, headings: Record<string, string> = {}): object {
  const row: Record<string, unknown> = {};
  for (const name of sample ? [...Object.getOwnPropertyNames(sample), ...methodNames(sample)] : []) {
    const v = (sample as Record<string, unknown>)[name];
    const heading = fieldHeading(name);
    if (typeof v === 'function') row[name] = Object.defineProperty((..._a: unknown[]) => heading, 'length', { value: v.length });
    else row[name] = heading;
  }
  for (const [heading, cell] of columns) {
    const field = columnField(cell);
    if (field) row[field] = heading;
  }
  for (const [field, heading] of Object.entries(headings)) if (!columns.some(([, cell]) => columnField(cell) === field)) row[field] = heading;
  // Any other name (no rows to learn the fields from, or .Id for ID) finds its heading too.
  const norm = (k: string) => k.toLowerCase().replace(/_/g, '');
  const known = (k: string) => Object.keys(row).find((f) => norm(f) === norm(k));
  const value = (k: string) => {
    const f = known(k);
    return f === undefined ? fieldHeading(k) : row[f];
  };
  return markMap(
    new Proxy(row, {
      get: (_t, k) => (typeof k === 'string' ? value(k) : undefined),
      getOwnPropertyDescriptor: (_t, k) => (typeof k === 'string' ? { value: value(k), enumerable: known(k) !== undefined, configurable: true, writable: true } : undefined),
    }),
  );
}

export function renderList<R>(rows: R[], spec: ListSpec<R>, name = 'format'): string {
  if (spec.format !== undefined && isJsonFormat(spec.format)) return `${JSON.stringify(spec.json ? spec.json() : rows, null, 4)}\n`;
  if (spec.quiet) return rows.map((r) => `${spec.quiet!(r)}\n`).join('');
  const compiled = spec.format ? compileFormat(spec.format, name) : undefined;
  if (compiled && !compiled.defaultTable) {
    const header = compiled.table && !spec.noHeading ? headingRow(spec.columns, rows[0], spec.headings) : undefined;
    return compiled.renderAll(rows, header);
  }
  // The default table goes through the same tabwriter as Podman's (minwidth 12, padding 2),
  // without the padding tabwriter leaves after empty last columns.
  const lines = rows.map((r) => spec.columns.map(([, cell]) => cell(r)).join('\t'));
  if (!spec.noHeading) lines.unshift(spec.columns.map(([heading]) => heading).join('\t'));
  return lines.length ? tabwrite(`${lines.join('\n')}\n`).replace(/ +$/gm, '') : '';
}
