// tspod's DNS server for user-defined networks (what aardvark-dns is to Podman): one small
// process per rootless network namespace, started by the engine inside it (nsenter) when the
// first container joins a network with DNS, listening on each such network's gateway, port 53
// (UDP and TCP). It answers the names of the containers on the network the query came in on
// (name, aliases, short ID; bare or under dns.podman; A, AAAA and PTR) from the records files
// (dnsd/protocol.ts), which it re-reads whenever the engine changes them, and forwards every
// other query to the network's upstream resolvers. It exits when the last records file goes.
// Usage: node dnsd.js RECORDS_DIR (fd 3, if open, gets one line once it listens).
import fs from 'node:fs';
import path from 'node:path';
import dgram from 'node:dgram';
import net from 'node:net';
import { BOUND_FILE, DNS_DOMAIN, isRecordsFile, type NetworkRecords } from './protocol';
import { RCODE, TYPE, ipv4Bytes, ipv6Bytes, readQuestion, reverseV4, writeResponse, type Answer } from './wire';

const dir = process.argv[2];
const FORWARD_TIMEOUT_MS = 2500;

interface Listener {
  records: NetworkRecords;
  udp: dgram.Socket;
  tcp: net.Server;
}

const listeners = new Map<string, Listener>(); // by network name

/** The local answer to a question on a network, or undefined when it is not one of its names. */
function lookup(rec: NetworkRecords, name: string, type: number): { answers: Answer[]; rcode: number } | undefined {
  const ptr = type === TYPE.PTR ? reverseV4(name) : undefined;
  if (ptr) {
    const r = rec.records.find((x) => x.ipv4.includes(ptr));
    return r ? { answers: [{ type: TYPE.PTR, data: `${r.names[0]}.${DNS_DOMAIN}` }], rcode: RCODE.NOERROR } : undefined;
  }
  const inDomain = name === DNS_DOMAIN || name.endsWith(`.${DNS_DOMAIN}`);
  const bare = inDomain ? name.slice(0, -DNS_DOMAIN.length - 1) : name;
  const r = rec.records.find((x) => x.names.some((n) => n.toLowerCase() === bare));
  if (!r) return inDomain ? { answers: [], rcode: RCODE.NXDOMAIN } : undefined; // our domain is not asked elsewhere
  if (type === TYPE.A) return { answers: r.ipv4.map((ip) => ({ type, data: ipv4Bytes(ip) })), rcode: RCODE.NOERROR };
  if (type === TYPE.AAAA) return { answers: r.ipv6.map((ip) => ({ type, data: ipv6Bytes(ip) })), rcode: RCODE.NOERROR };
  return { answers: [], rcode: RCODE.NOERROR }; // the name is there, without records of that type
}

/** The query sent to each upstream resolver in turn (UDP) until one answers. */
async function forward(query: Buffer, upstream: string[]): Promise<Buffer | undefined> {
  for (const server of upstream) {
    const reply = await new Promise<Buffer | undefined>((resolve) => {
      const s = dgram.createSocket(server.includes(':') ? 'udp6' : 'udp4');
      const done = (b?: Buffer) => {
        clearTimeout(timer);
        s.close();
        resolve(b);
      };
      const timer = setTimeout(() => done(), FORWARD_TIMEOUT_MS);
      s.on('error', () => done());
      s.on('message', (m) => {
        if (m.length >= 2 && m.readUInt16BE(0) === query.readUInt16BE(0)) done(m);
      });
      s.send(query, 53, server);
    });
    if (reply) return reply;
  }
  return undefined;
}

