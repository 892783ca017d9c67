// engine.builds: `tspod build` and the build cache (libpod/build/).
import { TspodError } from '../src/errors';
import type { Runtime } from './runtime';
import type { BuildIo, BuildOptions, BuildPruneReport, BuildReport } from './build/types';

export class BuildEngine {
  constructor(private readonly rt: Runtime) {}

  /** `build`: the image a Containerfile describes, in tspod's store. Inside the namespace. */
  async build(opts: BuildOptions, io: BuildIo): Promise<BuildReport> {
    void opts;
    void io;
    void this.rt;
    throw new TspodError('build: under construction');
  }

  /** `builder prune`: the build cache's intermediate images (all of them, or those no tagged image needs). */
  async prune(opts: { all: boolean; filters: string[] }): Promise<BuildPruneReport> {
    void opts;
    throw new TspodError('builder prune: under construction');
  }
}
