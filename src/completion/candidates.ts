// The candidates for the word being completed. The words typed before it are walked as clipanion
// would: global flags, the command path (longest registered path), then the command's flags
// (those taking a value consume the next word) and positionals; the cursor's place among them
// picks commands, flags, flag values or positional names (from the state database, on demand).
import os from 'node:os';
import type { CommandClass } from 'clipanion';
import { globalFlagRows, NOUNS } from '../help';
import { GLOBAL_VALUE_FLAGS } from '../global-options';
import { argumentSpec, visibleCommands, type ArgumentSpec, type OptionSpec } from './command-specs';
import { composeServiceNames } from './compose-services';
import { COMMAND_FLAG_VALUES, FLAG_VALUES, FORMATS, NETWORK_MODES, POSITIONALS, type Kind } from './argument-kinds';

/** Bits of the directive line: what the shell does besides offering the candidates. */
export const NO_SPACE = 2;
/** Without it the shell may complete file names when no candidate matches. */
export const NO_FILES = 4;

export interface Candidate {
  value: string;
  description?: string;
}

export interface Completion {
  candidates: Candidate[];
  directive: number;
}

/** Names from the state database; a method that throws offers nothing. */
export interface NameSource {
  containers(): Array<{ name: string; state: string }>;
  images(): string[];
  volumes(): string[];
  networks(): string[];
  /** Secret names (not in the database: the secrets index under the store root). */
  secrets?(): string[];
  pods?(): string[];
}

/** The shells `tspod completion` writes scripts for. */
export const SHELLS = ['bash', 'zsh', 'fish'];

const STARTABLE = new Set(['configured', 'created', 'initialized', 'exited', 'stopped']);
const SIGNALS = Object.keys(os.constants.signals).map((s) => s.replace(/^SIG/, ''));

const NOTHING: Completion = { candidates: [], directive: NO_FILES };
const FILES: Completion = { candidates: [], directive: 0 };

/** `--name=value` → ['--name', 'value']; `--name` → ['--name', undefined]. */
function splitFlag(word: string): [string, string | undefined] {
  const eq = word.indexOf('=');
  return word.startsWith('--') && eq > 0 ? [word.slice(0, eq), word.slice(eq + 1)] : [word, undefined];
}

function tryNames<T>(read: () => T[]): T[] {
  try {
    return read();
  } catch {
    return [];
  }
}

class Completer {
  private root?: string;
  private source?: NameSource;

  constructor(
    private readonly commands: CommandClass[],
    private readonly openNames: (root: string | undefined) => NameSource,
  ) {}

  /** Opened once, after the line is read, so that a --root anywhere on it picks the database. */
  private get names(): NameSource {
    this.source ??= this.openNames(this.root);
    return this.source;
  }

  private remember(flag: string, value: string): void {
    if (flag === '--root') this.root = value;
  }

  complete(words: string[], current: string): Completion {
    let i = 0;
    while (i < words.length && words[i].startsWith('-')) {
      const [name, value] = splitFlag(words[i]);
      if (GLOBAL_VALUE_FLAGS.has(name) && value === undefined) {
        if (i + 1 === words.length) return this.flagValues(name, [], current, '');
        this.remember(name, words[i + 1]);
        i += 2;
      } else {
        if (value !== undefined) this.remember(name, value);
        i += 1;
      }
    }
    const rest = words.slice(i);
    if (rest.length === 0 && current.startsWith('-')) return this.globalFlags(current);
    return this.command(rest, current);
  }

  /** After the global flags: the command path, then its arguments. */
  private command(rest: string[], current: string): Completion {
    const visible = visibleCommands(this.commands);
    let found: CommandClass | undefined;
    let depth = 0;
    for (const c of visible) {
      for (const p of c.paths ?? []) {
        if (p.length > depth && p.length <= rest.length && p.every((w, k) => w === rest[k])) [found, depth] = [c, p.length];
      }
    }
    if (!found) return rest.length === 0 || this.isPathPrefix(visible, rest) ? commandWords(visible, rest, current) : NOTHING;
    return this.arguments(found, rest.slice(depth), current);
  }

  private isPathPrefix(visible: CommandClass[], words: string[]): boolean {
    return visible.some((c) => (c.paths ?? []).some((p) => p.length > words.length && words.every((w, k) => w === p[k])));
  }

