// What the lifecycle's ops take (ComposeOps, compose-up's section): the network and volume
// engines' create options as translate-resources.ts makes them, log options.
import type { NetworkCreateOptions } from '../network/user-network';

export interface ComposeLogOptions {
  follow: boolean;
  tail?: number;
  /** Milliseconds since the epoch. */
  since?: number;
  until?: number;
  timestamps: boolean;
}

/** `network create`'s options (labels as key=value). */
export type ComposeNetworkCreate = Omit<NetworkCreateOptions, 'labels'> & { labels: string[]; driver?: string; ipamDriver?: string; ignore: boolean };

/** `volume create`'s options (labels as key=value). */
export interface ComposeVolumeCreate {
  labels: string[];
  options: string[];
  ignore: boolean;
}
