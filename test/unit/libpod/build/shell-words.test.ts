import { describe, expect, it } from 'vitest';
import { EXPANDING, expand, expandEach, expandHeredoc, expandWords, nameValues, splitRaw } from '../../../../libpod/build/shell-words';
import { InvalidArgumentError } from '../../../../src/errors';

const env: Record<string, string> = { A: 'a', B: 'two words', EMPTY: '', P: '/usr/bin', _u1: 'under' };
const lookup = (name: string): string | undefined => env[name];
const x = (word: string, escape = '\\'): string => expand(word, lookup, escape);
const words = (text: string, escape = '\\'): string[] => expandWords(text, lookup, escape);
const failure = (run: () => unknown): string => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidArgumentError);
    return (err as Error).message;
  }
  throw new Error('no error');
};

describe('expand: variables', () => {
  it('substitutes $NAME and ${NAME}, names of letters, digits and _', () => {
    expect(x('$A-${A}x$Ax${_u1}.$P/sh')).toBe('a-axunder./usr/bin/sh');
    expect(x('$A$A')).toBe('aa');
    expect(x('${P}/sh')).toBe('/usr/bin/sh');
  });

  it('expands an unset variable to nothing', () => {
    expect(x('[$NOPE][${NOPE}]')).toBe('[][]');
  });

  it('keeps a $ not followed by a name', () => {
    expect(x('$ $- a$ $/ 5$')).toBe('$ $- a$ $/ 5$');
  });

  it('takes only digits after $ and a digit (positional, never set)', () => {
    expect(x('$1A')).toBe('A');
  });

  it('applies ${V:-word} and ${V-word}: the colon form also replaces an empty value', () => {
    expect([x('${A:-d}'), x('${EMPTY:-d}'), x('${NOPE:-d}')]).toEqual(['a', 'd', 'd']);
    expect([x('${A-d}'), x('${EMPTY-d}'), x('${NOPE-d}')]).toEqual(['a', '', 'd']);
  });

  it('applies ${V:+word} and ${V+word}', () => {
    expect([x('${A:+w}'), x('${EMPTY:+w}'), x('${NOPE:+w}')]).toEqual(['w', '', '']);
    expect([x('${A+w}'), x('${EMPTY+w}'), x('${NOPE+w}')]).toEqual(['w', 'w', '']);
  });

  it('expands the modifier word: variables, nested modifiers and quotes', () => {
    expect(x('${NOPE:-$A/${P}}')).toBe('a//usr/bin');
    expect(x('${NOPE:-${EMPTY:-deep}}')).toBe('deep');
    expect(x('${NOPE:-"a }"}')).toBe('a }');
    expect(x("${NOPE:-'$A'}")).toBe('$A');
    expect(x('${NOPE:-x\\}y}')).toBe('x}y');
  });

  it('passes ${V:?msg} and ${V?msg} when set, and fails with the message when not', () => {
    expect(x('${A:?need A}')).toBe('a');
    expect(x('${EMPTY?need}')).toBe('');
    expect(failure(() => x('${NOPE:?set NOPE with --build-arg}'))).toBe('NOPE: set NOPE with --build-arg');
    expect(failure(() => x('${EMPTY:?}'))).toBe('EMPTY: is not allowed to be empty');
    expect(failure(() => x('${NOPE?}'))).toBe('NOPE: is not allowed to be unset');
  });

  it('refuses an unclosed ${, an empty name and other modifiers', () => {
    expect(failure(() => x('${A'))).toBe('cannot expand "${A": missing "}"');
    expect(failure(() => x('${A:-x'))).toBe('cannot expand "${A:-x": missing "}"');
    expect(failure(() => x('${}'))).toBe('cannot expand "${}": bad substitution: "${" must be followed by a variable name');
    expect(failure(() => x('${A:=x}'))).toBe('cannot expand "${A:=x}": unsupported modifier (:=) in ${A...}: use :-, -, :+, +, :?, ?, #, %, or /');
    expect(failure(() => x('${A=x}'))).toBe('cannot expand "${A=x}": unsupported modifier (=) in ${A...}: use :-, -, :+, +, :?, ?, #, %, or /');
  });
});

