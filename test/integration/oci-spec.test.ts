// The generated OCI spec, run by the real runc inside tspod's user namespace as the unprivileged
// user (containers themselves arrive with the monitor; this proves the spec a runtime receives).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { hardNofile } from '../../libpod/oci/spec';

/** The test user's hard limit is the same as this process's (runuser keeps it). */
const hardNofileOf = (text: string) => hardNofile(text);
import { Store, appDir, mountedImage, registry } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

describe('OCI spec under runc', () => {
  const store = new Store('oci-spec');
  const image = `${registry}/library/busybox`;
  let root = '';
  let config = '';
  let n = 0;
  beforeAll(() => {
    ({ root, config } = mountedImage(store, image));
    expect(root).toMatch(/merged$/);
  });
  afterAll(() => {
    store.tspod(['image', 'unmount', '--all']);
    store.cleanup();
  });
  const runIn = (cmd: string[], env: Record<string, string> = {}) =>
    store.tspod(['unshare', 'node', path.join(appDir, 'dist', 'test', 'run-spec.js'), root, path.join(store.dir, `bundle-${n++}`), config, '--', ...cmd], { env });

  it('runs the command as root of the namespace with the hostname, files and environment asked for', () => {
    const r = runIn(['sh', '-c', 'id -u; hostname; cat /etc/hostname; grep specbox /etc/hosts; echo $SPEC_TEST $HOSTNAME $container']);
    expect(r.stderr).not.toMatch(/level=error/);
    expect(r.stdout).toBe('0\nspecbox\nspecbox\n127.0.1.1 specbox\nyes specbox tspod\n');
  });

  it("passes the exit code through and gives Podman's capabilities, no more", () => {
    expect(runIn(['sh', '-c', 'exit 7']).code).toBe(7);
    // CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE SYS_CHROOT SETFCAP
    const caps = runIn(['sh', '-c', 'grep -E "^Cap(Eff|Bnd)" /proc/self/status']).stdout;
    expect(caps).toBe('CapEff:\t00000000800405fb\nCapBnd:\t00000000800405fb\n');
    expect(runIn(['sh', '-c', 'grep NoNewPrivs /proc/self/status']).stdout).toBe('NoNewPrivs:\t1\n');
  });

  it('masks kernel paths, refuses forbidden system calls, and has its own network namespace', () => {
    // /proc/keys and /proc/timer_list exist on the host and read as empty inside (masked).
    expect(fs.statSync('/proc/timer_list').isFile()).toBe(true);
    expect(runIn(['sh', '-c', 'wc -c < /proc/timer_list; wc -c < /proc/keys']).stdout).toBe('0\n0\n');
    const denied = runIn(['unshare', '-U', 'true']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/Operation not permitted/);
    expect(runIn(['sh', '-c', 'ls /sys/class/net']).stdout).toBe('lo\n');
    expect(runIn(['touch', '/proc/sys/kernel/x']).code).not.toBe(0);
  });

  it('runs as the image user named by --user, with its groups, and the caller\'s open-file limit', () => {
    const limit = fs.readFileSync('/proc/self/limits', 'utf8');
    expect(runIn(['sh', '-c', 'ulimit -n']).stdout.trim()).toBe(String(hardNofileOf(limit)));
    const r = runIn(['id'], { SPEC_USER: 'www-data' });
    expect(r.stdout).toBe('uid=33(www-data) gid=33(www-data) groups=33(www-data)\n');
  });
});
