import { describe, expect, it } from 'vitest';
import { cloneMemberOptions, cloneName, clonePodOptions, type PodCloneOptions } from '../../../../libpod/pod/pod-clone';
import type { Pod } from '../../../../libpod/pod/pod';
import type { CreateOptions } from '../../../../libpod/container/create-spec';

describe('pod clone', () => {
  it("names a copy as Podman does: NAME-clone, then the first free NAME-cloneN", () => {
    const taken = (...names: string[]) => (n: string) => names.includes(n);
    expect(cloneName('web', taken())).toBe('web-clone');
    expect(cloneName('web', taken('web-clone'))).toBe('web-clone1');
    expect(cloneName('web', taken('web-clone', 'web-clone1', 'web-clone2'))).toBe('web-clone3');
    expect(cloneName('web-clone', taken('web-clone'))).toBe('web-clone1');
    expect(cloneName('web-clone4', taken('web-clone4'))).toBe('web-clone5');
  });

  const stored = { infra: true, labels: ['a=b'], publish: ['8080:80'], addHosts: [], dns: [], dnsSearch: [], dnsOptions: [], volumes: ['data:/data'], infraName: 'fixed-infra', hostname: 'orig', sysctls: ['net.ipv4.ip_forward=1'] };
  const pod: Pod = { id: 'p'.repeat(64), name: 'web', createdAt: 0, spec: { share: ['net'], labels: { a: 'b' }, exitPolicy: 'continue', createCommand: ['pod', 'create', 'web'], createCwd: '/work', createOptions: stored } };
  const opts = (over: Partial<PodCloneOptions> = {}): PodCloneOptions => ({ destroy: false, start: false, overrides: {}, containerOptions: () => undefined, createCommand: ['pod', 'clone', 'web'], ...over });

  it("makes the copy's pod options from the stored ones, clone's over them, lists added to", () => {
    const o = clonePodOptions(pod, 'web-clone', opts({ overrides: { hostname: 'copy', labels: ['c=d'], volumes: ['/h:/h'] } }));
    expect(o).toMatchObject({ name: 'web-clone', infra: true, publish: ['8080:80'], hostname: 'copy', labels: ['a=b', 'c=d'], volumes: ['data:/data', '/h:/h'], sysctls: ['net.ipv4.ip_forward=1'], replace: false, createCommand: ['pod', 'clone', 'web'], createCwd: '/work' });
    // The original's fixed infra name would clash: the copy's infra gets its own.
    expect(o.infraName).toBeUndefined();
    expect(clonePodOptions(pod, 'x', opts({ overrides: { infraName: 'mine' } })).infraName).toBe('mine');
    expect(() => clonePodOptions({ ...pod, spec: { ...pod.spec, createOptions: undefined } }, 'x', opts())).toThrow('pod web has no record of the options it was created with');
  });

  it("puts each member's copy in the new pod under its own name; a member that made its pod with new:NAME leaves the pod's options to it", () => {
    const base = { image: 'busybox', command: [], env: [], envFiles: [], labels: [], readOnly: false, init: false, replace: true, pull: 'missing', capAdd: [], capDrop: [], securityOpt: [], interactive: false, tty: false, rm: false, createCommand: [], progress: undefined } as unknown as CreateOptions;
    expect(cloneMemberOptions({ ...base, pod: 'web', cidFile: '/tmp/cid', name: 'app' }, 'n'.repeat(64), 'app-clone')).toMatchObject({ pod: 'n'.repeat(64), name: 'app-clone', replace: false, cidFile: undefined });
    const made = cloneMemberOptions({ ...base, pod: 'new:web', publish: ['8080:80'], dns: ['1.1.1.1'] }, 'n'.repeat(64), 'app-clone');
    expect(made).toMatchObject({ pod: 'n'.repeat(64), publish: [], dns: [], network: undefined });
    expect(cloneMemberOptions({ ...base, pod: 'web', publish: ['9090:90'] }, 'x', 'y').publish).toEqual(['9090:90']);
  });
});
