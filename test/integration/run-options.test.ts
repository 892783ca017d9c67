// create's and run's options that scripts pass (issue 19): resource limits, process limits and
// settings, each run in a real container as the unprivileged user and checked inside it or in
// inspect, and each bad value refused with Podman's exit code before anything is made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { Store, mirrorDockerHub, registry } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('run-options');
let env: Record<string, string> = {};
const tspod = (args: string[]) => store.tspod(args, { env });
const cgroupsV2 = fs.existsSync('/sys/fs/cgroup/cgroup.controllers');

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

const hostConfig = (name: string) => JSON.parse(tspod(['inspect', '--format', '{{json .HostConfig}}', name]).stdout) as Record<string, unknown>;

const ociConfig = (name: string) => JSON.parse(fs.readFileSync(tspod(['inspect', '--format', '{{.OCIConfigPath}}', name]).stdout.trim(), 'utf8'));

describe('resource limits', () => {
  it('records the limits asked for, shows them in inspect, and still runs the container', () => {
    const r = tspod(['run', '--name', 'res', '-m', '64m', '--memory-reservation', '32m', '--cpus', '1.5', '--cpu-shares', '512', '--cpuset-cpus', '0', '--cpuset-mems', '0', '--pids-limit', '100', '--blkio-weight', '300', 'busybox', 'echo', 'ran']);
    expect(r.stdout).toBe('ran\n');
    expect(r.code).toBe(0);
    // Rootless on cgroups v1 the limits cannot be applied: Podman's warning, and the container runs.
    if (!cgroupsV2) expect(r.stderr).toContain('Resource limits are not supported and ignored on cgroups V1 rootless systems');
    const hc = hostConfig('res');
    expect([hc.Memory, hc.MemorySwap, hc.MemoryReservation, hc.NanoCpus, hc.CpuShares, hc.CpuPeriod, hc.CpuQuota, hc.CpusetCpus, hc.CpusetMems, hc.PidsLimit, hc.BlkioWeight])
      .toEqual([67108864, 134217728, 33554432, 1500000000, 512, 100000, 150000, '0', '0', 100, 300]);
    const config = ociConfig('res');
    if (cgroupsV2) expect(config.linux.resources.memory.limit).toBe(67108864);
    else expect(config.linux.resources).toBeUndefined();
  });

  it('shows device limits by path and --memory-swap as given', () => {
    expect(tspod(['create', '--name', 'dev', '-m', '1g', '--memory-swap', '-1', '--blkio-weight-device', '/dev/null:200', '--device-read-bps', '/dev/null:1mb', '--device-write-iops', '/dev/null:50', 'busybox']).code).toBe(0);
    const hc = hostConfig('dev');
    expect([hc.Memory, hc.MemorySwap, hc.BlkioWeightDevice, hc.BlkioDeviceReadBps, hc.BlkioDeviceWriteIOps, hc.BlkioDeviceWriteBps])
      .toEqual([1073741824, -1, [{ Path: '/dev/null', Weight: 200 }], [{ Path: '/dev/null', Rate: 1048576 }], [{ Path: '/dev/null', Rate: 50 }], null]);
  });

  it('refuses bad values with exit 125 and creates nothing', () => {
    const cases: Array<[string[], string]> = [
      [['--memory', 'abc'], "Error: invalid value for memory: invalid size: 'abc'"],
      [['--memory-swap', '10m'], 'Error: you should always set a memory limit when using a memoryswap limit'],
      [['-m', '64m', '--memory-swap', '32m'], 'Error: minimum memoryswap limit should be larger than memory limit'],
      [['--cpus', 'x'], 'Error: invalid argument "x" for "--cpus" flag'],
      [['--pids-limit', 'many'], 'Error: invalid argument "many" for "--pids-limit" flag'],
      [['--blkio-weight', '5'], 'Error: invalid value for blkio-weight: 5'],
      [['--cpuset-cpus', 'a-b'], 'Error: invalid value "a-b" for --cpuset-cpus'],
      [['--device-read-bps', 'sda:1mb'], 'Error: bad format for device path: sda:1mb'],
    ];
    for (const [flags, message] of cases) {
      const r = tspod(['create', ...flags, 'busybox']);
      expect({ flags, code: r.code, stderr: r.stderr.startsWith(message) }).toEqual({ flags, code: 125, stderr: true });
    }
    expect(tspod(['ps', '-a', '--format', '{{.Names}}']).stdout.split('\n').filter((n) => n !== 'res' && n !== 'dev' && n)).toEqual([]);
  });
});

