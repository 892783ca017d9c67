// Registry credentials in Podman's auth.json format ({"auths": {"host": {"auth": base64(user:pass)}}}):
// written to $XDG_RUNTIME_DIR/containers/auth.json (Podman's default, mode 0600) or --authfile;
// read from there, then $XDG_CONFIG_HOME/containers/auth.json, then $DOCKER_CONFIG/config.json
// ($DOCKER_CONFIG defaults to ~/.docker; global --config sets it).
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import { userRuntimeDir } from '../../src/paths';
import type { Credentials } from './registry-client';

type Env = Record<string, string | undefined>;

interface AuthJson {
  auths?: Record<string, { auth?: string }>;
  [key: string]: unknown;
}

export function defaultAuthFile(env: Env = process.env): string {
  if (env.REGISTRY_AUTH_FILE) return env.REGISTRY_AUTH_FILE;
  return path.join(userRuntimeDir(env, process.getuid?.() ?? 0), 'containers', 'auth.json');
}

export function authFiles(explicit: string | undefined, env: Env = process.env): string[] {
  if (explicit) return [explicit];
  const home = env.HOME ?? '';
  const configHome = env.XDG_CONFIG_HOME || path.join(home, '.config');
  return [defaultAuthFile(env), path.join(configHome, 'containers', 'auth.json'), path.join(env.DOCKER_CONFIG || path.join(home, '.docker'), 'config.json')];
}

/** --authfile names a file that must exist (Podman checks before it pulls, pushes or searches). */
export function checkAuthFile(file: string | undefined): void {
  if (file === undefined || file === '') return;
  try {
    fs.statSync(file);
  } catch (err) {
    throw new InvalidArgumentError(`credential file is not accessible: ${(err as Error).message}: give an existing file, or log in with --authfile to create it`);
  }
}

/** The keys a registry may be stored under (Docker Hub has several spellings). */
export function authKeys(host: string): string[] {
  if (host === 'docker.io' || host === 'registry-1.docker.io' || host === 'index.docker.io') {
    return ['docker.io', 'https://index.docker.io/v1/', 'index.docker.io', 'registry-1.docker.io'];
  }
  return [host, `https://${host}`, `http://${host}`];
}

function readAuthJson(file: string): AuthJson | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    return JSON.parse(text) as AuthJson;
  } catch {
    throw new InvalidArgumentError(`${file} is not valid JSON: fix or remove it`);
  }
}

export function decodeAuth(auth: string): Credentials | null {
  const text = Buffer.from(auth, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

export function lookupCredentials(host: string, explicitFile?: string, env: Env = process.env): Credentials | undefined {
  for (const file of authFiles(explicitFile, env)) {
    const json = readAuthJson(file);
    for (const key of authKeys(host)) {
      const entry = json?.auths?.[key];
      if (entry?.auth) {
        const creds = decodeAuth(entry.auth);
        if (creds) return creds;
      }
    }
  }
  return undefined;
}

function writeAuthJson(file: string, json: AuthJson): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(json, null, '\t')}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export function storeCredentials(host: string, creds: Credentials, file: string): void {
  const json = readAuthJson(file) ?? {};
  json.auths = { ...(json.auths ?? {}), [authKeys(host)[0]]: { auth: Buffer.from(`${creds.username}:${creds.password}`).toString('base64') } };
  writeAuthJson(file, json);
}

/** Removes the host's entry; returns false when it had none. */
export function removeCredentials(host: string, file: string): boolean {
  const json = readAuthJson(file);
  if (!json?.auths) return false;
  let removed = false;
  for (const key of authKeys(host)) {
    if (json.auths[key]) {
      delete json.auths[key];
      removed = true;
    }
  }
  if (removed) writeAuthJson(file, json);
  return removed;
}

/** `user:password` from --creds. */
export function parseCreds(value: string): Credentials {
  const colon = value.indexOf(':');
  if (colon <= 0) throw new InvalidArgumentError('--creds must be USERNAME:PASSWORD');
  return { username: value.slice(0, colon), password: value.slice(colon + 1) };
}
