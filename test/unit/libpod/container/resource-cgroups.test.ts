// The cgroups v2 paths of resource limits, which this cgroups v1 CI host cannot run for real:
// delegation found on cgroup trees made in a temporary directory (delegated, not delegated, some
// controllers only), the limits and cgroup each container gets in its runtime spec, Podman's
// warnings for controllers that are missing, stats read from a cgroup's files, and pause's check.
import { beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectDelegation, type Delegation } from '../../../../libpod/host/cgroup-delegation';
import { applicableLimits, cgroupSpec } from '../../../../libpod/container/resource-cgroups';
import { parseResources } from '../../../../libpod/container/resource-flags';
import { cgroupFigures, frozen, ownCgroupDir } from '../../../../libpod/container/container-cgroup';
import { sample } from '../../../../libpod/container/container-stats';
import { generateSpec } from '../../../../libpod/oci/spec';

const me = process.getuid!();
const OTHER = me + 4242;
const SERVICE = '/user.slice/user-1000.slice/user@1000.service';
const SCOPE = `${SERVICE}/app.slice/shell.scope`;

let tmp: string;
let root: string;
let procCgroup: string;

/** A cgroup directory with its interface files, owned by uid. */
function cgroup(rel: string, uid: number, files: Record<string, string> = {}): string {
  const dir = path.join(root, rel);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries({ 'cgroup.procs': '', 'cgroup.controllers': '', 'cgroup.subtree_control': '', ...files })) fs.writeFileSync(path.join(dir, name), text);
  fs.chownSync(dir, uid, uid);
  return dir;
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-cgroups-'));
  root = path.join(tmp, 'cgroup');
  procCgroup = path.join(tmp, 'self-cgroup');
  fs.writeFileSync(procCgroup, `0::${SCOPE}\n`);
  cgroup('/', 0, { 'cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma misc\n' });
  cgroup('/user.slice', OTHER);
  cgroup('/user.slice/user-1000.slice', OTHER);
});

describe('cgroup delegation', () => {
  it('finds the topmost cgroup the user owns, and the controllers enabled below it', () => {
    cgroup(SERVICE, me, { 'cgroup.controllers': 'cpu io memory pids\n', 'cgroup.subtree_control': 'memory pids\n' });
    cgroup(`${SERVICE}/app.slice`, me);
    cgroup(SCOPE, me);
    expect(detectDelegation({ cgroupRoot: root, procCgroup, uid: me })).toEqual({ version: 'v2', own: SCOPE, delegated: SERVICE, enabled: ['memory', 'pids'], available: ['cpu', 'io', 'memory', 'pids'] });
  });

  it('finds none when the user owns no cgroup it is in', () => {
    cgroup(SERVICE, OTHER);
    cgroup(`${SERVICE}/app.slice`, OTHER);
    cgroup(SCOPE, OTHER);
    expect(detectDelegation({ cgroupRoot: root, procCgroup, uid: me })).toEqual({ version: 'v2', own: SCOPE, enabled: [], available: [] });
  });

  it('never finds one on cgroups v1', () => {
    const v1 = path.join(tmp, 'v1');
    fs.mkdirSync(path.join(v1, 'memory'), { recursive: true });
    fs.chownSync(path.join(v1, 'memory'), me, me);
    expect(detectDelegation({ cgroupRoot: v1, procCgroup, uid: me })).toEqual({ version: 'v1', enabled: [], available: [] });
  });
});

const full: Delegation = { version: 'v2', own: SCOPE, delegated: SERVICE, enabled: ['cpu', 'cpuset', 'io', 'memory', 'pids'], available: ['cpu', 'cpuset', 'io', 'memory', 'pids'] };
const partial: Delegation = { ...full, enabled: ['memory', 'pids'], available: ['cpu', 'io', 'memory', 'pids'] };
const none: Delegation = { version: 'v2', own: SCOPE, enabled: [], available: [] };
const limits = parseResources({ memory: '64m', cpus: '1.5', pidsLimit: '100', cpusetCpus: '0' })!;

