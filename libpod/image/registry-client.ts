// The one owner of undici: a client for the OCI distribution API. It pings /v2/, answers
// WWW-Authenticate challenges (Bearer token flow with per-scope caching, or Basic), follows
// redirects to blob storage without leaking Authorization to another host, retries 429/5xx with
// backoff and Retry-After, and resumes interrupted blob downloads with Range requests.
import crypto from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import type * as Undici from 'undici';
import { RegistryError } from '../../src/errors';
import { log } from '../../src/log';
import { VERSION } from '../../src/version';
import { humanSize } from '../../src/human-units';

export interface Credentials {
  username: string;
  password: string;
}

export interface RegistryEndpoint {
  /** host[:port] used for the API, e.g. registry-1.docker.io or 127.0.0.1:5000. */
  host: string;
  /** Plain HTTP allowed (insecure registry or loopback). */
  insecure: boolean;
  /** --cert-dir: where the registry's *.crt, *.cert and *.key are (default: certs.d/HOST). */
  certDir?: string;
  /** --retry: how often a failed request or download is tried again (default 4). */
  retry?: number;
  /** --retry-delay in ms: a fixed pause between tries (default: 200 ms doubling, or Retry-After). */
  retryDelayMs?: number;
}

/** How a client reaches a registry beyond its address: --cert-dir, --retry, --retry-delay. */
export type RegistryAccess = Pick<RegistryEndpoint, 'certDir' | 'retry' | 'retryDelayMs'>;

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

interface Token {
  value: string;
  expires: number;
}

export const MANIFEST_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
};

const ACCEPT = [MANIFEST_TYPES.ociIndex, MANIFEST_TYPES.dockerList, MANIFEST_TYPES.ociManifest, MANIFEST_TYPES.dockerManifest].join(', ');

export interface RawManifest {
  mediaType: string;
  body: Buffer;
  digest: string;
}

/** Parses `Bearer realm="...",service="..."` (also several challenges in one header). */
export function parseChallenge(header: string): Challenge | null {
  const m = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!m) return null;
  const params: Record<string, string> = {};
  const re = /(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (let p = re.exec(m[2]); p; p = re.exec(m[2])) params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  return { scheme: m[1].toLowerCase(), params };
}

const RETRIES = 4;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function retryDelay(attempt: number, retryAfter: string | string[] | undefined): number {
  const header = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
  if (header) {
    const secs = Number(header);
    if (Number.isFinite(secs)) return Math.min(secs * 1000, 30_000);
    const when = Date.parse(header);
    if (Number.isFinite(when)) return Math.max(0, Math.min(when - Date.now(), 30_000));
  }
  return Math.min(200 * 2 ** attempt, 5000);
}

export interface RequestResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable & { text(): Promise<string>; arrayBuffer(): Promise<ArrayBuffer>; dump(): Promise<void>; readonly bodyUsed?: boolean };
}

export class RegistryClient {
  private readonly tokens = new Map<string, Token>();
  private challenge?: Challenge | null;
  private scheme?: 'https' | 'http';
  private readonly undici: typeof Undici;
  /** For insecure registries: TLS without certificate verification (Podman's --tls-verify=false). */
  private readonly dispatcher?: Undici.Dispatcher;

