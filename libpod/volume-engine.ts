// Volumes (engine.volumes): named and anonymous local volumes under <root>/volumes/NAME/_data,
// recorded in the state database; which containers use one is read from their specs. What removes
// or fills a volume's files runs inside the user namespace (they belong to the container's users).
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { InspectNotFoundError, InvalidArgumentError, InvalidStateError } from '../src/errors';
import type { Runtime } from './runtime';
import { pruneFilter } from './prune-filter';
import { parseTimeSpec } from '../src/time-spec';
import type { Container } from './container/container';
import type { Volume } from './volume/volume-spec';
import { NoSuchVolumeError, createVolume, destroyVolume, getVolume, volumeExists } from './volume/volume-store';

// Modules only some operations need, required on first use (esbuild keeps these requires lazy).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  volumeSpec: () => require('./volume/volume-spec') as typeof import('./volume/volume-spec'),
  containerUsers: () => require('./container/container-users') as typeof import('./container/container-users'),
  tar: () => require('./storage/tar') as typeof import('./storage/tar'),
  layerExtract: () => require('./storage/layer-extract') as typeof import('./storage/layer-extract'),
  userns: () => require('./rootless/user-namespace') as typeof import('./rootless/user-namespace'),
  eventLog: () => require('./event-log') as typeof import('./event-log'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export { NoSuchVolumeError };

/** A directory with nothing in it (false when it cannot be read). */
function isEmptyDir(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

export class VolumeEngine {
  constructor(private readonly rt: Runtime) {}

  /** Where a volume's files are on the host. */
  mountpoint(name: string): string {
    return lazy.volumeSpec().volumePath(this.rt.paths.root, name);
  }

  /** `volume ls --filter`: name=, label=, label!=, driver=, dangling=, opt=KEY=VALUE, scope=local, since=/after=VOLUME, until=TIME. */
  list(filters: string[] = []): Volume[] {
    const all = this.rt.db().listVolumes() as Volume[];
    let vols = all;
    const hasLabel = (v: Volume, value: string) => (value.includes('=') ? v.config.labels[value.slice(0, value.indexOf('='))] === value.slice(value.indexOf('=') + 1) : value in v.config.labels);
    for (const f of filters) {
      const eq = f.indexOf('=');
      const key = eq < 0 ? f : f.slice(0, eq);
      const value = eq < 0 ? '' : f.slice(eq + 1);
      if (key === 'name') vols = vols.filter((v) => new RegExp(value).test(v.name));
      else if (key === 'label') vols = vols.filter((v) => hasLabel(v, value));
      else if (key === 'label!') vols = vols.filter((v) => !hasLabel(v, value));
      else if (key === 'driver') vols = vols.filter((v) => v.config.driver === value);
      else if (key === 'dangling') vols = vols.filter((v) => (this.users(v.name).length === 0) === (value === 'true'));
      else if (key === 'opt') vols = vols.filter((v) => (value.includes('=') ? v.config.options[value.slice(0, value.indexOf('='))] === value.slice(value.indexOf('=') + 1) : value in v.config.options));
      else if (key === 'scope') vols = vols.filter(() => value === 'local');
      else if (key === 'since' || key === 'after') {
        const ref = all.find((v) => v.name === value);
        if (!ref) throw new NoSuchVolumeError(value);
        vols = vols.filter((v) => v.createdAt > ref.createdAt);
      } else if (key === 'until') {
        const t = parseTimeSpec(value);
        vols = vols.filter((v) => v.createdAt < t);
      } else throw new InvalidArgumentError(`invalid filter "${key}": use name, label, label!, driver, dangling, opt, scope, since, after or until`);
    }
    return vols;
  }

  get(name: string): Volume {
    return getVolume(this.rt, name);
  }

  exists(name: string): boolean {
    return volumeExists(this.rt, name);
  }

  /** `volume create`, and volumes -v names that do not exist yet (and anonymous ones). */
  create(name: string | undefined, opts: { labels?: string[]; options?: string[]; anonymous?: boolean; ignore?: boolean } = {}): Volume {
    return createVolume(this.rt, name, opts);
  }

  /** The containers whose specs mount the volume. */
  users(name: string): Container[] {
    return lazy.containerUsers().containersUsingVolume(this.rt, name);
  }

  /**
   * `volume inspect`: Podman 5's document of each volume (all with all); a name that is none gives
   * Podman's `no such volume NAME`. MountCount: the running containers that mount it.
   */
  inspect(names: string[], all = false): Array<{ name: string; data?: Record<string, unknown>; error?: Error }> {
    const { inspectVolume } = lazy.volumeSpec();
    const targets = all ? this.list().map((v) => v.name) : names;
    return targets.map((n) => {
      try {
        const v = this.get(n);
        const mountpoint = this.mountpoint(v.name);
        return { name: n, data: inspectVolume(v, mountpoint, this.users(v.name).filter((c) => c.state === 'running').length, isEmptyDir(mountpoint)) };
      } catch (err) {
        if (err instanceof NoSuchVolumeError) return { name: n, error: new InspectNotFoundError(`no such volume ${n}`) };
        return { name: n, error: err as Error };
      }
    });
  }

  /** `volume rm`: refused while a container uses it, unless force (which removes those containers). Inside the namespace. */
  async remove(names: string[], opts: { force: boolean; all?: boolean; timeout?: number }): Promise<Array<{ name: string; error?: Error }>> {
    const targets = opts.all ? this.list().map((v) => v.name) : names;
    if (!opts.all && targets.length === 0) throw new InvalidArgumentError('give at least one volume name, or --all');
    const out: Array<{ name: string; error?: Error }> = [];
    for (const n of targets) {
      try {
        const v = this.get(n);
        const users = this.users(v.name);
        if (users.length && !opts.force) throw new InvalidStateError(`volume ${v.name} is being used by container${users.length > 1 ? 's' : ''} ${users.map((c) => c.name).join(', ')}: remove ${users.length > 1 ? 'them' : 'it'} first, or use --force to remove ${users.length > 1 ? 'them' : 'it'} with the volume`);
        if (users.length) {
          await lazy.containerUsers().removeContainersFirst(this.rt, users.map((c) => c.id), opts.timeout);
        }
        this.destroy(v.name);
        out.push({ name: v.name });
      } catch (err) {
        out.push({ name: n, error: err as Error });
      }
    }
    return out;
  }

  /** Deletes a volume's record, then its files (the record first: a volume is never half there). */
  destroy(name: string): void {
    destroyVolume(this.rt, name);
  }

  /** `volume prune`: every volume no container uses (that the filters keep: label=, label!=, until=). */
  async prune(filters: string[] = []): Promise<string[]> {
    const pruned: string[] = [];
    for (const v of this.pruneCandidates(filters)) {
      const [r] = await this.remove([v.name], { force: false });
      if (r.error) continue;
      // Podman records prune after the volume's remove.
      lazy.eventLog().recordEvent(this.rt.db(), 'volume', 'prune', { id: '', name: r.name });
      pruned.push(r.name);
    }
    return pruned;
  }

  /** `volume mount`/`unmount`: each volume's directory (a volume is always a directory here). */
  mount(names: string[]): Array<{ name: string; path?: string; error?: Error }> {
    return names.map((n) => {
      try {
        const v = this.get(n);
        return { name: v.name, path: this.mountpoint(v.name) };
      } catch (err) {
        return { name: n, error: err as Error };
      }
    });
  }

  /** What `volume prune` with these filters would remove. */
  pruneCandidates(filters: string[] = []): Volume[] {
    const keep = pruneFilter(filters);
    return this.list().filter((v) => this.users(v.name).length === 0 && keep({ labels: v.config.labels, createdAt: v.createdAt }));
  }

  /** `volume export`: the volume's files as a tar stream (owners as the container's users see them). Inside the namespace. */
  async exportVolume(name: string, out: NodeJS.WritableStream): Promise<void> {
    const dir = this.mountpoint(this.get(name).name);
    const { packPaths } = lazy.tar();
    await pipeline(packPaths(dir, fs.readdirSync(dir).sort()), out);
  }

  /**
   * `volume import`: unpacks a tar stream into the volume, owners and symlinks kept as archived;
   * nothing is written through a symlink or outside the volume. Inside the namespace.
   */
  async importVolume(name: string, input: NodeJS.ReadableStream): Promise<void> {
    const dir = this.mountpoint(this.get(name).name);
    const { extractInto, LayerError } = lazy.layerExtract();
    try {
      await extractInto(input as Readable, { target: dir, ...lazy.userns().mappedIdLimits() });
    } catch (err) {
      if (err instanceof LayerError) throw new InvalidArgumentError(`import into volume ${name} incomplete: ${err.message}`, { cause: err });
      throw err;
    }
  }
}
