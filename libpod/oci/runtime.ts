// The OCI runtime driver: finds runc or crun (--runtime, containers.conf, else the one that works
// with this host's cgroups) and runs its start/kill/delete/state/exec verbs against tspod's state
// directory. `create` is run by the monitor, which must be the runtime's parent. Failures quote the
// runtime's own message. Runs inside the user namespace, as namespace root.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PrerequisiteError, RuntimeError } from '../../src/errors';
import { findProgram } from '../host/programs';
import { cgroupMode, runtimeCandidates } from '../host/host-info';
import type { Config } from '../config/config';

/** The runtime binary to use: the one named (a name or a path), else the configured one, else runc/crun. */
export function findRuntime(config: Config, named?: string): string {
  const candidates = named ? (config.engine.runtimePaths[named]?.length ? config.engine.runtimePaths[named] : [named]) : runtimeCandidates(config, cgroupMode());
  for (const c of candidates) {
    const found = findProgram(c);
    if (found) return found;
  }
  throw new PrerequisiteError(`no OCI runtime found (tried ${candidates.join(', ')}): install one with "sudo apt-get install runc", or name one with --runtime`);
}

/** The runtime's message from its stderr: runc prints JSON-ish `level=error msg="..."` or plain text. */
export function runtimeMessage(stderr: string): string {
  const text = stderr.trim();
  const m = /msg="((?:[^"\\]|\\.)*)"/.exec(text);
  if (m) return m[1].replace(/\\"/g, '"');
  return text.split('\n').filter(Boolean).pop() ?? '';
}

export class OciRuntime {
  readonly name: string;

  constructor(
    readonly binary: string,
    /** The runtime's --root: where it keeps the state of the containers it runs. */
    readonly stateDir: string,
  ) {
    this.name = path.basename(binary);
  }

  private run(args: string[], what: string, okIf?: RegExp): string {
    fs.mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    const r = spawnSync(this.binary, ['--root', this.stateDir, ...args], { encoding: 'utf8' });
    if (r.error) throw new RuntimeError(`${what}: cannot run ${this.binary}: ${r.error.message}`);
    if (r.status !== 0) {
      const msg = runtimeMessage(r.stderr || r.stdout);
      if (okIf?.test(msg)) return '';
      throw new RuntimeError(`${what}: ${this.name}: ${msg || `exit ${r.status}`}`);
    }
    return r.stdout;
  }

  /** Starts a container that the monitor created (state created → running). */
  start(id: string): void {
    this.run(['start', id], `cannot start container ${id.slice(0, 12)}`);
  }

  /** Sends signal to the container's PID 1; a container that is already gone is not an error. */
  kill(id: string, signal: string): void {
    this.run(['kill', id, signal.replace(/^SIG/, '')], `cannot kill container ${id.slice(0, 12)}`, /does not exist|not running|container not running|process already finished/);
  }

  /** Forgets the container (forcibly, killing what is left); one never created or already deleted is fine. */
  delete(id: string): void {
    this.run(['delete', '--force', id], `cannot delete container ${id.slice(0, 12)}`, /does not exist|not found/);
  }

  /** The runtime's view ("created", "running", "stopped"), or null when it does not know the container. */
  state(id: string): { status: string; pid: number } | null {
    const out = this.run(['state', id], `cannot read the state of ${id.slice(0, 12)}`, /does not exist|not found/);
    if (!out) return null;
    const s = JSON.parse(out) as { status: string; pid: number };
    return { status: s.status, pid: s.pid };
  }

  /** argv of `exec` for a process.json, with --console-socket left to the runtime's own tty handling. */
  execArgs(id: string, processFile: string, opts: { tty: boolean; pidFile: string }): string[] {
    return ['--root', this.stateDir, 'exec', '--process', processFile, '--pid-file', opts.pidFile, ...(opts.tty ? ['--tty'] : []), id];
  }
}