  constructor(
    readonly endpoint: RegistryEndpoint,
    private readonly credentials: Credentials | undefined,
    /** Name for messages: the image reference the user typed. */
    private readonly what: string,
  ) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.undici = require('undici') as typeof Undici;
    this.retries = endpoint.retry ?? RETRIES;
    if (endpoint.insecure) this.dispatcher = new this.undici.Agent({ connect: { rejectUnauthorized: false } });
    else {
      // Required here: registry-certs loads node:tls, which every create would pay for (manifest.ts imports this module for its constants).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { registryTls } = require('./registry-certs') as typeof import('./registry-certs');
      const material = registryTls(endpoint.host, endpoint.certDir);
      if (material) this.dispatcher = new this.undici.Agent({ connect: material });
    }
  }

  private readonly retries: number;

  /** The pause before try attempt+1: --retry-delay when given, else the backoff (or Retry-After). */
  private delay(attempt: number, retryAfter: string | string[] | undefined): number {
    return this.endpoint.retryDelayMs ?? retryDelay(attempt, retryAfter);
  }

  private base(): string {
    return `${this.scheme}://${this.endpoint.host}`;
  }

  /**
   * GET /v2/: picks the scheme and learns the auth challenge. HTTPS (verified) first; plain HTTP
   * only for insecure registries (which also skip certificate checks) and loopback ones. A scheme
   * counts only if /v2/ answers as a registry does (200 or 401).
   */
  async ping(): Promise<void> {
    if (this.scheme) return;
    const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(this.endpoint.host);
    const schemes: Array<'https' | 'http'> = this.endpoint.insecure || loopback ? ['https', 'http'] : ['https'];
    let lastErr: unknown;
    let tlsErr: unknown;
    let odd: string | undefined;
    for (const scheme of schemes) {
      try {
        const res = await this.pingOnce(scheme);
        if (res.statusCode === 429 || res.statusCode >= 500) {
          // It is a registry, only busy or limiting: say that, not that it is no registry.
          throw new RegistryError(`registry ${this.endpoint.host} answered ${res.statusCode}${res.statusCode === 429 ? ' (too many requests)' : ''} to ${this.retries + 1} requests in a row: wait a while and try again`);
        }
        if (res.statusCode !== 200 && res.statusCode !== 401) {
          odd ??= `${scheme}://${this.endpoint.host}/v2/ answered ${res.statusCode}`;
          continue;
        }
        this.scheme = scheme;
        const www = res.headers['www-authenticate'];
        this.challenge = res.statusCode === 401 && www ? parseChallenge(Array.isArray(www) ? www[0] : www) : null;
        return;
      } catch (err) {
        if (err instanceof RegistryError) throw err;
        lastErr = err;
        const code = String((err as { cause?: { code?: string } })?.cause?.code ?? (err as { code?: string }).code ?? '');
        if (scheme === 'https' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT/.test(code)) tlsErr = err;
      }
    }
    if (tlsErr) {
      const code = (tlsErr as { cause?: { code?: string } })?.cause?.code ?? (tlsErr as { code?: string }).code;
      throw new RegistryError(
        `cannot reach registry ${this.endpoint.host} (${code}): its TLS certificate is not trusted; add its CA to the system's trust store, or mark it insecure in registries.conf or pass --tls-verify=false`,
        { cause: tlsErr },
      );
    }
    if (odd) throw new RegistryError(`${this.endpoint.host} does not answer as a container registry: ${odd}`);
    const cause = (lastErr as { cause?: { code?: string } })?.cause;
    const msg = cause?.code ?? (lastErr as { code?: string; message?: string })?.code ?? (lastErr as Error)?.message;
    throw new RegistryError(
      `cannot reach registry ${this.endpoint.host} (${msg})${this.endpoint.insecure || loopback ? '' : ': if it serves plain HTTP, mark it insecure in registries.conf or pass --tls-verify=false'}`,
      { cause: lastErr },
    );
  }

  /** GET /v2/ on one scheme, waiting out 429 and 5xx answers as request() does. */
  private async pingOnce(scheme: 'https' | 'http'): Promise<Undici.Dispatcher.ResponseData> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.undici.request(`${scheme}://${this.endpoint.host}/v2/`, { method: 'GET', headers: { 'user-agent': `tspod/${VERSION}` }, headersTimeout: 30_000, dispatcher: this.dispatcher });
      await res.body.dump();
      if ((res.statusCode !== 429 && res.statusCode < 500) || attempt >= this.retries) return res;
      const delay = this.delay(attempt, res.headers['retry-after']);
      log.debug(`GET ${scheme}://${this.endpoint.host}/v2/: ${res.statusCode}, retrying in ${delay} ms`);
      await sleep(delay);
    }
  }

  private async token(scope: string): Promise<string | null> {
    const ch = this.challenge;
    if (!ch) return null;
    if (ch.scheme === 'basic') {
      if (!this.credentials) return null;
      return `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    }
    if (ch.scheme !== 'bearer' || !ch.params.realm) throw new RegistryError(`registry ${this.endpoint.host} asks for unsupported authentication "${ch.scheme}"`);
    const cached = this.tokens.get(scope);
    if (cached && cached.expires > Date.now() + 5000) return `Bearer ${cached.value}`;
    const url = new URL(ch.params.realm);
    if (ch.params.service) url.searchParams.set('service', ch.params.service);
    for (const s of scope.split(' ')) url.searchParams.append('scope', s);
    const headers: Record<string, string> = { 'user-agent': `tspod/${VERSION}` };
    if (this.credentials) headers.authorization = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    let res;
    try {
      res = await this.undici.request(url, { method: 'GET', headers, headersTimeout: 30_000, dispatcher: this.dispatcher });
    } catch (err) {
      throw new RegistryError(`cannot reach the token service ${url.origin} of ${this.endpoint.host}: ${(err as Error).message}`, { cause: err });
    }
    const text = await res.body.text();
    if (res.statusCode === 401 || res.statusCode === 403) {
      throw new RegistryError(`authenticating to ${this.endpoint.host}: ${this.credentials ? 'invalid username or password' : 'the registry wants credentials'} (token service answered ${res.statusCode}): log in with "tspod login ${this.endpoint.host}"`);
    }
    if (res.statusCode !== 200) throw new RegistryError(`token service of ${this.endpoint.host} answered ${res.statusCode}: ${text.slice(0, 200)}`);
    const body = JSON.parse(text) as { token?: string; access_token?: string; expires_in?: number };
    const value = body.token ?? body.access_token;
    if (!value) throw new RegistryError(`token service of ${this.endpoint.host} returned no token`);
    this.tokens.set(scope, { value, expires: Date.now() + (body.expires_in ?? 60) * 1000 });
    return `Bearer ${value}`;
  }

  /**
   * One API request with auth, retries and redirects. The caller reads or dumps the body.
   * Statuses other than 2xx/3xx-followed are returned, not thrown, except after retries run out.
   */
  async request(method: string, path: string, opts: { scope: string; headers?: Record<string, string>; body?: Buffer | Readable; okStatuses?: number[] }): Promise<RequestResult> {
    await this.ping();
    let url = `${this.base()}${path}`;
    let authRetried = false;
    for (let attempt = 0; ; attempt++) {
      const auth = await this.token(opts.scope);
      const headers: Record<string, string> = { 'user-agent': `tspod/${VERSION}`, ...(opts.headers ?? {}) };
      let target = new URL(url);
      if (auth) headers.authorization = auth;
      let res: Undici.Dispatcher.ResponseData;
      try {
        res = await this.undici.request(target, { method: method as Undici.Dispatcher.HttpMethod, headers, body: opts.body, headersTimeout: 60_000, bodyTimeout: 120_000, dispatcher: this.dispatcher });
        // Follow redirects (blob storage); Authorization goes only to the registry's own host.
        for (let hops = 0; res.statusCode >= 300 && res.statusCode < 400 && res.headers.location && hops < 5; hops++) {
          await res.body.dump();
          const next = new URL(String(res.headers.location), target);
          const h = { ...headers };
          if (next.host !== target.host) delete h.authorization;
          target = next;
          res = await this.undici.request(target, { method: method === 'HEAD' ? 'HEAD' : 'GET', headers: h, headersTimeout: 60_000, bodyTimeout: 120_000, dispatcher: this.dispatcher });
        }
      } catch (err) {
        if (attempt < this.retries && !(opts.body && typeof (opts.body as Readable).pipe === 'function')) {
          await sleep(this.delay(attempt, undefined));
          continue;
        }
        throw new RegistryError(`${method} ${target.href}: ${(err as Error).message}`, { cause: err });
      }
      if (res.statusCode === 401 && !authRetried) {
        // A challenge may arrive only now (some registries answer /v2/ with 200).
        const www = res.headers['www-authenticate'];
        if (www) {
          await res.body.dump();
          this.challenge = parseChallenge(Array.isArray(www) ? www[0] : www);
          this.tokens.delete(opts.scope);
          authRetried = true;
          attempt--;
          continue;
        }
      }
      if ((res.statusCode === 429 || res.statusCode >= 500) && attempt < this.retries && !(opts.body && typeof (opts.body as Readable).pipe === 'function')) {
        const delay = this.delay(attempt, res.headers['retry-after']);
        log.debug(`${method} ${url}: ${res.statusCode}, retrying in ${delay} ms`);
        await res.body.dump();
        await sleep(delay);
        continue;
      }
      url = target.href;
      return { status: res.statusCode, headers: res.headers, body: res.body as unknown as RequestResult['body'] };
    }
  }

  /** A clear error for a failed API call, naming the image. */
  async fail(res: RequestResult, doing: string): Promise<never> {
    // A body already dumped (HEAD, upload starts) has nothing more to say; reading it again throws
    // outside any promise, which would take a long-lived process (the API service) down with it.
    let text = '';
    if (!res.body.bodyUsed) {
      try {
        text = (await res.body.text()).slice(0, 300);
      } catch {
        text = '';
      }
    }
    let detail = '';
    try {
      const errs = (JSON.parse(text) as { errors?: Array<{ code: string; message: string }> }).errors ?? [];
      detail = errs.map((e) => `${e.code}: ${e.message}`).join('; ');
    } catch {
      detail = text.trim();
    }
    const hint =
      res.status === 401
        ? `: authentication required: log in with "tspod login ${this.endpoint.host}"`
        : res.status === 403
          ? ': access denied: check your credentials and your rights on this repository'
          : res.status === 404
            ? ': not found'
            : '';
    throw new RegistryError(`${doing} ${this.what}: ${this.endpoint.host} answered ${res.status}${detail ? ` (${detail})` : ''}${hint}`);
  }

  /**
   * Verifies credentials as `login` does: a token for the registry (Bearer), or /v2/ answering 200
   * with them (Basic). Throws RegistryError with "invalid username or password" when refused.
   */
  async checkLogin(): Promise<void> {
    await this.ping();
    if (!this.challenge) return;
    if (this.challenge.scheme === 'bearer') {
      await this.token('registry:catalog:*');
      return;
    }
    const res = await this.request('GET', '/v2/', { scope: '' });
    await res.body.dump();
    if (res.status === 401 || res.status === 403) throw new RegistryError(`logging in to ${this.endpoint.host}: invalid username or password (${res.status})`);
    if (res.status !== 200) throw new RegistryError(`logging in to ${this.endpoint.host}: the registry answered ${res.status}`);
  }

  async getManifest(repo: string, ref: string): Promise<RawManifest> {
    const res = await this.request('GET', `/v2/${repo}/manifests/${ref}`, { scope: `repository:${repo}:pull`, headers: { accept: ACCEPT } });
    if (res.status !== 200) return this.fail(res, 'reading manifest of');
    const body = Buffer.from(await res.body.arrayBuffer());
    const digest = `sha256:${crypto.createHash('sha256').update(body).digest('hex')}`;
    if (ref.startsWith('sha256:') && ref !== digest) throw new RegistryError(`manifest of ${this.what} does not match its digest: expected ${ref}, got ${digest}`);
    const ct = String(res.headers['content-type'] ?? '').split(';')[0].trim();
    let mediaType = ct;
    try {
      const parsed = JSON.parse(body.toString()) as { mediaType?: string; schemaVersion?: number; manifests?: unknown; fsLayers?: unknown };
      if (parsed.mediaType) mediaType = parsed.mediaType;
      else if (parsed.schemaVersion === 1 || parsed.fsLayers) mediaType = MANIFEST_TYPES.dockerSchema1;
      else if (!mediaType || mediaType === 'application/json') mediaType = parsed.manifests ? MANIFEST_TYPES.ociIndex : MANIFEST_TYPES.ociManifest;
    } catch {
      throw new RegistryError(`manifest of ${this.what} is not JSON`);
    }
    return { mediaType, body, digest };
  }

  /** HEAD of a blob: is it already in this repository? */
  async blobExists(repo: string, digest: string): Promise<boolean> {
    const res = await this.request('HEAD', `/v2/${repo}/blobs/${digest}`, { scope: `repository:${repo}:pull,push` });
    // The body is read by fail() on an error: dumped first, undici throws outside any promise.
    if (res.status !== 200 && res.status !== 404) return this.fail(res, `checking blob ${digest.slice(0, 19)} of`);
    await res.body.dump();
    return res.status === 200;
  }

  /** Cross-repository mount: the registry links a blob it has under another name; true if it did. */
  async mountBlob(repo: string, digest: string, from: string): Promise<boolean> {
    const res = await this.request('POST', `/v2/${repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`, {
      scope: `repository:${repo}:pull,push repository:${from}:pull`,
      headers: { 'content-length': '0' },
    });
    await res.body.dump();
    return res.status === 201;
  }

  /** Monolithic upload: POST for a session, then PUT the whole blob with its digest. */
  async uploadBlob(repo: string, digest: string, size: number, open: () => Readable | Buffer): Promise<void> {
    const scope = `repository:${repo}:pull,push`;
    const start = await this.request('POST', `/v2/${repo}/blobs/uploads/`, { scope, headers: { 'content-length': '0' } });
    if (start.status !== 202) return this.fail(start, 'starting an upload for');
    await start.body.dump();
    const location = new URL(String(start.headers.location), `${this.base()}/`);
    location.searchParams.set('digest', digest);
    const put = await this.request('PUT', `${location.pathname}${location.search}`, {
      scope,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body: open(),
    });
    if (put.status !== 201) return this.fail(put, `uploading blob ${digest.slice(0, 19)} of`);
    await put.body.dump();
  }

  /** PUT a manifest; returns the digest the registry reports (or that of the bytes). */
  async putManifest(repo: string, ref: string, body: Buffer, mediaType: string): Promise<string> {
    const res = await this.request('PUT', `/v2/${repo}/manifests/${ref}`, { scope: `repository:${repo}:pull,push`, headers: { 'content-type': mediaType }, body });
    if (res.status !== 201) return this.fail(res, 'writing manifest of');
    await res.body.dump();
    return String(res.headers['docker-content-digest'] ?? `sha256:${crypto.createHash('sha256').update(body).digest('hex')}`);
  }

  /** Repository names from /v2/_catalog (registries that offer it). */
  async catalog(limit: number): Promise<string[]> {
    const res = await this.request('GET', `/v2/_catalog?n=${limit}`, { scope: 'registry:catalog:*' });
    if (res.status !== 200) return this.fail(res, 'listing the repositories of');
    return ((JSON.parse(await res.body.text()) as { repositories?: string[] }).repositories ?? []).slice(0, limit);
  }

  /** The repository's tags from /v2/NAME/tags/list, following the Link header's pages. */
  async tags(repo: string): Promise<string[]> {
    const out: string[] = [];
    let next: string | undefined = `/v2/${repo}/tags/list`;
    while (next) {
      const res = await this.request('GET', next, { scope: `repository:${repo}:pull` });
      if (res.status !== 200) return this.fail(res, `listing the tags of ${repo} on`);
      out.push(...((JSON.parse(await res.body.text()) as { tags?: string[] | null }).tags ?? []));
      // RFC 5988 Link: </v2/NAME/tags/list?last=x&n=y>; rel="next"
      const link = /<([^>]+)>\s*;\s*rel="next"/.exec(String(res.headers.link ?? ''));
      next = link ? link[1].replace(/^https?:\/\/[^/]+/, '') : undefined;
    }
    return out;
  }

  async getBlob(repo: string, digest: string): Promise<Buffer> {
    const res = await this.request('GET', `/v2/${repo}/blobs/${digest}`, { scope: `repository:${repo}:pull` });
    if (res.status !== 200) return this.fail(res, `reading blob ${digest.slice(0, 19)} of`);
    return Buffer.from(await res.body.arrayBuffer());
  }

  /**
   * The blob's bytes from offset on as one stream. If the connection drops, the download goes on
   * with a Range request from the last byte received; the consumer sees one uninterrupted stream.
   * After this.retries resumes it gives up with an error that says how often and how far it got.
   */
  blobStream(repo: string, digest: string, offset: number, size: number): Readable {
    const out = new PassThrough();
    let received = offset;
    let attempts = 0;
    const fetchFrom = async (): Promise<void> => {
      attempts++;
      const headers: Record<string, string> = received > 0 ? { range: `bytes=${received}-` } : {};
      const res = await this.request('GET', `/v2/${repo}/blobs/${digest}`, { scope: `repository:${repo}:pull`, headers });
      if (res.status !== 200 && res.status !== 206) return this.fail(res, `downloading layer ${digest.slice(0, 19)} of`);
      // A 200 to a Range request means the server ignored it: skip what we already have.
      let skip = received > 0 && res.status === 200 ? received : 0;
      // A consumer that stops reading (a failed extraction) ends the request too.
      const abandon = () => res.body.destroy();
      out.once('close', abandon);
      res.body.on('data', (chunk: Buffer) => {
        if (skip >= chunk.length) {
          skip -= chunk.length;
          return;
        }
        const part = skip > 0 ? chunk.subarray(skip) : chunk;
        skip = 0;
        received += part.length;
        if (!out.write(part)) res.body.pause(), out.once('drain', () => res.body.resume());
      });
      try {
        await new Promise<void>((resolve, reject) => {
          res.body.on('end', resolve);
          res.body.on('error', reject);
          res.body.on('close', () => (received >= size ? resolve() : reject(new Error(`connection closed after ${received} of ${size} bytes`))));
        });
      } catch (err) {
        out.off('close', abandon);
        if (received >= size || out.destroyed) throw err;
        if (attempts > this.retries) {
          throw new RegistryError(
            `downloading layer ${digest.slice(0, 19)} of ${this.what}: gave up after ${attempts} attempts, the last one ended by ${dropReason(err)} (${humanSize(received)} of ${humanSize(size)} received): nothing of the layer was kept; pull again once the registry and the network are steady`,
            { cause: err },
          );
        }
        log.debug(`layer ${digest}: attempt ${attempts} ended by ${dropReason(err)}; resuming at byte ${received}`);
        await sleep(this.delay(attempts - 1, undefined));
        return fetchFrom();
      }
    };
    fetchFrom().then(
      () => (received < size ? out.destroy(new RegistryError(`layer ${digest} of ${this.what} ended after ${received} of ${size} bytes`)) : out.end()),
      (err) => out.destroy(err instanceof RegistryError ? err : new RegistryError(`downloading layer ${digest.slice(0, 19)} of ${this.what}: ${(err as Error).message}`, { cause: err })),
    );
    return out;
  }
}

/** Why a download stopped, as the user should read it (undici reports a peer's close or reset alike). */
function dropReason(err: unknown): string {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'ECONNRESET') return 'a connection reset by the registry';
  if (code === 'UND_ERR_SOCKET') return 'the registry closing the connection';
  if (code === 'UND_ERR_BODY_TIMEOUT') return 'the registry sending nothing for 120 s';
  return `an error: ${(err as Error).message}`;
}

/** Docker Hub's search API (the distribution API has none): index.docker.io/v1/search. */
export async function hubSearch(term: string, limit: number): Promise<Array<{ name: string; description?: string; star_count?: number; is_official?: boolean; is_automated?: boolean }>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { request } = require('undici') as typeof Undici;
  const url = `https://index.docker.io/v1/search?q=${encodeURIComponent(term)}&n=${limit}`;
  let res;
  try {
    res = await request(url, { headersTimeout: 15_000 });
  } catch (err) {
    throw new RegistryError(`cannot reach Docker Hub's search service: ${(err as { code?: string }).code ?? (err as Error).message}`);
  }
  if (res.statusCode !== 200) throw new RegistryError(`Docker Hub search answered ${res.statusCode}`);
  return ((await res.body.json()) as { results?: [] }).results ?? [];
}
