// engine.kube: kube generate, kube play and kube down (libpod/kube/). A file's Pods, Deployments,
// DaemonSets and Jobs become pods made by the pod engine's create and containers made by the
// container engine's, handed over by the facade; ConfigMaps and Secrets feed their env and
// volumes, PersistentVolumeClaims are named volumes, Services publish ports through a proxy.
import type { Runtime } from './runtime';

export class KubeEngine {
  constructor(protected readonly rt: Runtime) {}

  /** kube generate (libpod/kube/generate.ts): YAML for containers, pods and volumes; written to req.filename when given. */
  generate(namesOrIds: string[], req: import('./kube/generate').KubeGenerateRequest): import('./kube/generate').KubeGenerateReport {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./kube/generate') as typeof import('./kube/generate')).generateKube(this.rt, namesOrIds, req);
  }
}
