// The engine's network inspect document (Podman's) as Docker's network object, Docker's create
// body as the engine's create options, and Docker's list filters.
import { ApiError } from '../types';

/** Podman's network inspect document, as the engine gives it. */
export interface PodmanNetwork {
  name: string;
  id: string;
  driver: string;
  network_interface?: string;
  created: string;
  subnets?: Array<{ subnet: string; gateway?: string; lease_range?: { start_ip: string; end_ip: string } }>;
  internal: boolean;
  dns_enabled: boolean;
  labels?: Record<string, string>;
  options?: Record<string, string>;
  ipam_options?: Record<string, string>;
  containers?: Record<string, { name: string; interfaces?: Record<string, { subnets: Array<{ ipnet: string; gateway?: string }>; mac_address: string }> }>;
}

export function dockerNetwork(n: PodmanNetwork): Record<string, unknown> {
  const containers: Record<string, unknown> = {};
  for (const [id, c] of Object.entries(n.containers ?? {})) {
    const iface = Object.values(c.interfaces ?? {})[0];
    containers[id] = { Name: c.name, EndpointID: '', MacAddress: iface?.mac_address ?? '', IPv4Address: iface?.subnets[0]?.ipnet ?? '', IPv6Address: '' };
  }
  return {
    Name: n.name,
    Id: n.id,
    Created: n.created,
    Scope: 'local',
    Driver: n.driver,
    EnableIPv6: false,
    IPAM: {
      Driver: 'default',
      Options: null,
      Config: (n.subnets ?? []).map((s) => ({ Subnet: s.subnet, ...(s.gateway ? { Gateway: s.gateway } : {}), ...(s.lease_range ? { IPRange: `${s.lease_range.start_ip}-${s.lease_range.end_ip}` } : {}) })),
    },
    Internal: n.internal,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    // Only the options given at create: docker-compose recreates a network whose options differ from its file.
    Options: { ...(n.options ?? {}) },
    Labels: n.labels ?? {},
  };
}

export interface DockerNetworkCreate {
  Name?: string;
  CheckDuplicate?: boolean;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  Ingress?: boolean;
  EnableIPv6?: boolean;
  IPAM?: { Driver?: string; Config?: Array<{ Subnet?: string; IPRange?: string; Gateway?: string; AuxiliaryAddresses?: Record<string, string> }>; Options?: Record<string, string> };
  Options?: Record<string, string>;
  Labels?: Record<string, string>;
}

/** What the engine's create takes, from Docker's body. Docker's bridge options name the bridge and MTU. */
export function networkCreateOptions(b: DockerNetworkCreate): {
  name: string;
  opts: { subnet?: string; gateway?: string; ipRange?: string; internal: boolean; labels: string[]; driver?: string; interfaceName?: string; options: string[]; ignore: boolean };
} {
  if (!b.Name || typeof b.Name !== 'string') throw new ApiError(400, 'network name must be given (Name)');
  if (b.EnableIPv6) throw new ApiError(400, 'IPv6 networks are not supported: leave EnableIPv6 false');
  if (b.Ingress) throw new ApiError(400, 'ingress networks are a swarm feature: not supported');
  const configs = b.IPAM?.Config ?? [];
  if (configs.length > 1) throw new ApiError(400, 'a network has one subnet here: give one IPAM Config');
  const ipam = configs[0] ?? {};
  const options: string[] = [];
  let interfaceName: string | undefined;
  for (const [k, v] of Object.entries(b.Options ?? {})) {
    if (k === 'com.docker.network.bridge.name') interfaceName = v;
    else if (k === 'com.docker.network.driver.mtu' || k === 'mtu') options.push(`mtu=${v}`);
    // Docker's other bridge options (enable_icc, enable_ip_masquerade, host_binding_ipv4) have no counterpart: a rootless bridge always masquerades.
  }
  return {
    name: b.Name,
    opts: {
      ...(ipam.Subnet ? { subnet: ipam.Subnet } : {}),
      ...(ipam.Gateway ? { gateway: ipam.Gateway } : {}),
      ...(ipam.IPRange ? { ipRange: ipam.IPRange } : {}),
      internal: b.Internal === true,
      labels: Object.entries(b.Labels ?? {}).map(([k, v]) => `${k}=${v}`),
      ...(b.Driver ? { driver: b.Driver } : {}),
      ...(interfaceName ? { interfaceName } : {}),
      options,
      ignore: false,
    },
  };
}

const NETWORK_FILTERS = ['name', 'id', 'label', 'driver', 'type', 'dangling', 'scope'];

/**
 * Docker's network list filters as a test of a network: name and id match a part (Docker's
 * substring match), label KEY or KEY=VALUE, type custom|builtin, dangling true|false (unused:
 * whether no container is on it). defaultName: the network that is there without being created.
 */
export function networkFilter(filters: Record<string, string[]>, defaultName: string, unused: (name: string) => boolean): (n: PodmanNetwork) => boolean {
  for (const k of Object.keys(filters)) if (!NETWORK_FILTERS.includes(k)) throw new ApiError(400, `invalid filter '${k}': use one of ${NETWORK_FILTERS.join(', ')}`);
  for (const v of filters.type ?? []) if (v !== 'custom' && v !== 'builtin') throw new ApiError(400, `invalid filter 'type=${v}': give custom or builtin`);
  for (const v of filters.dangling ?? []) if (!/^(true|false|1|0)$/i.test(v)) throw new ApiError(400, `invalid filter 'dangling=${v}': give true or false`);
  const any = (key: string, test: (v: string) => boolean) => !filters[key]?.length || filters[key].some(test);
  return (n) =>
    any('name', (v) => n.name.includes(v)) &&
    any('id', (v) => n.id.startsWith(v)) &&
    any('driver', (v) => n.driver === v) &&
    any('scope', (v) => v === 'local') &&
    any('type', (v) => (v === 'builtin') === (n.name === defaultName)) &&
    any('dangling', (v) => /^(true|1)$/i.test(v) === (n.name !== defaultName && unused(n.name))) &&
    (filters.label ?? []).every((l) => {
      const eq = l.indexOf('=');
      return eq < 0 ? l in (n.labels ?? {}) : n.labels?.[l.slice(0, eq)] === l.slice(eq + 1);
    });
}
