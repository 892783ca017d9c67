// User-defined networks (engine.networks): create, list, inspect, remove, prune, and connecting
// containers. Records in the state database; the datapath is made when a container on the
// network starts (libpod/network/bridge-net.ts, through ContainerRunner).
import crypto from 'node:crypto';
import { InspectNotFoundError, InvalidArgumentError, InvalidStateError, TspodError } from '../src/errors';
import type { Runtime } from './runtime';
import { pruneFilter } from './prune-filter';
import type { Network, NetworkConfig, NetworkCreateOptions } from './network/user-network';
import type { Container } from './container/container';

// Modules only some operations need, required on first use (esbuild keeps these requires lazy).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  userNetwork: () => require('./network/user-network') as typeof import('./network/user-network'),
  containerUsers: () => require('./container/container-users') as typeof import('./container/container-users'),
  containerApi: () => require('./container/container-api') as typeof import('./container/container-api'),
  eventLog: () => require('./event-log') as typeof import('./event-log'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export class NoSuchNetworkError extends TspodError {
  override readonly code = 'ENONETWORK';
  constructor(name: string) {
    super(`unable to find network with name or ID ${name}: network not found`);
  }
}

export interface NetworkReport {
  name: string;
  error?: Error;
}

export class NetworkEngine {
  constructor(private readonly rt: Runtime) {}

  /** The stored networks and Podman's default one (podman), which is there without being created; by name, as Podman lists them. */
  list(): Network[] {
    return lazy.userNetwork().withDefaultNetwork(this.rt.db().listNetworks() as Network[]).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** A network by name, full ID or ID prefix. */
  resolve(nameOrId: string): Network {
    const all = this.list();
    const byName = all.find((n) => n.name === nameOrId);
    if (byName) return byName;
    const byId = /^[0-9a-f]+$/.test(nameOrId) ? all.filter((n) => n.id.startsWith(nameOrId)) : [];
    if (byId.length === 1) return byId[0];
    if (byId.length > 1) throw new InvalidArgumentError(`network ID "${nameOrId}" is ambiguous: give more of it`);
    throw new NoSuchNetworkError(nameOrId);
  }

  exists(nameOrId: string): boolean {
    try {
      this.resolve(nameOrId);
      return true;
    } catch (err) {
      if (err instanceof NoSuchNetworkError) return false;
      throw err;
    }
  }

  /** `network create`: the record only; its bridge is made when a container on it starts. */
  create(name: string | undefined, opts: Omit<NetworkCreateOptions, 'labels'> & { labels: string[]; driver?: string; ipamDriver?: string; ignore: boolean }): Network {
    const un = lazy.userNetwork();
    if (opts.driver && opts.driver !== 'bridge') throw new InvalidArgumentError(`unsupported network driver "${opts.driver}": tspod makes bridge networks`);
    if (opts.ipamDriver && opts.ipamDriver !== 'host-local') throw new InvalidArgumentError(`unsupported IPAM driver "${opts.ipamDriver}": tspod hands out addresses itself, as host-local does (dhcp needs a DHCP proxy and none leaves containers without addresses)`);
    const existing = this.list();
    let chosen = name;
    if (chosen === undefined) for (let i = 1; !chosen || existing.some((n) => n.name === chosen); i++) chosen = `tspod${i}`;
    if (!un.NETWORK_NAME.test(chosen)) throw new InvalidArgumentError(`invalid network name "${chosen}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
    if (un.RESERVED_NETWORK_NAMES.includes(chosen)) throw new InvalidArgumentError(`"${chosen}" is a network mode, not a name a network can have: choose another name`);
    const taken = existing.find((n) => n.name === chosen);
    if (taken) {
      if (opts.ignore) return taken;
      throw new InvalidStateError(`network name ${chosen} already used: network already exists (use --ignore to accept it)`);
    }
    const labels: Record<string, string> = {};
    for (const l of opts.labels) {
      const eq = l.indexOf('=');
      labels[eq < 0 ? l : l.slice(0, eq)] = eq < 0 ? '' : l.slice(eq + 1);
    }
    const config: NetworkConfig = un.newNetworkConfig({ ...opts, labels }, existing);
    const network: Network = { name: chosen, id: crypto.randomBytes(32).toString('hex'), createdAt: Date.now(), config };
    if (!this.rt.db().insertNetwork(network)) throw new InvalidStateError(`network name ${chosen} already used: network already exists`);
    this.recordNetwork('create', network);
    return network;
  }

  /** Podman's network events: create and remove carry the network's ID and driver, connect and disconnect the container. */
  private recordNetwork(action: 'create' | 'remove', net: Network): void;
  private recordNetwork(action: 'connect' | 'disconnect', net: Network, c: Container): void;
  private recordNetwork(action: string, net: Network, c?: Container): void {
    const actor = c ? { id: c.id, name: c.name, network: net.name } : { id: net.id, name: '', network: net.name, attributes: { driver: 'bridge' } };
    lazy.eventLog().recordEvent(this.rt.db(), 'network', action, actor);
  }

  /** `network update`: the network's --dns servers, with some added and some dropped (each must be there). */
  update(nameOrId: string, opts: { dnsAdd: string[]; dnsDrop: string[] }): Network {
    if (opts.dnsAdd.length === 0 && opts.dnsDrop.length === 0) throw new InvalidArgumentError('nothing to update: give --dns-add or --dns-drop');
    const un = lazy.userNetwork();
    for (const d of opts.dnsAdd) un.ipToNumber(d);
    const net = this.resolve(nameOrId);
    if (net.name === un.DEFAULT_NETWORK) throw new InvalidArgumentError(`default network ${net.name} cannot be changed: create a network of your own (tspod network create --dns ...) for name servers of your choice`);
    const current = net.config.dns ?? [];
    const missing = opts.dnsDrop.find((d) => !current.includes(d));
    if (missing) throw new InvalidArgumentError(`cannot drop name server ${missing}: network ${net.name} does not have it (it has ${current.join(', ') || 'none'})`);
    const dns = [...current.filter((d) => !opts.dnsDrop.includes(d)), ...opts.dnsAdd.filter((d) => !current.includes(d))];
    const config: NetworkConfig = { ...net.config, dns };
    if (dns.length === 0) delete config.dns;
    if (!this.rt.db().updateNetworkConfig(net.name, config)) throw new NoSuchNetworkError(nameOrId);
    return { ...net, config };
  }

  /** The containers that are members of a network (running or not). */
  private members(name: string): Container[] {
    return lazy.containerUsers().containersOnNetwork(this.rt, name);
  }

  /**
   * `network inspect`: Podman 5's document of each network, with the running containers on it and
   * their addresses; a name that is none gives Podman's `network NAME: unable to find ...`.
   */
  inspect(names: string[]): Array<{ name: string; data?: Record<string, unknown>; error?: Error }> {
    const un = lazy.userNetwork();
    return names.map((n) => {
      try {
        const net = this.resolve(n);
        const containers: Record<string, { name: string; ip?: string; mac?: string; ifname?: string }> = {};
        for (const c of this.members(net.name)) {
          if (c.state !== 'running') continue;
          const a = c.status.network?.ips?.[net.name];
          containers[c.id] = { name: c.name, ip: a?.ip, mac: a?.mac, ifname: a?.ifname };
        }
        return { name: n, data: un.inspectNetwork(net, containers) };
      } catch (err) {
        if (err instanceof NoSuchNetworkError) return { name: n, error: new InspectNotFoundError(`network ${n}: ${err.message}`) };
        return { name: n, error: err as Error };
      }
    });
  }

  /** `network rm`: refused while containers are members, unless force (which removes them). Inside the namespace. */
  async remove(names: string[], opts: { force: boolean; timeout?: number }): Promise<NetworkReport[]> {
    const out: NetworkReport[] = [];
    for (const n of names) {
      try {
        const net = this.resolve(n);
        if (net.name === lazy.userNetwork().DEFAULT_NETWORK) throw new InvalidArgumentError(`default network ${net.name} cannot be removed`);
        const members = this.members(net.name);
        if (members.length && !opts.force) throw new InvalidStateError(`network ${net.name} is in use by container${members.length > 1 ? 's' : ''} ${members.map((c) => c.name).join(', ')}: remove ${members.length > 1 ? 'them' : 'it'} first, or use --force`);
        if (members.length) {
          await lazy.containerUsers().removeContainersFirst(this.rt, members.map((c) => c.id), opts.timeout);
        }
        this.rt.db().deleteNetwork(net.name);
        this.recordNetwork('remove', net);
        out.push({ name: net.name });
      } catch (err) {
        out.push({ name: n, error: err as Error });
      }
    }
    return out;
  }

  /** The networks no container is a member of (network ls --filter dangling=true); never the default one, as in Podman. */
  unused(): Network[] {
    return this.list().filter((n) => n.name !== lazy.userNetwork().DEFAULT_NETWORK && this.members(n.name).length === 0);
  }

  /** `network prune`: every network no container is a member of (that the filters keep: label=, label!=, until=). */
  async prune(filters: string[] = []): Promise<string[]> {
    const keep = pruneFilter(filters);
    const unused = this.list().filter((n) => n.name !== lazy.userNetwork().DEFAULT_NETWORK && this.members(n.name).length === 0 && keep({ labels: n.config.labels, createdAt: n.createdAt }));
    const reports = await this.remove(unused.map((n) => n.name), { force: false });
    return reports.filter((r) => !r.error).map((r) => r.name);
  }

  /**
   * `network connect`/`disconnect`: changes the container's networks. A stopped container on
   * slirp4netns, pasta or none is moved onto user-defined networks (and back to none when it
   * leaves the last); a running one on user-defined networks joins or leaves one live (but not
   * its last). Inside the namespace.
   */
  async connect(network: string, name: string, opts: { aliases: string[]; ip?: string; mac?: string }): Promise<void> {
    const net = this.resolve(network);
    const c = this.rt.containers().resolve(name);
    if (c.spec.network === 'host' || c.spec.network.startsWith('container:')) throw new InvalidStateError(`${c.name} uses --network ${c.spec.network}: it cannot join a network`);
    const current = c.spec.network === 'bridge' ? (c.spec.networks ?? []) : [];
    if (current.some((a) => a.name === net.name)) throw new InvalidStateError(`${c.name} is already connected to network ${net.name}`);
    if (opts.ip && !lazy.userNetwork().inSubnet(opts.ip, net.config.subnet)) throw new InvalidArgumentError(`--ip ${opts.ip} is not inside network ${net.name}'s subnet ${net.config.subnet}`);
    const attachment = { name: net.name, aliases: opts.aliases, ...(opts.ip ? { ip: opts.ip } : {}), ...(opts.mac ? { mac: opts.mac } : {}) };
    if (c.state === 'running' && c.spec.network === 'bridge') await lazy.containerApi().containerApi(this.rt).connectLive(c, net, attachment);
    else if (c.state !== 'created' && c.state !== 'exited') throw new InvalidStateError(`${c.name} is ${c.state} on ${c.spec.network}: stop it, connect it, and start it again (a running container joins more networks live only when it is on user-defined networks already)`);
    else this.rt.containers().updateSpec(c, { ...c.spec, network: 'bridge', networks: [...current, attachment] });
    this.recordNetwork('connect', net, c);
  }

  async disconnect(network: string, name: string): Promise<void> {
    const net = this.resolve(network);
    const c = this.rt.containers().resolve(name);
    const current = c.spec.network === 'bridge' ? (c.spec.networks ?? []) : [];
    if (!current.some((a) => a.name === net.name)) throw new InvalidStateError(`${c.name} is not connected to network ${net.name}`);
    const networks = current.filter((a) => a.name !== net.name);
    if (c.state === 'running' && networks.length > 0) await lazy.containerApi().containerApi(this.rt).disconnectLive(c, net.name);
    else if (c.state !== 'created' && c.state !== 'exited') throw new InvalidStateError(`${c.name} is ${c.state} and ${net.name} is its only network: stop it first, then disconnect it`);
    // Published ports stay in the spec, as Docker's PortBindings and Podman's do: a connect before
    // the start (docker-compose disconnects and connects again to set aliases) publishes them again.
    else this.rt.containers().updateSpec(c, networks.length ? { ...c.spec, networks } : { ...c.spec, network: 'none', networks: [] });
    this.recordNetwork('disconnect', net, c);
  }
}
