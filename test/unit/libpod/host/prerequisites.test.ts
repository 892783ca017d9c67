import { describe, expect, it } from 'vitest';
import { checkHost } from '../../../../libpod/host/prerequisites';
import { defaultConfig } from '../../../../libpod/config/config';
import type { HostInfo } from '../../../../libpod/host/host-info';

function host(over: Partial<HostInfo> = {}): HostInfo {
  const prog = (name: string, path: string) => ({ name, path, version: `${name} version 1` });
  return {
    arch: 'amd64', os: 'linux', kernel: '6.1', hostname: 'h', distribution: { distribution: 'debian', version: '12', codename: 'bookworm' },
    cpus: 2, memTotal: 1, memFree: 1, uid: 1000, gid: 1000, user: 'alice', rootless: true, cgroupVersion: 'v2', cgroupMode: 'unified', cgroupDelegation: { version: 'v2', own: '/user.slice/user-1000.slice/user@1000.service/app.slice/x.scope', delegated: '/user.slice/user-1000.slice/user@1000.service', enabled: ['cpu', 'cpuset', 'io', 'memory', 'pids'], available: ['cpu', 'cpuset', 'io', 'memory', 'pids'] },
    userNamespaces: { enabled: true, maxUserNamespaces: 1000, unprivilegedClone: null },
    subuid: { file: '/etc/subuid', ranges: [{ start: 100000, count: 65536 }], entries: [{ owner: 'alice', start: 100000, count: 65536 }] },
    subgid: { file: '/etc/subgid', ranges: [{ start: 100000, count: 65536 }], entries: [{ owner: 'alice', start: 100000, count: 65536 }] },
    newuidmap: { path: '/usr/bin/newuidmap', privileged: true, how: 'setuid root' },
    newgidmap: { path: '/usr/bin/newgidmap', privileged: true, how: 'setuid root' },
    unshare: prog('unshare', '/usr/bin/unshare'), nsenter: prog('nsenter', '/usr/bin/nsenter'),
    ociRuntime: { ...prog('crun', '/usr/bin/crun'), candidates: ['crun', 'runc'] },
    fuseOverlayfs: prog('fuse-overlayfs', '/usr/bin/fuse-overlayfs'), nativeOverlay: { works: true, detail: 'ok' },
    fuseDevice: { path: '/dev/fuse', exists: true, usable: true, mode: '0666' }, tunDevice: { path: '/dev/net/tun', exists: true, usable: true, mode: '0666' },
    slirp4netns: prog('slirp4netns', '/usr/bin/slirp4netns'), pasta: prog('pasta', '/usr/bin/pasta'), networkCmd: 'pasta',
    catatonit: prog('catatonit', '/usr/bin/catatonit'), runtimeDirEnv: '/run/user/1000',
    ...over,
  };
}

const errors = (h: HostInfo, config = defaultConfig()) => checkHost(h, config).filter((c) => c.severity === 'error');

