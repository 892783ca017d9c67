// create's and run's privilege, device, security, namespace and spec-shaping options (issue 19),
// each run in a real container as the unprivileged user and checked inside it (capabilities,
// seccomp, masked paths, namespaces against the host's, mounts, signals) or in inspect; bad
// values refused with Podman's words and exit code before anything is made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store, mirrorDockerHub, registry } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('run-privileges');
let env: Record<string, string> = {};
const tspod = (args: string[]) => store.tspod(args, { env });

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

/** The output of a --rm run that must succeed quietly. */
const out = (args: string[]) => {
  const r = tspod(['run', '--rm', ...args]);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return r.stdout;
};
/** Waits until a detached container has printed "ready" (its trap is set). */
const ready = (name: string) => {
  const until = Date.now() + 15000;
  while (!tspod(['logs', name]).stdout.includes('ready')) {
    if (Date.now() > until) throw new Error(`${name} never printed ready`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
};
const hostConfig = (name: string) => JSON.parse(tspod(['inspect', '--format', '{{json .HostConfig}}', name]).stdout) as Record<string, unknown>;
/** Every capability this kernel has, as /proc/PID/status shows CapEff. */
const fullCaps = () => {
  const last = Number(fs.readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8'));
  return ((1n << BigInt(last + 1)) - 1n).toString(16).padStart(16, '0');
};

describe('--privileged', () => {
  it('gives every capability, no seccomp filter, no masked or read-only kernel paths, and a writable /sys', () => {
    const script = 'grep -E "^(CapEff|Seccomp):" /proc/self/status; grep -c " /proc/timer_list " /proc/self/mountinfo; grep " /sys " /proc/self/mountinfo | grep -c " rw,"';
    expect(out(['--privileged', 'busybox', 'sh', '-c', `${script}; true`])).toBe(`CapEff:\t${fullCaps()}\nSeccomp:\t0\n0\n1\n`);
    // Without it: Podman's default capabilities, the filter, /proc/timer_list masked, /sys read-only.
    expect(out(['busybox', 'sh', '-c', `${script}; true`])).toBe('CapEff:\t00000000800405fb\nSeccomp:\t2\n1\n0\n');
  });

  it("binds the host's device nodes in, but not the consoles", () => {
    const skip = new Set(['null', 'zero', 'full', 'random', 'urandom', 'tty', 'ptmx', 'console']);
    const host = fs.readdirSync('/dev', { withFileTypes: true }).filter((e) => e.isCharacterDevice() && !skip.has(e.name) && !/^tty\d+$/.test(e.name)).map((e) => e.name);
    expect(host.length).toBeGreaterThan(0);
    const list = (flags: string[]) => out([...flags, 'busybox', 'ls', '/dev']).split('\n');
    const privileged = list(['--privileged']);
    expect(host.filter((d) => !privileged.includes(d))).toEqual([]);
    expect(privileged).not.toContain('tty1');
    expect(list([]).filter((d) => host.includes(d))).toEqual([]);
  });

  it('writes /run/.containerenv with the container\'s facts, and shows Privileged in inspect', () => {
    const version = tspod(['--version']).stdout.trim().replace('tspod version ', '');
    const r = tspod(['run', '--name', 'priv', '--privileged', 'busybox', 'cat', '/run/.containerenv']);
    expect(r.code).toBe(0);
    const id = tspod(['inspect', '--format', '{{.Id}}', 'priv']).stdout.trim();
    const [imageId, imageName] = tspod(['inspect', '--format', '{{.Image}} {{.ImageName}}', 'priv']).stdout.trim().split(' ');
    expect(r.stdout).toBe(`engine="tspod-${version}"\nname="priv"\nid="${id}"\nimage="${imageName}"\nimageid="${imageId}"\nrootless=1\n`);
    const hc = hostConfig('priv');
    expect([hc.Privileged, hc.SecurityOpt]).toEqual([true, ['unmask=all']]);
  });
});

describe('--cap-add', () => {
  it("SYS_ADMIN may mount, as in Podman: the default seccomp filter gives the capability's calls back", () => {
    expect(out(['--cap-add', 'SYS_ADMIN', 'busybox', 'sh', '-c', 'mkdir /m && mount -t tmpfs none /m && grep -c " /m " /proc/self/mountinfo'])).toBe('1\n');
    const r = tspod(['run', '--rm', 'busybox', 'sh', '-c', 'mkdir /m && mount -t tmpfs none /m']);
    expect([r.code, r.stderr]).toEqual([1, 'mount: permission denied (are you root?)\n']);
  });
});

describe('/run/.containerenv', () => {
  it('is there and empty without --privileged, and is not a change of the container', () => {
    expect(tspod(['run', '--name', 'cenv', 'busybox', 'sh', '-c', 'test -f /run/.containerenv && wc -c < /run/.containerenv']).stdout).toBe('0\n');
    expect(tspod(['diff', 'cenv']).stdout).toBe('C /etc\n');
  });
});

describe('--device', () => {
  it('binds a host device in at the path asked for, and inspect shows it', () => {
    expect(out(['--device', '/dev/null:/dev/mynull', 'busybox', 'sh', '-c', 'stat -c "%t:%T" /dev/mynull; echo gone > /dev/mynull && echo written'])).toBe('1:3\nwritten\n');
    expect(tspod(['create', '--name', 'dev', '--device', '/dev/zero:/dev/z:r', 'busybox']).code).toBe(0);
    expect(hostConfig('dev').Devices).toEqual([{ PathOnHost: '/dev/zero', PathInContainer: '/dev/z', CgroupPermissions: 'r' }]);
  });
});

describe('namespaces', () => {
  const hostNs = (type: string) => fs.readlinkSync(`/proc/self/ns/${type}`);
  const nsInside = (flags: string[], type: string) => out([...flags, 'busybox', 'readlink', `/proc/self/ns/${type}`]).trim();

  it("--pid host, --ipc host and --uts host join the host's namespaces", () => {
    for (const type of ['pid', 'ipc', 'uts']) {
      expect(nsInside([`--${type}`, 'host'], type)).toBe(hostNs(type));
      expect(nsInside([], type)).not.toBe(hostNs(type));
    }
  });

  it("--pid host sees the host's processes, --uts host has the host's name", () => {
    const init = fs.readFileSync('/proc/1/cmdline', 'utf8').split('\0')[0];
    expect(out(['--pid', 'host', 'busybox', 'sh', '-c', 'tr "\\0" "\\n" < /proc/1/cmdline | head -1'])).toBe(`${init}\n`);
    expect(out(['--uts', 'host', 'busybox', 'sh', '-c', 'hostname; cat /etc/hostname'])).toBe(`${os.hostname()}\n${os.hostname()}\n`);
    expect(tspod(['create', '--name', 'nsmodes', '--pid', 'host', '--ipc', 'none', '--uts', 'host', 'busybox']).code).toBe(0);
    const hc = hostConfig('nsmodes');
    expect([hc.PidMode, hc.IpcMode, hc.UTSMode]).toEqual(['host', 'none', 'host']);
  });

  it('--pid container:NAME shares that container\'s processes, --ipc none has no /dev/shm', () => {
    expect(tspod(['run', '-d', '--name', 'pidowner', 'busybox', 'sh', '-c', 'echo ready; exec sleep 1000']).code).toBe(0);
    ready('pidowner');
    const id = tspod(['inspect', '--format', '{{.Id}}', 'pidowner']).stdout.trim();
    expect(out(['--pid', 'container:pidowner', 'busybox', 'sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "'])).toBe('sleep 1000 ');
    expect(tspod(['create', '--name', 'pidjoin', '--pid', 'container:pidowner', 'busybox']).code).toBe(0);
    expect(hostConfig('pidjoin').PidMode).toBe(`container:${id}`);
    // --ipc and --uts container:NAME join its namespaces; the joiner takes its host name and leaves it as it was.
    const [ipcNs, name] = tspod(['exec', 'pidowner', 'sh', '-c', 'readlink /proc/self/ns/ipc; hostname']).stdout.split('\n');
    expect(out(['--ipc', 'container:pidowner', '--uts', 'container:pidowner', 'busybox', 'sh', '-c', 'readlink /proc/self/ns/ipc; hostname; cat /etc/hostname'])).toBe(`${ipcNs}\n${name}\n${name}\n`);
    expect(tspod(['exec', 'pidowner', 'hostname']).stdout).toBe(`${name}\n`);
    // The joiner depends on it: inspect names it, and rm --depend removes the joiner first.
    expect(tspod(['inspect', '--format', '{{json .Dependencies}}', 'pidjoin']).stdout).toBe(`["${id}"]\n`);
    const joiner = tspod(['inspect', '--format', '{{.Id}}', 'pidjoin']).stdout.trim();
    const rm = tspod(['rm', '-f', '-t', '0', '--depend', 'pidowner']);
    expect([rm.code, rm.stdout]).toEqual([0, `${joiner}\npidowner\n`]);
    expect(out(['--ipc', 'none', 'busybox', 'sh', '-c', 'grep -c " /dev/shm " /proc/self/mountinfo; true'])).toBe('0\n');
  });
});

describe('--security-opt', () => {
  it('seccomp=unconfined runs without a filter; seccomp=PROFILE applies that profile', () => {
    expect(out(['--security-opt', 'seccomp=unconfined', 'busybox', 'grep', 'Seccomp:', '/proc/self/status'])).toBe('Seccomp:\t0\n');
    const profile = path.join(store.dir, 'no-mkdir.json');
    fs.writeFileSync(profile, JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }] }));
    fs.chmodSync(profile, 0o644);
    const r = tspod(['run', '--rm', '--security-opt', `seccomp=${profile}`, 'busybox', 'mkdir', '/made']);
    expect([r.code, r.stderr]).toEqual([1, "mkdir: can't create directory '/made': Operation not permitted\n"]);
    expect(tspod(['create', '--name', 'sopt', '--security-opt', 'seccomp=unconfined', '--security-opt', 'label=disable', '--security-opt', 'no-new-privileges', 'busybox']).code).toBe(0);
    expect(hostConfig('sopt').SecurityOpt).toEqual(['no-new-privileges', 'label=disable', 'seccomp=unconfined']);
  });

  it("--seccomp-policy=image applies the profile in the image's io.containers.seccomp.profile label", () => {
    expect(tspod(['run', '--name', 'labelsrc', 'busybox', 'true']).code).toBe(0);
    const profile = JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }] });
    expect(tspod(['commit', '-q', '-c', `LABEL io.containers.seccomp.profile=${profile}`, 'labelsrc', 'localhost/withprofile']).code).toBe(0);
    const r = tspod(['run', '--rm', '--seccomp-policy', 'image', 'localhost/withprofile', 'mkdir', '/made']);
    expect([r.code, r.stderr]).toEqual([1, "mkdir: can't create directory '/made': Operation not permitted\n"]);
    expect(out(['localhost/withprofile', 'sh', '-c', 'mkdir /made && echo made'])).toBe('made\n');
  });

  it('mask= hides more paths, unmask= and systempaths=unconfined show the masked ones', () => {
    const masked = 'wc -c < /etc/passwd; grep -c " /proc/timer_list " /proc/self/mountinfo; grep -c " /proc/keys " /proc/self/mountinfo; true';
    expect(out(['--security-opt', 'mask=/etc/passwd', 'busybox', 'sh', '-c', masked])).toBe('0\n1\n1\n');
    expect(out(['--security-opt', 'unmask=/proc/timer_list', 'busybox', 'sh', '-c', masked]).split('\n').slice(1)).toEqual(['0', '1', '']);
    expect(out(['--security-opt', 'unmask=/proc/*', 'busybox', 'sh', '-c', masked]).split('\n').slice(1)).toEqual(['0', '0', '']);
    const underProc = 'grep -c " /proc/[a-z_]* " /proc/self/mountinfo; true';
    expect(Number(out(['busybox', 'sh', '-c', underProc]))).toBeGreaterThan(0);
    expect(out(['--security-opt', 'systempaths=unconfined', 'busybox', 'sh', '-c', underProc])).toBe('0\n');
  });
});

