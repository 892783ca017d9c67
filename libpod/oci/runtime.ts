// The OCI runtime driver: finds runc or crun (--runtime, containers.conf, else the one that works
// with this host's cgroups) and runs its verbs against tspod's state directory: `create` is run by
// the monitor (it must be the runtime's parent), start and delete here, exec by ContainerEngine.
// Signals go to the container's PID 1 directly (stop/kill work from outside the namespace, where
// the runtime cannot run). Failures quote the runtime's own message. Runs inside the namespace.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { EXIT_CANNOT_INVOKE, EXIT_NOT_FOUND, InvalidArgumentError, PrerequisiteError, RuntimeError } from '../../src/errors';
import { findProgram } from '../host/programs';
import { readIfExists } from '../../src/files';
import { cgroupMode, runtimeCandidates } from '../host/host-info';
import type { Config } from '../config/config';

const SIGNALS = os.constants.signals as Record<string, number>;

/** "TERM", "SIGTERM", "15" → "SIGTERM"; anything else is an error that lists the form. */
export function normalizeSignal(sig: string): string {
  const up = sig.toUpperCase();
  if (/^\d+$/.test(sig)) {
    const name = Object.keys(SIGNALS).find((k) => SIGNALS[k] === Number(sig));
    if (name) return name;
  } else {
    const name = up.startsWith('SIG') ? up : `SIG${up}`;
    if (name in SIGNALS) return name;
    if (realtimeSignal(name) !== undefined) return name;
  }
  throw new InvalidArgumentError(`invalid signal "${sig}": use a name such as TERM or SIGKILL, or a number`);
}

/** SIGRTMIN+N / SIGRTMAX-N (systemd's SIGRTMIN+3) as the number Linux gives it (34 to 64), else undefined. */
export function realtimeSignal(name: string): number | undefined {
  const m = /^SIGRT(MIN|MAX)(?:([+-])(\d+))?$/.exec(name);
  if (!m) return undefined;
  const n = (m[1] === 'MIN' ? 34 : 64) + (m[2] === '-' ? -1 : 1) * Number(m[3] ?? 0);
  return n >= 34 && n <= 64 ? n : undefined;
}

/** A runtime failure to start the command maps to Podman's exit codes: 127 not found, 126 not runnable. */
export class StartError extends RuntimeError {
  override readonly exitCode: number;
  constructor(message: string) {
    super(message);
    this.exitCode = /executable file not found|no such file or directory/i.test(message) ? EXIT_NOT_FOUND : /permission denied|exec format error|is a directory/i.test(message) ? EXIT_CANNOT_INVOKE : 125;
  }
}

/**
 * Sends a signal to a container's PID 1 directly (the driver's kill): stop and kill work from
 * outside the namespace, where the runtime cannot run. False when the process is gone.
 */
export function killInit(pid: number, signal: string): boolean {
  try {
    process.kill(pid, realtimeSignal(signal) ?? signal);
    return true;
  } catch {
    return false;
  }
}

/** The runtime binary to use: the one named (a name or a path), else the configured one, else runc/crun. */
export function findRuntime(config: Config, named?: string): string {
  const candidates = named ? (config.engine.runtimePaths[named]?.length ? config.engine.runtimePaths[named] : [named]) : runtimeCandidates(config, cgroupMode());
  for (const c of candidates) {
    const found = findProgram(c);
    if (found) return found;
  }
  throw new PrerequisiteError(`no OCI runtime found (tried ${candidates.join(', ')}): install one with "sudo apt-get install runc", or name one with --runtime`);
}

/**
 * Flags for the runtime's `create` that containers.conf decides (the monitor runs create and puts
 * these after the verb): --no-new-keyring when keyring = false, so that the container keeps the
 * monitor's session keyring instead of costing the user a key of the kernel's quota.
 */
export function createFlags(config: Pick<Config, 'containers'>): string[] {
  return config.containers.keyring ? [] : ['--no-new-keyring'];
}

/** The runtime's message from its stderr: runc prints JSON-ish `level=error msg="..."` or plain text. */
export function runtimeMessage(stderr: string): string {
  const text = stderr.trim();
  const m = /msg="((?:[^"\\]|\\.)*)"/.exec(text);
  if (m) return m[1].replace(/\\"/g, '"');
  return text.split('\n').filter(Boolean).pop() ?? '';
}

/**
 * The runtime's environment: ours without NOTIFY_SOCKET, which runc would take as its cue to wait
 * for the container's own readiness message; with it only for --sdnotify=container.
 */
