// Go's text/template for --format, as Podman uses it: a template compiled once and rendered per
// item, Podman's \t and \n escapes, its trailing newline, its "table" directive (headings and
// tabwriter columns) and its {{range .}} over a whole list.
import { execute } from './exec';
import { FUNCS } from './funcs';
import { parse, type Tree } from './parser';
import { tabwrite } from './table';

export { fieldHeading, tabwrite } from './table';
export { markMap, methodNames, nilMap } from './values';

const escapes = (s: string) => s.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
const tableText = (s: string) => escapes(s).replace(/ /g, '\t');
const hasFunc = (n: string) => n in FUNCS;

/** Parses a template (Podman's escapes in its text) and returns its renderer: `compileTemplate('{{.Names}}')(row)`. */
export function compileTemplate(template: string, name = 'format'): (data: unknown) => string {
  const tree = parse(name, template, hasFunc, { text: escapes, raw: escapes });
  return (data) => execute(tree, data);
}

/** Podman's report.IsJSON, and tspod's {{json .}}: the whole output as indented JSON. */
export function isJsonFormat(format: string): boolean {
  return /^\s*(json|\{\{\s*json\s*\.?\s*\}\})\s*$/.test(format);
}

/** Podman's --format for one document (info, version, system check): the template and a final newline. */
export function formatOutput(data: unknown, format: string, name = 'format'): string {
  if (isJsonFormat(format)) return `${JSON.stringify(data, null, 4)}\n`;
  return compileFormat(format, name).renderAll([data]);
}

export interface CompiledFormat {
  /** The format began with "table": headings are printed and columns aligned. */
  table: boolean;
  /** "table" with no template after it: the command's default table. */
  defaultTable: boolean;
  /** Renders items (each through the template, or the list once when it ranges over it itself). */
  renderAll(items: unknown[], header?: unknown): string;
}

// Podman's EnforceRange test: a format with its own {{range .}} ... {{end}} is given the whole list.
const RANGES_ITSELF = /\{\{\s*range\s*\.\s*\}\}[\s\S]*\{\{\s*end\s*-?\s*\}\}/;

/**
 * A user's --format as Podman reads it for lists and inspect: "table " prefix → tabs for spaces,
 * headings, tabwriter; each item rendered with a newline unless the format ends in one.
 */
export function compileFormat(format: string, name = 'format'): CompiledFormat {
  const table = /^table(\s|$)/.test(format);
  const body = table ? format.replace(/^table\s?/, '') : format;
  if (table && body.trim() === '') return { table, defaultTable: true, renderAll: () => '' };
  const text = table ? tableText(body) : escapes(body);
  const source = text.endsWith('\n') ? body : `${body}\n`;
  const tree: Tree = parse(name, source, hasFunc, { text: table ? tableText : escapes, raw: escapes });
  const wholeList = !table && RANGES_ITSELF.test(format);
  return {
    table,
    defaultTable: false,
    renderAll(items, header) {
      let out = header === undefined ? '' : execute(tree, header);
      if (wholeList) out += execute(tree, items);
      else for (const item of items) out += execute(tree, item);
      return table ? tabwrite(out) : out;
    },
  };
}
