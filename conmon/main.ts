// The per-container monitor, started detached by tspod with its arguments as JSON in argv[2]:
// become child subreaper; listen on the attach socket; wait for "go" on stdin (tspod starts the
// monitor first and finishes the bundle meanwhile); run `<runtime> create` (receiving the pty
// master when the container has a terminal); report the container's pid (or the runtime's error)
// on the sync pipe; copy the container's output into the k8s-file log and to attach clients, and
// clients' input to the container; wait for it to exit, and under a restart policy create and start
// it again (after a growing delay, unless the user stopped it); write the exit file; run the
// cleanup command; tell the clients the exit code; exit.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { spawn, spawnSync } from 'node:child_process';
import { becomeSubreaper, closeFd, reapChildren, listenConsoleSocket, makePipe, receiveConsoleFd, setWindowSize, waitForExit } from './ffi';
import { ptyStreams } from './console';
import { healthTimer } from './health-runner';
import type { HealthAction } from './health';
import { encodeFrame, encodeSync, exitCodeFromStatus, FRAME, FrameDecoder, LineSplitter, logLine, logLines, PASSTHROUGH_FDS, restartDelayMs, shouldRestart, SYNC_FD, type GoMessage, type HelperSpec, type SyncMessage, type MonitorArgs, type MonitorState } from './protocol';

function report(msg: SyncMessage): void {
  try {
    fs.writeSync(SYNC_FD, encodeSync(msg));
    fs.closeSync(SYNC_FD);
  } catch {
    /* nobody is listening any more: the exit file still tells */
  }
}

/** The runtime's last error from its JSON log (--log-format json), else its stderr. */
function runtimeError(logFile: string, stderr: string): string {
  try {
    const lines = fs.readFileSync(logFile, 'utf8').trim().split('\n').reverse();
    for (const l of lines) {
      const entry = JSON.parse(l) as { level?: string; msg?: string };
      if (entry.level === 'error' && entry.msg) return entry.msg;
    }
  } catch {
    /* no log: fall back to stderr */
  }
  return stderr.trim() || 'the OCI runtime failed without a message';
}

const clients = new Set<net.Socket>();
/** The client that claimed the cleanup (CLAIM_CLEANUP), while it is connected. */
let claimant: { sock: net.Socket; closed: Promise<void>; cleaned: boolean } | null = null;

/**
 * A client's input into the container's stdin. When the pipe (or pty) is full, that client's
 * socket is read no further until it drains, so the client stops reading its own input in turn:
 * memory stays bounded however much is sent. Input for a stdin that is closed is dropped, as the
 * pipe itself would refuse it.
 */
function feed(target: NodeJS.WritableStream | null, sock: net.Socket, data: Buffer): void {
  if (!target?.writable) return;
  if (target.write(data) || sock.isPaused()) return;
  sock.pause();
  const resume = () => {
    target.off('drain', resume);
    target.off('close', resume);
    sock.resume();
  };
  target.on('drain', resume);
  target.on('close', resume);
}

/** The container's output streams being copied; paused while a client cannot take more. */
const outputs = new Set<NodeJS.ReadableStream>();
/** Clients whose socket is full: output waits for them (a slow reader slows the container, as a pipe would). */
const throttled = new Set<net.Socket>();
/** When a client last became throttled or drained: one that stops taking output is given up on after the exit. */
let lastDrain = Date.now();
/** Clients given up on: output is queued for them without waiting. */
const abandoned = new Set<net.Socket>();

function broadcast(type: number, data: Buffer): void {
  if (clients.size === 0) return; // the usual case of a detached container: no frame to build
  const frame = encodeFrame(type, data);
  for (const c of clients) {
    if (c.write(frame) || throttled.has(c) || abandoned.has(c) || c.destroyed) continue;
    throttled.add(c);
    lastDrain = Date.now();
    for (const s of outputs) s.pause();
    const release = () => {
      c.off('drain', release);
      c.off('close', release);
      lastDrain = Date.now();
      throttled.delete(c);
      if (throttled.size === 0) for (const s of outputs) s.resume();
    };
    c.on('drain', release);
    c.on('close', release);
  }
}

/**
 * Waits until the output copies end (the container's pipes closed): as long as a slow client is
 * still taking output, then at most a second once nobody holds it back (a daemon the container left
 * may keep the pipes open). A client that took nothing for 30 s holds nothing back any more.
 */
