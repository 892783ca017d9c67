import { describe, expect, it } from 'vitest';
import { generateSpec, type SpecInput } from '../../../../libpod/oci/spec';
import { applySecurity, containerEnvText, ociSeccomp, type SecurityContext } from '../../../../libpod/oci/security-spec';
import { parseDevice, systemdMode } from '../../../../libpod/container/security-flags';
import { normalizeSignal, realtimeSignal } from '../../../../libpod/oci/runtime';
import type { SecuritySpec } from '../../../../libpod/container/security-flags';

const input: SpecInput = {
  rootfs: '/r',
  readOnly: false,
  image: { Cmd: ['sh'] },
  command: [],
  env: [],
  user: { uid: 0, gid: 0, additionalGids: [], home: '/root' },
  terminal: false,
  hostname: 'abc123',
  capAdd: [],
  capDrop: [],
  noNewPrivileges: false,
  network: 'private',
  files: { hosts: '/b/hosts', resolvConf: '/b/resolv.conf', hostname: '/b/hostname' },
};
const ctx: SecurityContext = { id: 'f'.repeat(64), readOnly: false, nsPaths: {}, privilegedDevices: ['/dev/fuse'], hostMqueue: false, containerEnvFile: '/b/.containerenv', apparmor: false, capabilities: [], cgroupsV2: false };

/* eslint-disable @typescript-eslint/no-explicit-any */
const shaped = (sec: SecuritySpec, over: Partial<SecurityContext> = {}): any => {
  const spec = generateSpec(input);
  applySecurity(spec, sec, { ...ctx, ...over });
  return spec;
};
const mount = (spec: any, dest: string) => spec.mounts.find((m: any) => m.destination === dest);

describe('the runtime spec shaped by the security flags', () => {
  it('--privileged: no filter, no masked or read-only paths, /sys writable, the host devices bound after /dev', () => {
    const s = shaped({ privileged: true });
    expect([s.linux.seccomp, s.linux.maskedPaths, s.linux.readonlyPaths]).toEqual([undefined, [], []]);
    expect(mount(s, '/sys').options).toContain('rw');
    const dev = s.mounts.findIndex((m: any) => m.destination === '/dev');
    expect(s.mounts[dev + 1]).toEqual({ destination: '/dev/fuse', type: 'bind', source: '/dev/fuse', options: ['slave', 'nosuid', 'noexec', 'rw', 'rbind'] });
  });

  it('--pid/--ipc/--uts host leave the namespaces out and bind what a user namespace cannot mount', () => {
    const s = shaped({ pid: 'host', ipc: 'host', uts: 'host' });
    expect(s.linux.namespaces.map((n: any) => n.type)).toEqual(['mount', 'network']);
    expect(mount(s, '/proc')).toEqual({ destination: '/proc', type: 'bind', source: '/proc', options: ['rbind', 'nosuid', 'noexec', 'nodev'] });
    expect(mount(s, '/dev/mqueue')).toBeUndefined(); // the host has none here: left out rather than failing as Podman does
    expect(mount(s, '/dev/shm').source).toBe('/dev/shm');
    expect(s.hostname).toBeUndefined();
    const joined = shaped({ pid: 'container:x', ipc: 'none' }, { nsPaths: { pid: '/proc/42/ns/pid' } });
    expect(joined.linux.namespaces.find((n: any) => n.type === 'pid')).toEqual({ type: 'pid', path: '/proc/42/ns/pid' });
    expect(mount(joined, '/dev/shm')).toBeUndefined();
  });

  it('mask and unmask (Go globs, ALL), proc-opts, and the seccomp choices', () => {
    const s = shaped({ mask: ['/etc/secret'], unmask: ['/proc/k*'], procOpts: ['hidepid=2'], seccomp: 'unconfined' });
    expect(s.linux.maskedPaths).not.toContain('/proc/kcore');
    expect(s.linux.maskedPaths).not.toContain('/proc/keys');
    expect(s.linux.maskedPaths).toContain('/proc/timer_list');
    expect(s.linux.maskedPaths.at(-1)).toBe('/etc/secret');
    expect(mount(s, '/proc').options).toEqual(['hidepid=2']);
    expect(s.linux.seccomp).toBeUndefined();
    expect(shaped({ unmask: ['ALL'] }).linux.readonlyPaths).toEqual([]);
  });

  it('systemd mode: tmpfs with tmpcopyup before the other mounts, container_uuid; --read-only tmpfs otherwise', () => {
    const s = shaped({ systemdMode: true, shmSizeSystemd: 1024 });
    expect(mount(s, '/run/lock')).toEqual({ destination: '/run/lock', type: 'tmpfs', source: 'tmpfs', options: ['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup', 'size=1024'] });
    expect(s.process.env).toContain(`container_uuid=${'f'.repeat(32)}`);
    const order = s.mounts.map((m: any) => m.destination);
    expect(order.indexOf('/run')).toBeLessThan(order.indexOf('/run/.containerenv'));
    expect(shaped({}, { readOnly: true }).mounts.filter((m: any) => m.type === 'tmpfs' && !m.destination.startsWith('/dev')).map((m: any) => m.destination)).toEqual(['/run', '/tmp', '/var/tmp']);
    expect(shaped({ readOnlyTmpfs: false }, { readOnly: true }).mounts.some((m: any) => m.destination === '/tmp')).toBe(false);
  });

  it('binds /run/.containerenv unless the user mounted it or a /run of their own', () => {
    expect(mount(shaped({}), '/run/.containerenv')).toEqual({ destination: '/run/.containerenv', type: 'bind', source: '/b/.containerenv', options: ['bind', 'rprivate'] });
    const spec = generateSpec({ ...input, extraMounts: [{ destination: '/run', type: 'bind', source: '/x', options: ['rbind'] }] });
    applySecurity(spec, {}, ctx);
    expect(mount(spec, '/run/.containerenv')).toBeUndefined();
  });

  it("writes .containerenv as Podman does: empty, or the privileged container's facts", () => {
    expect(containerEnvText(undefined, false)).toBe('');
    expect(containerEnvText(undefined, true)).toBe('graphRootMounted=1');
    expect(containerEnvText({ engine: 'tspod-1', name: 'a', id: 'i', image: 'busybox', imageId: 'x' }, false)).toBe('engine="tspod-1"\nname="a"\nid="i"\nimage="busybox"\nimageid="x"\nrootless=1\n');
  });

  it("turns a Docker-format profile into the runtime's: this architecture, rules that hold for its capabilities", () => {
    const profile = {
      defaultAction: 'SCMP_ACT_ERRNO',
      defaultErrnoRet: 38,
      archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] }, { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM'] }],
      syscalls: [
        { names: ['read'], action: 'SCMP_ACT_ALLOW' },
        { names: ['mount'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMIN'] } },
        { names: ['arch_prctl'], action: 'SCMP_ACT_ALLOW', includes: { arches: ['amd64'] } },
        { names: ['ptrace'], action: 'SCMP_ACT_ALLOW', excludes: { caps: ['CAP_SYS_PTRACE'] } },
      ],
    };
    expect(ociSeccomp(profile, ['CAP_CHOWN'], 'x64')).toEqual({
      defaultAction: 'SCMP_ACT_ERRNO',
      defaultErrnoRet: 38,
      architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
      syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }, { names: ['arch_prctl'], action: 'SCMP_ACT_ALLOW' }, { names: ['ptrace'], action: 'SCMP_ACT_ALLOW' }],
    });
    expect(ociSeccomp(profile, ['CAP_SYS_ADMIN', 'CAP_SYS_PTRACE'], 'arm64').syscalls).toEqual([{ names: ['read'], action: 'SCMP_ACT_ALLOW' }, { names: ['mount'], action: 'SCMP_ACT_ALLOW' }]);
  });
});

