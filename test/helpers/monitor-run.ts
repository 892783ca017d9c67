// Starts a container the way tspod will: the monitor (dist/conmon.js) detached, reporting the
// container's pid on its sync pipe, then `runc start`. Prints the monitor's report as JSON and
// exits; the monitor lives on. Inside tspod's namespace (through `tspod unshare`).
//   node monitor-run.js APP_DIR IMAGE_ROOT BUNDLE_DIR IMAGE_CONFIG_JSON -- CMD...
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { findProgram } from '../../libpod/host/programs';
import { decodeSync, type MonitorArgs } from '../../conmon/protocol';
import { prepareBundle } from './bundle';

const [appDir, imageRoot, bundle, imageConfig, sep, ...cmd] = process.argv.slice(2);
if (sep !== '--') throw new Error('usage: monitor-run.js APP IMAGE_ROOT BUNDLE IMAGE_CONFIG_JSON -- CMD...');
const rootfs = prepareBundle(imageRoot, bundle, imageConfig, cmd);
const runc = findProgram('runc')!;
const id = `mon-${path.basename(bundle)}-${process.pid}`;
const state = path.join(bundle, 'state');
const args: MonitorArgs = {
  id,
  bundle,
  runtime: runc,
  runtimeRoot: state,
  logPath: path.join(bundle, 'ctr.log'),
  exitFile: path.join(bundle, 'exit'),
  pidFile: path.join(bundle, 'conmon.pid'),
  terminal: false,
  restart: { name: 'no', maxRetries: 0 },
  stateFile: path.join(bundle, 'monitor.json'),
  stopFile: path.join(bundle, 'stopped'),
  stdin: false,
  attachSocket: path.join(bundle, 'attach'),
  consoleSocket: path.join(bundle, 'console'),
  cleanup: ['sh', '-c', `"$0" --root "$1" delete "$2"; umount "$3"`, runc, state, id, rootfs],
};
const monitor = spawn(process.execPath, [path.join(appDir, 'dist', 'conmon.js'), JSON.stringify(args)], { detached: true, stdio: ['pipe', 'ignore', 'ignore', 'pipe'] });
monitor.stdin!.end('go\n');
let text = '';
monitor.stdio[3]!.on('data', (d) => (text += d));
monitor.stdio[3]!.on('end', () => {
  const msg = decodeSync(text);
  if (msg.data > 0) {
    const start = spawnSync(runc, ['--root', state, 'start', id], { encoding: 'utf8' });
    if (start.status !== 0) msg.message = `runc start: ${start.stderr}`;
  }
  process.stdout.write(`${JSON.stringify({ ...msg, monitor: monitor.pid, id })}\n`);
  monitor.unref();
  (monitor.stdio[3] as unknown as { destroy(): void }).destroy();
  fs.writeFileSync(path.join(bundle, 'started'), '');
});
