// --detach-keys as Docker and Podman spell them: the byte sequence that leaves an attached
// terminal session running (ctrl-p,ctrl-q by default).
import { InvalidArgumentError } from './errors';

/** Parses Docker's --detach-keys: comma-separated "ctrl-<x>" or single characters; "" disables. */
export function parseDetachKeys(spec: string): Buffer {
  if (spec === '') return Buffer.alloc(0);
  const bytes = spec.split(',').map((k) => {
    const ctrl = /^ctrl-(.)$/.exec(k);
    if (ctrl) {
      const ch = ctrl[1];
      if (/[a-z]/.test(ch)) return ch.charCodeAt(0) - 96;
      const special: Record<string, number> = { '@': 0, '[': 27, '\\': 28, ']': 29, '^': 30, _: 31 };
      if (ch in special) return special[ch];
    } else if (k.length === 1) return k.charCodeAt(0);
    throw new InvalidArgumentError(`invalid detach key "${k}": use ctrl-<letter>, ctrl-[@^[\\]_] or single characters, comma-separated (e.g. "ctrl-p,ctrl-q")`);
  });
  return Buffer.from(bytes);
}
