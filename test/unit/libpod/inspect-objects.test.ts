import { describe, expect, it } from 'vitest';
import { inspectObjects, type Inspected, type Inspectors } from '../../../libpod/inspect-objects';
import { withGoNames } from '../../../libpod/inspect-go-names';
import { InspectNotFoundError, InvalidArgumentError, NoSuchImageError } from '../../../src/errors';

/** Inspectors over fixed sets of names, recording what was asked. */
function fake(have: { containers?: string[]; images?: string[]; volumes?: string[]; networks?: string[]; pods?: string[] }, asked: string[] = []): Inspectors {
  const kind = (k: string, names: string[] | undefined, missing: (n: string) => Error) => (ns: string[]): Inspected[] =>
    ns.map((n) => {
      asked.push(`${k}:${n}`);
      return names?.includes(n) ? { name: n, data: k === 'network' ? { name: n, id: `${n}-id`, subnets: [{ subnet: '10.0.0.0/24', gateway: '10.0.0.1' }], containers: {} } : { Id: `${k}-${n}`, Name: n } } : { name: n, error: missing(n) };
    });
  return {
    containers: (ns, o) => (o.latest ? [{ name: 'last', data: { Id: 'container-last', Name: 'last' } }] : kind('container', have.containers, (n) => new InspectNotFoundError(`no such container "${n}"`))(ns)),
    images: kind('image', have.images, (n) => new NoSuchImageError(n)),
    volumes: kind('volume', have.volumes, (n) => new InspectNotFoundError(`no such volume ${n}`)),
    networks: kind('network', have.networks, (n) => new InspectNotFoundError(`network ${n}: not found`)),
    pods: (ns, o) => (o.latest ? [{ name: 'lastpod', data: { Id: 'pod-lastpod', Name: 'lastpod' } }] : kind('pod', have.pods, (n) => new InspectNotFoundError(`no such pod ${n}`))(ns)),
  };
}
const opts = (o: Partial<{ type: string; size: boolean; latest: boolean }> = {}) => ({ type: 'all', size: false, latest: false, ...o });

describe('inspect across kinds', () => {
  it('asks container, image, volume, network, pod in turn and stops at the first that knows the name', () => {
    const asked: string[] = [];
    const r = inspectObjects(['net1', 'img1', 'pod1', 'gone'], opts(), fake({ images: ['img1'], networks: ['net1'], pods: ['pod1'] }, asked));
    expect(r.map((x) => x.data?.Id ?? x.data?.name ?? x.error?.message)).toEqual(['net1', 'image-img1', 'pod-pod1', 'no such object: "gone"']);
    expect(asked).toEqual(['container:net1', 'image:net1', 'volume:net1', 'network:net1', 'container:img1', 'image:img1', 'container:pod1', 'image:pod1', 'volume:pod1', 'network:pod1', 'pod:pod1', 'container:gone', 'image:gone', 'volume:gone', 'network:gone', 'pod:gone']);
  });

  it('asks only the kind --type names, in its words', () => {
    const r = inspectObjects(['a'], opts({ type: 'volume' }), fake({ containers: ['a'] }));
    expect(r[0].error?.message).toBe('no such volume a');
    expect(inspectObjects(['a'], opts({ type: 'pod' }), fake({ containers: ['a'] }))[0].error?.message).toBe('no such pod a');
    expect(inspectObjects([], opts({ type: 'pod', latest: true }), fake({}))[0].data?.Name).toBe('lastpod');
    expect(inspectObjects(['p'], opts({ type: 'pod' }), fake({ pods: ['p'] }))[0].data?.ID).toBe('pod-p'); // Go's name for Id
    expect(inspectObjects([], opts({ latest: true }), fake({}))[0].data?.Name).toBe('last'); // -l with all means the latest container
  });

  it("refuses what Podman refuses, before any lookup", () => {
    const bad: Array<[string[], ReturnType<typeof opts>, string]> = [
      [['a'], opts({ type: 'thing' }), 'invalid type "thing": must be "image", "container", "pod", "network", "volume", or "all"'],
      [[], opts({ type: 'image', latest: true }), 'latest is not supported for type "image"'],
      [['a'], opts({ type: 'image', size: true }), 'size is not supported for type "image"'],
      [['a'], opts({ type: 'pod', size: true }), 'size is not supported for type "pod"'],
      [[], opts(), 'no names or ids specified: give the name or ID of what to inspect, or --latest'],
      [['a'], opts({ latest: true }), '--latest and arguments cannot be used together'],
    ];
    for (const [names, o, message] of bad) {
      const asked: string[] = [];
      expect(() => inspectObjects(names, o, fake({}, asked))).toThrow(new InvalidArgumentError(message));
      expect(asked).toEqual([]);
    }
  });

  it("gives documents Podman's Go field names and omitted fields for templates, without changing their JSON", () => {
    const r = inspectObjects(['n'], opts({ type: 'network' }), fake({ networks: ['n'] }));
    const doc = r[0].data as Record<string, unknown> & { Subnets: Array<Record<string, unknown>> };
    const json = JSON.stringify(doc);
    expect([doc.Name, doc.ID, doc.Subnets[0].Subnet, doc.Labels, doc.labels]).toEqual(['n', 'n-id', '10.0.0.0/24', null, null]);
    expect(JSON.stringify(doc)).toBe(json);
    expect(Object.keys(doc)).toEqual(['name', 'id', 'subnets', 'containers']);
    const ctr = withGoNames({ Id: 'x', State: {}, NetworkSettings: { IPAddress: '' }, Config: { Domainname: 'd' } }, 'container') as Record<string, Record<string, unknown>> & { ID: string };
    expect([ctr.ID, ctr.NetworkSettings.Networks, ctr.State.Health, ctr.Config.DomainName]).toEqual(['x', null, null, 'd']);
    expect(Object.keys(ctr)).toEqual(['Id', 'State', 'NetworkSettings', 'Config']);
  });
});
