// What a build does with its result: squash its new layers into one (--squash, --layers=false) or
// all of them (--squash-all), export its files (-o type=local|tar), and choose the cache images
// that `builder prune` removes.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { InvalidArgumentError, RuntimeError } from '../../src/errors';
import { parseTimeSpec } from '../../src/time-spec';
import type { Runtime } from '../runtime';
import type { Image, OciImageConfig } from '../image/image-store';
import type { StepContainers } from '../container/step-containers';
import type { CreateOptions } from '../container/create-spec';
import { packTree } from '../storage/layer-pack';
import type { BuildIo, BuildOptions } from './types';

/** Makes dst hold what src holds (owners, modes, mtimes, links): the overlay above dst records the differences. */
export function syncTree(src: string, dst: string): void {
  const want = new Set(fs.readdirSync(src));
  for (const n of fs.readdirSync(dst)) if (!want.has(n)) fs.rmSync(path.join(dst, n), { recursive: true, force: true });
  for (const n of [...want].sort()) {
    const s = path.join(src, n);
    const d = path.join(dst, n);
    const ss = fs.lstatSync(s);
    let ds: fs.Stats | undefined;
    try {
      ds = fs.lstatSync(d);
    } catch {
      ds = undefined;
    }
    if (ds && ss.isDirectory() && ds.isDirectory()) {
      syncTree(s, d);
      setMeta(d, ss, false);
      continue;
    }
    if (ds && sameEntry(s, ss, d, ds)) continue;
    if (ds) fs.rmSync(d, { recursive: true, force: true });
    if (ss.isDirectory()) {
      fs.mkdirSync(d);
      syncTree(s, d);
      setMeta(d, ss, false);
    } else if (ss.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(s), d);
      setMeta(d, ss, true);
    } else if (ss.isFile()) {
      fs.copyFileSync(s, d);
      setMeta(d, ss, false);
    }
    // FIFOs, sockets and devices have no place in a rootless layer.
  }
}

function setMeta(p: string, st: fs.Stats, link: boolean): void {
  fs.lchownSync(p, st.uid, st.gid);
  if (!link) fs.chmodSync(p, st.mode & 0o7777);
  fs.lutimesSync(p, st.atime, st.mtime);
}

function sameEntry(s: string, ss: fs.Stats, d: string, ds: fs.Stats): boolean {
  if ((ss.mode & 0o170000) !== (ds.mode & 0o170000) || ss.uid !== ds.uid || ss.gid !== ds.gid || (ss.mode & 0o7777) !== (ds.mode & 0o7777)) return false;
  if (ss.isSymbolicLink()) return fs.readlinkSync(s) === fs.readlinkSync(d);
  if (!ss.isFile()) return true;
  if (ss.size !== ds.size || ss.mtimeMs !== ds.mtimeMs) return false;
  return ss.size === 0 || fs.readFileSync(s).equals(fs.readFileSync(d));
}

/**
 * --squash (and --layers=false): the layers above the final stage's base become one; --squash-all:
 * every layer does. The history keeps its entries, those folded into the one layer marked empty.
 */
export async function squash(rt: Runtime, steps: StepContainers, create: (o: CreateOptions) => Promise<{ id: string }>, stepOptions: (image: Image) => CreateOptions, image: Image, baseLayers: number): Promise<Image> {
  if (image.layers.length - baseLayers <= 1) return image;
  const store = rt.imageStore();
  const mapped = (await import('../rootless/user-namespace')).mappedIdLimits();
  const baseConfig: OciImageConfig = { ...image.config, rootfs: { type: 'layers', diff_ids: image.config.rootfs.diff_ids.slice(0, baseLayers) } };
  const base = await store.commitStep({ base: { ...image, layers: image.layers.slice(0, baseLayers), size: 0, config: baseConfig }, config: baseConfig, whiteouts: rt.whiteouts(), ...mapped });
  const { id } = await create(stepOptions(base));
  const built = store.mount(image, rt.storageDriver(), rt.config.storage.mountProgram);
  try {
    await steps.withRootfs(id, async (root) => syncTree(built, root));
    const hist = image.config.history ?? [];
    let layered = 0;
    const history = hist.map((h) => {
      if (h.empty_layer) return h;
      layered++;
      return layered <= baseLayers ? h : { ...h, empty_layer: true };
    });
    // The one new layer belongs to the last entry that had a layer above the base.
    for (let i = history.length - 1; i >= 0; i--) {
      if (history[i] === hist[i]) continue;
      const { empty_layer: folded, ...rest } = history[i];
      void folded;
      history[i] = rest;
      break;
    }
    const config: OciImageConfig = { ...image.config, history };
    const layer = steps.layer(id, []);
    return await store.commitStep({ base, layer: layer.tar, layerDir: layer.dir, config, whiteouts: rt.whiteouts(), ...mapped });
  } finally {
    store.unmount(image, false);
    await steps.remove(id);
  }
}

/** -o type=local,dest=DIR | type=tar,dest=FILE|-: the image's files, as a directory or a tar. */
export async function exportImage(rt: Runtime, image: Image, output: NonNullable<BuildOptions['output']>, io: BuildIo): Promise<void> {
  const store = rt.imageStore();
  const root = store.mount(image, rt.storageDriver(), rt.config.storage.mountProgram);
  try {
    if (output.type === 'local') {
      fs.mkdirSync(output.dest, { recursive: true });
      const r = spawnSync('cp', ['-a', `${root}/.`, output.dest], { encoding: 'utf8' });
      if (r.status !== 0) throw new RuntimeError(`cannot export the image's files to ${output.dest}: ${r.stderr.trim()}`);
      return;
    }
    const list = (rel: string) => fs.readdirSync(path.join(root, rel)).sort();
    const tar = packTree({ names: list(''), place: (rel) => path.join(root, rel), list, whiteouts: false });
    const out: NodeJS.WritableStream = output.dest === '-' ? io.stdout : fs.createWriteStream(output.dest, { mode: 0o644 });
    await new Promise<void>((resolve, reject) => {
      tar.on('error', reject);
      out.on('error', reject);
      if (output.dest === '-') {
        tar.on('end', resolve);
        tar.pipe(out, { end: false });
      } else {
        out.on('finish', resolve);
        tar.pipe(out);
      }
    });
  } finally {
    store.unmount(image, false);
  }
}

/** builder prune --filter until=T and label=K[=V]. */
export function pruneFilter(filters: string[]): (image: Image) => boolean {
  const tests = filters.map((f) => {
    const [k, ...rest] = f.split('=');
    const v = rest.join('=');
    if (k === 'until') {
      const t = parseTimeSpec(v);
      return (i: Image) => i.createdAt < t;
    }
    if (k === 'label') {
      const [lk, ...lv] = v.split('=');
      return (i: Image) => {
        const labels = i.config.config?.Labels ?? {};
        return Object.hasOwn(labels, lk) && (lv.length === 0 || labels[lk] === lv.join('='));
      };
    }
    throw new InvalidArgumentError(`invalid filter "${f}" for builder prune: use until=TIMESTAMP or label=KEY[=VALUE]`);
  });
  return (i) => tests.every((t) => t(i));
}

/** Whether image was built from step (its layers and history start with the step's): the step is in its chain. */
export function builtFrom(image: Image, step: Image): boolean {
  if (image.id === step.id) return true;
  const h = image.config.history ?? [];
  const sh = step.config.history ?? [];
  if (sh.length > h.length || step.layers.length > image.layers.length) return false;
  if (!step.layers.every((l, i) => image.layers[i] === l)) return false;
  return sh.every((e, i) => JSON.stringify(e) === JSON.stringify(h[i]));
}
