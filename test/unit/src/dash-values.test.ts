import { describe, expect, it } from 'vitest';
import { dashValues } from '../../../src/dash-values';

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
