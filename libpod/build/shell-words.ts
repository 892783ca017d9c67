// Docker's word rules for the instructions whose arguments the builder expands itself (ENV, COPY,
// WORKDIR, ...; RUN's shell form is left to the shell). The facts, from the Dockerfile reference's
// "Environment replacement" and the behaviour of Docker's lexer:
// - outside quotes the escape character (\ or `) makes the next character literal and is removed;
// - '...' is literal; "..." expands $ and lets the escape character escape only ", $ and itself
//   (elsewhere it is kept);
// - $NAME, ${NAME}, ${NAME:-word}, ${NAME-word}, ${NAME:+word}, ${NAME+word}, ${NAME:?msg},
//   ${NAME?msg}; the colon forms treat an empty value as unset; the word is itself expanded;
//   an unset name expands to nothing; also the pattern forms ${NAME#glob}, ${NAME##glob},
//   ${NAME%glob}, ${NAME%%glob}, ${NAME/glob/text}, ${NAME//glob/text} (shell-patterns.ts);
// - words split on unquoted whitespace, also inside an unquoted variable's value.
import { InvalidArgumentError } from '../../src/errors';
import { replaceMatches, trimPrefix, trimSuffix } from './shell-patterns';

export type Lookup = (name: string) => string | undefined;

/** The instructions whose arguments and flags the builder expands (RUN, CMD, ENTRYPOINT: the shell does). */
export const EXPANDING: ReadonlySet<string> = new Set([
  'ADD', 'COPY', 'ENV', 'EXPOSE', 'FROM', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR', 'ARG',
]);

const isSpace = (ch: string): boolean => /\s/.test(ch);

/** Words being collected: text from an unquoted variable or character splits on whitespace, quoted text never does. */
class WordList {
  private words: string[] = [];
  private word = '';
  private inWord = false;

  addSplitting(text: string): void {
    for (const ch of text) {
      if (!isSpace(ch)) {
        this.word += ch;
        this.inWord = true;
      } else if (this.inWord) {
        this.finish();
      }
    }
  }

  addQuoted(text: string): void {
    this.word += text;
    this.inWord = true;
  }

  done(): string[] {
    if (this.inWord) this.finish();
    return this.words;
  }

  private finish(): void {
    this.words.push(this.word);
    this.word = '';
    this.inWord = false;
  }
}

function lexError(text: string, problem: string): InvalidArgumentError {
  return new InvalidArgumentError(`cannot expand ${JSON.stringify(text)}: ${problem}`);
}

