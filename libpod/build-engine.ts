// engine.builds: `tspod build` and the build cache (libpod/build/). The container engine's create,
// run and kill are handed over by the facade: a build's steps are containers like any other, marked
// as the build's (ps --external shows them, rm leaves them to the build).
import fs from 'node:fs';
import path from 'node:path';
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
  manifestList: () => require('./image/manifest-list') as typeof import('./image/manifest-list'),
  pullFlags: () => require('./image/pull-flags') as typeof import('./image/pull-flags'),
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
  async build(opts: BuildOptions, given: BuildIo): Promise<BuildReport> {
    this.rt.db();
    // --logfile: what would go to stdout and stderr goes there instead.
    const log = opts.logFile ? fs.createWriteStream(opts.logFile, { flags: 'a', mode: 0o644 }) : undefined;
    const io: BuildIo = log ? { stdin: given.stdin, stdout: log, stderr: log } : given;
    try {
      return await this.buildWith(opts, io);
    } finally {
      if (log) await new Promise<void>((resolve) => log.end(resolve));
    }
  }

  private async buildWith(opts: BuildOptions, io: BuildIo): Promise<BuildReport> {
    const tmp = path.join(this.rt.paths.root, 'tmp');
    fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
    const ctx = await lazy.context().openContext({ context: opts.context, files: opts.files, ignoreFile: opts.ignoreFile, tmpDir: tmp, stdin: io.stdin });
    try {
      const df = lazy.dockerfile().parseDockerfile(ctx.dockerfile.text, ctx.dockerfile.name);
      const given = lazy.manifestList().parseAnnotations(opts.annotations); // checked before any step runs
      const progress = lazy.progress().progressFor(io.stderr as NodeJS.WriteStream, opts.quiet);
      const pulling = opts.pulling ?? {};
      const { pull } = lazy.pullFlags().checkPulling(pulling); // the registry flags as pull and run check them
      const steps = new (lazy.stepContainers().StepContainers)(this.rt);
      const executor = new (lazy.executor().BuildExecutor)(this.rt, {
        create: (o) => this.containers.create(o),
        run: (o) => this.containers.run(o, io),
        kill: (name) => this.containers.kill(name),
        containers: steps,
        pull: (ref) => lazy.imagePull().pullImage(this.rt, ref, { ...pull, progress }),
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
      const annotations = { ...(opts.inheritAnnotations ? executor.finalBaseAnnotations : {}), ...given };
      return await this.finish(image, opts, io, annotations);
    } finally {
      ctx.close();
    }
  }

  /** The built image named, squashed, exported and reported as Podman prints it. */
  private async finish(built: Image, opts: BuildOptions, io: BuildIo, annotations: Record<string, string>): Promise<BuildReport> {
    const out = lazy.output();
    let image = built;
    const store = this.rt.imageStore();
    const names = opts.tags;
    if (!opts.quiet) io.stdout.write(`COMMIT${names.length ? ` ${names[0]}` : ''}\n`);
    image = store.nameBuilt(image.id, names, annotations);
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
   * `builder prune`: the build cache's step images. Without all, those no named image was built
   * from (abandoned builds' steps); with all, every one. What it frees is the layers no image keeps.
   */
  async prune(opts: { all: boolean; filters: string[] }): Promise<BuildPruneReport> {
    const store = this.rt.imageStore();
    const keep = lazy.output().pruneFilter(opts.filters);
    const images = store.list();
    const named = images.filter((i) => !i.buildStep);
    const steps = images.filter((i) => i.buildStep && i.names.length === 0 && keep(i));
    const chosen = opts.all ? steps : steps.filter((s) => !named.some((n) => lazy.output().builtFrom(n, s)));
    if (!chosen.length) return { removed: [], reclaimedBytes: 0 };
    const sizes = new Map(chosen.flatMap((i) => i.layers).map((l) => [l, this.rt.db().getLayer(l)?.size ?? 0] as const));
    const results = await this.containers.removeImages(chosen.map((i) => i.id));
    const removed = results.filter((r) => !r.error).map((r) => r.id);
    const left = new Set(store.list().flatMap((i) => i.layers));
    const freed = new Set(chosen.filter((i) => removed.includes(i.id)).flatMap((i) => i.layers).filter((l) => !left.has(l)));
    const reclaimedBytes = [...freed].reduce((n, l) => n + (sizes.get(l) ?? 0), 0);
    return { removed, reclaimedBytes };
  }
}

