// `tspod build`'s flag values turned into the engine's BuildOptions, as Podman 5 reads them: the
// context from the argument or the first Containerfile's directory, --build-arg over
// --build-arg-file, KEY alone taken from our environment, --pull alone meaning always, BUILDAH_FORMAT
// and BUILDAH_LAYERS as defaults. What the host provides (environment, files) comes in through
// BuildHost, so that every rule here can be tested without one.
import path from 'node:path';
import { InvalidArgumentError, UsageError } from '../../src/errors';
import { parseGoDuration } from '../../src/time-spec';
import { BUILD_NO_EMULATION } from '../refusals';
import type { BuildOptions, BuildSecret } from '../../libpod/entities';

/** The flags as clipanion hands them over (lists as given, before Podman's comma splitting). */
export interface BuildFlags {
  /** The positional CONTEXT: none or one. */
  contexts: string[];
  file: string[];
  ignorefile?: string;
  tag: string[];
  iidfile?: string;
  format?: string;
  buildArg: string[];
  buildArgFile: string[];
  target?: string;
  label: string[];
  annotation: string[];
  env: string[];
  unsetenv: string[];
  unsetlabel: string[];
  noCache: boolean;
  /** --pull alone: true; --pull=false (--no-pull): false; --pull=VALUE: the value. */
  pull?: string | boolean;
  layers?: boolean;
  squash: boolean;
  squashAll: boolean;
  cacheTtl?: string;
  output: string[];
  quiet: boolean;
  network?: string;
  noHosts: boolean;
  addHost: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOption: string[];
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  ulimit: string[];
  userns?: string;
  device: string[];
  volume: string[];
  shmSize?: string;
  timestamp?: string;
  sourceDateEpoch?: string;
  rm: boolean;
  forceRm: boolean;
  secret: string[];
  platform: string[];
  arch?: string;
  os?: string;
  variant?: string;
  creds?: string;
  authfile?: string;
  tlsVerify?: boolean;
  certDir?: string;
  retry?: string;
  retryDelay?: string;
  omitHistory: boolean;
  identityLabel: boolean;
  skipUnusedStages: boolean;
  from?: string;
  logfile?: string;
  runtime?: string;
  stdin: boolean;
  inheritLabels: boolean;
  inheritAnnotations: boolean;
  isolation?: string;
  jobs?: string;
}

/** What the flags are read against: our environment, working directory and architecture, and the files they name. */
export interface BuildHost {
  env: Record<string, string | undefined>;
  cwd: string;
  /** The OCI name of this machine's architecture (amd64, arm64). */
  arch: string;
  /** A file's text; throws (with the system's code) when it cannot be read. */
  readFile(file: string): string;
  exists(file: string): boolean;
}

/** Podman's StringSlice flags take several values in one word, comma-separated. */
export const splitCommas = (values: string[]): string[] => values.flatMap((v) => v.split(',')).filter((v) => v !== '');

const isUrl = (s: string) => /^(https?:\/\/|git:\/\/|github\.com\/)/.test(s);

/** The context and Containerfiles: `-f -` without a context reads the context (or a Containerfile) from stdin; without a context the first local Containerfile's directory is it. */
export function contextAndFiles(given: string | undefined, files: string[], host: BuildHost): { context: string; files: string[] } {
  let context = given;
  const out: string[] = [];
  for (const f of splitCommas(files)) {
    if (f === '-' && context === undefined) context = '-';
    else if (f === '-' || isUrl(f) || path.isAbsolute(f)) out.push(f);
    // Podman's rule: a relative Containerfile is looked for from here first, then in the context.
    else out.push(host.exists(path.resolve(host.cwd, f)) ? path.resolve(host.cwd, f) : f);
  }
  if (context === undefined) {
    const local = out.find((f) => f !== '-' && !isUrl(f));
    if (local === undefined) throw new InvalidArgumentError('no context directory and no Containerfile specified: give the context directory ("tspod build DIR") or a Containerfile with -f');
    context = path.dirname(path.resolve(host.cwd, local));
  }
  return { context: context === '-' || isUrl(context) ? context : path.resolve(host.cwd, context), files: out };
}

