// Podman's inspect templates see its Go structs, not the JSON: fields are named as in Go where that
// differs from the JSON key ({{.ID}} of a container or image, JSON "Id"; {{.Name}} or {{.Subnets}}
// of a network, JSON "name", "subnets"), and a field the JSON leaves out when empty (omitempty:
// NetworkSettings.Networks of a slirp4netns container, a volume's Anonymous) is still there, at
// its zero value. Each document gets both as non-enumerable properties: templates find them, the
// JSON output stays Podman's.
type Doc = Record<string, unknown>;
type Aliases = Record<string, string>;

/** Go name → JSON key, for a document and, by key, for what it holds. */
interface Shape {
  names: Aliases;
  /** Keys the JSON omits when empty, with the zero value a template sees then. */
  zeros?: Record<string, unknown>;
  each?: Record<string, Shape>;
  /** Shape of every value of a map (containers by ID, interfaces by name) or element of a list. */
  items?: Record<string, Shape>;
}

const BASIC_NETWORK_ZEROS = { SecondaryIPAddresses: null, SecondaryIPv6Addresses: null, AdditionalMACAddresses: null };
const CONTAINER: Shape = {
  names: { ID: 'Id', LockNumber: 'lockNumber' },
  zeros: { OCIConfigPath: '', OCIRuntime: '', SizeRw: null, SizeRootFs: 0 },
  each: {
    State: { names: {}, zeros: { ConmonPid: 0, Health: null, Checkpointed: false, CgroupPath: '', CheckpointLog: '', CheckpointPath: '', RestoreLog: '', Restored: false, StoppedByUser: false } },
    NetworkSettings: { names: {}, zeros: { ...BASIC_NETWORK_ZEROS, Networks: null }, items: { Networks: { names: {}, zeros: { ...BASIC_NETWORK_ZEROS, NetworkID: '', Aliases: null } } } },
    Config: {
      names: { DomainName: 'Domainname', HealthMaxLogCount: 'HealthcheckMaxLogCount', HealthMaxLogSize: 'HealthcheckMaxLogSize', SdNotifyMode: 'sdNotifyMode', SdNotifySocket: 'sdNotifySocket' },
      zeros: { StartupHealthCheck: null, Healthcheck: null, HealthcheckOnFailureAction: '', HealthLogDestination: '', HealthcheckMaxLogCount: 0, HealthcheckMaxLogSize: 0, CreateCommand: null, Timezone: '', SystemdMode: false, Umask: '', Secrets: null, Passwd: null, ChrootDirs: null, sdNotifyMode: '', sdNotifySocket: '', ExposedPorts: null },
    },
    HostConfig: { names: {}, zeros: { CgroupManager: '', IDMappings: null, Init: false, IntelRdtClosID: '' } },
  },
};
const IMAGE: Shape = { names: { ID: 'Id', HealthCheck: 'Healthcheck' }, zeros: { Healthcheck: null } };
const VOLUME: Shape = { names: {}, zeros: { Status: null, UID: 0, GID: 0, Anonymous: false, NeedsCopyUp: false, NeedsChown: false, Timeout: 0, StorageID: '' } };
const INTERFACE: Shape = { names: { Subnets: 'subnets', MacAddress: 'mac_address' }, items: { subnets: { names: { IPNet: 'ipnet', Gateway: 'gateway' } } } };
const NETWORK: Shape = {
  names: { Name: 'name', ID: 'id', Driver: 'driver', NetworkInterface: 'network_interface', Created: 'created', Subnets: 'subnets', Routes: 'routes', IPv6Enabled: 'ipv6_enabled', Internal: 'internal', DNSEnabled: 'dns_enabled', NetworkDNSServers: 'network_dns_servers', Labels: 'labels', Options: 'options', IPAMOptions: 'ipam_options', Containers: 'containers' },
  zeros: { network_interface: '', subnets: null, routes: null, network_dns_servers: null, labels: null, options: null, ipam_options: null },
  items: {
    subnets: { names: { Subnet: 'subnet', Gateway: 'gateway' } },
    containers: { names: { Name: 'name', Interfaces: 'interfaces' }, zeros: { interfaces: null }, items: { interfaces: INTERFACE } },
  },
};

const POD_RESOURCES = { CPUPeriod: 'cpu_period', CPUQuota: 'cpu_quota', CPUSetCPUs: 'cpuset_cpus' };
const POD: Shape = {
  names: { ID: 'Id', ...POD_RESOURCES, CPUShares: 'cpu_shares', CPUSetMems: 'cpuset_mems', Mounts: 'mounts', Devices: 'devices', BlkioDeviceReadBps: 'device_read_bps', BlkioDeviceWriteBps: 'device_write_bps', VolumesFrom: 'volumes_from', SecurityOpts: 'security_opt', MemoryLimit: 'memory_limit', MemorySwap: 'memory_swap', BlkioWeight: 'blkio_weight', BlkioWeightDevice: 'blkio_weight_device' },
  zeros: { Namespace: '', CreateCommand: null, ExitPolicy: '', Labels: null, CgroupParent: '', CgroupPath: '', InfraContainerID: '', InfraConfig: null, SharedNamespaces: null, Containers: null, cpu_period: 0, cpu_quota: 0, cpu_shares: 0, cpuset_cpus: '', cpuset_mems: '', mounts: null, devices: null, device_read_bps: null, device_write_bps: null, volumes_from: null, security_opt: null, memory_limit: 0, memory_swap: 0, blkio_weight: 0, blkio_weight_device: null, RestartPolicy: '' },
  each: { InfraConfig: { names: { ...POD_RESOURCES, PidNS: 'pid_ns', UserNS: 'userns', UtsNS: 'uts_ns' }, zeros: { cpu_period: 0, cpu_quota: 0, cpuset_cpus: '', pid_ns: '', userns: '', uts_ns: '' } } },
  items: { Containers: { names: { ID: 'Id' } } },
};

export const GO_SHAPES = { container: CONTAINER, image: IMAGE, volume: VOLUME, network: NETWORK, pod: POD } as const;

function alias(doc: Doc, shape: Shape): void {
  for (const [key, zero] of Object.entries(shape.zeros ?? {})) {
    if (!(key in doc)) Object.defineProperty(doc, key, { enumerable: false, value: zero });
  }
  for (const [goName, key] of Object.entries(shape.names)) {
    if (goName in doc) continue;
    Object.defineProperty(doc, goName, { enumerable: false, get: () => doc[key] ?? null });
  }
  for (const [key, inner] of Object.entries(shape.each ?? {})) if (isDoc(doc[key])) alias(doc[key] as Doc, inner);
  for (const [key, inner] of Object.entries(shape.items ?? {})) {
    const v = doc[key];
    const values = Array.isArray(v) ? v : isDoc(v) ? Object.values(v as Doc) : [];
    for (const item of values) if (isDoc(item)) alias(item as Doc, inner);
  }
}

const isDoc = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The document with its Go field names added (in place), for the kind that made it. */
export function withGoNames(doc: Doc, kind: keyof typeof GO_SHAPES): Doc {
  alias(doc, GO_SHAPES[kind]);
  return doc;
}
