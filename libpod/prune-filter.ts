// The filters `volume prune` and `network prune` take, as Podman's: label=KEY[=VALUE] (has it),
// label!=KEY[=VALUE] (has it not), until=TIME (created before it). Same key ORs, keys AND. Pure.
import { InvalidArgumentError } from '../src/errors';
import { parseTimeSpec } from '../src/time-spec';

export interface Prunable {
  labels: Record<string, string>;
  createdAt: number;
}

function hasLabel(labels: Record<string, string>, spec: string): boolean {
  const eq = spec.indexOf('=');
  return eq < 0 ? spec in labels : labels[spec.slice(0, eq)] === spec.slice(eq + 1);
}

export function pruneFilter(filters: string[], now = Date.now()): (item: Prunable) => boolean {
  const byKey = new Map<string, Array<(item: Prunable) => boolean>>();
  for (const f of filters) {
    const m = /^(label!|label|until)=(.*)$/.exec(f);
    if (!m) throw new InvalidArgumentError(`invalid prune filter "${f}": use label=KEY[=VALUE], label!=KEY[=VALUE] or until=TIME`);
    const [, key, value] = m;
    let test: (item: Prunable) => boolean;
    if (key === 'until') {
      const t = parseTimeSpec(value, now);
      test = (i) => i.createdAt < t;
    } else if (key === 'label') test = (i) => hasLabel(i.labels, value);
    else test = (i) => !hasLabel(i.labels, value);
    byKey.set(key, [...(byKey.get(key) ?? []), test]);
  }
  // label! must hold for every value given (none of those labels), the others for any.
  return (item) => [...byKey.entries()].every(([key, list]) => (key === 'label!' ? list.every((t) => t(item)) : list.some((t) => t(item))));
}
