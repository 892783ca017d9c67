// The top-level and per-noun help pages, in Podman's layout: every verb with its one-line
// description, nouns (`tspod system ...`) listed with theirs, then the global flags.
import type { Cli, CommandClass } from 'clipanion';

export const NOUNS: Record<string, string> = {
  container: 'Manage containers',
  image: 'Manage images',
  system: 'Manage tspod',
  volume: 'Manage volumes',
  network: 'Manage networks',
  generate: 'Generate structured data: systemd units, quadlet files',
};

export const GLOBAL_FLAGS: Array<[string, string]> = [
  ['--root string', 'path to the root directory in which data is stored (default $XDG_DATA_HOME/tspod)'],
  ['--runroot string', 'path to the runtime directory for pid files, sockets and locks (default $XDG_RUNTIME_DIR/tspod, else /run/user/UID/tspod, else /tmp/tspod-run-UID/tspod)'],
  ['--log-level string', 'log messages at and above this level: debug, info, warn, error (default "warn")'],
  ['-h, --help', 'help for tspod or a command'],
  ['-v, --version', 'print the version'],
];

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
    `Options:\n${table(GLOBAL_FLAGS)}\n` +
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
  return `${NOUNS[noun] ?? noun}\n\nUsage:\n  tspod ${noun} [command]\n\nAvailable Commands:\n${table(rows)}`;
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
 * The top-level words a mistyped one may have meant, as Podman suggests them: two edits away at
 * most, or starting with what was typed; in the order `tspod --help` lists them.
 */
export function suggestCommands(word: string, commands: CommandClass[]): string[] {
  const words = [...new Set(entries(commands).map((e) => e.path[0]))].sort((a, b) => a.localeCompare(b));
  return words.filter((w) => w !== word && (distance(word.toLowerCase(), w) <= 2 || (word.length > 0 && w.startsWith(word.toLowerCase()))));
}

export function isNoun(word: string, commands: CommandClass[]): boolean {
  const all = entries(commands);
  return all.some((e) => e.path.length > 1 && e.path[0] === word) && !all.some((e) => e.path.length === 1 && e.path[0] === word);
}

/** The detailed usage of the command registered at exactly this path, or null. */
export function commandHelp(cli: Cli, commands: CommandClass[], path: string[]): string | null {
  const match = commands.find((c) => (c.paths ?? []).some((p) => p.length === path.length && p.every((w, i) => w === path[i])));
  return match ? cli.usage(match, { detailed: true }) : null;
}
