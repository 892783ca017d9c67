// `tspod system service`: where to listen (the argument, a socket systemd passed, or the default
// socket under the user's runtime directory), then serve until idle (api/server.ts).
import path from 'node:path';
import type { Engine } from '../libpod/engine';
import type { Paths } from '../src/paths';
import { serve } from './server';

export interface RunServiceOptions {
  uri?: string;
  idleSeconds: number;
  paths: Paths;
  makeEngine: () => Engine;
  log: { debug(m: string): void; warn(m: string): void };
}

/** The default address: unix://$XDG_RUNTIME_DIR/tspod/tspod.sock. */
export function defaultServiceUri(paths: Pick<Paths, 'runtimeDir'>): string {
  return `unix://${path.join(paths.runtimeDir, 'tspod', 'tspod.sock')}`;
}

/**
 * The listening socket systemd passed (sd_listen_fds: LISTEN_PID is this process, LISTEN_FDS
 * counts from fd 3), or one passed on by tspod outside the user namespace (_TSPOD_LISTEN_FDS).
 */
export function inheritedListenFd(env: NodeJS.ProcessEnv = process.env, pid = process.pid): number | undefined {
  if (env._TSPOD_LISTEN_FDS && Number(env._TSPOD_LISTEN_FDS) >= 1) return 3;
  if (env.LISTEN_FDS && Number(env.LISTEN_FDS) >= 1 && Number(env.LISTEN_PID) === pid) return 3;
  return undefined;
}

export async function runService(o: RunServiceOptions): Promise<void> {
  const inheritedFd = o.uri ? undefined : inheritedListenFd();
  const uri = o.uri ?? (inheritedFd === undefined ? defaultServiceUri(o.paths) : undefined);
  await serve({ uri, inheritedFd, idleSeconds: o.idleSeconds, makeEngine: o.makeEngine, debug: o.log.debug, warn: o.log.warn });
}
