// What the lifecycle's ops take (ComposeOps, compose-up's section): plain options, no engine types.
export interface ComposeLogOptions {
  follow: boolean;
  tail?: number;
  /** Milliseconds since the epoch. */
  since?: number;
  until?: number;
  timestamps: boolean;
}

/** A network as the network engine makes it (`network create`'s options). */
export interface ComposeNetworkCreate {
  labels: Record<string, string>;
  driver?: string;
  internal?: boolean;
  subnet?: string;
  gateway?: string;
  ipRange?: string;
  ipamDriver?: string;
  options?: string[];
}