describe('expand: pattern modifiers', () => {
  const file: Record<string, string> = { F: 'archive.tar.gz', U: 'a/b/c', S: 'x*y', N: 'line1\nline2' };
  const px = (word: string): string => expand(word, (name) => file[name], '\\');

  it('removes the shortest and the longest matching prefix with # and ##', () => {
    expect([px('${F#*.}'), px('${F##*.}'), px('${U#*/}'), px('${U##*/}')]).toEqual(['tar.gz', 'gz', 'b/c', 'c']);
  });

  it('removes the shortest and the longest matching suffix with % and %%', () => {
    expect([px('${F%.*}'), px('${F%%.*}'), px('${U%/*}'), px('${U%%/*}')]).toEqual(['archive.tar', 'archive', 'a/b', 'a']);
  });

  it('leaves the value alone when nothing matches, and gives nothing for an unset name', () => {
    expect([px('${F#zip}'), px('${F%.zip}'), px('${NOPE#*}'), px('${F/zip/x}')]).toEqual(['archive.tar.gz', 'archive.tar.gz', '', 'archive.tar.gz']);
  });

  it('replaces the first longest match with / and every match with //', () => {
    expect([px('${U/\\//-}'), px('${U//\\//-}'), px('${F/a*a/X}'), px('${F//[aeiou]/}')]).toEqual(['a-b/c', 'a-b-c', 'Xr.gz', 'rchv.tr.gz']);
  });

  it('understands ?, classes, negated classes and an escaped wildcard', () => {
    expect([px('${F#?r}'), px('${F#[a-c]}'), px('${F#[!a]}'), px('${S#x\\*}'), px('${S#x\\?}')]).toEqual(['chive.tar.gz', 'rchive.tar.gz', 'archive.tar.gz', 'y', 'x*y']);
  });

  it('lets * match across newlines', () => {
    expect(px('${N#*1}')).toBe('\nline2');
  });

  it('expands variables in the pattern and the replacement', () => {
    expect(expand('${F%.$E}/${U//\\//$R}', (name) => ({ ...file, E: 'gz', R: '::' })[name], '\\')).toBe('archive.tar/a::b::c');
  });

  it('refuses the colon with # and %, and a replacement without its closing /', () => {
    expect(failure(() => px('${F:#x}'))).toBe('cannot expand "${F:#x}": unsupported modifier (:#) in ${F...}: use :-, -, :+, +, :?, ?, #, %, or /');
    expect(failure(() => px('${F/x}'))).toBe('cannot expand "${F/x}": missing "/"');
  });
});

describe('expand: quotes and escapes', () => {
  it('keeps single-quoted text literal, $ and escapes included', () => {
    expect(x("'$A \\n \"'")).toBe('$A \\n "');
  });

  it('expands inside double quotes and removes them', () => {
    expect(x('"$A  ${B}"')).toBe('a  two words');
    expect(x('pre"$A"post')).toBe('preapost');
  });

  it('escapes only ", $ and the escape character inside double quotes', () => {
    expect(x('"\\"\\$A\\\\\\n\\a"')).toBe('"$A\\\\n\\a');
  });

  it('makes any character literal after the escape outside quotes, and drops the escape', () => {
    expect(x('\\$A\\ \\"\\\'\\\\x\\n')).toBe('$A "\'\\xn');
  });

  it('drops an escape at the very end', () => {
    expect(x('abc\\')).toBe('abc');
  });

  it('uses the backtick as the escape character under # escape=`', () => {
    expect(x('`$A c:\\dir "`"" `\\', '`')).toBe('$A c:\\dir " \\');
    expect(x('\\$A', '`')).toBe('\\a');
  });

  it('refuses unclosed quotes', () => {
    expect(failure(() => x('"abc'))).toBe('cannot expand "\\"abc": a double quote is not closed: add the closing "');
    expect(failure(() => x("it's"))).toBe('cannot expand "it\'s": a single quote is not closed: add the closing \'');
  });

  it('keeps whitespace inside one word', () => {
    expect(x('a  b\t$B')).toBe('a  b\ttwo words');
  });
});

