// What the build corpus compares between tspod's and Podman's image of the same Containerfile,
// the normalisations it applies first (each one's reason is in docs/build.md, "Normalisations"),
// and the known differences that docs/build.md lists case by case.
import fs from 'node:fs';
import type { FileInfo, SavedImage } from './image-files';

/** The Config fields the issue names, and Shell and OnBuild, which the corpus also exercises. */
export const CONFIG_FIELDS = ['Env', 'Cmd', 'Entrypoint', 'WorkingDir', 'User', 'ExposedPorts', 'Volumes', 'Labels', 'Healthcheck', 'StopSignal', 'Shell', 'OnBuild'] as const;

/** Labels each builder stamps with its own version (normalisation 1). */
const IDENTITY_LABELS = ['io.buildah.version', 'io.tspod.version'];
/** What a RUN step's engine mounts over (normalisation 4): Podman 4.3.1 leaves them behind, empty. */
const RUN_MOUNT_POINTS = ['/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/run'];

export interface Difference {
  /** `config.Env`, `history[3].created_by`, `history.length`, `file /etc/hosts`. */
  key: string;
  tspod: unknown;
  podman: unknown;
}

/** Normalisation 2: an empty list, map or string and a missing one mean the same to every runtime. */
function emptyToUndefined(v: unknown): unknown {
  if (v === null || v === undefined || v === '') return undefined;
  if (Array.isArray(v) && v.length === 0) return undefined;
  if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0) return undefined;
  return v;
}

function configOf(img: SavedImage): Record<string, unknown> {
  const c = (img.config.config ?? img.config.Config ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of CONFIG_FIELDS) {
    let v = c[f];
    if (f === 'Labels' && v && typeof v === 'object') {
      v = Object.fromEntries(Object.entries(v as Record<string, string>).filter(([k]) => !IDENTITY_LABELS.includes(k)));
    }
    out[f] = emptyToUndefined(v);
  }
  return out;
}

/** created_by and empty_layer of each history entry (normalisation 3: empty_layer false = absent). */
export function historyOf(img: SavedImage): { created_by: string; empty_layer: boolean }[] {
  return ((img.config.history ?? []) as { created_by?: string; empty_layer?: boolean }[]).map((h) => ({ created_by: h.created_by ?? '', empty_layer: h.empty_layer === true }));
}

/** Normalisation 5: overlay's own bookkeeping (user.overlay.*, trusted.overlay.*) is no file's content. */
function fileView(f: FileInfo): FileInfo {
  if (!f.xattrs) return f;
  const x = Object.fromEntries(Object.entries(f.xattrs).filter(([k]) => !/^(user|trusted)\.overlay\./.test(k)));
  const { xattrs: _drop, ...rest } = f;
  return Object.keys(x).length ? { ...rest, xattrs: x } : rest;
}

function isEmptyEntry(img: SavedImage, p: string): boolean {
  const f = img.files.get(p);
  if (!f) return false;
  if (f.type === 'file') return f.sha256 === 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  if (f.type === 'dir') return ![...img.files.keys()].some((k) => k.startsWith(`${p}/`));
  return false;
}

/** Normalisation 6: JSON objects are unordered (Go's encoder sorts map keys; a builder need not). */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v;
}

const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/**
 * Normalisation 7: the digest in `COPY file:<hex> in /dest` is each builder's own hash of the
 * sources as it archives them (headers and times included): the kind and destination stay compared.
 */
export function createdByView(createdBy: string): string {
  return createdBy.replace(/^(\/bin\/sh -c #\(nop\) (?:COPY|ADD) (?:file|dir|multi)):[0-9a-f]{64} in /, '$1:<digest> in ');
}

/** Every difference between the two images after the normalisations, sorted by key. */
export function compareImages(tspod: SavedImage, podman: SavedImage): Difference[] {
  const diffs: Difference[] = [];
  const tc = configOf(tspod);
  const pc = configOf(podman);
  for (const f of CONFIG_FIELDS) if (!same(tc[f], pc[f])) diffs.push({ key: `config.${f}`, tspod: tc[f], podman: pc[f] });
  const th = historyOf(tspod);
  const ph = historyOf(podman);
  if (th.length !== ph.length) diffs.push({ key: 'history.length', tspod: th.length, podman: ph.length });
  for (let i = 0; i < Math.min(th.length, ph.length); i++) {
    if (createdByView(th[i].created_by) !== createdByView(ph[i].created_by)) diffs.push({ key: `history[${i}].created_by`, tspod: th[i].created_by, podman: ph[i].created_by });
    if (th[i].empty_layer !== ph[i].empty_layer) diffs.push({ key: `history[${i}].empty_layer`, tspod: th[i].empty_layer, podman: ph[i].empty_layer });
  }
  const paths = new Set([...tspod.files.keys(), ...podman.files.keys()]);
  for (const p of [...paths].sort()) {
    const t = tspod.files.get(p);
    const q = podman.files.get(p);
    if (!t && RUN_MOUNT_POINTS.includes(p) && isEmptyEntry(podman, p)) continue;
    const tv = t && fileView(t);
    const pv = q && fileView(q);
    if (!same(tv, pv)) diffs.push({ key: `file ${p}`, tspod: tv ?? 'absent', podman: pv ?? 'absent' });
  }
  return diffs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export interface KnownDifference {
  case: string;
  key: string;
  reason: string;
}

/**
 * The rows of docs/build.md's "Known differences" table: `| case | `key` | tspod | podman | reason |`.
 * Each row names one case and one key; the corpus test requires each to be a real difference.
 */
export function knownDifferences(docFile: string): KnownDifference[] {
  const text = fs.readFileSync(docFile, 'utf8');
  const start = text.indexOf('\n## Known differences');
  if (start < 0) throw new Error(`${docFile} has no "## Known differences" section`);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  const rows: KnownDifference[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    if (cells.length < 5 || !/^\d\d-[a-z0-9-]+$/.test(cells[0])) continue;
    const keys = [...cells[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    if (keys.length === 0) throw new Error(`docs/build.md: the row for ${cells[0]} names no key in backquotes: ${line}`);
    if (!cells[4]) throw new Error(`docs/build.md: the row for ${cells[0]} ${keys.join(', ')} gives no reason`);
    for (const key of keys) rows.push({ case: cells[0], key, reason: cells[4] });
  }
  return rows;
}
