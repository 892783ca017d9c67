// create's and run's flags of issue 19's logs-and-secrets area, checked in one place: --log-driver
// and --log-opt (log-flags.ts), --conmon-pidfile and --pidfile, --secret (secret/secret-use.ts),
// --rootfs DIR[:O], --env-merge and --http-proxy. checkLogsSecrets runs before any pull or write;
// logsSecretsSpec gives the spec's fields once the image's environment is known.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import { parseLogFlags, type LogConfig } from './log-flags';
import type { SecretUse } from '../secret/secret-use';

// Loaded only when asked for: every create passes through here (node:tty is kept off the start path).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  tty: () => require('node:tty') as typeof import('node:tty'),
  secretUse: () => require('../secret/secret-use') as typeof import('../secret/secret-use'),
  secretStore: () => require('../secret/secret-store') as typeof import('../secret/secret-store'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface LogsSecretsOptions {
  logDriver?: string;
  logOpts: string[];
  conmonPidFile?: string;
  pidFile?: string;
  secrets: string[];
  /** --rootfs: the image argument is a directory (DIR or DIR:O). */
  rootfs: boolean;
  envMerge: string[];
  httpProxy: boolean;
}

export interface RootfsDir {
  path: string;
  /** :O: an overlay over it takes the container's changes; the directory stays as it is. */
  overlay: boolean;
}

export interface CheckedLogsSecrets {
  log?: LogConfig;
  conmonPidFile?: string;
  pidFile?: string;
  secrets: SecretUse[];
  rootfs?: RootfsDir;
  envMerge: string[];
  /** The proxy variables of ours passed in (--http-proxy, the default). */
  proxyEnv: string[];
}

/** The variables --http-proxy passes, as Podman's list. */
export const PROXY_VARS = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'ftp_proxy', 'FTP_PROXY', 'no_proxy', 'NO_PROXY'];

const terminalOnStdio = () => [0, 1, 2].some((fd) => lazy.tty().isatty(fd));

/** --rootfs DIR[:O]: an existing directory (idmap cannot be done rootless here: refused). */
export function parseRootfs(value: string, cwd = process.cwd()): RootfsDir {
  let dir = value;
  let overlay = false;
  const colon = value.lastIndexOf(':');
  if (colon > 0) {
    const opts = value.slice(colon + 1).split(',');
    if (opts.every((o) => o === 'O' || o.startsWith('idmap'))) {
      if (opts.some((o) => o.startsWith('idmap'))) throw new InvalidArgumentError(`--rootfs ${value}: idmap is not supported: tspod's rootless containers cannot make idmapped mounts; leave it out`);
      dir = value.slice(0, colon);
      overlay = true;
    }
  }
  const abs = path.resolve(cwd, dir);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InvalidArgumentError(`stat ${abs}: ${code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}: --rootfs needs an existing directory holding a root filesystem`);
  }
  if (!st.isDirectory()) throw new InvalidArgumentError(`--rootfs ${abs} is not a directory: give the directory holding the root filesystem`);
  return { path: abs, overlay };
}

/** --env-merge NAME=VALUE, ${NAME} and $NAME in VALUE taken from the image's environment ("" when it has none). */
export function mergeEnv(entries: string[], imageEnv: string[]): string[] {
  const image = new Map(imageEnv.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  return entries.map((e) => {
    const eq = e.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`invalid --env-merge "${e}": use NAME=VALUE, where VALUE may name the image's variables as \${NAME}`);
    const value = e.slice(eq + 1).replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, a, b) => image.get(a ?? b) ?? '');
    return `${e.slice(0, eq)}=${value}`;
  });
}

/** Every flag of the area checked; tty: the container gets a terminal (-t). */
export function checkLogsSecrets(root: string, image: string, o: LogsSecretsOptions | undefined, tty = false, env: NodeJS.ProcessEnv = process.env): CheckedLogsSecrets {
  if (!o) return { secrets: [], envMerge: [], proxyEnv: [] };
  for (const e of o.envMerge) if (e.indexOf('=') <= 0) throw new InvalidArgumentError(`invalid --env-merge "${e}": use NAME=VALUE, where VALUE may name the image's variables as \${NAME}`);
  const store = o.secrets.length ? new (lazy.secretStore().SecretStore)(root) : undefined;
  const secrets = o.secrets.map((s) => lazy.secretUse().parseSecretFlag(s, store!));
  const targets = new Set<string>();
  for (const s of secrets) {
    if (targets.has(`${s.type}:${s.target}`)) throw new InvalidArgumentError(`--secret ${s.name}: ${s.target} is given twice: give each secret its own target`);
    targets.add(`${s.type}:${s.target}`);
  }
  const log = parseLogFlags({ driver: o.logDriver, options: o.logOpts }, o.logDriver === 'passthrough' && terminalOnStdio());
  if (log?.driver === 'passthrough' && tty) throw new InvalidArgumentError('--log-driver passthrough cannot be used with --tty: the container writes to our stdout itself, with no terminal between; drop -t, or use the default k8s-file log');
  // The monitor writes these files once the container starts: a directory that is not there is said now.
  const inDirectory = (file: string | undefined, flag: string) => {
    if (file === undefined) return undefined;
    const abs = path.resolve(file);
    if (!fs.statSync(path.dirname(abs), { throwIfNoEntry: false })?.isDirectory()) throw new InvalidArgumentError(`${flag}${abs}: the directory ${path.dirname(abs)} does not exist: create it first`);
    return abs;
  };
  inDirectory(log?.path, '--log-opt path=');
  return {
    log,
    conmonPidFile: inDirectory(o.conmonPidFile, '--conmon-pidfile '),
    pidFile: inDirectory(o.pidFile, '--pidfile '),
    secrets,
    rootfs: o.rootfs ? parseRootfs(image) : undefined,
    envMerge: o.envMerge,
    proxyEnv: o.httpProxy ? PROXY_VARS.filter((k) => env[k] !== undefined).map((k) => `${k}=${env[k]}`) : [],
  };
}

/**
 * The spec's fields, and the variables to put before and after the others: the proxies first
 * (the image's own and -e's win over them, as in Podman), --env-merge's last.
 */
export function logsSecretsSpec(c: CheckedLogsSecrets, imageEnv: string[]) {
  const imageNames = new Set(imageEnv.map((e) => e.slice(0, e.indexOf('='))));
  return {
    envBefore: c.proxyEnv.filter((e) => !imageNames.has(e.slice(0, e.indexOf('=')))),
    envAfter: mergeEnv(c.envMerge, imageEnv),
    spec: {
      ...(c.log ? { log: c.log } : {}),
      ...(c.conmonPidFile ? { conmonPidFile: c.conmonPidFile } : {}),
      ...(c.pidFile ? { pidFile: c.pidFile } : {}),
      ...(c.secrets.length ? { secrets: c.secrets } : {}),
      ...(c.rootfs ? { rootfs: c.rootfs } : {}),
    },
  };
}

/** What stands for the image of a --rootfs container: no layers, an empty config. */
export function rootfsImage(): import('../image/image-store').Image {
  return { id: '', createdAt: 0, size: 0, record: '', names: [], namesHistory: [], layers: [], config: { config: {} } as import('../image/image-store').Image['config'], repoDigests: [], buildStep: false };
}
