// The `manifest` verbs over the Runtime: lists made of local images (their manifest as `push`
// writes it) and of manifests in registries (an image, or an index's entries), annotated, inspected,
// pushed with their images, removed. Images named without a transport are local images when the
// store has them, else registry references (Podman would go to the registry only, and needs
// containers-storage: for a local image); docker:// and containers-storage: say which.
import fs from 'node:fs';
import { InvalidArgumentError, NoSuchImageError, RegistryError } from '../../src/errors';
import type { ProgressSink } from '../../src/progress';
import type { Runtime } from '../runtime';
import { loadRegistriesConf } from '../config/registries-conf';
import { withLock } from '../lock/file-lock';
import { ociArch } from '../../src/arch';
import { lookupCredentials, parseCreds } from './auth-file';
import { imageManifest, pushImage } from './image-push';
import { isIndex, selectFromIndex, wantedPlatform, type Descriptor } from './manifest';
import { ManifestListStore, findInstance, indexDocument, parseAnnotations, type InstancePlatform, type ListInstance, type ManifestList } from './manifest-list';
import { formatReference, localImageName, normalizeReference } from './reference';
import { MANIFEST_TYPES, RegistryClient } from './registry-client';
import { endpointsFor } from './registry-resolver';

export interface RegistryAccess {
  tlsVerify?: boolean;
  creds?: string;
  authFile?: string;
  /** --cert-dir: the registry's *.crt, *.cert and *.key (default: its certs.d directory). */
  certDir?: string;
}

export interface AddOptions extends RegistryAccess {
  all?: boolean;
  annotations?: string[];
  arch?: string;
  os?: string;
  variant?: string;
  osVersion?: string;
  features?: string[];
}

export interface AnnotateOptions {
  annotations: string[];
  index?: boolean;
  arch?: string;
  os?: string;
  variant?: string;
  osVersion?: string;
  osFeatures?: string[];
  features?: string[];
}

export interface PushListOptions extends RegistryAccess {
  all: boolean;
  rm?: boolean;
  format?: string;
  digestFile?: string;
  progress: ProgressSink;
}

const storeOf = (rt: Runtime) => new ManifestListStore(`${rt.paths.root}/manifests`);
const locked = <T>(rt: Runtime, fn: (s: ManifestListStore) => Promise<T> | T) => withLock(storeOf(rt).lockFile, () => fn(storeOf(rt)), 'lock of the manifest lists');

/** A client for the repository of ref (domain/path), with the credentials the user gave or stored. */
function clientFor(rt: Runtime, reference: string, access: RegistryAccess): { client: RegistryClient; repo: string; ref: ReturnType<typeof normalizeReference> } {
  const ref = normalizeReference(reference);
  const conf = loadRegistriesConf(rt.paths.configDir);
  const ep = endpointsFor(ref, conf, access.tlsVerify).filter((e) => !e.mirror)[0];
  const creds = access.creds ? parseCreds(access.creds) : lookupCredentials(ep.host, access.authFile);
  return { client: new RegistryClient({ host: ep.host, insecure: ep.insecure, certDir: access.certDir }, creds, formatReference(ref)), repo: ep.repo, ref };
}

/** "docker://x", "containers-storage:x" or a bare name: where the image is, and its name there. */
function splitTransport(spec: string): { where: 'local' | 'registry' | 'either'; name: string } {
  if (spec.startsWith('docker://')) return { where: 'registry', name: spec.slice('docker://'.length) };
  if (spec.startsWith('containers-storage:')) return { where: 'local', name: spec.slice('containers-storage:'.length) };
  if (/^[a-z-]+:(?!\d)/.test(spec) && !spec.includes('/')) throw new InvalidArgumentError(`unsupported transport in "${spec}": use docker:// or containers-storage:`);
  return { where: 'either', name: spec };
}

