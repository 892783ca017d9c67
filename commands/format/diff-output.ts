// How container diff and image diff print changes, as Podman prints them: "KIND /path" lines, or
// with --format json the paths grouped (empty groups left out, five-space indent, as Podman's encoder).
import { InvalidArgumentError } from '../../src/errors';

export function formatChanges(changes: Array<{ kind: string; path: string }>, format: string | undefined): string {
  if (format === undefined || format === '') return changes.map((c) => `${c.kind} ${c.path}\n`).join('');
  if (format !== 'json') throw new InvalidArgumentError("only supported value for '--format' is 'json'");
  const group = (k: string) => {
    const paths = changes.filter((c) => c.kind === k).map((c) => c.path);
    return paths.length ? paths : undefined;
  };
  return `${JSON.stringify({ changed: group('C'), added: group('A'), deleted: group('D') }, null, 5)}\n`;
}