export function runtimeEnv(notifySocket?: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { NOTIFY_SOCKET: _, ...rest } = env;
  return notifySocket ? { ...rest, NOTIFY_SOCKET: notifySocket } : rest;
}

/** Streams an exec runs on instead of tspod's own stdio (the API's exec sessions). */
export interface ExecIo {
  /** Read into the process's stdin when the exec is interactive; its end closes the process's stdin. */
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Where the runtime writes the process's PID once it runs. */
  pidFile?: string;
  /** The process has a terminal (its spec's terminal): see ttyCommand. */
  tty?: boolean;
  /** The terminal's first size. */
  size?: { rows: number; cols: number };
  /**
   * Nobody reads the output (the API's detached exec, without a terminal): the process gets
   * /dev/null and the runtime writes its messages to a log file, so that neither has a pipe to us
   * that would break (SIGPIPE) if we exit while the process runs; the exit code still comes back.
   */
  discard?: boolean;
  /** Given a function that resizes the terminal while the process runs. */
  onResizer?: (resize: (rows: number, cols: number) => void) => void;
}

/** Single-quoted for sh. */
const shQuote = (w: string) => `'${w.replace(/'/g, "'\\''")}'`;

/**
 * A terminal exec on given streams. runc in the foreground makes the container's pty itself and
 * copies between it and its own terminal, which it must have; the service has none, so util-linux's
 * script(1) gives it one (a pty whose master script copies to and from our pipes). The outer pty's
 * size is set with stty; the kernel's SIGWINCH then makes runc pass it on to the container's.
 */
function ttyCommand(argv: string[], size?: { rows: number; cols: number }): string[] {
  const sizeCmd = size ? `stty rows ${size.rows} cols ${size.cols}; ` : '';
  return ['script', '--quiet', '--return', '--flush', '--command', `${sizeCmd}exec ${argv.map(shQuote).join(' ')}`, '/dev/null'];
}

/**
 * Resizes the terminal script(1) made for pid's child (the runtime, which stty's SIGWINCH reaches);
 * asked before script has started its child, it tries again a few times.
 */
function resizeScriptTerminal(scriptPid: number, rows: number, cols: number, tries = 20): void {
  if (!resizeScriptTerminalNow(scriptPid, rows, cols) && tries > 1 && fs.existsSync(`/proc/${scriptPid}`)) {
    setTimeout(() => resizeScriptTerminal(scriptPid, rows, cols, tries - 1), 25);
  }
}

function resizeScriptTerminalNow(scriptPid: number, rows: number, cols: number): boolean {
  let done = false;
  const children = (readIfExists(`/proc/${scriptPid}/task/${scriptPid}/children`) ?? '').trim().split(/\s+/).filter(Boolean);
  for (const child of children) {
    let tty: string;
    try {
      tty = fs.readlinkSync(`/proc/${child}/fd/0`);
    } catch {
      continue;
    }
    if (tty.startsWith('/dev/pts/')) done = spawnSync('stty', ['-F', tty, 'rows', String(rows), 'cols', String(cols)], { stdio: 'ignore' }).status === 0 || done;
  }
  return done;
}

export class OciRuntime {
  readonly name: string;

  constructor(
    readonly binary: string,
    /** The runtime's --root: where it keeps the state of the containers it runs. */
    readonly stateDir: string,
    /** Global flags before each verb (--runtime-flag). */
    private readonly globalFlags: string[] = [],
  ) {
    this.name = path.basename(binary);
  }

  private run(args: string[], what: string, okIf?: RegExp, notifySocket?: string): void {
    fs.mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    const r = spawnSync(this.binary, ['--root', this.stateDir, ...this.globalFlags, ...args], { encoding: 'utf8', env: runtimeEnv(notifySocket) });
    if (r.error) throw new RuntimeError(`${what}: cannot run ${this.binary}: ${r.error.message}`);
    if (r.status !== 0) {
      const msg = runtimeMessage(r.stderr || r.stdout);
      if (okIf?.test(msg)) return;
      throw new RuntimeError(`${what}: ${this.name}: ${msg || `exit ${r.status}`}`);
    }
  }

  /**
   * Starts a container that the monitor created (state created → running). With notifySocket
   * (--sdnotify=container) runc waits for the container's READY=1 and passes it on there.
   */
  start(id: string, notifySocket?: string): void {
    this.run(['start', id], `cannot start container ${id.slice(0, 12)}`, undefined, notifySocket);
  }

