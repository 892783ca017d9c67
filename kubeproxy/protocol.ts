// What tspod and a Service's proxy (kubeproxy/main.ts) agree on: one JSON file per Service,
// <services dir>/<service>.json, written atomically by kube play (a temporary name, then a rename)
// and re-read by the proxy at a new connection when it changed; the proxy's pid file beside it; the
// one line the proxy writes on fd 3 once it listens (or why it cannot). Imports nothing: the proxy
// loads this and little else. libpod/kube/types.ts's ServiceEndpoints is this file's shape.

/** One port the proxy listens on, and the 127.0.0.1 ports of the replicas it forwards to. */
export interface ProxyPort {
  hostIp: string;
  hostPort: number;
  protocol: 'tcp' | 'udp';
  endpoints: number[];
}

export interface ProxyFile {
  service: string;
  ports: ProxyPort[];
}

/** The Service's endpoints file in the services directory. */
export const endpointsFile = (dir: string, service: string) => `${dir}/${service}.json`;
/** The proxy's pid file: "PID START" (its /proc start time, so a reused pid is never taken for it). */
export const pidFile = (dir: string, service: string) => `${dir}/${service}.pid`;

/** The listener's key: the same address, port and protocol is the same listener across reloads. */
export const portKey = (p: Pick<ProxyPort, 'hostIp' | 'hostPort' | 'protocol'>) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}/${p.protocol}`;

/** The line on fd 3: every port listens, or the first that could not (with the errno code). */
export type ReadyMessage = { ready: true } | { ready: false; port: string; code: string; message: string };

/** How long a connection waits for some endpoint to accept before the client is closed. */
export const RETRY_WINDOW_MS = 5000;
/** Between rounds over the endpoints while none accepts. */
export const RETRY_PAUSE_MS = 50;
/** A connect that neither succeeds nor fails in this time is given up (the next endpoint is tried). */
export const CONNECT_TIMEOUT_MS = 1000;
/**
 * An endpoint that accepted and closed within this time without sending a byte is suspect: a
 * published port's forwarder (slirp4netns, pasta) accepts for a container that no longer (or not
 * yet) listens, and closes at once.
 */
export const EMPTY_CLOSE_MS = 200;
/** How long a suspect endpoint is tried only after the others. */
export const SUSPECT_MS = 3000;
/** A UDP flow (one client address) without traffic for this long is forgotten. */
export const UDP_IDLE_MS = 30_000;
/** How often the proxy looks whether its file is still there (removed: it exits). */
export const WATCH_MS = 500;
