// Sizes and ages as Podman prints them (go-units): decimal units with three significant digits,
// and "About a minute ago"-style durations.

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** bytes in decimal units: the number to `digits` significant digits, then sep and the unit. */
function scaled(bytes: number, digits: number, sep: string): string {
  let i = 0;
  let v = bytes;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(digits))}${sep}${UNITS[i]}`;
}

/** Podman's sizes in lists (images, ps --size): three significant digits, a space ("2.14 MB"). */
export function humanSize(bytes: number): string {
  return scaled(bytes, 3, ' ');
}

/** go-units' HumanSizeWithPrecision(n, 3), as Podman's ps --size prints sizes: three significant digits, no space ("2.14MB", "14B"). */
export function goHumanSize3(bytes: number): string {
  return scaled(bytes, 3, '');
}

/** go-units' HumanSize, as Podman's system df and system prune print sizes: four significant digits, no space ("5.06MB", "0B"). */
export function goHumanSize(bytes: number): string {
  return scaled(bytes, 4, '');
}

export function humanDuration(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const m = Math.floor(s / 60);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.round(s / 3600);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  const d = Math.floor(h / 24);
  if (d < 7 * 2) return `${d} days`;
  if (d < 30 * 3) return `${Math.floor(d / 7)} weeks`;
  if (d < 365 * 2) return `${Math.floor(d / 30)} months`;
  return `${Math.floor(d / 365)} years`;
}

export function ago(unixMs: number, now = Date.now()): string {
  return `${humanDuration((now - unixMs) / 1000)} ago`;
}

/** Left-aligned columns separated by at least two spaces, as Podman's tabwriter output. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] + 2))).join('').trimEnd();
  return [headers, ...rows].map(line).join('\n') + '\n';
}
