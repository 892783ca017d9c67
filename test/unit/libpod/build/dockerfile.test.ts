import { describe, expect, it } from 'vitest';
import { parseDockerfile, parseInstruction } from '../../../../libpod/build/dockerfile';
import type { Instruction } from '../../../../libpod/build/types';
import { InvalidArgumentError } from '../../../../src/errors';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;
const parse = (...text: string[]): Instruction[] => parseDockerfile(lines(...text)).instructions;
/** The instructions after the leading FROM. */
const after = (...text: string[]): Instruction[] => parse('FROM base', ...text).slice(1);
const one = (...text: string[]): Instruction => {
  const found = after(...text);
  expect(found).toHaveLength(1);
  return found[0];
};
const failure = (text: string, file?: string): string => {
  try {
    parseDockerfile(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidArgumentError);
    return (err as Error).message;
  }
  throw new Error('parsed without an error');
};

describe('parseDockerfile: instructions and lines', () => {
  it('gives each instruction its upper-case keyword, trimmed args, 1-based line and original text', () => {
    expect(parse('from alpine:3.20 AS build', '', '  run   echo  hi  ')).toEqual([
      { keyword: 'FROM', flags: [], args: 'alpine:3.20 AS build', heredocs: [], line: 1, original: 'from alpine:3.20 AS build' },
      { keyword: 'RUN', flags: [], args: 'echo  hi', heredocs: [], line: 3, original: 'run   echo  hi  ' },
    ]);
  });

  it('drops comment lines, also indented ones, and keeps # inside arguments', () => {
    expect(after('# a comment', '   # indented comment', 'RUN echo # not a comment')).toEqual([
      { keyword: 'RUN', flags: [], args: 'echo # not a comment', heredocs: [], line: 4, original: 'RUN echo # not a comment' },
    ]);
  });

  it('joins continuation lines as podman prints them: escape removed, the rest kept as is', () => {
    // podman 4.3.1 prints this step as "STEP 4/4: RUN echo a     b   \tc &&   true"
    const run = one('RUN echo a \\', '    b   \\', '\tc && \\', '  true');
    expect(run.original).toBe('RUN echo a     b   \tc &&   true');
    expect(run.args).toBe('echo a     b   \tc &&   true');
    expect(run.line).toBe(2);
  });

  it('allows whitespace after the escape character at the end of a line', () => {
    // podman 4.3.1: "label  x=1 \  " + "  y=2   " prints as "label  x=1   y=2   "
    const label = one('label  x=1 \\  ', '  y=2   ');
    expect(label.original).toBe('label  x=1   y=2   ');
    expect(label.args).toBe('x=1   y=2');
  });

  it('drops comment lines and blank lines inside a continuation', () => {
    const label = one('LABEL a=b \\', '  # a comment', '', '      c="d  e"   \\', '   f=g');
    expect(label.original).toBe('LABEL a=b       c="d  e"      f=g');
    expect(parse('FROM base', 'LABEL a=b \\', '  # a comment', '', '   f=g', 'USER 1').map((i) => [i.keyword, i.line])).toEqual([
      ['FROM', 1],
      ['LABEL', 2],
      ['USER', 6],
    ]);
  });

  it('numbers lines after a continuation by where the keyword is', () => {
    expect(after('RUN a \\', 'b \\', 'c', 'RUN d').map((i) => i.line)).toEqual([2, 5]);
  });

  it('ends a continuation at the end of the file, dropping the trailing escape', () => {
    const [, run] = parseDockerfile('FROM base\nRUN echo a \\').instructions;
    expect(run.args).toBe('echo a');
    expect(run.original).toBe('RUN echo a ');
  });

  it('accepts CRLF line endings and a byte-order mark', () => {
    const dockerfile = parseDockerfile('\uFEFFFROM base\r\nRUN a \\\r\n  b\r\n');
    expect(dockerfile.instructions.map((i) => i.original)).toEqual(['FROM base', 'RUN a   b']);
  });

  it('keeps the escape character inside arguments (expansion is later)', () => {
    expect(one('ENV A=x\\ y B="q\\"r"').args).toBe('ENV A=x\\ y B="q\\"r"'.slice(4));
  });

  it('accepts every keyword, in any case', () => {
    const keywords = ['MAINTAINER', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL', 'ARG', 'LABEL', 'EXPOSE', 'ENV', 'USER', 'WORKDIR', 'VOLUME', 'CMD', 'ENTRYPOINT', 'FROM', 'RUN', 'COPY', 'ADD'];
    const args: Record<string, string> = { ONBUILD: 'RUN true', SHELL: '["sh", "-c"]' };
    const found = after(...keywords.map((k) => `${k.toLowerCase()} ${args[k] ?? 'x'}`));
    expect(found.map((i) => i.keyword)).toEqual(keywords);
  });
});

describe('parseDockerfile: parser directives', () => {
  it('reads syntax, escape and check at the top, names in any case, stored lower-case', () => {
    const dockerfile = parseDockerfile(lines('# syntax=docker/dockerfile:1', '#  ESCAPE = `', '# Check=skip=all', 'FROM base'));
    expect(dockerfile.directives).toEqual({ syntax: 'docker/dockerfile:1', escape: '`', check: 'skip=all' });
    expect(dockerfile.escape).toBe('`');
  });

  it('uses \\ as the escape character when there is no directive', () => {
    expect(parseDockerfile(lines('FROM base')).escape).toBe('\\');
    expect(parseDockerfile(lines('FROM base')).directives).toEqual({});
  });

  it('continues lines with the backtick under # escape=` and leaves \\ alone', () => {
    const dockerfile = parseDockerfile(lines('# escape=`', 'FROM base', 'RUN dir c:\\ `', '  # inside', '  /w'));
    expect(dockerfile.instructions[1].args).toBe('dir c:\\   /w');
    expect(parseDockerfile(lines('# escape=`', 'FROM base', 'RUN a \\', 'USER b')).instructions.map((i) => i.args)).toEqual(['base', 'a \\', 'b']);
  });

  it('stops looking for directives at a blank line, a comment or an instruction', () => {
    expect(parseDockerfile(lines('', '# escape=`', 'FROM base')).directives).toEqual({});
    expect(parseDockerfile(lines('# a comment', '# escape=`', 'FROM base')).escape).toBe('\\');
    expect(parseDockerfile(lines('FROM base', '# escape=`')).directives).toEqual({});
  });

  it('treats an unknown directive as a comment that ends the directives', () => {
    const dockerfile = parseDockerfile(lines('# foo=bar', '# escape=`', 'FROM base'));
    expect(dockerfile.directives).toEqual({});
    expect(dockerfile.escape).toBe('\\');
  });

  it('refuses a directive given twice, naming file and line', () => {
    expect(failure(lines('# escape=`', '# Escape=\\', 'FROM base'), 'Dockerfile.dev')).toBe(
      'Dockerfile.dev:2: the "escape" parser directive is given twice: keep one',
    );
  });

  it('refuses an escape character other than \\ or `', () => {
    expect(failure(lines('# escape=x', 'FROM base'))).toBe('Containerfile:1: invalid escape directive "x": use \\ or `');
  });
});

describe('parseDockerfile: flags', () => {
  it('parses --name=value and --name off the front of COPY, keeping values as written', () => {
    const copy = one('COPY --from=build --chown="1:1" --link  a b /dst/');
    expect(copy.flags).toEqual([
      { name: 'from', value: 'build' },
      { name: 'chown', value: '"1:1"' },
      { name: 'link', value: undefined },
    ]);
    expect(copy.args).toBe('a b /dst/');
    expect(copy.original).toBe('COPY --from=build --chown="1:1" --link  a b /dst/');
  });

  it('parses FROM --platform, RUN --mount, ADD --chmod and HEALTHCHECK timings', () => {
    expect(parse('FROM --platform=$BUILDPLATFORM base AS b')[0]).toMatchObject({ flags: [{ name: 'platform', value: '$BUILDPLATFORM' }], args: 'base AS b' });
    expect(one('RUN --mount=type=cache,target=/root/.cache --network=none make')).toMatchObject({
      flags: [{ name: 'mount', value: 'type=cache,target=/root/.cache' }, { name: 'network', value: 'none' }],
      args: 'make',
    });
    expect(one('ADD --chmod=755 x /y')).toMatchObject({ flags: [{ name: 'chmod', value: '755' }], args: 'x /y' });
    expect(one('HEALTHCHECK --interval=5s --retries=3 CMD curl -f http://x/')).toMatchObject({
      flags: [{ name: 'interval', value: '5s' }, { name: 'retries', value: '3' }],
      args: 'CMD curl -f http://x/',
    });
  });

  it('stops reading flags at the first other word and at --', () => {
    expect(one('RUN echo --not-a-flag')).toMatchObject({ flags: [], args: 'echo --not-a-flag' });
    expect(one('COPY --chown=1 -- --odd-name /d')).toMatchObject({ flags: [{ name: 'chown', value: '1' }], args: '--odd-name /d' });
  });

  it('reads a quoted flag value with spaces as one word', () => {
    expect(one('RUN --mount="type=bind,source=a b" ls').flags).toEqual([{ name: 'mount', value: '"type=bind,source=a b"' }]);
  });

  it('leaves --words in the arguments of instructions that take no flags', () => {
    expect(one('CMD --help')).toMatchObject({ flags: [], args: '--help' });
    expect(one('ENTRYPOINT --x=1 y')).toMatchObject({ flags: [], args: '--x=1 y' });
  });

  it('refuses a flag the instruction does not take', () => {
    expect(failure(lines('FROM base', 'COPY --form=build a b'))).toBe(
      'Containerfile:2: unknown flag --form for COPY: COPY takes --from, --chown, --chmod, --link, --parents, --exclude',
    );
  });
});

describe('parseDockerfile: exec (JSON) form', () => {
  it('parses a JSON array of strings for RUN, CMD, ENTRYPOINT, SHELL, VOLUME, COPY and ADD', () => {
    const found = after('RUN ["sh", "-c", "echo hi"]', 'CMD []', 'ENTRYPOINT ["/init"]', 'SHELL ["/bin/bash","-c"]', 'VOLUME ["/a", "/b c"]', 'COPY ["a b", "/d/"]', 'ADD --chown=1 ["x","/y"]');
    expect(found.map((i) => i.json)).toEqual([['sh', '-c', 'echo hi'], [], ['/init'], ['/bin/bash', '-c'], ['/a', '/b c'], ['a b', '/d/'], ['x', '/y']]);
  });

  it('decodes JSON escapes in the exec form', () => {
    expect(one('CMD ["echo", "a\\"b", "\\u00e9\\\\"]').json).toEqual(['echo', 'a"b', 'é\\']);
  });

  it('falls back to the shell form when the array is not valid JSON', () => {
    for (const text of ["CMD ['single', 'quotes']", 'CMD [echo, hi]', 'RUN [ -f /x ] && echo yes', 'CMD ["a",]']) {
      const cmd = one(text);
      expect(cmd.json).toBeUndefined();
      expect(cmd.args).toBe(text.slice(4));
    }
  });

  it('has no JSON form for other instructions', () => {
    expect(one('LABEL ["a"]').json).toBeUndefined();
    expect(one('EXPOSE ["80"]').json).toBeUndefined();
  });

  it('refuses a JSON array holding something other than strings', () => {
    expect(failure(lines('FROM base', 'CMD ["sleep", 10]'))).toBe(
      'Containerfile:2: CMD ["sleep", 10]: a JSON array here must hold strings only: quote each element',
    );
  });

  it('refuses SHELL in shell form or with an empty array, as Docker does', () => {
    const message = 'Containerfile:2: SHELL takes its command in JSON form: write SHELL ["/bin/sh", "-c"]';
    expect(failure(lines('FROM base', 'SHELL /bin/bash -c'))).toBe(message);
    expect(failure(lines('FROM base', 'SHELL []'))).toBe(message);
  });

  it('joins a continued exec form', () => {
    expect(one('ENTRYPOINT ["a", \\', '  "b"]').json).toEqual(['a', 'b']);
  });
});

describe('parseDockerfile: heredocs', () => {
  it('reads a RUN <<EOF body up to the delimiter, each line ending in a newline', () => {
    const found = after('RUN <<EOF', 'set -e', '# not a comment here', '', 'echo "$HOME" \\', 'EOF', 'USER 1');
    expect(found[0]).toEqual({
      keyword: 'RUN',
      flags: [],
      args: '<<EOF',
      heredocs: [{ name: 'EOF', content: 'set -e\n# not a comment here\n\necho "$HOME" \\\n', expand: true }],
      line: 2,
      original: 'RUN <<EOF',
    });
    expect(found[1]).toMatchObject({ keyword: 'USER', line: 8 });
  });

  it('strips leading tabs from the body and the delimiter for <<-', () => {
    expect(one('RUN <<-EOT', '\t\techo a', '\t  b', '  \tc', '\tEOT').heredocs).toEqual([
      { name: 'EOT', content: 'echo a\n  b\n  \tc\n', expand: true },
    ]);
  });

  it('does not take an indented delimiter as the end of a plain <<', () => {
    expect(one('RUN <<EOF', '\tEOF', 'EOF').heredocs[0].content).toBe('\tEOF\n');
  });

  it('marks quoted delimiters as not expanded', () => {
    expect(one('RUN <<"EOF"', '$A', 'EOF').heredocs).toEqual([{ name: 'EOF', content: '$A\n', expand: false }]);
    expect(one("RUN <<'EOF'", '$A', 'EOF').heredocs).toEqual([{ name: 'EOF', content: '$A\n', expand: false }]);
    expect(one('RUN <<-"EOF"', '\t$A', '\tEOF').heredocs).toEqual([{ name: 'EOF', content: '$A\n', expand: false }]);
    expect(one("RUN <<E'O'F", '$A', 'EOF').heredocs).toEqual([{ name: 'EOF', content: '$A\n', expand: false }]);
    // an escaped delimiter is expanded all the same in Docker (only quotes count)
    expect(one('RUN <<\\EOF', '$A', 'EOF').heredocs).toEqual([{ name: 'EOF', content: '$A\n', expand: true }]);
  });

  it('reads several heredocs on one instruction in order', () => {
    const copy = one('COPY <<A <<B /dir/', 'aaa', 'A', 'bbb', 'B');
    expect(copy.heredocs).toEqual([
      { name: 'A', content: 'aaa\n', expand: true },
      { name: 'B', content: 'bbb\n', expand: true },
    ]);
    expect(copy.args).toBe('<<A <<B /dir/');
    expect(parse('FROM base', 'COPY <<A <<B /dir/', 'aaa', 'A', 'bbb', 'B', 'RUN true')[2]).toMatchObject({ keyword: 'RUN', line: 7 });
  });

  it('reads heredocs with a command around them and a file descriptor', () => {
    expect(one('RUN 3<<EOF cat <&3 > /out', 'x', 'EOF').heredocs).toEqual([{ name: 'EOF', content: 'x\n', expand: true, fd: 3 }]);
    expect(one('RUN python3 <<PY', 'print(1)', 'PY').heredocs).toEqual([{ name: 'PY', content: 'print(1)\n', expand: true }]);
  });

  it('reads COPY <<EOF /path and an empty body', () => {
    expect(one('COPY <<EOF /etc/x.conf', 'EOF')).toMatchObject({ args: '<<EOF /etc/x.conf', heredocs: [{ name: 'EOF', content: '', expand: true }] });
  });

  it('finds a heredoc on a continued line, after the flags', () => {
    const run = one('RUN --network=none \\', '  <<EOF', 'true', 'EOF');
    expect(run.flags).toEqual([{ name: 'network', value: 'none' }]);
    expect(run.heredocs).toEqual([{ name: 'EOF', content: 'true\n', expand: true }]);
  });

  it('reads a heredoc on an ONBUILD RUN trigger', () => {
    expect(one('ONBUILD RUN <<EOF', 'echo later', 'EOF')).toMatchObject({ args: 'RUN <<EOF', heredocs: [{ name: 'EOF', content: 'echo later\n' }] });
  });

  it('ignores << in quotes, here-strings, the exec form and other instructions', () => {
    expect(one('RUN echo "<<EOF"').heredocs).toEqual([]);
    expect(one('RUN cat <<<word').heredocs).toEqual([]);
    // Docker takes only an attached delimiter: `<< EOF` and a bare `<<-` announce no heredoc
    expect(one('RUN cat << EOF').heredocs).toEqual([]);
    expect(one('RUN cat <<- EOF').heredocs).toEqual([]);
    expect(one('RUN ["cat", "<<EOF"]').heredocs).toEqual([]);
    expect(after('LABEL a=<<EOF', 'USER x').map((i) => i.keyword)).toEqual(['LABEL', 'USER']);
  });

  it('refuses a heredoc that never ends', () => {
    expect(failure(lines('FROM base', 'RUN <<EOF', 'echo hi', 'EO'))).toBe('Containerfile:2: heredoc EOF is not terminated: end it with a line "EOF"');
  });
});

describe('parseDockerfile: errors', () => {
  it('names the file, line and keyword of an unknown instruction', () => {
    expect(failure(lines('FROM base', 'RUN a \\', '  b', 'foo bar'))).toBe('Containerfile:4: unknown instruction: FOO');
    expect(failure(lines('FROM base', 'CPY a b'), '/ctx/Dockerfile')).toBe('/ctx/Dockerfile:2: unknown instruction: CPY');
  });

  it('refuses an empty file', () => {
    expect(failure('', 'Dockerfile')).toBe('no contents in "Dockerfile": a Containerfile needs at least a FROM instruction');
    expect(failure(' \n\n')).toBe('no contents in "Containerfile": a Containerfile needs at least a FROM instruction');
  });

  it('refuses a file without FROM', () => {
    const message = 'no FROM instruction in "Containerfile": a Containerfile starts with FROM IMAGE (only ARG may come before it)';
    expect(failure(lines('# only a comment'))).toBe(message);
    expect(failure(lines('ARG X=1', 'RUN true'))).toBe(message);
    expect(failure(lines('ARG X=1', 'RUN true', 'FROM base'))).toBe('Containerfile:2: RUN comes before the first FROM: only ARG may come before FROM');
    expect(failure(lines('ARG X=1'))).toBe(message);
  });

  it('accepts ARG before the first FROM', () => {
    expect(parse('ARG BASE=alpine', 'FROM $BASE').map((i) => i.keyword)).toEqual(['ARG', 'FROM']);
  });

  it('refuses ONBUILD triggers Docker refuses', () => {
    expect(failure(lines('FROM base', 'ONBUILD ONBUILD RUN x'))).toBe('Containerfile:2: ONBUILD ONBUILD is not allowed: an ONBUILD trigger cannot be another ONBUILD');
    expect(failure(lines('FROM base', 'ONBUILD from x'))).toBe('Containerfile:2: FROM is not allowed as an ONBUILD trigger');
    expect(failure(lines('FROM base', 'ONBUILD'))).toBe('Containerfile:2: ONBUILD needs an instruction to run later: write ONBUILD INSTRUCTION ARGUMENTS');
    expect(failure(lines('FROM base', 'ONBUILD BOGUS x'))).toBe('Containerfile:2: unknown instruction: BOGUS');
  });
});

describe('parseInstruction', () => {
  it('parses one trigger line with the given escape and line', () => {
    expect(parseInstruction('  copy --chown=1:1 a /b', '\\', 7)).toEqual({
      keyword: 'COPY',
      flags: [{ name: 'chown', value: '1:1' }],
      args: 'a /b',
      heredocs: [],
      line: 7,
      original: 'copy --chown=1:1 a /b',
    });
  });

  it('defaults the line to 1 and finds the JSON form', () => {
    expect(parseInstruction('CMD ["x"]', '`')).toMatchObject({ line: 1, json: ['x'] });
  });

  it('throws InvalidArgumentError without a location', () => {
    expect(() => parseInstruction('NOPE x', '\\')).toThrow(new InvalidArgumentError('unknown instruction: NOPE'));
    expect(() => parseInstruction('   ', '\\')).toThrow(new InvalidArgumentError('empty instruction: write a keyword such as FROM, RUN or COPY'));
  });
});

describe('parseDockerfile: a whole multi-stage file', () => {
  it('parses every instruction of a realistic Containerfile exactly', () => {
    const text = [
      '# syntax=docker/dockerfile:1.7',
      '',
      'ARG GO=1.22',
      'FROM golang:${GO} AS build',
      'WORKDIR /src',
      'COPY --link go.mod go.sum ./',
      'RUN --mount=type=cache,target=/root/.cache \\',
      '    go mod download',
      '# build it',
      'RUN <<EOT',
      'set -eu',
      'go build -o /out/app .',
      'EOT',
      '',
      'FROM alpine:3.20',
      'COPY --from=build --chmod=0755 /out/app /usr/local/bin/app',
      'EXPOSE 8080/tcp',
      'HEALTHCHECK --interval=30s CMD ["app", "health"]',
      'ENTRYPOINT ["app"]',
    ].join('\n');
    const plain = { flags: [], heredocs: [] };
    expect(parseDockerfile(text, 'Dockerfile')).toEqual({
      escape: '\\',
      directives: { syntax: 'docker/dockerfile:1.7' },
      instructions: [
        { ...plain, keyword: 'ARG', args: 'GO=1.22', line: 3, original: 'ARG GO=1.22' },
        { ...plain, keyword: 'FROM', args: 'golang:${GO} AS build', line: 4, original: 'FROM golang:${GO} AS build' },
        { ...plain, keyword: 'WORKDIR', args: '/src', line: 5, original: 'WORKDIR /src' },
        { ...plain, keyword: 'COPY', flags: [{ name: 'link', value: undefined }], args: 'go.mod go.sum ./', line: 6, original: 'COPY --link go.mod go.sum ./' },
        {
          ...plain,
          keyword: 'RUN',
          flags: [{ name: 'mount', value: 'type=cache,target=/root/.cache' }],
          args: 'go mod download',
          line: 7,
          original: 'RUN --mount=type=cache,target=/root/.cache     go mod download',
        },
        {
          ...plain,
          keyword: 'RUN',
          args: '<<EOT',
          heredocs: [{ name: 'EOT', content: 'set -eu\ngo build -o /out/app .\n', expand: true }],
          line: 10,
          original: 'RUN <<EOT',
        },
        { ...plain, keyword: 'FROM', args: 'alpine:3.20', line: 15, original: 'FROM alpine:3.20' },
        {
          ...plain,
          keyword: 'COPY',
          flags: [{ name: 'from', value: 'build' }, { name: 'chmod', value: '0755' }],
          args: '/out/app /usr/local/bin/app',
          line: 16,
          original: 'COPY --from=build --chmod=0755 /out/app /usr/local/bin/app',
        },
        { ...plain, keyword: 'EXPOSE', args: '8080/tcp', line: 17, original: 'EXPOSE 8080/tcp' },
        {
          ...plain,
          keyword: 'HEALTHCHECK',
          flags: [{ name: 'interval', value: '30s' }],
          args: 'CMD ["app", "health"]',
          line: 18,
          original: 'HEALTHCHECK --interval=30s CMD ["app", "health"]',
        },
        { ...plain, keyword: 'ENTRYPOINT', args: '["app"]', json: ['app'], line: 19, original: 'ENTRYPOINT ["app"]' },
      ],
    });
  });
});
