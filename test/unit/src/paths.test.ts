import { describe, expect, it } from 'vitest';
import { resolvePaths, RUNTIME_DIR_ENV, userRuntimeDir } from '../../../src/paths';
import { booleanValues, extractGlobalOptions, globalOptions } from '../../../src/global-options';

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

describe('booleanValues', () => {
  it('turns --flag=true|false into the forms clipanion reads, but not after -- or for unshare', () => {
    expect(booleanValues(['pull', '--tls-verify=false', 'x', '--quiet=true', '--format=json'])).toEqual(['pull', '--no-tls-verify', 'x', '--quiet', '--format=json']);
    expect(booleanValues(['run', '--', 'cmd', '--x=false'])).toEqual(['run', '--', 'cmd', '--x=false']);
    expect(booleanValues(['unshare', 'cmd', '--x=false'])).toEqual(['unshare', 'cmd', '--x=false']);
    // Only tspod's own boolean flags: a container command's flags pass as typed.
    expect(booleanValues(['run', '--rm=true', 'busybox', 'prog', '--verbose=true'])).toEqual(['run', '--rm', 'busybox', 'prog', '--verbose=true']);
  });
});
