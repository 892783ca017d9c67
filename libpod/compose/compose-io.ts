// Where the lifecycle writes: Compose's progress lines (`Container p-web-1  Started`, plain
// form, on stderr), warnings, and the streams attached output and run use.
export interface ComposeIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Log prefixes coloured (a terminal, no NO_COLOR, no --no-color). */
  color: boolean;
  /** Is stdin a terminal (run's TTY; rm's question). */
  stdinTty: boolean;
}

export type Resource = 'Container' | 'Network' | 'Volume' | 'Image' | 'Service';

/** One progress line, as Compose's plain progress prints it. */
export function progress(io: ComposeIo, kind: Resource, name: string, status: string): void {
  io.stderr.write(`${kind} ${name}  ${status}\n`);
}

export function warn(io: ComposeIo, message: string): void {
  io.stderr.write(`WARN[0000] ${message}\n`);
}