/** KEY=VALUE kept; KEY alone from our environment (dropped when unset); KEY* every variable of ours starting so; * all of them. */
export function envReferences(specs: string[], env: Record<string, string | undefined>): string[] {
  const ours = Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined);
  return specs.flatMap((spec) => {
    if (spec.includes('=')) return [spec];
    if (spec === '*') return ours.map(([k, v]) => `${k}=${v}`);
    const match = spec.endsWith('*') ? (k: string) => k.startsWith(spec.slice(0, -1)) : (k: string) => k === spec;
    return ours.filter(([k]) => match(k)).map(([k, v]) => `${k}=${v}`);
  });
}

/** The lines of a --build-arg-file: KEY=VALUE, KEY or KEY* from our environment; blank lines and # comments skipped. */
export function parseArgFile(text: string, file: string, env: Record<string, string | undefined>): Record<string, string> {
  const args: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq === 0) throw new InvalidArgumentError(`parsing --build-arg-file "${file}": invalid variable "${line}": each line is KEY=VALUE`);
    if (eq > 0) args[line.slice(0, eq)] = line.slice(eq + 1);
    else for (const kv of envReferences([line], env)) args[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
  }
  return args;
}

/** --build-arg-file files in order, then --build-arg over them; `--build-arg K` takes our K, or removes K when we have none. */
export function buildArgs(flags: Pick<BuildFlags, 'buildArg' | 'buildArgFile'>, host: BuildHost): Record<string, string> {
  const args: Record<string, string> = {};
  for (const file of flags.buildArgFile) {
    let text: string;
    try {
      text = host.readFile(path.resolve(host.cwd, file));
    } catch (err) {
      throw new InvalidArgumentError(`cannot read --build-arg-file "${file}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): check the path`);
    }
    Object.assign(args, parseArgFile(text, file, host.env));
  }
  for (const arg of flags.buildArg) {
    const eq = arg.indexOf('=');
    if (eq >= 0) args[arg.slice(0, eq)] = arg.slice(eq + 1);
    else if (host.env[arg] !== undefined) args[arg] = host.env[arg]!;
    else delete args[arg];
  }
  return args;
}

const SECRET_FORM = 'give id=ID[,src=FILE|env=VARIABLE][,type=file|env]';

/** `--secret id=ID[,src=PATH|env=VAR][,type=file|env]`: src defaults to the ID; without a type, our variable named ID if we have one, else the file. */
export function parseSecret(spec: string, host: BuildHost): BuildSecret {
  let id = '';
  let src = '';
  let type = '';
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    const [key, value] = eq < 0 ? [part, undefined] : [part.slice(0, eq), part.slice(eq + 1)];
    if (value === undefined || !['id', 'src', 'source', 'env', 'type'].includes(key)) throw new InvalidArgumentError(`invalid --secret "${spec}": ${SECRET_FORM}`);
    if (key === 'id') id = value;
    else if (key === 'src' || key === 'source') src = value;
    else if (key === 'env') [src, type] = [value, 'env'];
    else if (value === 'file' || value === 'env') type = value;
    else throw new InvalidArgumentError(`invalid --secret "${spec}": the type is file or env`);
  }
  if (id === '') throw new InvalidArgumentError(`invalid --secret "${spec}": it has no id: ${SECRET_FORM}`);
  src ||= id;
  type ||= host.env[id] !== undefined ? 'env' : 'file';
  if (type === 'env') return { id, source: { env: src } };
  const file = path.resolve(host.cwd, src);
  if (!host.exists(file)) throw new InvalidArgumentError(`--secret ${id}: the file ${file} does not exist: give the file that holds the secret with src=PATH, or a variable of ours with env=NAME`);
  return { id, source: { file } };
}

