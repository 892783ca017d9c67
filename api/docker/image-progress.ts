// The engine's pull and push progress as Docker's JSON message stream: one object a line, a layer
// named by its short ID ({"status":"Downloading","progressDetail":{"current","total"},"id"}), and
// a failure as {"errorDetail":{"message"},"error"}, which Docker's clients print and exit 1 on.
import type { ProgressSink } from '../../src/progress';

export interface JsonMessage {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  stream?: string;
  aux?: Record<string, unknown>;
  error?: string;
  errorDetail?: { message: string };
}

export const shortId = (digest: string): string => digest.replace(/^sha256:/, '').slice(0, 12);

/** Docker's error message in a stream. */
export function errorMessage(message: string): JsonMessage {
  return { errorDetail: { message }, error: message };
}

/** Docker's text bar: [=====>      ] 1.2MB/3.4MB. */
export function progressBar(current: number, total: number): string {
  const human = (n: number) => {
    const units = ['B', 'kB', 'MB', 'GB', 'TB'];
    let v = n;
    let u = 0;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return u === 0 ? `${v}B` : `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0).replace(/\.?0+$/, '')}${units[u]}`;
  };
  if (total <= 0) return human(current);
  const width = 50;
  const fill = Math.min(width, Math.floor((current / total) * width));
  return `[${'='.repeat(Math.max(0, fill - 1))}${fill ? '>' : ''}${' '.repeat(width - fill)}] ${human(current)}/${human(total)}`;
}

/**
 * A ProgressSink that speaks Docker's pull or push words. Byte counts are sent at most every
 * intervalMs per layer (a pull gets one chunk every few kilobytes). Podman's own lines ("Trying
 * to pull", "Copying config") have no counterpart in Docker's stream and are left out.
 */
export class DockerProgress implements ProgressSink {
  private readonly layers = new Map<string, { total: number; current: number; sentAt: number }>();
  /** Whether any layer was transferred (pull: "Downloaded newer image" rather than "Image is up to date"). */
  transferred = false;

  constructor(
    private readonly emit: (m: JsonMessage) => void,
    private readonly kind: 'pull' | 'push',
    private readonly now: () => number = Date.now,
    private readonly intervalMs = 200,
  ) {}

  line(_text: string): void {}

  blobStart(digest: string, size: number, resumedAt: number): void {
    const id = shortId(digest);
    this.layers.set(id, { total: size, current: resumedAt, sentAt: 0 });
    this.emit({ status: this.kind === 'pull' ? 'Pulling fs layer' : 'Preparing', progressDetail: {}, id });
  }

  blobBytes(digest: string, bytes: number): void {
    const id = shortId(digest);
    const l = this.layers.get(id);
    if (!l) return;
    l.current += bytes;
    const t = this.now();
    if (t - l.sentAt < this.intervalMs && l.current < l.total) return;
    l.sentAt = t;
    this.emit({ status: this.kind === 'pull' ? 'Downloading' : 'Pushing', progressDetail: { current: l.current, total: l.total }, progress: progressBar(l.current, l.total), id });
  }

  blobDone(digest: string, how: string): void {
    const id = shortId(digest);
    if (how.startsWith('skipped')) {
      const mounted = /mounted from (.*)$/.exec(how);
      this.emit({ status: this.kind === 'pull' ? 'Already exists' : mounted ? `Mounted from ${mounted[1]}` : 'Layer already exists', progressDetail: {}, id });
      return;
    }
    this.transferred = true;
    if (this.kind === 'pull') {
      this.emit({ status: 'Download complete', progressDetail: {}, id });
      this.emit({ status: 'Pull complete', progressDetail: {}, id });
    } else this.emit({ status: 'Pushed', progressDetail: {}, id });
  }

  finish(): void {}
}

/** The lines a pull begins with and ends with, as Docker words them. */
export function pullStartMessage(repo: string, tagOrDigest: string): JsonMessage {
  return { status: `Pulling from ${repo.replace(/^docker\.io\//, '')}`, id: tagOrDigest };
}

export function pullEndMessages(reference: string, digest: string | undefined, transferred: boolean): JsonMessage[] {
  return [...(digest ? [{ status: `Digest: ${digest}` }] : []), { status: `Status: ${transferred ? 'Downloaded newer image' : 'Image is up to date'} for ${reference}` }];
}

/** The lines a push ends with: Docker's summary line and the aux object its CLI reads the digest from. */
export function pushEndMessages(tag: string, digest: string): JsonMessage[] {
  return [{ status: `${tag}: digest: ${digest}` }, { progressDetail: {}, aux: { Tag: tag, Digest: digest } }];
}
