// Images from and to the file transports (docker-archive:, oci-archive:, oci:, dir:) for pull,
// run, create and push. The image is read from the file or directory like a load, and named as
// Podman names it: a docker-archive by its RepoTags (or the name asked for), an OCI layout by the
// name asked for or its ref.name annotation, a dir: image not at all (its ID only).
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import type { ProgressSink } from '../../src/progress';
import type { Runtime } from '../runtime';
import { mappedIdLimits } from '../rootless/user-namespace';
import { readImageSource, saveImages, writeDirImage, writeOciDir, type SourceKind } from './image-archive';
import type { Image } from './image-store';
import { formatReference, localImageName, normalizeReference } from './reference';
import type { TransportRef } from './transport';

function mustExist(t: TransportRef): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(t.target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InvalidArgumentError(`cannot read ${t.transport}:${t.target}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message}`);
  }
  const wantDir = t.transport === 'oci' || t.transport === 'dir';
  if (wantDir && !st.isDirectory()) throw new InvalidArgumentError(`${t.transport}:${t.target} is not a directory: ${t.transport}: reads an image directory`);
  if (!wantDir && !st.isFile()) throw new InvalidArgumentError(`${t.transport}:${t.target} is not a file: ${t.transport}: reads a tar archive`);
}

/** A name as Podman stores it, or none when it is not a valid image name. */
function nameOr(fn: (r: string) => string, r: string | undefined): string[] {
  if (!r) return [];
  try {
    return [fn(r)];
  } catch {
    return [];
  }
}

const dockerName = (r: string) => formatReference(normalizeReference(r));

function namesFor(t: TransportRef, refs: string[]): string[] {
  switch (t.transport) {
    case 'docker-archive':
      return t.ref ? nameOr(dockerName, t.ref) : refs.flatMap((r) => nameOr(dockerName, r));
    case 'oci-archive':
      return nameOr(localImageName, t.ref ?? refs[0]);
    case 'oci':
      return nameOr(localImageName, t.ref);
    default:
      return [];
  }
}

/** Reads the image at a file transport into the store. Inside the namespace. */
export async function pullFromFile(rt: Runtime, t: TransportRef, progress: ProgressSink): Promise<Image> {
  mustExist(t);
  const whiteouts = rt.whiteouts();
  const store = rt.imageStore();
  store.collectGarbage();
  // A directory of its own: two pulls of one process (the API service runs them side by side) must not share one.
  const tmp = path.join(rt.paths.root, 'tmp');
  fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
  const work = fs.mkdtempSync(path.join(tmp, `stage-${process.pid}-transport-`));
  try {
    const { image, refs } = await readImageSource(rt.db(), rt.layerStore(), t.transport as SourceKind, t.target, t.ref, work, { whiteouts, ...mappedIdLimits() });
    progress.line('Getting image source signatures');
    for (const l of image.layers) progress.line(`Copying blob ${l.compressedDigest.slice(7, 19)} ${l.staged ? 'done' : 'skipped: already exists'}`);
    progress.line(`Copying config ${image.id.slice(7, 19)} done`);
    progress.line('Writing manifest to image destination');
    progress.finish();
    return store.commitPulled({ id: image.id, configJson: image.configJson, names: namesFor(t, refs), whiteouts, layers: image.layers });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The directory that will hold the destination must exist and be writable: said before any byte is written. */
export function checkParent(t: Pick<TransportRef, 'target'> & { transport: string }): void {
  const parent = path.dirname(t.target);
  try {
    if (!fs.statSync(parent).isDirectory()) throw new InvalidArgumentError(`cannot write ${t.transport ? `${t.transport}:` : ''}${t.target}: ${parent} is not a directory`);
    fs.accessSync(parent, fs.constants.W_OK);
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' && fs.existsSync(t.target)) return; // an existing layout is written inside
    throw new InvalidArgumentError(`cannot write ${t.transport ? `${t.transport}:` : ''}${t.target}: ${code === 'ENOENT' ? `directory ${parent} does not exist` : code === 'EACCES' ? `permission denied in ${parent}` : (err as Error).message}`);
  }
}

/** Writes the image to a file transport (push, save): name is what an archive records it as. */
/** Returns the digest of the manifest written to an oci: or dir: directory ('' for the archives, which hold none). */
export async function pushToFile(rt: Runtime, image: Image, t: TransportRef, name: string | undefined): Promise<string> {
  checkParent(t);
  const db = rt.db();
  const layers = rt.layerStore();
  if (t.transport === 'oci') return writeOciDir(db, layers, image, t.target, t.ref);
  if (t.transport === 'dir') return writeDirImage(db, layers, image, t.target);
  const format = t.transport === 'docker-archive' ? 'docker-archive' : 'oci-archive';
  const recorded = t.ref ? (format === 'docker-archive' ? dockerName(t.ref) : t.ref) : name;
  const tmp = `${t.target}.tspod-${process.pid}.tmp`;
  try {
    await saveImages(db, layers, [{ image, name: recorded }], format, fs.createWriteStream(tmp, { mode: 0o644 }));
    fs.renameSync(tmp, t.target);
    return '';
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