  /** `update`: new cgroup limits for a container the runtime knows (resourcesFile: linux.resources as JSON). */
  update(id: string, resourcesFile: string): void {
    this.run(['update', '--resources', resourcesFile, id], `cannot update container ${id.slice(0, 12)}`);
  }

  /** `pause`/`resume`: freezes or thaws the container's cgroup (cgroup.freeze on cgroups v2). */
  pause(id: string): void {
    this.run(['pause', id], `cannot pause container ${id.slice(0, 12)}`);
  }

  resume(id: string): void {
    this.run(['resume', id], `cannot unpause container ${id.slice(0, 12)}`);
  }

  /** Forgets the container (forcibly, killing what is left); one never created or already deleted is fine. */
  delete(id: string): void {
    // runc and crun keep all they know of a container in <root>/<id>: without it the runtime
    // could only answer "does not exist". A stopped container's cleanup already deleted it, and
    // running the runtime to hear so cost 5 ms a container (half of rm -a's time with 50).
    if (!fs.existsSync(path.join(this.stateDir, id))) return;
    this.run(['delete', '--force', id], `cannot delete container ${id.slice(0, 12)}`, /does not exist|not found/);
  }

  /**
   * `exec`: runs the process described in processFile in the running container; resolves with
   * its exit code. The process's own stderr passes through to stderr; the runtime's log lines
   * are kept for the error (StartError, with Podman's exit codes).
   */
  async exec(id: string, processFile: string, interactive: boolean, stderr: NodeJS.WritableStream, detach = false, io?: ExecIo): Promise<number> {
    // Detached (-d): the runtime starts the process and returns. The process would inherit the
    // runtime's stdio, so it gets none of ours (a pipe of ours would break when we exit) and the
    // runtime's own messages go to a log file beside the process file.
    const logFile = `${processFile}.log`;
    const pidFlags = io?.pidFile ? ['--pid-file', io.pidFile] : [];
    const quiet = detach || (!!io?.discard && !io.tty);
    const args = ['--root', this.stateDir, ...this.globalFlags, ...(quiet ? ['--log', logFile, '--log-format', 'text'] : []), 'exec', ...(detach ? ['--detach'] : []), ...pidFlags, '--process', processFile, id];
    // Given streams (the API's exec): pipes that the process inherits from the runtime; else the
    // terminal or whatever tspod's own stdio is.
    const stdio = quiet ? 'ignore' : io ? (['pipe', 'pipe', 'pipe'] as const) : ([interactive ? 'inherit' : 'ignore', 'inherit', 'pipe'] as const);
    const argv = io?.tty && !detach ? ttyCommand([this.binary, ...args], io.size) : [this.binary, ...args];
    // Discarded output (the API's detached exec): its own process group too, so that ctrl-c on the
    // service (sent to the group) is not relayed by the runtime to the process.
    const group = quiet && !detach ? { detached: true } : {};
    const child = spawn(argv[0], argv.slice(1), { ...group, stdio: stdio as 'ignore' | Array<'pipe' | 'inherit' | 'ignore'>, ...(io?.tty ? { env: { ...process.env, SHELL: '/bin/sh', TERM: process.env.TERM ?? 'xterm' } } : {}) });
    if (io?.tty && child.pid) {
      const pid = child.pid;
      io.onResizer?.((rows, cols) => resizeScriptTerminal(pid, rows, cols));
    }
    if (io && !quiet) {
      child.stdout!.pipe(io.stdout, { end: false });
      if (io.stdin && interactive) {
        io.stdin.pipe(child.stdin!);
        child.stdin!.on('error', () => undefined); // the process closed its stdin: what is left goes nowhere
      } else child.stdin!.end();
    }
    const runtimeLine = /^time="[^"]*" level=\w+ msg=/m;
    let logged = '';
    const processStderr = io?.stderr ?? stderr;
    child.stderr?.on('data', (d: Buffer) => {
      const text = d.toString();
      if (runtimeLine.test(text)) logged += text;
      else processStderr.write(d);
    });
    const code = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (status, signal) => resolve(status ?? 128 + (signal ? SIGNALS[signal] : 0)));
    });
    if (io?.stdin && !quiet) io.stdin.unpipe(child.stdin!);
    if (quiet) {
      // The log file has every level; the failure is in its error lines.
      logged = (readIfExists(logFile) ?? '').split('\n').filter((l) => /level=(error|fatal)/.test(l)).join('\n');
      fs.rmSync(logFile, { force: true });
    }
    const msg = runtimeMessage(logged);
    if (code !== 0 && msg) throw new StartError(`${this.name}: ${msg}`);
    return code;
  }
}
