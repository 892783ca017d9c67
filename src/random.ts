// Random IDs (containers, volumes, temporary files) from the kernel's generator: reading
// /dev/urandom needs no module, where node:crypto costs about 3 ms to load on a command that
// needs it only for one ID.
import fs from 'node:fs';

/** bytes random bytes from /dev/urandom, as hex (a container ID is 32 of them). */
export function randomHex(bytes: number): string {
  const buf = Buffer.alloc(bytes);
  const fd = fs.openSync('/dev/urandom', 'r');
  try {
    let got = 0;
    while (got < bytes) got += fs.readSync(fd, buf, got, bytes - got, null);
  } finally {
    fs.closeSync(fd);
  }
  return buf.toString('hex');
}
