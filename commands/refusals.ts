// The options of Podman's that tspod refuses on purpose, each with the reason the user is told
// and the exit code. Commands declare them with refusedOption(), so that the option parses (with
// Podman's value form) and is then refused by name instead of being an unknown flag; the
// compatibility table (docs/cli-compat.md, scripts/cli-compat.mjs) lists the same entries.
import { Option } from 'clipanion';
import { EXIT_TSPOD, UsageError } from '../src/errors';

export interface Refusal {
  /** Podman's names for the option, long name first. */
  names: string[];
  /** Whether the option takes a value in Podman (`--url=URL`) or is a flag. */
  value: boolean;
  /** What the user is told: why tspod refuses it, and what to do instead. */
  reason: string;
  exitCode: number;
}

const refuse = (names: string, value: boolean, reason: string): Refusal => ({ names: names.split(','), value, reason, exitCode: EXIT_TSPOD });

/** By verb as the table names it (`ps`, `volume create`). */
export const REFUSALS: Record<string, Refusal[]> = {};

/** The message of a refused option. */
export function refusalMessage(r: Refusal): string {
  return `${r.names[0]} is not supported: ${r.reason}`;
}

/** A hidden option that parses as Podman's does and is refused (a UsageError) when given. */
export function refusedOption(verb: string, name: string): undefined {
  const r = REFUSALS[verb]?.find((x) => x.names[0] === name);
  if (!r) throw new Error(`no refusal of ${name} for "${verb}" in commands/refusals.ts`);
  const declared = r.value ? Option.String(r.names.join(','), { hidden: true }) : Option.Boolean(r.names.join(','), { hidden: true });
  const option = declared as unknown as { transformer: (...args: unknown[]) => unknown };
  const parse = option.transformer;
  option.transformer = (...args: unknown[]) => {
    if (parse(...args) !== undefined) throw Object.assign(new UsageError(refusalMessage(r)), { exitCode: r.exitCode });
    return undefined;
  };
  return declared as unknown as undefined;
}

export { refuse };
