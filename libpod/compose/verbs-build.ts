// `compose build`: a service's build: section as the options `tspod build` takes — up's own
// (images.ts: context, dockerfile, args, target, labels, tags, network, extra_hosts, shm_size) plus
// what only the verb adds: dockerfile_inline written to a file, secrets, --build-arg, --no-cache,
// --pull, -q, and notes on what is ignored.
import { InvalidArgumentError } from '../../src/errors';
import type { BuildOptions, BuildSecret } from '../build/types';
import { defaultBuildOptions } from '../build/build-defaults';
import fs from 'node:fs';
import path from 'node:path';
import type { ComposeOps } from './compose-ops';
import { serviceImage as imageOf } from './labels';
import type { Project, ServiceConfig } from './types';

/** What `compose build` was asked beyond the files. */
export interface ComposeBuildFlags {
  noCache: boolean;
  /** --pull: always pull the base images. */
  pull: boolean;
  /** --build-arg K=V (K alone: from the environment). */
  buildArgs: string[];
  quiet: boolean;
}

/** --build-arg words as a map: K=V, or K taken from env (left out when unset there). */
export function parseBuildArgs(words: string[], env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq === 0) throw new InvalidArgumentError(`invalid --build-arg "${w}": use KEY=VALUE, or KEY to take it from the environment`);
    if (eq > 0) out[w.slice(0, eq)] = w.slice(eq + 1);
    else if (env[w] !== undefined) out[w] = env[w]!;
  }
  return out;
}

/** The build secret a service's build.secrets entry names: the project's secret's file or environment variable. */
function buildSecret(project: Project, service: ServiceConfig, ref: { source: string; target: string }): BuildSecret {
  const def = project.secrets[ref.source];
  if (!def) throw new InvalidArgumentError(`service "${service.name}" refers to undefined build secret ${ref.source}: define it under the top-level secrets:`);
  const id = ref.target && !ref.target.startsWith('/') ? ref.target : ref.source;
  if (def.file) return { id, source: { file: def.file } };
  if (def.environment) return { id, source: { env: def.environment } };
  throw new InvalidArgumentError(`build secret ${ref.source} of service "${service.name}" has neither file: nor environment:: tspod builds can only read those`);
}

/**
 * The build options of one service (which must have build:). inlineFile: where dockerfile_inline
 * was written (the caller writes it). Notes: what is ignored, for the user.
 */
export function serviceBuildOptions(project: Project, service: ServiceConfig, flags: ComposeBuildFlags, inlineFile?: string): { options: BuildOptions; notes: string[] } {
  const build = service.build;
  if (!build) throw new InvalidArgumentError(`service "${service.name}" has no build: section: give it one, or pull its image with "compose pull"`);
  const notes: string[] = [];
  if (build.cache_from?.length) notes.push(`service "${service.name}": build.cache_from is ignored: tspod builds use their own layer cache only`);
  if (build.platforms?.length) notes.push(`service "${service.name}": build.platforms is ignored: tspod builds for this machine's platform only`);
  const base = composeBuildOptions(project, service);
  if (build.dockerfile_inline !== undefined && !inlineFile) throw new InvalidArgumentError(`service "${service.name}": dockerfile_inline needs a file to be written to`);
  const options: BuildOptions = {
    ...base,
    files: inlineFile ? [inlineFile] : base.files,
    tags: [...new Set(base.tags)],
    buildArgs: { ...base.buildArgs, ...parseBuildArgs(flags.buildArgs, project.environment) },
    noCache: flags.noCache || base.noCache,
    pull: flags.pull ? 'always' : base.pull,
    quiet: flags.quiet,
    secrets: (build.secrets ?? []).map((ref) => buildSecret(project, service, ref)),
  };
  return { options, notes };
}

/** build's options from a service's build: section (tags: the service's image and build.tags). */
export function composeBuildOptions(project: Project, service: ServiceConfig): BuildOptions {
  const b = service.build!;
  const args: Record<string, string> = {};
  for (const [k, v] of Object.entries(b.args ?? {})) {
    const value = v ?? project.environment[k];
    if (value !== undefined) args[k] = value;
  }
  return {
    ...defaultBuildOptions(b.context, [imageOf(project.name, service), ...(b.tags ?? [])]),
    files: b.dockerfile ? [path.resolve(b.context, b.dockerfile)] : [],
    buildArgs: args,
    target: b.target,
    labels: Object.entries(b.labels ?? {}).map(([k, v]) => `${k}=${v}`),
    noCache: b.no_cache ?? false,
    pull: b.pull ? 'always' : 'missing',
    network: b.network,
    addHosts: Object.entries(b.extra_hosts ?? {}).flatMap(([h, ips]) => ips.map((ip) => `${h}:${ip}`)),
    shmSize: b.shm_size === undefined ? undefined : `${b.shm_size}b`,
  };
}

/**
 * Builds one service as `compose build` and `up` do: dockerfile_inline written to a file of its own
 * under <runroot>/compose-build (removed after), notes on err, build output on out.
 */
export async function buildService(ops: Pick<ComposeOps, 'buildImage'>, runroot: string, project: Project, service: ServiceConfig, flags: ComposeBuildFlags, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<string> {
  let tmp: string | undefined;
  try {
    let inline: string | undefined;
    if (service.build?.dockerfile_inline !== undefined) {
      const base = path.join(runroot, 'compose-build');
      fs.mkdirSync(base, { recursive: true, mode: 0o700 });
      tmp = fs.mkdtempSync(path.join(base, `${project.name}-${service.name}-`));
      inline = path.join(tmp, 'Dockerfile');
      fs.writeFileSync(inline, service.build.dockerfile_inline);
    }
    const { options, notes } = serviceBuildOptions(project, service, flags, inline);
    for (const n of notes) err.write(`Warning: ${n}\n`);
    await ops.buildImage(options, out);
    return options.tags[0];
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}
