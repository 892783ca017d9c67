// What `inspect` of a container shows besides the container's own record: its image's config and
// layers, the networks it is on, which files its last start wrote, the limits of its runtime spec,
// and with --size the bytes of its writable layer (read inside the user namespace, where the
// subordinate IDs that own its files can be read).
import { parseSpecJson } from '../oci/spec';
import { readIfExists, statIfExists } from '../../src/files';
import { upperSize } from './container-diff';
import type { Runtime } from '../runtime';
import type { Container } from './container';
import type { ContainerStore } from './container-store';
import type { ContainerInspectFacts } from './container-inspect';

export function inspectFacts(rt: Runtime, store: ContainerStore, c: Container, size: boolean, depth = 0): ContainerInspectFacts {
  const p = store.pathsOf(c);
  let image: ContainerInspectFacts['image'];
  let lowers: string[] = [];
  try {
    if (c.spec.rootfs) throw new Error('a --rootfs container has no image');
    const img = rt.imageStore().resolve(c.spec.imageId);
    const layers = rt.layerStore();
    image = { config: img.config.config ?? {}, digest: img.digest ?? img.id, size: img.size };
    lowers = [...img.layers].reverse().map((l) => layers.diffDir(l));
  } catch {
    /* the image is gone: its defaults cannot be shown */
  }
  const networks = Object.fromEntries(store.networks().map((n) => [n.name, n]));
  let netnsOwner: ContainerInspectFacts | undefined;
  if (c.spec.network.startsWith('container:') && depth === 0) {
    try {
      netnsOwner = inspectFacts(rt, store, store.resolve(c.spec.network.slice('container:'.length)), false, 1);
    } catch {
      /* removed meanwhile: its own settings are shown */
    }
  }
  const ociConfig = readIfExists(`${p.bundle}/config.json`);
  let rlimits: ContainerInspectFacts['rlimits'] = [];
  try {
    // Never started: the --ulimit values asked for (the runtime spec adds its defaults at start).
    rlimits = ociConfig ? ((parseSpecJson(ociConfig) as { process?: { rlimits?: ContainerInspectFacts['rlimits'] } }).process?.rlimits ?? []) : (c.spec.ulimits ?? []);
  } catch {
    /* a config.json cut short: no limits to show */
  }
  const exists = (f: string) => statIfExists(`${p.bundle}/${f}`) !== undefined;
  const rw = size ? upperSize(p.upper) : 0;
  return {
    c,
    paths: p,
    image,
    lowers,
    networks,
    netnsOwner,
    ...(c.spec.pod ? { podInfraId: rt.pods().reload(c.spec.pod)?.spec.infraId } : {}),
    files: { resolvConf: exists('resolv.conf'), hosts: exists('hosts'), hostname: exists('hostname'), ociConfig: ociConfig !== '' },
    rlimits,
    ...(size ? { size: { rw, rootFs: rw + (image?.size ?? 0) } } : {}),
  };
}
