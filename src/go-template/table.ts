// Podman's "table" output: column headings made from field names, and Go's text/tabwriter with
// Podman's settings (minwidth 12, padding 2, padded with spaces). tabwriter aligns the cells that
// end in a tab: a column's width is set per block of consecutive lines that have that column.

/** Podman's camelcase.Split: runs of lower, upper, digits and others; "PDFLoader" → PDF Loader. */
export function camelSplit(s: string): string[] {
  const cls = (c: string) => (/\p{Ll}/u.test(c) ? 1 : /\p{Lu}/u.test(c) ? 2 : /\p{Nd}/u.test(c) ? 3 : 4);
  const runs: string[][] = [];
  let last = 0;
  for (const c of s) {
    const k = cls(c);
    if (k === last) runs[runs.length - 1].push(c);
    else runs.push([c]);
    last = k;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (cls(runs[i][0]) === 2 && cls(runs[i + 1][0]) === 1) runs[i + 1].unshift(runs[i].pop()!);
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

/** The heading Podman makes from a field name: "RunningFor" → "RUNNING FOR". */
export function fieldHeading(field: string): string {
  return camelSplit(field).join(' ').toUpperCase();
}

const MIN_WIDTH = 12;
const PADDING = 2;

const width = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** text/tabwriter over whole lines of text, with Podman's settings. */
export function tabwrite(text: string): string {
  const endsNl = text.endsWith('\n');
  const lines = (endsNl ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'));
  const out = lines.map(() => '');
  format(lines, out, 0, 0, lines.length);
  return out.join('\n') + (endsNl ? '\n' : '');
}

/** Pads column `col` of lines [from, to) block by block, then recurses into the next column. */
function format(lines: string[][], out: string[], col: number, from: number, to: number): void {
  let line = from;
  while (line < to) {
    if (col >= lines[line].length - 1) {
      // No tab-terminated cell here: the rest of the line is its last cell.
      if (col < lines[line].length) out[line] += lines[line][col];
      line++;
      continue;
    }
    let w = MIN_WIDTH;
    let end = line;
    for (; end < to && col < lines[end].length - 1; end++) w = Math.max(w, width(lines[end][col]) + PADDING);
    for (let l = line; l < end; l++) out[l] += lines[l][col] + ' '.repeat(w - width(lines[l][col]));
    format(lines, out, col + 1, line, end);
    line = end;
  }
}
