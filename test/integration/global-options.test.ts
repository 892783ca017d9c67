// Podman's global flags before the verb, as the test user types them: both spellings, what each
// changes (output, events, the runtime's flags, modules, registries.conf, credentials, syslog),
// the ones refused with their reason (remote mode, other drivers), and help's value types.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Store, mirrorDockerHub, registry, run, testUser } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('globals');
let env: Record<string, string> = {};
const tspod = (args: string[]) => store.tspod(args, { env });
/** The container's events recorded so far, one per line. */
const eventsOf = (name: string) => tspod(['events', '--since', '10m', '--stream=false', '--filter', `container=${name}`, '--format', '{{.Name}}']);

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
}, 120_000);
afterAll(() => store.cleanup());

describe('global flags before the verb', () => {
  it('--out sends tspod\'s own output to a file, a container\'s output still to the terminal; --noout discards it', () => {
    const file = path.join(store.dir, 'out.txt');
    for (const args of [['--out', file], [`--out=${file}`]]) {
      const r = tspod([...args, 'run', '--rm', '--name', 'outer', 'busybox', 'echo', 'from the container']);
      expect(r).toMatchObject({ code: 0, stdout: 'from the container\n' });
      const ps = tspod([...args, 'ps', '-a', '--format', '{{.Names}}', '--filter', 'name=nobody-has-this']);
      expect(ps).toMatchObject({ code: 0, stdout: '' });
      const images = tspod([...args, 'images', '--format', '{{.Repository}}']);
      expect(images).toMatchObject({ code: 0, stdout: '' });
      expect(fs.readFileSync(file, 'utf8')).toMatch(/busybox\n$/);
    }
    expect(tspod(['--noout', 'images', '--format', '{{.Repository}}'])).toMatchObject({ code: 0, stdout: '' });
    expect(tspod(['--noout=false', 'images', '--format', '{{.Repository}}']).stdout).toMatch(/busybox/);
    const bad = tspod(['--out', '/proc/nosuch/file', 'ps']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: unable to open file for standard output: .*\/proc\/nosuch\/file/);
  });

  it('--events-backend none records nothing, for the run and its cleanup; file (the default) records', () => {
    expect(tspod(['--events-backend', 'none', 'run', '--rm', '--name', 'quiet', 'busybox', 'true']).code).toBe(0);
    expect(tspod(['--events-backend=none', 'run', '-d', '--name', 'quiet2', 'busybox', 'true']).code).toBe(0);
    expect(tspod(['--events-backend=none', 'wait', 'quiet2']).stdout).toBe('0\n');
    expect(tspod(['--events-backend=none', 'rm', 'quiet2']).code).toBe(0);
    expect(eventsOf('quiet')).toMatchObject({ code: 0, stdout: '' });
    expect(eventsOf('quiet2')).toMatchObject({ code: 0, stdout: '' });
    expect(tspod(['--events-backend', 'file', 'run', '--rm', '--name', 'loud', 'busybox', 'true']).code).toBe(0);
    expect(eventsOf('loud').stdout).toMatch(/loud\n/);
    const journal = tspod(['--events-backend', 'journald', 'ps']);
    expect(journal.code).toBe(125);
    expect(journal.stderr).toMatch(/^Error: --events-backend "journald": tspod records events in its own state database/);
  });

  it('--runtime-flag reaches the OCI runtime, and the runtime\'s refusal of one is shown', () => {
    const id = tspod(['--runtime-flag', 'debug', 'run', '-d', '--name', 'flagged', 'busybox', 'sleep', '600']).stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    // The monitor's `runc create` ran with --debug: runc's nsexec stages are in its log.
    expect(fs.readFileSync(path.join(store.root, 'containers', id, 'userdata', 'runtime.log'), 'utf8')).toMatch(/"level":"debug","msg":"nsexec/);
    expect(tspod(['rm', '-f', '-t0', 'flagged']).code).toBe(0);
    const bad = tspod(['--runtime-flag', 'no-such-runc-flag', 'run', '--rm', 'busybox', 'true']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toMatch(/no-such-runc-flag/);
  });

  it('--module reads one more containers.conf, by name from the modules directory or by path', () => {
    const conf = path.join(store.dir, 'home-config');
    const modules = path.join(conf, 'tspod', 'containers.conf.modules');
    fs.mkdirSync(modules, { recursive: true });
    fs.writeFileSync(path.join(modules, 'silent.conf'), '[engine]\nevents_logger = "none"\n');
    run(['chown', '-R', testUser, conf]);
    const withConf = { ...env, XDG_CONFIG_HOME: conf };
    expect(store.tspod(['--module', 'silent.conf', 'run', '--rm', '--name', 'moduled', 'busybox', 'true'], { env: withConf }).code).toBe(0);
    expect(eventsOf('moduled').stdout).toBe('');
    expect(store.tspod([`--module=${path.join(modules, 'silent.conf')}`, 'run', '--rm', '--name', 'moduled2', 'busybox', 'true'], { env: withConf }).code).toBe(0);
    expect(eventsOf('moduled2').stdout).toBe('');
    const missing = store.tspod(['--module', 'nosuch.conf', 'ps'], { env: withConf });
    expect(missing.code).toBe(125);
    expect(missing.stderr).toContain(`Error: could not resolve module "nosuch.conf": no such file in ${modules} or /etc/tspod/containers.conf.modules`);
  });

  it('--registries-conf is read as CONTAINERS_REGISTRIES_CONF is', () => {
    const other = new Store('globals-reg');
    try {
      const conf = path.join(store.dir, 'registries.conf');
      const pulled = other.tspod(['--registries-conf', conf, 'pull', '-q', 'busybox']);
      expect(pulled.code).toBe(0);
      expect(other.tspod(['images', '--format', '{{.Repository}}']).stdout).toBe('docker.io/library/busybox\n');
    } finally {
      other.cleanup();
    }
  });

  it('--config names Docker\'s configuration directory; a file there is refused, as --authfile naming no file', () => {
    const notDir = tspod(['--config', '/etc/passwd', 'ps']);
    expect(notDir.code).toBe(1);
    expect(notDir.stderr).toBe('Error: supplied --config file (/etc/passwd) is not a directory: give the directory that holds config.json\n');
    expect(tspod(['--config', path.join(store.dir, 'no-docker-dir-yet'), 'ps']).code).toBe(0);
    for (const verb of [['pull', 'busybox'], ['push', 'busybox', `${registry}/x/busybox`], ['search', `${registry}/busybox`]]) {
      const r = tspod([verb[0], '--authfile', '/nosuch/auth.json', ...verb.slice(1)]);
      expect(r.code).toBe(125);
      expect(r.stderr).toMatch(/^Error: credential file is not accessible: ENOENT: no such file or directory, stat '\/nosuch\/auth.json'/);
    }
  });

  it('refuses the flags tspod cannot honour, saying why, with 125', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--url', 'unix:///run/podman.sock'], /tspod has no remote mode/],
      [['--connection=prod'], /tspod has no remote mode/],
      [['-c', 'prod'], /tspod has no remote mode/],
      [['--remote'], /tspod has no remote mode/],
      [['-r'], /tspod has no remote mode/],
      [['-H', 'tcp://x:2375'], /tspod has no remote mode/],
      [['--storage-driver', 'vfs'], /overlay driver only/],
      [['--cgroup-manager=systemd'], /cgroupfs only/],
      [['--db-backend', 'boltdb'], /SQLite only/],
      [['--conmon', '/usr/bin/conmon'], /its own small monitor/],
      [['--tmpdir', '/tmp/x'], /use --runroot/],
      [['--storage-opt', 'overlay.mountopt=nodev'], /unsupported storage option "overlay.mountopt=nodev"/],
      [['--remote=maybe'], /invalid argument "maybe" for "--remote" flag/],
    ];
    for (const [flags, why] of cases) {
      const r = tspod([...flags, 'ps']);
      expect({ flags, code: r.code, stdout: r.stdout }).toEqual({ flags, code: 125, stdout: '' });
      expect(r.stderr).toMatch(why);
    }
    expect(tspod(['--remote=false', '--storage-driver', 'overlay', '--cgroup-manager', 'cgroupfs', '--db-backend=sqlite', '--context', 'default', 'ps', '-q'])).toMatchObject({ code: 0, stdout: '' });
  });

  it('-D and --debug log at debug level; --syslog sends the lines to the system log as well', async () => {
    expect(tspod(['-D', 'run', '--rm', 'busybox', 'true']).stderr).toMatch(/^DEBU\[0000\] run: monitor started/m);
    expect(tspod(['--debug', 'run', '--rm', 'busybox', 'true']).stderr).toMatch(/^DEBU\[0000\] run: monitor started/m);
    if (fs.existsSync('/dev/log')) {
      // A system logger is running: the lines go to it; only that the flag works can be seen here.
      expect(tspod(['--syslog', '--log-level', 'debug', 'ps']).code).toBe(0);
      return;
    }
    const file = path.join(store.dir, 'syslog.txt');
    const syslogd = spawn('busybox', ['syslogd', '-n', '-O', file], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 100 && !fs.existsSync('/dev/log'); i++) await new Promise((r) => setTimeout(r, 20));
      expect(tspod(['--syslog', '--log-level', 'debug', 'run', '--rm', 'busybox', 'true']).code).toBe(0);
      await new Promise((r) => setTimeout(r, 300));
      expect(fs.readFileSync(file, 'utf8')).toMatch(/tspod(\[\d+\])?: /);
    } finally {
      syslogd.kill();
      await new Promise((r) => syslogd.once('exit', r));
      spawnSync('rm', ['-f', '/dev/log']);
    }
  });
});

