// A container's mounts as Kubernetes sees them: bind mounts are hostPath volumes (Directory or File
// as the host has it now), named volumes persistentVolumeClaims of the same name, tmpfs an emptyDir
// in memory, a -v without a source an emptyDir. The pod's volumes are shared by its containers: one
// volume per host path, claim or tmpfs destination, named once for the whole pod.
import type { MountSpec } from '../volume/volume-spec';
import { isDnsSubdomain, toDnsLabel } from './names';
import { LabelSet, VOLUME_NAME_ANNOTATION } from './generate-names';
import { bytesQuantity } from './generate-quantity';

export type HostPathType = 'Directory' | 'File' | 'DirectoryOrCreate';

export interface KubeVolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

export type KubeVolume = { name: string } & (
  | { hostPath: { path: string; type: HostPathType } }
  | { persistentVolumeClaim: { claimName: string; readOnly?: boolean } }
  | { emptyDir: { medium?: 'Memory'; sizeLimit?: string } }
);

/** The volumes of one pod, each named once however many containers mount it. */
export class PodVolumes {
  readonly volumes: KubeVolume[] = [];
  /** Pod annotations naming the tspod volume behind a claim whose name had to change. */
  readonly annotations: Record<string, string> = {};
  private readonly names = new LabelSet();
  private readonly byKey = new Map<string, string>();

  constructor(private readonly hostPathType: (path: string) => HostPathType) {}

  private add(key: string, base: string, make: (name: string) => KubeVolume): string {
    let name = this.byKey.get(key);
    if (!name) {
      name = this.names.take(base);
      this.byKey.set(key, name);
      this.volumes.push(make(name));
    }
    return name;
  }

  /**
   * The volumeMounts of one container, adding the volumes they need; `imageVolumes` are the
   * image's VOLUME paths (its anonymous volumes, which the image brings again wherever it runs).
   * Returns what could not be carried over, for the output's notes.
   */
  mounts(mounts: MountSpec[], imageVolumes: string[]): { volumeMounts: KubeVolumeMount[]; skipped: string[] } {
    const volumeMounts: KubeVolumeMount[] = [];
    const skipped: string[] = [];
    for (const m of mounts) {
      const name = this.volumeFor(m, imageVolumes);
      if (name === undefined) {
        if (!(m.type === 'volume' && m.anonymous && imageVolumes.includes(m.destination))) skipped.push(`${m.type} mount at ${m.destination}`);
        continue;
      }
      volumeMounts.push({ name, mountPath: m.destination, ...(m.readOnly ? { readOnly: true } : {}), ...(m.subpath ? { subPath: m.subpath } : {}) });
    }
    return { volumeMounts, skipped };
  }

  private volumeFor(m: MountSpec, imageVolumes: string[]): string | undefined {
    switch (m.type) {
      case 'bind': {
        const base = m.source === '/' ? 'root' : m.source;
        return this.add(`bind:${m.source}`, `${toDnsLabel(base, 58)}-host`, (name) => ({ name, hostPath: { path: m.source, type: this.hostPathType(m.source) } }));
      }
      case 'tmpfs': {
        const size = sizeOption(m.tmpfsOptions);
        return this.add(`tmpfs:${m.destination}`, `${toDnsLabel(m.destination, 57)}-tmpfs`, (name) => ({ name, emptyDir: { medium: 'Memory', ...(size ? { sizeLimit: size } : {}) } }));
      }
      case 'volume':
        if (m.anonymous) {
          // The image's own VOLUMEs come back with the image; a -v /path of the user's is a scratch directory.
          if (imageVolumes.includes(m.destination)) return undefined;
          return this.add(`anon:${m.destination}`, `${toDnsLabel(m.destination, 57)}-empty`, (name) => ({ name, emptyDir: {} }));
        }
        return this.add(`volume:${m.source}`, `${toDnsLabel(m.source, 59)}-pvc`, (name) => {
          const claimName = claimNameOf(m.source);
          if (claimName !== m.source) this.annotations[`${VOLUME_NAME_ANNOTATION}/${claimName}`] = m.source;
          return { name, persistentVolumeClaim: { claimName } };
        });
      default:
        return undefined;
    }
  }
}

/** A volume's claim (and PersistentVolumeClaim) name: the volume's own when valid, else its label. */
export function claimNameOf(volume: string): string {
  return isDnsSubdomain(volume) && volume.length <= 63 ? volume : toDnsLabel(volume);
}

/** tmpfs's size= (bytes, or with k/m/g) as a quantity. */
function sizeOption(options: string[] | undefined): string | undefined {
  const o = options?.find((x) => x.startsWith('size='));
  const m = o && /^size=(\d+)([kmg]?)$/i.exec(o);
  if (!m) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return bytesQuantity(Number(m[1]) * unit);
}