describe('expandWords', () => {
  it('splits on unquoted whitespace and expands each word', () => {
    expect(words('  80/tcp  $A "x y"z  \'$B\'  ')).toEqual(['80/tcp', 'a', 'x yz', '$B']);
  });

  it('splits an unquoted variable value, keeps a quoted one whole', () => {
    expect(words('$B "$B" pre$B')).toEqual(['two', 'words', 'two words', 'pretwo', 'words']);
  });

  it('keeps an escaped space inside a word', () => {
    expect(words('/my\\ dir /b')).toEqual(['/my dir', '/b']);
  });

  it('drops an unquoted empty variable but keeps quoted empty words', () => {
    expect(words('$EMPTY $NOPE a')).toEqual(['a']);
    expect(words('"" a \'\'')).toEqual(['', 'a', '']);
  });

  it('gives no words for blank text', () => {
    expect(words(' \t ')).toEqual([]);
  });
});

describe('expandEach', () => {
  const each = (text: string, escape = '\\'): string[] => expandEach(text, lookup, escape);

  it('splits the written words, then expands each without splitting values (COPY, VOLUME, FROM)', () => {
    // podman 4.3.1: ENV F="a b" + COPY $F /dst/ copied the one file "a b"; VOLUME $V gave {"/a /b":{}}
    expect(each('$B  /dst/')).toEqual(['two words', '/dst/']);
    expect(each('${NOPE:-x y} "a b" c\\ d \'$A\'')).toEqual(['x y', 'a b', 'c d', '$A']);
  });

  it('keeps an expanded empty word (the caller decides what an empty path means)', () => {
    expect(each('$NOPE /d')).toEqual(['', '/d']);
  });

  it('uses the given escape character', () => {
    expect(each('c:\\a` b `$A', '`')).toEqual(['c:\\a b', '$A']);
  });
});

describe('expandHeredoc', () => {
  const body = (text: string, escape = '\\'): string => expandHeredoc(text, lookup, escape);

  it('expands variables on every line, inside quotes too, keeping the quotes', () => {
    expect(body('A=$A\nit\'s "${B}" and \'$A\'\n${NOPE:-none}\n')).toBe('A=a\nit\'s "two words" and \'a\'\nnone\n');
  });

  it('removes the escape character only before $ and itself', () => {
    expect(body('\\$A \\\\ \\n \\"\n')).toBe('$A \\ \\n \\"\n');
    expect(body('`$A `` \\$A\n', '`')).toBe('$A ` \\a\n');
  });

  it('keeps a trailing escape and whitespace as they are', () => {
    expect(body('  x  \\')).toBe('  x  \\');
  });
});

describe('splitRaw', () => {
  it('splits on unquoted whitespace keeping quotes and escapes', () => {
    expect(splitRaw('a="b c" d\\ e \'f g\' <<"EOF"', '\\')).toEqual(['a="b c"', 'd\\ e', "'f g'", '<<"EOF"']);
  });

  it('keeps whitespace inside ${...} in the word, nested too', () => {
    expect(splitRaw('A=${X:-a b} B=${Y:+${Z:-c d}} "${Q:- }" \'${\' x', '\\')).toEqual(['A=${X:-a b}', 'B=${Y:+${Z:-c d}}', '"${Q:- }"', "'${'", 'x']);
    expect(nameValues('A=${NOPE:-a b} C=1', 'ENV', lookup, '\\')).toEqual([{ name: 'A', value: 'a b' }, { name: 'C', value: '1' }]);
  });

  it('does not take the escape character as one inside single quotes', () => {
    expect(splitRaw("'a\\' b", '\\')).toEqual(["'a\\'", 'b']);
  });
});

