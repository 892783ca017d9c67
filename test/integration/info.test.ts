// `tspod info` and `tspod system check` as the unprivileged test user, checked against the host's
// own files; then the failure paths: a user with no subuid range, and /dev/fuse closed.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Store, appDir, noSubUser, registry, testUser, userEnv } from './harness';

const store = new Store('info');
afterAll(() => store.cleanup());

function subidLine(file: string, user: string): { start: number; count: number } {
  const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no ${file} line for ${user}: scripts/setup-host.sh makes one`);
  const [, start, count] = line.split(':');
  return { start: Number(start), count: Number(count) };
}

function which(cmd: string): string {
  for (const dir of ['/usr/local/bin', '/usr/bin', '/bin', '/usr/local/sbin', '/usr/sbin', '/sbin']) {
    if (fs.existsSync(`${dir}/${cmd}`)) return `${dir}/${cmd}`;
  }
  throw new Error(`${cmd} is not installed: scripts/setup-host.sh installs it`);
}

describe('tspod info', () => {
  it('reports runc, the ID mapping tools, the subuid ranges and fuse-overlayfs as the host has them', () => {
    const r = store.tspod(['info', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    const u = userEnv();
    const sub = subidLine('/etc/subuid', u.user);
    const subg = subidLine('/etc/subgid', u.user);

    expect(info.host.security).toMatchObject({ rootless: true, uid: u.uid, user: u.user });
    expect(info.host.idMappings.uidmap).toEqual([
      { container_id: 0, host_id: u.uid, size: 1 },
      { container_id: 1, host_id: sub.start, size: sub.count },
    ]);
    expect(info.host.idMappings.gidmap).toEqual([
      { container_id: 0, host_id: u.gid, size: 1 },
      { container_id: 1, host_id: subg.start, size: subg.count },
    ]);
    expect(info.host.ociRuntime.name).toBe('runc');
    expect(info.host.ociRuntime.path).toBe(which('runc'));
    expect(info.host.ociRuntime.version).toMatch(/^runc version \d+\.\d+/);
    const newuidmap = which('newuidmap');
    const setuid = (fs.statSync(newuidmap).mode & 0o4000) !== 0;
    expect(info.host.idMapTools.newuidmap).toEqual({ path: newuidmap, privileged: true, how: setuid ? 'setuid root' : expect.stringContaining('cap_setuid') });
    expect(info.host.idMapTools.newgidmap.path).toBe(which('newgidmap'));
    expect(info.store.graphOptions.mountProgram.path).toBe(which('fuse-overlayfs'));
    expect(info.store.graphOptions.mountProgram.version).toMatch(/fuse-overlayfs: version \d/);
    expect(info.host.devices.fuse).toMatchObject({ path: '/dev/fuse', exists: true, usable: true });
    expect(info.host.kernel).toBe(fs.readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim());
    const unified = fs.existsSync('/sys/fs/cgroup/cgroup.controllers');
    expect(info.host.cgroupVersion).toBe(unified ? 'v2' : 'v1');
    expect(info.host.slirp4netns.executable).toBe(which('slirp4netns'));
    expect(info.host.pasta.executable).toBe(which('pasta'));
    expect(info.store.graphRoot).toBe(store.root);
    expect(info.store.runRoot).toBe(store.runroot);
    expect(info.store.databaseSchema).toBeGreaterThanOrEqual(1);
    expect(info.store.containerStore.number).toBe(0);
  });

  it('prints Podman-shaped YAML by default', () => {
    const r = store.tspod(['info']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^host:\n {2}arch: \w+\n/);
    expect(r.stdout).toMatch(/^ {2}ociRuntime:\n {4}name: runc\n/m);
    expect(r.stdout).toMatch(/^store:\n/m);
    expect(r.stdout).toMatch(/^version:\n/m);
  });
});

/** The package dpkg says installed a program, as Podman names it (name_version_arch). */
function dpkgPackage(file: string): string {
  const owner = spawnSync('dpkg-query', ['-S', file], { encoding: 'utf8' });
  if (owner.status !== 0) return '';
  const name = owner.stdout.split(':')[0];
  return spawnSync('dpkg-query', ['-W', '-f', '${Package}_${Version}_${Architecture}', name], { encoding: 'utf8' }).stdout.trim();
}

describe("tspod info in Podman 5's shape", () => {
  it("has Podman's keys with this host's values, and counts containers by state", () => {
    expect(store.tspod(['pull', '-q', `${registry}/library/busybox`]).code).toBe(0);
    expect(store.tspod(['run', '-d', '--name', 'up', `${registry}/library/busybox`, 'sleep', '100']).code).toBe(0);
    expect(store.tspod(['create', '--name', 'made', `${registry}/library/busybox`, 'true']).code).toBe(0);
    try {
      const r = store.tspod(['info', '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      // Podman's MarshalIndent: two spaces, host first.
      expect(r.stdout).toMatch(/^\{\n {2}"host": \{\n {4}"arch": /);
      const info = JSON.parse(r.stdout);
      expect(Object.keys(info)).toEqual(['host', 'store', 'registries', 'plugins', 'version']);
      const h = info.host;
      const runc = which('runc');
      expect(h.ociRuntime).toEqual({ name: 'runc', package: dpkgPackage(runc), path: runc, version: expect.stringMatching(/^runc version /) });
      expect(h.ociRuntime.package).toMatch(/^runc_\S+_\w+$/);
      expect(h.slirp4netns.package).toBe(dpkgPackage(which('slirp4netns')));
      expect(h.pasta.package).toBe(dpkgPackage(which('pasta')));
      expect(h.conmon).toEqual({ package: '', path: path.join(appDir, 'dist', 'conmon.js'), version: expect.stringMatching(/^tspod monitor version \d/) });
      expect(fs.existsSync(h.conmon.path)).toBe(true);
      const unified = fs.existsSync('/sys/fs/cgroup/cgroup.controllers');
      if (!unified) expect(h.cgroupControllers).toEqual([]);
      const cpu = h.cpuUtilization;
      expect(cpu.userPercent + cpu.systemPercent + cpu.idlePercent).toBeGreaterThan(50);
      expect(cpu.userPercent + cpu.systemPercent + cpu.idlePercent).toBeLessThanOrEqual(100.01);
      const swapTotal = Number(/^SwapTotal:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;
      expect(h.swapTotal).toBe(swapTotal);
      expect(h.uptime).toMatch(/^\d+h \d+m \d+\.\d\ds \(Approximately \d+\.\d\d days\)$/);
      const upHours = Math.floor(Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]) / 3600);
      expect(Number(/^(\d+)h/.exec(h.uptime)![1])).toBeGreaterThanOrEqual(upHours - 1);
      expect(h).toMatchObject({ databaseBackend: 'sqlite', eventLogger: 'sqlite', logDriver: 'k8s-file', serviceIsRemote: false, cgroupManager: 'cgroupfs', os: 'linux', rootlessNetworkCmd: expect.stringMatching(/^(pasta|slirp4netns)$/) });
      expect(h.security).toMatchObject({
        apparmorEnabled: false,
        capabilities: 'CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_NET_BIND_SERVICE,CAP_SETFCAP,CAP_SETGID,CAP_SETPCAP,CAP_SETUID,CAP_SYS_CHROOT',
        rootless: true,
        seccompEnabled: /^Seccomp:\s*\d/m.test(fs.readFileSync('/proc/self/status', 'utf8')),
        selinuxEnabled: fs.existsSync('/sys/fs/selinux/enforce'),
      });
      const s = info.store;
      expect(s.containerStore).toEqual({ number: 2, paused: 0, running: 1, stopped: 1 });
      expect(s.imageStore).toEqual({ number: 1 });
      const st = fs.statfsSync(store.root);
      expect(s.graphRootAllocated).toBe(st.blocks * st.bsize);
      expect(Math.abs(s.graphRootUsed - (st.blocks - st.bfree) * st.bsize)).toBeLessThan(256 * 1024 * 1024);
      expect(s.graphStatus['Backing Filesystem']).toBe(st.type === 0xef53 ? 'extfs' : expect.any(String));
      expect(s).toMatchObject({ graphDriverName: 'overlay', graphRoot: store.root, runRoot: store.runroot, volumePath: `${store.root}/volumes`, imageCopyTmpDir: `${store.root}/tmp`, transientStore: false });
      expect(info.plugins).toEqual({ volume: ['local'], network: ['bridge'], log: ['k8s-file'], authorization: null });
      expect(Object.keys(info.version)).toEqual(expect.arrayContaining(['APIVersion', 'Version', 'GitCommit', 'BuiltTime', 'Built', 'OsArch', 'Os']));
    } finally {
      store.tspod(['rm', '-f', '-t', '0', 'up', 'made']);
    }
  });

  it("answers templates by Podman's Go names and prints YAML with Podman's sorted keys", () => {
    const t = store.tspod(['info', '--format', '{{.Host.OCIRuntime.Path}} {{.Host.OS}} {{.Store.GraphDriverName}} {{.Host.CgroupsVersion}} {{.Host.Security.Rootless}} {{.Store.ContainerStore.Number}}']);
    expect(t.stderr).toBe('');
    const unified = fs.existsSync('/sys/fs/cgroup/cgroup.controllers');
    expect(t.stdout).toBe(`${which('runc')} linux overlay ${unified ? 'v2' : 'v1'} true 0\n`);
    const j = store.tspod(['info', '--format', '{{json .}}']).stdout;
    expect(j).toMatch(/^\{\n {2}"host": \{\n/);
    expect(Object.keys(JSON.parse(j))).toEqual(['host', 'store', 'registries', 'plugins', 'version']);
    const y = store.tspod(['info']).stdout;
    expect(y.match(/^\w+:/gm)).toEqual(['host:', 'plugins:', 'registries:', 'store:', 'version:']);
    expect(y).toMatch(/^ {2}ociRuntime:\n {4}name: runc\n {4}package: runc_\S+\n {4}path: \S+\n {4}version: /m);
    expect(y).toMatch(/^ {2}containerStore:\n {4}number: 0\n {4}paused: 0\n {4}running: 0\n {4}stopped: 0\n/m);
    expect(y).toMatch(/^version:\n {2}APIVersion: \S+\n {2}Built: /m);
    // Go's YAML: a list sits at its key's indentation; Println's blank line at the end.
    expect(y).toMatch(/^ {4}gidmap:\n {4}- container_id: 0\n {6}host_id: \d+\n {6}size: 1\n/m);
    expect(y.endsWith('\n\n')).toBe(true);
  });
});

describe('tspod system check', () => {
  it('passes for a correctly set-up user and names each prerequisite', () => {
    const r = store.tspod(['system', 'check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const name of ['newuidmap', 'newgidmap', '/etc/subuid', '/etc/subgid', 'oci runtime', 'fuse-overlayfs', '/dev/fuse', '/dev/net/tun', 'state database']) {
      expect(r.stdout).toMatch(new RegExp(`^ok\\s+${name.replace(/\//g, '\\/')}: `, 'm'));
    }
    expect(r.stdout).toMatch(/no errors: this host can run rootless containers\n$/);
  });

  it('names the missing subuid range and the usermod command that adds it', () => {
    if (!noSubUser) throw new Error('TSPOD_NOSUB_USER is not set: run the tests through scripts/test.sh as root');
    const nosub = new Store('nosub', noSubUser);
    try {
      expect(fs.readFileSync('/etc/subuid', 'utf8')).not.toMatch(new RegExp(`^${noSubUser}:`, 'm'));
      const r = nosub.tspod(['system', 'check']);
      expect(r.code).toBe(125);
      expect(r.stdout).toMatch(new RegExp(`^error\\s+/etc/subuid: no subuid ranges found for user "${noSubUser}" in /etc/subuid`, 'm'));
      expect(r.stdout).toMatch(new RegExp(`^\\s+fix: sudo usermod --add-subuids \\d+-\\d+ --add-subgids \\d+-\\d+ ${noSubUser}$`, 'm'));
      expect(r.stderr).toBe('Error: 2 prerequisites are missing: apply the fixes above, then run "tspod system check" again\n');
      // The suggested range must not overlap the test user's.
      const m = /--add-subuids (\d+)-(\d+)/.exec(r.stdout)!;
      const taken = subidLine('/etc/subuid', testUser);
      expect(Number(m[1])).toBeGreaterThanOrEqual(taken.start + taken.count);
    } finally {
      nosub.cleanup();
    }
  });

  it('explains a /dev/fuse that the user cannot open, with the chmod that fixes it', () => {
    if (process.getuid?.() !== 0) throw new Error('changing /dev/fuse needs root: run the tests through scripts/test.sh as root');
    const before = fs.statSync('/dev/fuse').mode & 0o7777;
    fs.chmodSync('/dev/fuse', 0o600);
    try {
      const r = store.tspod(['system', 'check']);
      expect(r.code).toBe(125);
      expect(r.stdout).toMatch(/^error\s+\/dev\/fuse: \/dev\/fuse is not readable and writable by \S+ \(mode 0600\); it is needed by fuse-overlayfs/m);
      expect(r.stdout).toMatch(/^\s+fix: sudo chmod 0666 \/dev\/fuse/m);
      expect(r.stderr).toBe('Error: 1 prerequisite is missing: apply the fixes above, then run "tspod system check" again\n');
      const info = JSON.parse(store.tspod(['info', '--format', 'json']).stdout);
      expect(info.host.devices.fuse).toMatchObject({ usable: false, mode: '0600' });
    } finally {
      fs.chmodSync('/dev/fuse', before);
    }
  });
});
