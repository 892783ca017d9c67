// The values of single `tspod build` flags as Podman 5 reads them (--secret, --output, --pull,
// --format, --platform, --isolation, --jobs, times and durations), each checked with an error
// that says what to give; build-flags.ts puts them together into BuildOptions.
import path from 'node:path';
import { InvalidArgumentError, UsageError } from '../../src/errors';
import { parseGoDuration } from '../../src/time-spec';
import { BUILD_NO_EMULATION } from '../refusals';
import type { BuildFlags, BuildHost } from './build-flags';
import type { BuildOptions, BuildSecret } from '../../libpod/entities';

/** Podman's StringSlice flags take several values in one word, comma-separated. */
export const splitCommas = (values: string[]): string[] => values.flatMap((v) => v.split(',')).filter((v) => v !== '');

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

/** --retry (a number of tries) and --retry-delay (a Go duration; a bare number is seconds, as pull takes it), checked; handed on as given. */
export function checkRetry(retry: string | undefined, delay: string | undefined): void {
  if (retry !== undefined && !/^\d+$/.test(retry)) throw new InvalidArgumentError(`invalid --retry "${retry}": give a number of tries, e.g. 3`);
  if (delay !== undefined && parseGoDuration(delay, '--retry-delay', 's') < 0) throw new InvalidArgumentError(`invalid --retry-delay "${delay}": it cannot be negative`);
}
