import { describe, expect, it } from 'vitest';
import { RCODE, TYPE, ipv4Bytes, ipv6Bytes, readQuestion, reverseV4, writeResponse } from '../../../dnsd/wire';

/** A query as resolvers send it: ID, RD set, one question, and an EDNS OPT record after it. */
function query(name: string, type: number): Buffer {
  const labels = name.split('.').flatMap((l) => [Buffer.from([l.length]), Buffer.from(l)]);
  const opt = Buffer.from([0, 0, 41, 4, 208, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]), ...labels, Buffer.from([0, type >> 8, type & 255, 0, 1]), opt]);
}

describe('dnsd wire format', () => {
  it('reads the question of a query in lower case', () => {
    expect(readQuestion(query('DB.dns.podman', TYPE.A))).toMatchObject({ id: 0x1234, name: 'db.dns.podman', type: TYPE.A, cls: 1, end: 12 + 15 + 4 });
  });

  it('refuses responses, truncated messages and labels that run past the end', () => {
    const resp = query('db', TYPE.A);
    resp[2] |= 0x80;
    expect(readQuestion(resp)).toBeUndefined();
    expect(readQuestion(query('db', TYPE.A).subarray(0, 14))).toBeUndefined();
    expect(readQuestion(Buffer.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 60, 97]))).toBeUndefined();
  });

  it('writes an authoritative answer with the question and a record per address', () => {
    const q = query('db', TYPE.A);
    const r = writeResponse(q, readQuestion(q)!, [{ type: TYPE.A, data: ipv4Bytes('10.89.1.2') }], RCODE.NOERROR);
    expect(r.readUInt16BE(0)).toBe(0x1234);
    expect(r.readUInt16BE(2)).toBe(0x8580); // QR, AA, RD (from the query), RA, NOERROR
    expect([r.readUInt16BE(4), r.readUInt16BE(6), r.readUInt16BE(8), r.readUInt16BE(10)]).toEqual([1, 1, 0, 0]);
    expect([...r.subarray(12 + 8)]).toEqual([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 89, 1, 2]);
  });

  it('writes NXDOMAIN without answers, and PTR names in wire form', () => {
    const q = query('x.dns.podman', TYPE.A);
    const nx = writeResponse(q, readQuestion(q)!, [], RCODE.NXDOMAIN);
    expect([nx.readUInt16BE(2) & 0xf, nx.readUInt16BE(6), nx.length]).toEqual([3, 0, 12 + 14 + 4]);
    const p = query('2.1.89.10.in-addr.arpa', TYPE.PTR);
    const ptr = writeResponse(p, readQuestion(p)!, [{ type: TYPE.PTR, data: 'db.dns.podman' }], RCODE.NOERROR);
    expect(ptr.subarray(ptr.length - 15).toString('latin1')).toBe('\x02db\x03dns\x06podman\x00');
  });

  it('converts addresses and reverse names', () => {
    expect([...ipv6Bytes('fd00::5')]).toEqual([0xfd, 0, ...Array(13).fill(0), 5]);
    expect([...ipv6Bytes('1:2:3:4:5:6:7:8')]).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    expect(reverseV4('2.1.89.10.in-addr.arpa')).toBe('10.89.1.2');
    expect(reverseV4('db.dns.podman')).toBeUndefined();
  });
});