describe('--systemd', () => {
  it('always: tmpfs on /run, /run/lock, /tmp and /var/log/journal, container_uuid, and SIGRTMIN+3 stops it', () => {
    const r = tspod(['run', '--name', 'sysd', '--systemd', 'always', 'busybox', 'sh', '-c', 'for d in /run /run/lock /tmp /var/log/journal; do grep " $d " /proc/self/mountinfo | grep -c " - tmpfs "; done; echo $container_uuid']);
    const id = tspod(['inspect', '--format', '{{.Id}}', 'sysd']).stdout.trim();
    expect([r.code, r.stdout]).toEqual([0, `1\n1\n1\n1\n${id.slice(0, 32)}\n`]);
    expect(tspod(['inspect', '--format', '{{.Config.StopSignal}} {{.Config.SystemdMode}}', 'sysd']).stdout).toBe('SIGRTMIN+3 true\n');
    // The stop signal really is SIGRTMIN+3 (37): the container's trap for it decides the exit code.
    expect(tspod(['run', '-d', '--name', 'sysstop', '--systemd', 'always', 'busybox', 'sh', '-c', 'trap "exit 42" 37; echo ready; while :; do sleep 0.1; done']).code).toBe(0);
    ready('sysstop');
    expect(tspod(['stop', '-t', '10', 'sysstop']).code).toBe(0);
    expect(tspod(['inspect', '--format', '{{.State.ExitCode}}', 'sysstop']).stdout).toBe('42\n');
    // kill takes the name too, as Podman's does.
    expect(tspod(['run', '-d', '--name', 'rtkill', 'busybox', 'sh', '-c', 'trap "exit 9" 37; echo ready; while :; do sleep 0.1; done']).code).toBe(0);
    ready('rtkill');
    expect(tspod(['kill', '-s', 'RTMIN+3', 'rtkill']).code).toBe(0);
    expect(tspod(['wait', 'rtkill']).stdout).toBe('9\n');
  });

  it('true (the default) turns systemd mode on for an init command only; false never', () => {
    const mode = (flags: string[], cmd: string[]) => {
      const name = `sd${Math.random().toString(36).slice(2, 8)}`;
      expect(tspod(['create', '--name', name, ...flags, 'busybox', ...cmd]).code).toBe(0);
      return tspod(['inspect', '--format', '{{.Config.StopSignal}} {{.Config.SystemdMode}}', name]).stdout.trim();
    };
    expect(mode([], ['/sbin/init'])).toBe('SIGRTMIN+3 true');
    expect(mode([], ['/usr/lib/systemd/systemd'])).toBe('SIGRTMIN+3 true');
    expect(mode(['--systemd', 'false'], ['/sbin/init'])).toBe('SIGTERM false');
    expect(mode([], ['sh'])).toBe('SIGTERM false');
    expect(mode(['--stop-signal', 'KILL'], ['/sbin/init'])).toBe('SIGKILL true');
  });
});

