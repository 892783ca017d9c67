// Writes docs/cli-compat.md, the table of Podman's options for tspod's verbs and their status.
//   node scripts/cli-compat.mjs                      # from scripts/cli-compat/podman-options.json
//   node scripts/cli-compat.mjs --podman-git /work/.mirror/containers+podman/repo [--ref v5.8.2]
//                                                    # re-reads the options from Podman's man pages first
// The TypeScript (scripts/cli-compat/main.ts, which reads the command classes) is bundled with
// esbuild and run here, as scripts/build.mjs does for scripts/launcher-verbs.ts.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';

const out = await build({
  entryPoints: ['scripts/cli-compat/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  write: false,
  logLevel: 'warning',
  define: { __TSPOD_VERSION__: '"0"', __TSPOD_COMMIT__: '""', __TSPOD_BUILT__: '0' },
});
execFileSync(process.execPath, ['-', ...process.argv.slice(2)], { input: out.outputFiles[0].text, stdio: ['pipe', 'inherit', 'inherit'] });
