// --log-driver and --log-opt (issue 19): which log the monitor writes and where, checked at create.
// k8s-file is what the monitor writes; json-file is Podman's alias of it (inspect keeps the name
// given); none writes nothing; passthrough gives the container the caller's stdio (pipes or files,
// never a terminal, as Podman); journald is refused: tspod's monitor writes no journal. Pure.
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';

export type LogDriver = 'k8s-file' | 'json-file' | 'none' | 'passthrough';

export interface LogConfig {
  driver: LogDriver;
  /** --log-opt path=: the log file instead of the bundle's ctr.log. */
  path?: string;
  /** --log-opt max-size= in bytes: the monitor truncates the file when a write would pass it, as conmon does. */
  maxSize?: number;
  /** --log-opt tag=: stored and shown by inspect. */
  tag?: string;
}

export interface LogFlagOptions {
  driver?: string;
  options: string[];
}

/** go-units' FromHumanSize: decimal units (10k, 2MB, 1.5g), as Podman reads max-size. */
export function fromHumanSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(value);
  if (!m) throw new InvalidArgumentError(`invalid size: '${value}': give bytes or a size such as 10k, 2mb or 1g`);
  const scale = { k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Math.floor(Number(m[1]) * scale);
}

/**
 * The checked log configuration; undefined for the default (k8s-file in the bundle, no limit).
 * terminalOnStdio: our stdin, stdout or stderr is a terminal (passthrough refuses it, as Podman).
 */
export function parseLogFlags(flags: LogFlagOptions, terminalOnStdio: boolean, cwd = process.cwd()): LogConfig | undefined {
  if (flags.driver === undefined && flags.options.length === 0) return undefined;
  const config: LogConfig = { driver: checkDriver(flags.driver ?? 'k8s-file') };
  for (const o of flags.options) {
    const eq = o.indexOf('=');
    if (eq < 0) throw new InvalidArgumentError(`invalid log option "${o}": use path=FILE, max-size=SIZE or tag=TAG`);
    const key = o.slice(0, eq).toLowerCase();
    const value = o.slice(eq + 1);
    if (key === 'driver') config.driver = checkDriver(value);
    else if (key === 'path') {
      if (!value) throw new InvalidArgumentError('invalid log option "path=": give the file the log goes to');
      config.path = path.resolve(cwd, value);
    } else if (key === 'max-size') config.maxSize = fromHumanSize(value);
    else if (key === 'tag') config.tag = value;
    else throw new InvalidArgumentError(`invalid log option "${o}": tspod knows path=, max-size= and tag=`);
  }
  if (config.driver === 'passthrough' && terminalOnStdio) {
    throw new InvalidArgumentError("the '--log-driver passthrough' option cannot be used on a TTY: run with stdin, stdout and stderr redirected to pipes or files, or use the default k8s-file log");
  }
  if ((config.driver === 'none' || config.driver === 'passthrough') && (config.path || config.maxSize)) {
    throw new InvalidArgumentError(`--log-opt path= and max-size= apply to a log file: the ${config.driver} log driver writes none`);
  }
  return config;
}

function checkDriver(driver: string): LogDriver {
  if (driver === 'journald') {
    throw new InvalidArgumentError('the journald log driver is not supported: tspod\'s monitor writes the log to a file, not to the systemd journal; use --log-driver k8s-file (the default), or none');
  }
  if (driver === 'passthrough-tty') throw new InvalidArgumentError('the passthrough-tty log driver is not supported: use passthrough with pipes, or the default k8s-file log and attach');
  if (driver === 'k8s-file' || driver === 'json-file' || driver === 'none' || driver === 'passthrough') return driver;
  throw new InvalidArgumentError(`invalid log driver "${driver}": use k8s-file, json-file, none or passthrough`);
}

/** The file the container's output goes to, or undefined when it has none (none, passthrough). */
export function logFileOf(config: LogConfig | undefined, bundleLog: string): string | undefined {
  if (config?.driver === 'none' || config?.driver === 'passthrough') return undefined;
  return config?.path ?? bundleLog;
}

/** Podman's HostConfig.LogConfig. */
export function inspectLogConfig(config: LogConfig | undefined, bundleLog: string, goHumanSize: (n: number) => string) {
  return {
    Type: config?.driver ?? 'k8s-file',
    Config: null,
    Path: logFileOf(config, bundleLog) ?? '',
    Tag: config?.tag ?? '',
    Size: goHumanSize(config?.maxSize ?? 0),
  };
}

/** Why `logs` has nothing to read for this container, in Podman's words; undefined when it has a log file. */
export function noLogsReason(config: LogConfig | undefined): string | undefined {
  if (config?.driver === 'none' || config?.driver === 'passthrough') return `this container is using the '${config.driver}' log driver, cannot read logs: this container is not logging output`;
  return undefined;
}
