// Reads the options a Podman man page documents. The pages list each option as a heading
// `#### **--name**, **-n**=*value*` in one section; `.md.in` pages pull shared options from
// options/<name>.md with `@@option <name>` lines, which hold the same kind of heading.

export interface PodmanOption {
  /** Long name first, then the aliases, as the heading lists them: ["--all", "-a"]. */
  names: string[];
  /** The value's placeholder (`format`, `seconds`), or null for a boolean flag. */
  value: string | null;
}

/** The text of options/<name>.md, or undefined when no such file exists. */
export type OptionFile = (name: string) => string | undefined;

/** One heading line, or null when the line is not an option heading. */
export function parseHeading(line: string): PodmanOption | null {
  const m = /^####\s+(\*\*-.*)$/.exec(line.trim());
  if (!m) return null;
  const [namesPart, ...valueParts] = m[1].split('=');
  const names = [...namesPart.matchAll(/\*\*(-{1,2}[A-Za-z0-9][\w-]*)\*\*/g)].map((n) => n[1]);
  if (names.length === 0) return null;
  names.sort((a, b) => Number(b.startsWith('--')) - Number(a.startsWith('--')));
  const value = valueParts.join('=').replace(/[*\\]/g, '').trim();
  // `--sig-proxy=*true|false*`, `--env=*false*` and `--logsplit=*bool-value*` document a boolean that also takes a word: a flag all the same.
  return { names, value: value === '' || /^(true\s*\|\s*false|true|false|bool-value)$/.test(value) ? null : value };
}

/** The options of `section` (`OPTIONS`, `GLOBAL OPTIONS`) in a page, with its @@option includes. */
export function parseOptions(page: string, section: string, optionFile: OptionFile): PodmanOption[] {
  const lines = page.split('\n');
  const start = lines.findIndex((l) => l.trim().toUpperCase() === `## ${section}`);
  if (start < 0) return [];
  const options: PodmanOption[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^##\s/.test(line)) break;
    const include = /^@@option\s+(\S+)/.exec(line);
    if (include) {
      const text = optionFile(include[1]);
      if (text === undefined) throw new Error(`the page includes options/${include[1]}.md, which does not exist`);
      for (const l of text.split('\n')) {
        const o = parseHeading(l);
        if (o) options.push(o);
      }
      continue;
    }
    const o = parseHeading(line);
    if (o) options.push(o);
  }
  return options;
}
