// The engine's half of name resolution on user-defined networks with DNS: the records files of
// dnsd (dnsd/protocol.ts) written from the running containers under the network lock, and the
// server itself (dist/dnsd.js) started inside the rootless network namespace when the first of
// them appears; it exits by itself when the last goes, and with the namespace's teardown.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { RuntimeError } from '../../src/errors';
import { readIfExists } from '../../src/files';
import { isUp, type Container } from '../container/container';
import { BOUND_FILE, DNS_DOMAIN, PID_FILE, isRecordsFile, type NetworkRecords } from '../../dnsd/protocol';
import { resolvConf } from './etc-files';
import type { Network } from './user-network';

export { DNS_DOMAIN };

/** The container being started (not yet running in the state) with its addresses. */
export interface Joining {
  c: Container;
  ips: Record<string, { ip: string }>;
}

/** Where other names are looked up: the network's --dns servers, else the resolvers a container would get (loopback ones through slirp4netns). */
export function upstreamOf(net: Network, hostResolv = readIfExists('/etc/resolv.conf')): string[] {
  if (net.config.internal) return []; // nothing leaves an internal network, not even a query
  if (net.config.dns?.length) return net.config.dns;
  return resolvConf(hostResolv, { dns: [], dnsSearch: [], dnsOptions: [] }, '10.0.2.3')
    .split('\n')
    .filter((l) => l.startsWith('nameserver '))
    .map((l) => l.slice('nameserver '.length));
}

/** Each DNS network's records: the running containers on it (and the one joining), by name, alias and short ID. Pure. */
export function networkRecords(nets: Network[], all: Container[], joining?: Joining, except?: string): NetworkRecords[] {
  const members = all.filter((o) => o.id !== except && o.id !== joining?.c.id && isUp(o.state) && o.spec.network === 'bridge' && o.status.network?.ips);
  const entries = [...members.map((o) => ({ c: o, ips: o.status.network!.ips! as Record<string, { ip: string }> })), ...(joining ? [joining] : [])];
  const out: NetworkRecords[] = [];
  for (const n of nets) {
    if (n.config.dnsDisabled) continue;
    const records = entries
      .filter((e) => e.ips[n.name])
      .map((e) => {
        const aliases = e.c.spec.networks?.find((a) => a.name === n.name)?.aliases ?? [];
        return { names: [...new Set([e.c.name, ...aliases, e.c.id.slice(0, 12)])], ipv4: [e.ips[n.name].ip], ipv6: [] };
      });
    if (records.length) out.push({ network: n.name, gateway: n.config.gateway, upstream: upstreamOf(n), records });
  }
  return out;
}

function writeAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Is pid the DNS server of this records directory? */
function isServerOf(pid: number, dir: string): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.some((a) => a.endsWith('dnsd.js')) && argv.includes(dir) && !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

function serverPid(dir: string): number | undefined {
  const pid = Number(readIfExists(path.join(dir, PID_FILE)).trim());
  return pid && isServerOf(pid, dir) ? pid : undefined;
}

/**
 * The records files made to match `records` (written, or deleted for networks without any), and
 * the server started in the namespace if some are left and it is not running; a server already
 * running is waited for until it listens on every gateway. Caller holds the network lock.
 */
export async function syncDns(dir: string, netns: string, records: NetworkRecords[]): Promise<void> {
  if (!records.length && !fs.existsSync(dir)) return;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keep = new Set(records.map((r) => `${r.network}.json`));
  for (const f of fs.readdirSync(dir).filter(isRecordsFile)) if (!keep.has(f)) fs.rmSync(path.join(dir, f), { force: true });
  for (const r of records) {
    const file = path.join(dir, `${r.network}.json`);
    const text = `${JSON.stringify(r)}\n`;
    if (readIfExists(file) !== text) writeAtomic(file, text);
  }
  if (!records.length || !fs.existsSync(netns)) return;
  if (serverPid(dir) === undefined) await startServer(dir, netns);
  else await waitBound(dir, records.map((r) => r.gateway));
}

/** Ends the server (the namespace is going). */
export function stopDns(dir: string): void {
  const pid = serverPid(dir);
  if (pid) process.kill(pid, 'SIGTERM');
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    /* the server wrote its last file meanwhile: what is left is cleaned by the next start */
  }
}

async function startServer(dir: string, netns: string): Promise<void> {
  const script = path.join(__dirname, 'dnsd.js');
  // Detached and in a session of its own, like the namespace's slirp4netns: it outlives this command.
  const child = spawn('nsenter', [`--net=${netns}`, process.execPath, '--max-old-space-size=16', '--max-semi-space-size=1', script, dir], { detached: true, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(new RuntimeError(`cannot start the DNS server of user-defined networks: ${err.message}`)));
    child.on('exit', (code) => reject(new RuntimeError(`the DNS server of user-defined networks exited with ${code}: ${stderr.trim() || 'no message'}`)));
    (child.stdio[3] as NodeJS.ReadableStream).once('data', () => resolve());
  });
  child.removeAllListeners('exit');
  for (const s of [child.stderr, child.stdio[3]]) (s as unknown as { destroy(): void }).destroy();
  child.unref();
  fs.writeFileSync(path.join(dir, PID_FILE), `${child.pid}\n`);
}

/** Until the running server listens on every gateway given (it re-reads the files on its own). */
async function waitBound(dir: string, gateways: string[]): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const bound = new Set(readIfExists(path.join(dir, BOUND_FILE)).split('\n'));
    if (gateways.every((g) => bound.has(g))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new RuntimeError(`the DNS server of user-defined networks does not listen on ${gateways.join(', ')}: see ${path.join(dir, BOUND_FILE)}; "tspod network reload" or restarting the container may help`);
}
