// The compatibility table: for each verb, every option Podman documents, matched against the
// options tspod's command class declares and the refusals in commands/refusals.ts, rendered as
// docs/cli-compat.md with per-verb and overall shares.
import type { CommandClass } from 'clipanion';
import { TspodCommand } from '../../commands/tspod-command';
import { REFUSALS, refusalMessage, type Refusal } from '../../commands/refusals';
import { argumentSpec, type OptionSpec } from '../../src/completion/command-specs';
import { globalFlagSpecs } from '../../src/global-options';
import { EXIT_TSPOD } from '../../src/errors';
import type { PodmanOption } from './man-pages';
import { OPTIONAL_VALUES, type VerbSpec } from './verbs';

export interface PodmanData {
  source: string;
  verbs: Record<string, PodmanOption[]>;
}

export type Status = 'implemented' | 'refused' | 'missing';

export interface Row {
  option: PodmanOption;
  status: Status;
  /** For refused: what the user is told; for missing: what is absent. */
  note: string;
}

export interface VerbTable {
  verb: string;
  /** Whether tspod has the command at all. */
  present: boolean;
  rows: Row[];
  /** Options tspod's command has that Podman does not document. */
  extra: string[];
}

/** clipanion answers -h/--help for every command; src/main.ts answers --version before any verb. */
const BUILT_IN: OptionSpec[] = [{ names: ['--help', '-h'], arity: 0, description: '', hidden: false }];
const GLOBAL_BUILT_IN: OptionSpec[] = [...BUILT_IN, { names: ['--version', '-v'], arity: 0, description: '', hidden: false }];

/** The global flags: those every command declares (TspodCommand) and those read before the verb that tspod honours. */
function globalOptions(): OptionSpec[] {
  class Probe extends TspodCommand {
    async execute(): Promise<number> {
      return 0;
    }
  }
  const declared = argumentSpec(Probe as unknown as CommandClass).options;
  const before = globalFlagSpecs().filter((g) => !g.refused && !declared.some((o) => o.names.includes(g.names[0])));
  return [...declared, ...before.map((g) => ({ names: g.names, arity: g.takesValue ? 1 : 0, description: '', hidden: false })), ...GLOBAL_BUILT_IN];
}

/** The global flags src/global-options.ts refuses, with its reasons (exit 125, before any command runs). */
export function globalRefusals(): Refusal[] {
  return globalFlagSpecs()
    .filter((g) => g.refused)
    .map((g) => ({ names: g.names, value: g.takesValue, reason: g.refused!, exitCode: EXIT_TSPOD }));
}

/** The class that answers a command path, if tspod has one. */
export function commandFor(commands: CommandClass[], path: string[]): CommandClass | undefined {
  return commands.find((c) => (c.paths ?? []).some((p) => p.join(' ') === path.join(' ')));
}

/** The options tspod accepts for a verb (refused ones included), or null when it lacks the command. */
export function tspodOptions(commands: CommandClass[], spec: VerbSpec): OptionSpec[] | null {
  if (spec.path === null) return globalOptions();
  const cls = commandFor(commands, spec.path);
  if (!cls) return null;
  const own = argumentSpec(cls).options.filter((o) => !['--root', '--runroot', '--log-level'].includes(o.names[0]));
  return [...own, ...BUILT_IN];
}

function status(option: PodmanOption, declared: OptionSpec[], refusal: Refusal | undefined, optionalValue = false): Row {
  if (refusal) return { option, status: 'refused', note: refusalMessage(refusal) };
  const matches = declared.filter((d) => d.names.some((n) => option.names.includes(n)));
  if (matches.length === 0) return { option, status: 'missing', note: '' };
  const names = new Set(matches.flatMap((m) => m.names));
  const absent = option.names.filter((n) => !names.has(n));
  if (absent.length > 0) return { option, status: 'missing', note: `tspod lacks ${absent.join(', ')}` };
  const takesValue = matches.some((m) => m.arity > 0);
  if (takesValue !== (option.value !== null) && !(optionalValue && !takesValue)) return { option, status: 'missing', note: takesValue ? 'tspod wants a value; Podman takes none' : 'tspod takes no value; Podman wants one' };
  return { option, status: 'implemented', note: '' };
}

