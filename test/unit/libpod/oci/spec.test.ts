import { describe, expect, it } from 'vitest';
import { capabilities, generateSpec, hardNofile, processArgs, processEnv, resolveUser, DEFAULT_CAPABILITIES, type SpecInput } from '../../../../libpod/oci/spec';

const passwd = 'root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/bin/false\nalice:x:1000:1000::/home/alice:/bin/sh\n';
const group = 'root:x:0:\nwww-data:x:33:\nalice:x:1000:\naudio:x:29:alice,bob\ndocker:x:999:alice\n';

const base = (over: Partial<SpecInput> = {}): SpecInput => ({
  rootfs: '/r',
  readOnly: false,
  image: { Cmd: ['sh'], Env: ['PATH=/bin', 'LANG=C'] },
  command: [],
  env: [],
  user: { uid: 0, gid: 0, additionalGids: [], home: '/root' },
  terminal: false,
  hostname: 'abc123',
  capAdd: [],
  capDrop: [],
  noNewPrivileges: false,
  network: 'private',
  files: { hosts: '/run/x/hosts', resolvConf: '/run/x/resolv.conf', hostname: '/run/x/hostname' },
  ...over,
});

describe('OCI spec', () => {
  it('builds the command as Docker does', () => {
    expect(processArgs({ Cmd: ['sh'] }, [], undefined)).toEqual(['sh']);
    expect(processArgs({ Entrypoint: ['/init'], Cmd: ['a'] }, [], undefined)).toEqual(['/init', 'a']);
    expect(processArgs({ Entrypoint: ['/init'], Cmd: ['a'] }, ['b'], undefined)).toEqual(['/init', 'b']);
    expect(processArgs({ Entrypoint: ['/init'], Cmd: ['a'] }, [], ['/other'])).toEqual(['/other']);
    expect(processArgs({ Cmd: ['a'] }, ['x'], [])).toEqual(['x']);
    expect(() => processArgs({}, [], undefined)).toThrow('no command specified');
  });

  it('layers the environment: defaults, image, user', () => {
    expect(processEnv({ Env: ['PATH=/bin', 'A=1'] }, ['A=2', 'B=x=y'], 'h', true)).toEqual(['PATH=/bin', 'TERM=xterm', 'container=tspod', 'A=2', 'HOSTNAME=h', 'B=x=y']);
    expect(() => processEnv({}, ['=bad'], 'h', false)).toThrow('invalid environment entry "=bad"');
  });

  it('resolves users and groups by name or number, with supplementary groups', () => {
    expect(resolveUser(undefined, passwd, group)).toEqual({ uid: 0, gid: 0, additionalGids: [0], home: '/root' });
    expect(resolveUser('alice', passwd, group)).toEqual({ uid: 1000, gid: 1000, additionalGids: [1000, 29, 999], home: '/home/alice' });
    expect(resolveUser('33:audio', passwd, group)).toMatchObject({ uid: 33, gid: 29, additionalGids: [29] });
    expect(resolveUser('4242', passwd, group)).toEqual({ uid: 4242, gid: 4242, additionalGids: [4242], home: '/' });
    expect(() => resolveUser('nobody', passwd, group)).toThrow("unable to find user nobody: no matching entries in the image's /etc/passwd");
    expect(() => resolveUser('alice:nogroup', passwd, group)).toThrow('unable to find group nogroup');
    // Podman's exit code 126 for a user that cannot be had; IDs outside the runtime's range are refused by name.
    expect(() => resolveUser('nobody', passwd, group)).toThrow(expect.objectContaining({ exitCode: 126 }));
    expect(() => resolveUser('-1', passwd, group)).toThrow(expect.objectContaining({ exitCode: 126, message: 'invalid user "-1": uids and gids must be in range 0-2147483647' }));
    expect(() => resolveUser('0:2147483648', passwd, group)).toThrow('invalid user "0:2147483648": uids and gids must be in range 0-2147483647');
    expect(resolveUser('2147483647', passwd, group)).toMatchObject({ uid: 2147483647 });
  });

  it("starts from Podman's capabilities and applies --cap-add/--cap-drop", () => {
    expect(capabilities([], [])).toEqual(DEFAULT_CAPABILITIES.map((c) => `CAP_${c}`).sort());
    expect(capabilities(['net_admin', 'CAP_SYS_TIME'], ['kill'])).toContain('CAP_NET_ADMIN');
    expect(capabilities(['net_admin', 'CAP_SYS_TIME'], ['kill'])).not.toContain('CAP_KILL');
    expect(capabilities([], ['all'])).toEqual([]);
    expect(capabilities(['all'], []).length).toBeGreaterThan(30);
    expect(() => capabilities(['FLY'], [])).toThrow('unknown capability "FLY"');
  });

  it('writes namespaces, mounts, masked paths and seccomp for a rootless container', () => {
    const spec = generateSpec(base({ terminal: true, init: '/usr/bin/catatonit', noNewPrivileges: true })) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(spec.process.args).toEqual(['/run/tspod-init', '--', 'sh']);
    expect(spec.process.terminal).toBe(true);
    expect(spec.process.noNewPrivileges).toBe(true);
    expect(spec.linux.namespaces.map((n: { type: string }) => n.type)).toEqual(['pid', 'ipc', 'uts', 'mount', 'network']);
    expect(spec.linux.namespaces.map((n: { type: string }) => n.type)).not.toContain('user');
    expect(spec.mounts.find((m: { destination: string }) => m.destination === '/sys')).toMatchObject({ type: 'sysfs' });
    expect(spec.mounts.find((m: { destination: string }) => m.destination === '/etc/hosts').source).toBe('/run/x/hosts');
    expect(spec.linux.maskedPaths).toContain('/proc/kcore');
    expect(spec.linux.seccomp.syscalls[0].names).toEqual(expect.arrayContaining(['kexec_load', 'init_module', 'reboot', 'mount']));
    expect(spec.process.rlimits).toBeUndefined();
    expect((generateSpec(base({ nofile: 524288 })) as any).process.rlimits).toEqual([{ type: 'RLIMIT_NOFILE', hard: 524288, soft: 524288 }]); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(hardNofile('Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n')).toBe(524288);
    const host = generateSpec(base({ network: 'host' })) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(host.linux.namespaces.map((n: { type: string }) => n.type)).not.toContain('network');
    expect(host.mounts.find((m: { destination: string }) => m.destination === '/sys')).toMatchObject({ type: 'bind', source: '/sys' });
  });
});