async function drainOutput(copies: Array<Promise<void>>): Promise<void> {
  const all = Promise.all(copies).then(() => true);
  let idle = 0;
  for (;;) {
    if (await Promise.race([all, new Promise<false>((r) => setTimeout(() => r(false), 50))])) return;
    if (throttled.size === 0) idle += 50;
    else if (Date.now() - lastDrain > 30_000) {
      // A client that stopped taking output holds it back no longer: the rest goes to the log.
      for (const c of throttled) abandoned.add(c);
      throttled.clear();
      for (const s of outputs) s.resume();
    }
    if (idle >= 1000) return;
  }
}

/** The log file (-1 for none), its size limit (0 for none) and what it holds now. */
const logFile = { fd: -1, max: 0, bytes: 0 };

/** Appends log text; with a size limit the file is emptied when a line would take it past (conmon's truncation). */
function writeLog(text: string): void {
  if (logFile.fd < 0) return;
  const len = Buffer.byteLength(text);
  if (logFile.max > 0 && logFile.bytes + len > logFile.max) {
    // Line by line, as conmon checks each line: the file restarts empty before the one that overflows.
    if (text.indexOf('\n') < text.length - 1) {
      for (const line of text.split(/(?<=\n)/)) writeLog(line);
      return;
    }
    if (logFile.bytes > 0) fs.ftruncateSync(logFile.fd, 0); // opened for append: the next write lands at 0
    logFile.bytes = 0;
  }
  fs.writeSync(logFile.fd, text);
  logFile.bytes += len;
}

/** Copies one output stream of the container to the log (as k8s-file lines) and to attach clients. */
function copyOutput(stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr'): Promise<void> {
  const split = new LineSplitter();
  const text = new StringDecoder('utf8');
  // One write per chunk, not per line: a container printing short lines fast costs a syscall each otherwise.
  const write = (lines: Array<{ text: string; partial: boolean }>) => {
    if (!lines.length) return;
    writeLog(logLines(new Date(), name, lines));
  };
  outputs.add(stream);
  if (throttled.size) stream.pause();
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      write(split.push(text.write(chunk)));
      broadcast(name === 'stdout' ? FRAME.STDOUT : FRAME.STDERR, chunk);
    });
    stream.on('error', () => undefined);
    stream.on('close', () => {
      outputs.delete(stream);
      write(split.push(text.end()));
      write(split.flush());
      resolve();
    });
  });
}

function listen(server: net.Server, socketPath: string): Promise<void> {
  fs.rmSync(socketPath, { force: true });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
}

/** Resolves with what follows "go" on stdin (the bundle is ready), null if the pipe just closes. */
function waitForGo(): Promise<GoMessage | null> {
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      process.stdin.removeAllListeners();
      process.stdin.destroy();
      if (!text.startsWith('go')) return resolve(null);
      try {
        resolve((JSON.parse(text.slice(2).trim() || '{}') as GoMessage) ?? {});
      } catch {
        resolve({});
      }
    };
    process.stdin.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) done();
    });
    process.stdin.on('end', done);
    process.stdin.on('error', () => {
      text = '';
      done();
    });
  });
}

/**
 * Starts the network helper: slirp4netns gets a ready pipe (fd 3) and an exit pipe (fd 4) whose
 * other end only this monitor holds, so it ends with the monitor however that ends; pasta
 * daemonizes once ready. Its pid (slirp4netns), or its error.
 */
function startHelper(spec: HelperSpec): Promise<{ pid?: number } | { error: string }> {
  return new Promise((resolve) => {
    const fdStyle = spec.ready === 'fd';
    const child = spawn(spec.argv[0], spec.argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe', ...(fdStyle ? (['pipe', 'pipe'] as const) : [])], detached: false });
    let stderr = '';
    let settled = false;
    const settle = (r: { pid?: number } | { error: string }) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => settle({ error: `${path.basename(spec.argv[0])}: ${err.message}` }));
    child.on('exit', (code, signal) => {
      if (!fdStyle && code === 0) settle({});
      else settle({ error: `${path.basename(spec.argv[0])} ${signal ? `was killed by ${signal}` : `exited with ${code}`}: ${stderr.trim().split('\n').slice(-3).join('; ') || 'no message'}` });
    });
    if (fdStyle) {
      (child.stdio[3] as NodeJS.ReadableStream).once('data', () => {
        child.stderr!.removeAllListeners('data');
        child.stderr!.resume();
        settle({ pid: child.pid });
      });
      keptOpen.push(child.stdio[4]); // its closing (when this process ends) ends the helper
    }
  });
}

