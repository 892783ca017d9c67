// Docker's exec sessions as the service keeps them (in its own memory, by ID): the create body
// checked and turned into the engine's exec options, and a session as Docker's inspect shows it.
import { ApiError } from '../types';

/** What POST /containers/{name}/exec asked for, checked. */
export interface ExecConfig {
  cmd: string[];
  env: string[];
  user?: string;
  workdir?: string;
  privileged: boolean;
  tty: boolean;
  attachStdin: boolean;
  attachStdout: boolean;
  attachStderr: boolean;
  detachKeys: string;
}

/** One exec session: made by create, run once by start. */
export interface ExecSession {
  id: string;
  containerId: string;
  config: ExecConfig;
  running: boolean;
  /** Set once the process ended (null before, as Docker shows it). */
  exitCode: number | null;
  pid: number;
  /** Whether start was called (an exec runs once). */
  started: boolean;
  /** When it ended (ms), for forgetting old sessions. */
  endedAt?: number;
}

const strings = (v: unknown, what: string): string[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ApiError(400, `${what} must be a list of strings`);
  return v as string[];
};

const optString = (v: unknown, what: string): string | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new ApiError(400, `${what} must be a string`);
  return v;
};

/** The exec create body (Docker's ExecConfig) as an ExecConfig; a missing command is a 400. */
export function parseExecCreate(body: Record<string, unknown>): ExecConfig {
  const cmd = typeof body.Cmd === 'string' ? [body.Cmd] : strings(body.Cmd, 'Cmd');
  if (cmd.length === 0) throw new ApiError(400, 'no exec command specified: give Cmd, the command and its arguments');
  return {
    cmd,
    env: strings(body.Env, 'Env'),
    user: optString(body.User, 'User'),
    workdir: optString(body.WorkingDir, 'WorkingDir'),
    privileged: body.Privileged === true,
    tty: body.Tty === true,
    attachStdin: body.AttachStdin === true,
    attachStdout: body.AttachStdout === true,
    attachStderr: body.AttachStderr === true,
    detachKeys: optString(body.DetachKeys, 'DetachKeys') ?? '',
  };
}

/** GET /exec/{id}/json: Docker's ExecInspectResponse. */
export function execInspect(s: ExecSession): Record<string, unknown> {
  return {
    CanRemove: false,
    ContainerID: s.containerId,
    DetachKeys: s.config.detachKeys,
    ExitCode: s.exitCode,
    ID: s.id,
    OpenStderr: s.config.attachStderr,
    OpenStdin: s.config.attachStdin,
    OpenStdout: s.config.attachStdout,
    ProcessConfig: {
      arguments: s.config.cmd.slice(1),
      entrypoint: s.config.cmd[0],
      privileged: s.config.privileged,
      tty: s.config.tty,
      user: s.config.user ?? '',
    },
    Running: s.running,
    Pid: s.pid,
  };
}

/** Docker's ConsoleSize/resize query: h and w, both positive. */
export function parseSize(h: number | undefined, w: number | undefined): { rows: number; cols: number } {
  if (h === undefined || w === undefined || h <= 0 || w <= 0) throw new ApiError(400, 'resize needs h and w, the height and width in characters, both positive');
  return { rows: h, cols: w };
}
