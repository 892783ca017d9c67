// The Containerfile/Dockerfile parser. Written here rather than taken from npm: dockerfile-ast
// (the maintained one, for editors) keeps comment lines inside continuations in an instruction's
// arguments and tracks ranges we do not need. The facts it follows (the Dockerfile reference):
// - parser directives (`# syntax=`, `# escape=`, `# check=`) only at the very top, names
//   case-insensitive, each at most once; the first other line, comment or blank line ends them;
// - a line ending in the escape character (whitespace after it allowed) continues on the next;
//   comment and blank lines inside a continuation are dropped; the pieces are joined as they are;
// - `#` after leading whitespace starts a comment line; elsewhere it is an argument;
// - heredocs (`<<EOF`) on RUN, COPY and ADD (and as their ONBUILD trigger): the body is the
//   following lines up to the delimiter, read as they are (no comments, no continuations).
import { InvalidArgumentError } from '../../src/errors';
import { HEREDOC_KEYWORDS, heredocWords, parseInstruction, type HeredocWord } from './dockerfile-instruction';
import type { Dockerfile, Heredoc, Instruction } from './types';

export { parseInstruction } from './dockerfile-instruction';

const DIRECTIVES = new Set(['syntax', 'escape', 'check']);

function located(file: string, line: number, message: string): InvalidArgumentError {
  return new InvalidArgumentError(`${file}:${line}: ${message}`);
}

/** The directives at the top of the file, the escape character, and the index of the first line after them. */
function readDirectives(lines: string[], file: string): { directives: Record<string, string>; next: number } {
  const directives: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const match = /^#[ \t]*([A-Za-z][A-Za-z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$/.exec(lines[i].trimStart());
    const name = match?.[1].toLowerCase();
    if (!match || !name || !DIRECTIVES.has(name)) break;
    if (name in directives) throw located(file, i + 1, `the "${name}" parser directive is given twice: keep one`);
    if (name === 'escape' && match[2] !== '\\' && match[2] !== '`') {
      throw located(file, i + 1, `invalid escape directive ${JSON.stringify(match[2])}: use \\ or \``);
    }
    directives[name] = match[2];
  }
  return { directives, next: i };
}

const isCommentOrBlank = (line: string): boolean => /^\s*(#|$)/.test(line);

/** Parses a Containerfile's text. `file` names it in error messages ("Containerfile:3: ..."). */
export function parseDockerfile(text: string, file = 'Containerfile'): Dockerfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const { directives, next } = readDirectives(lines, file);
  const escape = directives.escape ?? '\\';
  const continued = new RegExp(`${escape === '\\' ? '\\\\' : escape}[ \\t]*$`);
  const instructions: Instruction[] = [];
  let i = next;
  while (i < lines.length) {
    if (isCommentOrBlank(lines[i])) {
      i++;
      continue;
    }
    const start = i + 1;
    let joined = lines[i++].trimStart();
    let more = continued.test(joined);
    if (more) joined = joined.replace(continued, '');
    while (more && i < lines.length) {
      const piece = lines[i++];
      if (isCommentOrBlank(piece)) continue;
      more = continued.test(piece);
      joined += more ? piece.replace(continued, '') : piece;
    }
    const instruction = parseLine(joined, escape, start, file);
    i = readHeredocs(instruction, lines, i, escape, file);
    instructions.push(instruction);
  }
  checkStages(text, instructions, file);
  return { escape, directives, instructions };
}

function parseLine(text: string, escape: string, line: number, file: string): Instruction {
  try {
    return parseInstruction(text, escape, line);
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw located(file, line, err.message);
    throw err;
  }
}

/** Reads the bodies of the instruction's heredocs from `lines[i]` on; returns the index after them. */
function readHeredocs(instruction: Instruction, lines: string[], i: number, escape: string, file: string): number {
  const trigger = instruction.keyword === 'ONBUILD' ? parseInstruction(instruction.args, escape) : instruction;
  if (!HEREDOC_KEYWORDS.has(trigger.keyword) || trigger.json) return i;
  let at = i;
  for (const word of parseHeredocWords(trigger.args, escape, instruction.line, file)) {
    const body: string[] = [];
    const strip = (line: string): string => (word.stripTabs ? line.replace(/^\t+/, '') : line);
    for (;;) {
      if (at >= lines.length) {
        throw located(file, instruction.line, `heredoc ${word.name} is not terminated: end it with a line "${word.name}"`);
      }
      const line = strip(lines[at++]);
      if (line === word.name) break;
      body.push(`${line}\n`);
    }
    const heredoc: Heredoc = { name: word.name, content: body.join(''), expand: word.expand };
    if (word.fd !== undefined) heredoc.fd = word.fd;
    instruction.heredocs.push(heredoc);
  }
  return at;
}

function parseHeredocWords(args: string, escape: string, line: number, file: string): HeredocWord[] {
  try {
    return heredocWords(args, escape);
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw located(file, line, err.message);
    throw err;
  }
}

/** A build needs a FROM, and only ARG may come before the first one. */
function checkStages(text: string, instructions: Instruction[], file: string): void {
  if (text.trim() === '') throw new InvalidArgumentError(`no contents in "${file}": a Containerfile needs at least a FROM instruction`);
  const first = instructions.findIndex((instruction) => instruction.keyword === 'FROM');
  if (first < 0) {
    throw new InvalidArgumentError(`no FROM instruction in "${file}": a Containerfile starts with FROM IMAGE (only ARG may come before it)`);
  }
  const early = instructions.slice(0, first).find((instruction) => instruction.keyword !== 'ARG');
  if (early) throw located(file, early.line, `${early.keyword} comes before the first FROM: only ARG may come before FROM`);
}
