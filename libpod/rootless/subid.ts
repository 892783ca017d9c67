// Parses /etc/subuid and /etc/subgid ("name-or-uid:start:count" per line) and finds a user's
// subordinate ID ranges, matching by user name or by numeric uid as shadow's newuidmap does.
import fs from 'node:fs';

export interface IdRange {
  start: number;
  count: number;
}

export interface SubIdEntry extends IdRange {
  owner: string;
}

export const SUBUID_FILE = '/etc/subuid';
export const SUBGID_FILE = '/etc/subgid';

/** Parses the file's text; malformed lines are skipped, as shadow does. */
export function parseSubIds(text: string): SubIdEntry[] {
  const out: SubIdEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(':');
    if (parts.length !== 3 || !/^\d+$/.test(parts[1]) || !/^\d+$/.test(parts[2])) continue;
    const count = Number(parts[2]);
    if (count <= 0) continue;
    out.push({ owner: parts[0], start: Number(parts[1]), count });
  }
  return out;
}

export function rangesFor(entries: SubIdEntry[], user: string, uid: number): IdRange[] {
  return entries.filter((e) => e.owner === user || e.owner === String(uid)).map(({ start, count }) => ({ start, count }));
}

/** Reads a subid file; a missing file reads as empty (no ranges for anybody). */
export function readSubIdFile(file: string): SubIdEntry[] {
  try {
    return parseSubIds(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** A 65536-ID range that does not overlap any existing one, for the "usermod --add-subuids" fix. */
export function suggestRange(entries: SubIdEntry[]): IdRange {
  const end = entries.reduce((max, e) => Math.max(max, e.start + e.count), 100000);
  return { start: end, count: 65536 };
}

/** The sudo command that gives user a range in both files. */
export function usermodFix(user: string, uidEntries: SubIdEntry[], gidEntries: SubIdEntry[]): string {
  const r = suggestRange([...uidEntries, ...gidEntries]);
  const span = `${r.start}-${r.start + r.count - 1}`;
  return `sudo usermod --add-subuids ${span} --add-subgids ${span} ${user}`;
}
