// `tspod info` and `tspod system check` as the unprivileged test user, checked against the host's
// own files; then the failure paths: a user with no subuid range, and /dev/fuse closed.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { Store, noSubUser, testUser, userEnv } from './harness';

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