function platformOverride(p: InstancePlatform | undefined, o: { arch?: string; os?: string; variant?: string; osVersion?: string; features?: string[]; osFeatures?: string[] }): InstancePlatform | undefined {
  const given = o.arch || o.os || o.variant || o.osVersion || o.features?.length || o.osFeatures?.length;
  if (!given) return p;
  const next: InstancePlatform = { ...(p ?? { os: '', architecture: '' }) };
  if (o.arch) next.architecture = o.arch;
  if (o.os) next.os = o.os;
  if (o.variant) next.variant = o.variant;
  if (o.osVersion) next['os.version'] = o.osVersion;
  if (o.osFeatures?.length) next['os.features'] = o.osFeatures;
  if (o.features?.length) next.features = o.features;
  return next;
}

/** The instances an image spec stands for: one local image, or a registry's image (or index entries). */
async function instancesOf(rt: Runtime, spec: string, o: AddOptions): Promise<ListInstance[]> {
  const { where, name } = splitTransport(spec);
  if (where !== 'registry') {
    const image = rt.imageStore().list().length ? tryResolve(rt, name) : undefined;
    if (image) {
      const m = imageManifest(rt.db(), rt.layerStore(), image);
      const cfg = JSON.parse(JSON.parse(image.record).configJson as string) as { architecture?: string; os?: string; variant?: string };
      const platform: InstancePlatform = { architecture: cfg.architecture ?? ociArch(), os: cfg.os ?? 'linux', ...(cfg.variant ? { variant: cfg.variant } : {}) };
      return [{ ...m, platform, source: { imageId: image.id } }];
    }
    if (where === 'local') throw new NoSuchImageError(name);
  }
  const { client, repo, ref } = clientFor(rt, name, o);
  const m = await client.getManifest(repo, ref.digest ?? ref.tag ?? 'latest');
  const repository = `${ref.domain}/${ref.path}`;
  if (isIndex(m)) {
    const entries = (JSON.parse(m.body.toString()) as { manifests?: Descriptor[] }).manifests ?? [];
    const chosen = o.all ? entries : [selectFromIndex(m, wantedPlatform({ os: o.os, arch: o.arch, variant: o.variant }, ociArch()), formatReference(ref))];
    return chosen.map((d) => ({ mediaType: d.mediaType, digest: d.digest, size: d.size, ...(d.platform ? { platform: d.platform } : {}), source: { repository } }));
  }
  const body = JSON.parse(m.body.toString()) as { config?: { digest: string } };
  const cfg = body.config ? (JSON.parse((await client.getBlob(repo, body.config.digest)).toString()) as { architecture?: string; os?: string; variant?: string }) : {};
  const platform: InstancePlatform = { architecture: cfg.architecture ?? '', os: cfg.os ?? '', ...(cfg.variant ? { variant: cfg.variant } : {}) };
  return [{ mediaType: m.mediaType, digest: m.digest, size: m.body.length, platform, source: { repository } }];
}

function tryResolve(rt: Runtime, name: string) {
  try {
    return rt.imageStore().resolve(name);
  } catch (err) {
    if (err instanceof NoSuchImageError) return undefined;
    throw err;
  }
}

/** Adds the instances (replacing one of the same digest), with the overrides and annotations given. */
async function addTo(rt: Runtime, list: ManifestList, specs: string[], o: AddOptions): Promise<void> {
  const annotations = parseAnnotations(o.annotations ?? []);
  for (const spec of specs) {
    for (const inst of await instancesOf(rt, spec, o)) {
      inst.platform = platformOverride(inst.platform, o);
      if (Object.keys(annotations).length) inst.annotations = { ...inst.annotations, ...annotations };
      list.instances = [...list.instances.filter((i) => i.digest !== inst.digest), inst];
    }
  }
}

