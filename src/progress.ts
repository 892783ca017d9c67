// Pull progress as Podman and Docker show it: on a terminal one line per layer redrawn in place
// (bytes, total, speed); otherwise plain lines as each blob starts and ends. All on stderr.
import { humanSize } from './human-units';

export interface ProgressSink {
  line(text: string): void;
  blobStart(digest: string, size: number, resumedAt: number): void;
  blobBytes(digest: string, bytes: number): void;
  blobDone(digest: string, how: string): void;
  finish(): void;
}

const short = (d: string) => d.replace(/^sha256:/, '').slice(0, 12);

export class PlainProgress implements ProgressSink {
  constructor(private readonly out: NodeJS.WritableStream) {}
  line(text: string): void {
    this.out.write(`${text}\n`);
  }
  blobStart(digest: string, size: number, resumedAt: number): void {
    this.out.write(`Copying blob ${short(digest)} (${humanSize(size)}${resumedAt ? `, resuming at ${humanSize(resumedAt)}` : ''})\n`);
  }
  blobBytes(): void {}
  blobDone(digest: string, how: string): void {
    this.out.write(`Copying blob ${short(digest)} ${how}\n`);
  }
  finish(): void {}
}

interface Bar {
  digest: string;
  size: number;
  bytes: number;
  started: number;
  state: string;
}

export class TerminalProgress implements ProgressSink {
  private readonly bars: Bar[] = [];
  private drawn = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly out: NodeJS.WriteStream) {}

  line(text: string): void {
    this.clear();
    this.out.write(`${text}\n`);
    this.draw();
  }

  blobStart(digest: string, size: number, resumedAt: number): void {
    this.bars.push({ digest, size, bytes: resumedAt, started: Date.now(), state: '' });
    this.schedule();
  }

  blobBytes(digest: string, bytes: number): void {
    const bar = this.bars.find((b) => b.digest === digest);
    if (bar) bar.bytes += bytes;
    this.schedule();
  }

  blobDone(digest: string, how: string): void {
    const bar = this.bars.find((b) => b.digest === digest);
    if (bar) bar.state = how;
    else this.bars.push({ digest, size: 0, bytes: 0, started: Date.now(), state: how });
    this.schedule();
  }

  finish(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.clear();
    this.drawn = 0;
    for (const b of this.bars) this.out.write(`${this.render(b)}\n`);
    this.bars.length = 0;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.clear();
      this.draw();
    }, 100);
  }

  private clear(): void {
    if (this.drawn) this.out.write(`\x1b[${this.drawn}A\x1b[J`);
    this.drawn = 0;
  }

  private draw(): void {
    for (const b of this.bars) this.out.write(`${this.render(b)}\n`);
    this.drawn = this.bars.length;
  }

  private render(b: Bar): string {
    if (b.state) return `Copying blob ${short(b.digest)} ${b.state}`;
    const width = 30;
    const frac = b.size ? Math.min(1, b.bytes / b.size) : 0;
    const fill = Math.round(frac * width);
    const secs = (Date.now() - b.started) / 1000;
    const speed = secs > 0 ? `${humanSize(b.bytes / secs)}/s` : '';
    return `Copying blob ${short(b.digest)} [${'='.repeat(Math.max(0, fill - 1))}${fill ? '>' : ''}${' '.repeat(width - fill)}] ${humanSize(b.bytes)} / ${humanSize(b.size)} ${speed}`;
  }
}

export class QuietProgress implements ProgressSink {
  line(): void {}
  blobStart(): void {}
  blobBytes(): void {}
  blobDone(): void {}
  finish(): void {}
}

export function progressFor(stream: NodeJS.WriteStream, quiet: boolean): ProgressSink {
  if (quiet) return new QuietProgress();
  return stream.isTTY ? new TerminalProgress(stream) : new PlainProgress(stream);
}
