// The CLI shell as the test user types it: version, help, global flags, error output and exit codes,
// and the default XDG locations with their modes.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Store, tspodPlain, userEnv, run } from './harness';

const store = new Store('cli');
afterAll(() => store.cleanup());

describe('tspod CLI', () => {
  it('prints its version with --version and version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
    const short = store.tspod(['--version']);
    expect(short).toMatchObject({ code: 0, stderr: '' });
    expect(short.stdout).toBe(`tspod version ${pkg.version}\n`);

    const long = store.tspod(['version']);
    expect(long.code).toBe(0);
    expect(long.stdout).toMatch(new RegExp(`^Client:\\s+tspod\\nVersion:\\s+${pkg.version.replace(/\./g, '\\.')}\\n`));
    expect(long.stdout).toMatch(/OS\/Arch:\s+linux\/\w+/);

    const json = store.tspod(['version', '--format', 'json']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.Client.Version).toBe(pkg.version);
    expect(parsed.Client.NodeVersion).toMatch(/^v\d+\./);

    expect(store.tspod(['version', '--format', '{{.Client.Version}}']).stdout).toBe(`${pkg.version}\n`);
  });

  it('lists every command with a description in --help, and help <cmd> shows its usage', () => {
    const help = store.tspod(['--help']);
    expect(help.code).toBe(0);
    for (const [cmd, desc] of [
      ['info', 'Display tspod related system information'],
      ['version', 'Display the tspod version information'],
      ['system', 'Manage tspod'],
      ['help', 'Help about any command'],
    ]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${cmd}\\s+${desc}$`, 'm'));
    }
    expect(help.stdout).toContain('--root string');
    expect(store.tspod([]).stdout).toBe(help.stdout);

    const sys = store.tspod(['system', '--help']);
    expect(sys.code).toBe(0);
    expect(sys.stdout).toMatch(/^  check\s+Check that this host/m);
    expect(sys.stdout).toMatch(/^  info\s+Display tspod/m);

    const bare = store.tspod(['system']);
    expect(bare.code).toBe(125);
    expect(bare.stderr).toBe('Error: missing command "tspod system COMMAND"\n');

    const topic = store.tspod(['help', 'system', 'check']);
    expect(topic.code).toBe(0);
    expect(topic.stdout).toContain('tspod system check');
    expect(topic.stdout).toContain('--format');
    expect(store.tspod(['system', 'check', '--help']).stdout).toBe(topic.stdout);

    const unknownTopic = store.tspod(['help', 'nosuch']);
    expect(unknownTopic.code).toBe(1);
    expect(unknownTopic.stderr).toBe('Error: unknown help topic "nosuch": run "tspod help" for the list of commands\n');
  });

  it('reports errors once on stderr as "Error: ..." with exit 125 and no stack', () => {
    const unknown = store.tspod(['frobnicate']);
    expect(unknown).toEqual({ code: 125, stdout: '', stderr: 'Error: unrecognized command `tspod frobnicate`: run "tspod --help" for the list of commands\n' });
    const typo = store.tspod(['rn', 'busybox']);
    expect(typo).toEqual({ code: 125, stdout: '', stderr: 'Error: unrecognized command `tspod rn`: run "tspod --help" for the list of commands\n\nDid you mean this?\n\tcp\n\tps\n\trm\n\trmi\n\trun\n' });
    // A noun's mistyped verb, as Podman says it, with its guesses among that noun's verbs.
    expect(store.tspod(['volume', 'craete', 'x'])).toEqual({ code: 125, stdout: '', stderr: 'Error: unrecognized command `tspod volume craete`: run "tspod volume --help" for the list of commands\n\nDid you mean this?\n\tcreate\n' });
    expect(store.tspod(['network', 'frobnicate'])).toEqual({ code: 125, stdout: '', stderr: 'Error: unrecognized command `tspod network frobnicate`: run "tspod network --help" for the list of commands\n' });
    expect(store.tspod(['volume', '--bogus'])).toEqual({ code: 125, stdout: '', stderr: 'Error: unknown flag: --bogus: run "tspod volume --help" for usage\n' });

    const flag = store.tspod(['version', '--bogus']);
    expect(flag).toEqual({ code: 125, stdout: '', stderr: 'Error: unknown flag: --bogus: run "tspod version --help" for usage\n' });

    const missingValue = store.tspod(['version', '--format']);
    expect(missingValue.code).toBe(125);
    expect(missingValue.stdout).toBe('');
    expect(missingValue.stderr).toMatch(/^Error: .*--format.*\n$/);

    const badTemplate = store.tspod(['version', '--format', '{{.Client.Nope}}']);
    expect(badTemplate.code).toBe(125);
    // Go's message, as Podman prints it (the struct's type named by its fields).
    expect(badTemplate.stderr).toMatch(/^Error: template: version:1:9: executing "version" at <\.Client\.Nope>: can't evaluate field Nope in type struct \{APIVersion, Version, [^}\n]*\}\n$/);
    expect(badTemplate.stderr).not.toMatch(/\n\s+at /);

    const level = store.tspod(['--log-level', 'loud', 'version']);
    expect(level).toEqual({ code: 125, stdout: '', stderr: 'Error: invalid log level "loud": use one of debug, info, warn, error, fatal, panic\n' });

    const noArg = store.tspod(['--log-level']);
    expect(noArg.code).toBe(125);
    expect(noArg.stderr).toBe('Error: flag needs an argument: --log-level\n');
  });

  it('prints the stack of an error only with --log-level=debug', () => {
    const debug = store.tspod(['--log-level=debug', 'version', '--format', '{{.Client.Nope}}']);
    expect(debug.code).toBe(125);
    expect(debug.stderr).toMatch(/^TemplateError: template: version:1:9: .*\n\s+at /);
    expect(debug.stderr).toMatch(/Error: template: version:1:9: executing "version" at <\.Client\.Nope>: can't evaluate field Nope in type struct \{[^}\n]*\}\n$/);
    // The same flag after the verb.
    const after = store.tspod(['version', '--log-level', 'debug', '--format', '{{.Client.Nope}}']);
    expect(after.stderr).toMatch(/\n\s+at /);
  });

  it('uses $XDG_DATA_HOME/tspod and $XDG_RUNTIME_DIR/tspod by default, created 0700', () => {
    const u = userEnv();
    const home = path.join(store.dir, 'home');
    run(['mkdir', '-p', home]);
    const runtime = path.join(store.dir, 'xdg-run');
    run(['mkdir', '-m', '0700', runtime]);
    const env = { HOME: home, XDG_RUNTIME_DIR: runtime };
    const r = tspodPlain(['info', '--format', '{{.Store.GraphRoot}} {{.Store.RunRoot}} {{.Store.DatabasePath}}'], { env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${home}/.local/share/tspod ${runtime}/tspod ${home}/.local/share/tspod/state.db\n`);
    for (const dir of [`${home}/.local/share/tspod`, `${runtime}/tspod`]) {
      const st = fs.statSync(dir);
      expect((st.mode & 0o777).toString(8)).toBe('700');
      expect(st.uid).toBe(u.uid);
    }
    expect((fs.statSync(`${home}/.local/share/tspod/state.db`).mode & 0o777).toString(8)).toBe('600');

    // Without XDG_RUNTIME_DIR, /run/user/UID as Podman takes it when it is the user's (the
    // user without one, and its /tmp fallback, are in host-safety.test.ts).
    const noXdg = tspodPlain(['info', '--format', '{{.Store.RunRoot}}'], { env: { HOME: home, XDG_RUNTIME_DIR: '' } });
    expect(noXdg.stdout).toBe(`/run/user/${u.uid}/tspod\n`);

    // XDG_DATA_HOME moves the data; --root before or after the verb overrides everything.
    const dataHome = path.join(store.dir, 'data');
    expect(tspodPlain(['info', '--format', '{{.Store.GraphRoot}}'], { env: { ...env, XDG_DATA_HOME: dataHome } }).stdout).toBe(`${dataHome}/tspod\n`);
    const elsewhere = path.join(store.dir, 'elsewhere');
    expect(tspodPlain(['--root', elsewhere, 'info', '--format', '{{.Store.GraphRoot}}'], { env }).stdout).toBe(`${elsewhere}\n`);
    expect(tspodPlain(['info', '--root', `${elsewhere}2`, '--format', '{{.Store.GraphRoot}}'], { env }).stdout).toBe(`${elsewhere}2\n`);
  });

  it('reads defaults from containers.conf and explains a broken one', () => {
    const confDir = path.join(store.dir, 'config', 'tspod');
    run(['mkdir', '-p', confDir]);
    const env = { XDG_CONFIG_HOME: path.join(store.dir, 'config') };
    const conf = path.join(confDir, 'containers.conf');
    run(['sh', '-c', `printf '[engine]\\nruntime = "crun"\\n[storage]\\noverlay = "fuse"\\n' > ${conf}`]);
    const r = store.tspod(['info', '--format', '{{.Host.OCIRuntime.Name}} {{.Store.GraphOptions.Overlay}} {{.Store.ConfigFile}}'], { env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`crun fuse ${conf}\n`);

    run(['sh', '-c', `printf '[storage]\\noverlay = "zfs"\\n' > ${conf}`]);
    const bad = store.tspod(['info'], { env });
    expect(bad).toEqual({ code: 125, stdout: '', stderr: `Error: ${conf}: storage.overlay must be one of "auto", "native", "fuse", not "zfs"\n` });

    run(['sh', '-c', `printf '[engine\\nruntime = 1\\n' > ${conf}`]);
    const syntax = store.tspod(['info'], { env });
    expect(syntax.code).toBe(125);
    expect(syntax.stderr).toMatch(new RegExp(`^Error: ${conf} is not valid TOML: .+\\n$`));
  });
});
