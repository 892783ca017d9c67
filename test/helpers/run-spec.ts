// Runs one command in a container made from the generated OCI spec with the real runtime, inside
// tspod's user namespace (started through `tspod unshare`): an overlay over the image's mounted
// root as the container's root, then `runc run`. Used by the integration test of libpod/oci/spec.
//   node run-spec.js IMAGE_ROOT BUNDLE_DIR IMAGE_CONFIG_JSON -- CMD...
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { generateSpec, hardNofile, resolveUser } from '../../libpod/oci/spec';
import { mountOverlay, nativeOverlayWorks, unmount } from '../../libpod/storage/overlay-mount';
import { findProgram } from '../../libpod/host/programs';

const [imageRoot, bundle, imageConfig, sep, ...cmd] = process.argv.slice(2);
if (sep !== '--') throw new Error('usage: run-spec.js IMAGE_ROOT BUNDLE IMAGE_CONFIG_JSON -- CMD...');
for (const d of ['upper', 'work', 'rootfs', 'etc', 'state']) fs.mkdirSync(path.join(bundle, d), { recursive: true });
const driver = nativeOverlayWorks(path.join(bundle, 'probe')) ? 'native' : 'fuse';
const rootfs = path.join(bundle, 'rootfs');
mountOverlay(driver, { lowers: [imageRoot], upper: path.join(bundle, 'upper'), work: path.join(bundle, 'work'), target: rootfs }, bundle);
let code = 125;
try {
  const files = { hosts: path.join(bundle, 'etc', 'hosts'), resolvConf: path.join(bundle, 'etc', 'resolv.conf'), hostname: path.join(bundle, 'etc', 'hostname') };
  fs.writeFileSync(files.hosts, '127.0.0.1 localhost\n::1 localhost\n127.0.1.1 specbox\n');
  fs.writeFileSync(files.resolvConf, 'nameserver 127.0.0.53\n');
  fs.writeFileSync(files.hostname, 'specbox\n');
  const read = (f: string) => (fs.existsSync(path.join(rootfs, f)) ? fs.readFileSync(path.join(rootfs, f), 'utf8') : '');
  const spec = generateSpec({
    rootfs,
    readOnly: false,
    image: JSON.parse(imageConfig),
    command: cmd,
    env: ['SPEC_TEST=yes'],
    user: resolveUser(process.env.SPEC_USER, read('etc/passwd'), read('etc/group')),
    terminal: false,
    hostname: 'specbox',
    capAdd: [],
    capDrop: [],
    noNewPrivileges: true,
    network: 'private',
    files,
    nofile: hardNofile(fs.readFileSync('/proc/self/limits', 'utf8')),
  });
  fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(spec, null, 2));
  const runc = findProgram('runc');
  if (!runc) throw new Error('runc not found');
  const r = spawnSync(runc, ['--root', path.join(bundle, 'state'), 'run', '--bundle', bundle, `spec-${process.pid}`], { stdio: 'inherit' });
  code = r.status ?? 128 + 9;
} finally {
  unmount(rootfs);
}
process.exitCode = code;