export async function createList(rt: Runtime, name: string, images: string[], o: AddOptions & { amend?: boolean }): Promise<string> {
  const local = localImageName(name);
  if (tryResolve(rt, local)) throw new InvalidArgumentError(`image name "${local}" is already associated with an image: choose another name for the manifest list, or remove the image (tspod rmi ${local})`);
  const annotations = parseAnnotations(o.annotations ?? []);
  // Reading registries happens before the lock: a slow registry does not hold other list changes.
  const scratch = storeOf(rt).create(local);
  await addTo(rt, scratch, images, { ...o, annotations: [] });
  return locked(rt, (s) => {
    const existing = s.find(name, local);
    if (existing && !o.amend) throw new InvalidArgumentError(`creating manifest list ${local}: a manifest list of that name exists (${existing.id.slice(0, 12)}): add to it with "tspod manifest add", or pass --amend`);
    const list = existing ?? scratch;
    if (existing) for (const inst of scratch.instances) list.instances = [...list.instances.filter((i) => i.digest !== inst.digest), inst];
    if (Object.keys(annotations).length) list.annotations = { ...list.annotations, ...annotations };
    s.save(list);
    return list.id;
  });
}

export async function addToList(rt: Runtime, name: string, images: string[], o: AddOptions): Promise<string> {
  if (images.length === 0) throw new InvalidArgumentError('manifest add requires at least one image');
  storeOf(rt).resolve(name, localImageName(name));
  const scratch = storeOf(rt).create('');
  await addTo(rt, scratch, images, o);
  return locked(rt, (s) => {
    const list = s.resolve(name, localImageName(name));
    for (const inst of scratch.instances) list.instances = [...list.instances.filter((i) => i.digest !== inst.digest), inst];
    s.save(list);
    return list.id;
  });
}

export async function annotateList(rt: Runtime, name: string, instance: string | undefined, o: AnnotateOptions): Promise<string> {
  if (o.index && instance !== undefined) throw new InvalidArgumentError(`did not expect image or artifact name "${instance}" when modifying the entire index`);
  if (!o.index && instance === undefined) throw new InvalidArgumentError('expected either a list name and --index or a list name and an image digest or image name or artifact name');
  const annotations = parseAnnotations(o.annotations);
  return locked(rt, (s) => {
    const list = s.resolve(name, localImageName(name));
    if (o.index) list.annotations = { ...list.annotations, ...annotations };
    else {
      const image = tryResolve(rt, instance!);
      const inst = image ? list.instances.find((i) => 'imageId' in i.source && i.source.imageId === image.id) ?? findInstance(list, instance!) : findInstance(list, instance!);
      inst.platform = platformOverride(inst.platform, o);
      if (Object.keys(annotations).length) inst.annotations = { ...inst.annotations, ...annotations };
    }
    s.save(list);
    return list.id;
  });
}

export function removeFromList(rt: Runtime, name: string, digest: string): Promise<string> {
  return locked(rt, (s) => {
    const list = s.resolve(name, localImageName(name));
    const inst = findInstance(list, digest);
    list.instances = list.instances.filter((i) => i !== inst);
    s.save(list);
    return list.id;
  });
}

export function listExists(rt: Runtime, name: string): boolean {
  return storeOf(rt).find(name, localImageName(name)) !== undefined;
}

/** `manifest rm`: each list's untagged names and its ID, or the error for that name. */
export function removeLists(rt: Runtime, names: string[], ignore: boolean): Promise<Array<{ name: string; untagged: string[]; deleted?: string; error?: Error }>> {
  return locked(rt, (s) =>
    names.map((name) => {
      const list = s.find(name, localImageName(name));
      if (!list) return ignore ? { name, untagged: [] } : { name, untagged: [], error: new NoSuchImageError(name) };
      s.remove(list);
      return { name, untagged: list.names, deleted: list.id };
    }),
  );
}

/** `manifest inspect`: the local list's index, else the manifest of that reference in its registry. */
export async function inspectList(rt: Runtime, name: string, access: RegistryAccess): Promise<string> {
  const list = storeOf(rt).find(name, localImageName(name));
  if (list) return JSON.stringify(indexDocument(list), null, 4);
  const { where, name: ref } = splitTransport(name);
  if (where === 'local') throw new NoSuchImageError(ref);
  const { client, repo, ref: r } = clientFor(rt, ref, access);
  const m = await client.getManifest(repo, r.digest ?? r.tag ?? 'latest');
  return JSON.stringify(JSON.parse(m.body.toString()), null, 4);
}