  private arguments(cls: CommandClass, args: string[], current: string): Completion {
    const spec = argumentSpec(cls);
    let positional = 0;
    let afterDashes = false;
    for (let j = 0; j < args.length; j++) {
      // run IMAGE CMD..., exec NAME CMD...: the rest is the program's, files as the shell sees fit.
      if (spec.proxy && positional >= spec.positionals) return FILES;
      const w = args[j];
      if (!afterDashes && w === '--') {
        afterDashes = true;
      } else if (!afterDashes && w.startsWith('-') && w.length > 1) {
        const [name, value] = splitFlag(w);
        const opt = findOption(spec, name);
        if (value !== undefined) this.remember(name, value);
        else if (opt && opt.arity > 0) {
          if (j + 1 === args.length) return this.flagValues(longName(opt), cls.paths ?? [], current, '');
          this.remember(longName(opt), args[++j]);
        }
      } else {
        positional += 1;
      }
    }
    if (spec.proxy && positional >= spec.positionals) return FILES;
    if (!afterDashes && current.startsWith('-')) {
      const [name, value] = splitFlag(current);
      if (value === undefined) return flags(spec, current);
      const opt = findOption(spec, name);
      return opt && opt.arity > 0 ? this.flagValues(longName(opt), cls.paths ?? [], value, `${name}=`) : NOTHING;
    }
    const key = (cls.paths ?? []).map((p) => p.join(' ')).find((k) => POSITIONALS[k]);
    const kinds = key ? POSITIONALS[key] : ['files' as Kind];
    const kind = kinds[Math.min(positional, kinds.length - 1)];
    if (kind === 'command') return commandWords(visibleCommands(this.commands), args.filter((a) => !a.startsWith('-')), current);
    return this.kinds(Array.isArray(kind) ? kind : [kind], current, '');
  }

  /** The value of a flag: fixed keywords, names, or files for flags not in the table. */
  private flagValues(flag: string, paths: string[][], current: string, prefix: string): Completion {
    if (flag === '--format') {
      const key = paths.map((p) => p.join(' ')).find((k) => FORMATS[k]);
      return finish(fixed(key ? FORMATS[key] : ['json']), current, prefix, NO_FILES);
    }
    const own = paths.map((p) => `${p.join(' ')} ${flag}`).find((k) => COMMAND_FLAG_VALUES[k]);
    const values = own ? COMMAND_FLAG_VALUES[own] : FLAG_VALUES[flag];
    if (values === undefined) return FILES;
    if (Array.isArray(values)) return finish(fixed(values), current, prefix, NO_FILES);
    return this.kinds([values], current, prefix);
  }

  private kinds(kinds: Kind[], current: string, prefix: string): Completion {
    const out: Candidate[] = [];
    let directive = NO_FILES;
    for (const kind of kinds) {
      const r = this.kind(kind, current);
      out.push(...r.candidates);
      if ((r.directive & NO_FILES) === 0) directive = 0;
    }
    return finish(out, current, prefix, directive);
  }

  private kind(kind: Kind, current: string): Completion {
    const containers = (keep: (state: string) => boolean) =>
      tryNames(() => this.names.containers())
        .filter((c) => keep(c.state))
        .map((c) => ({ value: c.name, description: c.state }));
    switch (kind) {
      case 'container':
        return { candidates: containers(() => true), directive: NO_FILES };
      case 'running':
        return { candidates: containers((s) => s === 'running'), directive: NO_FILES };
      case 'startable':
        return { candidates: containers((s) => STARTABLE.has(s)), directive: NO_FILES };
      case 'image':
        return { candidates: fixed(imageNames(tryNames(() => this.names.images()))), directive: NO_FILES };
      case 'volume':
        return { candidates: fixed(tryNames(() => this.names.volumes())), directive: NO_FILES };
      case 'network':
        return { candidates: fixed(tryNames(() => this.names.networks())), directive: NO_FILES };
      case 'secret':
        return { candidates: fixed(tryNames(() => this.names.secrets?.() ?? [])), directive: NO_FILES };
      case 'pod':
        return { candidates: fixed(tryNames(() => this.names.pods?.() ?? [])), directive: NO_FILES };
      case 'pod-ref':
        // run/create --pod: a pod, or new:NAME for one made with the container.
        return { candidates: [...fixed(tryNames(() => this.names.pods?.() ?? [])), { value: 'new:', description: 'a new pod of this name' }], directive: NO_FILES };
      case 'container-path':
      case 'volume-mount': {
        // NAME:PATH where NAME is ours; a host path (/x, ./x, ~/x) is the shell's to complete.
        if (current.includes(':')) return NOTHING;
        if (/^[./~]/.test(current)) return FILES;
        const names = kind === 'container-path' ? containers(() => true).map((c) => c.value) : tryNames(() => this.names.volumes());
        return { candidates: fixed(names.map((n) => `${n}:`)), directive: 0 };
      }
      case 'network-mode':
        if (current.startsWith('container:')) return { candidates: containers(() => true).map((c) => ({ ...c, value: `container:${c.value}` })), directive: NO_FILES };
        return { candidates: [...fixed(NETWORK_MODES), { value: 'container:', description: "join another container's network" }, ...fixed(tryNames(() => this.names.networks()))], directive: NO_FILES };
      case 'signal':
        return { candidates: fixed(/^sig/i.test(current) ? SIGNALS.map((s) => `SIG${s}`) : SIGNALS), directive: NO_FILES };
      case 'shell':
        return { candidates: fixed(SHELLS), directive: NO_FILES };
      case 'compose-service':
        return { candidates: fixed(composeServiceNames(process.cwd())), directive: NO_FILES };
      case 'files':
        return FILES;
      default:
        return NOTHING;
    }
  }

