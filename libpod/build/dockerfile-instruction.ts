// One Dockerfile instruction, its continuation lines already joined: the keyword, the flags
// before the arguments (for the instructions that take flags), the exec (JSON) form, and the
// heredoc words (`<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`) whose bodies the file parser then reads.
import { InvalidArgumentError } from '../../src/errors';
import { splitRaw } from './shell-words';
import type { Instruction, InstructionFlag } from './types';

/** The keywords, and the flags each takes ([] for none; those keep a leading --word in their args). */
const FLAGS: Readonly<Record<string, readonly string[]>> = {
  FROM: ['platform'],
  RUN: ['mount', 'network', 'security', 'device'],
  COPY: ['from', 'chown', 'chmod', 'link', 'parents', 'exclude'],
  ADD: ['chown', 'chmod', 'link', 'keep-git-dir', 'checksum', 'exclude', 'parents', 'unpack'],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
  ARG: [], CMD: [], ENTRYPOINT: [], ENV: [], EXPOSE: [], LABEL: [], MAINTAINER: [], ONBUILD: [],
  SHELL: [], STOPSIGNAL: [], USER: [], VOLUME: [], WORKDIR: [],
};

/** The instructions that have an exec form: a JSON array of strings instead of a shell command line. */
const JSON_FORM = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'VOLUME', 'COPY', 'ADD']);

/** The instructions that may carry heredocs (also as an ONBUILD trigger). */
export const HEREDOC_KEYWORDS: ReadonlySet<string> = new Set(['RUN', 'COPY', 'ADD']);

/** A heredoc announced on an instruction's line; its body follows the instruction. */
export interface HeredocWord {
  name: string;
  expand: boolean;
  /** <<-: leading tabs are stripped from the body and the delimiter line. */
  stripTabs: boolean;
  fd?: number;
}

/** Reads one raw word (quotes and escapes kept) from `pos`; returns it and the index after it. */
function rawWord(text: string, pos: number, escape: string): [string, number] {
  let quote = '';
  let i = pos;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quote === '' && /\s/.test(ch)) break;
    if (ch === escape && quote !== "'") i++;
    else if (quote === '' && (ch === '"' || ch === "'")) quote = ch;
    else if (ch === quote) quote = '';
  }
  return [text.slice(pos, Math.min(i, text.length)), Math.min(i, text.length)];
}

/** `--name=value` / `--name` words off the front of `rest`, up to the first other word or `--`. */
function takeFlags(keyword: string, rest: string, escape: string): { flags: InstructionFlag[]; args: string } {
  const allowed = FLAGS[keyword];
  const flags: InstructionFlag[] = [];
  let pos = 0;
  for (;;) {
    while (pos < rest.length && /\s/.test(rest[pos])) pos++;
    if (!rest.startsWith('--', pos)) break;
    const [word, end] = rawWord(rest, pos, escape);
    pos = end;
    if (word === '--') break;
    const eq = word.indexOf('=');
    const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
    if (!allowed.includes(name)) {
      const known = allowed.map((flag) => `--${flag}`).join(', ');
      throw new InvalidArgumentError(`unknown flag --${name} for ${keyword}: ${keyword} takes ${known}`);
    }
    flags.push({ name, value: eq < 0 ? undefined : word.slice(eq + 1) });
  }
  return { flags, args: rest.slice(pos).trim() };
}

/** The exec form: `args` parses as a JSON array of strings. Anything else that is not JSON is the shell form, as in Docker. */
function jsonForm(keyword: string, args: string): string[] | undefined {
  if (!JSON_FORM.has(keyword) || !args.startsWith('[')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  if (!parsed.every((item) => typeof item === 'string')) {
    throw new InvalidArgumentError(`${keyword} ${args}: a JSON array here must hold strings only: quote each element`);
  }
  return parsed as string[];
}

/** The heredoc words in an instruction's arguments, in order (`<<EOF`, `<<-"EOF"`, `3<<EOF`). */
export function heredocWords(args: string, escape: string): HeredocWord[] {
  const found: HeredocWord[] = [];
  for (const word of splitRaw(args, escape)) {
    const match = /^(\d*)<<(-?)([^<]*)$/.exec(word);
    if (!match) continue;
    // Quotes anywhere in the delimiter (<<"EOF", <<E'O'F) turn expansion off; an escape (<<\EOF) does not, as in Docker.
    const name = match[3].replace(/["']/g, '').split(escape).join('');
    if (name === '') continue;
    const doc: HeredocWord = { name, expand: !/["']/.test(match[3]), stripTabs: match[2] === '-' };
    if (match[1] !== '') doc.fd = Number(match[1]);
    found.push(doc);
  }
  return found;
}

function checkTrigger(trigger: string, escape: string): void {
  if (trigger === '') throw new InvalidArgumentError('ONBUILD needs an instruction to run later: write ONBUILD INSTRUCTION ARGUMENTS');
  const inner = parseInstruction(trigger, escape);
  if (inner.keyword === 'ONBUILD') throw new InvalidArgumentError('ONBUILD ONBUILD is not allowed: an ONBUILD trigger cannot be another ONBUILD');
  if (inner.keyword === 'FROM' || inner.keyword === 'MAINTAINER') {
    throw new InvalidArgumentError(`${inner.keyword} is not allowed as an ONBUILD trigger`);
  }
}

/**
 * One instruction on one line (continuations already joined; no heredoc bodies): the keyword
 * upper-cased, the flags, the arguments trimmed, the JSON form when there is one. `original` is
 * the text without its leading whitespace, as `STEP n/N:` lines print it.
 */
export function parseInstruction(text: string, escape: string, line = 1): Instruction {
  const original = text.trimStart();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(original);
  if (!match) throw new InvalidArgumentError('empty instruction: write a keyword such as FROM, RUN or COPY');
  const keyword = match[1].toUpperCase();
  if (!(keyword in FLAGS)) throw new InvalidArgumentError(`unknown instruction: ${keyword}`);
  const { flags, args } = FLAGS[keyword].length > 0 ? takeFlags(keyword, match[2], escape) : { flags: [], args: match[2].trim() };
  if (keyword === 'ONBUILD') checkTrigger(args, escape);
  const instruction: Instruction = { keyword, flags, args, heredocs: [], line, original };
  const json = jsonForm(keyword, args);
  if (json) instruction.json = json;
  if (keyword === 'SHELL' && !json?.length) {
    throw new InvalidArgumentError('SHELL takes its command in JSON form: write SHELL ["/bin/sh", "-c"]');
  }
  return instruction;
}
