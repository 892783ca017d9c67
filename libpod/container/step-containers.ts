// A build's step containers (libpod/build), on the container side: the root filesystem of one
// mounted for COPY and ADD, its changes packed as a layer, and its removal. The build makes them
// through the container engine's create and run, which the facade hands it.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Runtime } from '../runtime';
import { containerApi, type ContainerApi } from './container-api';
import { OWN_MOUNT_POINTS, runtimeMadeDirs } from './container-diff';
import { packLayer } from '../storage/layer-pack';

export class StepContainers {
  private readonly api: ContainerApi;

  constructor(private readonly rt: Runtime) {
    this.api = containerApi(rt);
  }

  /** fn on the mounted root filesystem of a created (or exited) step container. Inside the namespace. */
  withRootfs<T>(id: string, fn: (root: string, upper: string | undefined) => Promise<T>): Promise<T> {
    const c = this.rt.containers().resolve(id);
    // With native overlay the upper directory is a plain directory that may be written directly.
    const upper = this.rt.storageDriver() === 'native' ? this.rt.containers().pathsOf(c).upper : undefined;
    return this.api.runner().withRootfs(c, this.api.imageOf(c), (root) => fn(root, upper));
  }

  /**
   * The container's changes as an uncompressed layer tar: its upper directory without the
   * runtime's mount points, and without the mount points made only for madeTargets (RUN --mount
   * targets that the image did not have). With native overlay the upper directory itself becomes
   * the layer (dir), unless the container is kept (build --rm=false): then the tar is extracted.
   */
  layer(id: string, madeTargets: string[], mtime?: Date, keep = false): { tar: Readable; dir?: string } {
    const c = this.rt.containers().resolve(id);
    const upper = this.rt.containers().pathsOf(c).upper;
    const lowers = this.api.imageOf(c).layers.map((l) => this.rt.layerStore().diffDir(l));
    for (const t of madeTargets) dropMadeMountPoint(upper, lowers, t);
    const skipDirs = runtimeMadeDirs(upper, lowers);
    // With native overlay the upper directory is in the layer store's own format: once the runtime's
    // mount points are out of it, it becomes the layer itself (and --timestamp is set on its files).
    if (this.rt.storageDriver() === 'native' && !keep) {
      for (const d of skipDirs) fs.rmSync(path.join(upper, d), { recursive: true, force: true });
      for (const f of OWN_MOUNT_POINTS) {
        const p = path.join(upper, f);
        try {
          if (fs.lstatSync(p).isFile() && fs.lstatSync(p).size === 0) fs.rmSync(p);
        } catch {
          /* not there */
        }
      }
      if (mtime) touchTree(upper, mtime);
      return { tar: packLayer(upper, {}), dir: upper };
    }
    return { tar: packLayer(upper, { skipEmpty: OWN_MOUNT_POINTS, skipDirs, mtime }) };
  }

  /** Removes a step container (its build may, while it runs). */
  async remove(id: string): Promise<void> {
    const c = this.rt.containers().resolve(id);
    await this.api.remove(c, { force: true, timeout: 0, byBuild: true });
  }
}

/**
 * A mount target the runtime made (an empty directory or file that no lower layer has) is not the
 * step's change: removed from the upper directory, with the parents made only to hold it.
 */
function dropMadeMountPoint(upper: string, lowers: string[], target: string): void {
  const inLowers = (rel: string) => lowers.some((l) => fs.existsSync(path.join(l, rel)));
  let rel = path.posix.normalize(`/${target}`).slice(1);
  while (rel && rel !== '.') {
    const abs = path.join(upper, rel);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(abs);
    } catch {
      return;
    }
    const empty = st.isDirectory() ? fs.readdirSync(abs).length === 0 : st.isFile() && st.size === 0;
    if (!empty || inLowers(rel)) return;
    fs.rmSync(abs, { recursive: true, force: true });
    rel = path.posix.dirname(rel);
  }
}

/** Every entry's mtime set (build --timestamp), links themselves rather than their targets. */
function touchTree(dir: string, mtime: Date): void {
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = fs.lstatSync(p);
    if (st.isDirectory()) touchTree(p, mtime);
    if (!(st.isCharacterDevice() && st.rdev === 0)) fs.lutimesSync(p, mtime, mtime);
  }
  fs.lutimesSync(dir, mtime, mtime);
}