/** `-o`: DIR, `-` (a tar on stdout), or type=local|tar,dest=PATH. */
export function parseOutput(outputs: string[], cwd: string): BuildOptions['output'] {
  if (outputs.length === 0) return undefined;
  if (outputs.length > 1) throw new UsageError(`--output given ${outputs.length} times is not supported: tspod writes one output per build: build again for the next one`);
  const spec = outputs[0];
  if (spec === '-') return { type: 'tar', dest: '-' };
  if (!spec.includes(',')) return { type: 'local', dest: path.resolve(cwd, spec) };
  const kv: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq);
    if (eq < 0) throw new InvalidArgumentError(`invalid --output "${spec}": give DIR, -, or type=local|tar,dest=PATH`);
    if (key !== 'type' && key !== 'dest') throw new InvalidArgumentError(`invalid --output "${spec}": unknown key "${key}" (the keys are type and dest)`);
    if (kv[key] !== undefined) throw new InvalidArgumentError(`invalid --output "${spec}": ${key} is given twice`);
    kv[key] = part.slice(eq + 1);
  }
  if (kv.type !== 'local' && kv.type !== 'tar') throw new InvalidArgumentError(`invalid --output "${spec}": ${kv.type === undefined ? 'it has no type' : `type "${kv.type}" is not one tspod writes`}: use type=local or type=tar`);
  if (!kv.dest) throw new InvalidArgumentError(`invalid --output "${spec}": it has no dest: add dest=PATH`);
  if (kv.dest === '-' && kv.type === 'local') throw new InvalidArgumentError(`invalid --output "${spec}": type=local writes a directory, not stdout: use type=tar,dest=-`);
  return { type: kv.type, dest: kv.dest === '-' ? '-' : path.resolve(cwd, kv.dest) };
}

/** --pull's policy: alone or true, always; false, never; else the word (missing without the flag). */
export function pullPolicy(value: string | boolean | undefined): BuildOptions['pull'] {
  if (value === undefined) return 'missing';
  if (typeof value === 'boolean') return value ? 'always' : 'never';
  const word = value.trim().toLowerCase();
  const policy = ({ true: 'always', false: 'never', always: 'always', missing: 'missing', never: 'never', newer: 'newer' } as const)[word as 'true'];
  if (!policy) throw new InvalidArgumentError(`invalid --pull "${value}": use always, missing, never or newer`);
  return policy;
}

/** --format, else BUILDAH_FORMAT, else oci; Podman takes any word starting oci or docker. */
export function imageFormat(given: string | undefined, env: Record<string, string | undefined>): BuildOptions['format'] {
  const word = (given ?? (env.BUILDAH_FORMAT || 'oci')).toLowerCase();
  if (word.startsWith('oci')) return 'oci';
  if (word.startsWith('docker')) return 'docker';
  throw new InvalidArgumentError(`unrecognized image format "${word}"${given === undefined ? ' in BUILDAH_FORMAT' : ''}: use oci or docker`);
}

const ARCH_ALIASES: Record<string, string> = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', i386: '386', i686: '386', armhf: 'arm' };
const OS_NAMES = new Set(['linux', 'windows', 'darwin', 'freebsd']);

/** One platform as --platform writes it: os/arch[/variant], or an architecture or OS alone. */
function parsePlatform(text: string, hostArch: string): { os: string; architecture: string; variant?: string } {
  const parts = text.toLowerCase().split('/');
  if (parts.length === 1) return OS_NAMES.has(parts[0]) ? { os: parts[0], architecture: hostArch } : { os: 'linux', architecture: ARCH_ALIASES[parts[0]] ?? parts[0] };
  return { os: parts[0], architecture: ARCH_ALIASES[parts[1]] ?? parts[1], variant: parts[2] || undefined };
}