describe('help', () => {
  it('shows each option with its value type, as Podman does, the same for --help and help VERB', () => {
    const ps = tspod(['ps', '--help']);
    expect(ps.code).toBe(0);
    expect(ps.stdout).toMatch(/^Usage:\n {2}tspod ps \[options\]\n/m);
    expect(ps.stdout).toMatch(/^ {6}--format string +json/m);
    expect(ps.stdout).toMatch(/^ {2}-n, --last int +/m);
    expect(ps.stdout).toMatch(/^ {2}-f, --filter stringArray +/m);
    expect(ps.stdout).toMatch(/^ {2}-a, --all +show all/m);
    expect(ps.stdout).not.toContain('#0');
    expect(tspod(['help', 'ps']).stdout).toBe(ps.stdout);
    expect(tspod(['run', '--help']).stdout).toMatch(/^ {2}tspod run \[options\] IMAGE \[COMMAND \[ARG\.\.\.\]\]$/m);
    // --help after the image is the container's own.
    const inner = tspod(['run', '--rm', 'busybox', 'echo', '--help']);
    expect(inner).toMatchObject({ code: 0, stdout: '--help\n' });
    const top = tspod(['--help']);
    expect(top.stdout).toMatch(/^ {6}--runtime-flag stringArray +/m);
  });
});
