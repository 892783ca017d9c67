// How every inspect prints, as Podman 5's does: the documents found as one JSON array (an empty
// one when nothing was found; indented five spaces, as Podman's encoder indents) or each through the Go template, on stdout; then, on stderr, each
// failure after the first as its bare message and the first as `Error: ...`; exit 125 if any
// failed. Podman's templates take Docker's old names (.Src, .Dst, .ImageID) for the current ones.
import { compileFormat, isJsonFormat } from '../../src/go-template';
import type { InspectOptions, Inspected } from '../../libpod/entities';
import type { TspodCommand } from '../tspod-command';

/** Podman's InspectNormalize: {{.Id}} (its Go name is ID), .Src, .Dst and .ImageID, and for images .Config.Healthcheck. */
export function normalizeInspectFormat(format: string, type: string): string {
  const pairs: Array<[string, string]> = [['.Src', '.Source'], ['.Dst', '.Destination'], ['.ImageID', '.Image']];
  if (type === 'image') pairs.push(['.Config.Healthcheck', '.Healthcheck']);
  let out = '';
  for (let i = 0; i < format.length; ) {
    const hit = pairs.find(([from]) => format.startsWith(from, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else {
      out += format[i++];
    }
  }
  return out;
}

export interface InspectOutput {
  stdout: string;
  stderr: string;
  code: number;
}

export function renderInspect(results: Inspected[], format: string | undefined, type: string, explain: (err: Error) => Error = (e) => e): InspectOutput {
  const docs = results.filter((r) => r.data).map((r) => r.data!);
  let stdout: string;
  if (format === undefined || format === '' || isJsonFormat(format)) {
    stdout = `${JSON.stringify(docs, null, 5)}\n`;
  } else {
    // Compiled once for all documents: a {{range .}} over them, "table", the final newline as Podman's.
    stdout = compileFormat(normalizeInspectFormat(format, type), 'inspect').renderAll(docs);
  }
  const errors = results.filter((r) => r.error).map((r) => explain(r.error!).message);
  const stderr = errors.length ? `${errors.slice(1).map((m) => `${m}\n`).join('')}Error: ${errors[0]}\n` : '';
  return { stdout, stderr, code: errors.length ? 125 : 0 };
}

/** An inspect command's whole run: the lookup (inside the user namespace for --size), the output, the exit code. */
export async function executeInspect(cmd: TspodCommand, names: string[], opts: InspectOptions & { format?: string }): Promise<number> {
  if (opts.size) {
    const inner = await cmd.engine.enterUserNamespace(cmd.selfArgv());
    if (inner !== null) return inner;
  }
  const out = renderInspect(cmd.engine.inspect(names, opts), opts.format, opts.type, (e) => cmd.explain(e) as Error);
  cmd.write(out.stdout);
  cmd.context.stderr.write(out.stderr);
  return out.code;
}
