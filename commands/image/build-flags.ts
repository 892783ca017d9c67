// `tspod build`'s flag values turned into the engine's BuildOptions, as Podman 5 reads them: the
// context from the argument or the first Containerfile's directory, --build-arg over
// --build-arg-file, KEY alone taken from our environment, --pull alone meaning always, BUILDAH_FORMAT
// and BUILDAH_LAYERS as defaults. What the host provides (environment, files) comes in through
// BuildHost, so that every rule here can be tested without one.
import path from 'node:path';
import { InvalidArgumentError, UsageError } from '../../src/errors';
import { buildPlatform, cacheTtl, checkIsolationAndJobs, checkRetry, epochSeconds, imageFormat, parseOutput, parseSecret, pullPolicy, splitCommas } from './build-values';
import type { BuildOptions } from '../../libpod/entities';

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
  /** -D (default true): tspod's build layers are uncompressed; false is refused. */
  disableCompression: boolean;
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

/** Podman's checks of flags that cannot go together. */
function checkCombinations(flags: BuildFlags): void {
  if (!flags.disableCompression) throw new UsageError('--disable-compression=false is not supported: tspod stores the layers a build makes uncompressed and pushes them as stored: drop the option');
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
  checkRetry(flags.retry, flags.retryDelay);
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
