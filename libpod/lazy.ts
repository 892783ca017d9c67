// Modules that only some commands need, required on first use so that a command pays only for
// what it runs (esbuild keeps required modules lazy inside the bundle).
/* eslint-disable @typescript-eslint/no-require-imports */
export const lazy = {
  fileLock: () => require('./lock/file-lock') as typeof import('./lock/file-lock'),
  imageStore: () => require('./image/image-store') as typeof import('./image/image-store'),
  layerStore: () => require('./storage/layer-store') as typeof import('./storage/layer-store'),
  overlay: () => require('./storage/overlay-mount') as typeof import('./storage/overlay-mount'),
  userns: () => require('./rootless/user-namespace') as typeof import('./rootless/user-namespace'),
  pause: () => require('./rootless/pause-process') as typeof import('./rootless/pause-process'),
  hostInfo: () => require('./host/host-info') as typeof import('./host/host-info'),
  prerequisites: () => require('./host/prerequisites') as typeof import('./host/prerequisites'),
  infoReport: () => require('./host/info-report') as typeof import('./host/info-report'),
  programs: () => require('./host/programs') as typeof import('./host/programs'),
  imagePull: () => require('./image/image-pull') as typeof import('./image/image-pull'),
  imagePush: () => require('./image/image-push') as typeof import('./image/image-push'),
  imageArchive: () => require('./image/image-archive') as typeof import('./image/image-archive'),
  imageFilter: () => require('./image/image-filter') as typeof import('./image/image-filter'),
  imageSearch: () => require('./image/image-search') as typeof import('./image/image-search'),
  manifest: () => require('./image/manifest') as typeof import('./image/manifest'),
  authFile: () => require('./image/auth-file') as typeof import('./image/auth-file'),
  reference: () => require('./image/reference') as typeof import('./image/reference'),
  registryResolver: () => require('./image/registry-resolver') as typeof import('./image/registry-resolver'),
  registryClient: () => require('./image/registry-client') as typeof import('./image/registry-client'),
  ociSpec: () => require('./oci/spec') as typeof import('./oci/spec'),
  containerReport: () => require('./container/container-report') as typeof import('./container/container-report'),
  containerTop: () => require('./container/container-top') as typeof import('./container/container-top'),
  containerDiff: () => require('./container/container-diff') as typeof import('./container/container-diff'),
  logReader: () => require('./container/log-reader') as typeof import('./container/log-reader'),
  eventLog: () => require('./event-log') as typeof import('./event-log'),
  containerEngine: () => require('./container-engine') as typeof import('./container-engine'),
  registriesConf: () => require('./config/registries-conf') as typeof import('./config/registries-conf'),
};
/* eslint-enable @typescript-eslint/no-require-imports */
