// An image's `inspect` report (Podman's ImageInspect shape): for `image inspect`, and for the
// top-level `inspect` when a name is no container.
import type { Image } from './image-store';
import type { LayerStore } from '../storage/layer-store';

type History = NonNullable<Image['config']['history']>[number];
const sameHistory = (a: History, b: History) => a.created === b.created && a.created_by === b.created_by && a.author === b.author && a.comment === b.comment && !a.empty_layer === !b.empty_layer;

/**
 * The local image this one was made from, as Podman finds a Parent: its top layer is the child's
 * or the one under it, its layers begin the child's, and its history is the child's but for one
 * last step (what a commit or a build step adds).
 */
export function parentImage(child: Image, candidates: Image[]): Image | undefined {
  const [top, under] = [child.layers.at(-1), child.layers.at(-2)];
  const childDiffs = child.config.rootfs.diff_ids;
  const childHistory = child.config.history ?? [];
  return candidates.find((p) => {
    if (p.id === child.id) return false;
    const pTop = p.layers.at(-1);
    if (pTop !== top && (pTop === undefined || pTop !== under)) return false;
    const diffs = p.config.rootfs.diff_ids;
    const history = p.config.history ?? [];
    return diffs.length <= childDiffs.length && diffs.every((d, i) => d === childDiffs[i]) && history.length + 1 === childHistory.length && history.every((h, i) => sameHistory(h, childHistory[i]));
  });
}

/** Podman 5's ImageData for the image; candidates: the local images, to find its Parent among. */
export function inspectImage(img: Image, layers: LayerStore, candidates: Image[] = []): Record<string, unknown> {
  const lowers = [...img.layers].reverse().map((l) => layers.diffDir(l));
  const c = img.config;
  return {
    Id: img.id.slice(7),
    Digest: img.digest ?? img.id,
    RepoTags: img.names,
    RepoDigests: img.repoDigests,
    Parent: parentImage(img, candidates)?.id.slice(7) ?? '',
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
    Annotations: img.annotations ?? null, // the manifest's: a build's --annotation (Podman shows null for a manifest without any)
    ManifestType: 'application/vnd.oci.image.manifest.v1+json',
    User: c.config?.User ?? '',
    History: c.history ?? [],
    NamesHistory: img.names,
  };
}
