import { describe, expect, it } from 'vitest';
import { asksForHelp, dashValues, wordsOf } from '../../../src/dash-values';
import PullCommand from '../../../commands/image/pull';
import ContainerRunCommand from '../../../commands/container/run';
import UnshareCommand from '../../../commands/unshare';

const run = { pathLength: 1, valueFlags: new Set(['-u', '--user', '--stop-timeout', '--name']), proxy: true };

describe('dashValues', () => {
  it('joins a value flag with a value that starts with a dash, as Podman reads it', () => {
    expect(dashValues(['run', '--user', '-1', '--stop-timeout', '-5', 'debian', 'id'], run)).toEqual(['run', '--user=-1', '--stop-timeout=-5', 'debian', 'id']);
    expect(dashValues(['run', '-u', '-1', '--rm', 'debian'], run)).toEqual(['run', '-u=-1', '--rm', 'debian']);
  });

  it('leaves other values, boolean flags, "-" and everything from the program on alone', () => {
    expect(dashValues(['run', '--name', 'web', '-it', '--rm', 'debian', 'ls', '--user', '-1'], run)).toEqual(['run', '--name', 'web', '-it', '--rm', 'debian', 'ls', '--user', '-1']);
    expect(dashValues(['run', '--user', '-', 'debian'], run)).toEqual(['run', '--user', '-', 'debian']);
    expect(dashValues(['run', '--', '--user', '-1'], run)).toEqual(['run', '--', '--user', '-1']);
  });

  it('goes on past positionals for a command that runs no program', () => {
    const logs = { pathLength: 2, valueFlags: new Set(['--tail']), proxy: false };
    expect(dashValues(['container', 'logs', 'web', '--tail', '-1'], logs)).toEqual(['container', 'logs', 'web', '--tail=-1']);
  });
});

describe('a value joined to a short flag', () => {
  const run = { pathLength: 1, valueFlags: new Set(['-u', '--user', '-p', '--publish', '-e', '--env', '-t', '--time']), booleanShorts: new Set(['-i', '-d']), proxy: true };

  it('is split from it, after any short booleans, as Podman reads it', () => {
    expect(dashValues(['run', '-uroot', '-p8080:80', '-eK=V', 'busybox'], run)).toEqual(['run', '-u=root', '-p=8080:80', '-e=K=V', 'busybox']);
    expect(dashValues(['run', '-dp8080:80', '-idu1000', 'busybox'], run)).toEqual(['run', '-d', '-p=8080:80', '-i', '-d', '-u=1000', 'busybox']);
    expect(dashValues(['stop', '-t0', 'web'], { ...run, pathLength: 1, proxy: false })).toEqual(['stop', '-t=0', 'web']);
  });

  it('leaves booleans together, a value already given with "=", unknown letters, and the program\'s words alone', () => {
    expect(dashValues(['run', '-id', '-u=root', '-xyz', '-dz9', 'busybox', 'ls', '-uroot'], run)).toEqual(['run', '-id', '-u=root', '-xyz', '-dz9', 'busybox', 'ls', '-uroot']);
    expect(dashValues(['run', '-u', 'busybox'], run)).toEqual(['run', '-u', 'busybox']);
  });
});

describe('a boolean written with a value', () => {
  const pull = wordsOf(PullCommand, 1);
  const run = wordsOf(ContainerRunCommand, 1);

  it('becomes the form clipanion reads, for the command\'s own booleans only', () => {
    expect(dashValues(['pull', '--tls-verify=false', 'x', '--quiet=true', '--format=json'], pull)).toEqual(['pull', '--no-tls-verify', 'x', '--quiet', '--format=json']);
    expect(dashValues(['run', '--rm=true', '--interactive=false', 'busybox'], run)).toEqual(['run', '--rm', '--no-interactive', 'busybox']);
  });

  it('is left alone after --, in the program\'s words, and for unshare', () => {
    expect(dashValues(['run', '--', 'cmd', '--rm=false'], run)).toEqual(['run', '--', 'cmd', '--rm=false']);
    expect(dashValues(['unshare', 'cmd', '--x=false'], wordsOf(UnshareCommand, 1))).toEqual(['unshare', 'cmd', '--x=false']);
    // Only tspod's own boolean flags: a container command's flags pass as typed.
    expect(dashValues(['run', '--rm=true', 'busybox', 'prog', '--verbose=true', '--rm=true'], run)).toEqual(['run', '--rm', 'busybox', 'prog', '--verbose=true', '--rm=true']);
  });
});

describe('asksForHelp', () => {
  const run = wordsOf(ContainerRunCommand, 1);

  it('finds --help and -h among the command\'s own words only', () => {
    expect(asksForHelp(['run', '--help'], run)).toBe(true);
    expect(asksForHelp(['run', '--rm', '-h', 'busybox'], run)).toBe(true);
    expect(asksForHelp(['run', 'busybox', 'ls', '--help'], run)).toBe(false);
    expect(asksForHelp(['run', '--name', '--help', 'busybox'], run)).toBe(false);
    expect(asksForHelp(['run', '--', '--help'], run)).toBe(false);
  });
});
