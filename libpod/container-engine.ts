// Container operations behind the engine facade (engine.containers), as Podman's ContainerEngine:
// options in, reports out, per-container errors inside the reports. Methods that mount, start the
// monitor or delete files run inside the user namespace (their commands set needsUserNamespace);
// stop, kill, ps, logs, inspect, wait and attach work from outside it: signals reach the
// container's processes (ours, through the namespace we own) and the state is in files we own.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { InvalidArgumentError, InvalidStateError, NoSuchContainerError, NoSuchImageError, TspodError } from '../src/errors';
import { log } from '../src/log';
import type { ProgressSink } from '../src/progress';
import type { Runtime } from './runtime';
import type { Image } from './image/image-store';
import type { PortMapping } from './network/network-spec';
import type { Attachment, Network } from './network/user-network';
import type { MountSpec } from './volume/volume-spec';
import type { ContainerView } from './container/container-view';
import type { StatsRow, StatsSample } from './container/container-stats';
import { isUp, parseRestartPolicy, randomName, validName, type Container, type ContainerSpec } from './container/container';
import { isSameProcess, readExitFile, signalContainer, type ContainerStore } from './container/container-store';
import { ContainerApi, type Report } from './container/container-api';
import { createVolume, destroyVolume, volumeExists } from './volume/volume-store';
import { inspectImage } from './image/image-inspect';
import { StartError, type MonitorHandle } from './container/container-runner';
import { readIfExists } from '../src/files';
import { findRuntime, runtimeMessage } from './oci/runtime';
import { capabilities } from './oci/spec';
import { attachTo, type AttachResult } from './container/attach-client';
import { readLogs, type LogOptions } from './container/log-reader';
import { psFilter } from './container/container-report';
import { parseSdNotifyMode } from './systemd/sd-notify';
import { parseTimeSpec } from '../src/time-spec';