const nativeVariant = (arch: string, variant: string | undefined) => variant === undefined || (arch === 'arm64' && variant === 'v8');

/** --platform, or --os/--arch/--variant: accepted only when they name this host's platform. */
export function buildPlatform(flags: Pick<BuildFlags, 'platform' | 'os' | 'arch' | 'variant'>, hostArch: string): BuildOptions['platform'] {
  const platforms = splitCommas(flags.platform);
  const separate = { '--os': flags.os, '--arch': flags.arch, '--variant': flags.variant };
  const given = Object.entries(separate).filter(([, v]) => v !== undefined) as Array<[string, string]>;
  if (platforms.length && given.length) throw new InvalidArgumentError('--platform cannot be used with --os, --arch or --variant: give one or the other');
  const refuse = (flag: string, text: string) => new UsageError(`${flag} ${text} is not supported on this linux/${hostArch} host: ${BUILD_NO_EMULATION}`);
  let variant: string | undefined;
  if (platforms.length) {
    for (const text of platforms) {
      const p = parsePlatform(text, hostArch);
      if (p.os !== 'linux' || p.architecture !== hostArch || !nativeVariant(p.architecture, p.variant)) throw refuse('--platform', text);
      variant = p.variant;
    }
    if (platforms.length > 1) throw new UsageError(`--platform ${platforms.join(',')} is not supported: tspod builds one platform at a time (this host's, linux/${hostArch}): give it once`);
  } else if (given.length) {
    if (flags.os !== undefined && flags.os.toLowerCase() !== 'linux') throw refuse('--os', flags.os);
    if (flags.arch !== undefined && (ARCH_ALIASES[flags.arch.toLowerCase()] ?? flags.arch.toLowerCase()) !== hostArch) throw refuse('--arch', flags.arch);
    variant = flags.variant?.toLowerCase() || undefined;
    if (!nativeVariant(hostArch, variant)) throw refuse('--variant', flags.variant!);
  } else {
    return undefined;
  }
  return { os: 'linux', architecture: hostArch, ...(variant ? { variant } : {}) };
}

/** --isolation (oci, default or rootless are what tspod does) and --jobs (one stage at a time): checked, nothing to hand on. */
export function checkIsolationAndJobs(isolation: string | undefined, jobs: string | undefined): void {
  const iso = isolation?.toLowerCase();
  if (iso === 'chroot') throw new UsageError('--isolation chroot is not supported: tspod runs RUN steps as containers of its OCI runtime (runc or crun) in its user namespace: use --isolation oci or drop the option');
  if (iso !== undefined && !['oci', 'default', 'rootless'].includes(iso)) throw new InvalidArgumentError(`unrecognized isolation type "${isolation}": use oci or rootless`);
  if (jobs === undefined) return;
  if (!/^\d+$/.test(jobs)) throw new InvalidArgumentError(`invalid --jobs "${jobs}": give a number of stages`);
  if (Number(jobs) !== 1) throw new UsageError(`--jobs ${jobs} is not supported: tspod builds one stage at a time: drop --jobs or give 1`);
}

/** Whole seconds since the epoch (--timestamp, --source-date-epoch). */
export function epochSeconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`invalid ${flag} "${value}": give whole seconds since the epoch, e.g. 1700000000`);
  return Number(value.trim());
}

/** --cache-ttl: a Go duration (a bare number other than 0 has no unit, which Go refuses). */
export function cacheTtl(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^[0-9.]+$/.test(value) && Number(value) !== 0) throw new InvalidArgumentError(`invalid --cache-ttl "${value}": it has no unit: give a duration such as 30m, 24h or 1h30m`);
  const ms = parseGoDuration(value, '--cache-ttl');
  if (ms < 0) throw new InvalidArgumentError(`invalid --cache-ttl "${value}": give a duration of 0 or more`);
  return ms;
}

