// The top-level and per-noun help pages, in Podman's layout: every verb with its one-line
// description, nouns (`tspod system ...`) listed with theirs, then the global flags.
import { Command, type CommandClass } from 'clipanion';
import { globalFlagHelp } from './global-options';

export const NOUNS: Record<string, string> = {
  container: 'Manage containers',
  image: 'Manage images',
  system: 'Manage tspod',
  volume: 'Manage volumes',
  network: 'Manage networks',
  secret: 'Manage secrets',
  pod: 'Manage pods',
  kube: 'Play and generate Kubernetes YAML: pods, deployments, volumes',
  generate: 'Generate structured data: systemd units, quadlet files, Kubernetes YAML',
  builder: 'Build images and manage the build cache',
  compose: 'Run multi-container applications from Compose files',
};

/** `tspod compose --help`'s options: Docker Compose's global ones, given before or after the verb. */
const COMPOSE_OPTIONS: Array<[string, string]> = [
  ['-f, --file', 'compose configuration files ("-" for stdin; several are merged)'],
  ['-p, --project-name', 'project name (default: the directory\'s name, or COMPOSE_PROJECT_NAME)'],
  ['    --project-directory', 'alternate working directory (default: the first file\'s directory)'],
  ['    --profile', 'profile to enable (may be repeated; or COMPOSE_PROFILES)'],
  ['    --env-file', 'alternate environment file (may be repeated)'],
];

/** Nouns that work but that `tspod --help` does not list, as Podman hides them (buildx: for Docker's scripts). */
export const HIDDEN_NOUNS: Record<string, string> = {
  buildx: 'Build images',
  play: 'Play Kubernetes YAML (kube play)',
};

/** `tspod --help`'s global flags (made when asked: sorting them is no work for other commands). */
export function globalFlagRows(): Array<[string, string]> {
  return [...globalFlagHelp(), ['-h, --help', 'help for tspod or a command'], ['-v, --version', 'print the version']];
}

type Entry = { path: string[]; description: string };

/** Commands tspod runs for itself (the monitor's `container cleanup`, `__complete`): never listed or offered. */
export function isHidden(c: CommandClass): boolean {
  return c.usage?.category === 'hidden';
}

function entries(commands: CommandClass[]): Entry[] {
  const out: Entry[] = [];
  for (const c of commands) {
    if (isHidden(c)) continue;
    const description = (c.usage?.description ?? '').split('\n')[0];
    for (const p of c.paths ?? []) out.push({ path: p, description });
  }
  return out;
}

function table(rows: Array<[string, string]>): string {
  const width = Math.max(12, ...rows.map(([k]) => k.length)) + 2;
  return rows.map(([k, v]) => `  ${k.padEnd(width)}${v}\n`).join('');
}

/** `tspod --help`: verbs and nouns at the top level. */
export function topLevelHelp(commands: CommandClass[]): string {
  const rows = new Map<string, string>();
  for (const e of entries(commands)) {
    if (e.path.length === 1) rows.set(e.path[0], e.description);
    else if (NOUNS[e.path[0]]) rows.set(e.path[0], NOUNS[e.path[0]]);
  }
  const sorted = [...rows.entries()].sort(([a], [b]) => a.localeCompare(b));
  return (
    'Manage pods, containers and images, rootless and without a daemon\n\n' +
    'Usage:\n  tspod [options] [command]\n\n' +
    `Available Commands:\n${table(sorted)}\n` +
    `Options:\n${table(globalFlagRows().map(([flag, text]) => [/^-[^-],/.test(flag) ? flag : `    ${flag}`, text]))}\n` +
    'Run "tspod help COMMAND" or "tspod COMMAND --help" for more information on a command.\n'
  );
}

