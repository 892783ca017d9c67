import { describe, expect, it } from 'vitest';
import { resolvePaths, RUNTIME_DIR_ENV, userRuntimeDir } from '../../../src/paths';
import { extractGlobalOptions, globalOptions, inheritedGlobalFlags } from '../../../src/global-options';

describe('resolvePaths', () => {
  it('follows XDG with Podman-like fallbacks', () => {
    expect(resolvePaths({}, { HOME: '/home/a', XDG_RUNTIME_DIR: '/run/user/1000' }, 1000)).toEqual({
      root: '/home/a/.local/share/tspod',
      runroot: '/run/user/1000/tspod',
      runtimeDir: '/run/user/1000',
      configDir: '/home/a/.config/tspod',
      database: '/home/a/.local/share/tspod/state.db',
    });
    const none = () => false;
    const p = resolvePaths({}, { HOME: '/home/a', XDG_DATA_HOME: '/d', XDG_CONFIG_HOME: '/c' }, 1000, none);
    expect(p).toMatchObject({ root: '/d/tspod', runroot: '/tmp/tspod-run-1000/tspod', runtimeDir: '/tmp/tspod-run-1000', configDir: '/c/tspod' });
    // Relative XDG values are invalid per the spec and ignored.
    expect(resolvePaths({}, { HOME: '/h', XDG_DATA_HOME: 'rel', XDG_RUNTIME_DIR: 'rel' }, 5).root).toBe('/h/.local/share/tspod');
  });

  it('without XDG_RUNTIME_DIR takes /run/user/UID only when it is the user\'s, as Podman does', () => {
    const owned = (dir: string, uid: number) => dir === `/run/user/${uid}` && uid === 1000;
    expect(resolvePaths({}, { HOME: '/h' }, 1000, owned).runroot).toBe('/run/user/1000/tspod');
    expect(resolvePaths({}, { HOME: '/h' }, 1001, owned).runroot).toBe('/tmp/tspod-run-1001/tspod');
  });

  it('inside the user namespace (uid 0) keeps the runtime directory decided outside', () => {
    const env = { HOME: '/h', [RUNTIME_DIR_ENV]: '/tmp/tspod-run-1000' };
    expect(resolvePaths({}, env, 0, () => true)).toMatchObject({ runtimeDir: '/tmp/tspod-run-1000', runroot: '/tmp/tspod-run-1000/tspod' });
    expect(userRuntimeDir(env, 0)).toBe('/tmp/tspod-run-1000');
  });

  it('lets --root and --runroot override, resolved to absolute paths', () => {
    const p = resolvePaths({ root: '/x/root', runroot: 'rel/run' }, { HOME: '/h' }, 1);
    expect(p.root).toBe('/x/root');
    expect(p.database).toBe('/x/root/state.db');
    expect(p.runroot).toBe(`${process.cwd()}/rel/run`);
  });
});

describe('extractGlobalOptions', () => {
  it('takes leading global flags in both spellings and leaves the rest', () => {
    expect(extractGlobalOptions(['--root', '/r', '--log-level=debug', 'info', '--root', 'x'])).toEqual(['info', '--root', 'x']);
    expect(globalOptions()).toEqual({ root: '/r', logLevel: 'debug' });
    expect(extractGlobalOptions(['version'])).toEqual(['version']);
    expect(globalOptions()).toEqual({});
  });

  it('fails on a flag without its value', () => {
    expect(() => extractGlobalOptions(['--runroot'])).toThrow('flag needs an argument: --runroot');
  });
});


describe('the global flags before the verb', () => {
  it('reads every one tspod honours in both spellings, lists and booleans included', () => {
    const rest = extractGlobalOptions([
      '--out', '/o', '--noout=false', '--storage-driver=overlay', '--storage-opt', 'a=1', '--storage-opt=b=2', '--cgroup-manager', 'cgroupfs',
      '--events-backend=none', '--runtime', 'crun', '--runtime-flag', 'debug', '--syslog', '--module', 'm.conf', '--config', '/d',
      '--registries-conf=/r.conf', '--db-backend', 'sqlite', '-D', 'ps', '--out', 'x',
    ]);
    expect(rest).toEqual(['ps', '--out', 'x']);
    expect(globalOptions()).toEqual({
      out: '/o', noout: false, storageDriver: 'overlay', storageOpts: ['a=1', 'b=2'], cgroupManager: 'cgroupfs', eventsBackend: 'none', runtime: 'crun',
      runtimeFlags: ['debug'], syslog: true, modules: ['m.conf'], config: '/d', registriesConf: '/r.conf', dbBackend: 'sqlite', logLevel: 'debug',
    });
  });

  it('refuses remote mode and the drivers tspod lacks, saying why', () => {
    expect(() => extractGlobalOptions(['--url', 'tcp://h:1', 'ps'])).toThrow('--url is not supported: tspod has no remote mode');
    expect(() => extractGlobalOptions(['-r', 'ps'])).toThrow('--remote is not supported: tspod has no remote mode');
    expect(() => extractGlobalOptions(['--remote=false', 'ps'])).not.toThrow();
    expect(() => extractGlobalOptions(['--storage-driver', 'btrfs', 'ps'])).toThrow('overlay driver only');
    expect(() => extractGlobalOptions(['--syslog=yes', 'ps'])).toThrow('invalid argument "yes" for "--syslog" flag: use true or false');
    expect(() => extractGlobalOptions(['--events-backend'])).toThrow('flag needs an argument: --events-backend');
  });

  it('passes on to the monitor\'s cleanup the ones that change later runs', () => {
    expect(inheritedGlobalFlags({ modules: ['m'], eventsBackend: 'none', runtimeFlags: ['debug'], out: '/o', root: '/r' })).toEqual(['--module', 'm', '--events-backend', 'none', '--runtime-flag', 'debug']);
  });
});
