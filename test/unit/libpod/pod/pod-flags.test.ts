import { describe, expect, it } from 'vitest';
import { checkPodCreate, parseShare } from '../../../../libpod/pod/pod-flags';
import { joinPod } from '../../../../libpod/pod/pod-member';
import type { PodCreateOptions } from '../../../../libpod/pod/types';
import type { CreateOptions } from '../../../../libpod/container/create-spec';
import type { Pod } from '../../../../libpod/pod/pod';

const base: PodCreateOptions = { infra: true, labels: [], publish: [], addHosts: [], dns: [], dnsSearch: [], dnsOptions: [], volumes: [], replace: false, createCommand: [] };
const INFRA = 'f'.repeat(64);
const pod = (over: Partial<Pod['spec']> = {}): Pod => ({ id: 'a'.repeat(64), name: 'web', createdAt: 0, spec: { share: ['net', 'ipc', 'uts'], labels: {}, exitPolicy: 'continue', createCommand: [], infraId: INFRA, ...over } });
const ctr = (over: Partial<CreateOptions> = {}) => ({ image: 'busybox', command: [], env: [], envFiles: [], labels: [], readOnly: false, init: false, replace: false, pull: 'missing', capAdd: [], capDrop: [], securityOpt: [], interactive: false, tty: false, rm: false, createCommand: [], ...over }) as unknown as CreateOptions;

describe('pod create --share', () => {
  it('defaults to net,ipc,uts; + adds to it; "" and none share nothing', () => {
    expect(parseShare(undefined)).toEqual(['net', 'ipc', 'uts']);
    expect(parseShare('+pid')).toEqual(['net', 'ipc', 'uts', 'pid']);
    expect(parseShare('net,pid')).toEqual(['net', 'pid']);
    expect(parseShare('')).toEqual([]);
    expect(parseShare('none')).toEqual([]);
    expect(() => parseShare('net,user')).toThrow('invalid kernel namespace to share: user: options are cgroup, ipc, net, pid or uts');
  });

  it('refuses what a pod without an infra container cannot hold, in Podman\'s words', () => {
    expect(() => checkPodCreate({ ...base, infra: false, publish: ['80'] })).toThrow('you must have an infra container to publish port bindings to the host');
    expect(() => checkPodCreate({ ...base, infra: false, dns: ['1.1.1.1'] })).toThrow('NoInfra and DNSServer are mutually exclusive pod options: invalid pod spec');
    expect(() => checkPodCreate({ ...base, infra: false, share: 'net' })).toThrow('cannot set share(net) namespaces without an infra container');
    expect(checkPodCreate({ ...base, infra: false, share: '' }).share).toEqual([]);
  });

  it('checks the exit policy, the restart policy and the labels', () => {
    expect(checkPodCreate({ ...base, labels: ['a=b'], exitPolicy: 'stop', restart: 'always' })).toEqual({ share: ['net', 'ipc', 'uts'], labels: { a: 'b' }, exitPolicy: 'stop', restartPolicy: 'always' });
    expect(() => checkPodCreate({ ...base, exitPolicy: 'never' })).toThrow('invalid pod exit policy: "never": use continue or stop');
    expect(() => checkPodCreate({ ...base, restart: 'sometimes' })).toThrow();
  });
});

describe('a container joining a pod', () => {
  it('joins the infra container\'s network, IPC and UTS, requires it, and gets the pod\'s volumes and restart policy', () => {
    const o = joinPod(pod({ share: ['net', 'ipc', 'uts', 'pid'], volumes: ['data:/data'], restartPolicy: 'always' }), ctr({ volumes: ['/x:/x'] }));
    expect(o.network).toBe(`container:${INFRA}`);
    expect(o.security).toEqual({ ipc: `container:${INFRA}`, pid: `container:${INFRA}`, uts: `container:${INFRA}` });
    expect(o.requires).toEqual([INFRA]);
    expect(o.volumes).toEqual(['data:/data', '/x:/x']);
    expect(o.restart).toBe('always');
    expect(o.pod).toBe('a'.repeat(64));
  });

  it('keeps its own restart policy, and --rm keeps none', () => {
    expect(joinPod(pod({ restartPolicy: 'always' }), ctr({ restart: 'no' })).restart).toBe('no');
    expect(joinPod(pod({ restartPolicy: 'always' }), ctr({ rm: true })).restart).toBeUndefined();
  });

  it('shares nothing in a pod without an infra container', () => {
    const o = joinPod(pod({ infraId: undefined, share: [] }), ctr({ publish: ['8080:80'], hostname: 'h' }));
    expect(o.network).toBeUndefined();
    expect(o.security).toEqual({});
    expect(o.requires).toEqual([]);
    expect(o.publish).toEqual(['8080:80']);
  });

  it('refuses ports, host entries and a host name the pod owns', () => {
    expect(() => joinPod(pod(), ctr({ publish: ['80'] }))).toThrow('invalid config provided: published or exposed ports must be defined when the pod is created: network cannot be configured when it is shared with a pod');
    expect(() => joinPod(pod(), ctr({ addHosts: ['a:1.2.3.4'] }))).toThrow('extra host entries must be specified on the pod');
    expect(() => joinPod(pod(), ctr({ hostname: 'h' }))).toThrow('cannot set hostname when joining the pod UTS namespace');
    // Without a shared UTS namespace the host name is its own.
    expect(joinPod(pod({ share: ['net'] }), ctr({ hostname: 'h' })).hostname).toBe('h');
    // A network mode of its own leaves the pod's network (Podman's), and may publish then.
    expect(joinPod(pod(), ctr({ network: 'none' })).network).toBe('none');
  });
});
