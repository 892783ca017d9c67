// One build: the stages the target needs, each instruction in turn. Every instruction after FROM
// makes an image (config-only, or with one layer for RUN, COPY and ADD), recorded in the build
// cache under a key of its parent image, the instruction as expanded and what it read (build args,
// the content of copied files), so that the same step on the same parent is taken from the cache.
// RUN is run-step.ts, COPY and ADD copy-step.ts; both work through the executor's public members.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import { randomHex } from '../../src/random';
import { ociArch } from '../../src/arch';
import { log } from '../../src/log';
import type { Runtime } from '../runtime';
import type { Image, OciImageConfig } from '../image/image-store';
import type { CreateOptions } from '../container/create-spec';
import type { StepContainers } from '../container/step-containers';
import { ArgScope, BuildArgs } from './build-args';
import { applyConfigInstruction, setEnv, type BuildConfig, type Words } from './instructions';
import { parseEnv, parseLabels } from '../container/create-spec';
import { neededStages, splitStages, stageNamed, targetStage, type Stage } from './stages';
import { expand, expandEach, expandWords, nameValues } from './shell-words';
import { parseInstruction } from './dockerfile';
import { BuildInterruptedError } from './build-errors';
import { copyStep } from './copy-step';
import { runStep } from './run-step';
import type { BuildIo, BuildOptions, Dockerfile, Instruction } from './types';

/** What the build needs of the container engine (the facade hands it over). */
export interface StepOps {
  create(opts: CreateOptions): Promise<{ id: string }>;
  /** Runs attached: the command's stdout and stderr on the build's; the exit code. */
  run(opts: CreateOptions): Promise<{ id: string; exitCode: number }>;
  kill(name: string): Promise<void>;
  containers: StepContainers;
  pull(ref: string): Promise<Image>;
}

export interface StageState {
  image: Image | undefined;
  oci: OciImageConfig;
  args: ArgScope;
  cmdSet: boolean;
}