/** The container's network namespace bound at file (replacing an older one), then the helper started on it. */
async function helperOnNetns(spec: HelperSpec, file: string, pid: number): Promise<{ pid?: number } | { error: string }> {
  spawnSync('umount', ['-l', file], { stdio: 'ignore' });
  const bind = spawnSync('mount', ['--bind', `/proc/${pid}/ns/net`, file], { encoding: 'utf8' });
  if (bind.status !== 0) return { error: `cannot bind the container's network namespace at ${file}: ${(bind.stderr || bind.error?.message || '').trim()}` };
  return startHelper(spec);
}

/** A signal to a process that may have exited meanwhile. */
function signalQuietly(pid: number, signal: NodeJS.Signals | number): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

function killQuietly(pid: number): void {
  signalQuietly(pid, 'SIGKILL');
}

/** Held for the monitor's lifetime: slirp4netns's exit pipe. */
const keptOpen: unknown[] = [];

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as MonitorArgs;
  fs.writeFileSync(args.pidFile, `${process.pid}\n`);
  if (args.userPidFiles?.monitor) fs.writeFileSync(args.userPidFiles.monitor, String(process.pid));
  becomeSubreaper();
  const containerPidFile = path.join(args.bundle, 'container.pid');
  const runtimeLog = path.join(args.bundle, 'runtime.log');

  // Where clients' keystrokes go: the pty (terminal) or the container's stdin pipe (-i); both are
  // new after each restart.
  let input: NodeJS.WritableStream | null = null;
  let master = -1;
  const server = net.createServer((sock) => {
    clients.add(sock);
    const closed = new Promise<void>((resolve) => sock.on('close', () => resolve()));
    const decoder = new FrameDecoder();
    sock.on('data', (chunk: Buffer) => {
      for (const f of decoder.push(chunk)) {
        if (f.type === FRAME.STDIN) feed(input, sock, f.payload);
        else if (f.type === FRAME.STDIN_EOF && !args.terminal) input?.end();
        else if (f.type === FRAME.CLAIM_CLEANUP) claimant = { sock, closed, cleaned: false };
        else if (f.type === FRAME.CLEANED && claimant?.sock === sock) claimant.cleaned = true;
        else if (f.type === FRAME.RESIZE && master >= 0) {
          const [rows, cols] = f.payload.toString().split(' ').map(Number);
          try {
            if (rows > 0 && cols > 0) setWindowSize(master, rows, cols);
          } catch {
            /* the pty is gone with the container */
          }
        }
      }
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clients.delete(sock);
      abandoned.delete(sock);
      if (claimant?.sock === sock && !claimant.cleaned) claimant = null;
    });
  });
  await listen(server, args.attachSocket);
  // The socket's path outlives this monitor: a restart's new monitor listens at the same path
  // while this one still cleans up, so only the socket this monitor made is removed.
  const ownSocket = fs.statSync(args.attachSocket).ino;
  const removeSocket = () => {
    try {
      if (fs.lstatSync(args.attachSocket).ino === ownSocket) fs.rmSync(args.attachSocket, { force: true });
    } catch {
      // already gone
    }
  };

  const go = await waitForGo();
  if (!go) {
    // Cancelled (the container could not be created or started): nothing of ours is left behind.
    removeSocket();
    fs.rmSync(args.pidFile, { force: true });
    process.exit(1);
  }
  if (!args.logDriver) {
    logFile.fd = fs.openSync(args.logPath, 'a', 0o600);
    logFile.max = args.logMaxSize ?? 0;
    logFile.bytes = fs.fstatSync(logFile.fd).size;
  }
  const passthrough = args.logDriver === 'passthrough';
  // The caller's stdio when tspod passed it (run), else nothing (the container reads /dev/null, writes nowhere).
  const given = (fd: number) => {
    try {
      fs.fstatSync(fd);
      return fd;
    } catch {
      return 'ignore' as const;
    }
  };
  const passFds = passthrough ? PASSTHROUGH_FDS.map(given) : [];

  let notifySocket = args.notifySocket;
  /** One `runtime create`: the pid, the output copies and the input wired, or the runtime's error. */
  const createContainer = async (): Promise<{ pid: number; copies: Array<Promise<void>>; stdin?: net.Socket } | { error: string }> => {
    const consoleFd = args.terminal ? listenConsoleSocket(args.consoleSocket) : -1;
    // A pending accept keeps the process alive even through process.exit: abort it when create fails.
    const consoleAbort = new AbortController();
    const consoleReceived = args.terminal ? receiveConsoleFd(consoleFd, consoleAbort.signal) : null;
    consoleReceived?.catch(() => undefined);
    const runtimeArgs = ['--root', args.runtimeRoot, ...(args.runtimeFlags ?? []), '--log', runtimeLog, '--log-format', 'json', 'create', ...(args.createFlags ?? []), '--bundle', args.bundle, '--pid-file', containerPidFile];
    if (args.terminal) runtimeArgs.push('--console-socket', args.consoleSocket);
    // Without a terminal the container inherits the runtime's stdio: these pipes become its own.
    const stdinPipe = args.stdin && !args.terminal && !passthrough ? makePipe() : null;
    const create = spawn(args.runtime, [...runtimeArgs, args.id], {
      stdio: passthrough ? [args.stdin ? passFds[0] : 'ignore', passFds[1], passFds[2]] : [stdinPipe ? stdinPipe[0] : 'ignore', 'pipe', 'pipe'],
      cwd: args.bundle,
      env: notifySocket ? { ...process.env, NOTIFY_SOCKET: notifySocket } : process.env,
    });
    notifySocket = undefined;
    if (stdinPipe) closeFd(stdinPipe[0]);
    let createErr = '';
    create.stderr?.on('data', (d: Buffer) => (createErr += d.toString()));
    const copies = passthrough ? [] : [copyOutput(create.stdout!, 'stdout'), copyOutput(create.stderr!, 'stderr')];
    const createCode = await new Promise<number>((resolve) => create.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? 9 : 0))));
    if (createCode !== 0) {
      consoleAbort.abort();
      fs.rmSync(args.consoleSocket, { force: true });
      if (stdinPipe) closeFd(stdinPipe[1]);
      return { error: runtimeError(runtimeLog, createErr) };
    }
    let stdin: net.Socket | undefined;
    if (consoleReceived) {
      master = await consoleReceived;
      fs.rmSync(args.consoleSocket, { force: true });
      const pty = ptyStreams(master);
      input = pty.input;
      copies.push(copyOutput(pty.output, 'stdout'));
    } else if (stdinPipe) {
      stdin = new net.Socket({ fd: stdinPipe[1], readable: false, writable: true });
      stdin.on('error', () => undefined);
      input = stdin;
    }
    const pid = Number(fs.readFileSync(containerPidFile, 'utf8').trim());
    if (args.userPidFiles?.container) fs.writeFileSync(args.userPidFiles.container, String(pid));
    return { pid, copies, stdin };
  };

  // The helper and the runtime's create run side by side: the container waits for start anyway
  // (after it, when the runtime makes the network namespace).
  const after = go.helper?.netnsAfterCreate;
  const helper = go.helper && !after ? startHelper(go.helper) : Promise.resolve({} as { pid?: number });
  let created = await createContainer();
  let network = await helper;
  if (go.helper && after && !('error' in created)) network = await helperOnNetns(go.helper, after, created.pid);
  if ('error' in created || 'error' in network) {
    if (!('error' in created)) spawnSync(args.runtime, ['--root', args.runtimeRoot, ...(args.runtimeFlags ?? []), 'delete', '--force', args.id], { stdio: 'ignore' });
    report({ data: -1, message: 'error' in created ? created.error : (network as { error: string }).error });
    removeSocket();
    process.exit(1);
  }
  report({ data: created.pid, helper: 'pid' in network ? network.pid : undefined }); // tspod runs the runtime's start this first time
  let code = 0;
  let restarts = 0;
  const stoppedByUser = () => fs.existsSync(args.stopFile);
  // --health-on-failure: kill (the restart policy decides), restart (regardless of it), stop (as tspod stop).
  let forceRestart = false;
  const onUnhealthy = (action: HealthAction) => {
    const pid = (created as { pid: number }).pid;
    if (action === 'stop' && go.health) {
      fs.writeFileSync(args.stopFile, '');
      signalQuietly(pid, go.health.stopSignal);
      setTimeout(() => killQuietly(pid), go.health.stopTimeout * 1000).unref();
      return;
    }
    if (action === 'restart') forceRestart = true;
    killQuietly(pid);
  };
  const health = go.health ? healthTimer({ ...args }, go.health, onUnhealthy) : undefined;
  health?.started();
  const writeState = (state: MonitorState) => {
    fs.writeFileSync(`${args.stateFile}.tmp`, JSON.stringify(state));
    fs.renameSync(`${args.stateFile}.tmp`, args.stateFile);
  };
  for (;;) {
    // --timeout: this run is killed once its time is up, as conmon does.
    const pid = created.pid;
    const timer = args.timeout ? setTimeout(() => killQuietly(pid), args.timeout * 1000) : undefined;
    const status = await waitForExit(created.pid);
    clearTimeout(timer);
    health?.stopped();
    // Its stdin pipe goes with it: a client paused on a full pipe is read again (its frames that
    // follow, CLEANED among them, must not wait on a pipe that nobody will read).
    created.stdin?.destroy();
    // Output still in the pipes is logged (and sent) before the exit is recorded.
    await drainOutput(created.copies);
    code = exitCodeFromStatus(status);
    if (stoppedByUser() || !(forceRestart || shouldRestart(args.restart, code, restarts))) break;
    forceRestart = false;
    // The restart policy: wait (checking for a stop now and then), then create and start again.
    restarts++;
    writeState({ restartCount: restarts, restarting: true, pid: 0, startedAt: 0, lastExitCode: code });
    const until = Date.now() + restartDelayMs(restarts);
    while (Date.now() < until && !stoppedByUser()) await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
    if (stoppedByUser()) break;
    spawnSync(args.runtime, ['--root', args.runtimeRoot, ...(args.runtimeFlags ?? []), 'delete', '--force', args.id], { stdio: 'ignore' });
    const again = await createContainer();
    if ('error' in again) {
      writeLog(logLine(new Date(), 'stderr', `tspod: restart ${restarts} failed: ${again.error}`, false));
      break;
    }
    created = again;
    // A network namespace the runtime made went with the old process: the helper goes on the new one.
    if (go.helper && after) {
      if ('pid' in network && network.pid) killQuietly(network.pid);
      network = await helperOnNetns(go.helper, after, created.pid);
      if ('error' in network) writeLog(logLine(new Date(), 'stderr', `tspod: restart ${restarts}: no network: ${network.error}`, false));
    }
    const start = spawnSync(args.runtime, ['--root', args.runtimeRoot, ...(args.runtimeFlags ?? []), 'start', args.id], { encoding: 'utf8' });
    if (start.status !== 0) {
      writeLog(logLine(new Date(), 'stderr', `tspod: restart ${restarts} failed: ${(start.stderr || '').trim()}`, false));
      break;
    }
    writeState({ restartCount: restarts, restarting: false, pid: created.pid, startedAt: Date.now(), lastExitCode: code });
    health?.started();
  }
  if (logFile.fd >= 0) fs.closeSync(logFile.fd);
  const tmp = `${args.exitFile}.tmp`;
  fs.writeFileSync(tmp, String(code));
  fs.renameSync(tmp, args.exitFile);
  const runCleanup = () => {
    if (args.cleanup.length) spawnSync(args.cleanup[0], args.cleanup.slice(1), { stdio: 'ignore' });
  };
  const claimed = claimant;
  if (claimed) {
    broadcast(FRAME.EXIT, Buffer.from(String(code)));
    // The claimant cleans up and closes; a client that hangs does not hold the monitor forever.
    await Promise.race([claimed.closed, new Promise((r) => setTimeout(r, 120_000))]);
    if (!claimed.cleaned) runCleanup();
  } else {
    runCleanup();
    broadcast(FRAME.EXIT, Buffer.from(String(code)));
  }
  await Promise.race([Promise.all([...clients].map((c) => new Promise<void>((r) => c.end(() => r())))), new Promise((r) => setTimeout(r, 1000))]);
  removeSocket();
  // The network helper ends with the container: slirp4netns when its exit pipe closes, pasta once
  // the cleanup deleted its namespace. Reaped here, so that no zombie is left to an init that may not reap.
  for (const s of keptOpen) (s as { destroy(): void }).destroy();
  await reapChildren(1000);
  process.exit(0);
}

main().catch((err) => {
  report({ data: -1, message: `monitor: ${(err as Error).message}` });
  process.exit(1);
});
