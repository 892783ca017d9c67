// The options `tspod build -t TAG CONTEXT` builds with when no other flag is given: what kube play
// and compose start from, each setting only what its file says.
import type { BuildOptions } from './types';

/** build's defaults for a context and its tags (OCI format, layers cached, base images pulled when missing). */
export function defaultBuildOptions(context: string, tags: string[]): BuildOptions {
  return {
    context,
    files: [],
    tags,
    format: 'oci',
    buildArgs: {},
    labels: [],
    annotations: [],
    env: [],
    unsetEnv: [],
    unsetLabels: [],
    noCache: false,
    pull: 'missing',
    layers: true,
    squash: false,
    squashAll: false,
    quiet: false,
    noHosts: false,
    addHosts: [],
    dns: [],
    dnsSearch: [],
    dnsOptions: [],
    capAdd: [],
    capDrop: [],
    securityOpt: [],
    ulimits: [],
    devices: [],
    volumes: [],
    rm: true,
    forceRm: false,
    secrets: [],
    omitHistory: false,
    identityLabel: true,
    skipUnusedStages: true,
    stdin: false,
    inheritLabels: true,
    inheritAnnotations: true,
  };
}