/** The PATH a stage FROM scratch starts with, as Podman gives it. */
const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export class BuildExecutor {
  private readonly stageImages = new Map<number, Image>();
  private readonly stageNames = new Map<number, string | undefined>();
  private readonly mountedImages: Image[] = [];
  private readonly buildArgs: BuildArgs;
  private readonly finalLabels: Record<string, string>;
  private readonly finalEnv: string[];
  private readonly globals: ArgScope;
  /** The step container running now (ctrl-c kills it). */
  current: string | undefined;
  cancelled = false;
  /** The number of layers of the final stage's base image (what --squash keeps). */
  finalBaseLayers = 0;
  /** The final stage's base image's annotations (--inherit-annotations). */
  finalBaseAnnotations: Record<string, string> = {};
  readonly workDir: string;

  constructor(
    readonly rt: Runtime,
    readonly ops: StepOps,
    readonly opts: BuildOptions,
    private readonly io: BuildIo,
    readonly context: { dir: string; ignore: import('./ignore').IgnoreMatcher },
  ) {
    this.buildArgs = new BuildArgs(opts.buildArgs);
    // --label and --env are checked before any step runs, as run's are.
    this.finalLabels = parseLabels(opts.labels);
    this.finalEnv = parseEnv(opts.env, []);
    this.globals = new ArgScope(this.buildArgs);
    this.workDir = path.join(rt.paths.runroot, 'build', `${process.pid}-${randomHex(4)}`);
  }

  private say(line: string): void {
    if (!this.opts.quiet) this.io.stdout.write(`${line}\n`);
  }

  /** ctrl-c: the running step's container is killed; the build ends once it is removed. */
  cancel(): void {
    this.cancelled = true;
    if (this.current) void this.ops.kill(this.current).catch(() => undefined);
  }

  async build(df: Dockerfile): Promise<Image> {
    fs.mkdirSync(this.workDir, { recursive: true, mode: 0o700 });
    try {
      const plan = splitStages(df);
      this.nameStages(plan.stages);
      for (const a of plan.globalArgs) this.declareArgs(this.globals, a, df.escape);
      const target = targetStage(plan.stages, this.opts.target);
      const globalWord = (w: string) => expand(w, (n) => this.globals.get(n), df.escape);
      const stages = this.opts.skipUnusedStages ? neededStages(plan.stages, target, globalWord) : plan.stages.filter((s) => s.index <= target.index);
      let result: Image | undefined;
      for (const s of stages) {
        const label = plan.stages.length > 1 ? `[${s.index + 1}/${plan.stages.length}] ` : '';
        result = await this.runStage(plan.stages, s, s === target, label, df.escape);
        this.stageImages.set(s.index, result);
      }
      const unused = this.buildArgs.unused();
      if (unused.length) this.io.stderr.write(`[Warning] one or more build args were not consumed: [${unused.join(' ')}]\n`);
      return result!;
    } finally {
      for (const img of this.mountedImages) this.rt.imageStore().unmount(img, false);
      fs.rmSync(this.workDir, { recursive: true, force: true });
    }
  }

  private declareArgs(scope: ArgScope, ins: Instruction, escape: string): void {
    const lookup = (n: string) => scope.get(n);
    for (const p of nameValues(ins.args, 'ARG', lookup, escape)) scope.declare(p.name, p.value);
  }

  created(): string {
    const t = this.opts.timestamp ?? this.opts.sourceDateEpoch;
    return new Date(t === undefined ? Date.now() : t * 1000).toISOString();
  }

  /** The FROM's image word, build args expanded (--from replaces the first stage's). */
  private fromWord(s: Stage, escape: string): string {
    const word = s.index === 0 && this.opts.from ? this.opts.from : expand(s.image, (n) => this.globals.get(n), escape);
    if (!word) throw new InvalidArgumentError(`line ${s.from.line}: FROM names no image after its build args were expanded: ${s.from.original}`);
    return word;
  }

  private async fromImage(stages: Stage[], s: Stage, word: string): Promise<Image | undefined> {
    if (word === 'scratch') return undefined;
    const stage = stageNamed(stages, word, s.index);
    if (stage) return this.stageImages.get(stage.index);
    return this.image(word);
  }

  /** An image by reference, as --pull says (missing: stored, else pulled). */
  private async image(ref: string): Promise<Image> {
    const pull = this.opts.pull;
    if (pull === 'always') return this.ops.pull(ref);
    try {
      const local = this.rt.imageStore().resolve(ref);
      if (pull !== 'newer') return local;
      return await this.ops.pull(ref).catch(() => local);
    } catch (err) {
      if (pull === 'never') throw err;
      return this.ops.pull(ref);
    }
  }

  private async runStage(stages: Stage[], s: Stage, final: boolean, label: string, escape: string): Promise<Image> {
    const total = s.instructions.length + 1;
    const word = this.fromWord(s, escape);
    // As Podman prints it: the image as expanded (an earlier stage by its image's ID), the stage's name.
    const earlier = stageNamed(stages, word, s.index);
    const shown = earlier ? this.stageImages.get(earlier.index)!.id.slice(7) : word;
    this.say(`${label}STEP 1/${total}: FROM ${shown}${s.shownName ? ` AS ${s.shownName}` : ''}`);
    const base = await this.fromImage(stages, s, word);
    if (final) {
      this.finalBaseLayers = base?.layers.length ?? 0;
      this.finalBaseAnnotations = base?.annotations ?? {};
    }
    const oci: OciImageConfig = base
      ? JSON.parse(JSON.stringify(base.config))
      : { architecture: ociArch(), os: 'linux', config: { Env: [DEFAULT_PATH] }, rootfs: { type: 'layers', diff_ids: [] }, history: [] };
    const config = (oci.config ?? {}) as BuildConfig;
    const triggers = config.OnBuild ?? [];
    delete config.OnBuild;
    if (!this.opts.inheritLabels) delete config.Labels;
    if (this.opts.identityLabel) config.Labels = { ...(config.Labels ?? {}), 'io.tspod.version': (await import('../../src/version')).VERSION };
    oci.config = config;
    delete oci.author;
    const state: StageState = { image: base, oci, args: new ArgScope(this.buildArgs, this.globals), cmdSet: false };
    for (const t of triggers) await this.step(state, parseInstruction(t, escape), escape, false);
    if (!s.instructions.length) {
      if (!final && state.image && !triggers.length) return state.image;
      return this.commitConfig(state, { keyword: 'FROM', flags: [], args: '', heredocs: [], line: s.from.line, original: s.from.original }, final);
    }
    for (const [i, ins] of s.instructions.entries()) {
      this.say(`${label}STEP ${i + 2}/${total}: ${ins.original}`);
      const last = i === s.instructions.length - 1;
      await this.step(state, ins, escape, final && last);
    }
    return state.image!;
  }

  /** The lookup for expansion: ENV over the declared ARGs. */
  lookup(state: StageState): (name: string) => string | undefined {
    const env = new Map((state.oci.config?.Env ?? []).map((e) => [e.slice(0, e.indexOf('=') < 0 ? e.length : e.indexOf('=')), e.slice(e.indexOf('=') + 1)] as const));
    return (n) => (env.has(n) ? env.get(n) : state.args.get(n));
  }

  private words(state: StageState, ins: Instruction, escape: string): Words {
    const lookup = this.lookup(state);
    return {
      expandWord: (t) => expand(t, lookup, escape),
      expandWords: (t) => expandWords(t, lookup, escape),
      expandEach: (t) => expandEach(t, lookup, escape),
      nameValues: (k) => nameValues(ins.args, k, lookup, escape),
    };
  }

  /** The final image's config: --label, --env, --unsetenv, --unsetlabel, and what OCI images cannot hold. */
  finalConfig(config: BuildConfig): BuildConfig {
    const c: BuildConfig = { ...config };
    if (this.opts.labels.length || this.opts.unsetLabels.length) {
      const labels = { ...(c.Labels ?? {}), ...this.finalLabels };
      for (const u of this.opts.unsetLabels) delete labels[u];
      c.Labels = labels;
    }
    if (this.opts.env.length || this.opts.unsetEnv.length) {
      let env = c.Env ?? [];
      for (const e of this.finalEnv) env = setEnv(env, e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1));
      c.Env = env.filter((x) => !this.opts.unsetEnv.includes(x.split('=')[0]));
    }
    if (this.opts.format === 'oci') {
      for (const [field, what] of [['Healthcheck', 'HEALTHCHECK'], ['OnBuild', 'ONBUILD'], ['Shell', 'SHELL']] as const) {
        if (c[field] === undefined) continue;
        if (field !== 'Shell') this.io.stderr.write(`WARN: ${what} is not supported for OCI image format and will be ignored: use --format docker\n`);
        delete c[field];
      }
    }
    return c;
  }

  key(state: StageState, canonical: string, final: boolean): string {
    const parent = state.image?.id ?? `scratch:${state.oci.architecture}`;
    const extra = final ? JSON.stringify([this.opts.labels, this.opts.env, this.opts.unsetEnv, this.opts.unsetLabels, this.opts.format, this.opts.annotations]) : '';
    // What changes every step's image: its times, the identity label, the history kept.
    const settings = JSON.stringify([this.opts.timestamp ?? null, this.opts.sourceDateEpoch ?? null, this.opts.identityLabel, this.opts.omitHistory]);
    return crypto.createHash('sha256').update(`${parent}\n${canonical}\n${extra}\n${settings}`).digest('hex');
  }

  /** The image a key names in the cache, if the build may use it (--log-level=debug shows the decision). */
  cached(key: string, canonical: string): Image | undefined {
    const why = (hit: string) => {
      log.debug(`build cache: ${hit} for key ${key.slice(0, 16)} (${canonical.length > 200 ? `${canonical.slice(0, 200)}...` : canonical})`);
      return undefined;
    };
    if (this.opts.noCache) return why('not looked up (--no-cache)');
    if (!this.opts.layers) return why('not looked up (--layers=false)');
    const notBefore = this.opts.cacheTtlMs === undefined ? 0 : Date.now() - this.opts.cacheTtlMs;
    const id = this.rt.db().buildCacheHit(key, notBefore);
    if (!id) return why(notBefore ? 'miss (or older than --cache-ttl)' : 'miss');
    try {
      const image = this.rt.imageStore().resolve(id);
      why(`hit ${id.slice(7, 19)}`);
      return image;
    } catch {
      return why(`miss (its image ${id.slice(7, 19)} was removed)`);
    }
  }

  useCached(state: StageState, image: Image, final: boolean): void {
    this.say(`--> Using cache ${image.id.slice(7)}`);
    state.image = image;
    state.oci = JSON.parse(JSON.stringify(image.config));
    if (!final) this.say(`--> ${image.id.slice(7, 18)}`);
  }

  private async step(state: StageState, ins: Instruction, escape: string, final: boolean): Promise<void> {
    if (this.cancelled) throw new BuildInterruptedError();
    if (ins.keyword === 'ARG') {
      const pairs = nameValues(ins.args, 'ARG', this.lookup(state), escape);
      for (const p of pairs) state.args.declare(p.name, p.value);
      // Podman's history names every ARG of the stage that has a value so far, sorted.
      const valued = state.args.pairs().map((p) => p.split('=')[0]).sort();
      await this.metaStep(state, `ARG ${pairs.map((p) => `${p.name}=${state.args.get(p.name) ?? ''}`).join(' ')}`, `/bin/sh -c #(nop) ARG ${valued.join(' ')}`, state.oci.config ?? {}, final);
      return;
    }
    if (ins.keyword === 'RUN') return runStep(this, state, ins, escape, final);
    if (ins.keyword === 'COPY' || ins.keyword === 'ADD') return copyStep(this, state, ins, escape, final);
    const { config, author } = applyConfigInstruction((state.oci.config ?? {}) as BuildConfig, ins, this.words(state, ins, escape), state);
    if (author !== undefined) state.oci.author = author;
    await this.metaStep(state, `${ins.keyword} ${JSON.stringify(config)} ${author ?? ''}`, `/bin/sh -c #(nop) ${ins.original}`, config, final);
  }

  history(createdBy: string, empty: boolean): NonNullable<OciImageConfig['history']>[number] {
    return { created: this.created(), created_by: createdBy, ...(empty ? { empty_layer: true } : {}) };
  }

  private async metaStep(state: StageState, canonical: string, createdBy: string, config: BuildConfig, final: boolean): Promise<void> {
    const key = this.key(state, canonical, final);
    const hit = this.cached(key, canonical);
    if (hit) return this.useCached(state, hit, final);
    state.oci = { ...state.oci, config: final ? this.finalConfig(config) : config, created: this.created(), history: this.historyWith(state, this.history(createdBy, true)) };
    await this.commit(state, key, undefined, final);
  }

  historyWith(state: StageState, entry: NonNullable<OciImageConfig['history']>[number]): OciImageConfig['history'] {
    return this.opts.omitHistory ? [] : [...(state.oci.history ?? []), entry];
  }

  private commitConfig(state: StageState, ins: Instruction, final: boolean): Promise<Image> {
    const config = (state.oci.config ?? {}) as BuildConfig;
    return this.metaStep(state, 'FROM', `/bin/sh -c #(nop) ${ins.original}`, config, final).then(() => state.image!);
  }

  async commit(state: StageState, key: string, layer: { tar: import('node:stream').Readable; dir?: string } | undefined, final: boolean): Promise<void> {
    const t0 = Date.now();
    const mapped = (await import('../rootless/user-namespace')).mappedIdLimits();
    const image = await this.rt.imageStore().commitStep({ base: state.image, layer: layer?.tar, layerDir: layer?.dir, config: state.oci, whiteouts: this.rt.whiteouts(), ...mapped });
    log.debug(`build: committed ${image.id.slice(7, 19)} in ${Date.now() - t0} ms`);
    if (this.opts.layers) this.rt.db().recordBuildStep(key, image.id);
    state.image = image;
    state.oci = JSON.parse(JSON.stringify(image.config));
    if (!final) this.say(`--> ${image.id.slice(7, 18)}`);
  }

  /** The stage's image as it stands, committed if it is only a config so far (FROM scratch). */
  async baseForContainer(state: StageState): Promise<Image> {
    if (!state.image) await this.commit(state, crypto.randomBytes(16).toString('hex'), undefined, true);
    return state.image!;
  }

  stepCreateOptions(image: Image, command: string[], extra: Partial<CreateOptions>): CreateOptions {
    const o = this.opts;
    return {
      image: image.id,
      command,
      name: `tspod-build-${randomHex(6)}`,
      entrypoint: '',
      env: [],
      envFiles: [],
      labels: [],
      readOnly: false,
      init: false,
      replace: false,
      pull: 'never',
      capAdd: o.capAdd,
      capDrop: o.capDrop,
      securityOpt: o.securityOpt,
      interactive: o.stdin,
      tty: false,
      rm: false,
      network: 'none',
      ulimits: o.ulimits,
      noHosts: o.noHosts,
      addHosts: o.addHosts,
      dns: o.dns,
      dnsSearch: o.dnsSearch,
      dnsOptions: o.dnsOptions,
      runtime: o.runtime,
      shmSize: o.shmSize,
      ...(o.userns ? { userns: { userns: o.userns, uidmap: [], gidmap: [], groupAdd: [], hostuser: [], passwd: true } } : {}),
      security: { systemd: 'false', imageVolume: 'ignore', devices: o.devices },
      health: { none: true },
      createCommand: ['tspod', 'build'],
      progress: { line: () => undefined, blobStart: () => undefined, blobBytes: () => undefined, blobDone: () => undefined, finish: () => undefined },
      buildOf: { pid: process.pid, start: processStart(), makeWorkdir: true },
      ...extra,
    };
  }

  mtime(): Date | undefined {
    return this.opts.timestamp === undefined ? undefined : new Date(this.opts.timestamp * 1000);
  }

  /** The root of a stage's or an image's file system (COPY --from, RUN --mount from=), mounted read-only for the rest of the build. */
  rootOfImage(image: Image): string {
    if (!this.mountedImages.includes(image)) this.mountedImages.push(image);
    return this.rt.imageStore().mount(image, this.rt.storageDriver(), this.rt.config.storage.mountProgram);
  }

  rootOf(from: string): string {
    return this.rootOfImage(this.fromRef(from));
  }

  /** A step's container goes, unless --rm=false keeps it after a success or --force-rm=false after a failure (ps --external shows those). */
  async removeStep(id: string, ok: boolean): Promise<void> {
    if (ok ? !this.opts.rm : !this.opts.forceRm && !this.cancelled) return;
    await this.ops.containers.remove(id).catch((err: Error) => log.warn(`removing build container ${id}: ${err.message}`));
  }

  /** COPY --from: an earlier stage by name or index, else an image. */
  fromRef(from: string): Image {
    const n = /^\d+$/.test(from) ? Number(from) : undefined;
    if (n !== undefined) {
      const img = this.stageImages.get(n);
      if (!img) throw new InvalidArgumentError(`COPY --from=${from}: there is no earlier stage ${from}`);
      return img;
    }
    for (const [i, name] of this.stageNames) if (name === from.toLowerCase() && this.stageImages.has(i)) return this.stageImages.get(i)!;
    return this.rt.imageStore().resolve(from);
  }

  /** Remembers stage names for --from lookups (called before the stages run). */
  nameStages(stages: Stage[]): void {
    for (const s of stages) this.stageNames.set(s.index, s.name);
  }
}

function processStart(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../rootless/pause-process') as typeof import('../rootless/pause-process')).processStartTime(process.pid) ?? '';
}