class Expander {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly lookup: Lookup,
    private readonly escape: string,
    /** A heredoc body: quotes are plain characters, the escape character only escapes $ and itself. */
    private readonly heredoc = false,
  ) {}

  /** Reads to `stop` (consumed) or to the end: the expanded text and its words. `raw` keeps escapes (for globs). */
  read(stop?: string, raw = false): { text: string; words: string[] } {
    let out = '';
    const words = new WordList();
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === stop) {
        this.pos++;
        return { text: out, words: words.done() };
      }
      if (ch === '$') {
        const value = this.dollar();
        out += value;
        words.addSplitting(value);
        continue;
      }
      if ((ch === "'" || ch === '"') && !this.heredoc) {
        const value = ch === "'" ? this.singleQuoted() : this.doubleQuoted();
        out += value;
        words.addQuoted(value);
        continue;
      }
      this.pos++;
      if (ch === this.escape && this.heredoc) {
        const next = this.text[this.pos];
        out += next === '$' || next === this.escape ? this.text[this.pos++] : ch;
        continue;
      }
      if (ch === this.escape) {
        if (this.pos >= this.text.length) break; // an escape at the very end is dropped
        const next = (raw ? ch : '') + this.text[this.pos++];
        out += next;
        words.addQuoted(next);
        continue;
      }
      out += ch;
      words.addSplitting(ch);
    }
    if (stop !== undefined) throw this.error(`missing "${stop}"`);
    return { text: out, words: words.done() };
  }

  private error(problem: string): InvalidArgumentError {
    return lexError(this.text, problem);
  }

  private singleQuoted(): string {
    const end = this.text.indexOf("'", this.pos + 1);
    if (end < 0) throw this.error('a single quote is not closed: add the closing \'');
    const value = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return value;
  }

  private doubleQuoted(): string {
    let out = '';
    this.pos++;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '"') {
        this.pos++;
        return out;
      }
      if (ch === '$') {
        out += this.dollar();
        continue;
      }
      this.pos++;
      if (ch === this.escape && this.pos < this.text.length) {
        const next = this.text[this.pos];
        if (next === '"' || next === '$' || next === this.escape) {
          out += next;
          this.pos++;
          continue;
        }
      }
      out += ch;
    }
    throw this.error('a double quote is not closed: add the closing "');
  }

  private name(): string {
    const rest = this.text.slice(this.pos);
    const match = /^(?:[0-9]+|[\p{L}_][\p{L}\p{N}_]*)/u.exec(rest);
    const name = match ? match[0] : '';
    this.pos += name.length;
    return name;
  }

  private dollar(): string {
    this.pos++; // the $
    if (this.text[this.pos] !== '{') {
      const name = this.name();
      return name === '' ? '$' : (this.lookup(name) ?? '');
    }
    this.pos++; // the {
    const name = this.name();
    if (this.pos >= this.text.length) throw this.error('missing "}"');
    if (name === '') throw this.error('bad substitution: "${" must be followed by a variable name');
    const value = this.lookup(name);
    let op = this.text[this.pos++];
    if (op === '}') return value ?? '';
    if (op === '#' || op === '%' || op === '/') return this.pattern(op, value ?? '');
    const colon = op === ':';
    if (colon) op = this.text[this.pos++] ?? '';
    if (op !== '-' && op !== '+' && op !== '?') {
      throw this.error(`unsupported modifier (${colon ? ':' : ''}${op}) in \${${name}...}: use :-, -, :+, +, :?, ?, #, %, or /`);
    }
    const word = this.read('}').text;
    const unset = value === undefined || (colon && value === '');
    if (op === '-') return unset ? word : value;
    if (op === '+') return unset ? '' : word;
    if (unset) {
      const why = word !== '' ? word : colon ? 'is not allowed to be empty' : 'is not allowed to be unset';
      throw new InvalidArgumentError(`${name}: ${why}`);
    }
    return value;
  }

  /** The rest of ${NAME#glob}, ${NAME%glob}, ${NAME/glob/text} after the operator. */
  private pattern(op: string, value: string): string {
    if (op !== '/') {
      let glob = this.read('}', true).text;
      const longest = glob.startsWith(op);
      if (longest) glob = glob.slice(1);
      return op === '#' ? trimPrefix(value, glob, longest, this.escape) : trimSuffix(value, glob, longest, this.escape);
    }
    const all = this.text[this.pos] === '/';
    if (all) this.pos++;
    const glob = this.read('/', true).text;
    const text = this.read('}').text;
    return replaceMatches(value, glob, text, all, this.escape);
  }
}

/** One word expanded: quotes removed, escapes applied, variables substituted (unset: empty). */
export function expand(word: string, lookup: Lookup, escape: string): string {
  return new Expander(word, lookup, escape).read().text;
}

/**
 * Text split on unquoted whitespace first, then each word expanded as one word: a variable's value
 * is not split again. The rule of COPY/ADD sources and destination, VOLUME's plain form and FROM
 * (podman 4.3.1: ENV F="a b" then COPY $F /dst/ copies the one file "a b"; VOLUME $F makes the one
 * volume "/a /b"), where EXPOSE splits values (expandWords). Podman splits before looking at
 * quotes, so COPY "a b" /d/ is an unclosed quote there; here it is the one source "a b".
 */
export function expandEach(text: string, lookup: Lookup, escape: string): string[] {
  return splitRaw(text, escape).map((word) => expand(word, lookup, escape));
}

