// Store-wide verbs (engine.system): `system df` (what images, containers and volumes take on disk,
// measured, and what could be freed) and `system prune` (stopped containers, unused networks,
// dangling or unused images, unused volumes). Both run inside the user namespace: the files belong
// to subordinate IDs and a container's changes are only readable there.
import type { Runtime } from './runtime';
import { directorySize } from '../src/directory-size';
import { upperSize } from './container/container-diff';
import { parseReference } from './image/reference';

export interface DfImage {
  Repository: string;
  Tag: string;
  ImageID: string;
  Created: number;
  Size: number;
  SharedSize: number;
  UniqueSize: number;
  Containers: number;
}

export interface DfContainer {
  ContainerID: string;
  Image: string;
  Command: string[];
  LocalVolumes: number;
  RWSize: number;
  Created: number;
  Status: string;
  Names: string;
}

export interface DfVolume {
  VolumeName: string;
  Links: number;
  Size: number;
  ReclaimableSize: number;
}

export interface DfReport {
  Images: DfImage[];
  /** The bytes of every stored layer of the images, each layer once. */
  ImagesSize: number;
  Containers: DfContainer[];
  Volumes: DfVolume[];
}

export interface PruneOptions {
  all: boolean;
  volumes: boolean;
  filters: string[];
}

export interface PruneReport {
  containers: Array<{ id: string; error?: Error }>;
  volumes: string[];
  images: Array<{ id: string; error?: Error }>;
  networks: string[];
  reclaimed: number;
}

/** What the other engines do for system prune and df, handed in by the facade (a sub-engine reaches no other engine). */
export interface SystemParts {
  pruneContainers(filters: string[]): Promise<Array<{ id: string; error?: Error }>>;
  pruneVolumes(filters: string[]): Promise<string[]>;
  pruneImages(opts: { all: boolean; filters: string[] }): Array<{ name: string; id?: string; deleted: boolean; error?: Error }>;
  pruneNetworks(filters: string[]): Promise<string[]>;
  volumes(): Array<{ name: string }>;
  volumeDir(name: string): string;
}

export class SystemEngine {
  constructor(
    private readonly rt: Runtime,
    private readonly parts: SystemParts,
  ) {}

  /** `system df`: every image (one row per name), container and volume with its measured size. */
  df(): DfReport {
    const db = this.rt.db();
    const images = this.rt.imageStore().list();
    const containers = this.rt.containers().list();
    const layerSize = new Map<string, number>();
    const layerUsers = new Map<string, number>();
    for (const img of images) {
      for (const l of new Set(img.layers)) {
        layerUsers.set(l, (layerUsers.get(l) ?? 0) + 1);
        if (!layerSize.has(l)) layerSize.set(l, db.getLayer(l)?.size ?? 0);
      }
    }
    const rows: DfImage[] = [];
    for (const img of images) {
      const unique = [...new Set(img.layers)].filter((l) => layerUsers.get(l) === 1).reduce((n, l) => n + layerSize.get(l)!, 0);
      const users = containers.filter((c) => c.spec.imageId === img.id).length;
      const base = { ImageID: img.id.replace(/^sha256:/, ''), Created: img.createdAt, Size: img.size, SharedSize: Math.max(0, img.size - unique), UniqueSize: unique, Containers: users };
      if (img.names.length === 0) rows.push({ Repository: '<none>', Tag: '<none>', ...base });
      for (const name of img.names) {
        const ref = parseReference(name);
        rows.push({ Repository: ref.tag ? name.slice(0, name.length - ref.tag.length - 1) : name, Tag: ref.tag ?? '<none>', ...base });
      }
    }
    const volumes = this.parts.volumes();
    const links = (name: string) => containers.filter((c) => (c.spec.mounts ?? []).some((m) => m.type === 'volume' && m.source === name)).length;
    return {
      Images: rows,
      ImagesSize: [...layerSize.values()].reduce((a, b) => a + b, 0),
      Containers: containers.map((c) => ({
        ContainerID: c.id,
        Image: c.spec.imageId.replace(/^sha256:/, ''),
        Command: c.spec.args,
        LocalVolumes: (c.spec.mounts ?? []).filter((m) => m.type === 'volume').length,
        RWSize: upperSize(this.rt.containers().pathsOf(c).upper),
        Created: c.createdAt,
        Status: c.state,
        Names: c.name,
      })),
      Volumes: volumes.map((v) => {
        const size = directorySize(this.parts.volumeDir(v.name));
        const n = links(v.name);
        return { VolumeName: v.name, Links: n, Size: size, ReclaimableSize: n === 0 ? size : 0 };
      }),
    };
  }

  /**
   * `system prune`: stopped containers, then (with volumes) the volumes no container uses, then
   * dangling images (with all, every image no container uses), then networks no container is on;
   * filters go to each. The bytes freed are measured before each removal.
   */
  async prune(opts: PruneOptions): Promise<PruneReport> {
    const before = this.df();
    const rwOf = new Map(before.Containers.map((c) => [c.ContainerID, c.RWSize]));
    const volOf = new Map(before.Volumes.map((v) => [v.VolumeName, v.Size]));
    let reclaimed = 0;
    const containers = (await this.parts.pruneContainers(opts.filters)).map((r) => ({ id: r.id, error: r.error }));
    for (const r of containers) if (!r.error) reclaimed += rwOf.get(r.id) ?? 0;
    const volumes = opts.volumes ? await this.parts.pruneVolumes(opts.filters) : [];
    for (const v of volumes) reclaimed += volOf.get(v) ?? 0;
    const layersBefore = this.storedLayerBytes();
    const images = this.parts.pruneImages({ all: opts.all, filters: opts.filters }).filter((r) => r.deleted || r.error).map((r) => ({ id: (r.id ?? r.name).replace(/^sha256:/, ''), error: r.error }));
    reclaimed += Math.max(0, layersBefore - this.storedLayerBytes());
    const networks = await this.parts.pruneNetworks(opts.filters);
    return { containers, volumes, images, networks, reclaimed };
  }

  /** The bytes of the layers the images still use, each once. */
  private storedLayerBytes(): number {
    const db = this.rt.db();
    const layers = new Set(this.rt.imageStore().list().flatMap((i) => i.layers));
    let n = 0;
    for (const l of layers) n += db.getLayer(l)?.size ?? 0;
    return n;
  }
}
