// An image's `inspect` report (Podman's ImageInspect shape): for `image inspect`, and for the
// top-level `inspect` when a name is no container.
import type { Image } from './image-store';
import type { LayerStore } from '../storage/layer-store';

export function inspectImage(img: Image, layers: LayerStore): Record<string, unknown> {
  const lowers = [...img.layers].reverse().map((l) => layers.diffDir(l));
  const c = img.config;
  return {
    Id: img.id.slice(7),
    Digest: img.digest ?? img.id,
    RepoTags: img.names,
    RepoDigests: img.repoDigests,
    Parent: '',
    Comment: c.history?.[c.history.length - 1]?.comment ?? '',
    Created: c.created ?? new Date(img.createdAt).toISOString(),
    Config: c.config ?? {},
    Version: '',
    Author: c.author ?? '',
    Architecture: c.architecture,
    Os: c.os,
    Size: img.size,
    VirtualSize: img.size,
    GraphDriver: { Name: 'overlay', Data: { LowerDir: lowers.slice(1).join(':') || undefined, UpperDir: lowers[0] } },
    RootFS: { Type: 'layers', Layers: c.rootfs.diff_ids },
    Labels: c.config?.Labels ?? null,
    Annotations: {},
    ManifestType: 'application/vnd.oci.image.manifest.v1+json',
    User: c.config?.User ?? '',
    History: c.history ?? [],
    NamesHistory: img.names,
  };
}