/** Podman's checks of flags that cannot go together. */
function checkCombinations(flags: BuildFlags): void {
  if (flags.squash && flags.squashAll) throw new InvalidArgumentError('cannot specify --squash-all with --squash: --squash-all already squashes every layer');
  if (flags.network === 'none') {
    for (const [name, list] of [['--dns', flags.dns], ['--dns-option', flags.dnsOption], ['--dns-search', flags.dnsSearch]] as const) {
      if (list.length) throw new InvalidArgumentError(`the ${name} option cannot be used with --network=none: RUN steps have no network to resolve names on`);
    }
  }
}

const resolved = (cwd: string, p: string | undefined) => (p === undefined ? undefined : path.resolve(cwd, p));

/** The BuildOptions the engine takes, from the flags as given. */
export function buildOptions(flags: BuildFlags, host: BuildHost): BuildOptions {
  if (flags.contexts.length > 1) throw new InvalidArgumentError(`accepts at most 1 arg(s), received ${flags.contexts.length}: give one context (a --pull policy is written --pull=POLICY)`);
  checkCombinations(flags);
  checkIsolationAndJobs(flags.isolation, flags.jobs);
  const { context, files } = contextAndFiles(flags.contexts[0], flags.file, host);
  const layersEnv = host.env.BUILDAH_LAYERS?.toLowerCase();
  return {
    context,
    files,
    ignoreFile: resolved(host.cwd, flags.ignorefile),
    tags: flags.tag,
    iidFile: resolved(host.cwd, flags.iidfile),
    format: imageFormat(flags.format, host.env),
    buildArgs: buildArgs(flags, host),
    target: flags.target,
    labels: flags.label,
    annotations: flags.annotation,
    env: envReferences(flags.env, host.env),
    unsetEnv: splitCommas(flags.unsetenv),
    unsetLabels: splitCommas(flags.unsetlabel),
    noCache: flags.noCache,
    pull: pullPolicy(flags.pull),
    layers: flags.layers ?? !(layersEnv === 'false' || layersEnv === '0'),
    squash: flags.squash,
    squashAll: flags.squashAll,
    cacheTtlMs: cacheTtl(flags.cacheTtl),
    output: parseOutput(flags.output, host.cwd),
    quiet: flags.quiet,
    network: flags.network,
    noHosts: flags.noHosts,
    addHosts: splitCommas(flags.addHost),
    dns: splitCommas(flags.dns),
    dnsSearch: splitCommas(flags.dnsSearch),
    dnsOptions: splitCommas(flags.dnsOption),
    capAdd: splitCommas(flags.capAdd),
    capDrop: splitCommas(flags.capDrop),
    securityOpt: flags.securityOpt,
    ulimits: splitCommas(flags.ulimit),
    userns: flags.userns,
    devices: flags.device,
    volumes: flags.volume,
    shmSize: flags.shmSize,
    timestamp: epochSeconds(flags.timestamp, '--timestamp'),
    sourceDateEpoch: epochSeconds(flags.sourceDateEpoch ?? host.env.SOURCE_DATE_EPOCH, '--source-date-epoch'),
    rm: flags.rm,
    forceRm: flags.forceRm,
    secrets: flags.secret.map((s) => parseSecret(s, host)),
    platform: buildPlatform(flags, host.arch),
    pulling: { creds: flags.creds, authFile: resolved(host.cwd, flags.authfile), tlsVerify: flags.tlsVerify, certDir: resolved(host.cwd, flags.certDir), retry: flags.retry, retryDelay: flags.retryDelay },
    omitHistory: flags.omitHistory,
    identityLabel: flags.identityLabel,
    skipUnusedStages: flags.skipUnusedStages,
    from: flags.from,
    logFile: resolved(host.cwd, flags.logfile),
    runtime: flags.runtime,
    stdin: flags.stdin,
    inheritLabels: flags.inheritLabels,
    inheritAnnotations: flags.inheritAnnotations,
  };
}
