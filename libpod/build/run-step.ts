// A RUN step: its flags (--mount, --network, --security) and command, its cache key, and the step
// container that runs it attached; its layer is what the container changed.
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import { resolveInRoot } from '../container/container-view';
import { PROXY_ARGS } from './build-args';
import { BuildInterruptedError, BuildStepError } from './build-errors';
import type { BuildExecutor, StageState } from './executor';
import { shellForm, type BuildConfig } from './instructions';
import { parseRunMount, prepareMounts, type RunMount } from './run-mounts';
import { expand } from './shell-words';
import type { Instruction } from './types';

export async function runStep(b: BuildExecutor, state: StageState, ins: Instruction, escape: string, final: boolean): Promise<void> {
  const config = (state.oci.config ?? {}) as BuildConfig;
  let network = b.opts.network;
  const mounts: RunMount[] = [];
  for (const f of ins.flags) {
    if (f.name === 'mount') mounts.push(parseRunMount(expand(f.value ?? '', b.lookup(state), escape), config.WorkingDir ?? '/', ins.line));
    else if (f.name === 'network') network = f.value;
    else if (f.name === 'security') {
      if (f.value !== 'sandbox') throw new InvalidArgumentError(`line ${ins.line}: RUN --security=${f.value} is not supported: a rootless build has no privileges to give (use sandbox)`);
    } else throw new InvalidArgumentError(`line ${ins.line}: unknown flag for RUN: --${f.name}`);
  }
  const command = ins.json ?? shellForm(config, heredocScript(ins));
  const argPairs = state.args.pairs();
  const configEnv = new Set((config.Env ?? []).map((e) => e.split('=')[0]));
  const env = [...argPairs.filter((p) => !configEnv.has(p.split('=')[0])), ...state.args.proxies()];
  const canonical = JSON.stringify(['RUN', command, argPairs.filter((p) => !PROXY_ARGS.includes(p.split('=')[0])), mounts, network ?? '']);
  const key = b.key(state, canonical, final);
  const hit = b.cached(key, canonical);
  if (hit) return b.useCached(state, hit, final);
  const image = await b.baseForContainer(state);
  const net = network === undefined || network === 'private' || network === 'default' ? 'slirp4netns' : network;
  const prepared = prepareMounts(mounts, {
    contextDir: b.context.dir,
    rootOf: (from) => b.rootOf(from),
    cacheRoot: path.join(b.rt.paths.root, 'build-cache-mounts'),
    secretDir: path.join(b.workDir, 'secrets'),
    secrets: b.opts.secrets,
    inside: (root, rel) => resolveInRoot(root, rel, true),
  }, ins.line);
  let id: string | undefined;
  let name: string | undefined;
  let ok = false;
  try {
    await withLocks(prepared.lockFiles, async () => {
      const createOpts = b.stepCreateOptions(image, command, { env, network: net, volumes: [...b.opts.volumes, ...prepared.volumes], tmpfs: prepared.tmpfs });
      const volumeDirs = Object.keys(config.Volumes ?? {});
      if (volumeDirs.length) createOpts.buildOf = { ...createOpts.buildOf!, makeDirs: volumeDirs };
      name = createOpts.name;
      b.current = name;
      const r = await b.ops.run(createOpts);
      id = r.id;
      if (b.cancelled) throw new BuildInterruptedError();
      if (r.exitCode !== 0) throw new BuildStepError(`building at STEP "${ins.original}": while running runtime: exit status ${r.exitCode}`, r.exitCode);
      state.oci = { ...state.oci, config: final ? b.finalConfig(config) : config, created: b.created(), history: b.historyWith(state, b.history(runCreatedBy(ins, config, argPairs), false)) };
      const targets = mounts.map((m) => m.target);
      await b.commit(state, key, b.ops.containers.layer(id, targets, b.mtime(), !b.opts.rm), final);
      ok = true;
    });
  } finally {
    b.current = undefined;
    prepared.cleanup();
    const leftover = id ?? (name && b.rt.containers().nameTaken(name) ? name : undefined);
    if (leftover) await b.removeStep(leftover, ok);
  }
}

/** fn while holding each lock in turn (cache mounts with sharing=locked|private), waiting as long as their holders take. */
async function withLocks<T>(files: string[], fn: () => Promise<T>): Promise<T> {
  if (!files.length) return fn();
  const { withLock } = await import('../lock/file-lock');
  return withLock(files[0], () => withLocks(files.slice(1), fn), `build cache lock ${path.basename(files[0])}`, 24 * 3600_000);
}

/**
 * A RUN's history line as Podman writes it: the build args with values ("|N A=1 B=2 ", sorted),
 * the shell, and the instruction's text as written, flags included (an exec form's JSON too, after
 * /bin/sh -c); heredoc bodies follow. tspod names the stage's SHELL where Podman always writes /bin/sh -c.
 */
export function runCreatedBy(ins: Instruction, config: BuildConfig, argPairs: string[]): string {
  const sorted = [...argPairs].sort();
  const prefix = sorted.length ? `|${sorted.length} ${sorted.join(' ')} ` : '';
  const text = ins.original.replace(/^\s*\S+\s*/, '');
  const bodies = ins.heredocs.map((h) => `\n${h.content}${h.name}`).join('');
  const shell = ins.json ? '/bin/sh -c' : (config.Shell ?? ['/bin/sh', '-c']).join(' ');
  return `${prefix}${shell} ${text}${bodies}`;
}

/** RUN's shell-form text with its heredocs: the bodies follow the command as the shell reads them. */
export function heredocScript(ins: Instruction): string {
  const args = ins.args.trim();
  if (!ins.heredocs.length) return args;
  // `RUN <<EOF` alone: the body is the script.
  if (ins.heredocs.length === 1 && /^<<-?["']?[A-Za-z0-9_]+["']?$/.test(args)) return ins.heredocs[0].content;
  return `${args}\n${ins.heredocs.map((h) => `${h.content}${h.name}`).join('\n')}`;
}
