// Reads a container's k8s-file log (`<RFC3339Nano> <stream> <F|P> <text>` per line): partial (P)
// pieces are joined up to their full (F) line, then --since, --tail and --timestamps apply; with
// follow, the file is polled from where reading stopped until the container is no longer running.
import fs from 'node:fs';

export interface LogEntry {
  time: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface LogOptions {
  /** Last N lines only; undefined for all. */
  tail?: number;
  /** Milliseconds since the epoch: entries before are skipped. */
  since?: number;
  until?: number;
  timestamps: boolean;
  /** Put before each line (the container's name or short ID when several are shown). */
  prefix?: string;
  /** An ANSI color for the whole line (`logs --color`); reset at its end. */
  color?: string;
}

/** The colors `logs --color` gives containers in turn (Podman's: light gray, red, yellow, blue, magenta, cyan, green). */
export const LOG_COLORS = ['\x1b[37m', '\x1b[31m', '\x1b[33m', '\x1b[34m', '\x1b[35m', '\x1b[36m', '\x1b[32m'];

/** Joins a chunk of log lines into entries; pending P pieces carry over to the next call. */
export class LogParser {
  private pending = new Map<string, { time: string; text: string }>();

  push(lines: string[]): LogEntry[] {
    const out: LogEntry[] = [];
    for (const line of lines) {
      const m = /^(\S+) (stdout|stderr) ([FP]) ?([\s\S]*)$/.exec(line); // a terminal's lines end in \r
      if (!m) continue;
      const [, time, stream, tag, text] = m;
      const prev = this.pending.get(stream);
      const joined = { time: prev?.time ?? time, text: (prev?.text ?? '') + text };
      if (tag === 'P') this.pending.set(stream, joined);
      else {
        this.pending.delete(stream);
        out.push({ time: joined.time, stream: stream as 'stdout' | 'stderr', text: joined.text });
      }
    }
    return out;
  }

  /** What is left when the log ends: a last line without newline. */
  flush(): Array<LogEntry & { partial: true }> {
    const out = [...this.pending.entries()].map(([stream, p]) => ({ time: p.time, stream: stream as 'stdout' | 'stderr', text: p.text, partial: true as const }));
    this.pending.clear();
    return out;
  }
}

function entryTime(time: string): number {
  return Date.parse(time);
}

function format(e: LogEntry, opts: LogOptions, partial = false): string {
  const line = `${opts.prefix ?? ''}${opts.timestamps ? `${e.time} ` : ''}${e.text}`;
  return `${opts.color ? `${opts.color}${line}\x1b[0m` : line}${partial ? '' : '\n'}`;
}

/**
 * Writes the log to out/err and, with follow, keeps polling the file until isRunning() is false
 * and everything written has been read. Resolves when done.
 */
export async function readLogs(
  file: string,
  opts: LogOptions & { follow: boolean; isRunning: () => boolean; out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): Promise<void> {
  const parser = new LogParser();
  const keep = (e: LogEntry) => (opts.since === undefined || entryTime(e.time) >= opts.since) && (opts.until === undefined || entryTime(e.time) <= opts.until);
  const emit = (entries: Array<LogEntry & { partial?: boolean }>) => {
    for (const e of entries) (e.stream === 'stderr' ? opts.err : opts.out).write(format(e, opts, e.partial));
  };
  let offset = 0;
  let rest = '';
  const readMore = (): LogEntry[] => {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return [];
    }
    try {
      const size = fs.fstatSync(fd).size;
      // Shorter than what was read: the monitor emptied it (--log-opt max-size); follow from its start.
      if (size < offset) [offset, rest] = [0, ''];
      if (size <= offset) return [];
      const buf = Buffer.alloc(size - offset);
      fs.readSync(fd, buf, 0, buf.length, offset);
      offset = size;
      const text = rest + buf.toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      return parser.push(lines).filter(keep);
    } finally {
      fs.closeSync(fd);
    }
  };
  const first = readMore();
  emit(opts.tail === undefined ? first : opts.tail <= 0 ? [] : first.slice(-opts.tail));
  if (opts.follow) {
    for (;;) {
      const running = opts.isRunning();
      emit(readMore());
      if (!running) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  emit(parser.flush().filter(keep));
}
