import { describe, expect, it } from 'vitest';
import type { Container } from '../../../../libpod/container/container';
import type { Pod } from '../../../../libpod/pod/pod';
import { listPodsReport, podFilter, sortPods, type PodMember } from '../../../../libpod/pod/pod-report';
import { inspectPod } from '../../../../libpod/pod/pod-inspect';
import { goBytesSize, podStatsFigures } from '../../../../libpod/pod/pod-views';
import { withGoNames } from '../../../../libpod/inspect-go-names';
import { PodPsRow, POD_PS_HEADINGS } from '../../../../commands/pod/ps-row';
import { renderList } from '../../../../commands/format/list-printer';

const POD_ID = 'p'.repeat(64);
const INFRA_ID = 'f'.repeat(64);

function container(over: Omit<Partial<Container>, 'spec'> & { spec?: Partial<Container['spec']> } = {}): Container {
  const { spec, ...rest } = over;
  return {
    id: 'a'.repeat(64),
    name: 'web',
    state: 'running',
    createdAt: 1_000_000,
    status: { restartCount: 0 },
    ...rest,
    spec: { pod: POD_ID, image: 'busybox', imageId: 'sha256:' + 'b'.repeat(64), imageName: 'docker.io/library/busybox:latest', command: [], env: [], hostname: 'h', labels: {}, terminal: false, stdin: false, readOnly: false, init: false, autoRemove: false, stopSignal: 'SIGTERM', stopTimeout: 10, capAdd: [], capDrop: [], noNewPrivileges: false, network: 'slirp4netns', runtime: '/usr/sbin/runc', restartPolicy: { name: 'no', maxRetries: 0 }, args: ['httpd'], createCommand: [], ...spec },
  };
}

function pod(over: Partial<Pod['spec']> = {}, name = 'web', createdAt = Date.parse('2026-12-02T07:00:00Z')): Pod {
  return { id: POD_ID, name, createdAt, spec: { infraId: INFRA_ID, share: ['net', 'ipc', 'uts'], labels: {}, exitPolicy: 'continue', createCommand: ['tspod', 'pod', 'create', '-p', '8080:80', 'web'], ...over } };
}

const infra = (state: Container['state'] = 'running') =>
  container({ id: INFRA_ID, name: 'pppppppppppp-infra', state, spec: { ports: [{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 2 }], dns: ['10.0.0.53'], addHosts: ['db:10.0.0.9'] } });
const app = (state: Container['state'] = 'running', restartCount = 0) => container({ id: 'c'.repeat(64), name: 'app', state, status: { restartCount } });
const members = (...cs: Container[]): PodMember[] => cs.map((c) => ({ container: c, state: c.state }));

