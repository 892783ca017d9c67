// Test peers for the registry client: an HTTP proxy in front of the real registry that can cut a
// blob download once, corrupt it, or trickle it; and a helper that pushes a multi-platform index
// through the distribution API.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyMode = 'pass' | 'cut-once' | 'corrupt' | 'slow';

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
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const headers = { ...req.headers, host: this.upstream };
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