describe('nameValues', () => {
  const pairs = (args: string, keyword: 'ENV' | 'LABEL' | 'ARG' = 'ENV', escape = '\\') => nameValues(args, keyword, lookup, escape);

  it('reads NAME=VALUE pairs, each expanded with the lookup given', () => {
    expect(pairs('K=V K2="v 2" K3=$A K4=${B}x K5= K6=a=b')).toEqual([
      { name: 'K', value: 'V' },
      { name: 'K2', value: 'v 2' },
      { name: 'K3', value: 'a' },
      { name: 'K4', value: 'two wordsx' },
      { name: 'K5', value: '' },
      { name: 'K6', value: 'a=b' },
    ]);
  });

  it('expands names and keeps escaped and quoted text as Docker does', () => {
    expect(pairs('N_$A=1 "q"=x\\ y \'s\'=\'$A\'')).toEqual([
      { name: 'N_a', value: '1' },
      { name: 'q', value: 'x y' },
      { name: 's', value: '$A' },
    ]);
  });

  it('uses the lookup as it was before the instruction: a pair does not see an earlier pair', () => {
    expect(pairs('A=changed C=$A')).toEqual([
      { name: 'A', value: 'changed' },
      { name: 'C', value: 'a' },
    ]);
  });

  it('reads the legacy form as one pair: the rest of the line, expanded as one word', () => {
    expect(pairs('K some  "quoted  value" $A')).toEqual([{ name: 'K', value: 'some  quoted  value a' }]);
    expect(pairs('maintainer Jane Doe', 'LABEL')).toEqual([{ name: 'maintainer', value: 'Jane Doe' }]);
  });

  it('reads ARG names with and without defaults, several on one line', () => {
    expect(pairs('VERSION', 'ARG')).toEqual([{ name: 'VERSION', value: undefined }]);
    expect(pairs('A B=2 C=${A}', 'ARG')).toEqual([
      { name: 'A', value: undefined },
      { name: 'B', value: '2' },
      { name: 'C', value: 'a' },
    ]);
  });

  it('refuses no arguments', () => {
    expect(failure(() => pairs('', 'ENV'))).toBe('ENV requires at least one argument: write ENV NAME=VALUE');
    expect(failure(() => pairs('  ', 'ARG'))).toBe('ARG requires at least one argument: write ARG NAME=VALUE');
  });

  it('refuses a legacy ENV or LABEL without a value', () => {
    expect(failure(() => pairs('K'))).toBe('ENV K has no value: write ENV K=VALUE');
    expect(failure(() => pairs('k', 'LABEL'))).toBe('LABEL k has no value: write LABEL k=VALUE');
  });

  it('refuses a word without = after a pair', () => {
    expect(failure(() => pairs('a=b c'))).toBe('ENV: cannot find "=" in "c": write each pair as NAME=VALUE (quote values with spaces)');
  });

  it('refuses a blank name', () => {
    expect(failure(() => pairs('=x'))).toBe('ENV: a name cannot be blank in "=x": write NAME=VALUE');
    expect(failure(() => pairs('=x', 'ARG'))).toBe('ARG: a name cannot be blank in "=x": write NAME=VALUE');
  });

  it('refuses an unclosed quote', () => {
    expect(failure(() => pairs('a="b', 'LABEL'))).toBe('cannot expand "a=\\"b": a double quote is not closed: add the closing "');
  });
});

describe('EXPANDING', () => {
  it('holds the instructions the builder expands, not those the shell or a trigger does', () => {
    expect([...EXPANDING].sort()).toEqual(['ADD', 'ARG', 'COPY', 'ENV', 'EXPOSE', 'FROM', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);
  });
});

describe('nameValues against podman', () => {
  it('gives the labels podman 4.3.1 built from the same lines', () => {
    // podman build of these lines, then `podman image inspect --format '{{json .Labels}}'`, gave
    // {"c":"a","l1":"\"$A\\\\n\\a","l2":"$A \\n","l3":"$A \"x","l4":"a/two words","l5":"e",
    //  "l7":"preapost","l8":"w","l9":"A","legacy":"some  quoted  value a"}
    const env = new Map<string, string>();
    const labels: Record<string, string | undefined> = {};
    const run = (keyword: 'ENV' | 'LABEL', args: string): void => {
      const before = new Map(env);
      for (const { name, value } of nameValues(args, keyword, (name) => before.get(name), '\\')) {
        if (keyword === 'ENV') env.set(name, value ?? '');
        else labels[name] = value;
      }
    };
    run('ENV', 'A=a B="two words" EMPTY=');
    run('LABEL', 'l1="\\"\\$A\\\\\\n\\a" l2=\'$A \\n\' l3=\\$A\\ \\"x l4=${NOPE:-$A/${B}} l5=${EMPTY:-e} l7=pre"$A"post l8=${B:+w} l9=$1A');
    run('LABEL', 'legacy some  "quoted  value" $A');
    run('ENV', 'A=changed C=$A');
    run('LABEL', 'c=$C');
    expect(labels).toEqual({
      l1: '"$A\\\\n\\a',
      l2: '$A \\n',
      l3: '$A "x',
      l4: 'a/two words',
      l5: 'e',
      l7: 'preapost',
      l8: 'w',
      l9: 'A',
      legacy: 'some  quoted  value a',
      c: 'a',
    });
  });
});
