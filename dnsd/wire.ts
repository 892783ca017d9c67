// The DNS wire format (RFC 1035) as far as the server needs it: a query's question read, and an
// answer of A, AAAA or PTR records (or none, with a response code) written back. Pure.

export const TYPE = { A: 1, PTR: 12, AAAA: 28 } as const;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export interface Question {
  id: number;
  flags: number;
  /** Lower case, without the trailing dot. */
  name: string;
  type: number;
  cls: number;
  /** Where the question section ends (it is copied into the answer). */
  end: number;
}

/** The first question of a query; undefined when the message is not a well-formed standard query. */
export function readQuestion(msg: Buffer): Question | undefined {
  if (msg.length < 12) return undefined;
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000 || msg.readUInt16BE(4) !== 1) return undefined; // a response, or not one question
  const labels: string[] = [];
  let at = 12;
  for (;;) {
    if (at >= msg.length) return undefined;
    const len = msg[at];
    if (len === 0) break;
    if (len > 63 || at + 1 + len > msg.length) return undefined; // compression is not used in a question
    labels.push(msg.toString('latin1', at + 1, at + 1 + len));
    at += 1 + len;
  }
  at += 1;
  if (at + 4 > msg.length) return undefined;
  return { id: msg.readUInt16BE(0), flags, name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(at), cls: msg.readUInt16BE(at + 2), end: at + 4 };
}

/** A domain name in wire form (labels, then a zero byte). */
function encodeName(name: string): Buffer {
  const parts = name.split('.').filter(Boolean).map((l) => Buffer.from(l, 'latin1').subarray(0, 63));
  return Buffer.concat([...parts.flatMap((p) => [Buffer.from([p.length]), p]), Buffer.from([0])]);
}

export interface Answer {
  type: number;
  /** 4 bytes (A), 16 (AAAA), or a name (PTR). */
  data: Buffer | string;
}

/** The authoritative response to q: its answers (each for the question's name, TTL ttl) and rcode. */
export function writeResponse(query: Buffer, q: Question, answers: Answer[], rcode: number, ttl = 60): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  // QR, the query's opcode and RD, AA (ours are authoritative), RA, and the response code.
  header.writeUInt16BE(0x8000 | (q.flags & 0x7900) | 0x0400 | 0x0080 | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  const records = answers.map((a) => {
    const rdata = typeof a.data === 'string' ? encodeName(a.data) : a.data;
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    rr.writeUInt16BE(a.type, 2);
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(ttl, 6);
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  return Buffer.concat([header, query.subarray(12, q.end), ...records]);
}

/** An IPv4 address's 4 bytes. */
export function ipv4Bytes(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

/** An IPv6 address's 16 bytes (:: expanded). */
export function ipv6Bytes(ip: string): Buffer {
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16) || 0, i * 2));
  return out;
}

/** The IPv4 address a reverse name (4.3.2.1.in-addr.arpa) asks for, if it is one. */
export function reverseV4(name: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(name);
  return m ? [m[4], m[3], m[2], m[1]].join('.') : undefined;
}
