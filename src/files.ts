// Reading a file that may not be there (/proc entries, /etc files, a container's own files).
import fs from 'node:fs';

/** The file's text, or '' when it cannot be read. */
export function readIfExists(file: string): string {
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
