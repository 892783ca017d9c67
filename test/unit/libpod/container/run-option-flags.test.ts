import { describe, expect, it } from 'vitest';
import { inspectResources, ociResources, parseResources, ramInBytes } from '../../../../libpod/container/resource-flags';
import { clampOomScoreAdj, hostRlimits, parseExpose, parseSysctls, parseUlimits } from '../../../../libpod/container/process-flags';
import { parseSpecJson, specJson } from '../../../../libpod/oci/spec';

describe('resource flags', () => {
  it('reads sizes in binary units as Podman does', () => {
    expect([ramInBytes('64m'), ramInBytes('1g'), ramInBytes('512'), ramInBytes('1.5k'), ramInBytes('2MiB'), ramInBytes('abc'), ramInBytes('-1')]).toEqual([67108864, 1073741824, 512, 1536, 2097152, undefined, undefined]);
  });

  it('turns --cpus into period and quota, --memory into a limit with twice the swap', () => {
    const r = parseResources({ memory: '64m', cpus: '0.5' })!;
    expect(r).toEqual({ memory: 67108864, memorySwap: 134217728, cpuPeriod: 100000, cpuQuota: 50000 });
    expect(inspectResources(r)).toMatchObject({ NanoCpus: 500000000, Memory: 67108864, MemorySwap: 134217728 });
    expect(ociResources(r)).toEqual({ memory: { limit: 67108864, swap: 134217728 }, cpu: { quota: 50000, period: 100000 } });
    expect(parseResources({})).toBeUndefined();
  });

  it('names devices by major and minor in the runtime spec', () => {
    expect(ociResources({ deviceReadBps: [{ path: '/dev/null', value: 1024 }] })).toEqual({ blockIO: { throttleReadBpsDevice: [{ major: 1, minor: 3, rate: 1024 }] } });
  });
});

describe('process flags', () => {
  it('parses ulimits, -1 as unlimited, the last of a name winning', () => {
    expect(parseUlimits(['nofile=10:20', 'nofile=30', 'core=-1'], () => '')).toEqual([{ type: 'RLIMIT_NOFILE', soft: 30, hard: 30 }, { type: 'RLIMIT_CORE', soft: -1, hard: -1 }]);
    const limits = 'Limit                     Soft Limit           Hard Limit           Units\nMax core file size        0                    unlimited            bytes\nMax open files            1024                 4096                 files\n';
    expect(hostRlimits(limits)).toEqual([{ type: 'RLIMIT_CORE', soft: 0, hard: -1 }, { type: 'RLIMIT_NOFILE', soft: 1024, hard: 4096 }]);
  });

  it('writes unlimited as RLIM_INFINITY and reads it back as -1', () => {
    const text = specJson({ process: { rlimits: [{ type: 'RLIMIT_CORE', hard: -1, soft: -1 }] } });
    expect(text).toBe('{"process":{"rlimits":[{"type":"RLIMIT_CORE","hard":18446744073709551615,"soft":18446744073709551615}]}}');
    expect(parseSpecJson(text)).toEqual({ process: { rlimits: [{ type: 'RLIMIT_CORE', hard: -1, soft: -1 }] } });
  });

  it('allows only namespaced sysctls, net.* not with the host network', () => {
    expect(parseSysctls(['net.ipv4.ip_forward=1', 'kernel.shmmax=1', 'fs.mqueue.msg_max=20'], false)).toEqual({ 'net.ipv4.ip_forward': '1', 'kernel.shmmax': '1', 'fs.mqueue.msg_max': '20' });
    expect(() => parseSysctls(['vm.swappiness=1'], false)).toThrow("sysctl 'vm.swappiness' is not allowed");
    expect(() => parseSysctls(['net.ipv4.ip_forward=1'], true)).toThrow("can't be set since Network Namespace set to host");
  });

  it('expands exposed port ranges and clamps the OOM score to ours', () => {
    expect(parseExpose(['8000-8002/udp', '80'])).toEqual(['8000/udp', '8001/udp', '8002/udp', '80/tcp']);
    expect([clampOomScoreAdj(-500, '200\n'), clampOomScoreAdj(500, '200\n'), clampOomScoreAdj(-5, '')]).toEqual([200, 500, -5]);
  });
});
