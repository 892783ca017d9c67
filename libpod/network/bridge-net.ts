// The datapath of user-defined networks, as Podman does it rootless: one shared network namespace
// per runroot (<runroot>/netns/rootless-netns) connected to the outside by its own slirp4netns,
// holding a bridge per network; each container gets a namespace of its own and a veth pair, one
// end on the bridge. Outbound traffic is masqueraded out of slirp4netns's tap0 (not for internal
// networks); iptables FORWARD rules keep different networks apart. Published ports: slirp4netns
// forwards the host port to the shared namespace, where a DNAT rule sends it on to the container.
// Everything here runs inside the user namespace, with ip and iptables entered into the shared
// namespace by nsenter; callers hold the network lock.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { RuntimeError } from '../../src/errors';
import { freshNetns, isHelperOf, removeNetns, slirpForward, slirpUnforward } from './rootless-net';
import { eachPort, type PortMapping } from './network-spec';
import { macFor, parseSubnet, type Network } from './user-network';
import { stopDns } from './dns-server';

export interface RootlessNetns {
  netns: string;
  apiSocket: string;
  stateFile: string;
  lockFile: string;
  /** The DNS server's records (libpod/network/dns-server.ts). */
  dnsDir: string;
}

export function rootlessNetns(runroot: string): RootlessNetns {
  return {
    netns: path.join(runroot, 'netns', 'rootless-netns'),
    apiSocket: path.join(runroot, 'sock', 'rootless-netns.slirp'),
    stateFile: path.join(runroot, 'rootless-netns.json'),
    lockFile: path.join(runroot, 'locks', 'networks'),
    dnsDir: path.join(runroot, 'dns'),
  };
}

const tool = (name: string) => (fs.existsSync(`/usr/sbin/${name}`) ? `/usr/sbin/${name}` : name);