export function verbTable(spec: VerbSpec, podman: PodmanOption[], declared: OptionSpec[] | null): VerbTable {
  const refusals = spec.path === null ? globalRefusals() : (REFUSALS[spec.verb] ?? []);
  const rows = podman.map((o) => status(o, declared ?? [], refusals.find((r) => r.names[0] === o.names[0]), OPTIONAL_VALUES.has(`${spec.verb} ${o.names[0]}`)));
  const documented = new Set(podman.flatMap((o) => o.names));
  const extra = (declared ?? []).filter((d) => !d.hidden && !BUILT_IN.includes(d) && !d.names.some((n) => documented.has(n))).map((d) => d.names.join(', '));
  return { verb: spec.verb, present: declared !== null, rows, extra };
}

export function buildTables(specs: VerbSpec[], data: PodmanData, commands: CommandClass[]): VerbTable[] {
  return specs.map((s) => {
    const podman = data.verbs[s.verb];
    if (!podman) throw new Error(`the Podman data has no options for "${s.verb}": regenerate it from the man pages`);
    return verbTable(s, podman, tspodOptions(commands, s));
  });
}

function counts(rows: Row[]): Record<Status, number> & { total: number } {
  const c = { implemented: 0, refused: 0, missing: 0, total: rows.length };
  for (const r of rows) c[r.status] += 1;
  return c;
}

const pct = (n: number, total: number) => (total === 0 ? '-' : `${Math.floor((1000 * n) / total) / 10}%`);
const code = (s: string) => `\`${s}\``;
const cell = (s: string) => s.replace(/\|/g, '\\|');

function optionCell(o: PodmanOption): string {
  return `${o.names.map(code).join(', ')}${o.value === null ? '' : ` *${cell(o.value)}*`}`;
}

function statusCell(r: Row): string {
  if (r.status === 'implemented') return 'implemented';
  if (r.status === 'refused') return `refused: ${cell(r.note)}`;
  return r.note ? `**missing** (${cell(r.note)})` : '**missing**';
}

export function renderMarkdown(tables: VerbTable[], source: string): string {
  const all = counts(tables.flatMap((t) => t.rows));
  const out: string[] = [
    '# Podman command-line compatibility',
    '',
    `Every option ${source} documents for these verbs, and what tspod does with it: implemented,`,
    'refused (with the message the user gets and the exit code), or missing. Generated by',
    '`node scripts/cli-compat.mjs` from scripts/cli-compat/podman-options.json, tspod\'s command',
    'classes and commands/refusals.ts; do not edit it by hand (test/unit/scripts/cli-compat.test.ts',
    'fails when it is stale).',
    '',
    `Commands: tspod has ${tables.filter((t) => t.present).length} of the ${tables.length} (${tables.filter((t) => !t.present).map((t) => t.verb).join(', ') || 'none'} missing).`,
    '',
    `Overall: ${all.implemented} of ${all.total} options implemented (${pct(all.implemented, all.total)}), ${all.refused} refused, ${all.missing} missing; implemented or refused: ${pct(all.implemented + all.refused, all.total)}.`,
    '',
    '| verb | options | implemented | refused | missing | implemented or refused |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const t of tables) {
    const c = counts(t.rows);
    const name = t.present ? `[${t.verb}](#${t.verb.replace(/ /g, '-')})` : `[${t.verb}](#${t.verb.replace(/ /g, '-')}) (no such command)`;
    out.push(`| ${name} | ${c.total} | ${c.implemented} | ${c.refused} | ${c.missing} | ${pct(c.implemented + c.refused, c.total)} |`);
  }
  for (const t of tables) {
    out.push('', `## ${t.verb}`, '');
    if (!t.present) out.push('tspod has no such command.', '');
    if (t.rows.length === 0) out.push('Podman documents no options for it.');
    else {
      out.push('| option | status |', '| --- | --- |');
      for (const r of t.rows) out.push(`| ${optionCell(r.option)} | ${statusCell(r)} |`);
    }
    if (t.extra.length > 0) out.push('', `tspod also accepts: ${t.extra.map((e) => e.split(', ').map(code).join(', ')).join('; ')}.`);
  }
  return `${out.join('\n')}\n`;
}

/** Refusals whose option Podman does not document for the verb (a typo, or a page that changed). */
export function strayRefusals(tables: VerbTable[]): string[] {
  const stray: string[] = [];
  for (const [verb, list] of Object.entries(REFUSALS)) {
    const t = tables.find((x) => x.verb === verb);
    for (const r of list) {
      const row = t?.rows.find((x) => x.option.names[0] === r.names[0]);
      if (!row) stray.push(`${verb} ${r.names[0]}`);
      else if ((row.option.value !== null) !== r.value) stray.push(`${verb} ${r.names[0]} (value form differs from Podman's)`);
    }
  }
  return stray;
}
