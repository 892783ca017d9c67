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
