// Drives libpod/kube/service-proxy.ts as kube play does, for the integration tests (no kube play
// needed): prints the result as JSON, or "Error: ..." on stderr with the error's exit code. Run
// inside tspod's namespace (through `tspod unshare`), where kube play runs it.
//   node service-proxy.js RUNROOT start|update ENDPOINTS_JSON
//   node service-proxy.js RUNROOT stop SERVICE
//   node service-proxy.js RUNROOT list
import path from 'node:path';
import { listServiceProxies, startServiceProxy, stopServiceProxy, updateServiceEndpoints } from '../../libpod/kube/service-proxy';
import type { Paths } from '../../src/paths';
import { TspodError } from '../../src/errors';

const [runroot, verb, arg] = process.argv.slice(2);
const paths: Paths = { root: runroot, runroot, runtimeDir: runroot, configDir: runroot, database: path.join(runroot, 'db') };
const script = path.join(__dirname, '..', 'kubeproxy.js');

async function main(): Promise<unknown> {
  if (verb === 'start') return { pid: await startServiceProxy(paths, JSON.parse(arg), { script }) };
  if (verb === 'update') return updateServiceEndpoints(paths, JSON.parse(arg)) ?? 'updated';
  if (verb === 'stop') return { stopped: await stopServiceProxy(paths, arg) };
  if (verb === 'list') return listServiceProxies(paths);
  throw new Error('usage: service-proxy.js RUNROOT start|update|stop|list [ARG]');
}

main().then(
  (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  (err: Error) => {
    process.stderr.write(`Error: ${err.message}\n`);
    process.exit(err instanceof TspodError ? err.exitCode : 1);
  },
);
