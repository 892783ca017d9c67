// The monitor's healthcheck timer: one check at a time through the runtime's exec (the container's
// own process settings from its config.json, the check's command instead of its args), killed at
// its timeout; each result recorded in the health file (conmon/health.ts), a change of status
// reported through tspod (the health_status event), and the on-failure action handed back to the
// monitor. Between checks nothing runs but one timer.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { checkArgv, freshHealth, goTime, nextDelayMs, readHealth, recordResult, recordStartup, writeHealth, type HealthAction, type HealthCheck, type HealthResult } from './health';

/** What the monitor is told about the container's healthcheck (in its go message). */
export interface HealthArgs {
  check: HealthCheck;
  /** The health file (State.Health), kept beside the container. */
  stateFile: string;
  /** Run with the new status appended when it changes (tspod healthcheck event ID). */
  event: string[];
  /** --health-log-destination DIR: each result also appended to DIR/<ID>-healthcheck.log. */
  logFile?: string;
}

export interface RuntimeRef {
  runtime: string;
  runtimeRoot: string;
  runtimeFlags?: string[];
  bundle: string;
  id: string;
}

/** Output a check may produce before the rest is dropped: what the log keeps, or Docker's 4 KiB when it keeps all. */
const OUTPUT_CAP = 64 * 1024;

/** One check now: its result (exit 0 healthy; a timeout or a failure to run is 1 with the reason as output). */
export function runCheck(ref: RuntimeRef, test: string[], timeoutMs: number): Promise<HealthResult> {
  const started = Date.now();
  const tag = Math.random().toString(16).slice(2, 10);
  const processFile = path.join(ref.bundle, `health-${tag}.json`);
  const pidFile = path.join(ref.bundle, `health-${tag}.pid`);
  const done = (code: number, output: string): HealthResult => {
    fs.rmSync(processFile, { force: true });
    fs.rmSync(pidFile, { force: true });
    return { Start: goTime(started), End: goTime(Date.now()), ExitCode: code, Output: output };
  };
  let proc: Record<string, unknown>;
  try {
    proc = (JSON.parse(fs.readFileSync(path.join(ref.bundle, 'config.json'), 'utf8')) as { process: Record<string, unknown> }).process;
  } catch (err) {
    return Promise.resolve(done(1, `cannot read the container's configuration: ${(err as Error).message}`));
  }
  const { consoleSize: _size, ...rest } = proc;
  fs.writeFileSync(processFile, JSON.stringify({ ...rest, args: checkArgv(test), terminal: false }));
  return new Promise((resolve) => {
    const child = spawn(ref.runtime, ['--root', ref.runtimeRoot, ...(ref.runtimeFlags ?? []), 'exec', '--process', processFile, '--pid-file', pidFile, ref.id], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let size = 0;
    const take = (d: Buffer) => {
      if (size >= OUTPUT_CAP) return;
      chunks.push(d);
      size += d.length;
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // The check's processes first (in the container: what it started too), then the runtime's exec waiting for them.
      let pid = 0;
      try {
        pid = Number(fs.readFileSync(pidFile, 'utf8'));
      } catch {
        /* not started */
      }
      // The runtime's exec is left to reap the check and exit: killed, it would hand the check's
      // zombie to this monitor (the subreaper), which reaps no strangers, and the container's
      // init could then never finish exiting. Only if it has not gone a while later is it killed.
      if (pid > 0) for (const p of [...descendants(pid), pid]) killQuietly(p);
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve(done(1, `cannot run the healthcheck: ${err.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const output = Buffer.concat(chunks).toString('utf8');
      if (timedOut) resolve(done(1, `Health check exceeded timeout (${timeoutMs / 1000}s)`));
      else resolve(done(code === 0 ? 0 : 1, output));
    });
  });
}

/**
 * Each check leaves a child process's objects and buffers behind, and V8 lets its young generation
 * grow for many of them before it collects: a monitor checking every second grew by 10 kB a second
 * (7.3 to 12.2 MiB private in 7.5 minutes). A full collection every GC_EVERY checks keeps it flat;
 * it costs about 8 ms, against the 20-30 ms of the check's own runtime exec. --expose-gc is set
 * now, not at start: a V8 flag given at start makes node drop its code cache.
 */
const GC_EVERY = 20;

function collector(): () => void {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--expose-gc');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const gc = (require('node:vm') as typeof import('node:vm')).runInNewContext('gc') as () => void;
    return () => gc();
  } catch {
    return () => undefined;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

/** Every process below pid (from /proc's parent links), so that a check's children go with it. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      /* gone meanwhile */
    }
  }
  const out: number[] = [];
  const visit = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      visit(c);
    }
  };
  visit(pid);
  return out;
}

/**
 * The timer: checks while the container runs. started() resets the state to starting (each run
 * of the container is checked afresh, as Docker does); stopped() stops the timer; act gets the
 * on-failure action when the container turns unhealthy (or its startup check gives up).
 */
export function healthTimer(ref: RuntimeRef, h: HealthArgs, act: (a: HealthAction) => void): { started(): void; stopped(): void } {
  const collect = collector();
  let checks = 0;
  let timer: NodeJS.Timeout | undefined;
  let startedAt = 0;
  let running = false;
  const record = async () => {
    timer = undefined;
    const state = readHealth(h.stateFile) ?? freshHealth(h.check);
    const startup = !state.startupDone && h.check.startup;
    const result = await runCheck(ref, startup ? startup.test : h.check.test, startup ? startup.timeoutMs : h.check.timeoutMs);
    if (!running) return; // the container ended meanwhile: its exit decides, not this check
    const r = startup ? recordStartup(h.check, state, result) : recordResult(h.check, state, result, startedAt);
    writeHealth(h.stateFile, r.state);
    if (h.logFile) fs.appendFileSync(h.logFile, `${JSON.stringify(result)}\n`);
    if (r.changed) spawn(h.event[0], [...h.event.slice(1), r.state.Status], { stdio: 'ignore', detached: true }).unref();
    if (r.action !== 'none') act(r.action);
    if (++checks % GC_EVERY === 0) collect();
    schedule(r.state);
  };
  const schedule = (state = readHealth(h.stateFile) ?? freshHealth(h.check)) => {
    const delay = nextDelayMs(h.check, state, startedAt);
    if (running && delay > 0) timer = setTimeout(() => void record(), delay);
  };
  return {
    started() {
      running = true;
      startedAt = Date.now();
      writeHealth(h.stateFile, freshHealth(h.check));
      clearTimeout(timer);
      schedule();
    },
    stopped() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