/** `tspod system --help`: the noun's subcommands. */
export function nounHelp(noun: string, commands: CommandClass[]): string | null {
  const rows = entries(commands)
    .filter((e) => e.path.length === 2 && e.path[0] === noun)
    .map((e): [string, string] => [e.path[1], e.description])
    .sort(([a], [b]) => a.localeCompare(b));
  if (rows.length === 0) return null;
  const usage = noun === 'compose' ? 'tspod compose [options] [command]' : `tspod ${noun} [command]`;
  const options = noun === 'compose' ? `\nOptions:\n${table(COMPOSE_OPTIONS)}` : '';
  return `${NOUNS[noun] ?? HIDDEN_NOUNS[noun] ?? noun}\n\nUsage:\n  ${usage}\n\nAvailable Commands:\n${table(rows)}${options}`;
}

/** Edits (insert, delete, substitute) that turn a into b. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/**
 * The words a mistyped one may have meant, as Podman suggests them: two edits away at most, or
 * starting with what was typed; in the order help lists them. Top-level words, or with a noun
 * (`volume`) the words after it.
 */
export function suggestCommands(word: string, commands: CommandClass[], noun?: string): string[] {
  const paths = entries(commands).map((e) => e.path);
  const pool = noun ? paths.filter((p) => p.length === 2 && p[0] === noun).map((p) => p[1]) : paths.map((p) => p[0]);
  const words = [...new Set(pool)].sort((a, b) => a.localeCompare(b));
  return words.filter((w) => w !== word && (distance(word.toLowerCase(), w) <= 2 || (word.length > 0 && w.startsWith(word.toLowerCase()))));
}

/** Podman's error for a word that names no command: `tspod rn`, `tspod volume craete`, with its guesses. */
export function unknownCommandMessage(words: string[], commands: CommandClass[]): string {
  const noun = words.length > 1 ? words[0] : undefined;
  const guesses = suggestCommands(words[words.length - 1], commands, noun);
  const hint = guesses.length ? `\n\nDid you mean this?\n${guesses.map((g) => `\t${g}`).join('\n')}` : '';
  return `unrecognized command \`tspod ${words.join(' ')}\`: run "tspod ${noun ? `${noun} ` : ''}--help" for the list of commands${hint}`;
}

export function isNoun(word: string, commands: CommandClass[]): boolean {
  const all = entries(commands);
  return all.some((e) => e.path.length > 1 && e.path[0] === word) && !all.some((e) => e.path.length === 1 && e.path[0] === word);
}

/** The detailed usage of the command registered at exactly this path, or null. */
export function commandHelp(commands: CommandClass[], path: string[]): string | null {
  const match = commands.find((c) => (c.paths ?? []).some((p) => p.length === path.length && p.every((w, i) => w === path[i])));
  return match ? renderCommandHelp(match, path) : null;
}

interface HelpOption {
  names: string[];
  description: string;
  hidden: boolean;
  /** "" for a boolean, else the value's type as Podman's help names it (string, stringArray). */
  type: string;
}

/** What --help shows of a command: its options with their value types, and its positionals. */
function helpSpec(cls: CommandClass): { options: HelpOption[]; positionals: string[] } {
  const options: HelpOption[] = [];
  const positionals: string[] = [];
  const builder = {
    addOption(o: { names: string[]; arity?: number; description?: string; hidden?: boolean }) {
      options.push({ names: o.names, description: o.description ?? '', hidden: o.hidden ?? false, type: o.arity ? 'string' : '' });
    },
    addPositional(o: { name: string; required?: boolean }) {
      const word = o.name.toUpperCase();
      positionals.push(o.required === false ? `[${word}]` : word);
    },
    addRest(o: { name: string; required?: number }) {
      const word = o.name.replace(/s$/, '').toUpperCase();
      positionals.push(o.required ? `${word} [${word}...]` : `[${word}...]`);
    },
    addProxy(o: { name: string }) {
      positionals.push(`[${o.name.toUpperCase()} [ARG...]]`);
    },
  };
  const instance = new (cls as unknown as new () => Record<string, unknown>)();
  for (const key of Object.keys(instance)) {
    const value = instance[key] as { [Command.isOption]?: boolean; definition?: (b: typeof builder, key: string) => void; transformer?: (...a: unknown[]) => unknown } | null;
    if (!value || typeof value !== 'object' || !value[Command.isOption] || !value.definition) continue;
    const before = options.length;
    value.definition(builder, key);
    const added = options[before];
    if (added?.type && value.transformer) {
      // An option given twice: a list keeps both (Option.Array), a string the last one.
      const state = { options: [{ name: added.names[0], value: 'a' }, { name: added.names[0], value: 'b' }], positionals: [] };
      try {
        if (Array.isArray(value.transformer(builder, key, state, { env: {} }))) added.type = 'stringArray';
      } catch {
        // A validator refused the probe: keep "string".
      }
    }
  }
  return { options, positionals };
}

