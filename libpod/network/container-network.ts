// A container's network, the per-container half (the networks themselves are network-engine.ts):
// before start, its namespace and the helper the monitor starts (slirp4netns, pasta), another
// container's namespace, or its veths on user-defined networks with an address on each; its
// hosts file and its peers'; joining and leaving user-defined networks live; and at cleanup the
// helper ended, veths and ports withdrawn. Used by ContainerRunner; runs inside the namespace.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidStateError } from '../../src/errors';
import type { Paths } from '../../src/paths';
import { baseHosts } from '../container/security-flags';
import { readIfExists } from '../../src/files';
import { isUp, type Container } from '../container/container';
import type { ContainerStore } from '../container/container-store';
import type { NetworkKind, NetworkMode } from './network-spec';
import type { HelperCommand, ModeAddresses } from './rootless-net';
import type { Attachment, Network } from './user-network';

// Modules only some networks need, required on first use (esbuild keeps these requires lazy).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  userNetwork: () => require('./user-network') as typeof import('./user-network'),
  rootlessNet: () => require('./rootless-net') as typeof import('./rootless-net'),
  fileLock: () => require('../lock/file-lock') as typeof import('../lock/file-lock'),
  bridgeNet: () => require('./bridge-net') as typeof import('./bridge-net'),
  etcFiles: () => require('./etc-files') as typeof import('./etc-files'),
  dnsServer: () => require('./dns-server') as typeof import('./dns-server'),
  linkFlags: () => require('./link-flags') as typeof import('./link-flags'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** What start decided about the container's network (see ContainerNetwork.prepare). */
export interface PreparedNetwork {
  mode: NetworkMode;
  /** The namespace file this container owns (slirp4netns, pasta). */
  netns?: string;
  /** The namespace runc joins (own file, or another container's). */
  joinPath?: string;
  helper?: HelperCommand;
  addresses: ModeAddresses;
  /** User-defined networks: the address per network. */
  ips?: Record<string, { ip: string; mac: string; ifname: string }>;
  /** User-defined networks' --dns servers, for the container's resolv.conf when it has no --dns of its own. */
  dns?: string[];
  /** The DNS servers of its networks with DNS (their gateways), which its resolv.conf names instead. */
  dnsServers?: string[];
}

/** The container's address on a network: --ip if no other running container has it, else the first free one. */
function chooseAddress(net: Network, attachment: Attachment, others: Container[]): string {
  const taken = new Set(others.map((o) => o.status.network?.ips?.[net.name]?.ip).filter((x): x is string => !!x));
  if (attachment.ip && taken.has(attachment.ip)) throw new InvalidStateError(`address ${attachment.ip} on network ${net.name} is in use by another running container: choose another --ip`);
  return attachment.ip ?? lazy.userNetwork().allocateIp(net.config, taken);
}

/** What the network half works with (the runner's context; store may be a getter that opens the database). */
export interface NetworkContext {
  paths: Paths;
  readonly store: ContainerStore;
}

export class ContainerNetwork {
  constructor(private readonly ctx: NetworkContext) {}

  /**
   * The container's network before it is created: its own namespace with the helper the monitor
   * is to start (slirp4netns, pasta), another container's namespace (container:), the host's, or
   * one runc makes with loopback only (none). Host ports are checked free first.
   */
  async prepare(c: Container): Promise<PreparedNetwork> {
    const rn = lazy.rootlessNet();
    const ef = lazy.etcFiles();
    const p = this.ctx.store.pathsOf(c);
    const mode = { kind: c.spec.network as NetworkKind, options: c.spec.networkOptions ?? [] };
    if (c.spec.network.startsWith('container:')) {
      const other = this.ctx.store.resolve(c.spec.network.slice('container:'.length));
      if (other.state !== 'running' || !other.status.pid) throw new InvalidStateError(`${c.name} shares the network of ${other.name}, which is ${other.state}: start ${other.name} first`);
      const n = other.status.network;
      return { mode: { kind: 'container', options: [] }, joinPath: n?.netns ?? `/proc/${other.status.pid}/ns/net`, addresses: { ip: n?.ip, gateway: n?.gateway, hostAddress: other.spec.network === 'slirp4netns' ? ef.hostAddress() : n?.gateway } };
    }
    if (mode.kind === 'bridge') return this.prepareBridge(c);
    if (mode.kind !== 'slirp4netns' && mode.kind !== 'pasta') return { mode, addresses: {} };
    if (c.spec.ports?.length) await rn.claimHostPorts(c.spec.ports);
    const binary = rn.requireHelper(mode.kind);
    // A container with a user namespace of its own gets a network namespace that one owns, made by
    // the runtime and bound at the file by the monitor (runc's exec joins the user namespace first,
    // and could not join one owned by tspod's namespace after it), as Podman configures it after create.
    const after = c.spec.userns?.uidMap !== undefined;
    if (after) rn.placeholderNetns(p.netns);
    else rn.freshNetns(p.netns);
    const joined = (n: PreparedNetwork): PreparedNetwork => (after ? { ...n, joinPath: undefined, helper: { ...n.helper!, netnsAfterCreate: p.netns } } : n);
    if (mode.kind === 'slirp4netns') {
      fs.rmSync(p.slirpSocket, { force: true });
      return joined({ mode, netns: p.netns, joinPath: p.netns, helper: rn.slirpCommand(binary, mode, p.netns, p.slirpSocket), addresses: rn.slirpAddresses(mode, ef.hostAddress()) });
    }
    const hostResolv = readIfExists('/etc/resolv.conf');
    const loopbackDns = !c.spec.dns?.length && /^nameserver\s+(127\.|::1)/m.test(hostResolv);
    const addresses = rn.pastaAddresses(ef.hostAddress(), ef.hostRoute()?.gateway);
    return joined({ mode, netns: p.netns, joinPath: p.netns, helper: rn.pastaCommand(binary, mode, p.netns, c.spec.ports ?? [], p.pastaPidFile, loopbackDns), addresses: { ...addresses, dnsForwarder: loopbackDns ? addresses.dnsForwarder : undefined } });
  }

  /**
   * User-defined networks: under the network lock, the shared namespace and each network's bridge
   * made if missing, an address per network (--ip, or the first free one among running
   * containers'), a namespace of the container's own joined to each bridge by a veth pair, and
   * published ports forwarded through the shared slirp4netns.
   */
  private async prepareBridge(c: Container): Promise<PreparedNetwork> {
    const bn = lazy.bridgeNet();
    const rn = lazy.rootlessNet();
    const r = bn.rootlessNetns(this.ctx.paths.runroot);
    const p = this.ctx.store.pathsOf(c);
    const slirp = rn.requireHelper('slirp4netns', 'the connection of user-defined networks to the outside');
    if (c.spec.ports?.length) await rn.claimHostPorts(c.spec.ports);
    return lazy.fileLock().withLock(r.lockFile, async () => {
      const all = this.ctx.store.networks();
      const attachments = c.spec.networks ?? [];
      const nets = attachments.map((a) => {
        const n = all.find((x) => x.name === a.name);
        if (!n) throw new InvalidStateError(`network ${a.name} of ${c.name} no longer exists: create it again (tspod network create ${a.name}) or disconnect the container from it`);
        return n;
      });
      await bn.ensureRootlessNetns(r, slirp);
      for (const n of nets) bn.ensureBridge(r, n, all);
      const everyone = this.ctx.store.list();
      lazy.linkFlags().checkLinksUp(c, nets.map((n) => n.name), everyone);
      rn.freshNetns(p.netns);
      const up = everyone.filter((o) => o.id !== c.id && isUp(o.state));
      const ips: Record<string, { ip: string; mac: string; ifname: string }> = {};
      nets.forEach((n, i) => {
        const a = attachments[i];
        const address = chooseAddress(n, a, up);
        const { mac } = bn.attach(r, p.netns, c.id, n, address, `eth${i}`, i === 0, a.mac, i === 0 ? c.spec.linkLocalIps : undefined);
        ips[n.name] = { ip: address, mac, ifname: `eth${i}` };
      });
      const first = nets[0];
      if (c.spec.ports?.length) await bn.publish(r, c.id, ips[first.name].ip, c.spec.ports);
      const ds = lazy.dnsServer();
      await ds.syncDns(r.dnsDir, r.netns, ds.networkRecords(all, everyone, { c, ips }));
      const { bits } = lazy.userNetwork().parseSubnet(first.config.subnet);
      return {
        mode: { kind: 'bridge', options: [] },
        netns: p.netns,
        joinPath: p.netns,
        ips,
        dns: [...new Set(nets.flatMap((n) => n.config.dns ?? []))],
        dnsServers: nets.filter((n) => !n.config.dnsDisabled).map((n) => n.config.gateway),
        addresses: { ip: ips[first.name].ip, gateway: first.config.gateway, prefixLength: bits, dnsForwarder: '10.0.2.3', hostAddress: lazy.etcFiles().hostAddress() },
      };
    }, 'lock of the user-defined networks');
  }

  /** Joins a running container to one more network: veth ethN, an address, its hosts file and its peers'. Caller holds its lock. */
  async connect(c: Container, net: Network, attachment: Attachment): Promise<void> {
    const bn = lazy.bridgeNet();
    const r = bn.rootlessNetns(this.ctx.paths.runroot);
    const p = this.ctx.store.pathsOf(c);
    await lazy.fileLock().withLock(r.lockFile, async () => {
      const status = c.status.network;
      if (!status?.ips || !fs.existsSync(p.netns)) throw new InvalidStateError(`${c.name} has no network namespace of its own to connect: restart it and try again`);
      bn.ensureBridge(r, net, this.ctx.store.networks());
      const address = chooseAddress(net, attachment, this.ctx.store.list().filter((o) => o.id !== c.id && isUp(o.state)));
      const used = new Set(Object.values(status.ips).map((x) => x.ifname));
      let i = 0;
      while (used.has(`eth${i}`)) i++;
      const { mac } = bn.attach(r, p.netns, c.id, net, address, `eth${i}`, false, attachment.mac);
      this.ctx.store.updateSpec(c, { ...c.spec, networks: [...(c.spec.networks ?? []), attachment] });
      const ips = { ...status.ips, [net.name]: { ip: address, mac, ifname: `eth${i}` } };
      this.ctx.store.save(c, c.state, { ...c.status, network: { ...status, ips } });
      this.rewriteHosts(c);
      await this.refreshPeers(c, false);
    }, 'lock of the user-defined networks');
  }

  /** Takes a running container off one of its networks (its veth goes), and out of the peers' hosts files. Caller holds its lock. */
  async disconnect(c: Container, network: string): Promise<void> {
    const bn = lazy.bridgeNet();
    const r = bn.rootlessNetns(this.ctx.paths.runroot);
    await lazy.fileLock().withLock(r.lockFile, async () => {
      const before = { ...c, spec: { ...c.spec } };
      bn.detach(r, c.id, network);
      const ips = { ...(c.status.network?.ips ?? {}) };
      delete ips[network];
      this.ctx.store.updateSpec(c, { ...c.spec, networks: (c.spec.networks ?? []).filter((a) => a.name !== network) });
      this.ctx.store.save(c, c.state, { ...c.status, network: c.status.network ? { ...c.status.network, ips } : undefined });
      this.rewriteHosts(c);
      await this.refreshPeers(before, false); // from the saved state: c stays only where it still is
    }, 'lock of the user-defined networks');
  }

  /** Writes a running bridge-mode container's own hosts file again (after its networks changed). */
  private rewriteHosts(c: Container): void {
    const n = c.status.network;
    if (!n) return;
    fs.writeFileSync(path.join(this.ctx.store.pathsOf(c).bundle, 'hosts'), this.hostsOf(c, 'bridge', { ip: n.ip, hostAddress: lazy.etcFiles().hostAddress() }, n.ips));
  }

  /** The other running containers that share a user-defined network with c, as hosts lines. */
  private peersOf(c: Container, ips: Record<string, { ip: string }> | undefined, except: string | undefined, all: Container[]): Array<{ ip: string; names: string[] }> {
    if (!ips) return [];
    // --disable-dns networks: their containers are not told each other's names.
    const quiet = new Set(this.ctx.store.networks().filter((n) => n.config.dnsDisabled).map((n) => n.name));
    const peers: Array<{ ip: string; names: string[] }> = [];
    for (const o of all) {
      if (o.id === c.id || o.id === except || !isUp(o.state) || o.spec.network !== 'bridge') continue;
      for (const [net, mine] of Object.entries(ips)) {
        const theirs = o.status.network?.ips?.[net];
        if (!theirs || !mine || quiet.has(net)) continue;
        const aliases = o.spec.networks?.find((a) => a.name === net)?.aliases ?? [];
        peers.push({ ip: theirs.ip, names: [...new Set([o.name, ...aliases, o.id.slice(0, 12)])] });
      }
    }
    return peers;
  }

  /** Docker's --link variables of a container being started on its networks (link-flags.ts). */
  linkEnv(c: Container, ips: Record<string, { ip: string }> | undefined): string[] {
    return lazy.linkFlags().linkEnv(c, ips, this.ctx.store.list());
  }

  /** /etc/hosts of a container (the file its bind mount shows, rewritten in place when peers change). */
  hostsOf(c: Container, kind: NetworkKind, addresses: ModeAddresses, ips?: Record<string, { ip: string }>, except?: string, all?: Container[]): string {
    // A container in another's network (a pod's member in its infra's) has that one's host entries.
    const addHosts = (this.netOwner(c) ?? c).spec.addHosts ?? [];
    return this.hostsWith(c, kind, addresses, addHosts, ips, except, all);
  }

  /** The container whose network c joins (--network container:ID), if it is still there. */
  private netOwner(c: Container): Container | undefined {
    if (!c.spec.network.startsWith('container:')) return undefined;
    return this.ctx.store.reload(c.spec.network.slice('container:'.length));
  }

  private hostsWith(c: Container, kind: NetworkKind, addresses: ModeAddresses, given: string[], ips?: Record<string, { ip: string }>, except?: string, all?: Container[]): string {
    const addHosts = given.map((h) => ({ host: h.slice(0, h.indexOf(':')), ip: h.slice(h.indexOf(':') + 1) }));
    const everyone = ips ? (all ?? this.ctx.store.list()) : [];
    const peers = ips ? [...lazy.linkFlags().linkPeers(c, ips, everyone), ...this.peersOf(c, ips, except, everyone)] : [];
    return lazy.etcFiles().hostsFile({ kind, name: c.name, hostname: c.spec.hostname, ip: addresses.ip, hostAddress: addresses.hostAddress, addHosts, hostHosts: kind === 'host' ? readIfExists('/etc/hosts') : '', base: baseHosts(c.spec.security?.hostsFile, this.ctx.store.pathsOf(c).rootfs), peers });
  }

  /**
   * Keeps name resolution on user-defined networks current: the DNS server's records, and the
   * hosts files of the running containers that share a network with c written again (in place,
   * so that their bind mounts show it), with c (ips given) or without it (leaving). Caller holds
   * the network lock.
   */
  async refreshPeers(c: Container, leaving: boolean): Promise<void> {
    const all = this.ctx.store.list(); // read (and synced) once for every peer's file
    const r = lazy.bridgeNet().rootlessNetns(this.ctx.paths.runroot);
    const ds = lazy.dnsServer();
    await ds.syncDns(r.dnsDir, r.netns, ds.networkRecords(this.ctx.store.networks(), all, undefined, leaving ? c.id : undefined));
    const nets = new Set((c.spec.networks ?? []).map((a) => a.name));
    if (nets.size === 0) return;
    const hostAddress = lazy.etcFiles().hostAddress();
    for (const o of all) {
      if (o.id === c.id || !isUp(o.state) || o.spec.network !== 'bridge' || !o.status.network?.ips) continue;
      if (!Object.keys(o.status.network.ips).some((n) => nets.has(n))) continue;
      const n = o.status.network;
      const text = this.hostsOf(o, 'bridge', { ip: n.ip, hostAddress }, n.ips, leaving ? c.id : undefined, all);
      const file = path.join(this.ctx.store.pathsOf(o).bundle, 'hosts');
      try {
        fs.writeFileSync(file, text); // truncates in place: the same inode the container has mounted
      } catch {
        /* removed meanwhile */
      }
    }
  }

  /** After a start on user-defined networks: the peers' hosts files name the container. Takes the network lock. */
  async announce(c: Container): Promise<void> {
    await lazy.fileLock().withLock(lazy.bridgeNet().rootlessNetns(this.ctx.paths.runroot).lockFile, () => this.refreshPeers(c, false), 'lock of the user-defined networks');
  }

  /**
   * /etc/resolv.conf of a container: its --dns servers if it has any, else on networks with DNS
   * their servers (the gateways) and search domain dns.podman before the host's, as Podman's
   * aardvark-dns setup has it, else its networks' --dns servers or the host's.
   */
  resolvConfOf(given: Container, net: PreparedNetwork): string {
    // A container in another's network (a pod's member in its infra's) has that one's name servers.
    const c = this.netOwner(given) ?? given;
    const own = c.spec.dns ?? [];
    const dnsServers = own.length ? [] : (net.dnsServers ?? []);
    const servers = own.length ? own : dnsServers.length ? dnsServers : (net.dns ?? []);
    const search = dnsServers.length ? [lazy.dnsServer().DNS_DOMAIN] : [];
    return lazy.etcFiles().resolvConf(readIfExists('/etc/resolv.conf'), { dns: servers, dnsSearch: c.spec.dnsSearch ?? [], dnsOptions: c.spec.dnsOptions ?? [] }, net.addresses.dnsForwarder, search);
  }

  /** Ends the network helper and deletes the namespace file (pasta exits on that too). Idempotent. */
  release(c: Container): void {
    const p = this.ctx.store.pathsOf(c);
    const pids = [c.status.network?.helperPid, Number(readIfExists(p.pastaPidFile).trim()) || undefined];
    const rn = lazy.rootlessNet();
    for (const pid of pids) {
      if (!rn.isHelperOf(pid, p.netns)) continue;
      try {
        process.kill(pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    rn.removeNetns(p.netns);
    for (const f of [p.slirpSocket, p.pastaPidFile]) fs.rmSync(f, { force: true });
  }

  /**
   * `network reload`: a running container's firewall rules made again (its networks' rules that
   * are missing, its published ports' DNAT rules afresh), and the DNS server's records (the
   * server started again if it is gone). Containers on slirp4netns or pasta have
   * none: their ports are the helper's. Takes the network lock.
   */
  async reload(c: Container): Promise<void> {
    if (c.spec.network !== 'bridge' || !isUp(c.state)) return;
    const bn = lazy.bridgeNet();
    const r = bn.rootlessNetns(this.ctx.paths.runroot);
    await lazy.fileLock().withLock(r.lockFile, async () => {
      if (!fs.existsSync(r.netns)) throw new InvalidStateError(`the rootless network namespace of ${c.name} is gone: restart the container (tspod restart ${c.name})`);
      const all = this.ctx.store.networks();
      for (const a of c.spec.networks ?? []) {
        const n = all.find((x) => x.name === a.name);
        if (n) bn.restoreBridgeRules(r, n, all);
      }
      const first = c.spec.networks?.[0]?.name;
      const ip = first ? c.status.network?.ips?.[first]?.ip : undefined;
      if (c.spec.ports?.length && ip) bn.restorePortRules(r, c.id, ip, c.spec.ports);
      // The DNS records written again, and the server started again if it is gone.
      const ds = lazy.dnsServer();
      await ds.syncDns(r.dnsDir, r.netns, ds.networkRecords(all, this.ctx.store.list()));
    }, 'lock of the user-defined networks');
  }

  /**
   * User-defined networks at cleanup: ports withdrawn, veths deleted, the peers' hosts files
   * without c, and the shared namespace ended once no running container uses it. Under the lock.
   */
  async releaseBridge(c: Container): Promise<void> {
    if (c.spec.network !== 'bridge') return;
    const bn = lazy.bridgeNet();
    const r = bn.rootlessNetns(this.ctx.paths.runroot);
    await lazy.fileLock().withLock(r.lockFile, async () => {
      if (c.spec.ports?.length) await bn.unpublish(r, c.id, c.spec.ports).catch(() => undefined);
      if (fs.existsSync(r.netns)) for (const a of c.spec.networks ?? []) bn.detach(r, c.id, a.name);
      await this.refreshPeers(c, true);
      const others = this.ctx.store.list().some((o) => o.id !== c.id && isUp(o.state) && o.spec.network === 'bridge');
      if (!others) bn.teardownRootlessNetns(r);
    }, 'lock of the user-defined networks');
  }
}
