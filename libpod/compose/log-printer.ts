// Containers' log lines as Compose prints them (logs, attached up): `<name padded to the longest>
// | <line>`, each container's prefix in its own colour (Compose's cycle of cyan, yellow, green,
// magenta, blue and their bright forms) when colour is on; a container's exit as its own line.
import type { ComposeIo } from './compose-io';

const COLORS = ['36', '33', '32', '35', '34', '96', '93', '92', '95', '94'].map((c) => `\x1b[${c}m`);
const RESET = '\x1b[0m';

export interface LogPrinterOptions {
  /** --no-log-prefix: lines alone. */
  prefix: boolean;
  color: boolean;
}

export class LogPrinter {
  private readonly width: number;
  private readonly colors = new Map<string, string>();

  constructor(
    private readonly io: Pick<ComposeIo, 'stdout' | 'stderr'>,
    names: string[],
    private readonly opts: LogPrinterOptions,
  ) {
    this.width = Math.max(0, ...names.map((n) => n.length));
    names.forEach((n, i) => this.colors.set(n, COLORS[i % COLORS.length]));
  }

  /** The prefix of a container's lines: the name padded, then ` | `. */
  prefix(name: string): string {
    if (!this.opts.prefix) return '';
    const p = `${name.padEnd(this.width)} | `;
    return this.opts.color ? `${this.colors.get(name) ?? COLORS[0]}${p}${RESET}` : p;
  }

  /** One line of the container's output (stderr lines go to stderr, as Compose's). */
  line(name: string, stream: 'stdout' | 'stderr', text: string): void {
    (stream === 'stderr' ? this.io.stderr : this.io.stdout).write(`${this.prefix(name)}${text}\n`);
  }

  /** An event about a container (`p-web-1 exited with code 0`), in its colour. */
  event(name: string, text: string): void {
    const c = this.opts.color ? this.colors.get(name) : undefined;
    this.io.stdout.write(c ? `${c}${text}${RESET}\n` : `${text}\n`);
  }
}
