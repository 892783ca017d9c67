// A flag that takes a value takes the next word whatever it starts with, as Podman's flag parser
// does (`--user -1`, `--stop-timeout -5`, `--tail -1`); clipanion would read a word starting with
// '-' as another flag and fail with "not enough arguments". Such pairs are joined as `--flag=value`.

export interface CommandWords {
  /** How many words name the command (`container run`: 2). */
  pathLength: number;
  /** Its flags that take a value, every spelling (`-u`, `--user`). */
  valueFlags: ReadonlySet<string>;
  /** After its first positional, every word belongs to the program it runs (run, exec). */
  proxy: boolean;
}

/** argv with each value flag followed by a dash word rewritten as `flag=word`, up to `--` or a proxy's first positional. */
export function dashValues(argv: string[], cmd: CommandWords): string[] {
  const out = argv.slice(0, cmd.pathLength);
  for (let i = cmd.pathLength; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--' || (cmd.proxy && !word.startsWith('-'))) {
      out.push(...argv.slice(i));
      break;
    }
    if (cmd.valueFlags.has(word) && i + 1 < argv.length) {
      const value = argv[++i];
      if (value.startsWith('-') && value !== '-') out.push(`${word}=${value}`);
      else out.push(word, value);
      continue;
    }
    out.push(word);
  }
  return out;
}
