// Global flags (--root, --runroot, --log-level) given before the verb, as in
// `tspod --root /x images`. Commands also accept them after the verb (TspodCommand).
import { UsageError } from './errors';

export interface GlobalOptions {
  root?: string;
  runroot?: string;
  logLevel?: string;
}

const FLAGS: Record<string, keyof GlobalOptions> = { '--root': 'root', '--runroot': 'runroot', '--log-level': 'logLevel' };

let current: GlobalOptions = {};

export function globalOptions(): GlobalOptions {
  return current;
}

/** Removes leading global flags from argv and remembers them; the rest is the command line. */
export function extractGlobalOptions(argv: string[]): string[] {
  const found: GlobalOptions = {};
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const key = FLAGS[name];
    if (!key) break;
    if (eq > 0) {
      found[key] = arg.slice(eq + 1);
      i += 1;
    } else {
      if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: ${name}`);
      found[key] = argv[i + 1];
      i += 2;
    }
  }
  current = found;
  return argv.slice(i);
}
