// Reading a file that may not be there (/proc entries, /etc files, a container's own files).
import fs from 'node:fs';

/**
 * The file's text, or '' when it cannot be read. A missing file is found by a stat that does not
 * throw: a failed read throws an error with a stack (about 28 µs against 3 here), and ps -a
 * looks for a file that is usually missing in each of 1,000 containers.
 */
export function readIfExists(file: string): string {
  if (!fs.statSync(file, { throwIfNoEntry: false })) return '';
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** lstat (or stat, following a link) of a path that may not be there: undefined then. */
export function statIfExists(p: string | undefined, follow = false): fs.Stats | undefined {
  if (p === undefined) return undefined;
  try {
    return follow ? fs.statSync(p) : fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

/** A file opened (created, truncated) as standard output is: each write reaches it before the next line runs. */
export function syncFileStream(file: string): NodeJS.WriteStream {
  const fd = fs.openSync(file, 'w', 0o666);
  // Loaded here: only --out and --noout need it, and every command imports this module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Writable } = require('node:stream') as typeof import('node:stream');
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        fs.writeSync(fd, chunk);
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
  return stream as unknown as NodeJS.WriteStream;
}
