// Runs one command in a container made from the generated OCI spec with the real runtime, inside
// tspod's user namespace (started through `tspod unshare`): `runc run` on a bundle over the
// image's mounted root. Used by the integration test of libpod/oci/spec.
//   node run-spec.js IMAGE_ROOT BUNDLE_DIR IMAGE_CONFIG_JSON -- CMD...
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { unmount } from '../../libpod/storage/overlay-mount';
import { findProgram } from '../../libpod/host/programs';
import { prepareBundle } from './bundle';

const [imageRoot, bundle, imageConfig, sep, ...cmd] = process.argv.slice(2);
if (sep !== '--') throw new Error('usage: run-spec.js IMAGE_ROOT BUNDLE IMAGE_CONFIG_JSON -- CMD...');
const rootfs = prepareBundle(imageRoot, bundle, imageConfig, cmd);
let code = 125;
try {
  const runc = findProgram('runc');
  if (!runc) throw new Error('runc not found');
  const r = spawnSync(runc, ['--root', path.join(bundle, 'state'), 'run', '--bundle', bundle, `spec-${process.pid}`], { stdio: 'inherit' });
  code = r.status ?? 128 + 9;
} finally {
  unmount(rootfs);
}
process.exitCode = code;
