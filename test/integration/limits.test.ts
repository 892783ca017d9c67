// Process limits enforced inside a real container as the unprivileged user (issue 20): --ulimit's
// soft and hard values are what the container's shell sees and what the kernel holds it to, and
// on this host (cgroups v1, nothing delegated) a memory limit is recorded with Podman's warning
// while stats and system check say the limits are not applied. (What run-options.test.ts already
// checks, the inspect view of --ulimit and --oom-score-adj's clamping, is not repeated here.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import { Store, mirrorDockerHub, registry } from './harness';
import { humanSize } from '../../src/human-units';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('limits');
let env: Record<string, string> = {};
const tspod = (args: string[]) => store.tspod(args, { env });

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

const run = (args: string[], script: string) => tspod(['run', '--rm', ...args, 'busybox', 'sh', '-c', script]);

describe('--ulimit', () => {
  it('nofile=64:64 is the soft and hard limit inside, and no descriptor 64 can be opened', () => {
    const r = run(['--ulimit', 'nofile=64:64'], 'ulimit -n; ulimit -Hn; (exec 63</dev/null) && echo 63 opened; (exec 64</dev/null) 2>/dev/null || echo 64 refused');
    expect(r).toEqual({ code: 0, stdout: '64\n64\n63 opened\n64 refused\n', stderr: '' });
  });

  it('nproc sets soft and hard, and at the limit the container cannot fork', () => {
    expect(run(['--ulimit', 'nproc=64:128'], 'ulimit -Su; ulimit -Hu')).toEqual({ code: 0, stdout: '64\n128\n', stderr: '' });
    // RLIMIT_NPROC counts the user's processes (the monitor and the container's own among them): with 1 no fork succeeds.
    // busybox sh gives up (exit 2) when it cannot fork the subshell.
    expect(run(['--ulimit', 'nproc=2000:2000'], 'echo start; (echo forked); echo after')).toEqual({ code: 0, stdout: 'start\nforked\nafter\n', stderr: '' });
    expect(run(['--ulimit', 'nproc=1:1'], 'echo start; (echo forked); echo after')).toEqual({ code: 2, stdout: 'start\n', stderr: "sh: can't fork: Resource temporarily unavailable\n" });
  });
});

describe('resource limits where nothing is delegated', () => {
  // This host is cgroups v1 (the v2 paths are in test/unit/libpod/container/resource-cgroups.test.ts).
  it('--memory 64m warns as Podman does on cgroups v1, runs, is shown by inspect and not applied', () => {
    const r = tspod(['run', '-d', '--name', 'mem', '--memory', '64m', 'busybox', 'sleep', '1000']);
    expect([r.code, r.stderr]).toEqual([0, 'WARN[0000] Resource limits are not supported and ignored on cgroups V1 rootless systems\n']);
    expect(tspod(['inspect', '--format', '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}', 'mem']).stdout).toBe('67108864 134217728\n');
    // Not applied: stats' limit is the host's memory, read from /proc, not 64MB.
    const stats = JSON.parse(tspod(['stats', '--no-stream', '--format', 'json', 'mem']).stdout) as Array<{ mem_usage: string }>;
    expect(stats[0].mem_usage.endsWith(` / ${humanSize(os.totalmem()).replace(' ', '')}`)).toBe(true);
    const p = tspod(['pause', 'mem']);
    expect([p.code, p.stderr]).toEqual([125, expect.stringMatching(/^Error: cannot pause mem: pause needs the cgroup freezer, and on this host \(cgroups v1\)/)]);
    const check = tspod(['system', 'check']);
    expect(check.stdout).toMatch(/cgroup v1 \(\w+\): resource limits \(--memory, --cpus, --pids-limit\) cannot be enforced for rootless containers/);
  });
});
