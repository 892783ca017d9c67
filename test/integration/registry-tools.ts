// Test peers for the registry client: an HTTP proxy in front of the real registry that can cut a
// blob download once, corrupt it, or trickle it; and a helper that pushes a multi-platform index
// through the distribution API.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyMode = 'pass' | 'cut-once' | 'corrupt' | 'slow' | 'busy-once' | 'basic-redirect';

export interface BlobRequest {
  path: string;
  range?: string;
  bytesSent: number;
}

export class RegistryProxy {
  mode: ProxyMode = 'pass';
  /** Bytes of a blob sent before the connection is cut (cut-once). */
  cutAfter = 256 * 1024;
  readonly blobRequests: BlobRequest[] = [];
  private server?: http.Server;
  private cut = false;

  constructor(private readonly upstream: string) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    return `127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.storage?.closeAllConnections();
    this.storage?.close();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Requests seen (path and whether they carried Authorization), in busy-once and basic-redirect modes. */
  readonly seen: Array<{ path: string; auth: boolean; status?: number }> = [];
  /** The blob store that basic-redirect sends blob downloads to, and what it was sent. */
  storageRequests: Array<{ path: string; auth: boolean }> = [];
  private storage?: http.Server;
  private busyDone = false;

  private async storageUrl(): Promise<string> {
    if (!this.storage) {
      this.storage = http.createServer((req, res) => {
        this.storageRequests.push({ path: req.url ?? '', auth: Boolean(req.headers.authorization) });
        const blob = new URL(req.url ?? '/', 'http://x').searchParams.get('path') ?? '';
        const up = http.get({ host: this.upstream.split(':')[0], port: Number(this.upstream.split(':')[1]), path: blob, headers: req.headers.range ? { range: req.headers.range } : {} }, (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        });
        up.on('error', () => res.destroy());
      });
      await new Promise<void>((r) => this.storage!.listen(0, '127.0.0.1', () => r()));
    }
    return `http://127.0.0.1:${(this.storage.address() as AddressInfo).port}/blob`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    if (this.mode === 'busy-once' || this.mode === 'basic-redirect') this.seen.push({ path: url, auth: Boolean(req.headers.authorization) });
    if (this.mode === 'busy-once' && !this.busyDone && /\/manifests\//.test(url)) {
      this.busyDone = true;
      res.writeHead(503, { 'retry-after': '1', 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAVAILABLE","message":"busy, try later"}]}');
      return;
    }
    if (this.mode === 'basic-redirect') {
      const expected = `Basic ${Buffer.from('alice:secret').toString('base64')}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="proxy"', 'content-type': 'application/json' });
        res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
        return;
      }
      if (/\/blobs\/sha256:/.test(url) && req.method === 'GET') {
        void this.storageUrl().then((base) => {
          res.writeHead(307, { location: `${base}?path=${encodeURIComponent(url)}` });
          res.end();
        });
        return;
      }
    }
    const headers = { ...req.headers, host: this.upstream };
    delete headers.authorization;
    const up = http.request({ host: this.upstream.split(':')[0], port: Number(this.upstream.split(':')[1]), path: req.url, method: req.method, headers }, (upRes) => {
      const isBlob = /\/blobs\/sha256:/.test(req.url ?? '') && req.method === 'GET' && (upRes.statusCode === 200 || upRes.statusCode === 206);
      if (!isBlob) {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
        return;
      }
      const record: BlobRequest = { path: req.url ?? '', range: req.headers.range, bytesSent: 0 };
      this.blobRequests.push(record);
      res.writeHead(upRes.statusCode ?? 200, upRes.headers);
      // Only layers are corrupted (configs are small): the layer's digest check is what is tested.
      let flipped = Number(upRes.headers['content-length'] ?? 0) < 100_000;
      upRes.on('data', (chunk: Buffer) => {
        let out = chunk;
        if (this.mode === 'corrupt' && !flipped && chunk.length > 100) {
          out = Buffer.from(chunk);
          out[50] ^= 0xff;
          flipped = true;
        }
        if (this.mode === 'cut-once' && !this.cut && record.bytesSent + out.length > this.cutAfter) {
          this.cut = true;
          const part = out.subarray(0, this.cutAfter - record.bytesSent);
          record.bytesSent += part.length;
          res.write(part, () => res.destroy());
          upRes.destroy();
          return;
        }
        record.bytesSent += out.length;
        if (this.mode === 'slow') {
          upRes.pause();
          res.write(out, () => setTimeout(() => upRes.resume(), 50));
        } else if (!res.write(out)) {
          upRes.pause();
          res.once('drain', () => upRes.resume());
        }
      });
      upRes.on('end', () => res.end());
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  }
}

const sha = (b: Buffer) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

async function putBlob(registry: string, repo: string, data: Buffer): Promise<string> {
  const digest = sha(data);
  const start = await fetch(`http://${registry}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`upload start: ${start.status}`);
  const loc = new URL(start.headers.get('location')!, `http://${registry}`);
  loc.searchParams.set('digest', digest);
  const put = await fetch(loc, { method: 'PUT', body: data, headers: { 'content-type': 'application/octet-stream' } });
  if (put.status !== 201) throw new Error(`upload: ${put.status} ${await put.text()}`);
  return digest;
}

async function putManifest(registry: string, repo: string, ref: string, body: Buffer, mediaType: string): Promise<string> {
  const res = await fetch(`http://${registry}/v2/${repo}/manifests/${ref}`, { method: 'PUT', body, headers: { 'content-type': mediaType } });
  if (res.status !== 201) throw new Error(`manifest ${ref}: ${res.status} ${await res.text()}`);
  return sha(body);
}

/**
 * Makes REPO:latest an OCI index of two images built from the busybox fixture's layer: one for the
 * host's amd64 and one whose config says arm64. Returns both config digests (the image IDs).
 */
export async function pushMultiArch(registry: string, repo: string): Promise<{ amd64: string; arm64: string }> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const manifest: any = await (await fetch(`http://${registry}/v2/library/busybox/manifests/latest`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })).json();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const config: any = await (await fetch(`http://${registry}/v2/library/busybox/blobs/${manifest.config.digest}`)).json();
  const layer = Buffer.from(await (await fetch(`http://${registry}/v2/library/busybox/blobs/${manifest.layers[0].digest}`)).arrayBuffer());
  await putBlob(registry, repo, layer);
  const out: Record<string, string> = {};
  const entries = [];
  for (const arch of ['amd64', 'arm64']) {
    const cfg = Buffer.from(JSON.stringify({ ...config, architecture: arch, ...(arch === 'arm64' ? { variant: 'v8' } : {}) }));
    const cfgDigest = await putBlob(registry, repo, cfg);
    out[arch] = cfgDigest;
    const m = Buffer.from(JSON.stringify({ ...manifest, config: { ...manifest.config, digest: cfgDigest, size: cfg.length } }));
    const mDigest = await putManifest(registry, repo, sha(m), m, 'application/vnd.oci.image.manifest.v1+json');
    entries.push({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: mDigest, size: m.length, platform: { os: 'linux', architecture: arch, ...(arch === 'arm64' ? { variant: 'v8' } : {}) } });
  }
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: entries }));
  await putManifest(registry, repo, 'latest', index, 'application/vnd.oci.image.index.v1+json');
  return { amd64: out.amd64, arm64: out.arm64 };
}

