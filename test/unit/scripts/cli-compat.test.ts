import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Cli, type CommandClass } from 'clipanion';
import { allCommands } from '../../../commands/index';
import { REFUSALS, refusalMessage } from '../../../commands/refusals';
import { parseHeading, parseOptions } from '../../../scripts/cli-compat/man-pages';
import { buildTables, commandFor, globalRefusals, renderMarkdown, strayRefusals, verbTable, type PodmanData } from '../../../scripts/cli-compat/table';
import { extractGlobalOptions } from '../../../src/global-options';
import { VERBS } from '../../../scripts/cli-compat/verbs';
import { argumentSpec } from '../../../src/completion/command-specs';

const data = JSON.parse(readFileSync('scripts/cli-compat/podman-options.json', 'utf8')) as PodmanData;

/** The command line parsed as src/main.ts parses it: the one class registered, its error thrown. */
function parse(cls: CommandClass, argv: string[]) {
  const cli = new Cli({ binaryName: 'tspod', enableColors: false });
  cli.register(cls);
  return cli.process(argv, {});
}

describe('docs/cli-compat.md', () => {
  const tables = buildTables(VERBS, data, allCommands());

  it('is the table the generator makes now (run node scripts/cli-compat.mjs when this fails)', () => {
    expect(readFileSync('docs/cli-compat.md', 'utf8')).toBe(renderMarkdown(tables, data.source));
  });

  it('refuses only options Podman documents for the verb, in its value form', () => {
    expect(strayRefusals(tables)).toEqual([]);
  });

  for (const [verb, list] of Object.entries(REFUSALS)) {
    for (const r of list) {
      it(`${verb} ${r.names.join(',')} is refused with the table's message and exit code`, () => {
        const spec = VERBS.find((v) => v.verb === verb)!;
        const cls = commandFor(allCommands(), spec.path!)!;
        // Enough words for the command's positionals (exec's container and command), so that only the option can fail.
        const shape = argumentSpec(cls);
        const words = [...Array(shape.positionals).fill('c1'), ...(shape.proxy ? ['true'] : [])];
        for (const name of r.names) {
          const argv = [...spec.path!, name, ...(r.value ? ['x'] : []), ...words];
          expect(() => parse(cls, argv), argv.join(' ')).toThrow(refusalMessage(r));
          try {
            parse(cls, argv);
          } catch (err) {
            expect((err as { exitCode?: number }).exitCode).toBe(r.exitCode);
          }
        }
      });
    }
  }

  for (const r of globalRefusals()) {
    it(`the global ${r.names.join(',')} is refused before the verb with the table's message and exit code`, () => {
      for (const name of r.names) {
        const argv = [name, ...(r.value ? ['x'] : []), 'ps'];
        expect(() => extractGlobalOptions(argv), argv.join(' ')).toThrow(refusalMessage(r));
        try {
          extractGlobalOptions(argv);
        } catch (err) {
          expect((err as { exitCode?: number }).exitCode).toBe(r.exitCode);
        }
      }
    });
  }

  it('gives no two options of a command the same name (rm -f is --force, not --filter)', () => {
    for (const cls of allCommands()) {
      const names = argumentSpec(cls).options.flatMap((o) => o.names);
      expect(names.filter((n, i) => names.indexOf(n) !== i), (cls.paths ?? [])[0]?.join(' ')).toEqual([]);
    }
  });

  it('counts --help as implemented because every command answers it', () => {
    for (const spec of VERBS) {
      const cls = spec.path && commandFor(allCommands(), spec.path);
      if (cls) expect(() => parse(cls, [...spec.path!, '--help'])).not.toThrow();
    }
  });
});

describe('options whose value may be left out', () => {
  it("match a tspod flag written --flag or --flag=VALUE (build --pull), and only where verbs.ts lists them", () => {
    const pull = { names: ['--pull'], value: 'policy' };
    const flag = [{ names: ['--pull'], arity: 0, description: '', hidden: false }];
    expect(verbTable({ verb: 'build', page: '', section: 'OPTIONS', path: ['build'] }, [pull], flag).rows[0].status).toBe('implemented');
    expect(verbTable({ verb: 'run', page: '', section: 'OPTIONS', path: ['run'] }, [pull], flag).rows[0]).toMatchObject({ status: 'missing', note: 'tspod takes no value; Podman wants one' });
  });
});

describe('man page options', () => {
  it('reads names, aliases and the value of a heading', () => {
    expect(parseHeading('#### **--filter**, **-f**=*filter*')).toEqual({ names: ['--filter', '-f'], value: 'filter' });
    expect(parseHeading('#### **-a**, **--all**')).toEqual({ names: ['--all', '-a'], value: null });
    expect(parseHeading('#### **--sig-proxy**=*true|false*')).toEqual({ names: ['--sig-proxy'], value: null });
    expect(parseHeading('#### **--logsplit**=*bool-value*')).toEqual({ names: ['--logsplit'], value: null });
    expect(parseHeading('#### **--preserve-fd**=*FD1[,FD2,...]*')).toEqual({ names: ['--preserve-fd'], value: 'FD1[,FD2,...]' });
    expect(parseHeading('####> This option file is used in:')).toBeNull();
    expect(parseHeading('#### Extracting the list')).toBeNull();
  });

  it('takes the section only, with @@option includes', () => {
    const page = ['## DESCRIPTION', '#### **--not-this**', '## OPTIONS', '#### **--all**, **-a**', '@@option latest', '## EXAMPLES', '#### **--nor-this**'].join('\n');
    const files: Record<string, string> = { latest: '####> comment\n#### **--latest**, **-l**\n\ntext' };
    expect(parseOptions(page, 'OPTIONS', (n) => files[n])).toEqual([
      { names: ['--all', '-a'], value: null },
      { names: ['--latest', '-l'], value: null },
    ]);
    expect(() => parseOptions(page.replace('latest', 'nosuch'), 'OPTIONS', (n) => files[n])).toThrow(/options\/nosuch\.md/);
  });
});
