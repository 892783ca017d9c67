// engine.builds: `tspod build` and the build cache (libpod/build/). The container engine's create,
// run and kill are handed over by the facade: a build's steps are containers like any other, marked
// as the build's (ps --external shows them, rm leaves them to the build).
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../src/errors';
import type { Runtime } from './runtime';
import type { Image } from './image/image-store';
import type { CreateOptions } from './container/create-spec';
import type { BuildIo, BuildOptions, BuildPruneReport, BuildReport } from './build/types';

/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  executor: () => require('./build/executor') as typeof import('./build/executor'),
  context: () => require('./build/build-context') as typeof import('./build/build-context'),
  dockerfile: () => require('./build/dockerfile') as typeof import('./build/dockerfile'),
  stepContainers: () => require('./container/step-containers') as typeof import('./container/step-containers'),
  imagePull: () => require('./image/image-pull') as typeof import('./image/image-pull'),
  progress: () => require('../src/progress') as typeof import('../src/progress'),
  output: () => require('./build/build-output') as typeof import('./build/build-output'),
  reference: () => require('./image/reference') as typeof import('./image/reference'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The container engine's operations a build uses (the facade binds them). */
export interface ContainerOps {
  create(opts: CreateOptions): Promise<{ id: string }>;
  run(opts: CreateOptions, io: BuildIo): Promise<{ id: string; exitCode: number }>;
  kill(name: string): Promise<void>;
  /** Images removed with the containers that use them (builder prune). */
  removeImages(ids: string[]): Promise<Array<{ id: string; error?: Error }>>;
}

export class BuildEngine {
  constructor(
    private readonly rt: Runtime,
    private readonly containers: ContainerOps,
  ) {}

  /** `build`: the image a Containerfile describes, in tspod's store. Inside the namespace. */
  async build(opts: BuildOptions, io: BuildIo): Promise<BuildReport> {
    this.rt.db();
    const tmp = path.join(this.rt.paths.root, 'tmp');
    fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
    const ctx = await lazy.context().openContext({ context: opts.context, files: opts.files, ignoreFile: opts.ignoreFile, tmpDir: tmp, stdin: io.stdin });
    try {
      const df = lazy.dockerfile().parseDockerfile(ctx.dockerfile.text, ctx.dockerfile.name);
      const progress = lazy.progress().progressFor(io.stderr as NodeJS.WriteStream, opts.quiet);
      const pulling = opts.pulling ?? {};
      const retry = pulling.retry === undefined ? undefined : Number(pulling.retry);
      const steps = new (lazy.stepContainers().StepContainers)(this.rt);
      const executor = new (lazy.executor().BuildExecutor)(this.rt, {
        create: (o) => this.containers.create(o),
        run: (o) => this.containers.run(o, io),
        kill: (name) => this.containers.kill(name),
        containers: steps,
        pull: (ref) => lazy.imagePull().pullImage(this.rt, ref, { progress, creds: pulling.creds, authFile: pulling.authFile, tlsVerify: pulling.tlsVerify, certDir: pulling.certDir, retry }),
      }, opts, io, ctx);
      const onSignal = () => executor.cancel();
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let image: Image;
      try {
        image = await executor.build(df);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      if (opts.squash || opts.squashAll || !opts.layers) image = await lazy.output().squash(this.rt, steps, (o) => this.containers.create(o), (img) => executor.stepCreateOptions(img, ['true'], {}), image, opts.squashAll ? 0 : executor.finalBaseLayers);
      return await this.finish(image, opts, io);
    } finally {
      ctx.close();
    }
  }

  /** The built image named, squashed, exported and reported as Podman prints it. */
  private async finish(built: Image, opts: BuildOptions, io: BuildIo): Promise<BuildReport> {
    const out = lazy.output();
    let image = built;
    const store = this.rt.imageStore();
    const names = opts.tags;
    if (!opts.quiet) io.stdout.write(`COMMIT${names.length ? ` ${names[0]}` : ''}\n`);
    image = store.nameBuilt(image.id, names, annotationsOf(opts.annotations));
    if (!opts.quiet) {
      io.stdout.write(`--> ${image.id.slice(7, 18)}\n`);
      for (const t of names) io.stdout.write(`Successfully tagged ${lazy.reference().localImageName(t)}\n`);
    }
    if (opts.output) await out.exportImage(this.rt, image, opts.output, io);
    io.stdout.write(`${image.id.slice(7)}\n`);
    if (opts.iidFile) fs.writeFileSync(opts.iidFile, image.id);
    return { id: image.id, names: image.names };
  }

  /**
   * `builder prune`: the build cache's step images that nothing needs (no name, not a layer of a
   * named image's chain is irrelevant: layers stay while any image uses them), all of them with all.
   */
  async prune(opts: { all: boolean; filters: string[] }): Promise<BuildPruneReport> {
    if (opts.filters.length) {
      for (const f of opts.filters) if (!/^(until|label)=/.test(f)) throw new InvalidArgumentError(`invalid filter "${f}" for builder prune: use until=TIMESTAMP or label=KEY[=VALUE]`);
    }
    const store = this.rt.imageStore();
    const steps = store.list().filter((i) => i.buildStep && i.names.length === 0);
    const keep = lazy.output().pruneFilter(opts.filters);
    const chosen = steps.filter(keep);
    const reclaimed = chosen.reduce((n, i) => n + i.size, 0);
    const results = await this.containers.removeImages(chosen.map((i) => i.id));
    const removed = results.filter((r) => !r.error).map((r) => r.id);
    void opts.all;
    return { removed, reclaimedBytes: removed.length ? reclaimed : 0 };
  }
}

/** --annotation K=V (a K alone is an empty value, as a label). */
function annotationsOf(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of list) {
    const eq = a.indexOf('=');
    out[eq < 0 ? a : a.slice(0, eq)] = eq < 0 ? '' : a.slice(eq + 1);
  }
  return out;
}