describe("pod ps's entries", () => {
  it("are Podman's ListPodsReport, the status from every container's, infra included", () => {
    const e = listPodsReport(pod({ labels: { tier: 'front' } }), members(infra(), app('exited', 2)));
    expect(e).toEqual({
      Cgroup: '',
      Containers: [
        { Id: INFRA_ID, Names: 'pppppppppppp-infra', Status: 'running', RestartCount: 0 },
        { Id: 'c'.repeat(64), Names: 'app', Status: 'exited', RestartCount: 2 },
      ],
      Created: '2026-12-02T07:00:00.000Z',
      Id: POD_ID,
      InfraId: INFRA_ID,
      Name: 'web',
      Namespace: '',
      Networks: [],
      Status: 'Degraded',
      Labels: { tier: 'front' },
    });
    expect(listPodsReport(pod(), members(infra('exited'), app('exited'))).Status).toBe('Exited');
    expect(listPodsReport(pod({ infraId: undefined }), []).Labels).toBeNull();
    expect(listPodsReport(pod({ infraId: undefined }), []).Status).toBe('Created');
    // An init container has exited by design: it does not make the pod Degraded (Podman leaves it out of the status).
    const init = container({ id: 'e'.repeat(64), name: 'init', state: 'exited', spec: { initCtr: 'always' } });
    expect(listPodsReport(pod(), members(infra(), app(), init)).Status).toBe('Running');
    expect(inspectPod(pod(), members(infra(), app(), init), '/store').State).toBe('Running');
  });

  it('are filtered by the keys Podman lists: one key ORs its values, keys AND', () => {
    const running = listPodsReport(pod({ labels: { tier: 'front', env: 'prod' } }), members(infra(), app()));
    const other = { ...listPodsReport(pod({}, 'db'), members(infra('exited'))), Id: 'd'.repeat(64), Networks: ['backend'] };
    const pick = (f: string[]) => [running, other].filter(podFilter(f, (n) => (n === 'backend' ? n : undefined))).map((e) => e.Name);
    expect(pick(['status=running'])).toEqual(['web']);
    expect(pick(['status=exited', 'status=running'])).toEqual(['web', 'db']);
    expect(pick(['name=^d'])).toEqual(['db']);
    expect(pick(['id=ddd'])).toEqual(['db']);
    expect(pick(['label=tier=front', 'label=env'])).toEqual(['web']);
    expect(pick(['label=tier=front', 'label=env=dev'])).toEqual([]);
    expect(pick(['label!=tier'])).toEqual(['db']);
    expect(pick(['ctr-names=^app$'])).toEqual(['web']);
    expect(pick(['ctr-ids=ccc'])).toEqual(['web']);
    expect(pick(['ctr-status=stopped'])).toEqual(['db']);
    expect(pick(['ctr-number=1'])).toEqual(['db']);
    expect(pick(['network=backend'])).toEqual(['db']);
    expect(pick(['network=nosuch'])).toEqual([]);
    expect(pick(['until=2026-12-02T08:00:00Z', 'status=running'])).toEqual(['web']);
    expect(pick(['until=2026-12-02T06:00:00Z'])).toEqual([]);
    expect(() => pick(['colour=red'])).toThrow('colour is an invalid filter');
    expect(() => pick(['status=sleeping'])).toThrow('sleeping is not a valid pod status');
    expect(() => pick(['ctr-status=sleeping'])).toThrow('sleeping is not a valid status');
    expect(() => pick(['status'])).toThrow('filter input must be in the form of filter=value: status is invalid');
  });

  it('sort: created newest first, the others ascending; an unknown key is refused', () => {
    const a = { ...listPodsReport(pod({}, 'b', 1000), members(infra(), app())), Id: '2' };
    const b = { ...listPodsReport(pod({}, 'a', 2000), members(infra())), Id: '1' };
    expect(sortPods([a, b], 'created').map((e) => e.Name)).toEqual(['a', 'b']);
    expect(sortPods([b, a], 'name').map((e) => e.Name)).toEqual(['a', 'b']);
    expect(sortPods([a, b], 'number').map((e) => e.Name)).toEqual(['a', 'b']);
    expect(sortPods([a, b], 'id').map((e) => e.Id)).toEqual(['1', '2']);
    expect(() => sortPods([a], 'size')).toThrow('invalid option for --sort, options are: created, id, name, number, status');
  });

  it("are rows for Podman's default table and templates, with its headings", () => {
    const now = Date.parse('2026-12-02T07:03:00Z');
    const rows = [new PodPsRow(listPodsReport(pod({ labels: { tier: 'front' } }), members(infra(), app())), false, now)];
    const table = renderList(rows, { columns: [['POD ID', (r) => r.Id], ['NAME', (r) => r.Name], ['STATUS', (r) => r.Status], ['CREATED', (r) => r.Created], ['INFRA ID', (r) => r.InfraID], ['# OF CONTAINERS', (r) => String(r.NumberOfContainers)]], headings: POD_PS_HEADINGS });
    expect(table).toBe('POD ID        NAME        STATUS      CREATED        INFRA ID      # OF CONTAINERS\npppppppppppp  web         Running     3 minutes ago  ffffffffffff  2\n');
    const tpl = renderList(rows, { format: 'table {{.ID}} {{.NumberOfContainers}} {{.ContainerNames}} {{.Label "tier"}} {{.Restarts}}', columns: [['POD ID', (r) => r.Id]], headings: POD_PS_HEADINGS });
    expect(tpl).toBe('POD ID        # OF CONTAINERS  NAMES                   LABEL       RESTARTS\npppppppppppp  2                pppppppppppp-infra,app  front       0\n');
  });
});

