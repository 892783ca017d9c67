// engine.kube: kube generate, kube play and kube down (libpod/kube/). A file's Pods, Deployments,
// DaemonSets and Jobs become pods made by the pod engine's create and containers made by the
// container engine's, handed over by the facade; ConfigMaps and Secrets feed their env and
// volumes, PersistentVolumeClaims are named volumes, Services publish ports through a proxy.
import type { Runtime } from './runtime';
import type { KubeOps } from './kube/kube-ops';
import type { KubeDownOptions, KubeDownReport, KubePlayOptions, KubePlayReport, PlayIo } from './kube/play-types';

/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  play: () => require('./kube/play') as typeof import('./kube/play'),
  down: () => require('./kube/down') as typeof import('./kube/down'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export type { KubeOps, OpReport } from './kube/kube-ops';

export class KubeEngine {
  /** What the last play made, for --wait's teardown. */
  private played?: import('./kube/play-made').Made;

  constructor(
    protected readonly rt: Runtime,
    protected readonly ops: KubeOps,
  ) {}

  /** `kube play`: everything checked before anything is made; a failure removes what this play made. Inside the namespace. */
  async play(opts: KubePlayOptions, io: PlayIo): Promise<KubePlayReport> {
    const { report, made } = await lazy.play().playKube(this.rt, this.ops, opts, io);
    this.played = made;
    return report;
  }

  /**
   * `kube play --wait` after the report was printed: waits for ctrl-c, SIGTERM or every pod of the
   * play to have exited, then removes what the play made. Its exit code: a Job's non-zero one when all exited, else 0.
   */
  async waitPlayed(io: PlayIo): Promise<number> {
    return this.played ? lazy.play().waitAndTeardown(this.rt, this.ops, this.played, io) : 0;
  }

  /** `kube down`: the pods (with their containers), proxies and files the file's objects made; --force: its claims' volumes. */
  async down(opts: KubeDownOptions, io: PlayIo): Promise<KubeDownReport> {
    return lazy.down().downKube(this.rt, this.ops, opts, io);
  }

  /** kube generate (libpod/kube/generate.ts): YAML for containers, pods and volumes; written to req.filename when given. */
  generate(namesOrIds: string[], req: import('./kube/generate').KubeGenerateRequest): import('./kube/generate').KubeGenerateReport {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./kube/generate') as typeof import('./kube/generate')).generateKube(this.rt, namesOrIds, req);
  }
}
