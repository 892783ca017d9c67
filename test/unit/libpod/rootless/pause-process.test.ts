import { describe, expect, it } from 'vitest';
import { holderCommand, serviceUnitOf } from '../../../../libpod/rootless/pause-process';

describe('the namespace holder under systemd', () => {
  it('finds the service unit a process runs in, from cgroups v2 or v1, but not the user manager itself', () => {
    expect(serviceUnitOf('0::/user.slice/user-1000.slice/user@1000.service/app.slice/container-web.service\n')).toBe('container-web.service');
    expect(serviceUnitOf('12:pids:/\n1:name=systemd:/user.slice/user-1000.slice/user@1000.service/web.service\n0::/\n')).toBe('web.service');
    expect(serviceUnitOf('0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-x.scope\n')).toBeNull();
    expect(serviceUnitOf('0::/user.slice/user-1000.slice/user@1000.service\n')).toBeNull();
    expect(serviceUnitOf('0::/\n')).toBeNull();
    expect(serviceUnitOf('')).toBeNull();
  });
  it('gives the holder a scope of its own only inside a unit and where a user manager can make one', () => {
    const argv = ['/usr/bin/unshare', '--user', '--', 'sleep', 'infinity'];
    expect(holderCommand(argv, { unit: 'web.service', systemdRun: '/usr/bin/systemd-run', userManager: true })).toEqual(['/usr/bin/systemd-run', '--user', '--scope', '--quiet', '--collect', '--description=tspod user namespace holder', '--', ...argv]);
    expect(holderCommand(argv, { unit: null, systemdRun: '/usr/bin/systemd-run', userManager: true })).toEqual(argv);
    expect(holderCommand(argv, { unit: 'web.service', systemdRun: null, userManager: true })).toEqual(argv);
    expect(holderCommand(argv, { unit: 'web.service', systemdRun: '/usr/bin/systemd-run', userManager: false })).toEqual(argv);
  });
});