describe('pod inspect', () => {
  it("is Podman 5's InspectPodData: omitempty keys left out, containers by ID, InfraConfig from the infra container", () => {
    const doc = inspectPod(pod(), members(app('exited'), infra()), '/store');
    expect(doc).toEqual({
      Id: POD_ID,
      Name: 'web',
      Created: '2026-12-02T07:00:00.000Z',
      CreateCommand: ['tspod', 'pod', 'create', '-p', '8080:80', 'web'],
      ExitPolicy: 'continue',
      State: 'Degraded',
      Hostname: '',
      CreateCgroup: false,
      CreateInfra: true,
      InfraContainerID: INFRA_ID,
      InfraConfig: {
        PortBindings: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }], '81/tcp': [{ HostIp: '0.0.0.0', HostPort: '8081' }] },
        HostNetwork: false,
        StaticIP: '',
        StaticMAC: '',
        NoManageResolvConf: false,
        DNSServer: ['10.0.0.53'],
        DNSSearch: null,
        DNSOption: null,
        NoManageHostname: false,
        NoManageHosts: false,
        HostAdd: ['db:10.0.0.9'],
        HostsFile: '',
        Networks: null,
        NetworkOptions: null,
        pid_ns: 'private',
        userns: 'host',
        uts_ns: 'private',
      },
      SharedNamespaces: ['ipc', 'net', 'uts'],
      NumContainers: 2,
      Containers: [
        { Id: 'c'.repeat(64), Name: 'app', State: 'exited' },
        { Id: INFRA_ID, Name: 'pppppppppppp-infra', State: 'running' },
      ],
      LockNumber: 0,
    });
  });

  it('without infra: no InfraConfig, no shared namespaces; labels and restart policy when set; Go names for templates', () => {
    const doc = withGoNames(inspectPod(pod({ infraId: undefined, labels: { a: 'b' }, restartPolicy: 'always' }), [], '/store'), 'pod');
    expect(Object.keys(doc)).toEqual(['Id', 'Name', 'Created', 'CreateCommand', 'ExitPolicy', 'State', 'Hostname', 'Labels', 'CreateCgroup', 'CreateInfra', 'NumContainers', 'RestartPolicy', 'LockNumber']);
    expect(doc.State).toBe('Created');
    expect(doc.ID).toBe(POD_ID);
    expect(doc.InfraContainerID).toBe('');
    expect(doc.Containers).toBeNull();
    expect(doc.Mounts).toBeNull();
  });

  it("lists the pod's -v volumes and bind mounts as Podman's mounts, named volumes first", () => {
    const doc = inspectPod(pod({ volumes: ['./site:/srv:ro', 'data:/var/lib/app'], createCwd: '/home/u' }), [], '/store');
    expect(doc.mounts).toEqual([
      { Type: 'volume', Name: 'data', Source: '/store/volumes/data/_data', Destination: '/var/lib/app', Driver: 'local', Mode: '', Options: ['rbind'], RW: true, Propagation: 'rprivate' },
      { Type: 'bind', Source: '/home/u/site', Destination: '/srv', Driver: '', Mode: '', Options: ['rbind'], RW: false, Propagation: 'rprivate' },
    ]);
  });
});

describe('pod stats figures', () => {
  it("are written as Podman's pod stats writes them: four significant digits, binary for MemUsageBytes, -- for none", () => {
    const s = { at: 0, cpuNanos: 0, memUsage: 709_200, memLimit: 25_300_000_000, netInput: 0, netOutput: 586, blockInput: 0, blockOutput: 0, pids: 1 };
    expect(podStatsFigures(s)).toEqual({ MemUsage: '709.2kB / 25.3GB', MemUsageBytes: '692.6KiB / 23.56GiB', Mem: '0.00%', NetIO: '0B / 586B', BlockIO: '-- / --', PIDS: '1' });
    expect(goBytesSize(1023)).toBe('1023B');
    expect(goBytesSize(1536)).toBe('1.5KiB');
  });
});
