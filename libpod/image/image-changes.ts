// `--change` instructions (import, later commit): the Dockerfile subset Podman accepts, applied to an
// OCI image config's "config" object.
import { InvalidArgumentError } from '../../src/errors';

export interface ContainerConfig {
  Env?: string[];
  Cmd?: string[];
  Entrypoint?: string[];
  WorkingDir?: string;
  User?: string;
  Labels?: Record<string, string>;
  ExposedPorts?: Record<string, Record<string, never>>;
  Volumes?: Record<string, Record<string, never>>;
  StopSignal?: string;
  /** Docker-format images' HEALTHCHECK: durations in nanoseconds. */
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };
}

/** JSON array form, or shell form run through /bin/sh -c. */
function commandForm(value: string): string[] {
  const v = value.trim();
  if (v.startsWith('[')) {
    try {
      const parsed = JSON.parse(v);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
    } catch {
      /* fall through to the error */
    }
    throw new InvalidArgumentError(`invalid JSON array in change: ${value}`);
  }
  return ['/bin/sh', '-c', v];
}

/** KEY=VALUE pairs (several per line, quotes allowed) or the old "KEY VALUE" form. */
function pairs(value: string): Array<[string, string]> {
  const v = value.trim();
  if (!v.includes('=')) {
    const sp = v.search(/\s/);
    return sp < 0 ? [[v, '']] : [[v.slice(0, sp), v.slice(sp).trim()]];
  }
  const out: Array<[string, string]> = [];
  const re = /([^\s=]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    let val = m[2];
    if (val.startsWith('"')) val = JSON.parse(val);
    else if (val.startsWith("'")) val = val.slice(1, -1);
    out.push([m[1], val]);
  }
  return out;
}

export function applyChanges(config: ContainerConfig, changes: string[]): ContainerConfig {
  const c: ContainerConfig = JSON.parse(JSON.stringify(config));
  for (const change of changes) {
    const m = /^\s*([A-Za-z]+)(?:\s+|=)([\s\S]*)$/.exec(change);
    if (!m) throw new InvalidArgumentError(`invalid change "${change}": use INSTRUCTION VALUE, e.g. CMD=["sh"]`);
    const [, instr, value] = m;
    switch (instr.toUpperCase()) {
      case 'CMD':
        c.Cmd = commandForm(value);
        break;
      case 'ENTRYPOINT':
        c.Entrypoint = commandForm(value);
        break;
      case 'ENV':
        for (const [k, v] of pairs(value)) c.Env = [...(c.Env ?? []).filter((e) => !e.startsWith(`${k}=`)), `${k}=${v}`];
        break;
      case 'LABEL':
        for (const [k, v] of pairs(value)) c.Labels = { ...(c.Labels ?? {}), [k]: v };
        break;
      case 'WORKDIR':
        c.WorkingDir = value.trim();
        break;
      case 'USER':
        c.User = value.trim();
        break;
      case 'STOPSIGNAL':
        c.StopSignal = value.trim();
        break;
      case 'EXPOSE':
        for (const p of value.trim().split(/\s+/)) c.ExposedPorts = { ...(c.ExposedPorts ?? {}), [p.includes('/') ? p : `${p}/tcp`]: {} };
        break;
      case 'VOLUME':
        for (const p of value.trim().startsWith('[') ? commandForm(value) : value.trim().split(/\s+/)) c.Volumes = { ...(c.Volumes ?? {}), [p]: {} };
        break;
      default:
        throw new InvalidArgumentError(`invalid change "${change}": ${instr} is not one of CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR`);
    }
  }
  return c;
}
