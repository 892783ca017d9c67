// .dockerignore / .containerignore: each line a Go filepath.Match pattern (per '/' segment) plus
// `**` for any number of directories, compiled once to an anchored RegExp; a path is ignored when
// the last pattern matching it or one of its parent directories is not a `!` exception.
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';

export interface IgnoreMatcher {
  /** rel: context-relative, '/' separators, no leading './'. */
  ignored(rel: string): boolean;
  /** False when the directory is ignored and no `!` exception could match anything below it (a walker may skip it). */
  mayContainIncluded(relDir: string): boolean;
  /** The cleaned patterns, in order ('!' kept), for messages and the build cache. */
  readonly patterns: readonly string[];
  /** The file the patterns came from, for messages (undefined: none). */
  readonly source?: string;
}

interface Pattern {
  text: string;
  exclusion: boolean;
  re: RegExp;
  segments: string[];
}

const REGEX_SPECIAL = /[.+^$(){}|\\/]/;

/** One Go filepath.Match bracket expression starting at pattern[i] ('['): [regex source, next index]. */
function bracket(p: string, i: number, whole: string): [string, number] {
  let out = '[';
  let j = i + 1;
  if (p[j] === '^') {
    out += '^/'; // a class never matches the separator
    j++;
  }
  let first = true;
  for (; j < p.length; j++) {
    const c = p[j];
    if (c === ']' && !first) return [`${out}]`, j + 1];
    first = false;
    if (c === '\\') {
      j++;
      if (j >= p.length) break;
      out += `\\${p[j]}`;
    } else if (c === '-' || /[a-zA-Z0-9]/.test(c)) out += c;
    else out += `\\${c}`;
  }
  throw new InvalidArgumentError(`invalid ignore pattern "${whole}": syntax error in pattern (unclosed "["): fix the line in the ignore file`);
}

/** The regex source for a cleaned pattern (Docker's dialect: `**` spans directories, `*` and `?` do not cross '/'). */
function toRegex(p: string): string {
  let out = '^';
  for (let i = 0; i < p.length; ) {
    const c = p[i];
    if (c === '*') {
      if (p[i + 1] === '*') {
        i += 2;
        while (p[i] === '*') i++;
        if (i >= p.length) out += '.*';
        else if (p[i] === '/') {
          out += '(.*/)?';
          i++;
        } else out += '.*';
        continue;
      }
      out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const [src, next] = bracket(p, i, p);
      out += src;
      i = next;
      continue;
    } else if (c === '\\') {
      i++;
      if (i >= p.length) throw new InvalidArgumentError(`invalid ignore pattern "${p}": syntax error in pattern (trailing "\\"): fix the line in the ignore file`);
      out += REGEX_SPECIAL.test(p[i]) || /[*?[\]]/.test(p[i]) ? `\\${p[i]}` : p[i];
    } else out += REGEX_SPECIAL.test(c) ? `\\${c}` : c;
    i++;
  }
  return `${out}$`;
}

/** Go's filepath.Clean for a slash path, then Docker's leading '/' dropped. */
export function cleanPattern(p: string): string {
  let s = path.posix.normalize(p);
  if (s.length > 1 && s.endsWith('/')) s = s.slice(0, -1);
  if (s.length > 1 && s.startsWith('/')) s = s.slice(1);
  return s;
}

function compilePattern(line: string): Pattern | undefined {
  let text = line.trim();
  if (text === '') return undefined;
  const exclusion = text.startsWith('!');
  if (exclusion) text = text.slice(1).trim();
  if (text === '') return undefined;
  text = cleanPattern(text);
  return { text, exclusion, re: new RegExp(toRegex(text)), segments: text.split('/') };
}

/** Go's filepath.Match of one '/'-free pattern segment, as an anchored RegExp (COPY's source globs use it too). */
export function segmentRegex(seg: string): RegExp {
  return new RegExp(toRegex(seg));
}

/** Whether a path has Go glob metacharacters (unescaped * ? [). */
export function hasGlob(p: string): boolean {
  return /(^|[^\\])[*?[]/.test(p);
}

/** Go's filepath.Match for one segment against one name (a pattern segment of `**` matches any). */
function segmentMatches(seg: string, name: string): boolean {
  if (seg.includes('**')) return true;
  return segmentRegex(seg).test(name);
}

/** Whether an exception pattern could match dir itself, one of its parents, or something below it. */
function couldMatchUnder(p: Pattern, dirParts: string[]): boolean {
  for (let i = 0; i < dirParts.length; i++) {
    const seg = p.segments[i];
    if (seg === undefined) return true; // it names a parent of dir: it decides dir itself
    if (seg.includes('**')) return true;
    if (!segmentMatches(seg, dirParts[i])) return false;
  }
  return true;
}

export function compileIgnore(text: string, source?: string): IgnoreMatcher {
  const patterns: Pattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.startsWith('#')) continue; // a comment only at the very start of the line, as Docker reads it
    const p = compilePattern(raw);
    if (p) patterns.push(p);
  }
  const hasExceptions = patterns.some((p) => p.exclusion);
  const ignored = (rel: string): boolean => {
    if (patterns.length === 0 || rel === '' || rel === '.') return false;
    let parents: string[] | undefined;
    let matched = false;
    for (const p of patterns) {
      let m = p.re.test(rel);
      if (!m) {
        if (!parents) {
          parents = [];
          for (let i = rel.indexOf('/'); i !== -1; i = rel.indexOf('/', i + 1)) parents.push(rel.slice(0, i));
        }
        m = parents.some((d) => p.re.test(d));
      }
      if (m) matched = !p.exclusion;
    }
    return matched;
  };
  return {
    patterns: patterns.map((p) => (p.exclusion ? `!${p.text}` : p.text)),
    source,
    ignored,
    mayContainIncluded(relDir: string): boolean {
      if (!ignored(relDir)) return true;
      if (!hasExceptions) return false;
      const parts = relDir.split('/');
      return patterns.some((p) => p.exclusion && couldMatchUnder(p, parts));
    },
  };
}

/** The matcher that ignores nothing. */
export const NO_IGNORE: IgnoreMatcher = compileIgnore('');
