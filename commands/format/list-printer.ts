// The one way list commands print (ps, images, volume ls, network ls, history, search, stats):
// --format json, a Go template per row (a leading "table" directive is taken off), -q's one value
// per line, or the aligned table with its headings unless --noheading.
import { compileTemplate } from '../../src/go-template';
import { formatTable } from '../../src/human-units';

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
}

export function renderList<R>(rows: R[], spec: ListSpec<R>): string {
  if (spec.format === 'json' || spec.format === '{{json .}}') return `${JSON.stringify(spec.json ? spec.json() : rows, null, 4)}\n`;
  if (spec.quiet) return rows.map((r) => `${spec.quiet!(r)}\n`).join('');
  if (spec.format) {
    const render = compileTemplate(spec.format.replace(/^table\s*/, ''));
    return rows.map((r) => `${render(r)}\n`).join('');
  }
  const table = formatTable(
    spec.columns.map(([heading]) => heading),
    rows.map((r) => spec.columns.map(([, cell]) => cell(r))),
  );
  return spec.noHeading ? table.slice(table.indexOf('\n') + 1) : table;
}
