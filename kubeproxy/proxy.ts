// A Service's proxy: listens on each port of its endpoints file and hands each new connection to
// the next endpoint round robin, skipping those that refuse, and retrying the round for a few
// seconds when none accepts (a rolling update's gap is a short wait, never a refusal). The file is
// re-read at a connection when its identity (inode, mtime, size) changed: kube play replaces it
// atomically. UDP: one flow per client address, to one endpoint, forgotten when idle.
import fs from 'node:fs';
import net from 'node:net';
import dgram from 'node:dgram';
import { CONNECT_TIMEOUT_MS, EMPTY_CLOSE_MS, RETRY_PAUSE_MS, SUSPECT_MS, RETRY_WINDOW_MS, UDP_IDLE_MS, portKey, type ProxyFile, type ProxyPort, type ReadyMessage } from './protocol';
import { joinSockets } from './pipe';

interface Listener {
  port: ProxyPort;
  /** The next endpoint's index (round robin over the current list). */
  next: number;
  /** Endpoints that closed a connection at once, empty, and until when they are tried last. */
  suspect: Map<number, number>;
  close(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP connection to 127.0.0.1:port, or undefined when it is refused, fails or takes too long. */
function connectTo(port: number): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const fail = () => {
      clearTimeout(timer);
      s.destroy();
      resolve(undefined);
    };
    const timer = setTimeout(fail, CONNECT_TIMEOUT_MS);
    s.once('error', fail);
    s.once('connect', () => {
      clearTimeout(timer);
      s.removeListener('error', fail);
      resolve(s);
    });
  });
}

export class ServiceProxy {
  private readonly listeners = new Map<string, Listener>();
  private identity = '';

  constructor(
    private readonly file: string,
    /** How long a connection waits for an endpoint that accepts (tests shorten it). */
    private readonly retryWindowMs = RETRY_WINDOW_MS,
  ) {}

  /** The file's identity now; '' when it is gone. */
  private stat(): string {
    const st = fs.statSync(this.file, { throwIfNoEntry: false, bigint: true });
    return st ? `${st.ino}:${st.mtimeNs}:${st.size}` : '';
  }

  /** True while the endpoints file exists. */
  present(): boolean {
    return this.stat() !== '';
  }

  /** Re-reads the file if it changed: the endpoints of the ports listened on are replaced. */
  refresh(): void {
    const id = this.stat();
    if (!id || id === this.identity) return;
    let f: ProxyFile;
    try {
      f = JSON.parse(fs.readFileSync(this.file, 'utf8')) as ProxyFile;
    } catch {
      return; // replaced meanwhile: the next connection reads the new one
    }
    this.identity = id;
    for (const p of f.ports) {
      const l = this.listeners.get(portKey(p));
      if (l) l.port = p;
    }
  }

  /** Reads the file and listens on each of its ports; the first port that cannot be had is reported and nothing listens. */
  async start(): Promise<ReadyMessage> {
    this.identity = this.stat();
    const f = JSON.parse(fs.readFileSync(this.file, 'utf8')) as ProxyFile;
    for (const p of f.ports) {
      try {
        this.listeners.set(portKey(p), p.protocol === 'udp' ? await this.listenUdp(p) : await this.listenTcp(p));
      } catch (err) {
        this.close();
        const e = err as NodeJS.ErrnoException;
        return { ready: false, port: portKey(p), code: e.code ?? 'EIO', message: e.message };
      }
    }
    return { ready: true };
  }

  close(): void {
    for (const l of this.listeners.values()) l.close();
    this.listeners.clear();
  }

  /** The endpoints to try for one new connection or flow, starting at the listener's turn. */
  private turn(l: Listener): number[] {
    this.refresh();
    const eps = l.port.endpoints;
    if (!eps.length) return [];
    const start = l.next++ % eps.length;
    const order = [...eps.slice(start), ...eps.slice(0, start)];
    const now = Date.now();
    const late = (port: number) => (l.suspect.get(port) ?? 0) > now;
    return [...order.filter((p) => !late(p)), ...order.filter(late)];
  }

