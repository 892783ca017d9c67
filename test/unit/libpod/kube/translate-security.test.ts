import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { translatePod } from '../../../../libpod/kube/translate-pod';
import { checkNonRootImage } from '../../../../libpod/kube/translate-container';
import { containerResources, memoryBytes, milliCpu, parseQuantity } from '../../../../libpod/kube/translate-resources';
import { parseResources } from '../../../../libpod/container/resource-flags';
import { template, testContext } from './helpers';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-sec-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const pod = (container: string, podExtra = '') => template(`apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
${podExtra}  containers:
  - name: app
    image: busybox
${container}`);

describe('securityContext', () => {
  it('takes user and group, capabilities, privileged, read-only root and no-new-privileges', () => {
    const t = translatePod(
      pod(`    securityContext:
      runAsUser: 1000
      runAsGroup: 100
      capabilities: {add: [NET_ADMIN], drop: [ALL]}
      readOnlyRootFilesystem: true
      allowPrivilegeEscalation: false
      procMount: Unmasked
`),
      testContext(tmp()),
    );
    expect(t.containers[0].create).toMatchObject({ user: '1000:100', capAdd: ['NET_ADMIN'], capDrop: ['ALL'], readOnly: true, securityOpt: ['no-new-privileges', 'unmask=ALL'] });
    const priv = translatePod(pod('    securityContext: {privileged: true}\n'), testContext(tmp()));
    expect(priv.containers[0].create.security).toEqual({ privileged: true });
  });

  it('takes the pod\'s runAsUser and runAsGroup as defaults the container overrides', () => {
    const t = translatePod(pod('    securityContext: {runAsUser: 7}\n', '  securityContext: {runAsUser: 1000, runAsGroup: 50}\n'), testContext(tmp()));
    expect(t.containers[0].create.user).toBe('7:50');
    expect(translatePod(pod('', '  securityContext: {runAsGroup: 50}\n'), testContext(tmp())).containers[0].create.user).toBe('0:50');
    expect(translatePod(pod(''), testContext(tmp())).containers[0].create.user).toBeUndefined();
  });

  it('adds the pod\'s supplementalGroups to every container', () => {
    const t = translatePod(pod('', '  securityContext: {supplementalGroups: [10, 2000]}\n'), testContext(tmp()));
    expect(t.containers[0].create.userns).toEqual({ uidmap: [], gidmap: [], groupAdd: ['10', '2000'], hostuser: [], passwd: true });
    expect(() => translatePod(pod('', '  securityContext: {supplementalGroups: [wheel]}\n'), testContext(tmp()))).toThrow('f.yaml, document 1: spec.securityContext.supplementalGroups[0] must be a group number');
  });

  it('checks runAsNonRoot: refused with user 0, left to the play (the image\'s user) without a user', () => {
    expect(() => translatePod(pod('    securityContext: {runAsNonRoot: true, runAsUser: 0}\n'), testContext(tmp()))).toThrow('f.yaml, document 1: spec.containers[0].securityContext: runAsNonRoot is true but runAsUser is 0 (root): the kubelet refuses to start it; give another runAsUser');
    expect(translatePod(pod('', '  securityContext: {runAsNonRoot: true}\n'), testContext(tmp())).containers[0].runAsNonRoot).toBe(true);
    expect(translatePod(pod('    securityContext: {runAsNonRoot: true, runAsUser: 1000}\n'), testContext(tmp())).containers[0].runAsNonRoot).toBeUndefined();
    const plan = translatePod(pod('', '  securityContext: {runAsNonRoot: true}\n'), testContext(tmp())).containers[0];
    expect(() => checkNonRootImage(plan, undefined, 'f.yaml, document 1')).toThrow('f.yaml, document 1: container app: securityContext.runAsNonRoot: the image runs as root (it has no USER): give runAsUser a user number other than 0');
    expect(() => checkNonRootImage(plan, '0:0', 'w')).toThrow('the image runs as root (USER 0:0)');
    expect(() => checkNonRootImage(plan, 'nginx', 'w')).toThrow("w: container app: securityContext.runAsNonRoot: the image's USER nginx is a name, which cannot be verified as non-root: give runAsUser a user number");
    checkNonRootImage(plan, '101:101', 'w');
  });

  it('gives SELinux, seccomp and AppArmor settings as security options; a Localhost seccomp profile is reported', () => {
    const ctx = testContext(tmp());
    const t = translatePod(
      pod('    securityContext:\n      seccompProfile: {type: Unconfined}\n      appArmorProfile: {type: Localhost, localhostProfile: my-profile}\n', '  securityContext:\n    seLinuxOptions: {type: spc_t, level: "s0:c1"}\n'),
      ctx,
    );
    expect(t.containers[0].create.securityOpt).toEqual(['label=type:spc_t', 'label=level:s0:c1', 'seccomp=unconfined', 'apparmor=my-profile']);
    const local = pod('    securityContext:\n      seccompProfile: {type: Localhost, localhostProfile: prof.json}\n');
    translatePod(local, ctx);
    expect(ctx.warnings).toEqual(["f.yaml, document 1: spec.containers[0].securityContext.seccompProfile.type: Localhost profiles live in the kubelet's directory, which tspod does not have: the default profile is used: ignored"]);
    expect(() => translatePod(local, testContext(tmp(), '', { strict: true }))).toThrow("f.yaml, document 1: spec.containers[0].securityContext.seccompProfile.type: Localhost profiles live in the kubelet's directory, which tspod does not have: the default profile is used: change it, or play without --strict to ignore it with a warning");
  });

  it('refuses what create would refuse before anything is made: an unknown capability, a bad stop signal', () => {
    expect(() => translatePod(pod('    securityContext: {capabilities: {add: [NET_FOO]}}\n'), testContext(tmp()))).toThrow(/^f\.yaml, document 1: spec\.containers\[0\]\.securityContext\.capabilities: .*NET_FOO/);
    expect(() => translatePod(pod('    lifecycle: {stopSignal: SIGNOPE}\n'), testContext(tmp()))).toThrow('f.yaml, document 1: spec.containers[0].lifecycle.stopSignal: invalid signal "SIGNOPE": use a name such as TERM or SIGKILL, or a number');
  });

  it('refuses allowPrivilegeEscalation false with privileged, as Kubernetes does', () => {
    expect(() => translatePod(pod('    securityContext: {privileged: true, allowPrivilegeEscalation: false}\n'), testContext(tmp()))).toThrow('f.yaml, document 1: spec.containers[0].securityContext: allowPrivilegeEscalation cannot be false when privileged is true');
  });
});

