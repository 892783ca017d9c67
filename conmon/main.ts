// The per-container monitor, started detached by tspod with its arguments as JSON in argv[2]:
// become child subreaper; run `<runtime> create`; report the container's pid (or the runtime's
// error) on the sync pipe; copy the container's stdout/stderr into the k8s-file log; wait for the
// container to exit; write the exit file; run the cleanup command; exit.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { becomeSubreaper, waitForExit } from './ffi';
import { encodeSync, exitCodeFromStatus, LineSplitter, logLine, SYNC_FD, type MonitorArgs } from './protocol';

function report(msg: { data: number; message?: string }): void {
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

function copyToLog(stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr', fd: number): Promise<void> {
  const split = new LineSplitter();
  const write = (lines: Array<{ text: string; partial: boolean }>) => {
    for (const l of lines) fs.writeSync(fd, logLine(new Date(), name, l.text, l.partial));
  };
  return new Promise((resolve) => {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => write(split.push(chunk)));
    stream.on('close', () => {
      write(split.flush());
      resolve();
    });
  });
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as MonitorArgs;
  fs.writeFileSync(args.pidFile, `${process.pid}\n`);
  becomeSubreaper();
  const log = fs.openSync(args.logPath, 'a', 0o600);
  const containerPidFile = path.join(args.bundle, 'container.pid');
  const runtimeLog = path.join(args.bundle, 'runtime.log');
  const create = spawn(args.runtime, ['--root', args.runtimeRoot, '--log', runtimeLog, '--log-format', 'json', 'create', '--bundle', args.bundle, '--pid-file', containerPidFile, args.id], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: args.bundle,
  });
  let createErr = '';
  const copies = [copyToLog(create.stdout!, 'stdout', log), copyToLog(create.stderr!, 'stderr', log)];
  create.stderr!.on('data', (d: string) => (createErr += d));
  const createCode = await new Promise<number>((resolve) => create.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? 9 : 0))));
  if (createCode !== 0) {
    report({ data: -1, message: runtimeError(runtimeLog, createErr) });
    process.exitCode = 1;
    return;
  }
  const pid = Number(fs.readFileSync(containerPidFile, 'utf8').trim());
  report({ data: pid });
  const status = await waitForExit(pid);
  // Output still in the pipes is logged before the exit file appears; a daemon that keeps the
  // pipes open does not hold the monitor for more than a second.
  await Promise.race([Promise.all(copies), new Promise((r) => setTimeout(r, 1000))]);
  fs.closeSync(log);
  const tmp = `${args.exitFile}.tmp`;
  fs.writeFileSync(tmp, String(exitCodeFromStatus(status)));
  fs.renameSync(tmp, args.exitFile);
  if (args.cleanup.length) spawnSync(args.cleanup[0], args.cleanup.slice(1), { stdio: 'ignore' });
  process.exit(0);
}

main().catch((err) => {
  report({ data: -1, message: `monitor: ${(err as Error).message}` });
  process.exit(1);
});
