import { describe, expect, it } from "vitest";

describe('paxXattrs', () => {
  it('reads the SCHILY.xattr records of a PAX body and nothing else', async () => {
    const { paxXattrs } = await import('../../../../libpod/storage/layer-extract');
    const rec = (k: string, v: string) => {
      const rest = ` ${k}=${v}\n`;
      let len = Buffer.byteLength(rest) + 1;
      while (String(len).length + Buffer.byteLength(rest) !== len) len++;
      return `${len}${rest}`;
    };
    expect(paxXattrs(rec('path', 'a/long/name') + rec('SCHILY.xattr.user.note', 'hi there') + rec('SCHILY.xattr.security.capability', '\x01\x00\x00\x02 '))).toEqual({ 'SCHILY.xattr.user.note': 'hi there', 'SCHILY.xattr.security.capability': '\x01\x00\x00\x02 ' });
    expect(paxXattrs(rec('path', 'x'))).toBeUndefined();
  });
});
