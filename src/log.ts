// Leveled logging to stderr, set once from --log-level. Debug level also turns on stack traces.
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'fatal', 'panic'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

let current: LogLevel = 'warn';
// The four-letter labels Podman (logrus) prints on a terminal.
const LABELS: Record<LogLevel, string> = { debug: 'DEBU', info: 'INFO', warn: 'WARN', error: 'ERRO', fatal: 'FATA', panic: 'PANI' };

export function setLogLevel(level: LogLevel): void {
  current = level;
}

export function logLevel(): LogLevel {
  return current;
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

function enabled(level: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(current);
}

let syslog = false;

/** --syslog: each line logged is also sent to the system log, through logger(1), tagged "tspod". */
export function setSyslog(on: boolean): void {
  syslog = on;
}

// logger(1)'s priorities for tspod's levels.
const PRIORITIES: Record<LogLevel, string> = { debug: 'debug', info: 'info', warn: 'warning', error: 'err', fatal: 'crit', panic: 'emerg' };

function toSyslog(level: LogLevel, message: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  spawnSync('logger', ['-t', 'tspod', '-p', `user.${PRIORITIES[level]}`, '--', message], { stdio: 'ignore' });
}

function emit(level: LogLevel, message: string): void {
  if (!enabled(level)) return;
  // Debug lines carry the milliseconds since this process started: where a command spends its time.
  process.stderr.write(`${LABELS[level]}[0000] ${message}${level === 'debug' ? ` (${Math.round(performance.now())} ms)` : ''}\n`);
  if (syslog) toSyslog(level, message);
}

export const log = {
  debug: (m: string) => emit('debug', m),
  info: (m: string) => emit('info', m),
  warn: (m: string) => emit('warn', m),
  error: (m: string) => emit('error', m),
};
