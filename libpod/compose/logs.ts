// `compose logs`: the services' containers' logs, each line prefixed `<container name> | ` (padded,
// coloured on a terminal); -f follows until ctrl-c or every container has stopped.
import { InvalidArgumentError } from '../../src/errors';
import { parseTimeSpec } from '../../src/time-spec';
import type { ComposeContext } from './context';
import { selectServices } from './depends';
import { LogPrinter } from './log-printer';
import { containerNumber, containersOf } from './project-containers';

export interface LogsOptions {
  services: string[];
  follow: boolean;
  /** --tail: "all" or a number. */
  tail?: string;
  timestamps: boolean;
  since?: string;
  until?: string;
  noLogPrefix: boolean;
  noColor: boolean;
  /** --index: the service's container of that number. */
  index?: number;
}

function time(flag: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return parseTimeSpec(value, Date.now());
  } catch {
    throw new InvalidArgumentError(`invalid ${flag} "${value}": give a timestamp (2024-01-02T15:04:05Z) or a duration before now (10m)`);
  }
}

export async function logs(ctx: ComposeContext, opts: LogsOptions): Promise<void> {
  const services = selectServices(ctx.project, opts.services);
  let tail: number | undefined;
  if (opts.tail !== undefined && opts.tail !== 'all') {
    tail = Number(opts.tail);
    if (!Number.isInteger(tail) || tail < 0) throw new InvalidArgumentError(`invalid --tail "${opts.tail}": give a number of lines or "all"`);
  }
  const [since, until] = [time('--since', opts.since), time('--until', opts.until)];
  let cs = containersOf(ctx.ops, ctx.project.name, services, { oneoff: true });
  if (opts.index !== undefined) cs = cs.filter((c) => containerNumber(c) === opts.index);
  const printer = new LogPrinter(ctx.io, cs.map((c) => c.name), { prefix: !opts.noLogPrefix, color: ctx.io.color && !opts.noColor });
  // -f: until every container has stopped; ctrl-c ends the process as it ends any follow (no handler here).
  await Promise.all(cs.map((c) => ctx.ops.logs(c.id, { follow: opts.follow, tail, since, until, timestamps: opts.timestamps }, (stream, text) => printer.line(c.name, stream, text))));
}
