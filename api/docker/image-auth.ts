// Docker's registry credentials headers as the engine's --creds: X-Registry-Auth (pull, push: one
// base64 JSON AuthConfig) and X-Registry-Config (build: base64 JSON map of registry → AuthConfig).
import { ApiError } from '../types';

interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  serveraddress?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** Docker's clients send standard or URL-safe base64, padded or not. */
function decodeJson(header: string, name: string): unknown {
  const text = Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, `invalid ${name} header: it must be base64 of a JSON object`);
  }
}

/** An AuthConfig as USERNAME:PASSWORD, or undefined when it carries none (an empty {} is common). */
function credsOf(a: AuthConfig | undefined, name: string): string | undefined {
  if (!a || typeof a !== 'object') return undefined;
  let { username, password } = a;
  if (!username && a.auth) {
    const plain = Buffer.from(a.auth, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon > 0) [username, password] = [plain.slice(0, colon), plain.slice(colon + 1)];
  }
  if (!username && (a.identitytoken || a.registrytoken)) throw new ApiError(400, `${name}: identity and registry tokens are not supported: log in with a username and password`);
  if (!username) return undefined;
  return `${username}:${password ?? ''}`;
}

/** X-Registry-Auth → --creds, or undefined when absent or empty. */
export function registryAuthCreds(header: string | string[] | undefined): string | undefined {
  const h = Array.isArray(header) ? header[0] : header;
  if (!h || !h.trim()) return undefined;
  return credsOf(decodeJson(h.trim(), 'X-Registry-Auth') as AuthConfig, 'X-Registry-Auth');
}

/**
 * X-Registry-Config → --creds for one registry host: the build pulls its base images with one set
 * of credentials, so the entry for the first FROM's registry is used when several are sent.
 */
export function registryConfigCreds(header: string | string[] | undefined, host?: string): string | undefined {
  const h = Array.isArray(header) ? header[0] : header;
  if (!h || !h.trim()) return undefined;
  const map = decodeJson(h.trim(), 'X-Registry-Config');
  if (!map || typeof map !== 'object' || Array.isArray(map)) throw new ApiError(400, 'invalid X-Registry-Config header: it must be base64 of a JSON object of registries');
  const entries = Object.entries(map as Record<string, AuthConfig>);
  const strip = (k: string) => k.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  const chosen = host ? entries.find(([k]) => strip(k) === host) : entries.find(([, v]) => credsOf(v, 'X-Registry-Config'));
  return chosen ? credsOf(chosen[1], 'X-Registry-Config') : undefined;
}
