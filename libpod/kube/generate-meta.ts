// A pod's labels and annotations from its containers': the "app" label Podman selects pods by, the
// labels the user gave (not the image's), each container's --annotation under "<key>/<container>"
// as Podman keys them, and with --podman-only what only Podman and tspod read (autoremove, init...).
// Anything Kubernetes would refuse is left out with a note, never written invalid.
import type { Container } from '../container/container';
import { isDnsSubdomain } from './names';
import type { PodSource } from './generate-pod';

const QUALIFIED = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A label or annotation key Kubernetes takes: [DNS-subdomain "/"] name of at most 63. */
export function validKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = key.slice(slash + 1);
  return (slash < 0 || isDnsSubdomain(key.slice(0, slash))) && name.length <= 63 && QUALIFIED.test(name);
}

export function validLabel(key: string, value: string): boolean {
  return validKey(key) && value.length <= 63 && LABEL_VALUE.test(value);
}

/** Podman's reserved annotations: they describe Podman's own handling, Kubernetes has no use for them. */
const PODMAN_RESERVED = new Set([
  'io.podman.annotations.cid-file',
  'io.podman.annotations.autoremove',
  'io.podman.annotations.privileged',
  'io.podman.annotations.publish-all',
  'io.podman.annotations.init',
  'io.podman.annotations.label',
  'io.podman.annotations.seccomp',
  'io.podman.annotations.apparmor',
  'io.podman.annotations.volumes-from',
]);

/** With --podman-only, the container's Podman-only facts as Podman's reserved annotations. */
export function podmanOnlyAnnotations(c: Container, name: string, podmanOnly: boolean): Record<string, string> {
  if (!podmanOnly) return {};
  const out: Record<string, string> = {};
  if (c.spec.autoRemove) out[`io.podman.annotations.autoremove/${name}`] = 'TRUE';
  if (c.spec.init) out[`io.podman.annotations.init/${name}`] = 'TRUE';
  if (c.spec.security?.privileged) out[`io.podman.annotations.privileged/${name}`] = 'TRUE';
  if (c.spec.cidFile) out[`io.podman.annotations.cid-file/${name}`] = c.spec.cidFile;
  return out;
}

/** The labels a container was given beyond its image's. */
function ownLabels(c: Container, imageLabels: Record<string, string>): Array<[string, string]> {
  return Object.entries(c.spec.labels).filter(([k, v]) => imageLabels[k] !== v);
}

/**
 * The pod's labels ("app" first) and the annotations its containers carry; `names` are the
 * containers' names in the YAML, in the order of src.members.
 */
export function labelsAndAnnotations(src: PodSource, podName: string, names: string[], podmanOnly: boolean, notes: string[]): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels: Record<string, string> = { app: podName };
  const annotations: Record<string, string> = {};
  const addLabel = (k: string, v: string, from: string) => {
    if (k === 'app' || labels[k] === v) return;
    if (labels[k] !== undefined) notes.push(`${from}: label ${k}=${v} clashes with ${k}=${labels[k]} and is left out`);
    else if (validLabel(k, v)) labels[k] = v;
    else if (validKey(k) && annotations[k] === undefined) {
      annotations[k] = v;
      notes.push(`${from}: label ${k} is not a valid Kubernetes label value and is written as an annotation`);
    } else notes.push(`${from}: label ${k}=${v} is not a valid Kubernetes label and is left out`);
  };
  for (const [k, v] of Object.entries(src.pod?.spec.labels ?? {})) addLabel(k, v, `pod ${src.pod!.name}`);
  src.members.forEach((m, i) => {
    const c = m.container;
    for (const [k, v] of ownLabels(c, m.imageConfig?.Labels ?? {})) addLabel(k, v, `container ${c.name}`);
    for (const [k, v] of Object.entries(c.spec.annotations ?? {})) {
      if (!podmanOnly && PODMAN_RESERVED.has(k)) continue;
      // Podman's "<key>/<container>"; a key that already has a "/" can only stand alone, for a pod of one container.
      const key = validKey(`${k}/${names[i]}`) ? `${k}/${names[i]}` : src.members.length === 1 && validKey(k) ? k : undefined;
      if (key) annotations[key] = v;
      else notes.push(`container ${c.name}: annotation ${k} is not a valid Kubernetes annotation key and is left out`);
    }
  });
  return { labels, annotations };
}
