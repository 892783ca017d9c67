// Test helpers' shared step: an OCI bundle over an image's mounted root (overlay with an upper
// directory), with its etc files and a generated config.json. Runs inside tspod's namespace.
import fs from 'node:fs';
import path from 'node:path';
import { generateSpec, hardNofile, resolveUser } from '../../libpod/oci/spec';
import { mountOverlay, nativeOverlayWorks } from '../../libpod/storage/overlay-mount';

export function prepareBundle(imageRoot: string, bundle: string, imageConfig: string, cmd: string[]): string {
  for (const d of ['upper', 'work', 'rootfs', 'etc', 'state']) fs.mkdirSync(path.join(bundle, d), { recursive: true });
  const driver = nativeOverlayWorks(path.join(bundle, 'probe')) ? 'native' : 'fuse';
  const rootfs = path.join(bundle, 'rootfs');
  mountOverlay(driver, { lowers: [imageRoot], upper: path.join(bundle, 'upper'), work: path.join(bundle, 'work'), target: rootfs }, bundle);
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
  return rootfs;
}