/** `manifest push`: the images (with --all) by digest into the destination's repository, then the list under its tag. */
export async function pushList(rt: Runtime, name: string, destination: string | undefined, o: PushListOptions): Promise<string> {
  const list = storeOf(rt).resolve(name, localImageName(name));
  const dest = destination?.startsWith('docker://') ? destination.slice('docker://'.length) : (destination ?? list.names[0]);
  if (destination && /^[a-z-]+:(?!\d)/.test(destination) && !destination.startsWith('docker://') && !destination.includes('/')) throw new InvalidArgumentError(`unsupported destination "${destination}": manifest lists go to registries (docker://)`);
  const format = o.format === undefined || o.format === '' ? list.mediaType : o.format === 'oci' ? MANIFEST_TYPES.ociIndex : o.format === 'v2s2' ? MANIFEST_TYPES.dockerList : undefined;
  if (!format) throw new InvalidArgumentError(`unsupported manifest format "${o.format}": use oci or v2s2`);
  const { client, repo, ref } = clientFor(rt, dest, o);
  const repository = `${ref.domain}/${ref.path}`;
  if (o.all) {
    for (const inst of list.instances) {
      if ('imageId' in inst.source) {
        const image = rt.imageStore().resolve(inst.source.imageId);
        await pushImage(rt.db(), rt.layerStore(), loadRegistriesConf(rt.paths.configDir), image, `${repository}@${inst.digest}`, { credentials: o.creds ? parseCreds(o.creds) : undefined, authFile: o.authFile, tlsVerify: o.tlsVerify, progress: o.progress });
      } else await copyRemote(rt, inst, inst.source.repository, client, repo, ref.domain, o);
    }
  }
  const body = Buffer.from(JSON.stringify({ ...indexDocument(list), mediaType: format }));
  o.progress.line('Writing manifest list to image destination');
  const digest = await client.putManifest(repo, ref.tag ?? ref.digest ?? 'latest', body, format);
  if (!digest.startsWith('sha256:')) throw new RegistryError(`registry returned an unexpected digest ${digest}`);
  o.progress.finish();
  if (o.digestFile) fs.writeFileSync(o.digestFile, digest);
  if (o.rm) await locked(rt, (s) => s.remove(list));
  return digest;
}

/** A manifest of another repository copied by digest: its blobs mounted (same registry) or sent through, then the manifest. */
async function copyRemote(rt: Runtime, inst: ListInstance, from: string, to: RegistryClient, toRepo: string, toDomain: string, o: PushListOptions): Promise<void> {
  const src = clientFor(rt, `${from}@${inst.digest}`, o);
  const m = await src.client.getManifest(src.repo, inst.digest);
  if (isIndex(m)) throw new InvalidArgumentError(`instance ${inst.digest} of the list is itself a list: add its entries with "tspod manifest add --all" instead`);
  const body = JSON.parse(m.body.toString()) as { config?: Descriptor; layers?: Descriptor[] };
  const sameRegistry = src.ref.domain === toDomain;
  for (const d of [...(body.layers ?? []), ...(body.config ? [body.config] : [])]) {
    if (await to.blobExists(toRepo, d.digest)) continue;
    if (sameRegistry && (await to.mountBlob(toRepo, d.digest, src.repo))) continue;
    o.progress.blobStart(d.digest, d.size, 0);
    await to.uploadBlob(toRepo, d.digest, d.size, () => src.client.blobStream(src.repo, d.digest, 0, d.size));
    o.progress.blobDone(d.digest, 'done');
  }
  await to.putManifest(toRepo, inst.digest, m.body, m.mediaType);
}