/** Podman's type names for tspod's options that take a number (read as text, checked by the command). */
const NUMERIC: Record<string, string> = {
  '--time': 'int',
  '--timeout': 'uint',
  '--stop-timeout': 'uint',
  '--last': 'int',
  '--tail': 'int',
  '--limit': 'int',
  '--interval': 'int',
  '--restart-sec': 'uint',
  '--start-timeout': 'uint',
  '--cpus': 'float',
  '--cpu-shares': 'uint',
  '--cpu-period': 'uint',
  '--cpu-quota': 'int',
  '--pids-limit': 'int',
  '--oom-score-adj': 'int',
  '--jobs': 'int',
  '--timestamp': 'int',
};

/** Flags whose value may be left out (`--pull` alone is `--pull=always`), shown as Podman's help shows them. */
const OPTIONAL_VALUE: Record<string, string> = {
  '--pull': 'string[="always"]',
};

/** `--name string` or, for a flag with no short form, `    --name string`, as Podman aligns them. */
function flagColumn(short: string | undefined, long: string, type: string): string {
  return `${short ? `${short}, ` : '    '}${long || short}${type ? ` ${type}` : ''}`;
}

function optionRows(options: HelpOption[]): Array<[string, string]> {
  const longName = (o: HelpOption) => o.names.find((n) => n.startsWith('--')) ?? o.names[0];
  return options
    .filter((o) => !o.hidden)
    .sort((a, b) => longName(a).localeCompare(longName(b)))
    .map((o) => {
      const short = o.names.find((n) => /^-[^-]$/.test(n));
      const long = o.names.filter((n) => n.startsWith('--')).join(', ');
      const first = long.split(', ')[0];
      const type = o.type === 'string' ? (NUMERIC[first] ?? o.type) : o.type === '' ? (OPTIONAL_VALUE[first] ?? '') : o.type;
      return [flagColumn(short, long, type), o.description];
    });
}

/** `tspod ps --help`, in Podman's layout: value types after each flag (`--format string`). */
export function renderCommandHelp(cls: CommandClass, path: string[] = cls.paths?.[0] ?? []): string {
  const usage = cls.usage ?? {};
  const { options, positionals } = helpSpec(cls);
  const rows = optionRows(options);
  const line = ['tspod', ...path, ...(rows.length ? ['[options]'] : []), ...positionals].join(' ');
  const details = (usage.details ?? '').trim();
  const examples = (usage.examples ?? []).map(([, command]) => `  ${command.replace(/\$0/g, 'tspod')}\n`).join('');
  const aliases = (cls.paths ?? []).filter((p) => p.join(' ') !== path.join(' ')).map((p) => `tspod ${p.join(' ')}`);
  return (
    `${(usage.description ?? '').trim()}\n\n` +
    (details ? `Description:\n${details.split('\n').map((l) => (l ? `  ${l}` : '')).join('\n')}\n\n` : '') +
    `Usage:\n  ${line}\n\n` +
    (aliases.length ? `Aliases:\n  ${aliases.join(', ')}\n\n` : '') +
    (examples ? `Examples:\n${examples}\n` : '') +
    (rows.length ? `Options:\n${table(rows)}` : '')
  );
}
