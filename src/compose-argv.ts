// Docker Compose takes its global options before the verb (`compose -f a.yml -p x up -d`);
// clipanion reads a command's options after its path. So the words between `compose` and the verb
// that are compose's global options move after the verb, in their long `--flag=value` form: a
// verb's own short flags (`logs -f` is --follow) cannot take them for its own.

/** Compose's global options: long name, and whether it takes a value. */
const GLOBALS: Record<string, { long: string; value: boolean }> = {
  '-f': { long: '--file', value: true },
  '--file': { long: '--file', value: true },
  '-p': { long: '--project-name', value: true },
  '--project-name': { long: '--project-name', value: true },
  '--project-directory': { long: '--project-directory', value: true },
  '--profile': { long: '--profile', value: true },
  '--env-file': { long: '--env-file', value: true },
  // Docker Compose's others: moved too, so that the verb names them in its refusal.
  '--ansi': { long: '--ansi', value: true },
  '--progress': { long: '--progress', value: true },
  '--parallel': { long: '--parallel', value: true },
  '--compatibility': { long: '--compatibility', value: false },
  '--dry-run': { long: '--dry-run', value: false },
};

export interface ComposeArgv {
  /** argv with the global options after the verb. */
  argv: string[];
  /** The verb, when one was found after the global options. */
  verb?: string;
  /** Only global options (and --help) were given: `compose -f x.yml` or `compose -f x.yml --help`. */
  helpOnly: boolean;
}

/** One global option word at argv[i] (with its value): its words in long form and how many it used; undefined when it is none. */
function globalAt(argv: string[], i: number): { words: string[]; used: number } | undefined {
  const word = argv[i];
  const eq = word.indexOf('=');
  const name = eq > 0 ? word.slice(0, eq) : word;
  const g = GLOBALS[name];
  if (g) {
    if (!g.value) return { words: [g.long], used: 1 };
    if (eq > 0) return { words: [`${g.long}=${word.slice(eq + 1)}`], used: 1 };
    if (i + 1 >= argv.length) return { words: [g.long], used: 1 };
    return { words: [`${g.long}=${argv[i + 1]}`], used: 2 };
  }
  // A joined short value: -fcompose.yml, -pname.
  const short = /^-([fp])(.+)$/.exec(word);
  if (short) return { words: [`${GLOBALS[`-${short[1]}`].long}=${short[2]}`], used: 1 };
  return undefined;
}

/** `compose [global options] VERB [args]` → `compose VERB [global options] [args]`; argv[0] is "compose". */
export function moveComposeGlobals(argv: string[]): ComposeArgv {
  const moved: string[] = [];
  let help = false;
  for (let i = 1; i < argv.length; ) {
    const word = argv[i];
    if (word === '--help' || word === '-h') {
      help = true;
      i++;
      continue;
    }
    const g = globalAt(argv, i);
    if (g) {
      moved.push(...g.words);
      i += g.used;
      continue;
    }
    if (word.startsWith('-')) return { argv, helpOnly: false }; // an unknown flag before the verb: left for the error
    return { argv: [argv[0], word, ...moved, ...(help ? ['--help'] : []), ...argv.slice(i + 1)], verb: word, helpOnly: false };
  }
  return { argv, helpOnly: true };
}
