// Volumes (engine.volumes): named and anonymous local volumes under <root>/volumes/NAME/_data,
// recorded in the state database; which containers use one is read from their specs. What removes
// or fills a volume's files runs inside the user namespace (they belong to the container's users).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { InvalidArgumentError, InvalidStateError, TspodError } from '../src/errors';
import type { Engine } from './engine';
import { lazy } from './lazy';
import type { Container } from './container/container';
import type { Volume, VolumeConfig } from './volume/volume-spec';

export class NoSuchVolumeError extends TspodError {
  override readonly code = 'ENOVOLUME';
  constructor(name: string) {
    super(`no volume with name "${name}" found: no such volume`);
  }
}

export class VolumeEngine {
  constructor(private readonly engine: Engine) {}

  /** Where a volume's files are on the host. */
  mountpoint(name: string): string {
    return lazy.volumeSpec().volumePath(this.engine.paths.root, name);
  }

  list(filters: string[] = []): Volume[] {
    let vols = this.engine.db().listVolumes() as Volume[];
    for (const f of filters) {
      const eq = f.indexOf('=');
      const key = eq < 0 ? f : f.slice(0, eq);
      const value = eq < 0 ? '' : f.slice(eq + 1);
      if (key === 'name') vols = vols.filter((v) => new RegExp(value).test(v.name));
      else if (key === 'label') vols = vols.filter((v) => (value.includes('=') ? v.config.labels[value.slice(0, value.indexOf('='))] === value.slice(value.indexOf('=') + 1) : value in v.config.labels));
      else if (key === 'driver') vols = vols.filter((v) => v.config.driver === value);
      else if (key === 'dangling') vols = vols.filter((v) => (this.users(v.name).length === 0) === (value === 'true'));
      else throw new InvalidArgumentError(`invalid filter "${key}": use name, label, driver or dangling`);
    }
    return vols;
  }

  get(name: string): Volume {
    const v = (this.engine.db().listVolumes() as Volume[]).find((x) => x.name === name);
    if (!v) throw new NoSuchVolumeError(name);
    return v;
  }

  exists(name: string): boolean {
    return (this.engine.db().listVolumes() as Volume[]).some((x) => x.name === name);
  }

  /** `volume create`, and volumes -v names that do not exist yet (and anonymous ones). */
  create(name: string | undefined, opts: { labels?: string[]; options?: string[]; anonymous?: boolean; ignore?: boolean } = {}): Volume {
    const { VOLUME_NAME } = lazy.volumeSpec();
    const chosen = name ?? crypto.randomBytes(32).toString('hex');
    if (!VOLUME_NAME.test(chosen)) throw new InvalidArgumentError(`invalid volume name "${chosen}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
    const kv = (list: string[] | undefined, what: string) => {
      const out: Record<string, string> = {};
      for (const item of list ?? []) {
        const eq = item.indexOf('=');
        if (what === 'option' && eq < 0) throw new InvalidArgumentError(`invalid --opt "${item}": use KEY=VALUE`);
        out[eq < 0 ? item : item.slice(0, eq)] = eq < 0 ? '' : item.slice(eq + 1);
      }
      return out;
    };
    const options = kv(opts.options, 'option');
    const unknown = Object.keys(options).find((k) => !['uid', 'gid', 'type', 'device', 'o'].includes(k));
    if (unknown) throw new InvalidArgumentError(`unsupported volume option "${unknown}": the local driver takes uid= and gid=`);
    if (options.type || options.device || options.o) throw new InvalidArgumentError('--opt type=, device= and o= (mounting a device or NFS as the volume) need root: rootless tspod keeps volumes as directories');
    for (const k of ['uid', 'gid']) if (options[k] !== undefined && !/^\d+$/.test(options[k])) throw new InvalidArgumentError(`invalid --opt ${k}=${options[k]}: give a number (the ${k === 'uid' ? 'user' : 'group'} inside containers)`);
    const config: VolumeConfig = { driver: 'local', labels: kv(opts.labels, 'label'), options, anonymous: opts.anonymous ?? false };
    const volume: Volume = { name: chosen, createdAt: Date.now(), config };
    if (!this.engine.db().insertVolume(volume)) {
      if (opts.ignore) return this.get(chosen);
      throw new InvalidStateError(`volume with name ${chosen} already exists: volume already exists (use --ignore to accept it)`);
    }
    const dir = this.mountpoint(chosen);
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    fs.chmodSync(path.dirname(dir), 0o700);
    // uid=/gid= are IDs inside the user namespace, where volume create runs.
    if (options.uid !== undefined || options.gid !== undefined) fs.chownSync(dir, Number(options.uid ?? 0), Number(options.gid ?? 0));
    return volume;
  }

  /** The containers whose specs mount the volume. */
  users(name: string): Container[] {
    return this.engine.containers.store.list().filter((c) => (c.spec.mounts ?? []).some((m) => m.type === 'volume' && m.source === name));
  }

  inspect(names: string[]): Array<{ name: string; data?: unknown; error?: Error }> {
    const { inspectVolume } = lazy.volumeSpec();
    return names.map((n) => {
      try {
        const v = this.get(n);
        return { name: n, data: { ...inspectVolume(v, this.mountpoint(v.name)), MountCount: this.users(v.name).filter((c) => c.state === 'running').length } };
      } catch (err) {
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
          const reports = await this.engine.containers.remove(users.map((c) => c.id), { force: true, all: false, ignore: true, timeout: opts.timeout });
          const failed = reports.find((r) => r.error);
          if (failed) throw failed.error;
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
    this.engine.db().deleteVolume(name);
    fs.rmSync(path.dirname(this.mountpoint(name)), { recursive: true, force: true });
  }

  /** `volume prune`: every volume no container uses. */
  async prune(): Promise<string[]> {
    const unused = this.list().filter((v) => this.users(v.name).length === 0);
    const reports = await this.remove(unused.map((v) => v.name), { force: false });
    return reports.filter((r) => !r.error).map((r) => r.name);
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