/** Runs a command inside a network namespace; its stdout, or a RuntimeError with its stderr. */
function inNs(netns: string, argv: string[], okCodes = [0]): string {
  const r = spawnSync('nsenter', [`--net=${netns}`, ...argv], { encoding: 'utf8' });
  if (r.error) throw new RuntimeError(`cannot run ${argv[0]}: ${r.error.message}`);
  if (!okCodes.includes(r.status ?? -1)) throw new RuntimeError(`${path.basename(argv[0])} ${argv.slice(1).join(' ')}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

const ip = (netns: string, ...args: string[]) => inNs(netns, [tool('ip'), ...args]);
const iptables = (netns: string, ...args: string[]) => inNs(netns, [tool('iptables'), '-w', ...args]);

/** Makes the shared namespace and its slirp4netns unless both are there; true when it was made now. */
export async function ensureRootlessNetns(r: RootlessNetns, slirp: string): Promise<boolean> {
  let state: { pid?: number } = {};
  try {
    state = JSON.parse(fs.readFileSync(r.stateFile, 'utf8'));
  } catch {
    /* none yet */
  }
  if (fs.existsSync(r.netns) && isHelperOf(state.pid, r.netns)) return false;
  teardownRootlessNetns(r);
  freshNetns(r.netns);
  fs.mkdirSync(path.dirname(r.apiSocket), { recursive: true, mode: 0o700 });
  fs.rmSync(r.apiSocket, { force: true });
  // Detached and in a session of its own: it serves every container on user networks and is
  // ended when the last of them stops (teardownRootlessNetns).
  const child = spawn(slirp, ['--configure', '--mtu=65520', '--disable-host-loopback', '--enable-sandbox', '--enable-seccomp', '--api-socket', r.apiSocket, '--ready-fd=3', '--netns-type=path', r.netns, 'tap0'], { detached: true, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(new RuntimeError(`cannot start slirp4netns for user-defined networks: ${err.message}`)));
    child.on('exit', (code) => reject(new RuntimeError(`slirp4netns for user-defined networks exited with ${code}: ${stderr.trim() || 'no message'}`)));
    (child.stdio[3] as NodeJS.ReadableStream).once('data', () => resolve());
  });
  child.removeAllListeners('exit');
  for (const s of [child.stderr, child.stdio[3]]) (s as unknown as { destroy(): void }).destroy();
  child.unref();
  fs.writeFileSync(r.stateFile, JSON.stringify({ pid: child.pid }));
  inNs(r.netns, ['sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward']);
  return true;
}

/** Ends the shared namespace's slirp4netns and deletes the namespace (with its bridges and rules). */
export function teardownRootlessNetns(r: RootlessNetns): void {
  stopDns(r.dnsDir);
  try {
    const { pid } = JSON.parse(fs.readFileSync(r.stateFile, 'utf8')) as { pid?: number };
    if (isHelperOf(pid, r.netns)) process.kill(pid!, 'SIGTERM');
  } catch {
    /* no state or already gone */
  }
  removeNetns(r.netns);
  for (const f of [r.stateFile, r.apiSocket]) fs.rmSync(f, { force: true });
}

/** Creates the network's bridge and its rules in the shared namespace unless it is there. */
export function ensureBridge(r: RootlessNetns, net: Network, others: Network[]): void {
  const br = net.config.bridge;
  const present = spawnSync('nsenter', [`--net=${r.netns}`, tool('ip'), 'link', 'show', br], { stdio: 'ignore' }).status === 0;
  if (present) return;
  const { bits } = parseSubnet(net.config.subnet);
  // A fixed MAC (from the gateway's address): a bridge without one takes the lowest of its ports',
  // which changes as containers come and go, and the containers' cached entry for the gateway
  // then points nowhere (their DNS server and way out are on the gateway).
  ip(r.netns, 'link', 'add', br, 'address', macFor(net.config.gateway), 'type', 'bridge');
  if (net.config.mtu) ip(r.netns, 'link', 'set', br, 'mtu', String(net.config.mtu));
  ip(r.netns, 'addr', 'add', `${net.config.gateway}/${bits}`, 'dev', br);
  ip(r.netns, 'link', 'set', br, 'up');
  for (const [table, chain, ...rule] of bridgeRules(net, others)) iptables(r.netns, '-t', table, '-A', chain, ...rule);
}

/** A network's firewall rules in the shared namespace: [table, chain, match and target...] each. */
function bridgeRules(net: Network, others: Network[]): string[][] {
  const br = net.config.bridge;
  const rules: string[][] = [];
  if (net.config.internal) {
    rules.push(['filter', 'FORWARD', '-i', br, '!', '-o', br, '-j', 'DROP']);
    rules.push(['filter', 'FORWARD', '-o', br, '!', '-i', br, '-j', 'DROP']);
    // Nothing leaves an internal network, not even to the gateway's other addresses.
    rules.push(['filter', 'INPUT', '-i', br, '!', '-d', net.config.gateway, '-j', 'DROP']);
  } else {
    rules.push(['nat', 'POSTROUTING', '-s', net.config.subnet, '!', '-d', net.config.subnet, '-j', 'MASQUERADE']);
  }
  for (const other of others) {
    if (other.name === net.name) continue;
    rules.push(['filter', 'FORWARD', '-i', br, '-o', other.config.bridge, '-j', 'DROP']);
    rules.push(['filter', 'FORWARD', '-i', other.config.bridge, '-o', br, '-j', 'DROP']);
  }
  return rules;
}

/** `network reload`: adds back those of the network's rules that are missing (iptables -C finds each). */
export function restoreBridgeRules(r: RootlessNetns, net: Network, others: Network[]): void {
  for (const [table, chain, ...rule] of bridgeRules(net, others)) {
    const present = spawnSync('nsenter', [`--net=${r.netns}`, tool('iptables'), '-w', '-t', table, '-C', chain, ...rule], { stdio: 'ignore' }).status === 0;
    if (!present) iptables(r.netns, '-t', table, '-A', chain, ...rule);
  }
}

/** The veth end on the bridge side: short (15 bytes at most) and the same for a container and network. */
export function hostVeth(containerId: string, network: string): string {
  return `ve${crypto.createHash('sha256').update(`${containerId}/${network}`).digest('hex').slice(0, 11)}`;
}

/** Connects a container's namespace to a network: a veth pair, the address, and (first network) the default route. */
export function attach(r: RootlessNetns, ctrNetns: string, containerId: string, net: Network, address: string, ifname: string, defaultRoute: boolean, fixedMac?: string, linkLocal: string[] = []): { mac: string } {
  const veth = hostVeth(containerId, net.name);
  const { bits } = parseSubnet(net.config.subnet);
  const mac = fixedMac ?? macFor(address);
  spawnSync('nsenter', [`--net=${r.netns}`, tool('ip'), 'link', 'del', veth], { stdio: 'ignore' }); // left by a crash
  ip(r.netns, 'link', 'add', veth, 'type', 'veth', 'peer', 'name', ifname, 'netns', ctrNetns);
  if (net.config.mtu) {
    ip(r.netns, 'link', 'set', veth, 'mtu', String(net.config.mtu));
    ip(ctrNetns, 'link', 'set', ifname, 'mtu', String(net.config.mtu));
  }
  ip(r.netns, 'link', 'set', veth, 'master', net.config.bridge);
  ip(r.netns, 'link', 'set', veth, 'up');
  ip(ctrNetns, 'link', 'set', 'lo', 'up');
  ip(ctrNetns, 'link', 'set', ifname, 'address', mac);
  ip(ctrNetns, 'addr', 'add', `${address}/${bits}`, 'dev', ifname);
  for (const ll of linkLocal) ip(ctrNetns, 'addr', 'add', `${ll}/16`, 'dev', ifname, 'scope', 'link');
  ip(ctrNetns, 'link', 'set', ifname, 'up');
  if (defaultRoute) ip(ctrNetns, 'route', 'add', 'default', 'via', net.config.gateway);
  for (const rt of net.config.routes ?? []) ip(ctrNetns, 'route', 'add', rt.destination, 'via', rt.gateway, ...(rt.metric === undefined ? [] : ['metric', String(rt.metric)]));
  return { mac };
}

/** Disconnects a running container from a network (its veth pair goes). */
export function detach(r: RootlessNetns, containerId: string, network: string): void {
  spawnSync('nsenter', [`--net=${r.netns}`, tool('ip'), 'link', 'del', hostVeth(containerId, network)], { stdio: 'ignore' });
}

const comment = (containerId: string) => `tspod-${containerId.slice(0, 12)}`;

/** Publishes ports of a container on a user network: slirp4netns host port → shared namespace → DNAT to the container. */
export async function publish(r: RootlessNetns, containerId: string, address: string, ports: PortMapping[]): Promise<void> {
  addPortRules(r, containerId, address, ports);
  await slirpForward(r.apiSocket, ports.map((p) => ({ ...p, containerPort: p.hostPort })));
}

function addPortRules(r: RootlessNetns, containerId: string, address: string, ports: PortMapping[]): void {
  for (const p of eachPort(ports)) {
    iptables(r.netns, '-t', 'nat', '-A', 'PREROUTING', '-i', 'tap0', '-p', p.protocol, '--dport', String(p.hostPort), '-m', 'comment', '--comment', comment(containerId), '-j', 'DNAT', '--to-destination', `${address}:${p.containerPort}`);
  }
}

function removePortRules(r: RootlessNetns, containerId: string): void {
  const rules = iptables(r.netns, '-t', 'nat', '-S', 'PREROUTING').split('\n').filter((l) => l.includes(comment(containerId)));
  for (const rule of rules) iptables(r.netns, '-t', 'nat', ...splitRule(rule.replace(/^-A /, '-D ')));
}

/** `network reload`: a container's DNAT rules made afresh (slirp4netns's forwards are the helper's and stay). */
export function restorePortRules(r: RootlessNetns, containerId: string, address: string, ports: PortMapping[]): void {
  removePortRules(r, containerId);
  addPortRules(r, containerId, address, ports);
}

/** Withdraws what publish set up for a container (its DNAT rules and slirp4netns forwards). */
export async function unpublish(r: RootlessNetns, containerId: string, ports: PortMapping[]): Promise<void> {
  if (!fs.existsSync(r.netns)) return;
  removePortRules(r, containerId);
  await slirpUnforward(r.apiSocket, ports).catch(() => undefined);
}

/** An `iptables -S` line as arguments (quoted comments kept whole). */
function splitRule(rule: string): string[] {
  return (rule.match(/"[^"]*"|\S+/g) ?? []).map((a) => a.replace(/^"(.*)"$/, '$1'));
}
