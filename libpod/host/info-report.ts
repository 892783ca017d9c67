// Shapes host facts, paths and store counts into the report `tspod info` prints, keyed as
// Podman's `podman info` is (host, registries, store, version) so scripts can read either.
import type { Paths } from '../../src/paths';
import type { Config } from '../config/config';
import type { RegistriesConf } from '../config/registries-conf';
import type { State } from '../state/state';
import type { HostInfo } from './host-info';
import type { IdRange } from '../rootless/subid';

export interface InfoReport {
  host: Record<string, unknown>;
  registries: { search: string[]; files: string[] };
  store: Record<string, unknown>;
  version: Record<string, unknown>;
}

function idMap(ownId: number, ranges: IdRange[]): Array<{ container_id: number; host_id: number; size: number }> {
  const map = [{ container_id: 0, host_id: ownId, size: 1 }];
  let next = 1;
  for (const r of ranges) {
    map.push({ container_id: next, host_id: r.start, size: r.count });
    next += r.count;
  }
  return map;
}

export function buildInfoReport(input: { host: HostInfo; paths: Paths; config: Config; registries: RegistriesConf; state: State; version: { Client: Record<string, unknown> } }): InfoReport {
  const { host: h, paths, config, registries, state } = input;
  const counts = state.counts();
  const overlay = config.storage.overlay === 'auto' ? (h.nativeOverlay.works ? 'native' : 'fuse') : config.storage.overlay;
  return {
    host: {
      arch: h.arch,
      cgroupManager: 'cgroupfs',
      cgroupVersion: h.cgroupVersion,
      cgroupMode: h.cgroupMode,
      cpus: h.cpus,
      distribution: h.distribution,
      hostname: h.hostname,
      idMappings: h.rootless ? { uidmap: idMap(h.uid, h.subuid.ranges), gidmap: idMap(h.gid, h.subgid.ranges) } : {},
      kernel: h.kernel,
      memFree: h.memFree,
      memTotal: h.memTotal,
      ociRuntime: { name: h.ociRuntime.name, path: h.ociRuntime.path ?? '', version: h.ociRuntime.version ?? '' },
      os: h.os,
      security: { rootless: h.rootless, uid: h.uid, user: h.user, userNamespaces: h.userNamespaces.enabled },
      idMapTools: {
        newuidmap: { path: h.newuidmap.path ?? '', privileged: h.newuidmap.privileged, how: h.newuidmap.how },
        newgidmap: { path: h.newgidmap.path ?? '', privileged: h.newgidmap.privileged, how: h.newgidmap.how },
        unshare: h.unshare.path ?? '',
        nsenter: h.nsenter.path ?? '',
      },
      devices: { fuse: h.fuseDevice, tun: h.tunDevice },
      networkCmd: h.networkCmd ?? '',
      pasta: { executable: h.pasta.path ?? '', version: h.pasta.version ?? '' },
      slirp4netns: { executable: h.slirp4netns.path ?? '', version: h.slirp4netns.version ?? '' },
      catatonit: { executable: h.catatonit.path ?? '', version: h.catatonit.version ?? '' },
    },
    registries: { search: registries.unqualifiedSearchRegistries, files: registries.files },
    store: {
      configFile: config.files,
      containerStore: { number: counts.containers },
      databasePath: paths.database,
      databaseSchema: state.schemaVersion(),
      sqliteVersion: state.sqliteVersion(),
      graphDriverName: config.storage.driver,
      graphOptions: {
        overlay: overlay,
        nativeOverlay: h.nativeOverlay.works,
        nativeOverlayDetail: h.nativeOverlay.detail,
        mountProgram: { path: h.fuseOverlayfs.path ?? '', version: h.fuseOverlayfs.version ?? '' },
      },
      graphRoot: paths.root,
      imageStore: { number: counts.images },
      networkStore: { number: counts.networks },
      runRoot: paths.runroot,
      volumePath: `${paths.root}/volumes`,
      volumeStore: { number: counts.volumes },
    },
    version: input.version.Client,
  };
}
