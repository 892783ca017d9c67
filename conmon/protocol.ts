// What tspod and its per-container monitor agree on: the monitor's start-up arguments, the
// message it writes on the sync pipe (Podman's conmon: {"data": pid} or {"data": -1, "message"}),
// the exit file (the container's exit code in decimal, 128+N when killed by signal N), the
// k8s-file log line format, and the frames spoken on the attach socket. Imports nothing: the
// monitor loads this and little else.

export interface MonitorArgs {
  id: string;
  bundle: string;
  /** The OCI runtime binary and its --root state directory. */
  runtime: string;
  runtimeRoot: string;
  /** The runtime's global flags (--runtime-flag), before each verb. */
  runtimeFlags?: string[];
  /** Flags for the runtime's create, after the verb (--no-new-keyring for keyring = false). */
  createFlags?: string[];
  /** k8s-file log of the container's stdout and stderr. */
  logPath: string;
  /**
   * none: no log is written (logPath unused); passthrough: the container's stdin, stdout and
   * stderr are the monitor's fds 4, 5 and 6 (the caller's own, or /dev/null), with no log either.
   */
  logDriver?: 'none' | 'passthrough';
  /** --conmon-pidfile and --pidfile: the monitor's pid, and the container's after each create (no newline, as conmon and runc write them). */
  userPidFiles?: { monitor?: string; container?: string };
  /** --log-opt max-size: when a line would take the log past it, the file is emptied first (as conmon does). */
  logMaxSize?: number;
  /** Written when the container exits: its exit code. */
  exitFile: string;
  /** The monitor's own pid, for `generate systemd` and for tspod to find it. */
  pidFile: string;
  /** Run after the exit file is written (tspod container cleanup ID); empty for none. */
  cleanup: string[];
  /** The container has a terminal: runc sends its pty master to consoleSocket. */
  terminal: boolean;
  /** Keep the container's stdin open for attach clients (-i); else it reads /dev/null. */
  stdin: boolean;
  /** Unix stream socket where attach clients connect (frames below). */
  attachSocket: string;
  consoleSocket: string;
  /** Restart policy: the monitor restarts the container itself (no daemon to do it). */
  restart: RestartPolicy;
  /** Written by the monitor while it restarts the container (MonitorState as JSON). */
  stateFile: string;
  /** Made by tspod stop/kill before signalling: the user ended this run, do not restart. */
  stopFile: string;
  /**
   * --sdnotify=container under systemd: $NOTIFY_SOCKET for the first runtime create only (runc
   * then gives the container a socket of its own and relays its READY=1); restarts go without.
   */
  notifySocket?: string;
  /** --timeout: seconds each run of the container may last before the monitor kills it (SIGKILL). */
  timeout?: number;
}

export interface RestartPolicy {
  name: 'no' | 'always' | 'on-failure' | 'unless-stopped';
  /** on-failure's limit; 0 for none. */
  maxRetries: number;
}

/** What the monitor tells tspod about restarts: the current container pid, or that it waits. */
export interface MonitorState {
  restartCount: number;
  restarting: boolean;
  /** The container's current pid (0 while restarting). */
  pid: number;
  startedAt: number;
  lastExitCode: number;
}

/** Whether a container that exited with code after `restarts` restarts is started again. */
export function shouldRestart(policy: RestartPolicy, code: number, restarts: number): boolean {
  switch (policy.name) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      return code !== 0 && (policy.maxRetries === 0 || restarts < policy.maxRetries);
    default:
      return false;
  }
}

/** Docker's backoff: 100 ms, doubled for each restart, at most a minute. */
export function restartDelayMs(restartNumber: number): number {
  return Math.min(100 * 2 ** Math.max(0, restartNumber - 1), 60_000);
}

/**
 * Frames on the attach socket, both ways: [type: 1 byte][length: 4 bytes, big-endian][payload].
 * Output goes to every connected client; EXIT ends the stream once the cleanup has run (by the
 * monitor's cleanup command, or by the client that claimed it), so that a client of `run --rm`
 * sees the container gone when it returns the code.
 */
export const FRAME = {
  STDIN: 1,
  STDOUT: 2,
  STDERR: 3,
  /** The client's stdin ended: the container's stdin is closed (without a terminal). */
  STDIN_EOF: 4,
  /** Payload "rows cols": the client's terminal size, applied to the container's pty. */
  RESIZE: 5,
  /** Payload: the exit code in decimal. */
  EXIT: 6,
  /**
   * From a client that will clean up after EXIT itself (tspod run, in-process: one process fewer
   * on the way to the prompt). While it stays connected the monitor sends EXIT before cleanup
   * and waits for it; CLEANED tells it the work is done; if it goes without saying so, the
   * monitor runs the cleanup command as usual.
   */
  CLAIM_CLEANUP: 7,
  CLEANED: 8,
} as const;