  private listenTcp(p: ProxyPort): Promise<Listener> {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    const l: Listener = { port: p, next: 0, suspect: new Map(), close: () => server.close() };
    server.on('connection', (client) => void this.serveTcp(l, client));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: p.hostIp || '0.0.0.0', port: p.hostPort, exclusive: true }, () => {
        server.removeListener('error', reject);
        server.on('error', () => undefined);
        resolve(l);
      });
    });
  }

  private async serveTcp(l: Listener, client: net.Socket): Promise<void> {
    let gone = false;
    client.on('error', () => undefined);
    client.once('close', () => (gone = true));
    const deadline = Date.now() + this.retryWindowMs;
    while (!gone) {
      for (const port of this.turn(l)) {
        const upstream = await connectTo(port);
        if (upstream && gone) upstream.destroy();
        if (gone) return;
        if (upstream) return this.join(l, port, client, upstream);
      }
      if (Date.now() >= deadline) break;
      await sleep(RETRY_PAUSE_MS);
    }
    client.destroy();
  }

  /** The two joined; an endpoint that closes at once without a byte is tried last for a while. */
  private join(l: Listener, port: number, client: net.Socket, upstream: net.Socket): void {
    const since = Date.now();
    let received = 0;
    upstream.on('data', (d: Buffer) => (received += d.length));
    upstream.once('close', () => {
      if (received === 0 && Date.now() - since < EMPTY_CLOSE_MS) l.suspect.set(port, Date.now() + SUSPECT_MS);
      else l.suspect.delete(port);
    });
    joinSockets(client, upstream);
  }

  private listenUdp(p: ProxyPort): Promise<Listener> {
    const sock = dgram.createSocket({ type: (p.hostIp || '').includes(':') ? 'udp6' : 'udp4' });
    const flows = new Map<string, UdpFlow>();
    const l: Listener = {
      port: p,
      next: 0,
      suspect: new Map(),
      close: () => {
        for (const f of flows.values()) f.close();
        sock.close();
      },
    };
    sock.on('message', (msg, from) => {
      const key = `${from.address}:${from.port}`;
      let flow = flows.get(key);
      if (!flow) {
        const port = this.turn(l)[0];
        if (port === undefined) return; // no endpoint: dropped, as a lost datagram
        flow = new UdpFlow(port, (reply) => sock.send(reply, from.port, from.address), () => flows.delete(key));
        flows.set(key, flow);
      }
      flow.send(msg);
    });
    return new Promise((resolve, reject) => {
      sock.once('error', reject);
      sock.bind({ address: p.hostIp || '0.0.0.0', port: p.hostPort, exclusive: true }, () => {
        sock.removeListener('error', reject);
        sock.on('error', () => undefined);
        resolve(l);
      });
    });
  }
}

/** One client's datagrams to one endpoint and back; a refusal (ICMP) or idleness ends it, and the client's next datagram starts a flow to the next endpoint. */
class UdpFlow {
  private readonly sock = dgram.createSocket('udp4');
  private queue: Buffer[] | undefined = [];
  private timer: NodeJS.Timeout;

  constructor(
    port: number,
    reply: (msg: Buffer) => void,
    private readonly ended: () => void,
  ) {
    this.timer = setTimeout(() => this.close(), UDP_IDLE_MS);
    this.sock.on('error', () => this.close());
    this.sock.on('message', (m) => {
      this.timer.refresh();
      reply(m);
    });
    this.sock.connect(port, '127.0.0.1', () => {
      for (const m of this.queue ?? []) this.sock.send(m);
      this.queue = undefined;
    });
  }

  send(msg: Buffer): void {
    this.timer.refresh();
    if (this.queue) this.queue.push(msg);
    else this.sock.send(msg);
  }

  close(): void {
    clearTimeout(this.timer);
    this.ended();
    try {
      this.sock.close();
    } catch {
      /* closed already */
    }
  }
}