/**
 * A COPY/ADD heredoc body whose delimiter was not quoted: $ forms expanded as in a shell's
 * here-document, quotes kept as plain text (an apostrophe is fine), the escape character removed
 * only before $ and itself. (Podman 5 reads the body as a word with quotes kept, so an apostrophe
 * in it is an unclosed quote there and '$X' is not expanded; a shell expands it.)
 */
export function expandHeredoc(content: string, lookup: Lookup, escape: string): string {
  return new Expander(content, lookup, escape, true).read().text;
}

/** Text split on unquoted whitespace (also in unquoted variables' values), each word expanded: EXPOSE's rule. */
export function expandWords(text: string, lookup: Lookup, escape: string): string[] {
  return new Expander(text, lookup, escape).read().words;
}

/**
 * Text split on unquoted whitespace with nothing expanded and quotes and escapes kept, as
 * Docker splits ENV/LABEL/ARG arguments and finds heredoc words (`<<EOF`, `<<"EOF"`); unlike
 * Docker, whitespace inside ${...} does not split (ENV A=${X:-a b} is one pair, not an error).
 */
export function splitRaw(text: string, escape: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  let braces = 0; // inside ${...}: whitespace there belongs to the modifier's word (Docker splits it; we do not)
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote === '' && braces === 0 && isSpace(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    word += ch;
    if (ch === escape && quote !== "'" && i + 1 < text.length) {
      word += text[++i];
    } else if (quote === '' && (ch === '"' || ch === "'")) {
      quote = ch;
    } else if (ch === quote) {
      quote = '';
    } else if (quote !== "'" && ch === '$' && text[i + 1] === '{') {
      braces++;
    } else if (quote !== "'" && ch === '}' && braces > 0) {
      braces--;
    }
  }
  if (quote !== '') {
    const which = quote === '"' ? 'double' : 'single';
    throw lexError(text, `a ${which} quote is not closed: add the closing ${quote}`);
  }
  if (inWord) words.push(word);
  return words;
}

export interface NameValue {
  name: string;
  /** Undefined only for `ARG NAME` without a default. */
  value: string | undefined;
}

/**
 * ENV, LABEL and ARG arguments: `K=V K2="v 2"` (names and values expanded with `lookup`, which
 * the caller keeps as it was before the instruction), the legacy `ENV K some value` / `LABEL K
 * value` form (one pair, the rest of the line), and `ARG NAME` without a value.
 */
export function nameValues(args: string, keyword: 'ENV' | 'LABEL' | 'ARG', lookup: Lookup, escape: string): NameValue[] {
  const words = splitRaw(args, escape);
  const x = (word: string): string => expand(word, lookup, escape);
  if (words.length === 0) {
    throw new InvalidArgumentError(`${keyword} requires at least one argument: write ${keyword} NAME=VALUE`);
  }
  if (keyword !== 'ARG' && !words[0].includes('=')) {
    const legacy = /^(\S+)\s+(\S[\s\S]*)$/.exec(args.trim());
    if (!legacy) {
      throw new InvalidArgumentError(`${keyword} ${words[0]} has no value: write ${keyword} ${words[0]}=VALUE`);
    }
    return [{ name: x(legacy[1]), value: x(legacy[2]) }];
  }
  return words.map((word) => {
    const eq = word.indexOf('=');
    if (eq < 0 && keyword === 'ARG') return { name: x(word), value: undefined };
    if (eq < 0) {
      throw new InvalidArgumentError(`${keyword}: cannot find "=" in ${JSON.stringify(word)}: write each pair as NAME=VALUE (quote values with spaces)`);
    }
    const name = x(word.slice(0, eq));
    if (name === '') {
      throw new InvalidArgumentError(`${keyword}: a name cannot be blank in ${JSON.stringify(word)}: write NAME=VALUE`);
    }
    return { name, value: x(word.slice(eq + 1)) };
  });
}
