// Bundles the CLI into one file so start-up reads one script instead of hundreds of modules.
// Heavy dependencies stay external and are required lazily where they are used; better-sqlite3's
// and proper-lockfile's JavaScript is bundled (in the code cache, nothing to resolve: most commands
// open the database and take a lock), better-sqlite3's addon is loaded from its package at run time.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
let commit = '';
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {
  commit = '';
}

const external = ['koffi', 'undici', 'tar', 'yaml', 'ajv', 'dclint'];

// esbuild gives each file that imports a CommonJS module (`import fs from 'node:fs'`, `import {
// Command } from 'clipanion'`) its own copy of that module's every property, made on start: 180
// copies of fs, path, clipanion and the like, 5-8 ms of every tspod command. Each of these becomes
// one small ES module of the bundle instead, required once: the builtins' default export only (the
// way our code imports them: a named import fails the build here, loudly), clipanion's names too.
const requireHere = createRequire(import.meta.url);
const SHIMMED = { 'node:fs': false, 'node:path': false, 'node:os': false, 'node:crypto': false, 'node:zlib': false, 'node:net': false, 'node:dgram': false, clipanion: true };
// Builtins that node does not load for itself and only some commands use: required on the first
// use of one of their functions (node:crypto alone cost 3.6 ms of every command that loads the
// container engine, which needs it only to make an ID).
const ON_FIRST_USE = new Set(['node:crypto', 'node:zlib', 'node:dgram']);
const oneCopy = {
  name: 'one-copy',
  setup(b) {
    b.onResolve({ filter: /^(node:[a-z]+|clipanion)$/ }, (args) =>
      args.kind === 'import-statement' && args.path in SHIMMED ? { path: args.path, namespace: 'one-copy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'one-copy' }, (args) => {
      const names = SHIMMED[args.path] ? Object.keys(requireHere(args.path)).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default') : [];
      const named = names.length ? `export const { ${names.join(', ')} } = m;\n` : '';
      if (ON_FIRST_USE.has(args.path)) {
        const contents = `let m;\nconst load = () => (m ??= require(${JSON.stringify(args.path)}));\nexport default new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });\n`;
        return { contents, loader: 'js', resolveDir: process.cwd() };
      }
      return { contents: `const m = require(${JSON.stringify(args.path)});\nexport default m;\n${named}`, loader: 'js', resolveDir: process.cwd() };
    });
  },
};

// clipanion reads process.stdin (which makes the stream) and loads node:tty as it loads: its
// platform module is src/clipanion-platform.ts in the bundle, and its default context's stdin is
// read only when used (src/main.ts gives clipanion a context of its own; src/lazy-stdin.ts).
const CLIPANION_STDIN = '    stdin: process.stdin,\n';
const clipanionStartup = {
  name: 'clipanion-startup',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/platform$/ }, (args) =>
      /clipanion[\\/]lib[\\/]advanced[\\/]Cli\.js$/.test(args.importer) ? { path: path.resolve('src/clipanion-platform.ts') } : undefined,
    );
    b.onLoad({ filter: /clipanion[\\/]lib[\\/]advanced[\\/]Cli\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (text.split(CLIPANION_STDIN).length !== 2) throw new Error(`${args.path}: its default context changed; update scripts/build.mjs (clipanion-startup)`);
      return { contents: text.replace(CLIPANION_STDIN, '    get stdin() { return process.stdin; },\n'), loader: 'js' };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external,
  logLevel: 'warning',
  sourcemap: 'linked',
  plugins: [oneCopy, clipanionStartup],
  define: {
    __TSPOD_VERSION__: JSON.stringify(pkg.version),
    __TSPOD_COMMIT__: JSON.stringify(commit),
    __TSPOD_BUILT__: String(Math.floor(Date.now() / 1000)),
  },
};

await build({ ...common, entryPoints: ['src/main.ts'], outfile: 'dist/tspod.js' });
// V8's code cache of the bundle for bin/tspod.js, made by running `ps -a` on an empty store: every
// command class loads, and the path most commands share (the command line, the engine, opening
// the database, listing) is compiled into the cache too (10 ms less CPU for ps than a cache of --help).
const store = mkdtempSync(path.join(os.tmpdir(), 'tspod-build-'));
try {
  execFileSync(process.execPath, ['--', 'bin/tspod.js', '--root', path.join(store, 'root'), '--runroot', path.join(store, 'run'), 'ps', '-a'], { env: { ...process.env, TSPOD_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
} finally {
  rmSync(store, { recursive: true, force: true });
}
// What the launcher (bin/tspod) answers itself: the version line, and the command paths it may run
// straight inside the user namespace (scripts/launcher-verbs.ts reads them from the command classes).
const verbs = await build({ ...common, entryPoints: ['scripts/launcher-verbs.ts'], write: false, sourcemap: false });
const paths = execFileSync(process.execPath, ['-'], { input: verbs.outputFiles[0].text, encoding: 'utf8' });
writeFileSync('dist/launcher.conf', `tspod version ${pkg.version}\n${paths}`);
// The Compose schema's validator, compiled here once (libpod/compose/schema.ts loads it from beside the bundle).
const composeSchema = await build({ ...common, entryPoints: ['scripts/compose-schema.ts'], write: false, sourcemap: false });
writeFileSync('dist/compose-schema.js', execFileSync(process.execPath, ['-'], { input: composeSchema.outputFiles[0].text, encoding: 'utf8', maxBuffer: 64 << 20 }));
// The per-container monitor: its own small bundle, importing nothing from libpod.
await build({ ...common, entryPoints: ['conmon/main.ts'], outfile: 'dist/conmon.js', sourcemap: false });
// The DNS server of user-defined networks: its own small bundle, importing nothing from libpod.
await build({ ...common, entryPoints: ['dnsd/main.ts'], outfile: 'dist/dnsd.js', sourcemap: false });
// A Service's proxy in front of a Deployment's replicas (kube play): its own small bundle too.
await build({ ...common, entryPoints: ['kubeproxy/main.ts'], outfile: 'dist/kubeproxy.js', sourcemap: false });
// Test helper that drives the real state module from many processes at once.
await build({ ...common, entryPoints: ['test/helpers/state-writer.ts'], outfile: 'dist/test/state-writer.js' });
// Test helper that runs a container from a generated OCI spec with the real runtime.
await build({ ...common, entryPoints: ['test/helpers/run-spec.ts'], outfile: 'dist/test/run-spec.js' });
await build({ ...common, entryPoints: ['test/helpers/monitor-run.ts'], outfile: 'dist/test/monitor-run.js' });
// Test helper that starts, updates and stops a Service's proxy as kube play does.
await build({ ...common, entryPoints: ['test/helpers/service-proxy.ts'], outfile: 'dist/test/service-proxy.js' });
