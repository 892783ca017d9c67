// Declares an option of Podman's that tspod refuses (commands/refusals.ts has the list and the reasons).
import { Option } from 'clipanion';
import { UsageError } from '../src/errors';
import { REFUSALS, refusalMessage } from './refusals';

/** A hidden option that parses as Podman's does and is refused (a UsageError) when given, unless with the value the refusal allows. */
export function refusedOption(verb: string, name: string): undefined {
  const r = REFUSALS[verb]?.find((x) => x.names[0] === name);
  if (!r) throw new Error(`no refusal of ${name} for "${verb}" in commands/refusals.ts`);
  const declared = r.value ? Option.String(r.names.join(','), { hidden: true }) : Option.Boolean(r.names.join(','), { hidden: true });
  const option = declared as unknown as { transformer: (...args: unknown[]) => unknown };
  const parse = option.transformer;
  option.transformer = (...args: unknown[]) => {
    const given = parse(...args);
    if (given !== undefined && given !== r.allowed) throw Object.assign(new UsageError(refusalMessage(r)), { exitCode: r.exitCode });
    return undefined;
  };
  return declared as unknown as undefined;
}

