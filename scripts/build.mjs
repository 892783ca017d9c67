// Bundles the CLI into one file so start-up reads one script instead of hundreds of modules.
// Native or heavy dependencies stay external and are required lazily where they are used.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
let commit = '';
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {
  commit = '';
}

const external = ['better-sqlite3', 'koffi', 'undici', 'tar', 'proper-lockfile', 'yaml'];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external,
  logLevel: 'warning',
  sourcemap: 'linked',
  define: {
    __TSPOD_VERSION__: JSON.stringify(pkg.version),
    __TSPOD_COMMIT__: JSON.stringify(commit),
    __TSPOD_BUILT__: String(Math.floor(Date.now() / 1000)),
  },
};

await build({ ...common, entryPoints: ['src/main.ts'], outfile: 'dist/tspod.js' });
// V8's code cache of the bundle for bin/tspod, made by running the help (which loads every command).
execFileSync(process.execPath, ['bin/tspod', '--help'], { env: { ...process.env, TSPOD_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
// The per-container monitor: its own small bundle, importing nothing from libpod.
await build({ ...common, entryPoints: ['conmon/main.ts'], outfile: 'dist/conmon.js', sourcemap: false });
// Test helper that drives the real state module from many processes at once.
await build({ ...common, entryPoints: ['test/helpers/state-writer.ts'], outfile: 'dist/test/state-writer.js' });
// Test helper that runs a container from a generated OCI spec with the real runtime.
await build({ ...common, entryPoints: ['test/helpers/run-spec.ts'], outfile: 'dist/test/run-spec.js' });
await build({ ...common, entryPoints: ['test/helpers/monitor-run.ts'], outfile: 'dist/test/monitor-run.js' });