describe('resources', () => {
  it('parses quantities with binary, decimal, milli and exponent suffixes', () => {
    expect(memoryBytes('512Mi', 'w')).toBe(512 * 2 ** 20);
    expect(memoryBytes('1G', 'w')).toBe(1e9);
    expect(memoryBytes('1.5Gi', 'w')).toBe(1.5 * 2 ** 30);
    expect(memoryBytes('129e6', 'w')).toBe(129e6);
    expect(memoryBytes(1024, 'w')).toBe(1024);
    expect(milliCpu('250m', 'w')).toBe(250);
    expect(milliCpu('0.5', 'w')).toBe(500);
    expect(milliCpu(2, 'w')).toBe(2000);
    expect(parseQuantity('100k', 'w')).toBe(100_000);
    expect(() => parseQuantity('12 apples', 'f.yaml: x.limits.memory')).toThrow('f.yaml: x.limits.memory: invalid quantity "12 apples": give a number with an optional suffix, such as 512Mi, 1G or 250m');
    expect(() => parseQuantity('-1', 'w')).toThrow('invalid quantity');
  });

  it('gives limits as --memory and --cpus, requests as --memory-reservation and --cpu-shares, which create takes', () => {
    const r = containerResources({ limits: { memory: '512Mi', cpu: '250m' }, requests: { memory: '128Mi', cpu: '100m' } }, 'w', 'r')!;
    expect(r).toEqual({ memory: String(512 * 2 ** 20), memoryReservation: String(128 * 2 ** 20), cpus: '0.25', cpuShares: '102' });
    expect(parseResources(r)).toMatchObject({ memory: 512 * 2 ** 20, memoryReservation: 128 * 2 ** 20, cpuQuota: 25000, cpuPeriod: 100000, cpuShares: 102 });
    expect(containerResources({}, 'w', 'r')).toBeUndefined();
    expect(() => containerResources({ limits: { memory: '1Gi' }, requests: { memory: '2Gi' } }, 'f.yaml', 'spec.containers[0].resources')).toThrow('f.yaml: spec.containers[0].resources.requests.memory (2Gi) must be less than or equal to limits.memory (1Gi)');
  });

  it('reaches the container\'s options', () => {
    const t = translatePod(pod('    resources: {limits: {memory: 64Mi}}\n'), testContext(tmp()));
    expect(t.containers[0].create.resources).toEqual({ memory: String(64 * 2 ** 20) });
  });
});
