// A flag that takes a value takes the next word whatever it starts with, as Podman's flag parser
// does (`--user -1`, `--stop-timeout -5`, `--tail -1`); clipanion would read a word starting with
// '-' as another flag and fail with "not enough arguments". Such pairs are joined as `--flag=value`.
// A short flag's value may also be joined to it, after any short booleans (`stop -t0`, `-uroot`,
// `-p8080:80`, `-eK=V`, `-dp8080:80`), as Podman's and Docker's parser read it; clipanion takes no
// joined value, so such a word is split into the booleans and `-x=value`. A boolean written with a
// value (`--rm=true`, `--tls-verify=false`) becomes the form clipanion reads (`--rm`, `--no-tls-verify`).

import type { CommandClass } from 'clipanion';
import { argumentSpec } from './completion/command-specs';

export interface CommandWords {
  /** How many words name the command (`container run`: 2). */
  pathLength: number;
  /** Its flags that take a value, every spelling (`-u`, `--user`). */
  valueFlags: ReadonlySet<string>;
  /** Its one-letter flags that take none (`-i`, `-t`, `-d`). */
  booleanShorts?: ReadonlySet<string>;
  /** Its long flags that take none, without dashes (`rm`, `tls-verify`): also written `--rm=true|false`. */
  booleanLongs?: ReadonlySet<string>;
  /** After its first positional, every word belongs to the program it runs (run, exec). */
  proxy: boolean;
}

/** The words of a command class, named by the first pathLength words of argv. */
export function wordsOf(cls: CommandClass, pathLength: number): CommandWords {
  const spec = argumentSpec(cls);
  const booleans = spec.options.filter((o) => o.arity === 0).flatMap((o) => o.names);
  return {
    pathLength,
    valueFlags: new Set(spec.options.flatMap((o) => (o.arity > 0 ? o.names : []))),
    booleanShorts: new Set(booleans.filter((n) => /^-[A-Za-z]$/.test(n))),
    booleanLongs: new Set(booleans.filter((n) => n.startsWith('--')).map((n) => n.slice(2))),
    proxy: spec.proxy,
  };
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
    const bool = /^--([a-z][a-z0-9-]*)=(true|false)$/.exec(word);
    if (bool && cmd.booleanLongs?.has(bool[1])) {
      out.push(bool[2] === 'true' ? `--${bool[1]}` : `--no-${bool[1]}`);
      continue;
    }
    out.push(...joinedShortValue(word, cmd));
  }
  return out;
}

/** Whether the command's own words (not a value, not after `--` or a proxy's first positional) ask for its help. */
export function asksForHelp(argv: string[], cmd: CommandWords): boolean {
  for (let i = cmd.pathLength; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--' || (cmd.proxy && !word.startsWith('-'))) return false;
    if (word === '--help' || word === '-h') return true;
    if (cmd.valueFlags.has(word)) i++;
  }
  return false;
}

/** `-t0` → `-t=0`, `-dp80:80` → `-d -p=80:80`; any other word (`-it`, `--x`, `-t=0`, an unknown letter) as it is. */
function joinedShortValue(word: string, cmd: CommandWords): string[] {
  if (!/^-[A-Za-z][^=]/.test(word)) return [word];
  const booleans: string[] = [];
  for (let i = 1; i < word.length; i++) {
    const flag = `-${word[i]}`;
    if (cmd.valueFlags.has(flag)) return i + 1 < word.length ? [...booleans, `${flag}=${word.slice(i + 1)}`] : [word];
    if (!cmd.booleanShorts?.has(flag)) return [word];
    booleans.push(flag);
  }
  return [word];
}
