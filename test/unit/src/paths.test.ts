import { describe, expect, it } from 'vitest';
import { resolvePaths } from '../../../src/paths';
import { booleanValues, extractGlobalOptions, globalOptions } from '../../../src/global-options';

describe('resolvePaths', () => {
  it('follows XDG with Podman-like fallbacks', () => {
    expect(resolvePaths({}, { HOME: '/home/a', XDG_RUNTIME_DIR: '/run/user/1000' }, 1000)).toEqual({
      root: '/home/a/.local/share/tspod',
      runroot: '/run/user/1000/tspod',
      configDir: '/home/a/.config/tspod',
      database: '/home/a/.local/share/tspod/state.db',
    });
    const p = resolvePaths({}, { HOME: '/home/a', XDG_DATA_HOME: '/d', XDG_CONFIG_HOME: '/c' }, 1000);
    expect(p).toMatchObject({ root: '/d/tspod', runroot: '/tmp/tspod-1000', configDir: '/c/tspod' });
    // Relative XDG values are invalid per the spec and ignored.
    expect(resolvePaths({}, { HOME: '/h', XDG_DATA_HOME: 'rel', XDG_RUNTIME_DIR: 'rel' }, 5).root).toBe('/h/.local/share/tspod');
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