describe('process options', () => {
  const out = (args: string[]) => {
    const r = tspod(['run', '--rm', ...args]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    return r.stdout;
  };

  it('--ulimit sets soft and hard limits, -1 unlimited, and shows them in inspect', () => {
    expect(out(['--ulimit', 'nofile=100:200', '--ulimit', 'core=-1', 'busybox', 'sh', '-c', 'ulimit -Sn; ulimit -Hn; ulimit -c'])).toBe('100\n200\nunlimited\n');
    expect(tspod(['create', '--name', 'ul', '--ulimit', 'nproc=50', '--ulimit', 'core=-1', 'busybox']).code).toBe(0);
    expect(hostConfig('ul').Ulimits).toEqual([{ Name: 'RLIMIT_NPROC', Soft: 50, Hard: 50 }, { Name: 'RLIMIT_CORE', Soft: -1, Hard: -1 }]);
    expect(tspod(['start', 'ul']).code).toBe(0);
    const ulimits = hostConfig('ul').Ulimits as Array<{ Name: string }>;
    expect(ulimits.filter((u) => u.Name !== 'RLIMIT_NOFILE')).toEqual([{ Name: 'RLIMIT_NPROC', Soft: 50, Hard: 50 }, { Name: 'RLIMIT_CORE', Soft: -1, Hard: -1 }]);
  });

  it('--shm-size sizes /dev/shm', () => {
    expect(out(['--shm-size', '128m', 'busybox', 'sh', '-c', "df -k /dev/shm | tail -1 | awk '{print $2}'"])).toBe('131072\n');
    expect(tspod(['create', '--name', 'shm', '--shm-size', '1g', 'busybox']).code).toBe(0);
    expect(hostConfig('shm').ShmSize).toBe(1073741824);
  });

  it('--sysctl sets namespaced kernel settings', () => {
    expect(out(['--sysctl', 'net.ipv4.ip_forward=1', '--sysctl', 'kernel.shmmax=65536', 'busybox', 'sh', '-c', 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax'])).toBe('1\n65536\n');
  });

  it('--tz gives the container the zone as /etc/localtime', () => {
    expect(out(['--tz', 'Asia/Shanghai', 'busybox', 'date', '+%Z %z'])).toBe('CST +0800\n');
    expect(tspod(['create', '--name', 'tz', '--tz', 'Asia/Shanghai', 'busybox']).code).toBe(0);
    expect(tspod(['inspect', '--format', '{{.Config.Timezone}}', 'tz']).stdout).toBe('Asia/Shanghai\n');
  });

  it('--umask, --unsetenv, --unsetenv-all and --env-host shape the process', () => {
    expect(out(['--umask', '0077', 'busybox', 'sh', '-c', 'umask'])).toBe('0077\n');
    expect(tspod(['create', '--name', 'um', '--umask', '0077', 'busybox']).code).toBe(0);
    expect(tspod(['inspect', '--format', '{{.Config.Umask}}', 'um']).stdout).toBe('0077\n');
    tspod(['rm', '-f', '-t', '0', 'um']);
    const unset = out(['--unsetenv', 'container', '--unsetenv', 'HOSTNAME', 'busybox', '/bin/busybox', 'env']).split('\n');
    expect(unset.filter((l) => /^(container|HOSTNAME)=/.test(l))).toEqual([]);
    expect(unset.filter((l) => l.startsWith('PATH='))).toHaveLength(1);
    // No PATH, container, HOSTNAME or image variables: -e's only (and the HOME runc adds when none is set).
    expect(out(['--unsetenv-all', '-e', 'KEPT=1', 'busybox', '/bin/busybox', 'env'])).toBe('KEPT=1\nHOME=/root\n');
    const host = store.tspod(['run', '--rm', '--env-host', '-e', 'OVER=mine', 'busybox', 'sh', '-c', 'echo $FROM_HOST $OVER'], { env: { ...env, FROM_HOST: 'passed', OVER: 'host' } });
    expect(host.stdout).toBe('passed mine\n');
  });

  it('--annotation, --label-file, --expose and --oom-score-adj are recorded and shown in inspect', () => {
    const labels = `${store.dir}/labels`;
    fs.writeFileSync(labels, '# a comment\nteam=infra\n\ntier=db\n');
    fs.chmodSync(labels, 0o644);
    expect(tspod(['create', '--name', 'rec', '--annotation', 'org.example.a=b', '--label-file', labels, '--label', 'tier=web', '--expose', '8080', '--expose', '53/udp', '--oom-score-adj', '500', 'busybox']).code).toBe(0);
    const i = JSON.parse(tspod(['inspect', 'rec']).stdout)[0];
    expect(i.Config.Annotations['org.example.a']).toBe('b');
    expect(i.Config.Labels).toMatchObject({ team: 'infra', tier: 'web' });
    expect(i.Config.ExposedPorts).toEqual({ '53/udp': {}, '8080/tcp': {} });
    expect(i.HostConfig.OomScoreAdj).toBe(500);
    expect(tspod(['start', 'rec']).code).toBe(0);
    expect(ociConfig('rec').annotations['org.example.a']).toBe('b');
  });

  it('--oom-score-adj raises the score, and one below ours is clamped to ours with a warning', () => {
    expect(out(['--oom-score-adj', '500', 'busybox', 'cat', '/proc/self/oom_score_adj'])).toBe('500\n');
    const own = Number(fs.readFileSync('/proc/self/oom_score_adj', 'utf8').trim()); // runuser keeps it for the test user
    const low = tspod(['run', '--rm', '--oom-score-adj', String(own - 1), 'busybox', 'cat', '/proc/self/oom_score_adj']);
    expect(low).toEqual({ code: 0, stdout: `${own}\n`, stderr: `WARN[0000] Requested oom_score_adj=${own - 1} is lower than the current one, changing to ${own}\n` });
  });

  it('--no-hosts keeps the image\'s /etc/hosts', () => {
    // busybox has none of its own: without --no-hosts there is one naming the container.
    expect(out(['--no-hosts', 'busybox', 'sh', '-c', 'test -e /etc/hosts && echo present || echo absent'])).toBe('absent\n');
    expect(out(['busybox', 'sh', '-c', 'test -e /etc/hosts && echo present || echo absent'])).toBe('present\n');
  });

  it('refuses bad values with exit 125', () => {
    const cases: Array<[string[], string]> = [
      [['--ulimit', 'nofile'], 'Error: ulimit option "nofile" requires name=SOFT:HARD, failed to be parsed: invalid ulimit argument: nofile'],
      [['--ulimit', 'bogus=1'], 'Error: ulimit option "bogus=1" requires name=SOFT:HARD, failed to be parsed: invalid ulimit type: bogus'],
      [['--ulimit', 'nofile=20:10'], 'Error: ulimit option "nofile=20:10" requires name=SOFT:HARD, failed to be parsed: ulimit soft limit must be less than or equal to hard limit: 20 > 10'],
      [['--shm-size', 'big'], "Error: invalid value for shm-size: invalid size: 'big'"],
      [['--sysctl', 'kernel.hostname=x'], "Error: sysctl 'kernel.hostname' is not allowed"],
      [['--sysctl', 'net.ipv4.ip_forward'], 'Error: net.ipv4.ip_forward is invalid, sysctl values must be in the form of KEY=VALUE'],
      [['--network', 'host', '--sysctl', 'net.ipv4.ip_forward=1'], "Error: sysctl net.ipv4.ip_forward=1 can't be set since Network Namespace set to host"],
      [['--tz', 'Mars/Olympus'], 'Error: finding timezone: unknown time zone Mars/Olympus'],
      [['--umask', '999'], 'Error: invalid umask string 999'],
      [['--annotation', 'novalue'], 'Error: annotations must be formatted KEY=VALUE'],
      [['--expose', 'http'], 'Error: invalid port format for --expose: http'],
      [['--oom-score-adj', '2000'], 'Error: invalid argument "2000" for "--oom-score-adj" flag'],
      [['--no-hosts', '--add-host', 'a:1.2.3.4'], 'Error: --no-hosts and --add-host cannot be set together'],
      [['--label-file', '/nonexistent/labels'], 'Error: parsing label file "/nonexistent/labels": open /nonexistent/labels: no such file or directory'],
    ];
    for (const [flags, message] of cases) {
      const r = tspod(['create', '--name', 'bad', ...flags, 'busybox']);
      expect({ flags, code: r.code, stderr: r.stderr.startsWith(message) ? message : r.stderr }).toEqual({ flags, code: 125, stderr: message });
    }
    expect(tspod(['container', 'exists', 'bad']).code).toBe(1);
  });
});

describe('--timeout', () => {
  it('kills the container once its time is up, with run and with start, and shows it in inspect', () => {
    const began = Date.now();
    const r = tspod(['run', '--rm', '--timeout', '2', 'busybox', 'sh', '-c', 'echo started; sleep 30; echo not killed']);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 137, stdout: 'started\n' });
    expect(Date.now() - began).toBeLessThan(20_000);
    expect(tspod(['create', '--name', 'to', '--timeout', '1', 'busybox', 'sleep', '30']).code).toBe(0);
    expect(tspod(['inspect', '--format', '{{.Config.Timeout}}', 'to']).stdout).toBe('1\n');
    expect(tspod(['start', 'to']).code).toBe(0);
    expect(tspod(['wait', 'to'])).toMatchObject({ code: 0, stdout: '137\n' });
    const bad = tspod(['create', '--timeout', 'soon', 'busybox']);
    expect({ code: bad.code, stderr: bad.stderr }).toEqual({ code: 125, stderr: 'Error: invalid value "soon" for --timeout: give a whole number of seconds\n' });
  });
});
