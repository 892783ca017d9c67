// systemd unit files as text: the quoting systemd's ExecStart= parser undoes (systemd.syntax(7):
// words split at whitespace, "double" and 'single' quotes, C escapes, %-specifiers, $-variables),
// and the sections in a fixed order; and the reverse, for quadlet's .container files. Pure.
import { InvalidArgumentError } from '../../src/errors';

export type Section = Array<[key: string, value: string]>;

export interface UnitText {
  /** Comment lines at the top (without the leading "# "). */
  header: string[];
  sections: Array<[name: string, entries: Section]>;
}

/**
 * One argv word written so that systemd's ExecStart= splitting gives it back unchanged: `%` and `$`
 * doubled (unless the word carries our own specifiers), quoted when it has whitespace, quotes,
 * backslashes or control characters, or is empty; a lone ";" (a command separator) escaped.
 * `specifiers` keeps % as written (our own %t, %n); `unitSyntax` keeps both % and $ (a value
 * taken from a unit file, already written for systemd).
 */
export function systemdWord(word: string, opts: { specifiers?: boolean; unitSyntax?: boolean } = {}): string {
  let w = opts.specifiers || opts.unitSyntax ? word : word.replace(/%/g, '%%');
  if (!opts.unitSyntax) w = w.replace(/\$/g, '$$$$');
  if (w === ';') return '\\;';
  if (w !== '' && !/[\s"'\\\x00-\x1f\x7f]/.test(w)) return w;
  const escaped = w.replace(/[\\"\x00-\x1f\x7f]/g, (ch) => {
    switch (ch) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\t':
        return '\\t';
      case '\r':
        return '\\r';
      default:
        return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    }
  });
  return `"${escaped}"`;
}

/** A command line for Exec*=: the words quoted, and a continuation line before each flag after the first few words. */
export function execLine(words: Array<string | { raw: string }>, breakAt = 2): string {
  const parts = words.map((w) => (typeof w === 'string' ? systemdWord(w) : w.raw));
  let out = parts[0] ?? '';
  for (let i = 1; i < parts.length; i++) {
    const isFlag = /^"?-/.test(typeof words[i] === 'string' ? (words[i] as string) : (words[i] as { raw: string }).raw);
    out += i >= breakAt && isFlag ? ` \\\n\t${parts[i]}` : ` ${parts[i]}`;
  }
  return out;
}

/** An Environment= value: one KEY=VALUE assignment, quoted as systemd unquotes it. */
export function environmentValue(assignment: string, specifiers = false): string {
  return systemdWord(assignment, { specifiers });
}

export function renderUnit(unit: UnitText): string {
  const lines: string[] = unit.header.map((h) => (h ? `# ${h}` : '#'));
  if (lines.length) lines.push('');
  unit.sections.forEach(([name, entries], i) => {
    if (i > 0) lines.push('');
    lines.push(`[${name}]`);
    for (const [k, v] of entries) lines.push(`${k}=${v}`);
  });
  return `${lines.join('\n')}\n`;
}

/**
 * A unit file's sections in order, each key's values in order (keys repeat: Environment=,
 * Volume=). Comments (# ;) and blank lines dropped; a line ending in a backslash continues.
 */
export function parseUnit(text: string, file: string): Array<{ name: string; entries: Section }> {
  const sections: Array<{ name: string; entries: Section }> = [];
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      sections.push({ name: section[1], entries: [] });
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`${file}:${i + 1}: expected KEY=VALUE or [Section], got "${line}"`);
    if (!sections.length) throw new InvalidArgumentError(`${file}:${i + 1}: "${line}" comes before any [Section]`);
    sections[sections.length - 1].entries.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  });
  return sections;
}

const C_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'", s: ' ' };

/** A value split into words as systemd does (quotes, C escapes); specifiers and $ are left as written. */
export function splitWords(value: string, where: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /\s/.test(value[i])) i++;
    if (i >= value.length) break;
    let word = '';
    let quote: string | null = null;
    for (; i < value.length; i++) {
      const ch = value[i];
      if (!quote && /\s/.test(ch)) break;
      if (ch === '\\' && i + 1 < value.length) {
        const next = value[++i];
        if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 1, i + 3))) {
          word += String.fromCharCode(parseInt(value.slice(i + 1, i + 3), 16));
          i += 2;
        } else word += C_ESCAPES[next] ?? next;
      } else if (quote && ch === quote) quote = null;
      else if (!quote && (ch === '"' || ch === "'")) quote = ch;
      else word += ch;
    }
    if (quote) throw new InvalidArgumentError(`${where}: unbalanced ${quote} in "${value}"`);
    words.push(word);
  }
  return words;
}
