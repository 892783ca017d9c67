// What the lifecycle verbs share: where their output goes (ComposeIo) and the parsing of
// --timeout and --scale, as Docker Compose's flags take them.
import { InvalidArgumentError } from '../../src/errors';
import type { Engine } from '../../libpod/engine';
import type { BaseContext } from 'clipanion';

/** The engine's lifecycle io (libpod/compose/compose-io.ts). */
type ComposeIo = Parameters<Engine['compose']['up']>[2];

/** Output to the command's streams; colour on a terminal unless NO_COLOR is set. */
export function composeIo(context: BaseContext): ComposeIo {
  const out = context.stdout as NodeJS.WriteStream;
  const color = Boolean(out.isTTY) && !process.env.NO_COLOR;
  return { stdin: context.stdin, stdout: context.stdout, stderr: context.stderr, color, stdinTty: Boolean((context.stdin as NodeJS.ReadStream).isTTY) };
}

/** -t/--timeout SECONDS (whole, 0 or more). */
export function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`invalid --timeout "${value}": give a whole number of seconds`);
  return Number(value);
}

/** --scale SERVICE=NUM (several). */
export function parseScale(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) {
    const m = /^([^=]+)=(\d+)$/.exec(v);
    if (!m) throw new InvalidArgumentError(`invalid --scale "${v}": give SERVICE=NUM, e.g. --scale web=3`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}