describe('spec shaping', () => {
  it('--read-only mounts tmpfs on /run, /tmp and /var/tmp unless --read-only-tmpfs=false', () => {
    const script = 'for d in /run /tmp /var/tmp; do grep -c " $d " /proc/self/mountinfo; done; touch /tmp/x 2>/dev/null && echo tmp-writable; true';
    expect(out(['--read-only', 'busybox', 'sh', '-c', script])).toBe('1\n1\n1\ntmp-writable\n');
    expect(out(['--read-only', '--read-only-tmpfs=false', 'busybox', 'sh', '-c', script])).toBe('0\n0\n0\n');
  });

  it('--hosts-file makes /etc/hosts from a file of ours or from nothing; --no-hostname keeps the image\'s /etc/hostname', () => {
    const base = path.join(store.dir, 'base-hosts');
    fs.writeFileSync(base, '10.1.2.3\tbase.example\n');
    fs.chmodSync(base, 0o644);
    const hosts = out(['--hosts-file', base, 'busybox', 'cat', '/etc/hosts']).split('\n');
    expect(hosts.slice(0, 2)).toEqual(['10.1.2.3\tbase.example', '127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4']);
    expect(out(['--hosts-file', 'none', 'busybox', 'sh', '-c', 'grep -c -e base.example -e localhost /etc/hosts; true'])).toBe('2\n');
    expect(out(['--no-hostname', 'busybox', 'sh', '-c', 'test -e /etc/hostname || echo none'])).toBe('none\n');
  });

  it('--init-path runs that init as PID 1 instead of catatonit found on PATH', () => {
    const init = path.join(store.dir, 'my-init');
    fs.copyFileSync('/usr/bin/catatonit', init);
    fs.chmodSync(init, 0o755);
    expect(out(['--name', 'initpath', '--init', '--init-path', init, 'busybox', 'sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "'])).toBe('/run/tspod-init -- sh -c cat /proc/1/cmdline | tr "\\0" " " ');
    expect(tspod(['create', '--name', 'initpath2', '--init', '--init-path', init, 'busybox', 'true']).code).toBe(0);
    expect(tspod(['start', '-a', 'initpath2']).code).toBe(0);
    const config = JSON.parse(fs.readFileSync(tspod(['inspect', '--format', '{{.OCIConfigPath}}', 'initpath2']).stdout.trim(), 'utf8'));
    expect(config.mounts.find((m: { destination: string }) => m.destination === '/run/tspod-init').source).toBe(init);
  });

  it('--chrootdirs mounts /etc/hosts, resolv.conf and hostname into the chroot too', () => {
    expect(out(['--name', 'jailed', '--chrootdirs', '/jail', 'busybox', 'sh', '-c', 'grep -c jailed /jail/etc/hosts; cmp /etc/resolv.conf /jail/etc/resolv.conf && cat /jail/etc/hostname | wc -l'])).toBe('1\n1\n');
    expect(tspod(['create', '--name', 'jailed2', '--chrootdirs', '/a', '--chrootdirs', '/b', 'busybox']).code).toBe(0);
    expect(tspod(['inspect', '--format', '{{json .Config.ChrootDirs}}', 'jailed2']).stdout).toBe('["/a","/b"]\n');
  });

  it("--image-volume: the image's VOLUMEs as anonymous volumes (bind), as tmpfs, or not at all", () => {
    expect(tspod(['run', '--name', 'volsrc', 'busybox', 'true']).code).toBe(0);
    expect(tspod(['commit', '-q', '-c', 'VOLUME /data', 'volsrc', 'localhost/withvolume']).code).toBe(0);
    const fsType = (mode: string) => out(['--image-volume', mode, 'localhost/withvolume', 'sh', '-c', 'grep " /data " /proc/self/mountinfo | sed "s/.* - //" | cut -d" " -f1']);
    expect(fsType('tmpfs')).toBe('tmpfs\n');
    expect(fsType('ignore')).toBe('');
    expect(fsType('bind')).not.toMatch(/^(tmpfs)?\n?$/);
    expect(tspod(['create', '--name', 'volnone', '--image-volume', 'ignore', 'localhost/withvolume']).code).toBe(0);
    expect(tspod(['inspect', '--format', '{{len .Mounts}}', 'volnone']).stdout).toBe('0\n');
  });

  it('stores the cgroup settings it cannot apply rootless on cgroups v1, with Podman\'s warning', () => {
    const r = tspod(['create', '--name', 'cg', '--memory-swappiness', '10', '--oom-kill-disable', '--cgroup-parent', 'mine', '--cgroup-conf', 'memory.high=1g', '--cgroups', 'split', 'busybox']);
    expect(r.code).toBe(0);
    if (!fs.existsSync('/sys/fs/cgroup/cgroup.controllers')) expect(r.stderr).toContain('Resource limits are not supported and ignored on cgroups V1 rootless systems');
    const hc = hostConfig('cg');
    expect([hc.MemorySwappiness, hc.OomKillDisable, hc.CgroupParent, hc.CgroupConf]).toEqual([10, true, 'mine', { 'memory.high': '1g' }]);
  });
});

