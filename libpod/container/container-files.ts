// A container's files as the container sees them, running or not: `cp` between the host and
// containers, and `commit` of its changes as a new image. A stopped container is worked on with
// its rootfs mounted for the occasion, under its lock; a running one through /proc/PID/root.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, NoSuchContainerError } from '../../src/errors';
import { readIfExists } from '../../src/files';
import type { Runtime } from '../runtime';
import type { Image } from '../image/image-store';
import { resolveUser } from '../oci/spec';
import { intermediateOwner } from './container-userns';
import { volumePath } from '../volume/volume-spec';
import { isUp, type Container } from './container';
import { isSameProcess, type ContainerStore } from './container-store';
import type { ContainerApi } from './container-api';
import type { Readable, Writable } from 'node:stream';
import { copy, parseCopyArg } from './container-copy';
import { hostPath, resolveInView, stoppedView, type ContainerView } from './container-view';

// What only commit needs, required on first use (cp does not load it).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  containerPause: () => require('./container-pause') as typeof import('./container-pause'),
  imageChanges: () => require('../image/image-changes') as typeof import('../image/image-changes'),
  containerDiff: () => require('./container-diff') as typeof import('./container-diff'),
  layerPack: () => require('../storage/layer-pack') as typeof import('../storage/layer-pack'),
  userns: () => require('../rootless/user-namespace') as typeof import('../rootless/user-namespace'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export class ContainerFiles {
  constructor(
    private readonly rt: Runtime,
    private readonly api: ContainerApi,
  ) {}

  private get store(): ContainerStore {
    return this.rt.containers();
  }

  /**
   * fn on what the container shows. A running container: its own mount namespace through
   * /proc/PID/root (mounts, tmpfs and generated files as it sees them). Otherwise its rootfs,
   * mounted under its lock (so that start or rm waits) and unmounted after, with its volumes, bind
   * mounts, tmpfs and generated files laid over it. Inside the namespace.
   */
  view<T>(c: Container, writing: boolean, fn: (view: ContainerView, fresh: Container) => Promise<T>): Promise<T> {
    if (isUp(c.state) && isSameProcess(c.status.pid, c.status.pidStart)) return fn({ name: c.name, root: `/proc/${c.status.pid}/root`, mounts: [], running: true }, c);
    const stopped = (fresh: Container) => (root: string) => {
      if (writing && !isUp(fresh.state)) this.api.runner().fillVolumes(fresh); // before its first start, as the start would
      const p = this.store.pathsOf(fresh);
      const generated = { hosts: path.join(p.bundle, 'hosts'), resolvConf: path.join(p.bundle, 'resolv.conf'), hostname: path.join(p.bundle, 'hostname') };
      const volumeDir = (name: string) => volumePath(this.rt.paths.root, name);
      return fn(stoppedView(fresh.name, root, fresh.spec.mounts ?? [], generated, volumeDir), fresh);
    };
    if (isUp(c.state)) return this.api.runner().withRootfs(c, this.api.imageOf(c), stopped(c)); // exiting: its cleanup holds the lock
    return this.api.withLock(c, (fresh) => {
      if (!fresh) throw new NoSuchContainerError(c.name);
      return this.api.runner().withRootfs(fresh, this.api.imageOf(fresh), stopped(fresh));
    });
  }

  /**
   * `cp`: between the host and a container (or two containers), running or not, as the container
   * sees its files (its mounts included); '-' is a tar stream. archive: what is written into a
   * container belongs to its user. Inside the namespace.
   */
  async copy(from: string, to: string, opts: { archive: boolean; followLink: boolean; stdin?: Readable; stdout?: Writable }): Promise<void> {
        const src = parseCopyArg(from);
    const dest = parseCopyArg(to);
    if (!src.container && !dest.container) throw new InvalidArgumentError(`copying between two host paths: one of "${from}" and "${to}" must be CONTAINER:PATH`);
    if (src.path === '-' && dest.path === '-') throw new InvalidArgumentError('only one of source and destination can be "-"');
    if (src.path === '-' && !dest.container) throw new InvalidArgumentError('"-" as source (a tar stream on stdin) needs a CONTAINER:PATH destination');
    if (dest.path === '-' && !src.container) throw new InvalidArgumentError('"-" as destination (a tar stream on stdout) needs a CONTAINER:PATH source');
    const srcC = src.container ? this.store.resolve(src.container) : undefined;
    const destC = dest.container ? this.store.resolve(dest.container) : undefined;
    const label = (destC ?? srcC)!.name;
    const run = async (srcView: ContainerView | undefined, destView: ContainerView | undefined, destFresh: Container | undefined) => {
      let owner: { uid: number; gid: number } | undefined;
      if (destView && destFresh && opts.archive) {
                const read = (f: string) => readIfExists(hostPath(destView, resolveInView(destView, f, true)) ?? '/nonexistent');
        const u = resolveUser(destFresh.spec.user ?? this.api.imageOf(destFresh).config.config?.User, read('/etc/passwd'), read('/etc/group'));
        // With a user namespace of its own, the container's IDs as tspod's namespace writes them.
        owner = destFresh.spec.userns ? intermediateOwner(destFresh.spec.userns, u.uid, u.gid) : { uid: u.uid, gid: u.gid };
      } else if (!destView) {
        owner = { uid: 0, gid: 0 }; // namespace root: the user's own files on the host
      }
      await copy({ view: srcView, path: src.path }, { view: destView, path: dest.path }, label, { owner, followLink: opts.followLink, stdin: opts.stdin, stdout: opts.stdout });
    };
    if (srcC && destC) {
      if (srcC.id === destC.id) return this.view(srcC, true, (view, fresh) => run(view, view, fresh));
      return this.view(srcC, false, (sView) => this.view(destC, true, (dView, fresh) => run(sView, dView, fresh)));
    }
    if (srcC) return this.view(srcC, false, (view) => run(view, undefined, undefined));
    return this.view(destC!, true, (view, fresh) => run(undefined, view, fresh));
  }

  /**
   * What is at cpath in the container as it sees it (the API's archive stat): the path itself, not
   * what a last symlink points to; undefined when nothing is there. Inside the namespace.
   */
  stat(c: Container, cpath: string): Promise<{ path: string; stat: fs.Stats; linkTarget?: string } | undefined> {
    return this.view(c, false, async (view) => {
      const resolved = resolveInView(view, cpath, false);
      const host = hostPath(view, resolved);
      if (host === undefined) return undefined;
      let st: fs.Stats;
      try {
        st = fs.lstatSync(host);
      } catch {
        return undefined;
      }
      return { path: resolved, stat: st, ...(st.isSymbolicLink() ? { linkTarget: fs.readlinkSync(host) } : {}) };
    });
  }

  /**
   * `commit`: a new image of the container's image plus its changes (its overlay upper directory
   * as one layer), with the container's settings and --change instructions as its config. A
   * stopped container is committed under its lock. Inside the namespace.
   */
  async commit(c: Container, reference: string | undefined, opts: { message?: string; author?: string; changes: string[]; pause: boolean }): Promise<Image> {
    // --pause: the container's own cgroup frozen while its changes are packed; without one, why not.
    const cp = lazy.containerPause();
    const freeze = opts.pause && isUp(c.state) && !cp.isPaused(c) && cp.freezerOf(c) !== undefined;
    const image = this.api.imageOf(c);
    const base = image.config.config ?? {};
    const env = new Map((base.Env ?? []).map((e) => [e.split('=')[0], e] as const));
    for (const e of c.spec.env) env.set(e.split('=')[0], e);
    const settings = {
      ...base,
      Env: [...env.values()],
      ...(c.spec.entrypoint ? { Entrypoint: c.spec.entrypoint } : {}),
      ...(c.spec.command.length ? { Cmd: c.spec.command } : {}),
      ...(c.spec.workdir ? { WorkingDir: c.spec.workdir } : {}),
      ...(c.spec.user ? { User: c.spec.user } : {}),
      Labels: { ...(base.Labels ?? {}), ...c.spec.labels },
      ...(c.spec.stopSignal && c.spec.stopSignal !== 'SIGTERM' ? { StopSignal: c.spec.stopSignal } : {}),
    };
    const config = lazy.imageChanges().applyChanges(settings, opts.changes);
        const work = async (fresh: Container) => {
      const upper = this.store.pathsOf(fresh).upper;
      const cd = lazy.containerDiff();
      const lowers = image.layers.map((l) => this.rt.layerStore().diffDir(l));
      const layer = lazy.layerPack().packLayer(upper, { skipEmpty: cd.OWN_MOUNT_POINTS, skipDirs: cd.runtimeMadeDirs(upper, lowers) });
      const driver = this.rt.storageDriver();
      const committed = await this.rt.imageStore().commitLayer(layer, {
        base: image,
        config,
        name: reference,
        message: opts.message,
        author: opts.author,
        createdBy: `/bin/sh -c #(nop) tspod commit ${fresh.name}: ${fresh.spec.args.join(' ')}`.trimEnd(),
        whiteouts: driver === 'native' ? 'overlay' : 'aufs',
        ...lazy.userns().mappedIdLimits(),
      });
      this.store.event(fresh, 'commit');
      return committed;
    };
    if (isUp(c.state) && freeze) {
      const runtime = this.api.runner().runtime(c);
      runtime.pause(c.id);
      try {
        return await work(c);
      } finally {
        runtime.resume(c.id);
      }
    }
    if (isUp(c.state)) return work(c);
    return this.api.withLock(c, (fresh) => {
      if (!fresh) throw new NoSuchContainerError(c.name);
      return work(fresh);
    });
  }
  /**
   * `export`: the container's root filesystem (its image's layers and its changes, without its
   * volumes, bind mounts or the kernel's /proc and /sys) as one tar, owners as the container sees
   * them, written to out. A running container's mounted rootfs is read as it is; a stopped one is
   * mounted under its lock. Inside the namespace.
   */
  async exportRootfs(c: Container, out: NodeJS.WritableStream): Promise<void> {
    const work = async (root: string) => {
      const list = (rel: string) => fs.readdirSync(path.join(root, rel)).sort();
      const tar = lazy.layerPack().packTree({ names: list(''), place: (rel) => path.join(root, rel), list, whiteouts: false });
      const { pipeline } = require('node:stream/promises') as typeof import('node:stream/promises'); // eslint-disable-line @typescript-eslint/no-require-imports
      await pipeline(tar, out, { end: out !== process.stdout });
    };
    const image = this.api.imageOf(c);
    if (isUp(c.state)) return this.api.runner().withRootfs(c, image, work);
    return this.api.withLock(c, (fresh) => {
      if (!fresh) throw new NoSuchContainerError(c.name);
      return this.api.runner().withRootfs(fresh, this.api.imageOf(fresh), work);
    });
  }
}

export function containerFiles(rt: Runtime, api: ContainerApi): ContainerFiles {
  return new ContainerFiles(rt, api);
}
