// run/create --secret (issue 19): NAME[,type=mount|env,target=,uid=,gid=,mode=] parsed as Podman
// parses it; the secret's data copied into the container's directory at create (a later `secret rm`
// or --replace does not change the container, and the data never goes into the container's
// record); at start a mount is a read-only bind of that copy (at /run/secrets/NAME, or target) and
// an env secret a variable read from it. inspect shows names and IDs only.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import type { SecretStore } from './secret-store';

export interface SecretUse {
  name: string;
  id: string;
  type: 'mount' | 'env';
  /** mount: the path in the container; env: the variable's name. */
  target: string;
  uid: number;
  gid: number;
  mode: number;
}

function parseError(what: string): InvalidArgumentError {
  return new InvalidArgumentError(`${what}: parsing secret: use --secret NAME[,type=mount|env,target=,uid=,gid=,mode=]`);
}

/** One --secret value, its secret looked up in the store. */
export function parseSecretFlag(value: string, store: SecretStore): SecretUse {
  let parts = value.split(',');
  let source = '';
  let type = '';
  let target = '';
  let uid = 0;
  let gid = 0;
  let mode = 0o444;
  let mountOnly = false;
  if (!parts[0].includes('=')) {
    source = parts[0];
    parts = parts.slice(1);
  }
  const uint = (v: string, radix: number, what: string) => {
    if (!(radix === 8 ? /^[0-7]+$/ : /^\d+$/).test(v) || Number.parseInt(v, radix) > 0xffffffff) throw parseError(`${what} ${v} invalid`);
    return Number.parseInt(v, radix);
  };
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq < 0) throw parseError(`option ${p} must be in form option=value`);
    const [k, v] = [p.slice(0, eq), p.slice(eq + 1)];
    if (k === 'source') source = v;
    else if (k === 'type') {
      if (type) throw parseError('cannot set more than one secret type');
      if (v !== 'mount' && v !== 'env') throw parseError(`type ${v} is invalid`);
      type = v;
    } else if (k === 'target') target = v;
    else if (k === 'mode') [mode, mountOnly] = [uint(v, 8, 'mode'), true];
    else if (k === 'uid' || k === 'UID') [uid, mountOnly] = [uint(v, 10, 'UID'), true];
    else if (k === 'gid' || k === 'GID') [gid, mountOnly] = [uint(v, 10, 'GID'), true];
    else throw parseError(`option ${p} invalid`);
  }
  if (!source) throw parseError(`no source found ${value}`);
  if (type === 'env' && mountOnly) throw parseError('UID, GID, Mode options cannot be set with secret type env');
  const s = store.lookup(source);
  const kind = (type || 'mount') as SecretUse['type'];
  if (kind === 'env') return { name: s.name, id: s.id, type: kind, target: target || s.name, uid, gid, mode };
  const dest = target ? (target.startsWith('/') ? path.normalize(target) : path.join('/run/secrets', target)) : path.join('/run/secrets', s.name);
  return { name: s.name, id: s.id, type: kind, target: dest, uid, gid, mode };
}

/** Where a container keeps its copy of a secret: <container dir>/secrets/<ID>. */
export function secretCopy(containerDir: string, use: SecretUse): string {
  return path.join(containerDir, 'secrets', use.id);
}

/** At create: the data of each secret copied into the container's directory, 0600. */
export function copySecrets(store: SecretStore, containerDir: string, uses: SecretUse[]): void {
  for (const u of uses) {
    const file = secretCopy(containerDir, u);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, store.data(store.lookup(u.id)), { mode: 0o600 });
  }
}

/**
 * At start: the env secrets as KEY=VALUE, and each mount secret staged in the run directory with
 * its owner and mode (chown works inside the user namespace) for a read-only bind.
 */
export function secretsAtStart(containerDir: string, runDir: string, uses: SecretUse[]): { env: string[]; mounts: Array<{ destination: string; type: string; source: string; options: string[] }> } {
  const env: string[] = [];
  const mounts: Array<{ destination: string; type: string; source: string; options: string[] }> = [];
  for (const u of uses) {
    const data = fs.readFileSync(secretCopy(containerDir, u));
    if (u.type === 'env') {
      env.push(`${u.target}=${data.toString('utf8')}`);
      continue;
    }
    const staged = path.join(runDir, 'secrets', u.id);
    fs.mkdirSync(path.dirname(staged), { recursive: true, mode: 0o711 });
    fs.writeFileSync(staged, data, { mode: 0o600 });
    fs.chownSync(staged, u.uid, u.gid);
    fs.chmodSync(staged, u.mode);
    mounts.push({ destination: u.target, type: 'bind', source: staged, options: ['bind', 'rprivate', 'ro', 'nosuid', 'nodev', 'noexec'] });
  }
  return { env, mounts };
}

/** inspect's Config.Secrets: the mounted ones, names and IDs only (Podman's InspectSecret). */
export function inspectSecrets(uses: SecretUse[] | undefined): Array<{ Name: string; ID: string; UID: number; GID: number; Mode: number }> | undefined {
  const mounted = (uses ?? []).filter((u) => u.type === 'mount');
  return mounted.length ? mounted.map((u) => ({ Name: u.name, ID: u.id, UID: u.uid, GID: u.gid, Mode: u.mode })) : undefined;
}
