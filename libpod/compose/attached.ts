// Attached up: every container's log followed and printed with its prefix until all have exited.
// ctrl-c (or SIGTERM) stops them gracefully, a second ctrl-c kills them; with
// --abort-on-container-exit the first exit stops the others. The exit code: 130 after ctrl-c, the
// --exit-code-from service's container's, the first exited one's with abort, else 0.
import type { ComposeContainer } from './compose-ops';
import type { ComposeContext } from './context';
import { LogPrinter } from './log-printer';
import { LABEL } from './types';

export interface AttachOptions {
  /** Lines from this time on (ms since the epoch): what this up's containers wrote. */
  since: number;
  abortOnContainerExit: boolean;
  exitCodeFrom?: string;
  timeout?: number;
  prefix: boolean;
  color: boolean;
  timestamps: boolean;
  isUp: (state: string) => boolean;
}

export async function attachLogs(ctx: ComposeContext, containers: ComposeContainer[], opts: AttachOptions): Promise<number> {
  const { ops, io } = ctx;
  const printer = new LogPrinter(io, containers.map((c) => c.name), { prefix: opts.prefix, color: opts.color });
  let interrupted = 0;
  let stopping: Promise<unknown> | undefined;
  let firstExit: { service: string; code: number } | undefined;
  const codes = new Map<string, number>();
  const ids = containers.map((c) => c.id);
  const stopAll = () => {
    stopping ??= ops.stopContainers(ids.filter((id) => opts.isUp(ops.containerStatus(id)?.state ?? '')), opts.timeout);
    return stopping;
  };
  const onSignal = () => {
    interrupted++;
    if (interrupted === 1) {
      io.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
      void stopAll();
    } else if (interrupted === 2) {
      void ops.killContainers(ids.filter((id) => opts.isUp(ops.containerStatus(id)?.state ?? '')), 'KILL');
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await Promise.all(
      containers.map(async (c) => {
        await ops.logs(c.id, { follow: true, since: opts.since, timestamps: opts.timestamps }, (stream, text) => printer.line(c.name, stream, text));
        // The log ends when the container stops running: wait for its exit to be recorded.
        const code = await ops.waitContainer(c.id).catch(() => ops.containerStatus(c.id)?.exitCode ?? -1);
        const service = c.labels[LABEL.service] ?? '';
        codes.set(service, codes.has(service) ? codes.get(service)! : code);
        printer.event(c.name, `${c.name} exited with code ${code}`);
        firstExit ??= { service, code };
        if (opts.abortOnContainerExit && !stopping) {
          io.stderr.write('Aborting on container exit...\n');
          await stopAll();
        }
      }),
    );
    if (stopping) await stopping;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (opts.exitCodeFrom !== undefined) return codes.get(opts.exitCodeFrom) ?? 0;
  if (interrupted) return 130;
  if (opts.abortOnContainerExit) return firstExit?.code ?? 0;
  return 0;
}