describe("tspod's default seccomp filter", () => {
  it('gives a capability back the calls Podman allows to its holder', () => {
    const denied = (capAdd: string[]) => (generateSpec({ ...input, capAdd }) as any).linux.seccomp.syscalls[0].names as string[];
    expect(denied([])).toEqual(expect.arrayContaining(['mount', 'unshare', 'setns', 'settimeofday']));
    expect(denied(['SYS_ADMIN'])).not.toEqual(expect.arrayContaining(['mount']));
    expect(denied(['SYS_ADMIN'])).toEqual(expect.arrayContaining(['settimeofday', 'kexec_load']));
    expect(denied(['SYS_TIME'])).not.toContain('settimeofday');
  });
});

describe('the flags themselves', () => {
  it('parses --device as Podman does', () => {
    expect(parseDevice('/dev/null')).toEqual({ source: '/dev/null', destination: '/dev/null', permissions: 'rwm' });
    expect(parseDevice('/dev/null:r')).toEqual({ source: '/dev/null', destination: '/dev/null', permissions: 'r' });
    expect(parseDevice('/dev/null:/dev/x:rw')).toEqual({ source: '/dev/null', destination: '/dev/x', permissions: 'rw' });
    expect(() => parseDevice('/dev/null:rr')).toThrow('invalid device mode "rr"');
    expect(() => parseDevice('/dev/null:/x:')).toThrow('empty device mode');
    expect(() => parseDevice('a:b:c:d')).toThrow('invalid device specification');
  });

  it('turns systemd mode on for init commands, as Podman detects them', () => {
    expect([['/sbin/init'], ['/usr/local/sbin/init'], ['/lib/systemd/systemd', '--x'], ['/bin/sh', '-c', '/usr/sbin/init']].map((a) => systemdMode(undefined, a))).toEqual([true, true, true, true]);
    expect([systemdMode('false', ['/sbin/init']), systemdMode(undefined, ['sh']), systemdMode('always', ['sh']), systemdMode('true', [])]).toEqual([false, false, true, false]);
  });

  it('knows SIGRTMIN+N and SIGRTMAX-N by their Linux numbers', () => {
    expect(normalizeSignal('RTMIN+3')).toBe('SIGRTMIN+3');
    expect([realtimeSignal('SIGRTMIN+3'), realtimeSignal('SIGRTMIN'), realtimeSignal('SIGRTMAX-1'), realtimeSignal('SIGRTMIN+40'), realtimeSignal('SIGTERM')]).toEqual([37, 34, 63, undefined, undefined]);
    expect(() => normalizeSignal('RTMIN+99')).toThrow('invalid signal');
  });
});
