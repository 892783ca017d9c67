// Shapes host facts, paths and store counts into the report `tspod info` prints, with Podman 5's
// keys and nesting (libpod/define/info.go: host, store, registries, plugins, version) so scripts
// can read either. What tspod has and Podman does not (the ID map tools, devices, overlay probe,
// database) sits beside Podman's keys; a Podman key tspod has no honest value for is left out.
import type { Paths } from '../../src/paths';
import type { Config } from '../config/config';
import type { RegistriesConf } from '../config/registries-conf';
import type { State } from '../state/state';
import type { HostInfo } from './host-info';
import type { InfoFacts } from './host-facts';
import type { IdRange } from '../rootless/subid';
import { DEFAULT_CAPABILITIES } from '../oci/spec';

export interface InfoReport {
  host: Record<string, unknown>;
  store: Record<string, unknown>;
  registries: Record<string, unknown>;
  plugins: { volume: string[]; network: string[]; log: string[]; authorization: null };
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

/** Podman's registries: the search list, then each [[registry]] by its prefix with Go's field names. */
function registriesReport(conf: RegistriesConf): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (conf.unqualifiedSearchRegistries.length) out.search = conf.unqualifiedSearchRegistries;
  for (const r of conf.registries) {
    out[r.prefix] = { Prefix: r.prefix, Location: r.location, Insecure: r.insecure, Blocked: r.blocked, Mirrors: r.mirrors.map((m) => ({ Location: m.location, Insecure: m.insecure })) };
  }
  return out;
}

export interface InfoInput {
  host: HostInfo;
  facts: InfoFacts;
  /** The monitor tspod starts for each container (Podman's conmon) and its version. */
  monitor: { path: string; version: string };
  containerStates: string[];
  paths: Paths;
  config: Config;
  registries: RegistriesConf;
  state: State;
  version: { Client: Record<string, unknown> };
}

export function buildInfoReport(input: InfoInput): InfoReport {
  const { host: h, facts: f, paths, config, registries, state } = input;
  const counts = state.counts();
  const overlay = config.storage.overlay === 'auto' ? (h.nativeOverlay.works ? 'native' : 'fuse') : config.storage.overlay;
  const running = input.containerStates.filter((s) => s === 'running').length;
  const paused = input.containerStates.filter((s) => s === 'paused').length;
  const { codename, ...distribution } = h.distribution;
  return {
    host: {
      arch: h.arch,
      cgroupManager: 'cgroupfs',
      cgroupVersion: h.cgroupVersion,
      cgroupControllers: f.cgroupControllers,
      cgroupMode: h.cgroupMode,
      conmon: { package: f.packages.monitor, path: input.monitor.path, version: input.monitor.version },
      cpus: h.cpus,
      cpuUtilization: f.cpuUtilization,
      databaseBackend: 'sqlite',
      distribution: { ...distribution, ...(codename ? { codename } : {}) },
      // Events are rows of the state database, not a file or the journal.
      eventLogger: 'sqlite',
      hostname: h.hostname,
      idMappings: h.rootless ? { gidmap: idMap(h.gid, h.subgid.ranges), uidmap: idMap(h.uid, h.subuid.ranges) } : { gidmap: null, uidmap: null },
      kernel: h.kernel,
      logDriver: 'k8s-file',
      memFree: h.memFree,
      memTotal: h.memTotal,
      ociRuntime: { name: h.ociRuntime.name, package: f.packages.ociRuntime, path: h.ociRuntime.path ?? '', version: h.ociRuntime.version ?? '' },
      os: h.os,
      rootlessNetworkCmd: h.networkCmd ?? '',
      serviceIsRemote: false,
      security: {
        apparmorEnabled: f.security.apparmorEnabled,
        capabilities: DEFAULT_CAPABILITIES.map((c) => `CAP_${c}`).join(','),
        rootless: h.rootless,
        seccompEnabled: f.security.seccompEnabled,
        // tspod's seccomp profile is built in, not a file.
        seccompProfilePath: '',
        selinuxEnabled: f.security.selinuxEnabled,
        uid: h.uid,
        user: h.user,
        userNamespaces: h.userNamespaces.enabled,
      },
      slirp4netns: { executable: h.slirp4netns.path ?? '', package: f.packages.slirp4netns, version: h.slirp4netns.version ?? '' },
      pasta: { executable: h.pasta.path ?? '', package: f.packages.pasta, version: h.pasta.version ?? '' },
      swapFree: f.swap.swapFree,
      swapTotal: f.swap.swapTotal,
      uptime: f.uptime,
      variant: '',
      idMapTools: {
        newuidmap: { path: h.newuidmap.path ?? '', privileged: h.newuidmap.privileged, how: h.newuidmap.how },
        newgidmap: { path: h.newgidmap.path ?? '', privileged: h.newgidmap.privileged, how: h.newgidmap.how },
        unshare: h.unshare.path ?? '',
        nsenter: h.nsenter.path ?? '',
      },
      devices: { fuse: h.fuseDevice, tun: h.tunDevice },
      networkCmd: h.networkCmd ?? '',
      catatonit: { executable: h.catatonit.path ?? '', version: h.catatonit.version ?? '' },
    },
    store: {
      configFile: config.files.join(','),
      containerStore: { number: counts.containers, paused, running, stopped: input.containerStates.length - running - paused },
      graphDriverName: config.storage.driver,
      graphOptions: {
        overlay: overlay,
        nativeOverlay: h.nativeOverlay.works,
        nativeOverlayDetail: h.nativeOverlay.detail,
        mountProgram: { path: h.fuseOverlayfs.path ?? '', version: h.fuseOverlayfs.version ?? '' },
      },
      graphRoot: paths.root,
      graphRootAllocated: f.storeFs.allocated,
      graphRootUsed: f.storeFs.used,
      // tspod mounts overlay without metacopy.
      graphStatus: { 'Backing Filesystem': f.storeFs.backing, 'Native Overlay Diff': String(overlay === 'native'), 'Using metacopy': 'false' },
      // Pulls and loads stage their layers here before they join the store.
      imageCopyTmpDir: `${paths.root}/tmp`,
      imageStore: { number: counts.images },
      runRoot: paths.runroot,
      volumePath: `${paths.root}/volumes`,
      transientStore: false,
      databasePath: paths.database,
      databaseSchema: state.schemaVersion(),
      sqliteVersion: state.sqliteVersion(),
      networkStore: { number: counts.networks },
      volumeStore: { number: counts.volumes },
    },
    registries: registriesReport(registries),
    plugins: { volume: ['local'], network: ['bridge'], log: ['k8s-file'], authorization: null },
    version: input.version.Client,
  };
}
