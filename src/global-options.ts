// Global flags (--root, --runroot, --log-level) given before the verb, as in
// `tspod --root /x images`. Commands also accept them after the verb (TspodCommand).
import { UsageError } from './errors';

export interface GlobalOptions {
  root?: string;
  runroot?: string;
  logLevel?: string;
}

const FLAGS: Record<string, keyof GlobalOptions> = { '--root': 'root', '--runroot': 'runroot', '--log-level': 'logLevel' };

/** The global flags; each takes a value (`--root X` or `--root=X`). */
export const GLOBAL_VALUE_FLAGS: ReadonlySet<string> = new Set(Object.keys(FLAGS));

/** The leading global flags of argv, word for word, and the words after them. */
export function splitGlobalFlags(argv: string[]): { globals: string[]; rest: string[] } {
  let i = 0;
  while (i < argv.length && GLOBAL_VALUE_FLAGS.has(argv[i].split('=')[0])) {
    if (!argv[i].includes('=') && i + 1 >= argv.length) throw new UsageError(`flag needs an argument: ${argv[i]}`);
    i += argv[i].includes('=') ? 1 : 2;
  }
  return { globals: argv.slice(0, i), rest: argv.slice(i) };
}

let current: GlobalOptions = {};

export function globalOptions(): GlobalOptions {
  return current;
}

/** Removes leading global flags from argv and remembers them; the rest is the command line. */
export function extractGlobalOptions(argv: string[]): string[] {
  const { globals, rest } = splitGlobalFlags(argv);
  const found: GlobalOptions = {};
  for (let i = 0; i < globals.length; i++) {
    const eq = globals[i].indexOf('=');
    if (eq > 0) found[FLAGS[globals[i].slice(0, eq)]] = globals[i].slice(eq + 1);
    else found[FLAGS[globals[i]]] = globals[++i];
  }
  current = found;
  return rest;
}

/** Commands whose arguments after the verb belong to another program: never rewritten. */
const PASSTHROUGH = new Set(['unshare']);

/** tspod's boolean flags: only these are rewritten, so a container command's own `--x=true` is left alone. */
const BOOLEAN_FLAGS = new Set([
  'tls-verify', 'rm', 'read-only', 'init', 'replace', 'interactive', 'tty', 'detach', 'quiet', 'all', 'force', 'ignore', 'no-trunc', 'latest',
  'follow', 'timestamps', 'stream', 'running', 'attach', 'digests', 'noheading', 'volumes', 'no-stdin', 'password-stdin', 'dangling',
  'archive', 'follow-link', 'overwrite', 'pause',
]);

/**
 * Podman users write boolean flags with values (`--tls-verify=false`, `--rm=true`); clipanion
 * knows `--no-tls-verify` and `--tls-verify`. Rewrites tspod's own, up to a `--`.
 */
export function booleanValues(argv: string[]): string[] {
  if (PASSTHROUGH.has(argv[0])) return argv;
  const end = argv.indexOf('--');
  return argv.map((a, i) => {
    if (end >= 0 && i > end) return a;
    const m = /^--([a-z][a-z0-9-]*)=(true|false)$/.exec(a);
    if (!m || !BOOLEAN_FLAGS.has(m[1])) return a;
    return m[2] === 'true' ? `--${m[1]}` : `--no-${m[1]}`;
  });
}