describe('limits under delegation', () => {
  it('puts each container in a cgroup of its own with all its limits when every controller is delegated', () => {
    expect(applicableLimits(limits, full)).toEqual({ applied: limits, warnings: [] });
    const cg = cgroupSpec('abc123', limits, full);
    expect(cg).toEqual({
      cgroupsPath: `${SERVICE}/tspod-abc123`,
      resources: { memory: { limit: 67108864, swap: 134217728 }, cpu: { quota: 150000, period: 100000, cpus: '0' }, pids: { limit: 100 } },
    });
    const spec = generateSpec({ rootfs: '/r', readOnly: false, image: {}, command: ['true'], env: [], user: { uid: 0, gid: 0, additionalGids: [], home: '/root' }, terminal: false, hostname: 'h', capAdd: [], capDrop: [], noNewPrivileges: false, network: 'private', files: { resolvConf: '/r/resolv.conf' }, ...cg }) as { linux: Record<string, unknown> };
    expect(spec.linux.cgroupsPath).toBe(`${SERVICE}/tspod-abc123`);
    expect(spec.linux.resources).toEqual(cg.resources);
  });

  it('gives a container without limits its cgroup too (stats and pause use it)', () => {
    expect(cgroupSpec('abc123', undefined, full)).toEqual({ cgroupsPath: `${SERVICE}/tspod-abc123`, resources: undefined });
  });

  it('drops the limits whose controller is missing, with Podman\'s warning and how to delegate it', () => {
    const r = applicableLimits(limits, partial);
    expect(r.applied).toEqual({ memory: 67108864, memorySwap: 134217728, pidsLimit: 100 });
    expect(r.warnings).toEqual([
      `Your kernel does not support CPU cfs period/quota or the cgroup is not mounted. Period/quota discarded. The cpu controller is available but not enabled in cgroup.subtree_control of ${SERVICE}: delegate it with systemd: "sudo systemctl edit user@.service", add "[Service]" and "Delegate=cpu" (or Delegate=yes), then log in again`,
      `Your kernel does not support cpuset or the cgroup is not mounted. CPUset discarded. The cpuset controller is not delegated to ${SERVICE}: delegate it with systemd: "sudo systemctl edit user@.service", add "[Service]" and "Delegate=cpuset" (or Delegate=yes), then log in again`,
    ]);
    expect(cgroupSpec('abc123', limits, partial).resources).toEqual({ memory: { limit: 67108864, swap: 134217728 }, pids: { limit: 100 } });
  });

  it('applies nothing and says why without delegation', () => {
    expect(applicableLimits(limits, none)).toEqual({
      warnings: [`Resource limits are not applied: no cgroup from ${SCOPE} upwards is writable by you, so rootless containers get no cgroup of their own (cgroups v2 without delegation); delegate it with systemd: "sudo systemctl edit user@.service", add "[Service]" and "Delegate=cpu cpuset io memory pids" (or Delegate=yes), then log in again`],
    });
    expect(cgroupSpec('abc123', limits, none)).toEqual({});
  });
});

describe("a container's own cgroup", () => {
  const id = 'c0ffee';
  let dir: string;
  let proc: string;
  beforeEach(() => {
    dir = cgroup(`${SERVICE}/tspod-${id}`, me, {
      'cgroup.freeze': '0\n',
      'cgroup.procs': `${process.pid}\n`,
      'cpu.stat': 'usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n',
      'memory.current': '7340032\n',
      'memory.max': '67108864\n',
      'pids.current': '3\n',
      'io.stat': '8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n8:16 rbytes=100 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n',
    });
    proc = path.join(tmp, 'proc');
    fs.mkdirSync(path.join(proc, '77'), { recursive: true });
    fs.writeFileSync(path.join(proc, '77', 'cgroup'), `0::${SERVICE}/tspod-${id}\n`);
    fs.mkdirSync(path.join(proc, '78'), { recursive: true });
    fs.writeFileSync(path.join(proc, '78', 'cgroup'), `0::${SCOPE}\n`);
  });

  it('is found from its PID 1 only when it is the container\'s', () => {
    expect(ownCgroupDir(id, 77, root, proc)).toBe(dir);
    expect(ownCgroupDir(id, 78, root, proc)).toBeUndefined();
    expect(ownCgroupDir('other', 77, root, proc)).toBeUndefined();
    expect(ownCgroupDir(id, undefined, root, proc)).toBeUndefined();
  });

  it('gives stats its counters', () => {
    expect(cgroupFigures(dir)).toEqual({ cpuNanos: 2_500_000_000, memUsage: 7340032, memLimit: 67108864, pids: 3, blockInput: 4196, blockOutput: 8192 });
    fs.writeFileSync(path.join(dir, 'memory.max'), 'max\n');
    fs.rmSync(path.join(dir, 'pids.current'));
    expect(cgroupFigures(dir)).toEqual({ cpuNanos: 2_500_000_000, memUsage: 7340032, blockInput: 4196, blockOutput: 8192 });
    // A sample takes them over /proc's figures; the memory limit without memory.max is the host's.
    const s = sample(process.pid, dir)!;
    expect([s.cpuNanos, s.memUsage, s.memLimit, s.blockInput, s.blockOutput]).toEqual([2_500_000_000, 7340032, os.totalmem(), 4196, 8192]);
    expect(s.pids).toBeGreaterThanOrEqual(1); // pids.current gone: the tasks of the processes in cgroup.procs
  });

  it('is paused when cgroup.freeze holds 1', () => {
    expect(frozen(dir)).toBe(false);
    fs.writeFileSync(path.join(dir, 'cgroup.freeze'), '1\n');
    expect(frozen(dir)).toBe(true);
  });
});