describe('bad values', () => {
  it("are refused with Podman's words and exit 125, and nothing is created", () => {
    const before = tspod(['ps', '-a', '--format', '{{.Names}}']).stdout;
    const cases: Array<[string[], string]> = [
      [['--pid', 'bogus'], 'Error: unrecognized namespace mode bogus passed'],
      [['--ipc', 'slirp4netns'], 'Error: cannot use network modes with non-network namespace'],
      [['--uts', 'container:nosuch'], 'Error: no container with name or ID "nosuch" found'],
      [['--security-opt', 'bogus'], 'Error: invalid --security-opt 1: "bogus"'],
      [['--security-opt', 'bogus=1'], 'Error: invalid --security-opt 2: "bogus=1"'],
      [['--security-opt', 'systempaths=x'], 'Error: invalid systempaths option "x", only `unconfined` is supported'],
      [['--security-opt', 'seccomp=/nonexistent.json'], 'Error: opening seccomp profile failed: open /nonexistent.json: no such file or directory'],
      [['--device', '/dev/nonexistent'], 'Error: stat /dev/nonexistent: no such file or directory'],
      [['--device', '/dev/null:bad'], 'Error: invalid device mode "bad" in device "/dev/null:bad"'],
      [['--device', '/etc/passwd'], 'Error: /etc/passwd is not a valid device'],
      [['--device-cgroup-rule', 'c 1:3 rwm'], 'Error: device cgroup rules are not supported in rootless mode or in a user namespace'],
      [['--gpus', 'all'], 'Error: --gpus is not supported: '],
      [['--systemd', 'maybe'], 'Error: --systemd values must be one of "true, false, always"'],
      [['--cgroupns', 'bogus'], 'Error: unrecognized cgroup namespace mode bogus passed'],
      [['--cgroup-conf', 'novalue'], 'Error: --cgroup-conf must be formatted KEY=VALUE'],
      [['--image-volume', 'x'], 'Error: invalid ImageVolumeMode "x", value must be one of ignore,tmpfs,anonymous'],
      [['--uts', 'host', '--hostname', 'x'], 'Error: cannot set hostname when running in the host UTS namespace'],
      [['--ipc', 'host', '--shm-size', '1m'], 'Error: cannot set shmsize when running in the host IPC Namespace'],
      [['--no-hosts', '--hosts-file', 'none'], 'Error: --no-hosts and --hosts-file cannot be set together'],
      [['--seccomp-policy', 'x'], 'Error: invalid seccomp policy "x"'],
      [['--memory-swappiness', '101'], 'Error: invalid argument "101" for "--memory-swappiness" flag'],
    ];
    for (const [flags, message] of cases) {
      const r = tspod(['create', ...flags, 'busybox']);
      expect({ flags, code: r.code, stderr: r.stderr.slice(0, message.length) }).toEqual({ flags, code: 125, stderr: message });
    }
    expect(tspod(['ps', '-a', '--format', '{{.Names}}']).stdout).toBe(before);
  });
});
