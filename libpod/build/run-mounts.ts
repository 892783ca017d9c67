// RUN --mount=type=cache|bind|secret|tmpfs: each prepared as a volume or tmpfs of the step's
// container. Cache directories persist per user (keyed by id, under the store); secrets are written
// to the runtime directory only for the step and removed after it, never into a layer.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import type { BuildSecret } from './types';

export interface RunMount {
  type: 'cache' | 'bind' | 'secret' | 'tmpfs';
  target: string;
  fields: Record<string, string>;
}

/** One --mount value ("type=cache,target=/root/.cache,sharing=locked"); target made absolute against workdir. */
export function parseRunMount(value: string, workdir: string, line: number): RunMount {
  const fields: Record<string, string> = {};
  for (const part of value.split(',')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    fields[k] = eq < 0 ? 'true' : part.slice(eq + 1);
  }
  const type = (fields.type ?? 'bind') as RunMount['type'];
  if (!['cache', 'bind', 'secret', 'tmpfs'].includes(type)) {
    throw new InvalidArgumentError(`line ${line}: RUN --mount type "${fields.type}" is not supported: use bind, cache, secret or tmpfs${fields.type === 'ssh' ? ' (ssh agent forwarding is not supported by tspod build)' : ''}`);
  }
  let target = fields.target ?? fields.dst ?? fields.destination;
  if (!target && type === 'secret') target = `/run/secrets/${fields.id ?? ''}`;
  if (!target) throw new InvalidArgumentError(`line ${line}: RUN --mount=${value} needs target=PATH`);
  if (!target.startsWith('/')) target = path.posix.join(workdir || '/', target);
  return { type, target: path.posix.normalize(target), fields };
}

function octal(v: string | undefined, dflt: number, what: string): number {
  if (v === undefined) return dflt;
  if (!/^[0-7]{1,4}$/.test(v)) throw new InvalidArgumentError(`invalid ${what} "${v}" in RUN --mount: give an octal mode such as 0755`);
  return parseInt(v, 8);
}

function id(v: string | undefined, what: string): number {
  if (v === undefined) return 0;
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`invalid ${what} "${v}" in RUN --mount: give a number`);
  return Number(v);
}

/** What a step's mounts become: volumes and tmpfs for its container, and what to undo after. */
export interface PreparedMounts {
  volumes: string[];
  tmpfs: string[];
  /** Locks to hold while the step runs (cache sharing=locked). */
  lockFiles: string[];
  cleanup(): void;
}

export interface MountSources {
  /** The context directory (type=bind without from). */
  contextDir: string;
  /** A path inside a stage's or image's root for from= (mounts it read-only; the caller unmounts at the end of the build). */
  rootOf(from: string): string;
  /** Where cache mounts persist (under the store). */
  cacheRoot: string;
  /** A private directory for this step's secrets (on the runtime directory's tmpfs). */
  secretDir: string;
  secrets: BuildSecret[];
  /** Resolves a path inside a root without leaving it. */
  inside(root: string, rel: string): string;
}

export function prepareMounts(mounts: RunMount[], src: MountSources, line: number): PreparedMounts {
  const volumes: string[] = [];
  const tmpfs: string[] = [];
  const lockFiles: string[] = [];
  const made: string[] = [];
  for (const m of mounts) {
    const f = m.fields;
    if (m.type === 'tmpfs') {
      tmpfs.push(f.size ? `${m.target}:size=${f.size}` : m.target);
    } else if (m.type === 'cache') {
      const key = crypto.createHash('sha256').update(f.id ?? m.target).digest('hex').slice(0, 32);
      const dir = path.join(src.cacheRoot, key);
      if (!fs.existsSync(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        fs.chmodSync(dir, octal(f.mode, 0o755, 'mode'));
        fs.chownSync(dir, id(f.uid, 'uid'), id(f.gid, 'gid'));
      }
      const sharing = f.sharing ?? 'shared';
      if (!['shared', 'private', 'locked'].includes(sharing)) throw new InvalidArgumentError(`line ${line}: invalid sharing "${sharing}" in RUN --mount=type=cache: use shared, private or locked`);
      if (sharing !== 'shared') lockFiles.push(`${dir}.lock`);
      volumes.push(`${dir}:${m.target}${f.ro === 'true' || f.readonly === 'true' ? ':ro' : ''}`);
    } else if (m.type === 'bind') {
      const root = f.from ? src.rootOf(f.from) : src.contextDir;
      const source = src.inside(root, f.source ?? f.src ?? '/');
      if (!fs.existsSync(source)) throw new InvalidArgumentError(`line ${line}: RUN --mount=type=bind: source "${f.source ?? f.src ?? '/'}" does not exist in ${f.from ? `"${f.from}"` : 'the build context'}`);
      const rw = f.rw === 'true' || f.readwrite === 'true';
      if (rw) {
        // Writes to a read-write bind are the step's alone: they go to a copy, never to the context.
        const copy = fs.mkdtempSync(path.join(src.secretDir, 'rw-'));
        fs.cpSync(source, copy, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
        made.push(copy);
        volumes.push(`${copy}:${m.target}`);
      } else {
        volumes.push(`${source}:${m.target}:ro`);
      }
    } else {
      const sid = f.id ?? path.posix.basename(m.target);
      const secret = src.secrets.find((s) => s.id === sid);
      if (!secret) {
        if (f.required === 'true') throw new InvalidArgumentError(`line ${line}: secret "${sid}" is required by RUN --mount=type=secret but was not given: add --secret id=${sid},src=FILE`);
        continue;
      }
      const data = 'file' in secret.source ? fs.readFileSync(secret.source.file) : Buffer.from(process.env[secret.source.env] ?? '');
      fs.mkdirSync(src.secretDir, { recursive: true, mode: 0o700 });
      const file = path.join(src.secretDir, `secret-${crypto.randomBytes(6).toString('hex')}`);
      fs.writeFileSync(file, data, { mode: 0o600 });
      fs.chownSync(file, id(f.uid, 'uid'), id(f.gid, 'gid'));
      fs.chmodSync(file, octal(f.mode, 0o400, 'mode'));
      made.push(file);
      volumes.push(`${file}:${m.target}:ro`);
    }
  }
  return { volumes, tmpfs, lockFiles, cleanup: () => made.forEach((p) => fs.rmSync(p, { recursive: true, force: true })) };
}
