// Builds an OCI layout with one layer per top-level group of a root filesystem tarball, for the
// multi-layer pull benchmark: node make-multilayer.mjs ROOTFS.tar OUTDIR
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';

const [rootfsTar, out] = process.argv.slice(2);
const work = fs.mkdtempSync(path.join(path.dirname(out), 'ml-'));
execFileSync('tar', ['-C', work, '-xf', rootfsTar]);
const groups = [['usr/lib'], ['usr/bin', 'usr/sbin'], ['usr/share'], ['var'], ['etc'], ['.']];
const sha = (b) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;
fs.mkdirSync(path.join(out, 'blobs', 'sha256'), { recursive: true });
const put = (buf) => {
  const d = sha(buf);
  fs.writeFileSync(path.join(out, 'blobs', 'sha256', d.slice(7)), buf);
  return { digest: d, size: buf.length };
};
const layers = [];
const diffIds = [];
const done = [];
for (const g of groups) {
  const args = ['--numeric-owner', '--sort=name', '-C', work, '-cf', '-'];
  if (g[0] === '.') args.push(...done.map((d) => `--exclude=./${d}`), '.');
  else args.push(...g.filter((d) => fs.existsSync(path.join(work, d))).map((d) => `./${d}`));
  const tar = execFileSync('tar', args, { maxBuffer: 1 << 30 });
  done.push(...g);
  diffIds.push(sha(tar));
  layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...put(zlib.gzipSync(tar)) });
}
const config = put(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['bash'] }, rootfs: { type: 'layers', diff_ids: diffIds } })));
const manifest = put(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers })));
fs.writeFileSync(path.join(out, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
fs.writeFileSync(path.join(out, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }] }));
fs.rmSync(work, { recursive: true, force: true });
console.error(`${layers.length} layers: ${layers.map((l) => l.size).join(', ')} bytes`);
