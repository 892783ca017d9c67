// A Service's proxy (libpod/kube/service-proxy.ts starts it, detached, when kube play publishes a
// Service in front of a Deployment's replicas): not a daemon, it lives as long as the Service is
// played. It listens on the Service's host ports and forwards to the replicas' 127.0.0.1 ports
// (kubeproxy/proxy.ts), and exits on SIGTERM or once its endpoints file is removed.
// Usage: node kubeproxy.js ENDPOINTS_FILE (fd 3, if open, gets one ReadyMessage line).
import fs from 'node:fs';
import { ServiceProxy } from './proxy';
import { WATCH_MS, type ReadyMessage } from './protocol';

function tell(msg: ReadyMessage): void {
  try {
    fs.writeSync(3, `${JSON.stringify(msg)}\n`);
    fs.closeSync(3);
  } catch {
    /* started without a ready pipe */
  }
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: kubeproxy.js ENDPOINTS_FILE');
  process.stderr.on('error', () => undefined); // the starter stops reading once we listen
  const proxy = new ServiceProxy(file);
  const stop = () => {
    proxy.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const ready = await proxy.start();
  tell(ready);
  if (!ready.ready) process.exit(1);
  // A stat every WATCH_MS: cheaper and surer than inotify, which a user may have run out of.
  setInterval(() => proxy.present() || stop(), WATCH_MS);
}

main().catch((err) => {
  tell({ ready: false, port: '', code: 'EIO', message: (err as Error).message });
  process.stderr.write(`kubeproxy: ${(err as Error).message}\n`);
  process.exit(1);
});