export interface Frame {
  type: number;
  payload: Buffer;
}

export function encodeFrame(type: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const head = Buffer.alloc(5);
  head[0] = type;
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/** Reassembles frames from a byte stream that may cut them anywhere. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Frame[] = [];
    while (this.buf.length >= 5) {
      const len = this.buf.readUInt32BE(1);
      if (this.buf.length < 5 + len) break;
      out.push({ type: this.buf[0], payload: this.buf.subarray(5, 5 + len) });
      this.buf = this.buf.subarray(5 + len);
    }
    return out;
  }
}

export interface SyncMessage {
  data: number;
  message?: string;
  /** The network helper's pid (slirp4netns), when the monitor started one. */
  helper?: number;
}

/** A network helper the monitor starts before the container (see libpod/network/rootless-net.ts). */
export interface HelperSpec {
  argv: string[];
  /** fd: it writes to its fd 3 when ready and exits when its fd 4 closes; exit: it daemonizes, exit 0 = ready. */
  ready: 'fd' | 'exit';
  /**
   * The container has a user namespace of its own: the runtime makes its network namespace (one
   * the container's namespace owns, so that the runtime's exec can join both), and the monitor
   * binds it at this file once the container exists, then starts the helper on it.
   */
  netnsAfterCreate?: string;
}

/** What follows "go" on the monitor's stdin. */
export interface GoMessage {
  helper?: HelperSpec;
  /** The container's healthcheck, known only once its image is (run starts the monitor before). */
  health?: import('./health-runner').HealthArgs & { stopSignal: number; stopTimeout: number };
}

/** The file descriptor on which the monitor reports the container's pid (its fourth stdio). */
export const SYNC_FD = 3;

export function encodeSync(msg: SyncMessage): string {
  return `${JSON.stringify(msg)}\n`;
}

export function decodeSync(text: string): SyncMessage {
  const line = text.split('\n').find((l) => l.trim() !== '');
  if (!line) return { data: -1, message: 'the monitor exited without reporting' };
  const parsed = JSON.parse(line) as SyncMessage;
  if (typeof parsed.data !== 'number') return { data: -1, message: `unexpected message from the monitor: ${line}` };
  return parsed;
}

/** waitpid status to the exit code tspod reports: the code, or 128 + the signal number. */
export function exitCodeFromStatus(status: number): number {
  const signal = status & 0x7f;
  if (signal === 0) return (status >> 8) & 0xff;
  return 128 + signal;
}

/** The fds of the caller's stdin, stdout and stderr in the monitor under the passthrough log driver. */
export const PASSTHROUGH_FDS = [4, 5, 6] as const;

/** One k8s-file log line: `2024-01-02T15:04:05.000000000Z stdout F text` (P for a partial line). */
export function logLine(when: Date, stream: 'stdout' | 'stderr', text: string, partial: boolean): string {
  return logLines(when, stream, [{ text, partial }]);
}

/** The log lines of one chunk of output, all stamped with its time (formatted once). */
export function logLines(when: Date, stream: 'stdout' | 'stderr', lines: Array<{ text: string; partial: boolean }>): string {
  const iso = when.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
  let out = '';
  for (const l of lines) out += `${iso} ${stream} ${l.partial ? 'P' : 'F'} ${l.text}\n`;
  return out;
}

/**
 * Splits a chunk of output into log lines: whole lines become F entries; what is left without a
 * newline is kept for the next chunk, or flushed as a P entry when it grows past maxPartial.
 */
export class LineSplitter {
  private pending = '';
  constructor(private readonly maxPartial = 16 * 1024) {}

  push(chunk: string): Array<{ text: string; partial: boolean }> {
    const out: Array<{ text: string; partial: boolean }> = [];
    // Scans by index: cutting the rest off after each line copied it once per line.
    const text = this.pending + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      out.push({ text: text.slice(start, nl), partial: false });
      start = nl + 1;
    }
    this.pending = text.slice(start);
    if (this.pending.length > this.maxPartial) {
      out.push({ text: this.pending, partial: true });
      this.pending = '';
    }
    return out;
  }

  /** What is left at end of stream, as a partial line. */
  flush(): Array<{ text: string; partial: boolean }> {
    if (!this.pending) return [];
    const rest = { text: this.pending, partial: true };
    this.pending = '';
    return [rest];
  }
}