describe('checkHost', () => {
  it('finds nothing wrong on a complete host', () => {
    expect(errors(host())).toEqual([]);
    expect(checkHost(host(), defaultConfig()).every((c) => c.severity === 'ok')).toBe(true);
  });

  it('gives the usermod fix for missing subuid and subgid ranges', () => {
    const h = host({ subuid: { file: '/etc/subuid', ranges: [], entries: [{ owner: 'bob', start: 100000, count: 65536 }] }, subgid: { file: '/etc/subgid', ranges: [], entries: [] } });
    const e = errors(h);
    expect(e.map((c) => c.name)).toEqual(['/etc/subuid', '/etc/subgid']);
    expect(e[0].message).toBe('no subuid ranges found for user "alice" in /etc/subuid: tspod can map only your own ID, and images with files of other owners will fail');
    expect(e[0].fix).toBe('sudo usermod --add-subuids 165536-231071 --add-subgids 165536-231071 alice');
  });

  it('warns about a small range', () => {
    const h = host({ subuid: { file: '/etc/subuid', ranges: [{ start: 100000, count: 1000 }], entries: [{ owner: 'alice', start: 100000, count: 1000 }] } });
    const c = checkHost(h, defaultConfig()).find((x) => x.name === '/etc/subuid')!;
    expect(c.severity).toBe('warning');
    expect(c.message).toContain('1000 IDs; images often need 65536');
  });

  it('names the package or mode fix for missing tools and closed devices', () => {
    const e = errors(host({
      newuidmap: { path: null, privileged: false, how: 'missing' },
      newgidmap: { path: '/usr/bin/newgidmap', privileged: false, how: 'neither setuid root nor file capabilities' },
      ociRuntime: { name: 'crun', path: null, version: null, candidates: ['crun', 'runc'] },
      fuseDevice: { path: '/dev/fuse', exists: true, usable: false, mode: '0600' },
      tunDevice: { path: '/dev/net/tun', exists: false, usable: false, mode: null },
    }));
    const byName = Object.fromEntries(e.map((c) => [c.name, c]));
    expect(byName.newuidmap.fix).toMatch(/^sudo apt-get install uidmap/);
    expect(byName.newgidmap.fix).toBe('sudo chmod u+s /usr/bin/newgidmap   (or: sudo setcap cap_setgid+ep /usr/bin/newgidmap)');
    expect(byName['oci runtime'].message).toBe('no OCI runtime found (tried crun, runc)');
    expect(byName['oci runtime'].fix).toMatch(/^sudo apt-get install crun/);
    expect(byName['/dev/fuse'].message).toBe('/dev/fuse is not readable and writable by alice (mode 0600); it is needed by fuse-overlayfs, the overlay fallback');
    expect(byName['/dev/fuse'].fix).toMatch(/^sudo chmod 0666 \/dev\/fuse/);
    expect(byName['/dev/net/tun'].message).toBe('/dev/net/tun does not exist; it is needed by pasta and slirp4netns');
  });

  it('explains cgroup v1, disabled user namespaces and a missing network helper', () => {
    const checks = checkHost(host({ cgroupVersion: 'v1', cgroupMode: 'hybrid', userNamespaces: { enabled: false, maxUserNamespaces: 0, unprivilegedClone: 0 }, pasta: { name: 'pasta', path: null, version: null }, slirp4netns: { name: 'slirp4netns', path: null, version: null }, networkCmd: null }), defaultConfig());
    const cg = checks.find((c) => c.name === 'cgroups')!;
    expect(cg.severity).toBe('warning');
    expect(cg.message).toContain('resource limits (--memory, --cpus, --pids-limit) cannot be enforced');
    expect(checks.find((c) => c.name === 'user namespaces')!.fix).toContain('user.max_user_namespaces');
    expect(checks.find((c) => c.name === 'network')!.message).toContain('neither pasta nor slirp4netns');
  });

  it('says which cgroup v2 controllers are delegated, and how to delegate the others', () => {
    const cg = (h: HostInfo) => checkHost(h, defaultConfig()).find((c) => c.name === 'cgroups')!;
    const service = '/user.slice/user-1000.slice/user@1000.service';
    expect(cg(host())).toEqual({ name: 'cgroups', severity: 'ok', message: `cgroup v2, ${service} delegated to alice; controllers for containers: cpu cpuset io memory pids` });
    const partial = host({ cgroupDelegation: { version: 'v2', own: `${service}/app.slice`, delegated: service, enabled: ['memory', 'pids'], available: ['memory', 'pids'] } });
    expect(cg(partial)).toEqual({
      name: 'cgroups',
      severity: 'warning',
      message: `cgroup v2, ${service} delegated to alice; controllers for containers: memory pids; not delegated: cpu cpuset io (limits on them are dropped with a warning)`,
      fix: 'delegate it with systemd: "sudo systemctl edit user@.service", add "[Service]" and "Delegate=cpu cpuset io" (or Delegate=yes), then log in again',
    });
    const none = cg(host({ cgroupDelegation: { version: 'v2', own: '/session.scope', enabled: [], available: [] } }));
    expect([none.severity, none.message]).toEqual(['warning', 'cgroup v2, but no cgroup from /session.scope upwards is writable by alice: containers get no cgroup of their own, so resource limits (--memory, --cpus, --pids-limit) are not applied and pause is refused']);
  });

  it('makes native overlay an error only when it is forced', () => {
    const broken = host({ nativeOverlay: { works: false, detail: 'mount: permission denied' } });
    expect(errors(broken)).toEqual([]);
    const forced = defaultConfig();
    forced.storage.overlay = 'native';
    expect(errors(broken, forced).map((c) => c.name)).toEqual(['native overlay']);
  });
});
