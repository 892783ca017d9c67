// A store whose database vanished or was emptied while its layers and containers are still on
// disk: opening it would make a new, empty database and forget them all, so it is refused.
import fs from 'node:fs';
import path from 'node:path';
import { StateError } from '../../src/errors';

/** Bytes of the file, or -1 when it does not exist. */
function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return -1;
  }
}

function entries(dir: string, keep: (name: string) => boolean = () => true): number {
  try {
    return fs.readdirSync(dir).filter(keep).length;
  } catch {
    return 0;
  }
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** What the store at root holds on disk besides its database ("2 containers, 1 image layer"), or ''. */
export function storeContents(root: string): string {
  const containers = entries(path.join(root, 'containers'));
  const layers = entries(path.join(root, 'overlay'), (n) => /^[0-9a-f]{64}$/.test(n));
  const volumes = entries(path.join(root, 'volumes'));
  return [containers && plural(containers, 'container'), layers && plural(layers, 'image layer'), volumes && plural(volumes, 'volume')].filter(Boolean).join(', ');
}

/**
 * Throws (touching nothing) when the database at file is missing or empty, with no WAL holding
 * its content, but root still holds containers, layers or volumes. A store that never had any is
 * new, and its database is made as usual.
 */
export function assertDatabaseNotLost(root: string, file: string): void {
  const size = sizeOf(file);
  if (size > 0 || sizeOf(`${file}-wal`) > 0) return;
  const held = storeContents(root);
  if (!held) return;
  throw new StateError(
    `the state database ${file} is ${size < 0 ? 'missing' : 'empty (0 bytes)'}, but the store ${root} still holds ${held}: a new database would forget them, so nothing was changed; restore ${file} from a backup, or move the store aside (mv ${root} ${root}.old) to start with an empty one`,
  );
}