/** The reply to one message that arrived on a network's address. */
async function answer(name: string, msg: Buffer): Promise<Buffer | undefined> {
  const l = listeners.get(name);
  const q = readQuestion(msg);
  if (!l || !q) return undefined;
  if ((q.flags >> 11) & 0xf) return writeResponse(msg, q, [], RCODE.NOTIMP); // only standard queries
  const local = lookup(l.records, q.name, q.type);
  if (local) return writeResponse(msg, q, local.answers, local.rcode);
  if (!l.records.upstream.length) return writeResponse(msg, q, [], RCODE.REFUSED);
  return (await forward(msg, l.records.upstream)) ?? writeResponse(msg, q, [], RCODE.SERVFAIL);
}

/** TCP: length-prefixed messages, answered in turn. */
function serveTcp(name: string, sock: net.Socket): void {
  let buf = Buffer.alloc(0);
  sock.setTimeout(10_000, () => sock.destroy());
  sock.on('error', () => sock.destroy());
  sock.on('data', async (d) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
      buf = buf.subarray(2 + msg.length);
      const reply = await answer(name, msg);
      if (!reply) return sock.destroy();
      const len = Buffer.alloc(2);
      len.writeUInt16BE(reply.length);
      sock.write(Buffer.concat([len, reply]));
    }
  });
}

async function listen(records: NetworkRecords): Promise<Listener> {
  const name = records.network;
  const udp = dgram.createSocket('udp4');
  udp.on('message', (msg, from) => {
    answer(name, msg).then(
      (reply) => reply && udp.send(reply, from.port, from.address),
      () => undefined,
    );
  });
  const tcp = net.createServer((s) => serveTcp(name, s));
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(53, records.gateway, () => resolve());
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(53, records.gateway, () => resolve());
  });
  udp.on('error', () => undefined);
  tcp.on('error', () => undefined);
  return { records, udp, tcp };
}

function close(l: Listener): void {
  l.udp.close();
  l.tcp.close();
}

/** The records files read again: listeners opened for new networks, closed for gone ones. */
async function reload(): Promise<void> {
  const wanted = new Map<string, NetworkRecords>();
  for (const f of fs.readdirSync(dir).filter(isRecordsFile)) {
    try {
      const r = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as NetworkRecords;
      wanted.set(r.network, r);
    } catch {
      /* removed meanwhile, or being replaced: the rename brings another event */
    }
  }
  if (wanted.size === 0) process.exit(0); // the last network went: nothing more to write or serve
  for (const [name, l] of listeners) {
    const w = wanted.get(name);
    if (!w || w.gateway !== l.records.gateway) {
      close(l);
      listeners.delete(name);
    }
  }
  for (const [name, r] of wanted) {
    const l = listeners.get(name);
    if (l) l.records = r;
    else {
      try {
        listeners.set(name, await listen(r));
      } catch (err) {
        process.stderr.write(`dnsd: cannot listen on ${r.gateway}:53 for network ${name}: ${(err as Error).message}\n`);
      }
    }
  }
  const bound = [...listeners.values()].map((l) => `${l.records.gateway}\n`).join('');
  fs.writeFileSync(path.join(dir, `.${BOUND_FILE}.tmp`), bound);
  fs.renameSync(path.join(dir, `.${BOUND_FILE}.tmp`), path.join(dir, BOUND_FILE));
}

let running: Promise<void> = Promise.resolve();
let again = false;
/** Reloads one at a time; changes during a reload bring one more. */
function schedule(): void {
  if (again) return;
  again = true;
  running = running.then(() => {
    again = false;
    return reload();
  });
}

async function main(): Promise<void> {
  process.on('SIGTERM', () => process.exit(0));
  // stderr reaches the engine until the server is ready; after that its reader is gone, and a
  // message then must not end the server with EPIPE.
  process.stderr.on('error', () => undefined);
  fs.watch(dir, (_event, file) => {
    if (file && isRecordsFile(String(file))) schedule();
  });
  await reload();
  try {
    fs.writeSync(3, 'ready\n');
    fs.closeSync(3);
  } catch {
    /* started without a ready pipe */
  }
}

main().catch((err) => {
  process.stderr.write(`dnsd: ${(err as Error).message}\n`);
  process.exit(1);
});
