// Entry of scripts/cli-compat.mjs: with --podman-git, reads the options of each verb from the
// man pages of a Podman checkout into scripts/cli-compat/podman-options.json; then writes
// docs/cli-compat.md from that file, tspod's command classes and commands/refusals.ts.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { allCommands } from '../../commands/index';
import { parseOptions } from './man-pages';
import { buildTables, renderMarkdown, strayRefusals, type PodmanData } from './table';
import { ACTUAL_NAMES, UNDOCUMENTED_VALUES, VERBS } from './verbs';

export const DATA_FILE = 'scripts/cli-compat/podman-options.json';
export const TABLE_FILE = 'docs/cli-compat.md';

function readPodman(gitDir: string, ref: string): PodmanData {
  const show = (file: string): string | undefined => {
    try {
      return execFileSync('git', ['--git-dir', gitDir, 'show', `${ref}:docs/source/markdown/${file}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return undefined;
    }
  };
  const verbs: PodmanData['verbs'] = {};
  for (const v of VERBS) {
    const page = show(v.page);
    if (page === undefined) throw new Error(`${ref} has no docs/source/markdown/${v.page}`);
    verbs[v.verb] = parseOptions(page, v.section, (name) => show(`options/${name}.md`)).map((o) => {
      const key = `${v.verb} ${o.names[0]}`;
      return { names: ACTUAL_NAMES[key] ?? o.names, value: o.value ?? UNDOCUMENTED_VALUES[key] ?? null };
    });
  }
  return { source: `Podman ${ref}`, verbs };
}

function main(argv: string[]): void {
  const at = argv.indexOf('--podman-git');
  if (at >= 0) {
    const ref = argv.includes('--ref') ? argv[argv.indexOf('--ref') + 1] : 'v5.8.2';
    writeFileSync(DATA_FILE, `${JSON.stringify(readPodman(argv[at + 1], ref), null, 2)}\n`);
  }
  const data = JSON.parse(readFileSync(DATA_FILE, 'utf8')) as PodmanData;
  const tables = buildTables(VERBS, data, allCommands());
  const stray = strayRefusals(tables);
  if (stray.length > 0) throw new Error(`commands/refusals.ts refuses options Podman does not document so: ${stray.join('; ')}`);
  writeFileSync(TABLE_FILE, renderMarkdown(tables, data.source));
}

main(process.argv.slice(2));