// Modules only some operations need, required on first use (esbuild keeps these requires lazy).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  imagePull: () => require('./image/image-pull') as typeof import('./image/image-pull'),
  ociSpec: () => require('./oci/spec') as typeof import('./oci/spec'),
  volumeSpec: () => require('./volume/volume-spec') as typeof import('./volume/volume-spec'),
  programs: () => require('./host/programs') as typeof import('./host/programs'),
  rootlessNet: () => require('./network/rootless-net') as typeof import('./network/rootless-net'),
  networkSpec: () => require('./network/network-spec') as typeof import('./network/network-spec'),
  userNetwork: () => require('./network/user-network') as typeof import('./network/user-network'),
  containerReport: () => require('./container/container-report') as typeof import('./container/container-report'),
  containerTop: () => require('./container/container-top') as typeof import('./container/container-top'),
  containerDiff: () => require('./container/container-diff') as typeof import('./container/container-diff'),
  containerView: () => require('./container/container-view') as typeof import('./container/container-view'),
  containerCopy: () => require('./container/container-copy') as typeof import('./container/container-copy'),
  pause: () => require('./rootless/pause-process') as typeof import('./rootless/pause-process'),
  containerPause: () => require('./container/container-pause') as typeof import('./container/container-pause'),
  imageChanges: () => require('./image/image-changes') as typeof import('./image/image-changes'),
  layerPack: () => require('./storage/layer-pack') as typeof import('./storage/layer-pack'),
  userns: () => require('./rootless/user-namespace') as typeof import('./rootless/user-namespace'),
  containerStats: () => require('./container/container-stats') as typeof import('./container/container-stats'),
  eventLog: () => require('./event-log') as typeof import('./event-log'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface CreateOptions {
  image: string;
  command: string[];
  name?: string;
  env: string[];
  envFiles: string[];
  workdir?: string;
  user?: string;
  entrypoint?: string;
  hostname?: string;
  labels: string[];
  readOnly: boolean;
  init: boolean;
  cidFile?: string;
  replace: boolean;
  stopSignal?: string;
  stopTimeout?: number;
  pull: string;
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  interactive: boolean;
  tty: boolean;
  rm: boolean;
  network?: string;
  publish?: string[];
  publishAll?: boolean;
  networkAliases?: string[];
  volumes?: string[];
  mounts?: string[];
  tmpfs?: string[];
  volumesFrom?: string[];
  ip?: string;
  macAddress?: string;
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
  addHosts?: string[];
  runtime?: string;
  restart?: string;
  sdNotify?: string;
  createCommand: string[];
  createCwd?: string;
  progress: ProgressSink;
}

export type { Report };

export interface IoStreams {
  input: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

const SIGNALS = os.constants.signals as Record<string, number>;

/** "TERM", "SIGTERM", "15" → "SIGTERM"; anything else is an error that lists the form. */
export function normalizeSignal(sig: string): string {
  const up = sig.toUpperCase();
  if (/^\d+$/.test(sig)) {
    const name = Object.keys(SIGNALS).find((k) => SIGNALS[k] === Number(sig));
    if (name) return name;
  } else {
    const name = up.startsWith('SIG') ? up : `SIG${up}`;
    if (name in SIGNALS) return name;
  }
  throw new InvalidArgumentError(`invalid signal "${sig}": use a name such as TERM or SIGKILL, or a number`);
}

/** -e entries and --env-file lines: KEY=VALUE, or KEY alone to take the value from our environment. */
export function parseEnv(entries: string[], files: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const lines: string[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (err) {
      throw new InvalidArgumentError(`parsing env file "${f}": ${openFailure(f, err)}: check the path given to --env-file`);
    }
    lines.push(...text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#')));
  }
  lines.push(...entries);
  const out: string[] = [];
  for (const l of lines) {
    const eq = l.indexOf('=');
    if (eq === 0) throw new InvalidArgumentError(`invalid environment variable "${l}": the name is empty`);
    if (eq > 0) out.push(l);
    else if (env[l] !== undefined) out.push(`${l}=${env[l]}`);
  }
  return out;
}

/** "open PATH: no such file or directory", as Go words a failed open (Podman's messages). */
function openFailure(file: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const why: Record<string, string> = { ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory', ENOTDIR: 'not a directory', ELOOP: 'too many levels of symbolic links' };
  return `open ${file}: ${(e.code && why[e.code]) ?? e.message}`;
}

/** --label key=value (key alone: an empty value); a label without a name is refused, as Podman does. */
function parseLabels(entries: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const l of entries) {
    const eq = l.indexOf('=');
    if (eq === 0 || l === '') throw new InvalidArgumentError(`invalid label format: "${l}": a label needs a name (--label name=value)`);
    labels[eq < 0 ? l : l.slice(0, eq)] = eq < 0 ? '' : l.slice(eq + 1);
  }
  return labels;
}

function parseEntrypoint(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  if (value === '') return [];
  if (value.trim().startsWith('[')) {
    try {
      const parsed = JSON.parse(value);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
    } catch {
      /* not JSON: taken as one word */
    }
  }
  return [value];
}

function readLink(file: string): string | undefined {
  try {
    return fs.readlinkSync(file);
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `start --all --filter restart-policy=P` (after a reboot): `unless-stopped` containers the user
 * had stopped stay stopped; also name= and label= as in ps.
 */
export function startFilter(filters: string[]): (c: Container) => boolean {
  const policies = filters.filter((f) => f.startsWith('restart-policy=')).map((f) => parseRestartPolicy(f.slice('restart-policy='.length)).name);
  const rest = psFilter(filters.filter((f) => !f.startsWith('restart-policy=')), () => false);
  return (c) => rest(c) && (policies.length === 0 || (policies.includes(c.spec.restartPolicy.name) && !(c.spec.restartPolicy.name === 'unless-stopped' && c.status.stoppedByUser)));
}


/**
 * Runs step every intervalMs until SIGINT or SIGTERM (which then only end this loop, so that the
 * command exits normally) or until step returns false: `events --stream`, `stats`.
 */
async function everyUntilInterrupted(intervalMs: number, step: () => boolean | void): Promise<void> {
  let stopped = false;
  const stop = () => (stopped = true);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for (;;) {
      const until = Date.now() + intervalMs;
      while (!stopped && Date.now() < until) await sleep(Math.min(100, until - Date.now()));
      if (stopped || step() === false) return;
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export class ContainerEngine {
  private readonly api: ContainerApi;

  constructor(private readonly rt: Runtime) {
    this.api = new ContainerApi(rt);
  }

  get store(): ContainerStore {
    return this.rt.containers();
  }

  /** The image to create from: local, else pulled (--pull missing), always pulled, or never. */
  private async imageFor(name: string, policy: string, progress: ProgressSink): Promise<Image> {
    if (!['always', 'missing', 'never', 'newer'].includes(policy)) throw new InvalidArgumentError(`invalid --pull policy "${policy}": use always, missing, never or newer`);
    const store = this.rt.imageStore();
    if (policy !== 'always') {
      try {
        return store.resolve(name);
      } catch (err) {
        if (!(err instanceof NoSuchImageError) || policy === 'never') throw err;
      }
    }
    return lazy.imagePull().pullImage(this.rt, name, { progress });
  }

  /** `create`: a container in state created, its storage made. Inside the namespace. */
  async create(opts: CreateOptions, id = crypto.randomBytes(32).toString('hex')): Promise<Container> {
    if (opts.name !== undefined && !validName(opts.name)) throw new InvalidArgumentError(`invalid container name "${opts.name}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
    // --replace takes over a stale ID file too (a unit whose last stop never ran its ExecStopPost).
    if (opts.cidFile && !opts.replace && fs.existsSync(opts.cidFile)) throw new InvalidArgumentError(`container id file exists: ${opts.cidFile}: remove it, or choose another --cidfile (or use --replace)`);
    const sdNotifyMode = parseSdNotifyMode(opts.sdNotify);
    let noNewPrivileges = false;
    for (const o of opts.securityOpt) {
      if (o === 'no-new-privileges' || o === 'no-new-privileges:true' || o === 'no-new-privileges=true') noNewPrivileges = true;
      else if (o !== 'no-new-privileges:false' && o !== 'no-new-privileges=false') throw new InvalidArgumentError(`unsupported --security-opt "${o}": tspod supports no-new-privileges`);
    }
    capabilities(opts.capAdd, opts.capDrop); // validates the names now rather than at start
    const stopSignal = normalizeSignal(opts.stopSignal ?? 'SIGTERM');
    const restartPolicy = parseRestartPolicy(opts.restart);
    if (opts.rm && restartPolicy.name !== 'no') throw new InvalidArgumentError(`the --rm option conflicts with --restart=${opts.restart}: a container that is removed when it exits cannot be restarted`);
    const env = parseEnv(opts.env, opts.envFiles);
    const labels = parseLabels(opts.labels);
    lazy.ociSpec().checkUserIds(opts.user);
    const runtime = findRuntime(this.rt.config, opts.runtime);
    const netFlags = this.networkFlags(opts); // validated before a pull
    const mountFlags = this.mountFlags(opts);
    const image = await this.imageFor(opts.image, opts.pull, opts.progress);
    // The container replaced goes first: the new one may publish the same host ports (a unit's restart).
    if (opts.replace && opts.name && this.store.nameTaken(opts.name)) {
      const [r] = await this.remove([opts.name], { force: true, all: false, ignore: true });
      if (r?.error) throw r.error;
    }
    const net = await this.networkSettings(netFlags, opts, image);
    let name = opts.name;
    if (name === undefined) {
      for (let i = 0; i < 20 && (name === undefined || this.store.nameTaken(name)); i++) name = i < 10 ? randomName() : `${randomName()}_${crypto.randomInt(1000)}`;
    }
    const entrypoint = parseEntrypoint(opts.entrypoint);
    const imageCfg = image.config.config ?? {};
    const mounts = this.mountSettings(mountFlags, imageCfg.Volumes);
    const { processArgs } = lazy.ociSpec();
    const spec: ContainerSpec = {
      image: opts.image,
      imageId: image.id,
      imageName: image.names[0] ?? image.id.slice(7, 19),
      command: opts.command,
      entrypoint,
      env,
      workdir: opts.workdir,
      user: opts.user,
      hostname: opts.hostname ?? id.slice(0, 12),
      // Started by a unit (generate systemd, quadlet): the unit is named on the container, as Podman does.
      labels: { ...(imageCfg.Labels ?? {}), ...labels, ...(process.env.TSPOD_SYSTEMD_UNIT ? { TSPOD_SYSTEMD_UNIT: process.env.TSPOD_SYSTEMD_UNIT } : {}) },
      terminal: opts.tty,
      stdin: opts.interactive,
      readOnly: opts.readOnly,
      init: opts.init,
      autoRemove: opts.rm,
      stopSignal: opts.stopSignal ? stopSignal : imageCfg.StopSignal ? normalizeSignal(imageCfg.StopSignal) : stopSignal,
      stopTimeout: opts.stopTimeout ?? 10,
      capAdd: opts.capAdd,
      capDrop: opts.capDrop,
      noNewPrivileges,
      ...net,
      ...(mounts.length ? { mounts } : {}),
      runtime,
      restartPolicy,
      args: processArgs(imageCfg, opts.command, entrypoint),
      createCommand: opts.createCommand,
      ...(opts.createCwd ? { createCwd: opts.createCwd } : {}),
      cidFile: opts.cidFile,
      sdNotifyMode,
    };
    const c: Container = { id, name: name!, state: 'created', createdAt: Date.now(), spec, status: { restartCount: 0 } };
    try {
      this.store.insert(c);
    } catch (err) {
      for (const m of mounts) if (m.anonymous) destroyVolume(this.rt, m.source);
      if (/UNIQUE constraint failed: containers.name/.test((err as Error).message)) {
        const other = this.store.resolve(name!);
        throw new InvalidStateError(`the container name "${name}" is already in use by ${other.id}: remove that container (tspod rm ${name}) or use --replace`);
      }
      throw err;
    }
    this.api.runner().prepareStorage(c);
    this.store.event(c, 'create');
    if (opts.cidFile) fs.writeFileSync(opts.cidFile, id);
    return c;
  }

  /** -v, --mount, --tmpfs and --volumes-from parsed and checked (bind sources must exist), before any pull. */
  private mountFlags(opts: CreateOptions): MountSpec[] {
    const vs = lazy.volumeSpec();
    const mounts = [...(opts.volumes ?? []).map((v) => vs.parseVolumeFlag(v)), ...(opts.mounts ?? []).map((m) => vs.parseMountFlag(m)), ...(opts.tmpfs ?? []).map((t) => vs.parseTmpfsFlag(t))];
    for (const from of opts.volumesFrom ?? []) {
      const [name, mode] = from.split(':');
      if (mode !== undefined && mode !== 'ro' && mode !== 'rw') throw new InvalidArgumentError(`invalid --volumes-from ${from}: use CONTAINER[:ro|rw]`);
      const other = this.store.resolve(name);
      for (const m of other.spec.mounts ?? []) {
        if (m.type === 'tmpfs' || mounts.some((x) => x.destination === m.destination)) continue;
        mounts.push({ ...m, anonymous: false, readOnly: mode === undefined ? m.readOnly : mode === 'ro' });
      }
    }
    for (const m of mounts) {
      if (m.type !== 'bind') continue;
      // Any kind of file may be bound: directories, files, and sockets and FIFOs too (an API socket, /dev/log).
      if (!fs.existsSync(m.source)) throw new InvalidArgumentError(`bind source ${m.source} does not exist: create it first (tspod does not create host directories for -v)`);
    }
    vs.checkDestinations(mounts);
    return mounts;
  }

  /** Named volumes that do not exist are created; anonymous ones get a volume each, as do the image's VOLUMEs no mount covers. */
  private mountSettings(mounts: MountSpec[], imageVolumes: Record<string, unknown> | undefined): MountSpec[] {
    const out = mounts.map((m) => {
      if (m.type !== 'volume') return m;
      if (m.anonymous || !m.source) return { ...m, source: createVolume(this.rt, undefined, { anonymous: true }).name, anonymous: true };
      if (!volumeExists(this.rt, m.source)) createVolume(this.rt, m.source, { ignore: true });
      return m;
    });
    for (const dest of Object.keys(imageVolumes ?? {})) {
      const d = dest.replace(/\/$/, '') || '/';
      if (d === '/' || out.some((m) => m.destination === d)) continue;
      out.push({ type: 'volume', source: createVolume(this.rt, undefined, { anonymous: true }).name, destination: d, readOnly: false, chown: false, noCopy: false, anonymous: true });
    }
    return out;
  }

  /** The default rootless network: containers.conf's choice, else slirp4netns, else pasta, when installed. */
  private defaultNetwork(): 'slirp4netns' | 'pasta' | 'none' {
    const { findProgram } = lazy.programs();
    const wanted = this.rt.config.network.defaultRootlessNetworkCmd;
    if (wanted !== 'auto') {
      lazy.rootlessNet().requireHelper(wanted, `default_rootless_network_cmd = "${wanted}" in containers.conf`);
      return wanted;
    }
    if (findProgram('slirp4netns')) return 'slirp4netns';
    if (findProgram('pasta')) return 'pasta';
    throw new InvalidStateError('no user-mode network stack is installed for rootless containers: install one (sudo apt-get install slirp4netns, or passt for pasta) or use --network none');
  }

  /** create's network flags parsed and checked against each other (before any pull). */
  private networkFlags(opts: CreateOptions) {
    const ns = lazy.networkSpec();
    const userNets = this.userNetworks(opts);
    const mode = userNets ? { kind: 'bridge' as const, options: [] } : ns.parseNetworkMode(opts.network ?? '', opts.network === undefined || ['', 'private', 'bridge', 'default'].includes(opts.network.trim()) ? this.defaultNetwork() : 'none');
    if (mode.kind === 'slirp4netns' || mode.kind === 'pasta') lazy.rootlessNet().requireHelper(mode.kind);
    const ports = (opts.publish ?? []).flatMap((p) => ns.parsePublish(p));
    if ((ports.length || opts.publishAll) && !['slirp4netns', 'pasta', 'bridge'].includes(mode.kind)) {
      throw new InvalidArgumentError(`cannot publish ports with --network ${mode.kind === 'container' ? `container:${mode.container}` : mode.kind}: ${mode.kind === 'host' ? 'the container uses the host\'s ports directly' : mode.kind === 'none' ? 'the container has no network to reach' : 'publish them on the container whose network it shares'}`);
    }
    ns.validateDns(opts.dns ?? []);
    if ((opts.dns?.length || opts.dnsSearch?.length || opts.dnsOptions?.length) && mode.kind === 'container') throw new InvalidArgumentError('--dns, --dns-search and --dns-option cannot be used with --network container:NAME: the container shares the other one\'s settings');
    const addHosts = (opts.addHosts ?? []).map((h) => ns.parseAddHost(h));
    if (!userNets && (opts.networkAliases?.length || opts.ip || opts.macAddress)) throw new InvalidArgumentError('--network-alias, --ip and --mac-address need a user-defined network: create one (tspod network create NAME) and use --network NAME');
    return { mode, ports, addHosts, userNets };
  }

  /**
   * --network naming user-defined networks (comma-separated): their attachments, the first with
   * --ip/--mac-address; undefined when the value is a mode. A name that is neither says so.
   */
  private userNetworks(opts: CreateOptions): Attachment[] | undefined {
    const value = opts.network?.trim();
    if (!value || /^(none|host|private|bridge|default|slirp4netns|pasta|container|ns)(:|$)/.test(value)) return undefined;
    const un = lazy.userNetwork();
    const names = value.split(',').map((n) => n.trim()).filter(Boolean);
    const known = this.rt.db().listNetworks() as Network[];
    const missing = names.filter((n) => !known.some((k) => k.name === n));
    if (missing.length) throw new InvalidArgumentError(`unknown network "${missing[0]}": create it with "tspod network create ${missing[0]}", or use a mode: none, host, slirp4netns[:options], pasta[:options], container:NAME`);
    const first = known.find((k) => k.name === names[0])!;
    if (opts.ip && !un.inSubnet(opts.ip, first.config.subnet)) throw new InvalidArgumentError(`--ip ${opts.ip} is not inside network ${first.name}'s subnet ${first.config.subnet}`);
    if (opts.macAddress && !/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(opts.macAddress)) throw new InvalidArgumentError(`invalid --mac-address "${opts.macAddress}": give six hex bytes such as 02:42:0a:59:01:05`);
    return names.map((name, i) => ({ name, aliases: opts.networkAliases ?? [], ...(i === 0 && opts.ip ? { ip: opts.ip } : {}), ...(i === 0 && opts.macAddress ? { mac: opts.macAddress.toLowerCase() } : {}) }));
  }

  /** The spec's network part: the mode (container: resolved to an ID), ports with their host ports chosen and checked free. */
  private async networkSettings(flags: ReturnType<ContainerEngine['networkFlags']>, opts: CreateOptions, image: Image): Promise<Pick<ContainerSpec, 'network' | 'networkOptions' | 'networks' | 'ports' | 'dns' | 'dnsSearch' | 'dnsOptions' | 'addHosts'>> {
    const ns = lazy.networkSpec();
    let network: string = flags.mode.kind;
    if (flags.mode.kind === 'container') network = `container:${this.store.resolve(flags.mode.container!).id}`;
    const wanted = [...flags.ports, ...(opts.publishAll ? ns.exposedPorts(image.config.config?.ExposedPorts, flags.ports) : [])];
    this.checkPortsUnclaimed(wanted.filter((p) => p.hostPort !== 0));
    const ports = wanted.length ? await lazy.rootlessNet().claimHostPorts(wanted) : [];
    return { network, networkOptions: flags.mode.options, ...(flags.userNets ? { networks: flags.userNets } : {}), ports, dns: opts.dns ?? [], dnsSearch: opts.dnsSearch ?? [], dnsOptions: opts.dnsOptions ?? [], addHosts: flags.addHosts.map((h) => `${h.host}:${h.ip}`) };
  }

  /** A host port a running container publishes is refused naming that container (the bind check would only say "in use"). */
  private checkPortsUnclaimed(ports: PortMapping[], self?: string): void {
    if (!ports.length) return;
    const { eachPort } = lazy.networkSpec();
    const key = (p: PortMapping) => `${p.hostPort}/${p.protocol}`;
    const mine = new Set(eachPort(ports).map(key));
    for (const other of this.store.list()) {
      if (other.id === self || !isUp(other.state)) continue;
      const clash = eachPort(other.spec.ports ?? []).find((p) => mine.has(key(p)));
      if (clash) throw new InvalidArgumentError(`host port ${clash.hostPort}/${clash.protocol} is already published by container ${other.name}: choose another host port, or remove ${other.name}`);
    }
  }

  /** Attaches (when asked) and starts; resolves with the attach session's end. */
  private async startAttached(c: Container, io: IoStreams, opts: { stdin: boolean; detachKeys: Buffer; cleanup?: boolean; monitor?: MonitorHandle }): Promise<AttachResult> {
    let done: Promise<AttachResult> | undefined;
    const cleanup = opts.cleanup ? () => this.cleanup(c.id) : undefined;
    await this.api.start(c, async () => {
      ({ done } = await attachTo(this.store.pathsOf(c).attachSocket, { stdin: opts.stdin, tty: c.spec.terminal, detachKeys: opts.detachKeys, cleanup, ...io }));
    }, opts.monitor);
    // Non-tty: signals sent to tspod go to the container (Podman's --sig-proxy).
    const proxy = (sig: NodeJS.Signals) => void signalContainer(c, sig);
    const proxied: NodeJS.Signals[] = c.spec.terminal ? [] : ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];
    for (const s of proxied) process.on(s, proxy);
    const result = await done!;
    for (const s of proxied) process.off(s, proxy);
    return result;
  }

  /** The exit code of a container the attach session did not report (its monitor died, or we detached). */
  private exitCodeAfter(c: Container, result: AttachResult): number {
    if (result.exitCode !== undefined) return result.exitCode;
    const fresh = this.store.reload(c.id);
    if (fresh?.state === 'exited') return fresh.status.exitCode ?? 125;
    const exit = readExitFile(this.store.pathsOf(c).exitFile);
    if (exit) return exit.code;
    throw new TspodError(`lost the connection to container ${c.name}'s monitor before it reported an exit code: see "tspod ps -a" and "tspod logs ${c.name}"`);
  }

  /** `run`: create, start, and (unless detached) attach until the container exits. Inside the namespace. */
  async run(opts: CreateOptions & { detach: boolean; detachKeys: Buffer }, io: IoStreams): Promise<{ id: string; exitCode: number; detached: boolean }> {
    // A store whose database cannot be opened is refused before the monitor makes any file of it.
    this.rt.db();
    // The monitor starts first: its start-up (node, koffi) overlaps with creating the container.
    const id = crypto.randomBytes(32).toString('hex');
    const runtime = findRuntime(this.rt.config, opts.runtime);
    const monitor = this.api.runner().spawnMonitor({ id, spec: { runtime, terminal: opts.tty, stdin: opts.interactive, restartPolicy: parseRestartPolicy(opts.restart), sdNotifyMode: parseSdNotifyMode(opts.sdNotify) } });
    log.debug(`run: monitor started for ${id.slice(0, 12)}`);
    let c: Container;
    try {
      c = await this.create({ ...opts, runtime }, id);
      log.debug(`run: created ${c.name}`);
    } catch (err) {
      monitor.cancel();
      await monitor.exited(5000);
      fs.rmSync(this.store.pathsOf(id).dir, { recursive: true, force: true });
      fs.rmSync(this.store.pathsOf(id).runDir, { recursive: true, force: true });
      throw err;
    }
    let result: AttachResult;
    try {
      if (opts.detach) {
        await this.api.start(c, undefined, monitor);
        return { id: c.id, exitCode: 0, detached: true };
      }
      result = await this.startAttached(c, io, { stdin: opts.interactive, detachKeys: opts.detachKeys, cleanup: true, monitor });
    } catch (err) {
      // A run that never got going leaves nothing with --rm (Podman removes it too), else a created container.
      if (opts.rm) {
        await monitor.exited(5000);
        await this.remove([c.id], { force: true, all: false, ignore: true });
      }
      throw err;
    }
    if (result.detached) return { id: c.id, exitCode: 0, detached: true };
    if (result.cleanupError) log.warn(`cleaning up container ${c.name}: ${result.cleanupError.message}`);
    return { id: c.id, exitCode: this.exitCodeAfter(c, result), detached: false };
  }

  /** `start`: several detached, or one attached (-a). Inside the namespace. */
  async start(names: string[], opts: { attach: boolean; interactive: boolean; detachKeys: Buffer; all?: boolean; filters?: string[] }, io: IoStreams): Promise<Report[] | number> {
    if (opts.attach) {
      if (names.length !== 1) throw new InvalidArgumentError('you cannot start and attach multiple containers at once');
      const c = this.store.resolve(names[0]);
      if (c.state === 'running') throw new InvalidStateError(`container ${c.name} is already running: use "tspod attach ${c.name}"`);
      const result = await this.startAttached(c, io, { stdin: opts.interactive && c.spec.stdin, detachKeys: opts.detachKeys });
      return result.detached ? 0 : this.exitCodeAfter(c, result);
    }
    const keep = startFilter(opts.filters ?? []);
    const targets = opts.all ? this.store.list().filter((c) => (c.state === 'created' || c.state === 'exited') && keep(c)).map((c) => c.id) : names;
    return this.api.each(targets, (c) => this.api.start(c));
  }

  /** The IDs in --cidfile files; with --ignore a missing file names no container (a unit's stop after a failed start). */
  private static readCidFiles(files: string[], ignore = false): string[] {
    return files.flatMap((f) => {
      try {
        return [fs.readFileSync(f, 'utf8').trim()];
      } catch (err) {
        if (ignore && (err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw new InvalidArgumentError(`cannot read container ID file ${f}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message}`);
      }
    });
  }

  /** stopOne, then the stop event (Podman records it after the exit). */
  private async stopAndRecord(c: Container, timeout: number | undefined): Promise<void> {
    const wasUp = isUp(c.state);
    await this.api.stop(c, timeout);
    if (wasUp) this.store.event(c, 'stop');
  }

  /** `stop`: in parallel. From outside the namespace. */
  async stop(names: string[], opts: { all: boolean; timeout?: number; ignore: boolean; cidFiles: string[] }): Promise<Report[]> {
    const targets = this.targets(names, opts.all, opts.cidFiles, (c) => isUp(c.state), opts.ignore);
    const reports = await this.api.each(targets, (c) => this.stopAndRecord(c, opts.timeout), true);
    return opts.ignore ? reports.filter((r) => !(r.error instanceof NoSuchContainerError)) : reports;
  }

  private targets(names: string[], all: boolean, cidFiles: string[], pick: (c: Container) => boolean, ignore = false): string[] {
    const given = [...names, ...ContainerEngine.readCidFiles(cidFiles, ignore)];
    if (all) {
      if (given.length) throw new InvalidArgumentError('--all and container names cannot be used together');
      return this.store.list().filter(pick).map((c) => c.id);
    }
    if (given.length === 0 && !(ignore && cidFiles.length)) throw new InvalidArgumentError('you must provide at least one container name or ID, or --all');
    return given;
  }

  /** `kill`: sends a signal to running containers. From outside the namespace. */
  async kill(names: string[], opts: { signal: string; all: boolean }): Promise<Report[]> {
    const sig = normalizeSignal(opts.signal);
    const targets = this.targets(names, opts.all, [], (c) => c.state === 'running');
    return this.api.each(targets, (c) => {
      if (c.state !== 'running' && c.state !== 'stopping') throw new InvalidStateError(`can only kill running containers. ${c.id.slice(0, 12)} is in state ${c.state}: container state improper`);
      // A signal that ends processes ends the run too: the restart policy does not bring it back.
      if (['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT'].includes(sig) && isSameProcess(c.status.pid, c.status.pidStart)) this.api.markStoppedByUser(c);
      if (!signalContainer(c, sig)) throw new InvalidStateError(`container ${c.name} is not running`);
      this.store.event(c, 'kill');
    });
  }

  /** `rm`: refuses running containers unless forced (then kills them first). Inside the namespace. */
  async remove(names: string[], opts: { force: boolean; all: boolean; ignore: boolean; cidFiles?: string[]; timeout?: number; volumes?: boolean }): Promise<Report[]> {
    const targets = this.targets(names, opts.all, opts.cidFiles ?? [], () => true, opts.ignore);
    const reports = await this.api.removeMany(targets, { force: opts.force, timeout: opts.timeout, volumes: opts.volumes });
    // An ID file whose container is gone has done its job (Podman removes it too): the next
    // `run --cidfile` of a unit can write it again.
    const gone = new Set(reports.filter((r) => !r.error || r.error instanceof NoSuchContainerError).map((r) => r.id || r.name));
    for (const f of opts.cidFiles ?? []) {
      if (fs.existsSync(f) && gone.has(fs.readFileSync(f, 'utf8').trim())) fs.rmSync(f, { force: true });
    }
    return opts.ignore ? reports.filter((r) => !(r.error instanceof NoSuchContainerError)) : reports;
  }

  /** `container cleanup`: run by the monitor after the exit (unmount, runtime delete, --rm). Inside the namespace. */
  async cleanup(nameOrId: string): Promise<void> {
    let c: Container;
    try {
      c = this.store.resolve(nameOrId);
    } catch (err) {
      if (err instanceof NoSuchContainerError) return; // removed meanwhile: nothing left to clean
      throw err;
    }
    await this.api.cleanup(c);
  }

  /** `ps`: running ones unless all; filtered; the last n created. From outside the namespace. */
  list(opts: { all: boolean; filters: string[]; last?: number }): Container[] {
    const { psFilter } = lazy.containerReport();
    const keep = psFilter(opts.filters, (c, ref) => {
      const id = c.spec.imageId.replace(/^sha256:/, '');
      return c.spec.image === ref || c.spec.imageName === ref || c.spec.imageName === `${ref}:latest` || c.spec.imageName.endsWith(`/${ref}`) || c.spec.imageName.endsWith(`/${ref}:latest`) || (/^[0-9a-f]{4,64}$/.test(ref) && id.startsWith(ref));
    });
    let list = this.store.list().filter((c) => (opts.all || opts.last !== undefined || opts.filters.length > 0 || isUp(c.state)) && keep(c));
    if (opts.last !== undefined) list = list.slice(-opts.last);
    return list.reverse();
  }

  /** `inspect`: containers (and, for the top-level verb, images by that name). */
  inspect(names: string[], imagesToo: boolean): Array<{ name: string; data?: unknown; error?: Error }> {
    const { inspectContainer } = lazy.containerReport();
    return names.map((n) => {
      try {
        const c = this.store.resolve(n);
        return { name: n, data: inspectContainer(c, this.store.pathsOf(c), this.rt.db().getSetting('overlay.driver') ?? '') };
      } catch (err) {
        if (imagesToo && err instanceof NoSuchContainerError) {
          try {
            return { name: n, data: inspectImage(this.rt.imageStore().resolve(n), this.rt.layerStore()) };
          } catch {
            return { name: n, error: new NoSuchContainerError(n) };
          }
        }
        return { name: n, error: err as Error };
      }
    });
  }

  resolve(name: string): Container {
    return this.store.resolve(name);
  }

  exists(name: string): boolean {
    try {
      this.store.resolve(name);
      return true;
    } catch (err) {
      if (err instanceof NoSuchContainerError) return false;
      throw err;
    }
  }

  /** `logs`: from the k8s-file log; with follow, until the container stops. From outside the namespace. */
  async logs(name: string, opts: LogOptions & { follow: boolean }, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<void> {
    const c = this.store.resolve(name);
    await readLogs(this.store.pathsOf(c).log, { ...opts, out, err, isRunning: () => this.store.reload(c.id)?.state === 'running' });
  }

  /** `attach`: to a running container, until it exits or the detach keys. */
  async attach(name: string, opts: { noStdin: boolean; detachKeys: Buffer }, io: IoStreams): Promise<number> {
    const c = this.store.resolve(name);
    if (c.state !== 'running') throw new InvalidStateError(`you can only attach to running containers: ${c.name} is ${c.state}`);
    const { done } = await attachTo(this.store.pathsOf(c).attachSocket, { stdin: !opts.noStdin && c.spec.stdin, tty: c.spec.terminal, detachKeys: opts.detachKeys, ...io });
    const result = await done;
    return result.detached ? 0 : this.exitCodeAfter(c, result);
  }

  /** `wait`: blocks until each container has exited; its exit code. From outside the namespace. */
  async wait(names: string[]): Promise<Array<Report & { exitCode?: number }>> {
    return Promise.all(
      names.map(async (n) => {
        try {
          let c = this.store.resolve(n);
          let last = c.status.exitCode;
          while (c.state !== 'exited' && c.state !== 'created') {
            await sleep(50);
            const fresh = this.store.reload(c.id);
            if (!fresh) break; // removed (--rm): the last code we saw, or the exit file's
            c = fresh;
            last = c.status.exitCode;
          }
          const exit = readExitFile(this.store.pathsOf(c).exitFile);
          return { id: c.id, name: n, exitCode: c.state === 'exited' ? c.status.exitCode : (exit?.code ?? last ?? -1) };
        } catch (err) {
          return { id: '', name: n, error: err as Error };
        }
      }),
    );
  }

  /** `rename`: any state; the new name must be valid and free. */
  rename(oldName: string, newName: string): Container {
    if (!validName(newName)) throw new InvalidArgumentError(`invalid container name "${newName}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
    const c = this.store.resolve(oldName);
    if (this.store.nameTaken(newName)) throw new InvalidStateError(`the container name "${newName}" is already in use by ${this.store.resolve(newName).id}: choose another name`);
    this.rt.db().renameContainer(c.id, newName);
    this.store.event({ ...c, name: newName }, 'rename');
    return { ...c, name: newName };
  }

  /** `restart`: stop (running ones, -t) then start. Inside the namespace. */
  async restart(names: string[], opts: { all: boolean; timeout?: number; running: boolean }): Promise<Report[]> {
    const targets = this.targets(names, opts.all, [], (c) => !opts.running || c.state === 'running');
    return this.api.each(targets, async (c) => {
      await this.api.stop(c, opts.timeout);
      await this.api.start(c);
      this.store.event(c, 'restart');
    });
  }

  /**
   * For `system check`: every container synced (which repairs what killed commands left), then the
   * containers left without a row whose files `container prune` would collect. From outside.
   */
  leftovers(): string[] {
    this.store.list();
    return this.api.runner().orphans();
  }

  /** `container prune`: removes every container that is not running (created, exited), filtered by until= and label=. Inside the namespace. */
  async prune(filters: string[]): Promise<Report[]> {
    let until: number | undefined;
    const labels: string[] = [];
    for (const f of filters) {
      const [key, ...rest] = f.split('=');
      const value = rest.join('=');
      if (key === 'until') until = parseTimeSpec(value);
      else if (key === 'label') labels.push(`label=${value}`);
      else throw new InvalidArgumentError(`invalid filter "${key}": container prune takes until= and label=`);
    }
    const keep = lazy.containerReport().psFilter(labels, () => true);
    const victims = this.store.list().filter((c) => (c.state === 'exited' || c.state === 'created') && (until === undefined || c.createdAt < until) && keep(c));
    if (victims.length) return this.remove(victims.map((c) => c.id), { force: false, all: false, ignore: true });
    this.api.runner().collectOrphans();
    return [];
  }

  /**
   * `top`: the container's processes, ps-style rows (header first). From outside the namespace, so
   * that it works whichever holder's namespace the container runs in; user names from the
   * container's /etc/passwd, read through its PID 1's root.
   */
  top(name: string, descriptors: string[]): string[][] {
    const c = this.store.resolve(name);
    if (c.state !== 'running' || !isSameProcess(c.status.pid, c.status.pidStart)) throw new InvalidStateError(`top can only be used on running containers: ${c.name} is ${c.state}`);
    return lazy.containerTop().topRows(c.status.pid!, descriptors, readIfExists(`/proc/${c.status.pid}/root/etc/passwd`));
  }

  /** `diff`: the container's changes against its image. Inside the namespace (the upper directory holds subordinate IDs). */
  diff(name: string): Array<{ kind: string; path: string }> {
    const c = this.store.resolve(name);
    const image = this.api.imageOf(c);
    const layers = this.rt.layerStore();
    return lazy.containerDiff().diffUpper(this.store.pathsOf(c).upper, image.layers.map((l) => layers.diffDir(l)));
  }

  /**
   * fn on what the container shows. A running container: its own mount namespace through
   * /proc/PID/root (mounts, tmpfs and generated files as it sees them). Otherwise its rootfs,
   * mounted under its lock (so that start or rm waits) and unmounted after, with its volumes, bind
   * mounts, tmpfs and generated files laid over it. Inside the namespace.
   */
  private onView<T>(c: Container, writing: boolean, fn: (view: ContainerView, fresh: Container) => Promise<T>): Promise<T> {
    if (isUp(c.state) && isSameProcess(c.status.pid, c.status.pidStart)) return fn({ name: c.name, root: `/proc/${c.status.pid}/root`, mounts: [], running: true }, c);
    const stopped = (fresh: Container) => (root: string) => {
      if (writing && !isUp(fresh.state)) this.api.runner().fillVolumes(fresh); // before its first start, as the start would
      const p = this.store.pathsOf(fresh);
      const generated = { hosts: path.join(p.bundle, 'hosts'), resolvConf: path.join(p.bundle, 'resolv.conf'), hostname: path.join(p.bundle, 'hostname') };
      const volumeDir = (name: string) => lazy.volumeSpec().volumePath(this.rt.paths.root, name);
      return fn(lazy.containerView().stoppedView(fresh.name, root, fresh.spec.mounts ?? [], generated, volumeDir), fresh);
    };
    if (isUp(c.state)) return this.api.runner().withRootfs(c, this.api.imageOf(c), stopped(c)); // exiting: its cleanup holds the lock
    return this.api.withLock(c, (fresh) => {
      if (!fresh) throw new NoSuchContainerError(c.name);
      return this.api.runner().withRootfs(fresh, this.api.imageOf(fresh), stopped(fresh));
    });
  }

  /** The container `cp` works on (the source's, else the destination's), for entering its namespace. */
  copyContainerName(from: string, to: string): string | undefined {
    const { parseCopyArg } = lazy.containerCopy();
    return parseCopyArg(from).container ?? parseCopyArg(to).container;
  }

  /**
   * The namespace to enter for work on a running container (exec, cp): its monitor's, which is the
   * user and mount namespace it was started in (where its rootfs is mounted), when that is not the
   * live holder's (the holder was killed, and maybe made again); undefined for the holder's own.
   * From outside the namespace; errors are left for the command to report inside.
   */
  namespaceOf(name: string): { pid: number; startTime: string; created: false } | undefined {
    let c: Container;
    try {
      c = this.store.resolve(name);
    } catch {
      return undefined;
    }
    const { monitorPid, monitorStart } = c.status;
    if (!isUp(c.state) || !isSameProcess(monitorPid, monitorStart)) return undefined;
    const userNs = (pid: number) => readLink(`/proc/${pid}/ns/user`);
    const holder = lazy.pause().readHolder(this.rt.paths.runroot);
    if (holder && userNs(holder.pid) === userNs(monitorPid!)) return undefined;
    return { pid: monitorPid!, startTime: monitorStart!, created: false };
  }

  /**
   * `cp`: between the host and a container (or two containers), running or not, as the container
   * sees its files (its mounts included); '-' is a tar stream. archive: what is written into a
   * container belongs to its user. Inside the namespace.
   */
  async copy(from: string, to: string, opts: { archive: boolean; followLink: boolean }): Promise<void> {
    const { parseCopyArg, copy } = lazy.containerCopy();
    const src = parseCopyArg(from);
    const dest = parseCopyArg(to);
    if (!src.container && !dest.container) throw new InvalidArgumentError(`copying between two host paths: one of "${from}" and "${to}" must be CONTAINER:PATH`);
    if (src.path === '-' && dest.path === '-') throw new InvalidArgumentError('only one of source and destination can be "-"');
    if (src.path === '-' && !dest.container) throw new InvalidArgumentError('"-" as source (a tar stream on stdin) needs a CONTAINER:PATH destination');
    if (dest.path === '-' && !src.container) throw new InvalidArgumentError('"-" as destination (a tar stream on stdout) needs a CONTAINER:PATH source');
    const srcC = src.container ? this.store.resolve(src.container) : undefined;
    const destC = dest.container ? this.store.resolve(dest.container) : undefined;
    const label = (destC ?? srcC)!.name;
    const run = async (srcView: ContainerView | undefined, destView: ContainerView | undefined, destFresh: Container | undefined) => {
      let owner: { uid: number; gid: number } | undefined;
      if (destView && destFresh && opts.archive) {
        const { hostPath, resolveInView } = lazy.containerView();
        const read = (f: string) => readIfExists(hostPath(destView, resolveInView(destView, f, true)) ?? '/nonexistent');
        const u = lazy.ociSpec().resolveUser(destFresh.spec.user ?? this.api.imageOf(destFresh).config.config?.User, read('/etc/passwd'), read('/etc/group'));
        owner = { uid: u.uid, gid: u.gid };
      } else if (!destView) {
        owner = { uid: 0, gid: 0 }; // namespace root: the user's own files on the host
      }
      await copy({ view: srcView, path: src.path }, { view: destView, path: dest.path }, label, { owner, followLink: opts.followLink });
    };
    if (srcC && destC) {
      if (srcC.id === destC.id) return this.onView(srcC, true, (view, fresh) => run(view, view, fresh));
      return this.onView(srcC, false, (sView) => this.onView(destC, true, (dView, fresh) => run(sView, dView, fresh)));
    }
    if (srcC) return this.onView(srcC, false, (view) => run(view, undefined, undefined));
    return this.onView(destC!, true, (view, fresh) => run(undefined, view, fresh));
  }

  /**
   * `commit`: a new image of the container's image plus its changes (its overlay upper directory
   * as one layer), with the container's settings and --change instructions as its config. A
   * stopped container is committed under its lock. Inside the namespace.
   */
  async commit(name: string, reference: string | undefined, opts: { message?: string; author?: string; changes: string[]; pause: boolean }): Promise<Image> {
    const c = this.store.resolve(name);
    if (opts.pause && isUp(c.state)) lazy.containerPause().checkFreezer(c);
    const image = this.api.imageOf(c);
    const base = image.config.config ?? {};
    const env = new Map((base.Env ?? []).map((e) => [e.split('=')[0], e] as const));
    for (const e of c.spec.env) env.set(e.split('=')[0], e);
    const settings = {
      ...base,
      Env: [...env.values()],
      ...(c.spec.entrypoint ? { Entrypoint: c.spec.entrypoint } : {}),
      ...(c.spec.command.length ? { Cmd: c.spec.command } : {}),
      ...(c.spec.workdir ? { WorkingDir: c.spec.workdir } : {}),
      ...(c.spec.user ? { User: c.spec.user } : {}),
      Labels: { ...(base.Labels ?? {}), ...c.spec.labels },
      ...(c.spec.stopSignal && c.spec.stopSignal !== 'SIGTERM' ? { StopSignal: c.spec.stopSignal } : {}),
    };
    const config = lazy.imageChanges().applyChanges(settings, opts.changes);
    const { OWN_MOUNT_POINTS } = lazy.containerDiff();
    const work = async (fresh: Container) => {
      const layer = lazy.layerPack().packLayer(this.store.pathsOf(fresh).upper, { skipEmpty: OWN_MOUNT_POINTS });
      const driver = this.rt.storageDriver();
      const committed = await this.rt.imageStore().commitLayer(layer, {
        base: image,
        config,
        name: reference,
        message: opts.message,
        author: opts.author,
        createdBy: `/bin/sh -c #(nop) tspod commit ${fresh.name}: ${fresh.spec.args.join(' ')}`.trimEnd(),
        whiteouts: driver === 'native' ? 'overlay' : 'aufs',
        ...lazy.userns().mappedIdLimits(),
      });
      this.store.event(fresh, 'commit');
      return committed;
    };
    if (isUp(c.state)) return work(c);
    return this.api.withLock(c, (fresh) => {
      if (!fresh) throw new NoSuchContainerError(name);
      return work(fresh);
    });
  }

  /** `pause`/`unpause`: only where the container has a cgroup freezer of its own; otherwise says why not. */
  pause(names: string[], all: boolean, pause: boolean): Promise<Report[]> {
    // Nothing is ever paused here (see container-pause), so unpause --all has nothing to do.
    const targets = this.targets(names, all, [], (c) => pause && c.state === 'running');
    return this.api.each(targets, (c) => {
      if (!pause) throw new InvalidStateError(`${c.name} is not paused: it is ${c.state}`);
      if (c.state !== 'running') throw new InvalidStateError(`${c.name} is ${c.state}: only running containers can be paused`);
      lazy.containerPause().checkFreezer(c);
    });
  }

  /**
   * `stats`: a row per running container (all of them when none is named) from /proc, every
   * interval until stopped when streaming. CPU % is since the start at first, then per interval.
   * From outside the namespace: its owner may read the /proc files of every container's processes,
   * also of containers left in the namespace of a holder that was killed and made again.
   */
  async stats(names: string[], opts: { all: boolean; stream: boolean; intervalMs: number }, emit: (rows: StatsRow[]) => void): Promise<void> {
    const { sample, statsRow } = lazy.containerStats();
    const pick = () => {
      if (names.length === 0) return this.store.list().filter((c) => c.state === 'running' || (opts.all && c.state !== 'removing'));
      return names.map((n) => {
        const c = this.store.resolve(n);
        if (c.state !== 'running') throw new InvalidStateError(`cannot get stats of ${c.name}: it is ${c.state}, and stats reads a running container's processes`);
        return c;
      });
    };
    const previous = new Map<string, StatsSample>();
    const report = () => {
      emit(
        pick().map((c) => {
          const s = c.state === 'running' && isSameProcess(c.status.pid, c.status.pidStart) ? sample(c.status.pid!) : undefined;
          const row = statsRow(c, s, previous.get(c.id));
          if (s) previous.set(c.id, s);
          return row;
        }),
      );
    };
    report();
    if (opts.stream) await everyUntilInterrupted(opts.intervalMs, report);
  }

  /** `port`: the published ports of one container, the latest, or every running one; each port on its own. From outside the namespace. */
  ports(name: string | undefined, opts: { all: boolean; latest: boolean }): Array<{ id: string; name: string; ports: PortMapping[] }> {
    const { eachPort } = lazy.networkSpec();
    let list: Container[];
    if (opts.all) list = this.store.list().filter((c) => c.state === 'running');
    else if (opts.latest) list = this.store.list().sort((a, b) => b.createdAt - a.createdAt).slice(0, 1);
    else list = [this.store.resolve(name!)];
    return list.map((c) => ({ id: c.id, name: c.name, ports: eachPort(c.spec.ports ?? []) }));
  }

  /**
   * `events`: the recorded events since/until a time, filtered; with stream, follows new ones
   * (syncing running containers meanwhile, so that exits are noticed) until stopped. From outside the namespace.
   */
  async events(opts: { since?: number; until?: number; filters: string[]; stream: boolean }, emit: (e: import('./state/state').EventRow) => void): Promise<void> {
    const { eventFilter } = lazy.eventLog();
    const keep = eventFilter(opts.filters);
    const inTime = (e: { time: bigint }) => {
      const ms = Number(e.time / 1_000_000n);
      return (opts.since === undefined || ms >= opts.since) && (opts.until === undefined || ms <= opts.until);
    };
    const db = this.rt.db();
    let last = 0;
    const drain = () => {
      for (const e of db.listEvents(last)) {
        last = e.id!;
        if (inTime(e) && keep(e)) emit(e);
      }
    };
    drain();
    if (!opts.stream) return;
    db.releaseLock();
    await everyUntilInterrupted(200, () => {
      this.store.list(); // notices exits, which records their died events
      drain();
      db.releaseLock(); // on a full disk, others may use the database between looks
      return opts.until === undefined || Date.now() <= opts.until;
    });
  }

  /** `exec`: runs a process in a running container through the runtime; its exit code. Inside the namespace. */
  async exec(name: string, cmd: string[], opts: { interactive: boolean; tty: boolean; env: string[]; envFiles: string[]; user?: string; workdir?: string; privileged?: boolean }): Promise<number> {
    if (cmd.length === 0) throw new InvalidArgumentError('you must provide a command to exec');
    const c = this.store.resolve(name);
    if (c.state !== 'running') throw new InvalidStateError(`can only exec in running containers: ${c.name} is ${c.state}: container state improper`);
    const p = this.store.pathsOf(c);
    const spec = JSON.parse(fs.readFileSync(path.join(p.bundle, 'config.json'), 'utf8')) as { process: Record<string, unknown> };
    const { resolveUser } = lazy.ociSpec();
    const proc: Record<string, unknown> & { env: string[] } = { env: [], ...spec.process, args: cmd, terminal: opts.tty };
    const extra = parseEnv(opts.env, opts.envFiles);
    const keys = new Set(extra.map((e) => e.slice(0, e.indexOf('='))));
    proc.env = [...proc.env.filter((e) => !keys.has(e.slice(0, e.indexOf('=')))), ...extra];
    if (opts.workdir) proc.cwd = opts.workdir;
    if (opts.user) {
      const read = (f: string) => readIfExists(path.join(p.rootfs, f));
      const u = resolveUser(opts.user, read('etc/passwd'), read('etc/group'));
      proc.user = { uid: u.uid, gid: u.gid, ...(u.additionalGids.length ? { additionalGids: u.additionalGids } : {}) };
    }
    const processFile = path.join(p.runDir, `exec-${crypto.randomBytes(6).toString('hex')}.json`);
    fs.writeFileSync(processFile, JSON.stringify(proc));
    const runtime = this.api.runner().runtime(c);
    try {
      const child = spawn(runtime.binary, ['--root', runtime.stateDir, 'exec', '--process', processFile, c.id], { stdio: [opts.interactive ? 'inherit' : 'ignore', 'inherit', 'pipe'] });
      // The process's own stderr passes through; the runtime's log lines are kept for the error.
      const runtimeLine = /^time="[^"]*" level=\w+ msg=/m;
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => {
        const text = d.toString();
        if (runtimeLine.test(text)) stderr += text;
        else process.stderr.write(d);
      });
      const code = await new Promise<number>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (status, signal) => resolve(status ?? 128 + (signal ? SIGNALS[signal] : 0)));
      });
      const msg = runtimeMessage(stderr);
      if (code !== 0 && msg) throw new StartError(`${runtime.name}: ${msg}`);
      return code;
    } finally {
      fs.rmSync(processFile, { force: true });
    }
  }
}