/** The config digest (image ID) of a single-platform image in the registry. */
export async function configDigest(registry: string, repo: string, tag: string): Promise<string> {
  const m = (await (await fetch(`http://${registry}/v2/${repo}/manifests/${tag}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' } })).json()) as { config: { digest: string } };
  return m.config.digest;
}

/** A second registry server (Debian's docker-registry) with the given auth section, on a free port. */
export async function startRegistry(dir: string, auth: string, httpExtra = ''): Promise<{ addr: string; stop: () => void }> {
  const { spawn } = await import('node:child_process');
  const fs = await import('node:fs');
  const net = await import('node:net');
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  fs.mkdirSync(`${dir}/storage`, { recursive: true });
  fs.writeFileSync(`${dir}/config.yml`, `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/storage\n${auth}\nhttp:\n  addr: 127.0.0.1:${port}\n  secret: tspod-test\n${httpExtra}`);
  const child = spawn('/usr/bin/docker-registry', ['serve', `${dir}/config.yml`], { stdio: ['ignore', 'ignore', fs.openSync(`${dir}/registry.log`, 'a')] });
  const addr = `127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      await fetch(`http://${addr}/v2/`);
      return { addr, stop: () => child.kill() };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error(`registry with auth did not start: ${fs.readFileSync(`${dir}/registry.log`, 'utf8').slice(-500)}`);
}

/**
 * A token service for the registry's `auth: token` mode: Basic credentials in, a JWT out (RS256,
 * the signing certificate in x5c, which the registry checks against its rootcertbundle).
 * Anonymous callers get pull on public/*; alice:secret gets pull and push everywhere.
 */
export class TokenServer {
  readonly requests: Array<{ user: string; scope: string[] }> = [];
  private server?: http.Server;
  constructor(
    private readonly key: crypto.KeyObject,
    private readonly certDer: Buffer,
    readonly issuer = 'tspod-test-issuer',
    readonly service = 'tspod-test',
  ) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const scopes = url.searchParams.getAll('scope');
      const authz = req.headers.authorization ?? '';
      let user = '';
      if (authz.startsWith('Basic ')) {
        const [u, p] = Buffer.from(authz.slice(6), 'base64').toString().split(':');
        if (u !== 'alice' || p !== 'secret') {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end('{"details":"invalid credentials"}');
          return;
        }
        user = u;
      }
      this.requests.push({ user, scope: scopes });
      const access = scopes.flatMap((s) => {
        const [type, name, actions] = s.split(':');
        if (type !== 'repository') return [];
        const allowed = user ? actions.split(',') : name.startsWith('public/') ? actions.split(',').filter((a) => a === 'pull') : [];
        return [{ type, name, actions: allowed }];
      });
      const now = Math.floor(Date.now() / 1000);
      const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const head = b64({ alg: 'RS256', typ: 'JWT', x5c: [this.certDer.toString('base64')] });
      const body = b64({ iss: this.issuer, sub: user, aud: this.service, exp: now + 300, nbf: now - 10, iat: now, jti: crypto.randomUUID(), access });
      const sig = crypto.sign('RSA-SHA256', Buffer.from(`${head}.${body}`), this.key).toString('base64url');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token: `${head}.${body}.${sig}`, expires_in: 300 }));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/token`;
  }

  stop(): void {
    this.server?.closeAllConnections();
    this.server?.close();
  }
}

/**
 * REPO:latest with two layers of the same content: busybox's layer as pushed, then the same tar
 * gzipped at another level (another blob digest, the same diffID, another chain ID).
 */
export async function pushSameContentTwice(registry: string, repo: string): Promise<{ first: string; second: string }> {
  const zlib = await import('node:zlib');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const manifest: any = await (await fetch(`http://${registry}/v2/library/busybox/manifests/latest`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })).json();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const config: any = await (await fetch(`http://${registry}/v2/library/busybox/blobs/${manifest.config.digest}`)).json();
  const layer = Buffer.from(await (await fetch(`http://${registry}/v2/library/busybox/blobs/${manifest.layers[0].digest}`)).arrayBuffer());
  const again = zlib.gzipSync(zlib.gunzipSync(layer), { level: 1 });
  const first = await putBlob(registry, repo, layer);
  const second = await putBlob(registry, repo, again);
  const cfg = Buffer.from(JSON.stringify({ ...config, rootfs: { type: 'layers', diff_ids: [config.rootfs.diff_ids[0], config.rootfs.diff_ids[0]] } }));
  const cfgDigest = await putBlob(registry, repo, cfg);
  const m = Buffer.from(
    JSON.stringify({
      ...manifest,
      config: { ...manifest.config, digest: cfgDigest, size: cfg.length },
      layers: [manifest.layers[0], { ...manifest.layers[0], digest: second, size: again.length }],
    }),
  );
  await putManifest(registry, repo, 'latest', m, 'application/vnd.oci.image.manifest.v1+json');
  return { first, second };
}

/**
 * Pushes REPO:latest: the busybox fixture with its config changed by change (e.g. a HEALTHCHECK,
 * which no --change of tspod's writes). Returns the new config's digest (the image ID).
 */
export async function pushBusyboxWithConfig(registry: string, repo: string, change: (config: Record<string, unknown>) => void): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const manifest: any = await (await fetch(`http://${registry}/v2/library/busybox/manifests/latest`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })).json();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const config: any = await (await fetch(`http://${registry}/v2/library/busybox/blobs/${manifest.config.digest}`)).json();
  const layer = Buffer.from(await (await fetch(`http://${registry}/v2/library/busybox/blobs/${manifest.layers[0].digest}`)).arrayBuffer());
  await putBlob(registry, repo, layer);
  change(config);
  const cfg = Buffer.from(JSON.stringify(config));
  const cfgDigest = await putBlob(registry, repo, cfg);
  const m = Buffer.from(JSON.stringify({ ...manifest, config: { ...manifest.config, digest: cfgDigest, size: cfg.length } }));
  await putManifest(registry, repo, 'latest', m, 'application/vnd.oci.image.manifest.v1+json');
  return cfgDigest;
}