  private globalFlags(current: string): Completion {
    const [name, value] = splitFlag(current);
    if (value !== undefined) return GLOBAL_VALUE_FLAGS.has(name) ? this.flagValues(name, [], value, `${name}=`) : NOTHING;
    const all = globalFlagRows().flatMap(([names, description]) =>
      names
        .split(' ')[0]
        .split(',')
        .map((n) => ({ value: n.trim(), description })),
    );
    return finish(all, current, '', NO_FILES);
  }
}

function fixed(values: string[]): Candidate[] {
  return values.map((value) => ({ value }));
}

/** Stored names as given, and Docker Hub's official images also by their short name (busybox:latest). */
function imageNames(names: string[]): string[] {
  const short = names.filter((n) => n.startsWith('docker.io/library/')).map((n) => n.slice('docker.io/library/'.length));
  return [...names, ...short];
}

function findOption(spec: ArgumentSpec, name: string): OptionSpec | undefined {
  return spec.options.find((o) => o.names.includes(name));
}

function longName(opt: OptionSpec): string {
  return opt.names.find((n) => n.startsWith('--')) ?? opt.names[0];
}

/** The next word of every visible path that starts with words: verbs with theirs, nouns with the noun's. */
function commandWords(visible: CommandClass[], words: string[], current: string): Completion {
  const found = new Map<string, string>();
  for (const c of visible) {
    for (const p of c.paths ?? []) {
      if (p.length <= words.length || !words.every((w, k) => w === p[k])) continue;
      const word = p[words.length];
      const ownDescription = p.length === words.length + 1 ? (c.usage?.description ?? '').split('\n')[0] : undefined;
      if (ownDescription !== undefined || !found.has(word)) found.set(word, ownDescription ?? NOUNS[word] ?? '');
    }
  }
  // Code-unit order: command words are ASCII, and localeCompare's first call loads ICU's collator (~12 ms).
  const candidates = [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([value, description]) => ({ value, description }));
  return finish(candidates, current, '', NO_FILES);
}

function flags(spec: ArgumentSpec, current: string): Completion {
  const out: Candidate[] = [];
  for (const o of spec.options) {
    if (o.hidden) continue;
    for (const n of o.names) if (n.startsWith('--') || !current.startsWith('--')) out.push({ value: n, description: o.description });
  }
  out.push({ value: '--help', description: 'help for this command' });
  return finish(out, current, '', NO_FILES);
}

/**
 * Keeps the candidates that start with what was typed, puts back the `--flag=` the value follows,
 * and asks for no space when every candidate ends where more must follow (`web:`, `container:`).
 */
function finish(candidates: Candidate[], current: string, prefix: string, directive: number): Completion {
  const seen = new Set<string>();
  const kept = candidates.filter((c) => c.value.startsWith(current) && !seen.has(c.value) && seen.add(c.value));
  const out = kept.map((c) => ({ ...c, value: `${prefix}${c.value}` }));
  const noSpace = out.length > 0 && out.every((c) => /[:=]$/.test(c.value));
  return { candidates: out, directive: directive | (noSpace ? NO_SPACE : 0) };
}

/** The candidates for `tspod WORDS... CURRENT`; names are read through openNames only if needed. */
export function complete(words: string[], current: string, commands: CommandClass[], openNames: (root: string | undefined) => NameSource): Completion {
  return new Completer(commands, openNames).complete(words, current);
}

/** The protocol's output: `value<TAB>description` per candidate, then `:DIRECTIVE`. */
export function formatCompletion(c: Completion): string {
  const line = (x: Candidate) => (x.description ? `${x.value}\t${x.description.replace(/\s+/g, ' ').trim()}` : x.value);
  return `${c.candidates.map(line).join('\n')}${c.candidates.length ? '\n' : ''}:${c.directive}\n`;
}
